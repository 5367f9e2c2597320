use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, PoisonError};

use anilist_sync::contracts::AniListMediaId;
use anime_tracking::contracts::{WatchSpaceAnimeDto, WatchSpaceAnimeId, WatchStatus};
use anyhow::anyhow;
use bytes::Bytes;
use identity::contracts::UserId;
use time::{Date, OffsetDateTime, UtcOffset};
use watch_spaces::contracts::{WatchSpaceId, WatchSpacesError};

use super::compatibility::compatibility_of;
use super::rating_gaps::rating_gaps_of;
use super::shared_stats::shared_stats_of;
use super::{Analytics, Error};
use crate::contracts::{AnalyticsError, DashboardDto, RecentSessionDto};
use crate::infrastructure::dashboard_snapshots_repo::{
    self, Current, MetadataMoved, NamesMoved, NewSnapshot, SnapshotId,
};
use crate::infrastructure::generations_repo;

/// How many shows the dashboard lists as currently watching, and as backlog highlights.
const SHOWS_LISTED: usize = 6;
/// How many recent sessions the dashboard lists.
const RECENT_SESSIONS: usize = 5;
/// How many spaces' dashboard payloads a server keeps in memory (a space of 500 shows makes
/// about 20 kB).
const PAYLOADS_HELD: usize = 512;

/// A dashboard as served: either a stored snapshot's JSON, untouched, or freshly computed.
/// The JSON is shared, never copied, on its way to the response.
enum Served {
    Stored(Bytes),
    Computed {
        dashboard: Box<DashboardDto>,
        json: Bytes,
    },
}

/// The dashboard payloads this server served last, by space, under their snapshot ids. An id
/// names one payload for good, and every read checks which snapshot is current, so a payload
/// held here is only served while it is still the stored one: this saves carrying the
/// payload from PostgreSQL on every read, never a check.
#[derive(Default)]
pub(crate) struct HeldPayloads(Mutex<HashMap<WatchSpaceId, (SnapshotId, Bytes)>>);

