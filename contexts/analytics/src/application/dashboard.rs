use std::collections::{BTreeMap, HashMap};

use anilist_sync::contracts::AniListMediaId;
use anime_tracking::contracts::{
    SpaceRevisionDto, WatchSpaceAnimeDto, WatchSpaceAnimeId, WatchStatus,
};
use identity::contracts::UserId;
use sha2::{Digest, Sha256};
use time::{Date, OffsetDateTime, UtcOffset};
use watch_spaces::contracts::WatchSpaceId;

use super::compatibility::compatibility_of;
use super::rating_gaps::rating_gaps_of;
use super::shared_stats::shared_stats_of;
use super::{tracking_failure, Analytics, Error};
use crate::contracts::{AnalyticsError, DashboardDto, RecentSessionDto};
use crate::infrastructure::dashboard_snapshots_repo::{self, Snapshot};

/// How many shows the dashboard lists as currently watching, and as backlog highlights.
const SHOWS_LISTED: usize = 6;
/// How many recent sessions the dashboard lists.
const RECENT_SESSIONS: usize = 5;
/// Part of every snapshot's fingerprint: raise it whenever `DashboardDto` or the way it is
/// computed changes, so no snapshot stored by an older build is ever served.
const SNAPSHOT_FORMAT: u32 = 2;

/// A dashboard as served: either the stored snapshot's JSON, untouched, or freshly computed.
enum Served {
    Stored(String),
    Computed {
        dashboard: Box<DashboardDto>,
        json: String,
    },
}

