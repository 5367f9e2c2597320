//! AnimeTracking's use cases behind one facade, `AnimeTracking`, one file per use case.
//! Every use case first asks WatchSpaces whether the actor is a member (non-members learn
//! nothing, cause no write and no AniList call), parses its input into domain types, runs the
//! rule on the aggregate and saves what changed, guarded by versions (optimistic
//! concurrency), bumping the space's revision in the same transaction. Internal failures become `AnimeTrackingError::Internal` (logged here with
//! their cause, never shown to clients). Depends on the domain, the infrastructure and the
//! Identity and WatchSpaces facades; AniList metadata comes through the `MediaCatalog` port.

mod add_anime;
mod delete_session;
mod export_space;
mod get_anime;
mod import_entries;
mod import_target;
mod list_anime;
mod list_sessions;
mod list_space_sessions;
mod rate_anime;
mod record_session;
mod remove_anime;
mod sync_media_snapshot;
mod update_anime;
mod update_participant_progress;
mod update_session;

pub use export_space::space_export_csv;

use std::collections::HashMap;
use std::sync::Arc;

use anilist_sync::contracts::{AniListError, AniListMediaId, AskedBy, MediaDto};
use identity::contracts::{IdentityError, UserId};
use identity::Identity;
use kernel::{Clock, EventSink, FieldErrors};
use sea_orm::{DatabaseConnection, DatabaseTransaction, DbErr, TransactionTrait};
use watch_spaces::contracts::{MemberDto, Role, WatchSpaceId, WatchSpacesError};
use watch_spaces::WatchSpaces;

use crate::contracts::{
    AnimeTrackingError, AttendeeDto, BoundedText, ParticipantEntriesChanged,
    ParticipantEntryChange, ParticipantEntryDto, TrackingChanged, WatchSessionDto, WatchSessionId,
    WatchSpaceAnimeDto, WatchSpaceAnimeId, WatchStatus,
};
use crate::domain::anime::{ParticipantEntry, WatchSpaceAnime};
use crate::domain::session::WatchSession;
use crate::infrastructure::anime_repo::{self, Lock, Stale};
use crate::infrastructure::sessions_repo;

/// Where AnimeTracking gets an anime's AniList metadata when it is added.
#[async_trait::async_trait]
pub trait MediaCatalog: Send + Sync {
    async fn media(&self, asked_by: AskedBy, id: AniListMediaId) -> Result<MediaDto, AniListError>;
}

/// The AnimeTracking facade: anime tracked in spaces, members' progress and ratings, watch
/// sessions.
#[derive(Clone)]
pub struct AnimeTracking {
    db: DatabaseConnection,
    identity: Identity,
    watch_spaces: WatchSpaces,
    catalog: Arc<dyn MediaCatalog>,
    clock: Arc<dyn Clock>,
    changes: Arc<dyn EventSink<TrackingChanged>>,
    entry_changes: Arc<dyn EventSink<ParticipantEntriesChanged>>,
}

impl std::fmt::Debug for AnimeTracking {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnimeTracking")
            .field("clock", &self.clock)
            .finish_non_exhaustive()
    }
}

/// Shown for someone whose account can no longer be found.
const UNKNOWN_DISPLAY_NAME: &str = "A former member";

/// How the person who made a newer change is named to themselves (another tab).
const YOU: &str = "you";

/// Which version an edit was based on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expected {
    /// The shared state's version.
    Shared(i32),
    /// The actor's own entry's version (0 before their first change).
    OwnEntry(i32),
    /// An edit that does not depend on what the editor saw.
    Nothing,
}

impl AnimeTracking {
    /// Builds the facade on the shared pool, Identity's facade (display names), WatchSpaces'
    /// facade (membership), the AniList catalog, the clock and where changes (of the spaces'
    /// tracking, and of members' own entries) are published.
    pub fn new(
        db: DatabaseConnection,
        identity: Identity,
        watch_spaces: WatchSpaces,
        catalog: Arc<dyn MediaCatalog>,
        clock: Arc<dyn Clock>,
        changes: Arc<dyn EventSink<TrackingChanged>>,
        entry_changes: Arc<dyn EventSink<ParticipantEntriesChanged>>,
    ) -> Self {
        Self {
            db,
            identity,
            watch_spaces,
            catalog,
            clock,
            changes,
            entry_changes,
        }
    }

