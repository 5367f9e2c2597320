//! AniList descriptions arrive as HTML fragments (`<br>`, `<i>`, entities) even when asked
//! for plain text; BloomWatch shows and stores plain text only.

/// Turns an AniList description into plain text: `<br>` becomes a line break, paragraphs are
/// separated by a blank line, every other tag is removed (the contents of `<script>` and
/// `<style>` with it), entities are decoded and whitespace is tidied. `None` when nothing
/// readable is left.
pub fn plain_text(html: &str) -> Option<String> {
    let mut text = String::with_capacity(html.len());
    // A source newline right after a `<br>` is the same line break written twice.
    let mut after_break = false;
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        match c {
            '<' => {
                if let Some((tag, after)) = Tag::parse(rest) {
                    match tag {
                        Tag::LineBreak => {
                            text.push('\n');
                            after_break = true;
                        }
                        Tag::Block => {
                            text.push_str("\n\n");
                            after_break = true;
                        }
                        Tag::Inline => {}
                    }
                    rest = after;
                    continue;
                }
                text.push('<');
                after_break = false;
            }
            '&' => {
                if let Some((decoded, after)) = decode_entity(rest) {
                    text.push(decoded);
                    after_break = false;
                    rest = after;
                    continue;
                }
                text.push('&');
                after_break = false;
            }
            '\n' if after_break => {}
            '\n' => text.push('\n'),
            c if c.is_whitespace() => text.push(' '),
            c => {
                text.push(c);
                after_break = false;
            }
        }
        rest = &rest[c.len_utf8()..];
    }
    tidy(&text)
}

/// What a tag does to the text around it.
enum Tag {
    LineBreak,
    Block,
    Inline,
}

impl Tag {
    /// Reads the tag at the start of `input` (which starts with `<`) and returns what it
    /// does and the text after it (after the closing tag for `<script>`/`<style>`, whose
    /// contents are never text). `None` when `<` does not start a tag ("a < b").
    fn parse(input: &str) -> Option<(Self, &str)> {
        let body = input.get(1..)?;
        if let Some(comment) = body.strip_prefix("!--") {
            let end = comment.find("-->").map_or(comment.len(), |end| end + 3);
            return Some((Self::Inline, &comment[end..]));
        }
        let first = body.chars().next()?;
        if !(first.is_ascii_alphabetic() || first == '/' || first == '!') {
            return None;
        }
        let close = body.find('>')?;
        let after = &body[close + 1..];
        let name: String = body
            .trim_start_matches(['/', '!'])
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let is_closing = first == '/';
        match name.as_str() {
            "br" => Some((Self::LineBreak, after)),
            "p" | "div" | "li" | "ul" | "ol" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
            | "blockquote" => Some((Self::Block, after)),
            "script" | "style" if !is_closing => {
                Some((Self::Inline, skip_past_closing(after, &name)))
            }
            _ => Some((Self::Inline, after)),
        }
    }
}

/// The text after `</name>` (case-insensitive), or nothing when it is never closed.
fn skip_past_closing<'a>(input: &'a str, name: &str) -> &'a str {
    let closing = format!("</{name}");
    let lowered = input.to_ascii_lowercase();
    lowered
        .find(&closing)
        .and_then(|start| lowered[start..].find('>').map(|end| start + end + 1))
        .map_or("", |end| &input[end..])
}

/// Decodes the entity at the start of `input` (which starts with `&`) and returns the text
/// after it. `None` for anything that is not a known entity ("Q&A").
fn decode_entity(input: &str) -> Option<(char, &str)> {
    let end = input.get(..12).unwrap_or(input).find(';')?;
    let name = &input[1..end];
    let decoded = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "middot" => '·',
        "eacute" => 'é',
        "deg" => '°',
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code).filter(|c| !c.is_control() || c.is_whitespace())?
        }
    };
    Some((decoded, &input[end + 1..]))
}