impl Analytics {
    /// The dashboard: the shared stats, compatibility, what the space is watching, backlog
    /// highlights, rating gap highlights and the latest sessions. See [`Self::dashboard_json`].
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space))]
    pub async fn dashboard(
        &self,
        actor: UserId,
        space: WatchSpaceId,
    ) -> Result<DashboardDto, AnalyticsError> {
        let served = match self.serve_dashboard(actor, space).await {
            Ok(Served::Stored(json)) => serde_json::from_str(&json).map_err(|error| {
                Error::Internal(anyhow::Error::new(error).context("reading a dashboard snapshot"))
            }),
            Ok(Served::Computed { dashboard, .. }) => Ok(*dashboard),
            Err(error) => Err(error),
        };
        served.map_err(Error::into_public)
    }

    /// The dashboard as `DashboardDto` JSON, for clients that pass it on as it is: a stored
    /// snapshot is served without being decoded or encoded again.
    ///
    /// Served from the space's snapshot while it is current; otherwise computed from one read
    /// of the space's anime, one of its sessions and one of AniList's cached metadata, and
    /// stored as the new snapshot. Either way the number of SQL statements does not grow with
    /// the space. No random pick here.
    ///
    /// A snapshot is current when its fingerprint matches and none of its AniList media
    /// changed since. The fingerprint covers AnimeTracking's revision of the space (bumped in
    /// the transaction of every AnimeTracking write, including `sync_media_snapshot`), the
    /// members (ids, names, roles, order), the UTC date (sessions per month, the weekly
    /// streak) and [`SNAPSHOT_FORMAT`]. Genres and episode lengths come from AniListSync's
    /// cache, which a refresh can change without any AnimeTracking write: the snapshot keeps
    /// the media it used and AniListSync's metadata generation read before computing, and a
    /// media changed since carries a higher one. Former members' names (Identity's) are
    /// checked when the snapshot names any. Everything is read before the computation, so a
    /// write landing in between can only make the stored snapshot look older than it is,
    /// never newer: the next read then recomputes.
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space))]
    pub async fn dashboard_json(
        &self,
        actor: UserId,
        space: WatchSpaceId,
    ) -> Result<String, AnalyticsError> {
        match self.serve_dashboard(actor, space).await {
            Ok(Served::Stored(json) | Served::Computed { json, .. }) => Ok(json),
            Err(error) => Err(error.into_public()),
        }
    }

    async fn serve_dashboard(&self, actor: UserId, space: WatchSpaceId) -> Result<Served, Error> {
        // One instant for the fingerprint's date and the computation.
        let now = self.clock.now();
        // The snapshot is read alongside the membership check, and only served after it.
        let (revision, stored) = tokio::join!(
            self.anime_tracking.space_revision(actor, space),
            dashboard_snapshots_repo::find(&self.db, space),
        );
        let revision = revision.map_err(tracking_failure("reading the space's revision"))?;
        let fingerprint = fingerprint(space, &revision, now);
        if let Some(stored) = stored? {
            if stored.fingerprint == fingerprint && self.is_current(&stored).await? {
                return Ok(Served::Stored(stored.payload));
            }
        }

        let generation = self.anilist.metadata_generation().await.map_err(|error| {
            Error::Internal(anyhow::Error::new(error).context("reading the metadata generation"))
        })?;
        let (dashboard, anilist_media_ids) = self.compute_dashboard(actor, space, now).await?;
        let json = serde_json::to_string(&dashboard)
            .map_err(|error| anyhow::Error::new(error).context("serializing the dashboard"))?;
        let snapshot = Snapshot {
            fingerprint,
            payload: json,
            anilist_media_ids,
            metadata_generation: generation,
            former_members_named: former_members_named(&dashboard, &revision),
        };
        dashboard_snapshots_repo::save(&self.db, space, &snapshot, now).await?;
        Ok(Served::Computed {
            dashboard: Box::new(dashboard),
            json: snapshot.payload,
        })
    }

    /// Whether a snapshot with the right fingerprint still holds: no AniList media it used
    /// changed since, and the former members it names are still called what it shows (these
    /// appear only after someone left, so usually Identity is not asked).
    async fn is_current(&self, stored: &Snapshot) -> Result<bool, Error> {
        let changed = self
            .anilist
            .metadata_changed_since(&stored.anilist_media_ids, stored.metadata_generation)
            .await
            .map_err(|error| {
                Error::Internal(anyhow::Error::new(error).context("checking cached AniList media"))
            })?;
        if changed {
            return Ok(false);
        }
        if stored.former_members_named.is_empty() {
            return Ok(true);
        }
        let ids: Vec<UserId> = stored
            .former_members_named
            .iter()
            .map(|(id, _)| *id)
            .collect();
        let users = self.identity.find_users(&ids).await.map_err(|error| {
            Error::Internal(anyhow::Error::new(error).context("looking up former members"))
        })?;
        Ok(stored.former_members_named.iter().all(|(id, shown)| {
            users
                .iter()
                .any(|user| user.id == *id && user.display_name == *shown)
        }))
    }

    /// The dashboard as of now, from the space's anime, sessions and cached media, with the
    /// AniList media it was computed from.
    async fn compute_dashboard(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        now: OffsetDateTime,
    ) -> Result<(DashboardDto, Vec<AniListMediaId>), Error> {
        let (anime, sessions) = self.anime_and_sessions(actor, space).await?;
        let media = self.cached_media(&anime).await?;
        let stats = shared_stats_of(&anime, &sessions, &media, now);
        let gaps = rating_gaps_of(space, &anime);

        // `anime` comes most recently updated first.
        let currently_watching: Vec<WatchSpaceAnimeDto> = anime
            .iter()
            .filter(|anime| anime.shared_status == WatchStatus::Watching)
            .take(SHOWS_LISTED)
            .cloned()
            .collect();
        let mut backlog: Vec<&WatchSpaceAnimeDto> = anime
            .iter()
            .filter(|anime| anime.shared_status == WatchStatus::Backlog)
            .collect();
        backlog.sort_by(|a, b| b.added_at_utc.cmp(&a.added_at_utc).then(a.id.cmp(&b.id)));
        let backlog_highlights = backlog.into_iter().take(SHOWS_LISTED).cloned().collect();

        let by_id: HashMap<WatchSpaceAnimeId, &WatchSpaceAnimeDto> =
            anime.iter().map(|anime| (anime.id, anime)).collect();
        let recent_sessions = sessions
            .into_iter()
            .filter_map(|session| {
                let anime = by_id.get(&session.watch_space_anime_id)?;
                Some(RecentSessionDto {
                    watch_space_anime_id: anime.id,
                    title: anime.display_title().to_owned(),
                    cover_image_url: anime.cover_image_url_snapshot.clone(),
                    session,
                })
            })
            .take(RECENT_SESSIONS)
            .collect();

        let dashboard = DashboardDto {
            watch_space_id: space,
            stats,
            compatibility: compatibility_of(space, &anime),
            currently_watching,
            backlog_highlights,
            rating_gap_highlights: gaps.biggest_gaps,
            most_aligned: gaps.most_aligned,
            recent_sessions,
        };
        let media = anime.iter().map(|anime| anime.anilist_media_id).collect();
        Ok((dashboard, media))
    }
}