    /// Publishes what a save changed on members' own entries (status, progress, rating;
    /// notes are nobody else's business), when it changed any: called in the save's
    /// transaction, before `publish_changes`.
    async fn publish_entry_changes(
        &self,
        transaction: &DatabaseTransaction,
        before: &WatchSpaceAnime,
        after: &WatchSpaceAnime,
    ) -> Result<(), Error> {
        let changes: Vec<ParticipantEntryChange> = after
            .entries()
            .iter()
            .filter_map(|entry| {
                // An entry saved for the first time changed only what differs from "not
                // started" (a first rating must not push a status nobody chose).
                let (status, episodes, rating) = before
                    .entry(entry.user_id)
                    .map_or((WatchStatus::Backlog, 0, None), |old| {
                        (old.status, old.episodes_watched.get(), old.rating)
                    });
                let change = ParticipantEntryChange {
                    user: entry.user_id,
                    watch_space_anime_id: after.id,
                    anilist_media_id: after.media.anilist_media_id,
                    status: (entry.status != status).then_some(entry.status),
                    episodes_watched: (entry.episodes_watched.get() != episodes)
                        .then_some(entry.episodes_watched.get()),
                    rating: (entry.rating != rating).then_some(entry.rating),
                };
                (change.status.is_some()
                    || change.episodes_watched.is_some()
                    || change.rating.is_some())
                .then_some(change)
            })
            .collect();
        if !changes.is_empty() {
            let event = ParticipantEntriesChanged { changes };
            self.entry_changes.publish(transaction, &event).await?;
        }
        Ok(())
    }

    /// Publishes that these spaces' tracking changed: the last step of every write's
    /// transaction (see `kernel::EventSink`). `spaces` must be in id order, without repeats.
    async fn publish_changes(
        &self,
        transaction: &DatabaseTransaction,
        spaces: Vec<WatchSpaceId>,
    ) -> Result<(), Error> {
        if !spaces.is_empty() {
            let event = TrackingChanged { spaces };
            self.changes.publish(transaction, &event).await?;
        }
        Ok(())
    }

    /// `actor`'s role in the space; `SpaceNotFound` for non-members.
    async fn role(&self, actor: UserId, space: WatchSpaceId) -> Result<Role, Error> {
        self.watch_spaces
            .member_role(actor, space)
            .await
            .map_err(spaces_failure)
    }

    /// The space's current members, in the space's order; `SpaceNotFound` for non-members
    /// (the membership check of every use case that shows members).
    async fn members(&self, actor: UserId, space: WatchSpaceId) -> Result<Vec<MemberDto>, Error> {
        self.watch_spaces
            .members(actor, space)
            .await
            .map_err(spaces_failure)
    }

    /// The anime with its entries; `AnimeNotFound` when the space does not track it.
    async fn anime(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        space: WatchSpaceId,
        id: WatchSpaceAnimeId,
        lock: Lock,
    ) -> Result<WatchSpaceAnime, Error> {
        anime_repo::load(db, space, id, lock)
            .await?
            .ok_or_else(|| AnimeTrackingError::AnimeNotFound.into())
    }

    /// The session of the space's anime; `AnimeNotFound` or `SessionNotFound`.
    async fn session(
        &self,
        space: WatchSpaceId,
        anime: WatchSpaceAnimeId,
        id: WatchSessionId,
    ) -> Result<WatchSession, Error> {
        self.anime(&self.db, space, anime, Lock::None).await?;
        sessions_repo::find(&self.db, anime, id)
            .await?
            .ok_or_else(|| AnimeTrackingError::SessionNotFound.into())
    }

    /// Runs `change` on the anime inside one transaction and saves what it changed. The edit
    /// must be based on the `expected` version; when someone else changed the row since,
    /// nothing is written and the answer names them.
    async fn change_anime(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        id: WatchSpaceAnimeId,
        expected: Expected,
        change: impl FnOnce(&mut WatchSpaceAnime) -> Result<(), Error>,
    ) -> Result<WatchSpaceAnimeDto, Error> {
        let members = self.members(actor, space).await?;
        let lock = match expected {
            Expected::Shared(_) => Lock::None,
            Expected::OwnEntry(_) | Expected::Nothing => Lock::Shared,
        };
        let transaction = self.db.begin().await?;
        let mut anime = self.anime(&transaction, space, id, lock).await?;
        match expected {
            Expected::Shared(version) if version != anime.version => {
                return Err(self.stale_edit(actor, &members, anime.updated_by).await);
            }
            Expected::OwnEntry(version) if version != anime.entry_version(actor) => {
                return Err(match anime.entry(actor) {
                    Some(entry) => self.stale_edit(actor, &members, entry.updated_by).await,
                    None => AnimeTrackingError::field(
                        "version",
                        "You have not saved anything for this anime yet, so the version is 0. \
                         Reload and try again.",
                    )
                    .into(),
                });
            }
            _ => {}
        }
        let before = anime.clone();
        change(&mut anime)?;
        if anime != before {
            if let Err(stale) = anime_repo::save(&transaction, &before, &anime).await? {
                transaction.rollback().await?;
                return Err(self.explain_stale(actor, space, id, &members, stale).await);
            }
            self.publish_entry_changes(&transaction, &before, &anime)
                .await?;
            self.publish_changes(&transaction, vec![space]).await?;
            transaction.commit().await?;
        }
        let anime = self.anime(&self.db, space, id, Lock::None).await?;
        self.anime_dto(&members, &anime).await
    }

