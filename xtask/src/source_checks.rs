//! Checks that read the project's Rust source: a context's SQL names only its own schema,
//! and no server function is reachable over GET. A small Rust lexer finds the string
//! literals, where SQL lives.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use crate::util::info;
use crate::workspace::{self, Member};

/// The PostgreSQL schema of each bounded context. A context's SQL may only name its own schema.
const CONTEXT_SCHEMAS: &[&str] = &[
    "identity",
    "watch_spaces",
    "anime_tracking",
    "analytics",
    "anilist_sync",
];

pub fn check_context_schemas(root: &Path, members: &[Member]) -> Result<()> {
    let mut problems = Vec::new();
    let mut files = 0;
    for member in members.iter().filter(|m| m.dir.starts_with("contexts")) {
        for file in rust_files(&root.join(&member.dir))? {
            files += 1;
            let source = workspace::read(&file)?;
            for (line, mention) in foreign_schema_mentions(&source, &member.name) {
                let shown = file
                    .strip_prefix(root)
                    .unwrap_or(&file)
                    .display()
                    .to_string();
                problems.push(format!(
                    "{shown}:{line}: `{mention}` is another context's table; use that context's public API instead"
                ));
            }
        }
    }
    if !problems.is_empty() {
        bail!("{}", problems.join("\n    "));
    }
    info(format!("{files} Rust files checked"));
    Ok(())
}

/// Leptos server functions have no CSRF protection of their own; a GET encoding would let any
/// site trigger one with a link, so every server function must keep a POST encoding.
pub fn check_server_fn_encodings(root: &Path) -> Result<()> {
    let mut problems = Vec::new();
    for file in rust_files(&root.join("app/src"))? {
        let source = workspace::read(&file)?;
        for line in get_encoded_server_fns(&source) {
            let shown = file
                .strip_prefix(root)
                .unwrap_or(&file)
                .display()
                .to_string();
            problems.push(format!("{shown}:{line}: a server function with a GET encoding; use the default POST encoding"));
        }
    }
    if !problems.is_empty() {
        bail!("{}", problems.join("\n    "));
    }
    Ok(())
}

/// Lines (1-based) of `#[server(...)]` attributes that choose a GET input encoding.
fn get_encoded_server_fns(source: &str) -> Vec<usize> {
    source
        .lines()
        .enumerate()
        .filter(|(_, line)| {
            let line = line.trim_start();
            line.starts_with("#[server")
                && (line.contains("GetUrl") || line.contains("GetCbor") || line.contains("Get>"))
        })
        .map(|(index, _)| index + 1)
        .collect()
}

