//! `GET /avatars/{id}.svg`: a generated avatar for each fake user, so `Viewer.avatar` points
//! at an image the offline demo can show.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::covers::escape_xml;
use crate::state::Shared;

/// AniList's large avatar is 230 pixels square.
const SIZE: u32 = 230;

pub(crate) async fn serve(State(shared): State<Arc<Shared>>, Path(file): Path<String>) -> Response {
    let Some(id) = file
        .strip_suffix(".svg")
        .and_then(|id| id.parse::<i64>().ok())
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let name = shared.users().by_id(id).map(|account| account.name.clone());
    match name {
        Some(name) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("image/svg+xml"),
            )],
            render(id, &name),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The name's first letter on a colour picked from the id, so neighbouring users differ.
fn render(id: i64, name: &str) -> String {
    let hue = id.rem_euclid(12) * 30;
    let initial: String = name
        .chars()
        .find(|c| c.is_alphanumeric())
        .map_or_else(|| "?".to_owned(), |c| c.to_uppercase().collect());
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" viewBox="0 0 {SIZE} {SIZE}" role="img" aria-label="{name}">
<rect width="100%" height="100%" fill="hsl({hue}, 45%, 55%)"/>
<text x="50%" y="50%" text-anchor="middle" dominant-baseline="central" font-family="sans-serif" font-weight="bold" font-size="{font_size}" fill="#fdf8ff">{initial}</text>
</svg>
"##,
        name = escape_xml(name),
        initial = escape_xml(&initial),
        font_size = SIZE / 2,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn avatars_show_the_escaped_initial() {
        let svg = render(700_001, "yuu<3");
        assert!(svg.contains(">Y</text>"));
        assert!(svg.contains(r#"aria-label="yuu&lt;3""#));
        assert!(render(1, "__").contains(">?</text>"));
    }
}
