//! Bringing a member's own list into a space: from AniList (anyone's public list by user name,
//! or their own through their link) or a MyAnimeList export file. A preview reads the list
//! and says what an import would do, writing nothing. An import is a background job: the
//! list is read (each chunk's media filling the media cache, so no title costs a call of its
//! own) and kept item by item, then brought into the space a chunk at a time through the
//! space's `ImportTarget` (AnimeTracking, wired by the server), each chunk in one
//! transaction there; a job survives reloads, crashes and restarts and carries on where it
//! stopped, since bringing a chunk twice changes nothing.

use std::collections::HashMap;

use identity::contracts::{ExternalProvider, IdentityError, UserId};
use uuid::Uuid;
use watch_spaces::contracts::WatchSpaceId;

use super::link_account::identity_failure;
use super::{AniListSync, Error};
use crate::contracts::{
    AniListError, AniListMediaId, AppliedCounts, ImportJobDto, ImportOptions, ImportPreviewDto,
    ImportSource, ImportState, ListTitle, MediaDto, SpaceLists, UnmatchedTitleDto,
};
use crate::domain::import_plan::{self, ReadTitle};
use crate::domain::mal_xml;
use crate::infrastructure::anilist_api::{FetchError, MAL_IDS_PER_PAGE};
use crate::infrastructure::anilist_client::{ListOwner, Pace};
use crate::infrastructure::import_jobs_repo::{self, ImportItem, ImportJob, StoredSource};
use crate::infrastructure::{media_cache_repo, sync_accounts_repo};

/// How long a worker holds a job before another may take it up (renewed every chunk).
const LEASE: time::Duration = time::Duration::minutes(2);
/// Titles brought into the space per transaction.
const CHUNK: u64 = 50;
/// AniList keeps at most 11,000 entries a list: 23 chunks of 500, with room to spare.
const MAX_LIST_CHUNKS: u32 = 30;
/// Attempts at reading a list (AniList down, rate limiting) before the job gives up.
const MAX_FETCH_ATTEMPTS: u32 = 6;

/// Where an import's titles go: the space (AnimeTracking, through the server's adapter).
#[async_trait::async_trait]
pub trait ImportTarget: Send + Sync {
    /// The space's members and titles with their own entries, as `actor` (a member) sees
    /// them.
    ///
    /// # Errors
    /// `SpaceNotFound` for non-members; `Internal`.
    async fn space_lists(
        &self,
        actor: UserId,
        space: WatchSpaceId,
    ) -> Result<SpaceLists, AniListError>;

    /// Brings up to 100 of `actor`'s titles into the space in one transaction.
    ///
    /// # Errors
    /// `SpaceNotFound` for non-members; `Internal` (the chunk is tried again).
    async fn apply(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        titles: Vec<ListTitle>,
        overwrite: bool,
    ) -> Result<AppliedCounts, AniListError>;
}

/// A list as read, before the options pick from it.
struct ReadList {
    label: String,
    titles: Vec<ReadTitle>,
    unmatched: Vec<UnmatchedTitleDto>,
}

impl AniListSync {
    /// What importing the list into the space would do; nothing is written (AniList's media
    /// do fill the media cache).
    ///
    /// # Errors
    /// `SpaceNotFound` for non-members; `ListNotFound` for an unknown or private user name;
    /// `NotLinked` for the member's own AniList without a link; `LinkExpired`;
    /// `UnreadableFile` for a MyAnimeList file BloomWatch cannot read (or none);
    /// `RateLimited`/`Unavailable` when AniList cannot answer; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space))]
    pub async fn preview_import(
        &self,
        target: &dyn ImportTarget,
        actor: UserId,
        space: WatchSpaceId,
        source: &ImportSource,
        file: Option<&[u8]>,
        options: &ImportOptions,
    ) -> Result<ImportPreviewDto, AniListError> {
        async {
            let lists = target.space_lists(actor, space).await?;
            let list = self
                .read_list(actor, source, file, Pace::Interactive)
                .await?;
            let titles = import_plan::selected(&list.titles, options);
            Ok(import_plan::preview(
                list.label,
                &titles,
                list.unmatched,
                &lists,
                actor,
                options,
            ))
        }
        .await
        .map_err(Error::into_public)
    }