    /// Why a save found newer data: the anime is gone, or someone changed it.
    async fn explain_stale(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        id: WatchSpaceAnimeId,
        members: &[MemberDto],
        stale: Stale,
    ) -> Error {
        let current = match anime_repo::load(&self.db, space, id, Lock::None).await {
            Ok(Some(current)) => current,
            Ok(None) => return AnimeTrackingError::AnimeNotFound.into(),
            Err(error) => return error,
        };
        let changed_by = match stale {
            Stale::Shared => current.updated_by,
            Stale::Entry(user) => current
                .entry(user)
                .map_or(current.updated_by, |entry| entry.updated_by),
        };
        self.stale_edit(actor, members, changed_by).await
    }

    /// `StaleEdit` naming who made the newer change ("you" for the actor in another tab).
    async fn stale_edit(&self, actor: UserId, members: &[MemberDto], changed_by: UserId) -> Error {
        if changed_by == actor {
            return AnimeTrackingError::StaleEdit {
                changed_by: YOU.to_owned(),
            }
            .into();
        }
        match self.names(members, [changed_by]).await {
            Ok(names) => AnimeTrackingError::StaleEdit {
                changed_by: names.of(changed_by),
            }
            .into(),
            Err(error) => error,
        }
    }

    /// Display names of the members and of `others` (former members, looked up in one call
    /// to Identity when there are any).
    async fn names(
        &self,
        members: &[MemberDto],
        others: impl IntoIterator<Item = UserId>,
    ) -> Result<Names, Error> {
        let mut names: HashMap<UserId, String> = members
            .iter()
            .map(|member| (member.user_id, member.display_name.clone()))
            .collect();
        let mut missing: Vec<UserId> = others
            .into_iter()
            .filter(|user| !names.contains_key(user))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        if !missing.is_empty() {
            let users = self
                .identity
                .find_users(&missing)
                .await
                .map_err(identity_failure("looking up display names"))?;
            names.extend(users.into_iter().map(|user| (user.id, user.display_name)));
        }
        Ok(Names(names))
    }

    async fn anime_dto(
        &self,
        members: &[MemberDto],
        anime: &WatchSpaceAnime,
    ) -> Result<WatchSpaceAnimeDto, Error> {
        let names = self
            .names(members, former_members(members, [anime]))
            .await?;
        Ok(anime_dto(anime, members, &names))
    }

    async fn session_dtos(
        &self,
        members: &[MemberDto],
        sessions: &[WatchSession],
    ) -> Result<Vec<WatchSessionDto>, Error> {
        let people = sessions.iter().flat_map(|session| {
            std::iter::once(session.created_by).chain(session.attendees.iter().copied())
        });
        let names = self.names(members, people).await?;
        Ok(sessions
            .iter()
            .map(|session| session_dto(session, members, &names))
            .collect())
    }
}

/// Display names by user id.
struct Names(HashMap<UserId, String>);

impl Names {
    fn of(&self, user: UserId) -> String {
        self.0
            .get(&user)
            .cloned()
            .unwrap_or_else(|| UNKNOWN_DISPLAY_NAME.to_owned())
    }
}

/// People with entries in `anime` who are no longer members.
fn former_members<'a>(
    members: &'a [MemberDto],
    anime: impl IntoIterator<Item = &'a WatchSpaceAnime> + 'a,
) -> impl Iterator<Item = UserId> + 'a {
    anime
        .into_iter()
        .flat_map(WatchSpaceAnime::entries)
        .map(|entry| entry.user_id)
        .filter(|user| !members.iter().any(|member| member.user_id == *user))
}

