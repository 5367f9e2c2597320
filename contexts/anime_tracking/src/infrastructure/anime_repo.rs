//! Loads and saves `WatchSpaceAnime` aggregates: a row of `anime_tracking.watch_space_anime`
//! with its `participant_entries`. Saving writes only what changed, each changed row guarded
//! by the version it was loaded with (optimistic concurrency, by hand: sea-orm has no
//! version column).

use anilist_sync::contracts::{AniListMediaId, MediaFormat, MediaSeason};
use anyhow::anyhow;
use identity::contracts::UserId;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, Order, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Value,
};
use time::OffsetDateTime;
use uuid::Uuid;
use watch_spaces::contracts::WatchSpaceId;

use super::entities::{participant_entries, watch_space_anime};
use crate::application::Error;
use crate::contracts::{
    AnimeSort, BoundedText, EpisodesWatched, Notes, RatingScore, StatusTotalsDto,
    WatchSpaceAnimeId, WatchStatus,
};
use crate::domain::anime::{MediaSnapshot, ParticipantEntry, WatchSpaceAnime};
use kernel::db::violated_constraint;

/// How a load locks the anime's row until the transaction ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    /// No lock: a plain read.
    None,
    /// `FOR SHARE`: members change their own entries side by side, but not while a session
    /// is being recorded.
    Shared,
    /// `FOR UPDATE`: recording a session, one at a time per anime.
    Exclusive,
}

/// A save found a row changed (or created) by someone else since it was loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stale {
    /// The shared state.
    Shared,
    /// This member's entry.
    Entry(UserId),
}

/// The anime with its entries, or `None` when the space tracks no such anime.
pub async fn load(
    db: &impl ConnectionTrait,
    space: WatchSpaceId,
    id: WatchSpaceAnimeId,
    lock: Lock,
) -> Result<Option<WatchSpaceAnime>, Error> {
    let mut query = watch_space_anime::Entity::find_by_id(id.0)
        .filter(watch_space_anime::Column::WatchSpaceId.eq(space.0));
    query = match lock {
        Lock::None => query,
        Lock::Shared => query.lock_shared(),
        Lock::Exclusive => query.lock_exclusive(),
    };
    let Some(row) = query.one(db).await? else {
        return Ok(None);
    };
    let mut entries = entries_of(db, &[row.id]).await?;
    let shared = WatchSpaceAnime::try_from(row)?;
    let own = entries.remove(&shared.id.0).unwrap_or_default();
    Ok(Some(WatchSpaceAnime::restore(shared, own)))
}

/// The anime of the space tracking `media`, if any (without entries).
pub async fn find_by_media(
    db: &impl ConnectionTrait,
    space: WatchSpaceId,
    media: AniListMediaId,
) -> Result<Option<WatchSpaceAnime>, Error> {
    watch_space_anime::Entity::find()
        .filter(watch_space_anime::Column::WatchSpaceId.eq(space.0))
        .filter(watch_space_anime::Column::AnilistMediaId.eq(media.get()))
        .one(db)
        .await?
        .map(WatchSpaceAnime::try_from)
        .transpose()
        .map_err(Error::from)
}

/// The space's anime tracking any of `media`, with their entries, locked for an update of
/// the importer's own entries (`FOR SHARE`, as other own-entry edits): two queries.
pub async fn find_many_by_media(
    db: &impl ConnectionTrait,
    space: WatchSpaceId,
    media: &[AniListMediaId],
) -> Result<Vec<WatchSpaceAnime>, Error> {
    let rows = watch_space_anime::Entity::find()
        .filter(watch_space_anime::Column::WatchSpaceId.eq(space.0))
        .filter(watch_space_anime::Column::AnilistMediaId.is_in(media.iter().map(|id| id.get())))
        .lock_shared()
        .all(db)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
    let mut entries = entries_of(db, &ids).await?;
    rows.into_iter()
        .map(|row| {
            let shared = WatchSpaceAnime::try_from(row)?;
            let own = entries.remove(&shared.id.0).unwrap_or_default();
            Ok(WatchSpaceAnime::restore(shared, own))
        })
        .collect()
}

/// Where a page of the anime list starts: after the anime with this sort key and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnimeKey {
    RecentlyUpdated(OffsetDateTime, Uuid),
    /// The displayed title, ASCII-lowercased.
    Title(String, Uuid),
    AddedDate(OffsetDateTime, Uuid),
}

