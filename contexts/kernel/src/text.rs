//! Characters no user text may hold: control characters, and the invisible formatting
//! characters that make text read differently from what it is (bidi overrides turn
//! "gnp.exe" into "exe.png"; zero-width spaces make two names look alike). Joiners and
//! variation selectors stay: emoji sequences and several scripts need them.

/// Whether `c` is a control character (line breaks and tabs included) or an invisible
/// formatting character.
pub fn is_hidden(c: char) -> bool {
    c.is_control() || is_invisible_format(c)
}

/// Whether a multi-line text (notes, pitches) may not hold `c`: as [`is_hidden`], except
/// line breaks and tabs.
pub fn is_hidden_in_prose(c: char) -> bool {
    !matches!(c, '\n' | '\r' | '\t') && is_hidden(c)
}

fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' // soft hyphen
            | '\u{061C}' // Arabic letter mark
            | '\u{180E}' // Mongolian vowel separator
            | '\u{200B}' // zero-width space
            | '\u{200E}'..='\u{200F}' // left-to-right and right-to-left marks
            | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
            | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
            | '\u{2066}'..='\u{2069}' // bidi isolates
            | '\u{FEFF}' // zero-width no-break space (BOM)
            | '\u{FFF9}'..='\u{FFFB}' // interlinear annotation
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_overrides_and_zero_width_spaces_are_hidden_but_joiners_are_not() {
        for hidden in [
            '\u{202E}', '\u{2066}', '\u{200B}', '\u{FEFF}', '\u{7}', '\n',
        ] {
            assert!(is_hidden(hidden), "{:?}", hidden);
        }
        // ZWJ (family emoji), ZWNJ (Persian), a variation selector, a flag's tag characters.
        for visible in ['\u{200D}', '\u{200C}', '\u{FE0F}', '\u{E0067}', 'é', '🌸'] {
            assert!(!is_hidden(visible), "{:?}", visible);
        }
        assert!(!is_hidden_in_prose('\n') && !is_hidden_in_prose('\t'));
        assert!(is_hidden_in_prose('\u{202E}'));
    }
}