fn anime_dto(anime: &WatchSpaceAnime, members: &[MemberDto], names: &Names) -> WatchSpaceAnimeDto {
    let current = members.iter().map(|member| {
        entry_dto(
            member.user_id,
            member.display_name.clone(),
            true,
            anime.entry(member.user_id),
        )
    });
    let former = anime
        .entries()
        .iter()
        .filter(|entry| !members.iter().any(|member| member.user_id == entry.user_id))
        .map(|entry| entry_dto(entry.user_id, names.of(entry.user_id), false, Some(entry)));
    let media = &anime.media;
    WatchSpaceAnimeDto {
        id: anime.id,
        watch_space_id: anime.watch_space_id,
        anilist_media_id: media.anilist_media_id,
        preferred_title: media.preferred_title.clone(),
        preferred_title_english: media.preferred_title_english.clone(),
        episode_count_snapshot: media.episode_count,
        cover_image_url_snapshot: media.cover_image_url.clone(),
        format: media.format,
        season: media.season,
        season_year: media.season_year,
        shared_status: anime.shared_status,
        shared_episodes_watched: anime.shared_episodes_watched.get(),
        mood: text(anime.mood.as_ref()),
        vibe: text(anime.vibe.as_ref()),
        pitch: text(anime.pitch.as_ref()),
        added_by_user_id: anime.added_by,
        added_at_utc: anime.added_at,
        updated_at_utc: anime.updated_at,
        version: anime.version,
        needs_attention: anime.needs_attention(),
        participants: current.chain(former).collect(),
    }
}

fn entry_dto(
    user_id: UserId,
    display_name: String,
    current_member: bool,
    entry: Option<&ParticipantEntry>,
) -> ParticipantEntryDto {
    match entry {
        Some(entry) => ParticipantEntryDto {
            user_id,
            display_name,
            current_member,
            individual_status: entry.status,
            episodes_watched: entry.episodes_watched.get(),
            rating_score: entry.rating,
            rating_notes: text(entry.rating_notes.as_ref()),
            last_updated_at_utc: Some(entry.last_updated_at),
            version: entry.version,
        },
        None => ParticipantEntryDto {
            user_id,
            display_name,
            current_member,
            individual_status: WatchStatus::Backlog,
            episodes_watched: 0,
            rating_score: None,
            rating_notes: None,
            last_updated_at_utc: None,
            version: 0,
        },
    }
}

fn session_dto(session: &WatchSession, members: &[MemberDto], names: &Names) -> WatchSessionDto {
    let mut attendees = session.attendees.clone();
    attendees.sort_by_key(|user| {
        (
            members
                .iter()
                .position(|member| member.user_id == *user)
                .unwrap_or(usize::MAX),
            *user,
        )
    });
    WatchSessionDto {
        id: session.id,
        watch_space_anime_id: session.anime_id,
        session_date_utc: session.session_date,
        start_episode: session.episodes.start().get(),
        end_episode: session.episodes.end().get(),
        notes: text(session.notes.as_ref()),
        created_by_user_id: session.created_by,
        created_by_display_name: names.of(session.created_by),
        created_at_utc: session.created_at,
        attendees: attendees
            .into_iter()
            .map(|user_id| AttendeeDto {
                user_id,
                display_name: names.of(user_id),
            })
            .collect(),
    }
}

fn text<const MAX: usize>(value: Option<&BoundedText<MAX>>) -> Option<String> {
    value.map(|text| text.as_str().to_owned())
}

/// Parses a text edit: absent leaves the text, `null` or blank clears it.
fn text_edit<const MAX: usize>(
    errors: &mut FieldErrors,
    field: &str,
    raw: Option<Option<String>>,
) -> Option<Option<BoundedText<MAX>>> {
    match raw {
        None => None,
        Some(None) => Some(None),
        Some(Some(raw)) => errors.collect(field, BoundedText::parse(&raw)),
    }
}

/// `Validation` with every collected message, unless there are none.
fn refuse_invalid(errors: FieldErrors) -> Result<(), Error> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AnimeTrackingError::Validation(errors).into())
    }
}

/// What can go wrong inside AnimeTracking, with enough context for the logs.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error(transparent)]
    Public(#[from] AnimeTrackingError),
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl Error {
    pub(crate) fn into_public(self) -> AnimeTrackingError {
        match self {
            Self::Public(error) => error,
            Self::Db(error) if kernel::db::is_unreachable(&error) => {
                tracing::warn!(%error, "PostgreSQL unreachable");
                AnimeTrackingError::DatabaseUnavailable
            }
            internal => {
                tracing::error!(error = ?internal, "anime_tracking internal error");
                AnimeTrackingError::Internal
            }
        }
    }
}

/// WatchSpaces is asked only "is this user a member": anything but "no" is internal.
fn spaces_failure(error: WatchSpacesError) -> Error {
    match error {
        WatchSpacesError::SpaceNotFound => AnimeTrackingError::SpaceNotFound.into(),
        other => Error::Internal(anyhow::Error::new(other).context("asking WatchSpaces")),
    }
}

fn identity_failure(context: &'static str) -> impl FnOnce(IdentityError) -> Error {
    move |error| Error::Internal(anyhow::Error::new(error).context(context))
}