fn rust_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                found.extend(rust_files(&path)?);
            }
        } else if name.ends_with(".rs") {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

/// `schema.table` mentions of other contexts' schemas inside string literals (where SQL lives),
/// as (line, mention). Comments and ordinary code such as `identity.id` are not looked at.
fn foreign_schema_mentions(source: &str, own_schema: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (start_line, text) in string_literals(source) {
        for schema in CONTEXT_SCHEMAS.iter().filter(|s| **s != own_schema) {
            for (offset, _) in text.match_indices(schema) {
                let boundary = !text[..offset].chars().next_back().is_some_and(is_ident);
                let Some(rest) = text[offset + schema.len()..].strip_prefix('.') else {
                    continue;
                };
                let table: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if boundary && !table.is_empty() {
                    let line = start_line + text[..offset].matches('\n').count();
                    found.push((line, format!("{schema}.{table}")));
                }
            }
        }
    }
    found.sort();
    found
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The contents of the string literals in Rust source, each with the line it starts on.
/// A small lexer: it knows comments, char literals vs lifetimes, escapes and raw strings.
fn string_literals(source: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = source.chars().collect();
    let at = |i: usize| chars.get(i).copied();
    let mut found = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while let Some(c) = at(i) {
        match (c, at(i + 1)) {
            ('\n', _) => {
                line += 1;
                i += 1;
            }
            ('/', Some('/')) => {
                while at(i).is_some_and(|c| c != '\n') {
                    i += 1;
                }
            }
            ('/', Some('*')) => {
                let mut depth = 0;
                while let Some(c) = at(i) {
                    match (c, at(i + 1)) {
                        ('/', Some('*')) => {
                            depth += 1;
                            i += 2;
                        }
                        ('*', Some('/')) => {
                            depth -= 1;
                            i += 2;
                            if depth == 0 {
                                break;
                            }
                        }
                        ('\n', _) => {
                            line += 1;
                            i += 1;
                        }
                        _ => i += 1,
                    }
                }
            }
            ('\'', Some('\\')) => {
                // An escaped char literal such as '\'' or '\u{1F600}'.
                i += 3;
                while at(i).is_some_and(|c| c != '\'') {
                    i += 1;
                }
                i += 1;
            }
            ('\'', _) if at(i + 2) == Some('\'') => i += 3,
            ('"', _) => {
                let hashes = raw_string_hashes(&chars, i);
                let start_line = line;
                let mut text = String::new();
                i += 1;
                while let Some(c) = at(i) {
                    if c == '"' {
                        if let Some(hashes) = hashes {
                            if (1..=hashes).all(|k| at(i + k) == Some('#')) {
                                i += 1 + hashes;
                                break;
                            }
                        } else {
                            i += 1;
                            break;
                        }
                    }
                    if c == '\\' && hashes.is_none() {
                        let escaped = at(i + 1).unwrap_or(' ');
                        // Escaped whitespace becomes a space, so line numbers stay those of the source.
                        text.push(match escaped {
                            'n' | 'r' | 't' => ' ',
                            other => other,
                        });
                        if escaped == '\n' {
                            line += 1;
                        }
                        i += 2;
                        continue;
                    }
                    if c == '\n' {
                        line += 1;
                    }
                    text.push(c);
                    i += 1;
                }
                found.push((start_line, text));
            }
            _ => i += 1,
        }
    }
    found
}

/// For a `"` at `quote`: Some(number of `#`) when it opens a raw string (r"", r#""#, br"", cr"").
fn raw_string_hashes(chars: &[char], quote: usize) -> Option<usize> {
    let mut start = quote;
    while start > 0 && chars[start - 1] == '#' {
        start -= 1;
    }
    let hashes = quote - start;
    if start == 0 || chars[start - 1] != 'r' {
        return None;
    }
    let before_r = start.checked_sub(2).map(|k| chars[k]);
    let prefix_ok = match before_r {
        None => true,
        Some('b' | 'c') => start
            .checked_sub(3)
            .map(|k| chars[k])
            .is_none_or(|c| !is_ident(c)),
        Some(c) => !is_ident(c),
    };
    prefix_ok.then_some(hashes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_functions_with_get_encodings_are_found() {
        let source = "#[server]\nasync fn a() {}\n#[server(input = GetUrl)]\nasync fn b() {}\n#[server(endpoint = \"x\", input = server_fn::codec::GetCbor)]\nasync fn c() {}\n";
        assert_eq!(get_encoded_server_fns(source), [3, 5]);
    }

    #[test]
    fn finds_another_contexts_table_in_sql() {
        let source =
            "fn q() -> &'static str {\n    \"SELECT * FROM identity.users WHERE id = $1\"\n}\n";
        assert_eq!(
            foreign_schema_mentions(source, "watch_spaces"),
            [(2, "identity.users".to_owned())]
        );
    }

    #[test]
    fn own_schema_is_fine() {
        let source = r#"const Q: &str = "SELECT * FROM watch_spaces.spaces";"#;
        assert!(foreign_schema_mentions(source, "watch_spaces").is_empty());
    }

    #[test]
    fn comments_and_code_are_ignored() {
        let source = "// FROM identity.users\n/* identity.sessions */\nlet x = identity.user_id;\n";
        assert!(foreign_schema_mentions(source, "watch_spaces").is_empty());
    }

    #[test]
    fn raw_multiline_strings_report_the_right_line() {
        let source = "let a = '\"';\nlet q = r#\"\n  SELECT *\n  FROM analytics.events\n\"#;\n";
        assert_eq!(
            foreign_schema_mentions(source, "identity"),
            [(4, "analytics.events".to_owned())]
        );
    }

    #[test]
    fn needs_a_word_boundary_and_a_table() {
        let source =
            r#"let a = "myidentity.users"; let b = "identity."; let c = "identity.Users";"#;
        assert!(foreign_schema_mentions(source, "watch_spaces").is_empty());
    }

    #[test]
    fn lifetimes_and_escapes_do_not_confuse_the_lexer() {
        let source = "fn f<'a>(x: &'a str) -> char { '\\'' }\nconst Q: &str = \"a \\\" b\\nFROM identity.tokens\";\n";
        assert_eq!(
            foreign_schema_mentions(source, "kernel"),
            [(2, "identity.tokens".to_owned())]
        );
    }
}