    /// Starts importing the list into the space, as a background job (see `import_job` for
    /// where it stands). A MyAnimeList file is read now, so a broken one is refused at once.
    ///
    /// # Errors
    /// As [`Self::preview_import`], without AniList's (the job reads AniList itself).
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space))]
    pub async fn start_import(
        &self,
        target: &dyn ImportTarget,
        actor: UserId,
        space: WatchSpaceId,
        source: &ImportSource,
        file: Option<&[u8]>,
        options: ImportOptions,
    ) -> Result<ImportJobDto, AniListError> {
        async {
            target.space_lists(actor, space).await?;
            let now = self.inner.clock.now();
            let (source, items) = match source {
                ImportSource::AniList { user_name } => {
                    let user_name = match user_name.as_deref().map(str::trim) {
                        Some(name) => Some(anilist_user_name(name)?),
                        None => {
                            self.linked_owner(actor).await?;
                            None
                        }
                    };
                    (StoredSource::AniList { user_name }, Vec::new())
                }
                ImportSource::MyAnimeList => {
                    let list = mal_file(file)?;
                    let items = list
                        .entries
                        .iter()
                        .filter(|entry| {
                            options.statuses.is_empty()
                                || options.statuses.contains(&entry.anilist_status())
                        })
                        .zip(0..)
                        .map(|(entry, position)| ImportItem {
                            position,
                            media: None,
                            mal_id: Some(entry.mal_id),
                            title: entry.title.clone(),
                            status: entry.anilist_status(),
                            progress: entry.watched_episodes,
                            score_raw: Some(entry.score_raw()),
                            notes: entry.comments.clone(),
                        })
                        .collect();
                    (
                        StoredSource::MyAnimeList {
                            user_name: list.user_name.filter(|name| !name.trim().is_empty()),
                        },
                        items,
                    )
                }
            };
            let job = ImportJob {
                id: Uuid::new_v4(),
                space,
                user: actor,
                source,
                options,
                state: ImportState::Queued,
                total: u32::try_from(items.len()).unwrap_or(u32::MAX),
                processed: 0,
                added: 0,
                changed: 0,
                unchanged: 0,
                error: None,
                attempts: 0,
                created_at: now,
                finished_at: None,
            };
            let transaction = sea_orm::TransactionTrait::begin(&self.inner.db).await?;
            import_jobs_repo::insert(&transaction, &job).await?;
            import_jobs_repo::insert_items(&transaction, job.id, &items).await?;
            transaction.commit().await?;
            self.inner.wake_worker.notify_one();
            tracing::info!(import_id = %job.id, "import queued");
            self.job_dto(job).await
        }
        .await
        .map_err(Error::into_public)
    }

    /// Where the member's import stands.
    ///
    /// # Errors
    /// `ImportNotFound` (also for someone else's); `Internal`.
    pub async fn import_job(
        &self,
        actor: UserId,
        space: WatchSpaceId,
        id: Uuid,
    ) -> Result<ImportJobDto, AniListError> {
        async {
            let job = import_jobs_repo::find(&self.inner.db, id, actor, space)
                .await?
                .ok_or(AniListError::ImportNotFound)?;
            self.job_dto(job).await
        }
        .await
        .map_err(Error::into_public)
    }

    /// The member's newest import into the space, if any.
    ///
    /// # Errors
    /// `Internal`.
    pub async fn latest_import(
        &self,
        actor: UserId,
        space: WatchSpaceId,
    ) -> Result<Option<ImportJobDto>, AniListError> {
        async {
            match import_jobs_repo::latest(&self.inner.db, actor, space).await? {
                Some(job) => Ok(Some(self.job_dto(job).await?)),
                None => Ok(None),
            }
        }
        .await
        .map_err(Error::into_public)
    }

    /// Takes up one running import (a new one, or one whose worker stopped) and carries it
    /// as far as it goes; whether there was one. Safe in several instances at once.
    ///
    /// # Errors
    /// `Internal` when the database fails.
    pub async fn process_next_import(
        &self,
        target: &dyn ImportTarget,
    ) -> Result<bool, AniListError> {
        async {
            let now = self.inner.clock.now();
            let Some(job) = import_jobs_repo::claim(&self.inner.db, now, LEASE).await? else {
                return Ok(false);
            };
            let import_id = job.id;
            if let Err(error) = self.carry(target, job).await {
                tracing::error!(%import_id, error = ?error, "import stopped; it is taken up again after its lease");
            }
            Ok(true)
        }
        .await
        .map_err(Error::into_public)
    }

    /// Reads, matches and brings in what is left of `job`.
    async fn carry(&self, target: &dyn ImportTarget, mut job: ImportJob) -> Result<(), Error> {
        if matches!(job.state, ImportState::Queued | ImportState::Fetching) {
            job.state = ImportState::Fetching;
            self.renew(&job).await?;
            let fetched = match &job.source {
                StoredSource::AniList { user_name } => {
                    self.fetch_anilist(&job, user_name.as_deref()).await
                }
                StoredSource::MyAnimeList { .. } => self.match_mal_ids(&job).await,
            };
            match fetched {
                Ok(total) => {
                    job.total = total;
                    job.state = ImportState::Applying;
                    job.error = None;
                    self.renew(&job).await?;
                }
                Err(error) => return self.fetch_failed(job, error).await,
            }
        }
        loop {
            let items = import_jobs_repo::items_to_do(&self.inner.db, job.id, true, CHUNK).await?;
            if items.is_empty() {
                break;
            }
            let positions: Vec<i32> = items.iter().map(|item| item.position).collect();
            let ids: Vec<AniListMediaId> = items.iter().filter_map(|item| item.media).collect();
            let media: HashMap<AniListMediaId, MediaDto> =
                media_cache_repo::find_many(&self.inner.db, &ids)
                    .await?
                    .into_iter()
                    .map(|media| (media.anilist_media_id, media))
                    .collect();
            let titles: Vec<ListTitle> = items
                .into_iter()
                .filter_map(|item| {
                    let media = media.get(&item.media?)?.clone();
                    let read = ReadTitle {
                        media: media.anilist_media_id,
                        status: item.status,
                        progress: item.progress,
                        score_raw: item.score_raw.unwrap_or(crate::contracts::ScoreRaw::NONE),
                        notes: item.notes,
                    };
                    Some(ListTitle {
                        score_raw: import_plan::brought_score(&read, &job.options),
                        notes: import_plan::brought_notes(&read, &job.options),
                        media,
                        status: read.status,
                        progress: read.progress,
                    })
                })
                .collect();
            let counted = u32::try_from(positions.len()).unwrap_or(u32::MAX);
            let applied = match target
                .apply(job.user, job.space, titles, job.options.overwrite)
                .await
            {
                Ok(applied) => applied,
                Err(AniListError::SpaceNotFound) => {
                    job.state = ImportState::Failed;
                    job.error = Some(
                        "You are no longer a member of this space, so the import stopped."
                            .to_owned(),
                    );
                    return self.finish(&job).await;
                }
                Err(error) => return Err(Error::Public(error)),
            };
            job.processed = (job.processed + counted).min(job.total);
            job.added += applied.added;
            job.changed += applied.changed;
            job.unchanged += applied.unchanged;
            let transaction = sea_orm::TransactionTrait::begin(&self.inner.db).await?;
            import_jobs_repo::mark_done(&transaction, job.id, &positions).await?;
            import_jobs_repo::update(
                &transaction,
                &job,
                Some(self.inner.clock.now() + LEASE),
                self.inner.clock.now(),
            )
            .await?;
            transaction.commit().await?;
        }
        job.state = ImportState::Done;
        job.processed = job.total;
        self.finish(&job).await?;
        tracing::info!(import_id = %job.id, added = job.added, changed = job.changed, "import done");
        Ok(())
    }

    /// Reads the AniList list into the job's items; the number of titles the options bring.
    async fn fetch_anilist(&self, job: &ImportJob, user_name: Option<&str>) -> Result<u32, Error> {
        let source = ImportSource::AniList {
            user_name: user_name.map(str::to_owned),
        };
        let list = self
            .read_list(job.user, &source, None, Pace::Background)
            .await?;
        let items: Vec<ImportItem> = import_plan::selected(&list.titles, &job.options)
            .into_iter()
            .zip(0..)
            .map(|(title, position)| ImportItem {
                position,
                media: Some(title.media),
                mal_id: None,
                title: None,
                status: title.status,
                progress: title.progress,
                score_raw: Some(title.score_raw),
                notes: title.notes.clone(),
            })
            .collect();
        import_jobs_repo::insert_items(&self.inner.db, job.id, &items).await?;
        Ok(u32::try_from(items.len()).unwrap_or(u32::MAX))
    }

    /// Finds the AniList anime of the job's MyAnimeList ids, 50 per call; those without a
    /// match are kept as unmatched. The number of titles to bring.
    async fn match_mal_ids(&self, job: &ImportJob) -> Result<u32, Error> {
        loop {
            let batch = import_jobs_repo::items_to_do(
                &self.inner.db,
                job.id,
                false,
                u64::try_from(MAL_IDS_PER_PAGE).unwrap_or(50),
            )
            .await?;
            if batch.is_empty() {
                break;
            }
            let wanted: Vec<i32> = batch.iter().filter_map(|item| item.mal_id).collect();
            let now = self.inner.clock.now();
            let (media, _) = self
                .inner
                .client
                .media_by_mal_ids(&wanted, 1, Pace::Background, now)
                .await?;
            self.remember(&media).await?;
            let found: Vec<(i32, AniListMediaId)> = media
                .iter()
                .filter_map(|media| Some((media.id_mal?, media.anilist_media_id)))
                .filter(|(mal, _)| wanted.contains(mal))
                .collect();
            let unmatched: Vec<i32> = wanted
                .iter()
                .copied()
                .filter(|mal| !found.iter().any(|(found, _)| found == mal))
                .collect();
            import_jobs_repo::match_mal_ids(&self.inner.db, job.id, &found, &unmatched).await?;
        }
        import_jobs_repo::count_matched(&self.inner.db, job.id).await
    }

    /// A list that could not be read: AniList's passing failures are tried again later (the
    /// lease keeps the job from being taken up at once), refusals end the job.
    async fn fetch_failed(&self, mut job: ImportJob, error: Error) -> Result<(), Error> {
        let now = self.inner.clock.now();
        let passing = error.upstream().is_some_and(|failure| {
            !matches!(failure, FetchError::NotFound | FetchError::Unauthorized)
        });
        if passing && job.attempts < MAX_FETCH_ATTEMPTS {
            let wait = error
                .upstream()
                .and_then(FetchError::retry_after)
                .and_then(|wait| time::Duration::try_from(wait).ok())
                .unwrap_or(time::Duration::seconds(30 * i64::from(job.attempts.max(1))));
            job.error = Some("AniList could not be reached; trying again shortly.".to_owned());
            import_jobs_repo::update(&self.inner.db, &job, Some(now + wait), now).await?;
            return Ok(());
        }
        job.state = ImportState::Failed;
        job.error = Some(error.into_public().to_string());
        self.finish(&job).await
    }

    async fn renew(&self, job: &ImportJob) -> Result<(), Error> {
        let now = self.inner.clock.now();
        import_jobs_repo::update(&self.inner.db, job, Some(now + LEASE), now).await
    }

    async fn finish(&self, job: &ImportJob) -> Result<(), Error> {
        import_jobs_repo::update(&self.inner.db, job, None, self.inner.clock.now()).await
    }

    /// Reads the whole list: AniList's chunks of 500 (each media into the cache), or a
    /// MyAnimeList file matched to AniList 50 ids a call.
    async fn read_list(
        &self,
        actor: UserId,
        source: &ImportSource,
        file: Option<&[u8]>,
        pace: Pace,
    ) -> Result<ReadList, Error> {
        match source {
            ImportSource::AniList { user_name } => {
                let (owner, token, label) = match user_name.as_deref().map(str::trim) {
                    Some(name) => {
                        let name = anilist_user_name(name)?;
                        let label = format!("AniList: {name}");
                        (ListOwner::Name(name), None, label)
                    }
                    None => {
                        let (id, token) = self.linked_owner(actor).await?;
                        (
                            ListOwner::Id(i64::from(id)),
                            Some(token),
                            "AniList: your account".to_owned(),
                        )
                    }
                };
                let mut titles = Vec::new();
                for chunk in 1..=MAX_LIST_CHUNKS {
                    let now = self.inner.clock.now();
                    let read = self
                        .inner
                        .client
                        .list_chunk(&owner, chunk, token.as_ref(), pace, now)
                        .await
                        .map_err(|failure| match (failure, &owner) {
                            (FetchError::NotFound, ListOwner::Name(name)) => {
                                Error::Public(AniListError::ListNotFound {
                                    user_name: name.clone(),
                                })
                            }
                            (FetchError::Unauthorized, _) => {
                                Error::Public(AniListError::LinkExpired)
                            }
                            (failure, _) => Error::Upstream(failure),
                        })?;
                    let media: Vec<MediaDto> = read
                        .entries
                        .iter()
                        .map(|entry| entry.media.clone())
                        .collect();
                    self.remember(&media).await?;
                    titles.extend(read.entries.into_iter().map(|entry| ReadTitle {
                        media: entry.media.anilist_media_id,
                        status: entry.status,
                        progress: entry.progress,
                        score_raw: entry.score_raw,
                        notes: entry.notes,
                    }));
                    if !read.has_next_chunk {
                        break;
                    }
                }
                Ok(ReadList {
                    label,
                    titles,
                    unmatched: Vec::new(),
                })
            }
            ImportSource::MyAnimeList => {
                let list = mal_file(file)?;
                let label = match list.user_name.as_deref().map(str::trim) {
                    Some(name) if !name.is_empty() => format!("MyAnimeList: {name}"),
                    _ => "MyAnimeList file".to_owned(),
                };
                let mut by_mal: HashMap<i32, AniListMediaId> = HashMap::new();
                let ids: Vec<i32> = list.entries.iter().map(|entry| entry.mal_id).collect();
                for batch in ids.chunks(MAL_IDS_PER_PAGE) {
                    let now = self.inner.clock.now();
                    let (media, _) = self
                        .inner
                        .client
                        .media_by_mal_ids(batch, 1, pace, now)
                        .await?;
                    self.remember(&media).await?;
                    by_mal.extend(
                        media
                            .iter()
                            .filter_map(|media| Some((media.id_mal?, media.anilist_media_id))),
                    );
                }
                let mut titles = Vec::new();
                let mut unmatched = Vec::new();
                for entry in list.entries {
                    match by_mal.get(&entry.mal_id) {
                        Some(media) => titles.push(ReadTitle {
                            media: *media,
                            status: entry.anilist_status(),
                            progress: entry.watched_episodes,
                            score_raw: entry.score_raw(),
                            notes: entry.comments,
                        }),
                        None => unmatched.push(UnmatchedTitleDto {
                            mal_id: entry.mal_id,
                            title: entry.title,
                        }),
                    }
                }
                Ok(ReadList {
                    label,
                    titles,
                    unmatched,
                })
            }
        }
    }

    /// The member's AniList user id and token, for reading their own list.
    async fn linked_owner(&self, actor: UserId) -> Result<(i32, secrecy::SecretString), Error> {
        let account = sync_accounts_repo::find(&self.inner.db, actor)
            .await?
            .ok_or(AniListError::NotLinked)?;
        let token = self
            .inner
            .identity
            .external_access_token(actor, ExternalProvider::AniList)
            .await
            .map_err(|error| match error {
                IdentityError::ExternalAccountNotLinked { .. } => {
                    Error::Public(AniListError::NotLinked)
                }
                IdentityError::ExternalLinkExpired { .. } => {
                    Error::Public(AniListError::LinkExpired)
                }
                other => identity_failure(other),
            })?;
        Ok((account.anilist_user_id, token))
    }

    async fn job_dto(&self, job: ImportJob) -> Result<ImportJobDto, Error> {
        let unmatched = match job.source {
            StoredSource::MyAnimeList { .. } => {
                import_jobs_repo::unmatched(&self.inner.db, job.id).await?
            }
            StoredSource::AniList { .. } => Vec::new(),
        };
        let source_label = match &job.source {
            StoredSource::AniList {
                user_name: Some(name),
            } => format!("AniList: {name}"),
            StoredSource::AniList { user_name: None } => "AniList: your account".to_owned(),
            StoredSource::MyAnimeList {
                user_name: Some(name),
            } => format!("MyAnimeList: {name}"),
            StoredSource::MyAnimeList { user_name: None } => "MyAnimeList file".to_owned(),
        };
        Ok(ImportJobDto {
            id: job.id,
            watch_space_id: job.space,
            source_label,
            state: job.state,
            total: job.total,
            processed: job.processed,
            added: job.added,
            changed: job.changed,
            unchanged: job.unchanged,
            unmatched,
            error: job.error,
            created_at_utc: job.created_at,
            finished_at_utc: job.finished_at,
        })
    }
}

/// An AniList user name as typed: 2 to 20 letters, digits or `_` (AniList's own rule).
fn anilist_user_name(raw: &str) -> Result<String, Error> {
    let name = raw.trim();
    let valid = (2..=20).contains(&name.chars().count())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        Ok(name.to_owned())
    } else {
        Err(AniListError::field(
            "userName",
            "An AniList user name is 2 to 20 letters, digits or underscores.",
        )
        .into())
    }
}

/// The uploaded MyAnimeList file, read.
fn mal_file(file: Option<&[u8]>) -> Result<mal_xml::MalList, Error> {
    let file = file.ok_or_else(|| {
        AniListError::UnreadableFile(
            "Choose your MyAnimeList export file (.xml or .xml.gz).".to_owned(),
        )
    })?;
    mal_xml::parse(file).map_err(|error| AniListError::UnreadableFile(error.to_string()).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anilist_user_names_follow_anilists_rule() {
        assert_eq!(anilist_user_name(" mika_2 ").unwrap(), "mika_2");
        for bad in ["a", "has space", "ünï", &"x".repeat(21), "../etc"] {
            assert!(anilist_user_name(bad).is_err(), "{bad}");
        }
    }
}