/// Which part of the list to read: the whole list, or a page.
#[derive(Debug, Clone, Default)]
pub struct Window {
    /// Read at most this many; all when `None`.
    pub rows: Option<u64>,
    pub after: Option<AnimeKey>,
}

/// The displayed title (the English title when there is one), as the title order sorts it.
fn title_key() -> String {
    kernel::db::name_sort_key(r#"coalesce("preferred_title_english", "preferred_title")"#)
}

/// The space's anime whose shared status is one of `statuses` (all when empty), in `sort`
/// order (ties by id), with their entries: two queries, however many anime.
pub async fn list(
    db: &impl ConnectionTrait,
    space: WatchSpaceId,
    statuses: &[WatchStatus],
    sort: AnimeSort,
    window: Window,
) -> Result<Vec<WatchSpaceAnime>, Error> {
    let mut query = watch_space_anime::Entity::find()
        .filter(watch_space_anime::Column::WatchSpaceId.eq(space.0));
    if !statuses.is_empty() {
        query = query.filter(
            watch_space_anime::Column::SharedStatus
                .is_in(statuses.iter().map(|status| status.as_str())),
        );
    }
    query = match window.after {
        None => query,
        Some(AnimeKey::RecentlyUpdated(at, id)) => query.filter(Expr::cust_with_values(
            r#"("updated_at_utc", "id") < ($1, $2)"#,
            [Value::from(at), Value::from(id)],
        )),
        Some(AnimeKey::AddedDate(at, id)) => query.filter(Expr::cust_with_values(
            r#"("added_at_utc", "id") < ($1, $2)"#,
            [Value::from(at), Value::from(id)],
        )),
        Some(AnimeKey::Title(title, id)) => query.filter(Expr::cust_with_values(
            format!(r#"({}, "id") > ($1, $2)"#, title_key()),
            [Value::from(title), Value::from(id)],
        )),
    };
    query = match sort {
        AnimeSort::RecentlyUpdated => query
            .order_by_desc(watch_space_anime::Column::UpdatedAtUtc)
            .order_by_desc(watch_space_anime::Column::Id),
        AnimeSort::AddedDate => query
            .order_by_desc(watch_space_anime::Column::AddedAtUtc)
            .order_by_desc(watch_space_anime::Column::Id),
        AnimeSort::Title => query
            .order_by(Expr::cust(title_key()), Order::Asc)
            .order_by_asc(watch_space_anime::Column::Id),
    };
    let rows = query.limit(window.rows).all(db).await?;
    let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
    let mut entries = entries_of(db, &ids).await?;
    rows.into_iter()
        .map(|row| {
            let shared = WatchSpaceAnime::try_from(row)?;
            let own = entries.remove(&shared.id.0).unwrap_or_default();
            Ok(WatchSpaceAnime::restore(shared, own))
        })
        .collect()
}

/// The trigger that holds a space to `MAX_ANIME_PER_SPACE` (migration 19).
pub const ANIME_CAP: &str = "watch_space_anime_cap";

/// How many anime the space tracks.
pub async fn count_in_space(
    db: &impl ConnectionTrait,
    space: WatchSpaceId,
) -> Result<usize, Error> {
    let count = watch_space_anime::Entity::find()
        .filter(watch_space_anime::Column::WatchSpaceId.eq(space.0))
        .count(db)
        .await?;
    Ok(usize::try_from(count).unwrap_or(usize::MAX))
}

/// How many of the space's anime are in each shared status: one query.
pub async fn status_totals(
    db: &impl ConnectionTrait,
    space: WatchSpaceId,
) -> Result<StatusTotalsDto, Error> {
    let counts: Vec<(String, i64)> = watch_space_anime::Entity::find()
        .select_only()
        .column(watch_space_anime::Column::SharedStatus)
        .column_as(watch_space_anime::Column::Id.count(), "count")
        .filter(watch_space_anime::Column::WatchSpaceId.eq(space.0))
        .group_by(watch_space_anime::Column::SharedStatus)
        .into_tuple()
        .all(db)
        .await?;
    let mut totals = StatusTotalsDto::default();
    for (raw, count) in counts {
        let status = WatchStatus::parse(&raw)
            .ok_or_else(|| anyhow!("watch_space_anime holds an unknown status {raw:?}"))?;
        *totals.of_mut(status) =
            u32::try_from(count).map_err(|_| anyhow!("{count} anime is no count"))?;
    }
    Ok(totals)
}

/// The entries of the given anime in one query, grouped by anime.
async fn entries_of(
    db: &impl ConnectionTrait,
    anime_ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, Vec<ParticipantEntry>>, Error> {
    let mut grouped: std::collections::HashMap<Uuid, Vec<ParticipantEntry>> =
        std::collections::HashMap::new();
    if anime_ids.is_empty() {
        return Ok(grouped);
    }
    let rows = participant_entries::Entity::find()
        .filter(participant_entries::Column::WatchSpaceAnimeId.is_in(anime_ids.iter().copied()))
        .order_by_asc(participant_entries::Column::LastUpdatedAtUtc)
        .order_by_asc(participant_entries::Column::Id)
        .all(db)
        .await?;
    for row in rows {
        let anime_id = row.watch_space_anime_id;
        grouped
            .entry(anime_id)
            .or_default()
            .push(ParticipantEntry::try_from(row)?);
    }
    Ok(grouped)
}

/// Stores an anime added a moment ago (it has no entries yet).
pub async fn insert(db: &impl ConnectionTrait, anime: &WatchSpaceAnime) -> Result<(), Error> {
    let media = &anime.media;
    let row = watch_space_anime::ActiveModel {
        id: Set(anime.id.0),
        watch_space_id: Set(anime.watch_space_id.0),
        anilist_media_id: Set(media.anilist_media_id.get()),
        preferred_title: Set(media.preferred_title.clone()),
        preferred_title_english: Set(media.preferred_title_english.clone()),
        episode_count_snapshot: Set(media.episode_count),
        cover_image_url_snapshot: Set(media.cover_image_url.clone()),
        format: Set(media.format.map(|format| format.as_str().to_owned())),
        season: Set(media.season.map(|season| season.as_str().to_owned())),
        season_year: Set(media.season_year),
        shared_status: Set(anime.shared_status.as_str().to_owned()),
        shared_episodes_watched: Set(anime.shared_episodes_watched.get()),
        mood: Set(text(anime.mood.as_ref())),
        vibe: Set(text(anime.vibe.as_ref())),
        pitch: Set(text(anime.pitch.as_ref())),
        added_by_user_id: Set(anime.added_by.0),
        added_at_utc: Set(anime.added_at),
        updated_at_utc: Set(anime.updated_at),
        updated_by_user_id: Set(anime.updated_by.0),
        version: Set(anime.version),
    };
    watch_space_anime::Entity::insert(row).exec(db).await?;
    Ok(())
}

/// Writes the difference between `before` (as loaded) and `after` (as changed by the
/// domain), bumping the version of each row it changes. `Ok(Err(stale))` when a row was
/// changed or created by someone else since it was loaded: nothing of theirs is overwritten,
/// and the caller rolls back.
pub async fn save(
    db: &impl ConnectionTrait,
    before: &WatchSpaceAnime,
    after: &WatchSpaceAnime,
) -> Result<Result<(), Stale>, Error> {
    if shared_changed(before, after) {
        use watch_space_anime::Column;
        let result = watch_space_anime::Entity::update_many()
            .col_expr(
                Column::SharedStatus,
                Expr::value(after.shared_status.as_str()),
            )
            .col_expr(
                Column::SharedEpisodesWatched,
                Expr::value(after.shared_episodes_watched.get()),
            )
            .col_expr(Column::Mood, Expr::value(text(after.mood.as_ref())))
            .col_expr(Column::Vibe, Expr::value(text(after.vibe.as_ref())))
            .col_expr(Column::Pitch, Expr::value(text(after.pitch.as_ref())))
            .col_expr(Column::UpdatedAtUtc, Expr::value(after.updated_at))
            .col_expr(Column::UpdatedByUserId, Expr::value(after.updated_by.0))
            .col_expr(Column::Version, Expr::col(Column::Version).add(1))
            .filter(Column::Id.eq(after.id.0))
            .filter(Column::Version.eq(before.version))
            .exec(db)
            .await?;
        if result.rows_affected == 0 {
            return Ok(Err(Stale::Shared));
        }
    }
    for entry in after.entries() {
        let saved = match before.entry(entry.user_id) {
            None => insert_entry(db, after.id, entry).await?,
            Some(old) if old != entry => update_entry(db, old.version, entry).await?,
            Some(_) => true,
        };
        if !saved {
            return Ok(Err(Stale::Entry(entry.user_id)));
        }
    }
    Ok(Ok(()))
}

fn shared_changed(before: &WatchSpaceAnime, after: &WatchSpaceAnime) -> bool {
    before.shared_status != after.shared_status
        || before.shared_episodes_watched != after.shared_episodes_watched
        || before.mood != after.mood
        || before.vibe != after.vibe
        || before.pitch != after.pitch
        || before.updated_at != after.updated_at
        || before.updated_by != after.updated_by
}

/// Inserts a member's first entry; `false` when someone created it in the meantime.
async fn insert_entry(
    db: &impl ConnectionTrait,
    anime: WatchSpaceAnimeId,
    entry: &ParticipantEntry,
) -> Result<bool, Error> {
    let row = participant_entries::ActiveModel {
        id: Set(entry.id),
        watch_space_anime_id: Set(anime.0),
        user_id: Set(entry.user_id.0),
        individual_status: Set(entry.status.as_str().to_owned()),
        episodes_watched: Set(entry.episodes_watched.get()),
        rating_score: Set(entry.rating.map(RatingScore::value)),
        rating_notes: Set(text(entry.rating_notes.as_ref())),
        last_updated_at_utc: Set(entry.last_updated_at),
        updated_by_user_id: Set(entry.updated_by.0),
        version: Set(1),
    };
    match participant_entries::Entity::insert(row).exec(db).await {
        Ok(_) => Ok(true),
        Err(error) if violated_constraint(&error) == Some("participant_entries_anime_user_key") => {
            Ok(false)
        }
        Err(error) => Err(error.into()),
    }
}

/// Updates an entry loaded at `version`; `false` when it changed since.
async fn update_entry(
    db: &impl ConnectionTrait,
    version: i32,
    entry: &ParticipantEntry,
) -> Result<bool, Error> {
    use participant_entries::Column;
    let result = participant_entries::Entity::update_many()
        .col_expr(Column::IndividualStatus, Expr::value(entry.status.as_str()))
        .col_expr(
            Column::EpisodesWatched,
            Expr::value(entry.episodes_watched.get()),
        )
        .col_expr(
            Column::RatingScore,
            Expr::value(entry.rating.map(RatingScore::value)),
        )
        .col_expr(
            Column::RatingNotes,
            Expr::value(text(entry.rating_notes.as_ref())),
        )
        .col_expr(Column::LastUpdatedAtUtc, Expr::value(entry.last_updated_at))
        .col_expr(Column::UpdatedByUserId, Expr::value(entry.updated_by.0))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .filter(Column::Id.eq(entry.id))
        .filter(Column::Version.eq(version))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Stops tracking the anime (its entries and sessions go with it); `false` when there was
/// no such anime.
pub async fn delete(
    db: &impl ConnectionTrait,
    space: WatchSpaceId,
    id: WatchSpaceAnimeId,
) -> Result<bool, Error> {
    let result = watch_space_anime::Entity::delete_many()
        .filter(watch_space_anime::Column::Id.eq(id.0))
        .filter(watch_space_anime::Column::WatchSpaceId.eq(space.0))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Takes AniList's latest metadata over into every space tracking the anime, in one
/// statement, and returns those spaces in id order. Touches neither the versions nor
/// `updated_at`: nobody edited anything.
pub async fn refresh_media(
    db: &impl ConnectionTrait,
    media: &MediaSnapshot,
) -> Result<Vec<WatchSpaceId>, Error> {
    use watch_space_anime::Column;
    let updated = watch_space_anime::Entity::update_many()
        .col_expr(
            Column::PreferredTitle,
            Expr::value(media.preferred_title.clone()),
        )
        .col_expr(
            Column::PreferredTitleEnglish,
            Expr::value(media.preferred_title_english.clone()),
        )
        .col_expr(
            Column::EpisodeCountSnapshot,
            Expr::value(media.episode_count),
        )
        .col_expr(
            Column::CoverImageUrlSnapshot,
            Expr::value(media.cover_image_url.clone()),
        )
        .col_expr(
            Column::Format,
            Expr::value(media.format.map(|format| format.as_str())),
        )
        .col_expr(
            Column::Season,
            Expr::value(media.season.map(|season| season.as_str())),
        )
        .col_expr(Column::SeasonYear, Expr::value(media.season_year))
        .filter(Column::AnilistMediaId.eq(media.anilist_media_id.get()))
        .exec_with_returning(db)
        .await?;
    let mut spaces: Vec<WatchSpaceId> = updated
        .into_iter()
        .map(|row| WatchSpaceId(row.watch_space_id))
        .collect();
    spaces.sort_unstable();
    spaces.dedup();
    Ok(spaces)
}

fn text<const MAX: usize>(value: Option<&BoundedText<MAX>>) -> Option<String> {
    value.map(|text| text.as_str().to_owned())
}

fn parse_text<const MAX: usize>(
    table: &str,
    id: Uuid,
    column: &str,
    raw: Option<String>,
) -> Result<Option<BoundedText<MAX>>, anyhow::Error> {
    raw.map_or(Ok(None), |raw| {
        BoundedText::parse(&raw)
            .map_err(|error| anyhow!("{table} row {id} has an invalid {column}: {error}"))
    })
}

fn parse_status(table: &str, id: Uuid, raw: &str) -> Result<WatchStatus, anyhow::Error> {
    WatchStatus::parse(raw).ok_or_else(|| anyhow!("{table} row {id} has an unknown status {raw:?}"))
}

fn parse_progress(table: &str, id: Uuid, raw: i32) -> Result<EpisodesWatched, anyhow::Error> {
    EpisodesWatched::new(raw)
        .map_err(|error| anyhow!("{table} row {id} has an invalid progress {raw}: {error}"))
}

impl TryFrom<watch_space_anime::Model> for WatchSpaceAnime {
    type Error = anyhow::Error;

    fn try_from(row: watch_space_anime::Model) -> Result<Self, Self::Error> {
        const TABLE: &str = "watch_space_anime";
        let id = row.id;
        let anilist_media_id = AniListMediaId::new(i64::from(row.anilist_media_id))
            .map_err(|error| anyhow!("{TABLE} row {id} has an invalid AniList id: {error}"))?;
        let format = row
            .format
            .as_deref()
            .map(|raw| {
                MediaFormat::parse(raw)
                    .ok_or_else(|| anyhow!("{TABLE} row {id} has an unknown format {raw:?}"))
            })
            .transpose()?;
        let season = row
            .season
            .as_deref()
            .map(|raw| {
                MediaSeason::parse(raw)
                    .ok_or_else(|| anyhow!("{TABLE} row {id} has an unknown season {raw:?}"))
            })
            .transpose()?;
        let mut anime = Self::add(
            WatchSpaceId(row.watch_space_id),
            MediaSnapshot {
                anilist_media_id,
                preferred_title: row.preferred_title,
                preferred_title_english: row.preferred_title_english,
                episode_count: row.episode_count_snapshot,
                cover_image_url: row.cover_image_url_snapshot,
                format,
                season,
                season_year: row.season_year,
            },
            parse_status(TABLE, id, &row.shared_status)?,
            UserId(row.added_by_user_id),
            row.added_at_utc,
        );
        anime.id = WatchSpaceAnimeId(id);
        anime.shared_episodes_watched = parse_progress(TABLE, id, row.shared_episodes_watched)?;
        anime.mood = parse_text(TABLE, id, "mood", row.mood)?;
        anime.vibe = parse_text(TABLE, id, "vibe", row.vibe)?;
        anime.pitch = parse_text(TABLE, id, "pitch", row.pitch)?;
        anime.updated_at = row.updated_at_utc;
        anime.updated_by = UserId(row.updated_by_user_id);
        anime.version = row.version;
        Ok(anime)
    }
}

impl TryFrom<participant_entries::Model> for ParticipantEntry {
    type Error = anyhow::Error;

    fn try_from(row: participant_entries::Model) -> Result<Self, Self::Error> {
        const TABLE: &str = "participant_entries";
        let id = row.id;
        let rating = row
            .rating_score
            .map(|raw| {
                RatingScore::new(raw).map_err(|error| {
                    anyhow!("{TABLE} row {id} has an invalid rating {raw}: {error}")
                })
            })
            .transpose()?;
        let rating_notes: Option<Notes> = parse_text(TABLE, id, "rating_notes", row.rating_notes)?;
        Ok(Self {
            id,
            user_id: UserId(row.user_id),
            status: parse_status(TABLE, id, &row.individual_status)?,
            episodes_watched: parse_progress(TABLE, id, row.episodes_watched)?,
            rating,
            rating_notes,
            last_updated_at: row.last_updated_at_utc,
            updated_by: UserId(row.updated_by_user_id),
            version: row.version,
        })
    }
}
