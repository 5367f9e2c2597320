use std::collections::{BTreeMap, HashMap};

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
use crate::infrastructure::dashboard_snapshots_repo;

/// How many shows the dashboard lists as currently watching, and as backlog highlights.
const SHOWS_LISTED: usize = 6;
/// How many recent sessions the dashboard lists.
const RECENT_SESSIONS: usize = 5;
/// Part of every snapshot's fingerprint: raise it whenever `DashboardDto` or the way it is
/// computed changes, so no snapshot stored by an older build is ever served.
const SNAPSHOT_FORMAT: u32 = 1;

impl Analytics {
    /// The dashboard: the shared stats, compatibility, what the space is watching, backlog
    /// highlights, rating gap highlights and the latest sessions. Served from the space's
    /// snapshot while the snapshot's fingerprint still matches; otherwise computed from one
    /// read of the space's anime, one of its sessions and one of AniList's cached metadata,
    /// and stored as the new snapshot. Either way the number of SQL statements does not grow
    /// with the space. No random pick here.
    ///
    /// The fingerprint covers everything the dashboard is computed from: AnimeTracking's
    /// revision of the space (bumped in the transaction of every AnimeTracking write,
    /// including `sync_media_snapshot`), the members (ids, names, roles, order) and the former
    /// members the space names, a digest of AniList's cached metadata for the tracked shows
    /// (genres and episode lengths come from AniListSync's cache, which a media refresh can
    /// change without any AnimeTracking write), the UTC date (sessions per month, the weekly
    /// streak) and [`SNAPSHOT_FORMAT`]. Everything is read before the computation, so a write
    /// landing in between can only make the stored fingerprint older than its payload, never
    /// newer: the next read then recomputes.
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space))]
    pub async fn dashboard(
        &self,
        actor: UserId,
        space: WatchSpaceId,
    ) -> Result<DashboardDto, AnalyticsError> {
        self.dashboard_inner(actor, space)
            .await
            .map_err(Error::into_public)
    }

    async fn dashboard_inner(
        &self,
        actor: UserId,
        space: WatchSpaceId,
    ) -> Result<DashboardDto, Error> {
        // One instant for the fingerprint's date and the computation.
        let now = self.clock.now();
        let revision = self
            .anime_tracking
            .space_revision(actor, space)
            .await
            .map_err(tracking_failure("reading the space's revision"))?;
        let media_digest = self
            .anilist
            .genres_and_lengths_digest(&revision.anilist_media_ids)
            .await
            .map_err(|error| {
                Error::Internal(anyhow::Error::new(error).context("digesting cached AniList media"))
            })?;
        let fingerprint = fingerprint(space, &revision, &media_digest, now);
        if let Some(payload) = dashboard_snapshots_repo::find(&self.db, space, &fingerprint).await?
        {
            match serde_json::from_value::<DashboardDto>(payload) {
                Ok(dashboard) if self.names_are_current(&dashboard, &revision).await? => {
                    return Ok(dashboard);
                }
                // A former member it names was renamed (or removed) since: recompute.
                Ok(_) => {}
                // Only a format change without a new `SNAPSHOT_FORMAT` gets here: recompute.
                Err(error) => tracing::warn!(%error, "unreadable dashboard snapshot"),
            }
        }
        let dashboard = self.compute_dashboard(actor, space, now).await?;
        let payload = serde_json::to_value(&dashboard)
            .map_err(|error| anyhow::Error::new(error).context("serializing the dashboard"))?;
        dashboard_snapshots_repo::save(&self.db, space, fingerprint, payload, now).await?;
        Ok(dashboard)
    }

    /// Whether everyone `dashboard` names who is not a member any more (members' names are in
    /// the fingerprint) is still called what it says. Former members appear only after
    /// someone left, so usually this asks Identity nothing.
    async fn names_are_current(
        &self,
        dashboard: &DashboardDto,
        revision: &SpaceRevisionDto,
    ) -> Result<bool, Error> {
        let former: BTreeMap<UserId, &str> = people_named(dashboard)
            .into_iter()
            .filter(|(user, _)| {
                !revision
                    .members
                    .iter()
                    .any(|member| member.user_id == *user)
            })
            .collect();
        if former.is_empty() {
            return Ok(true);
        }
        let ids: Vec<UserId> = former.keys().copied().collect();
        let users = self.identity.find_users(&ids).await.map_err(|error| {
            Error::Internal(anyhow::Error::new(error).context("looking up former members"))
        })?;
        Ok(former.iter().all(|(id, shown)| {
            users
                .iter()
                .any(|user| user.id == *id && user.display_name == *shown)
        }))
    }

    /// The dashboard as of now, from the space's anime, sessions and cached media.
    async fn compute_dashboard(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        now: OffsetDateTime,
    ) -> Result<DashboardDto, Error> {
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

        Ok(DashboardDto {
            watch_space_id: space,
            stats,
            compatibility: compatibility_of(space, &anime),
            currently_watching,
            backlog_highlights,
            rating_gap_highlights: gaps.biggest_gaps,
            most_aligned: gaps.most_aligned,
            recent_sessions,
        })
    }
}

/// A hex SHA-256 of everything the dashboard is computed from (see `Analytics::dashboard`),
/// the same in every process: the parts are serialized as one JSON array (no maps, so no
/// ordering left to chance) and hashed.
fn fingerprint(
    space: WatchSpaceId,
    revision: &SpaceRevisionDto,
    media_digest: &str,
    now: OffsetDateTime,
) -> String {
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
        revision.anilist_media_ids,
        media_digest,
        today.to_string(),
    ]);
    const HEX: &[u8; 16] = b"0123456789abcdef";
    Sha256::digest(parts.to_string().as_bytes())
        .iter()
        .flat_map(|byte| [byte >> 4, byte & 0x0f])
        .map(|nibble| char::from(HEX[usize::from(nibble)]))
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
