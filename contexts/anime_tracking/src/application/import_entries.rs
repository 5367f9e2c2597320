use anilist_sync::contracts::AniListMediaId;
use identity::contracts::UserId;
use sea_orm::TransactionTrait;
use watch_spaces::contracts::WatchSpaceId;

use super::{AnimeTracking, Error};
use crate::contracts::{
    AnimeTrackingError, EpisodesWatched, ImportApplied, ImportEntry, ImportMerge, Notes,
    MAX_ANIME_PER_SPACE, MAX_EPISODES,
};
use crate::domain::anime::{ImportedEntry, MediaSnapshot, WatchSpaceAnime};
use crate::infrastructure::anime_repo;

/// The most titles one call takes: one transaction each, so a long import commits as it goes.
pub const MAX_IMPORT_CHUNK: usize = 100;

impl AnimeTracking {
    /// Brings titles of `actor`'s own list into the space, in one transaction: a title new to
    /// the space is added (its shared status from the member's), and the member's own entry
    /// of each title is merged as `merge` says; nobody else's entry is touched. Importing
    /// the same list again changes nothing. Imported values are not published for AniList
    /// sync: they came from a list, and sending them back would spend the AniList budget on
    /// what the list already says.
    ///
    /// # Errors
    /// `SpaceNotFound` for non-members; `Validation` for more than 100 titles or a title
    /// twice; `Conflict`-like `StaleEdit` when an entry changed meanwhile (the caller tries
    /// the chunk again); `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space, titles = entries.len()))]
    pub async fn import_entries(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        entries: Vec<ImportEntry>,
        merge: ImportMerge,
    ) -> Result<ImportApplied, AnimeTrackingError> {
        self.import_inner(actor, space, entries, merge)
            .await
            .map_err(Error::into_public)
    }

    async fn import_inner(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        entries: Vec<ImportEntry>,
        merge: ImportMerge,
    ) -> Result<ImportApplied, Error> {
        self.role(actor, space).await?;
        if entries.len() > MAX_IMPORT_CHUNK {
            return Err(AnimeTrackingError::field(
                "entries",
                format!("At most {MAX_IMPORT_CHUNK} titles at a time."),
            )
            .into());
        }
        let mut media: Vec<AniListMediaId> = entries
            .iter()
            .map(|entry| entry.media.anilist_media_id)
            .collect();
        media.sort_unstable();
        media.dedup();
        if media.len() != entries.len() {
            return Err(AnimeTrackingError::field("entries", "A title is listed twice.").into());
        }
        let now = self.clock.now();
        let transaction = self.db.begin().await?;
        let mut tracked = anime_repo::find_many_by_media(&transaction, space, &media).await?;
        let new_titles = entries.len() - tracked.len();
        if new_titles > 0
            && anime_repo::count_in_space(&transaction, space).await? + new_titles
                > MAX_ANIME_PER_SPACE
        {
            return Err(AnimeTrackingError::SpaceAnimeLimit {
                limit: MAX_ANIME_PER_SPACE,
            }
            .into());
        }
        let mut applied = ImportApplied::default();
        for entry in &entries {
            let imported = imported_entry(entry);
            let position = tracked
                .iter()
                .position(|anime| anime.media.anilist_media_id == entry.media.anilist_media_id);
            match position {
                Some(index) => {
                    let before = tracked[index].clone();
                    let anime = &mut tracked[index];
                    if !anime.import_entry(actor, &imported, merge, now) {
                        applied.unchanged += 1;
                        continue;
                    }
                    if let Err(stale) = anime_repo::save(&transaction, &before, anime).await? {
                        transaction.rollback().await?;
                        let members = self.members(actor, space).await?;
                        return Err(self
                            .explain_stale(actor, space, anime.id, &members, stale)
                            .await);
                    }
                    applied.changed += 1;
                }
                None => {
                    let mut anime = WatchSpaceAnime::add(
                        space,
                        MediaSnapshot::from(&entry.media),
                        imported.status,
                        actor,
                        now,
                    );
                    anime.import_entry(actor, &imported, merge, now);
                    anime_repo::insert(&transaction, &anime).await?;
                    let added = anime.clone();
                    let untouched = WatchSpaceAnime::restore(added, Vec::new());
                    if let Err(stale) = anime_repo::save(&transaction, &untouched, &anime).await? {
                        transaction.rollback().await?;
                        let members = self.members(actor, space).await?;
                        return Err(self
                            .explain_stale(actor, space, anime.id, &members, stale)
                            .await);
                    }
                    applied.added += 1;
                    applied.changed += 1;
                }
            }
        }
        if applied.changed > 0 {
            self.publish_changes(&transaction, vec![space]).await?;
        }
        transaction.commit().await?;
        tracing::info!(?applied, "titles imported");
        Ok(applied)
    }
}

/// The list's values as the domain takes them: progress within what any show has, notes
/// that fit (a list's longer notes keep their first 2,000 characters, without control or
/// invisible formatting characters).
fn imported_entry(entry: &ImportEntry) -> ImportedEntry {
    let episodes = entry.episodes_watched.clamp(0, MAX_EPISODES);
    let notes = entry.notes.as_deref().and_then(|raw| {
        let cleaned: String = raw
            .chars()
            .filter(|c| !kernel::text::is_hidden_in_prose(*c))
            .take(Notes::MAX_CHARACTERS)
            .collect();
        Notes::parse(&cleaned).ok().flatten()
    });
    ImportedEntry {
        status: entry.status,
        episodes_watched: EpisodesWatched::new(episodes).unwrap_or(EpisodesWatched::ZERO),
        rating: entry.rating,
        notes,
    }
}