impl HeldPayloads {
    fn get(&self, space: WatchSpaceId) -> Option<(SnapshotId, Bytes)> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&space)
            .cloned()
    }

    fn hold(&self, space: WatchSpaceId, id: SnapshotId, payload: Bytes) {
        let mut held = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if held.len() >= PAYLOADS_HELD && !held.contains_key(&space) {
            // Any one goes: a space whose payload is dropped reads it from PostgreSQL again.
            if let Some(evicted) = held.keys().next().copied() {
                held.remove(&evicted);
            }
        }
        held.insert(space, (id, payload));
    }
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
            Ok(Served::Stored(json)) => serde_json::from_slice(&json).map_err(|error| {
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
    /// Served from the space's snapshot while it is current, in one statement on Analytics'
    /// own tables; otherwise computed from one read of the space's anime, one of its
    /// sessions, one of its members and one of AniList's cached metadata, and stored as the
    /// new snapshot. Either way the number of SQL statements does not grow with the space.
    /// No random pick here.
    ///
    /// A snapshot is current when it was computed for today (UTC: sessions per month and
    /// the weekly streak move with the date) at the space's current generation, which every
    /// AnimeTracking write in the space and every change of its members or roles moves
    /// inside the write's own transaction (`application::subscriber`). It is served only to
    /// the members it was computed for: a membership change moves the generation, so they
    /// still are members. Display names and AniList's genres and episode lengths change
    /// outside the space: each moves a generation shared by all spaces, and after one has
    /// moved a snapshot is checked once against Identity (the names it shows) or AniListSync
    /// (its media changed since). The generations are read before the computation, so a
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
    ) -> Result<Bytes, AnalyticsError> {
        match self.serve_dashboard(actor, space).await {
            Ok(Served::Stored(json) | Served::Computed { json, .. }) => Ok(json),
            Err(error) => Err(error.into_public()),
        }
    }

    async fn serve_dashboard(&self, actor: UserId, space: WatchSpaceId) -> Result<Served, Error> {
        // One instant for the day checked and the computation.
        let now = self.clock.now();
        let today = now.to_offset(UtcOffset::UTC).date();
        let held = self.held.get(space);
        let held_id = held.as_ref().map(|(id, _)| *id);
        let current =
            dashboard_snapshots_repo::find_current(&self.db, space, actor, today, held_id).await?;
        if let Some(current) = current {
            if self.still_holds(&current).await? {
                let payload = match (current.payload, held) {
                    (Some(payload), _) => {
                        let payload = Bytes::from(payload);
                        self.held.hold(space, current.id, payload.clone());
                        payload
                    }
                    (None, Some((_, payload))) => payload,
                    (None, None) => {
                        return Err(anyhow!("a snapshot came back without its payload").into())
                    }
                };
                return Ok(Served::Stored(payload));
            }
        }
        self.compute_and_store(actor, space, now, today).await
    }

    /// Whether a current snapshot still holds after display names or AniList metadata
    /// changed somewhere: none of its media changed since it was computed, and everyone it
    /// names is still called what it shows. Confirmed, the next read need not ask again.
    async fn still_holds(&self, current: &Current) -> Result<bool, Error> {
        let (media_unchanged, names_unchanged) = tokio::try_join!(
            self.media_unchanged(current.metadata_moved.as_ref()),
            self.names_unchanged(current.names_moved.as_ref()),
        )?;
        if !(media_unchanged && names_unchanged) {
            return Ok(false);
        }
        let metadata_now = current.metadata_moved.as_ref().map(|moved| moved.now);
        let names_now = current.names_moved.as_ref().map(|moved| moved.now);
        if metadata_now.is_some() || names_now.is_some() {
            dashboard_snapshots_repo::confirm(&self.db, current.id, metadata_now, names_now)
                .await?;
        }
        Ok(true)
    }

    async fn media_unchanged(&self, moved: Option<&MetadataMoved>) -> Result<bool, Error> {
        let Some(moved) = moved else {
            return Ok(true);
        };
        let changed = self
            .anilist
            .metadata_changed_since(&moved.media, moved.since)
            .await
            .map_err(|error| {
                Error::Internal(anyhow::Error::new(error).context("checking cached AniList media"))
            })?;
        Ok(!changed)
    }

    async fn names_unchanged(&self, moved: Option<&NamesMoved>) -> Result<bool, Error> {
        let Some(moved) = moved else {
            return Ok(true);
        };
        let ids: Vec<UserId> = moved.people_named.keys().copied().collect();
        let users = self.identity.find_users(&ids).await.map_err(|error| {
            Error::Internal(anyhow::Error::new(error).context("looking up the people named"))
        })?;
        Ok(moved.people_named.iter().all(|(id, shown)| {
            users
                .iter()
                .any(|user| user.id == *id && user.display_name == *shown)
        }))
    }

    /// Computes the dashboard as of `now` (whose UTC date is `today`), stores it as the
    /// space's snapshot and holds its payload.
    async fn compute_and_store(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        now: OffsetDateTime,
        today: Date,
    ) -> Result<Served, Error> {
        let (generations, metadata_generation) = tokio::join!(
            generations_repo::read(&self.db, space),
            self.anilist.metadata_generation(),
        );
        let generations = generations?;
        let metadata_generation = metadata_generation.map_err(|error| {
            Error::Internal(anyhow::Error::new(error).context("reading the metadata generation"))
        })?;
        let (member_ids, (dashboard, anilist_media_ids)) = tokio::try_join!(
            self.member_ids(actor, space),
            self.compute_dashboard(actor, space, now),
        )?;
        let json = serde_json::to_string(&dashboard)
            .map_err(|error| anyhow::Error::new(error).context("serializing the dashboard"))?;
        let people_named = people_named(&dashboard);
        let snapshot = NewSnapshot {
            payload: &json,
            generations,
            metadata_generation,
            computed_on: today,
            member_ids,
            people_named: &people_named,
            anilist_media_ids: &anilist_media_ids,
            computed_at: now,
        };
        let saved = dashboard_snapshots_repo::save(&self.db, space, &snapshot).await?;
        let json = Bytes::from(json);
        if let Some(id) = saved {
            self.held.hold(space, id, json.clone());
        }
        Ok(Served::Computed {
            dashboard: Box::new(dashboard),
            json,
        })
    }

    /// Who is in the space now (two WatchSpaces queries, which check membership).
    async fn member_ids(&self, actor: UserId, space: WatchSpaceId) -> Result<Vec<UserId>, Error> {
        let members =
            self.watch_spaces
                .members(actor, space)
                .await
                .map_err(|error| match error {
                    WatchSpacesError::SpaceNotFound => AnalyticsError::SpaceNotFound.into(),
                    other => {
                        Error::Internal(anyhow::Error::new(other).context("listing the members"))
                    }
                })?;
        Ok(members.into_iter().map(|member| member.user_id).collect())
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

/// Everyone `dashboard` shows by name, with the name it shows.
fn people_named(dashboard: &DashboardDto) -> BTreeMap<UserId, String> {
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
        .map(|(user, name)| (user, name.to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {

    use uuid::Uuid;

    use super::*;

    fn space(n: u128) -> WatchSpaceId {
        WatchSpaceId(Uuid::from_u128(n))
    }

    #[test]
    fn held_payloads_keep_the_latest_per_space_and_stay_bounded() {
        let held = HeldPayloads::default();
        held.hold(space(0), SnapshotId(1), Bytes::from_static(b"first"));
        held.hold(space(0), SnapshotId(2), Bytes::from_static(b"second"));
        let (id, payload) = held.get(space(0)).unwrap();
        assert_eq!((id, &payload[..]), (SnapshotId(2), &b"second"[..]));

        let last = u128::try_from(PAYLOADS_HELD).unwrap();
        for n in 1..=last {
            held.hold(space(n), SnapshotId(10), Bytes::from_static(b"more"));
        }
        let kept = (0..=last).filter(|n| held.get(space(*n)).is_some()).count();
        assert_eq!(kept, PAYLOADS_HELD);
        assert!(held.get(space(last)).is_some(), "the newest is always kept");
    }
}