/// One space between words, no spaces at line ends, at most one blank line in a row, no
/// blank lines at either end.
fn tidy(text: &str) -> Option<String> {
    let mut lines: Vec<String> = Vec::new();
    for line in text.split('\n') {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        let previous_blank = lines.last().is_none_or(String::is_empty);
        if line.is_empty() && previous_blank {
            continue;
        }
        lines.push(line);
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::plain_text;
    use proptest::prelude::*;

    fn plain(html: &str) -> String {
        plain_text(html).unwrap_or_default()
    }

    #[test]
    fn line_breaks_become_newlines_and_paragraphs_blank_lines() {
        assert_eq!(plain("One.<br>Two.<BR/>Three."), "One.\nTwo.\nThree.");
        assert_eq!(plain("One.<br><br>\nTwo."), "One.\n\nTwo.");
        assert_eq!(plain("One.<br>\n<br>\nTwo."), "One.\n\nTwo.");
        assert_eq!(plain("<p>One.</p><p>Two.</p>"), "One.\n\nTwo.");
        assert_eq!(plain("One.\n\n\n\nTwo."), "One.\n\nTwo.");
    }

    #[test]
    fn tags_are_removed_and_scripts_dropped_with_their_contents() {
        assert_eq!(
            plain("<i>Frieren</i> <b>walks</b> <a href=\"x\">on</a>."),
            "Frieren walks on."
        );
        assert_eq!(
            plain("Hi<script>alert('x')</script> there<style>p{}</style>!"),
            "Hi there!"
        );
        assert_eq!(plain("Hi<SCRIPT type=x>alert(1)</Script >!"), "Hi!");
        assert_eq!(plain("Cut<script>never closed"), "Cut");
        assert_eq!(plain("A<!-- note -->B"), "AB");
    }

    #[test]
    fn entities_are_decoded_once() {
        assert_eq!(
            plain("Tom &amp; Jerry &quot;say&quot; it&#039;s &mdash; fine&#x2026;"),
            "Tom & Jerry \"say\" it's — fine…"
        );
        assert_eq!(plain("&lt;script&gt;"), "<script>");
        assert_eq!(plain("&amp;lt;"), "&lt;");
        assert_eq!(plain("Q&A &unknown; &#0;"), "Q&A &unknown; &#0;");
    }

    #[test]
    fn stray_angle_brackets_are_text() {
        assert_eq!(plain("1 < 2 and 3 > 2"), "1 < 2 and 3 > 2");
        assert_eq!(plain("ends with <"), "ends with <");
    }

    #[test]
    fn whitespace_is_tidied_and_empty_descriptions_vanish() {
        assert_eq!(plain("  lots\t of   space \n\n  "), "lots of space");
        assert_eq!(plain_text(" <br> <p></p> &nbsp; "), None);
        assert_eq!(plain_text(""), None);
    }

    #[test]
    fn anilist_style_source_notes_keep_their_paragraph() {
        let html = "During their decade-long quest, Frieren&#039;s party defeated the Demon King.<br><br>\n(Source: Crunchyroll)<br><br>\n<i>Note: Episode 1 is 2x long.</i>";
        assert_eq!(
            plain(html),
            "During their decade-long quest, Frieren's party defeated the Demon King.\n\n(Source: Crunchyroll)\n\nNote: Episode 1 is 2x long."
        );
    }

    proptest! {
        /// Whatever AniList sends, the sanitiser answers tidy text and never panics.
        #[test]
        fn any_input_becomes_tidy_text(html in "(<[a-zA-Z/!]{0,8}[^>]{0,6}>?|&[#a-z0-9]{0,8};?|[ \\n\\t]|\\PC){0,60}") {
            if let Some(text) = plain_text(&html) {
                prop_assert!(!text.is_empty());
                prop_assert_eq!(text.trim(), text.as_str());
                prop_assert!(!text.contains("\n\n\n"));
                prop_assert!(!text.contains("  "));
                prop_assert!(!text.contains('\t'));
            }
        }
    }
}