/// A hex SHA-256 of everything the dashboard is computed from (see `Analytics::dashboard`),
/// the same in every process: the parts are serialized as one JSON array (no maps, so no
/// ordering left to chance) and hashed.
fn fingerprint(space: WatchSpaceId, revision: &SpaceRevisionDto, now: OffsetDateTime) -> String {
    let today: Date = now.to_offset(UtcOffset::UTC).date();
    let members: Vec<_> = revision
        .members
        .iter()
        .map(|member| (member.user_id, &member.display_name, member.role.as_str()))
        .collect();
    let parts = serde_json::json!([
        SNAPSHOT_FORMAT,
        space,
        revision.revision,
        members,
        today.to_string(),
    ]);
    const HEX: &[u8; 16] = b"0123456789abcdef";
    Sha256::digest(parts.to_string().as_bytes())
        .iter()
        .flat_map(|byte| [byte >> 4, byte & 0x0f])
        .map(|nibble| char::from(HEX[usize::from(nibble)]))
        .collect()
}

/// The people `dashboard` shows by name who are not among the revision's members, with the
/// names it shows (the members' names are in the fingerprint).
fn former_members_named(
    dashboard: &DashboardDto,
    revision: &SpaceRevisionDto,
) -> Vec<(UserId, String)> {
    people_named(dashboard)
        .into_iter()
        .filter(|(user, _)| {
            !revision
                .members
                .iter()
                .any(|member| member.user_id == *user)
        })
        .map(|(user, name)| (user, name.to_owned()))
        .collect()
}

/// Everyone `dashboard` shows by name, with the name it shows.
fn people_named(dashboard: &DashboardDto) -> BTreeMap<UserId, &str> {
    let entries = dashboard
        .currently_watching
        .iter()
        .chain(&dashboard.backlog_highlights)
        .flat_map(|anime| &anime.participants)
        .map(|entry| (entry.user_id, entry.display_name.as_str()));
    let sessions = dashboard.recent_sessions.iter().flat_map(|recent| {
        let session = &recent.session;
        std::iter::once((
            session.created_by_user_id,
            session.created_by_display_name.as_str(),
        ))
        .chain(
            session
                .attendees
                .iter()
                .map(|attendee| (attendee.user_id, attendee.display_name.as_str())),
        )
    });
    let ratings = dashboard
        .rating_gap_highlights
        .iter()
        .chain(&dashboard.most_aligned)
        .flat_map(|gap| &gap.ratings)
        .map(|rating| (rating.member.user_id, rating.member.display_name.as_str()));
    let pairs = dashboard
        .compatibility
        .pairs
        .iter()
        .flat_map(|pair| [&pair.member_a, &pair.member_b])
        .map(|member| (member.user_id, member.display_name.as_str()));
    entries
        .chain(sessions)
        .chain(ratings)
        .chain(pairs)
        .collect()
}
