//! Paged lists: how many items a page holds, and the opaque cursor a page gives for the next.
//! Lists page by keyset (the sort key and id of the last item shown), so a page never repeats
//! or skips an item because others were added or removed meanwhile.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// How many items a page holds: 1 to [`PageLimit::MAX`], [`PageLimit::DEFAULT`] when unasked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct PageLimit(u8);

impl PageLimit {
    pub const MAX: u8 = 100;
    pub const DEFAULT: Self = Self(50);
    pub const LARGEST: Self = Self(Self::MAX);

    /// # Errors
    /// The message to show when `raw` is 0 or over the maximum.
    pub fn new(raw: u32) -> Result<Self, String> {
        match u8::try_from(raw) {
            Ok(limit @ 1..=Self::MAX) => Ok(Self(limit)),
            _ => Err(format!(
                "A page holds 1 to {} items; {raw} is out of range.",
                Self::MAX
            )),
        }
    }

    pub fn get(self) -> usize {
        usize::from(self.0)
    }

    /// One more than the page holds: read that many to learn whether another page follows.
    pub fn probe(self) -> u64 {
        u64::from(self.0) + 1
    }
}

impl Default for PageLimit {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl TryFrom<u32> for PageLimit {
    type Error = String;

    fn try_from(raw: u32) -> Result<Self, String> {
        Self::new(raw)
    }
}

impl From<PageLimit> for u32 {
    fn from(limit: PageLimit) -> u32 {
        u32::from(limit.0)
    }
}

/// Where the next page starts, as handed to clients: opaque text (URL-safe base64 of the
/// last item's sort key and id, tagged with the list's order) that only the list that gave
/// it out can read.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PageCursor(String);

/// The message for a cursor no list of ours gave out (or one from another order).
pub const UNKNOWN_CURSOR: &str =
    "This cursor is not one this list gave out: start again from the first page.";

const SEPARATOR: char = '\u{1f}';

impl PageCursor {
    /// A cursor from what the next page starts after: the order's tag first, then its keys.
    pub fn from_parts(parts: &[&str]) -> Self {
        let joined = parts.join(&SEPARATOR.to_string());
        Self(URL_SAFE_NO_PAD.encode(joined))
    }

    /// The `N` parts after `tag` of a cursor made by [`PageCursor::from_parts`], or `None` for
    /// text that is not such a cursor (another tag, another number of parts, not ours at all).
    pub fn fields<const N: usize>(&self, tag: &str) -> Option<[String; N]> {
        <[String; N]>::try_from(self.parts(tag)?).ok()
    }

    fn parts(&self, tag: &str) -> Option<Vec<String>> {
        let bytes = URL_SAFE_NO_PAD.decode(&self.0).ok()?;
        let joined = String::from_utf8(bytes).ok()?;
        let mut parts = joined.split(SEPARATOR);
        if parts.next()? != tag {
            return None;
        }
        Some(parts.map(str::to_owned).collect())
    }

    /// Takes the text a client sent back (anything: [`PageCursor::fields`] decides).
    pub fn from_client(raw: String) -> Self {
        Self(raw)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An instant as a cursor part: whole microseconds since the epoch, which is exactly what
/// PostgreSQL stores, so the next page's comparison is exact.
pub fn instant_part(at: OffsetDateTime) -> String {
    (at.unix_timestamp_nanos() / 1000).to_string()
}

/// The instant [`instant_part`] wrote, or `None` for other text.
pub fn parse_instant_part(raw: &str) -> Option<OffsetDateTime> {
    let micros = raw.parse::<i128>().ok()?;
    OffsetDateTime::from_unix_timestamp_nanos(micros.checked_mul(1000)?).ok()
}

/// Splits rows read with [`PageLimit::probe`] into the page and, when more follow, the cursor
/// after its last item.
pub fn into_page<T>(
    mut rows: Vec<T>,
    limit: PageLimit,
    cursor_after: impl Fn(&T) -> PageCursor,
) -> (Vec<T>, Option<PageCursor>) {
    if rows.len() <= limit.get() {
        return (rows, None);
    }
    rows.truncate(limit.get());
    let next = rows.last().map(cursor_after);
    (rows, next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn fuzz_cursors_of_arbitrary_text(raw in ".{0,200}", tag in "[a-zA-Z]{1,12}") {
            let _parts = PageCursor::from_client(raw).parts(&tag);
        }

        #[test]
        fn fuzz_cursor_parts_round_trip(tag in "[a-zA-Z]{1,12}", parts in prop::collection::vec("[^\\x1f]{0,40}", 0..4)) {
            let mut all: Vec<&str> = vec![tag.as_str()];
            all.extend(parts.iter().map(String::as_str));
            let cursor = PageCursor::from_parts(&all);
            prop_assert_eq!(cursor.parts(&tag), Some(parts));
        }

        #[test]
        fn fuzz_instant_parts_of_arbitrary_text(raw in ".{0,40}") {
            let _instant = parse_instant_part(&raw);
        }
    }

    #[test]
    fn limits_outside_one_to_a_hundred_are_refused() {
        assert!(PageLimit::new(0).is_err());
        assert!(PageLimit::new(101).is_err());
        assert!(PageLimit::new(1_000_000).is_err());
        assert_eq!(PageLimit::new(100).map(PageLimit::get), Ok(100));
        assert_eq!(PageLimit::default().get(), 50);
    }

    #[test]
    fn a_cursor_gives_back_its_parts_under_its_own_tag_only() {
        let cursor = PageCursor::from_parts(&["title", "ōkami & co", "42"]);
        assert_eq!(
            cursor.parts("title"),
            Some(vec!["ōkami & co".to_owned(), "42".to_owned()])
        );
        assert_eq!(cursor.parts("addedDate"), None);
        assert_eq!(
            cursor.fields::<2>("title"),
            Some(["ōkami & co".to_owned(), "42".to_owned()])
        );
        assert_eq!(cursor.fields::<3>("title"), None, "another number of parts");
        assert!(cursor
            .as_str()
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_eq!(PageCursor::from_client("%%%".into()).parts("title"), None);
    }

    #[test]
    fn instants_survive_a_cursor_to_the_microsecond() {
        let at = time::macros::datetime!(2026-12-07 15:04:05.123456 UTC);
        assert_eq!(parse_instant_part(&instant_part(at)), Some(at));
        assert_eq!(parse_instant_part("soon"), None);
        assert_eq!(parse_instant_part(&i128::MAX.to_string()), None);
    }

    #[test]
    fn a_full_probe_yields_a_cursor_after_the_last_item_kept() {
        let limit = PageLimit::new(2).unwrap();
        let (page, next) = into_page(vec![1, 2, 3], limit, |n| {
            PageCursor::from_parts(&["n", &n.to_string()])
        });
        assert_eq!(page, vec![1, 2]);
        assert_eq!(
            next.and_then(|cursor| cursor.parts("n")),
            Some(vec!["2".into()])
        );
        let (page, next) = into_page(vec![1, 2], limit, |_| PageCursor::from_parts(&[]));
        assert_eq!((page, next), (vec![1, 2], None));
    }
}
