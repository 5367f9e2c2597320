//! A whole space taken out: every anime with every member's entry side by side, and every
//! watch session (JSON), or the same entries as a spreadsheet (CSV).

use identity::contracts::UserId;
use watch_spaces::contracts::WatchSpaceId;

use super::{spaces_failure, AnimeTracking, Error};
use crate::contracts::{
    AnimeSort, AnimeTrackingError, ParticipantEntryDto, SpaceExportDto, WatchSpaceAnimeDto,
};

impl AnimeTracking {
    /// The space's anime (by title) with every member's entry, former members' included, and
    /// its sessions (newest first). A fixed number of queries, however big the space is.
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space))]
    pub async fn export_space(
        &self,
        actor: UserId,
        space: WatchSpaceId,
    ) -> Result<SpaceExportDto, AnimeTrackingError> {
        async {
            let details = self
                .watch_spaces
                .get_space(actor, space)
                .await
                .map_err(spaces_failure)?;
            // `get_space` has checked membership and read the members: both lists reuse them.
            Ok(SpaceExportDto {
                watch_space_id: space,
                exported_at_utc: self.clock.now(),
                anime: self
                    .all_anime_of(&details.members, space, AnimeSort::Title)
                    .await?,
                sessions: self.space_sessions_of(&details.members, space).await?,
                space_name: details.name,
            })
        }
        .await
        .map_err(Error::into_public)
    }
}

/// The export as CSV (RFC 4180, a header row): one row per anime, then four columns per
/// member (status, episodes, rating, notes), in the order members first appear. Text that a
/// spreadsheet would run as a formula starts with an apostrophe.
pub fn space_export_csv(export: &SpaceExportDto) -> String {
    let members = members_in_order(&export.anime);
    let mut header: Vec<String> = [
        "Title",
        "Romaji title",
        "AniList id",
        "Format",
        "Episodes",
        "Shared status",
        "Episodes watched together",
        "Mood",
        "Vibe",
        "Pitch",
        "Added",
    ]
    .map(str::to_owned)
    .to_vec();
    for (_, name) in &members {
        for column in ["status", "episodes", "rating", "notes"] {
            header.push(format!("{name}: {column}"));
        }
    }
    let mut csv = csv::Writer::from_writer(Vec::new());
    let mut rows = vec![header];
    rows.extend(export.anime.iter().map(|anime| row(anime, &members)));
    for row in rows {
        // Writing to a Vec cannot fail.
        let _ = csv.write_record(row.iter().map(|cell| inert(cell)));
    }
    String::from_utf8(csv.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Every member with an entry, by id and name, current members first (the entries' order).
fn members_in_order(anime: &[WatchSpaceAnimeDto]) -> Vec<(UserId, String)> {
    let mut members: Vec<(UserId, String)> = Vec::new();
    let mut former: Vec<(UserId, String)> = Vec::new();
    for entry in anime.iter().flat_map(|anime| &anime.participants) {
        let known = members
            .iter()
            .chain(&former)
            .any(|(id, _)| *id == entry.user_id);
        if !known {
            let group = if entry.current_member {
                &mut members
            } else {
                &mut former
            };
            group.push((entry.user_id, entry.display_name.clone()));
        }
    }
    members.extend(former);
    members
}

fn row(anime: &WatchSpaceAnimeDto, members: &[(UserId, String)]) -> Vec<String> {
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let mut cells = vec![
        anime.display_title().to_owned(),
        anime.preferred_title.clone(),
        anime.anilist_media_id.to_string(),
        anime
            .format
            .map(|format| format.label().to_owned())
            .unwrap_or_default(),
        anime
            .episode_count_snapshot
            .map(|count| count.to_string())
            .unwrap_or_default(),
        anime.shared_status.label().to_owned(),
        anime.shared_episodes_watched.to_string(),
        text(&anime.mood),
        text(&anime.vibe),
        text(&anime.pitch),
        anime.added_at_utc.date().to_string(),
    ];
    for (member, _) in members {
        let entry: Option<&ParticipantEntryDto> = anime
            .participants
            .iter()
            .find(|entry| entry.user_id == *member);
        match entry {
            Some(entry) => cells.extend([
                entry.individual_status.label().to_owned(),
                entry.episodes_watched.to_string(),
                entry
                    .rating_score
                    .map(|score| score.to_string())
                    .unwrap_or_default(),
                text(&entry.rating_notes),
            ]),
            None => cells.extend(std::iter::repeat_n(String::new(), 4)),
        }
    }
    cells
}

/// A cell a spreadsheet shows as text: one starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return would be read as a formula (OWASP's CSV injection advice), so it gets a
/// leading apostrophe.
fn inert(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text() {
        for formula in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(inert(formula), format!("'{formula}"));
        }
        for text in ["Frieren", "8.5", "a=b", ""] {
            assert_eq!(inert(text), text);
        }
    }
}
