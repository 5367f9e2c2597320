//! `GET /covers/{id}-large.svg` and `-medium.svg`: generated cover art, because the demo has
//! no internet to fetch AniList's real covers from.

use std::sync::{Arc, PoisonError};

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::catalog::CoverFacts;
use crate::state::Shared;

/// Used when an entry has no `coverImage.color`.
const FALLBACK_COLOR: &str = "#b7a6d9";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CoverSize {
    Large,
    Medium,
}

impl CoverSize {
    /// AniList's `large` and `medium` covers are 230 and 100 pixels wide, both 1:√2-ish.
    fn dimensions(self) -> (u32, u32) {
        match self {
            CoverSize::Large => (230, 325),
            CoverSize::Medium => (100, 142),
        }
    }
}

pub(crate) async fn serve(State(shared): State<Arc<Shared>>, Path(file): Path<String>) -> Response {
    let Some((id, size)) = parse_file_name(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let facts = shared
        .catalog
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .cover_facts(id);
    match facts {
        Some(facts) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("image/svg+xml"),
            )],
            render(&facts, size),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn parse_file_name(file: &str) -> Option<(i64, CoverSize)> {
    let (id, size) = file.strip_suffix(".svg")?.split_once('-')?;
    let size = match size {
        "large" => CoverSize::Large,
        "medium" => CoverSize::Medium,
        _ => return None,
    };
    Some((id.parse().ok()?, size))
}

fn render(facts: &CoverFacts, size: CoverSize) -> String {
    let (width, height) = size.dimensions();
    let background = facts
        .color
        .as_deref()
        .filter(|color| parse_hex(color).is_some())
        .unwrap_or(FALLBACK_COLOR);
    let ink = if is_light(background) {
        "#2b2233"
    } else {
        "#fdf8ff"
    };
    let initials_size = width * 2 / 5;
    let title_size = (width / 16).max(7);
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{title}">
<rect width="100%" height="100%" fill="{background}"/>
<text x="50%" y="45%" text-anchor="middle" dominant-baseline="middle" font-family="sans-serif" font-weight="bold" font-size="{initials_size}" fill="{ink}">{initials}</text>
<text x="50%" y="88%" text-anchor="middle" font-family="sans-serif" font-size="{title_size}" fill="{ink}">{title}</text>
</svg>
"#,
        title = escape_xml(&facts.title),
        initials = escape_xml(&initials(&facts.title)),
    )
}

/// Up to three initials from the title's words ("Bloom Into You" → "BIY").
fn initials(title: &str) -> String {
    let initials: String = title
        .split(|c: char| c.is_whitespace() || c == ':' || c == '-')
        .filter_map(|word| word.chars().find(|c| c.is_alphanumeric()))
        .flat_map(char::to_uppercase)
        .take(3)
        .collect();
    if initials.is_empty() {
        "?".to_owned()
    } else {
        initials
    }
}

fn parse_hex(color: &str) -> Option<(u8, u8, u8)> {
    let hex = color.strip_prefix('#')?;
    if hex.len() != 6 {
        return None;
    }
    let channel = |range| u8::from_str_radix(hex.get(range)?, 16).ok();
    Some((channel(0..2)?, channel(2..4)?, channel(4..6)?))
}

fn is_light(color: &str) -> bool {
    parse_hex(color).is_some_and(|(r, g, b)| {
        u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114 > 150_000
    })
}

pub(crate) fn escape_xml(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            other => escaped.push(other),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cover_file_names() {
        assert_eq!(
            parse_file_name("101573-large.svg"),
            Some((101573, CoverSize::Large))
        );
        assert_eq!(
            parse_file_name("5-medium.svg"),
            Some((5, CoverSize::Medium))
        );
        assert_eq!(parse_file_name("5-huge.svg"), None);
        assert_eq!(parse_file_name("x-large.svg"), None);
        assert_eq!(parse_file_name("5-large.png"), None);
    }

    #[test]
    fn initials_come_from_the_first_words() {
        assert_eq!(initials("Bloom Into You"), "BIY");
        assert_eq!(initials("Frieren: Beyond Journey's End"), "FBJ");
        assert_eq!(initials("Steins;Gate"), "S");
        assert_eq!(initials("..."), "?");
    }

    #[test]
    fn titles_are_escaped_and_ink_contrasts_with_the_background() {
        let svg = render(
            &CoverFacts {
                title: "Tom & Jerry <3".into(),
                color: Some("#ffffff".into()),
            },
            CoverSize::Medium,
        );
        assert!(svg.contains("Tom &amp; Jerry &lt;3"));
        assert!(svg.contains(r##"fill="#2b2233""##));
        assert!(!is_light("#1a1a2e"));
    }
}
