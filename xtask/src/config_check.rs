//! The site settings exist twice: the server reads Leptos.toml at start-up, while cargo-leptos
//! only reads the Cargo manifest. A silent drift (say, a renamed output) would build one site and
//! serve another, so every command first checks that both copies are identical.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{bail, Context, Result};
use toml::{Table, Value};

use crate::workspace::read;

/// Checks the two files in `root` and returns the (first) site table.
pub fn check(root: &Path) -> Result<Table> {
    compare(
        &read(&root.join("Leptos.toml"))?,
        &read(&root.join("Cargo.toml"))?,
    )
}

/// Compares `[[workspace.metadata.leptos]]` of both files as TOML values (so formatting, comments
/// and key order do not matter) and returns the first site table.
pub fn compare(leptos_toml: &str, cargo_toml: &str) -> Result<Table> {
    let ours = metadata(leptos_toml, "Leptos.toml")?;
    let theirs = metadata(cargo_toml, "Cargo.toml")?;
    if ours != theirs {
        let mut message = String::from(
            "[[workspace.metadata.leptos]] differs between Leptos.toml and Cargo.toml:",
        );
        for line in differences(&ours, &theirs) {
            message.push_str("\n      ");
            message.push_str(&line);
        }
        message.push_str(
            "\n    fix: make the block at the end of Cargo.toml an exact copy of Leptos.toml's",
        );
        bail!(message);
    }
    match ours.first().and_then(Value::as_table) {
        Some(site) => Ok(site.clone()),
        None => bail!("Leptos.toml: [[workspace.metadata.leptos]] is empty"),
    }
}

fn metadata(source: &str, file: &str) -> Result<Vec<Value>> {
    let document: Table = toml::from_str(source).with_context(|| format!("parsing {file}"))?;
    let entry = document
        .get("workspace")
        .and_then(|w| w.get("metadata"))
        .and_then(|m| m.get("leptos"));
    match entry {
        Some(Value::Array(sites)) => Ok(sites.clone()),
        Some(_) => bail!("{file}: workspace.metadata.leptos must be an array of tables ([[...]])"),
        None => bail!("{file} has no [[workspace.metadata.leptos]] table"),
    }
}

/// Human-readable key-by-key differences, site by site.
fn differences(ours: &[Value], theirs: &[Value]) -> Vec<String> {
    if ours.len() != theirs.len() {
        return vec![format!(
            "Leptos.toml has {} site(s), Cargo.toml has {}",
            ours.len(),
            theirs.len()
        )];
    }
    let empty = Table::new();
    let mut lines = Vec::new();
    for (a, b) in ours.iter().zip(theirs) {
        let a = a.as_table().unwrap_or(&empty);
        let b = b.as_table().unwrap_or(&empty);
        let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
        for key in keys {
            let (left, right) = (a.get(key), b.get(key));
            if left != right {
                lines.push(format!(
                    "{key}: Leptos.toml has {}, Cargo.toml has {}",
                    show(left),
                    show(right)
                ));
            }
        }
    }
    lines
}

fn show(value: Option<&Value>) -> String {
    value.map_or_else(|| "nothing".to_owned(), Value::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEPTOS: &str = r#"
# comment
[[workspace.metadata.leptos]]
name = "bloomwatch"
site-addr = "127.0.0.1:3000"
reload-port = 3001
"#;

    const CARGO: &str = r#"
[workspace]
members = ["app"]

[[workspace.metadata.leptos]]
reload-port = 3001
site-addr = "127.0.0.1:3000"
name = "bloomwatch"
"#;

    #[test]
    fn identical_tables_pass_regardless_of_order_and_comments() {
        let site = compare(LEPTOS, CARGO).unwrap();
        assert_eq!(
            site.get("site-addr").and_then(Value::as_str),
            Some("127.0.0.1:3000")
        );
    }

    #[test]
    fn a_changed_value_is_named() {
        let cargo = CARGO.replace("3001", "3002");
        let err = compare(LEPTOS, &cargo).unwrap_err().to_string();
        assert!(
            err.contains("reload-port: Leptos.toml has 3001, Cargo.toml has 3002"),
            "{err}"
        );
    }

    #[test]
    fn a_missing_key_is_named() {
        let cargo = CARGO.replace("name = \"bloomwatch\"", "");
        let err = compare(LEPTOS, &cargo).unwrap_err().to_string();
        assert!(
            err.contains("name: Leptos.toml has \"bloomwatch\", Cargo.toml has nothing"),
            "{err}"
        );
    }

    #[test]
    fn a_missing_table_is_an_error() {
        let err = compare(LEPTOS, "[workspace]\nmembers = []\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("Cargo.toml has no [[workspace.metadata.leptos]]"),
            "{err}"
        );
    }

    #[test]
    fn a_different_number_of_sites_is_an_error() {
        let err = compare(
            LEPTOS,
            &format!("{CARGO}\n[[workspace.metadata.leptos]]\nname = \"x\"\n"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("Leptos.toml has 1 site(s), Cargo.toml has 2"),
            "{err}"
        );
    }

    #[test]
    fn the_real_files_agree() {
        let root = crate::workspace::root().unwrap();
        check(&root).unwrap();
    }
}
