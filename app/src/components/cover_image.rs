//! An anime cover: AniList's image over a themed placeholder with the title's initials. The
//! placeholder sits behind the image, so a cover that cannot load (no internet, AniList
//! down) shows the initials even before the page has hydrated; afterwards the broken image
//! is removed altogether.

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
    let failed = RwSignal::new(false);
    let style = colour
        .filter(|colour| is_hex_colour(colour))
        .map(|colour| format!("--cover-colour: {colour}"));
    view! {
        <span class=format!("cover cover-{size}") style=style>
            <span class="cover-initials" aria-hidden="true">{initials(&title)}</span>
            {move || {
                url.clone()
                    .filter(|_| !failed.get())
                    .map(|url| view! { <img src=url alt="" loading="lazy" decoding="async" on:error=move |_| failed.set(true)/> })
            }}
        </span>
    }
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
