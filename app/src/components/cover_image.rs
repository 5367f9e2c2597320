//! An anime cover: AniList's image over a themed placeholder with the title's initials. The
//! placeholder sits behind the image, so a cover that cannot load (no internet, AniList
//! down) shows the initials even without JavaScript; once the WASM runs, a cover that fails
//! is removed altogether (`hide_broken_covers`, one listener for the whole page).

use leptos::prelude::*;

#[component]
pub fn CoverImage(
    /// The cover's URL, when AniList gave one.
    url: Option<String>,
    /// AniList's average colour of the cover (`#rrggbb`), the placeholder's background.
    #[prop(optional_no_strip)]
    colour: Option<String>,
    /// The anime's title, for the initials.
    title: String,
    /// `small` for search results, `medium` for list cards, `large` for the detail page.
    #[prop(default = "medium")]
    size: &'static str,
) -> impl IntoView {
    let style = colour
        .filter(|colour| is_hex_colour(colour))
        .map(|colour| format!("--cover-colour: {colour}"));
    view! {
        <span class=format!("cover cover-{size}") style=style>
            <span class="cover-initials" aria-hidden="true">{initials(&title)}</span>
            {url.map(|url| view! { <img src=url alt="" loading="lazy" decoding="async"/> })}
        </span>
    }
}

/// Removes every cover image that fails to load from now on, so its initials show instead.
#[cfg(feature = "hydrate")]
pub fn hide_broken_covers() {
    use leptos::web_sys::wasm_bindgen::closure::Closure;
    use leptos::web_sys::wasm_bindgen::JsCast;
    use leptos::web_sys::{Event, HtmlImageElement};

    // `error` does not bubble: listen in the capture phase.
    let on_error = Closure::<dyn Fn(Event)>::new(|event: Event| {
        let image = event
            .target()
            .and_then(|target| target.dyn_into::<HtmlImageElement>().ok());
        if let Some(image) = image {
            if image.closest(".cover").ok().flatten().is_some() {
                image.remove();
            }
        }
    });
    let _ = document().add_event_listener_with_callback_and_bool(
        "error",
        on_error.as_ref().unchecked_ref(),
        true,
    );
    // The listener lives as long as the page.
    on_error.forget();
}

/// Up to two initials from the title's first words ("Frieren: Beyond…" → "FB").
fn initials(title: &str) -> String {
    title
        .split_whitespace()
        .filter_map(|word| word.chars().find(|c| c.is_alphanumeric()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

/// Only `#rgb`/`#rrggbb` reach the style attribute.
fn is_hex_colour(colour: &str) -> bool {
    colour
        .strip_prefix('#')
        .is_some_and(|hex| matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_come_from_the_first_two_words() {
        assert_eq!(initials("Frieren: Beyond Journey's End"), "FB");
        assert_eq!(initials("  bloom"), "B");
        assert_eq!(initials("“Oshi no Ko”"), "ON");
        assert_eq!(initials(""), "");
    }

    #[test]
    fn only_hex_colours_are_used() {
        assert!(is_hex_colour("#e4a15d"));
        assert!(is_hex_colour("#fff"));
        assert!(!is_hex_colour("red; background: url(x)"));
        assert!(!is_hex_colour("#12345"));
    }
}
