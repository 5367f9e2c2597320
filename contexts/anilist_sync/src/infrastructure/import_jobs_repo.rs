//! `anilist_sync.import_jobs` and `import_items`: imports of members' lists as background
//! jobs. A worker claims a running job under a lease (so a crashed worker's job is taken up
//! again once its lease runs out) and renews it as it goes; the list is kept item by item,
//! each marked done once its chunk is in the space.

use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::application::Error;
use crate::contracts::{
    AniListMediaId, ImportOptions, ImportState, MediaListStatus, ScoreRaw, UnmatchedTitleDto,
};
use identity::contracts::UserId;
use watch_spaces::contracts::WatchSpaceId;

fn statement(sql: &str, values: impl IntoIterator<Item = Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
}

/// Where a job's list comes from, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredSource {
    /// By user name, or (without one) the member's linked account.
    AniList {
        user_name: Option<String>,
    },
    MyAnimeList {
        user_name: Option<String>,
    },
}

/// An import job as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportJob {
    pub id: Uuid,
    pub space: WatchSpaceId,
    pub user: UserId,
    pub source: StoredSource,
    pub options: ImportOptions,
    pub state: ImportState,
    pub total: u32,
    pub processed: u32,
    pub added: u32,
    pub changed: u32,
    pub unchanged: u32,
    pub error: Option<String>,
    pub attempts: u32,
    pub created_at: OffsetDateTime,
    pub finished_at: Option<OffsetDateTime>,
}

/// One title of a job's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportItem {
    pub position: i32,
    pub media: Option<AniListMediaId>,
    pub mal_id: Option<i32>,
    pub title: Option<String>,
    pub status: MediaListStatus,
    pub progress: i32,
    pub score_raw: Option<ScoreRaw>,
    pub notes: Option<String>,
}

const JOB_COLUMNS: &str =
    "id, watch_space_id, user_id, source, source_user_name, options_jsonb, state, \
     total, processed, added, changed, unchanged, error, attempts, created_at_utc, finished_at_utc";

pub async fn insert(db: &impl ConnectionTrait, job: &ImportJob) -> Result<(), Error> {
    let (source, user_name) = match &job.source {
        StoredSource::AniList { user_name } => ("anilist", user_name.clone()),
        StoredSource::MyAnimeList { user_name } => ("myanimelist", user_name.clone()),
    };
    db.execute_raw(statement(
        "INSERT INTO anilist_sync.import_jobs (id, watch_space_id, user_id, source, source_user_name, \
                options_jsonb, state, total, created_at_utc, updated_at_utc) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
        [
            Value::from(job.id),
            Value::from(job.space.0),
            Value::from(job.user.0),
            Value::from(source),
            Value::from(user_name),
            Value::from(serde_json::to_value(&job.options).map_err(anyhow::Error::from)?),
            Value::from(job.state.as_str()),
            Value::from(i32::try_from(job.total).unwrap_or(i32::MAX)),
            Value::from(job.created_at),
        ],
    ))
    .await?;
    Ok(())
}

/// Stores a list's titles, in one statement (an item stored already stays as it is).
pub async fn insert_items(
    db: &impl ConnectionTrait,
    job: Uuid,
    items: &[ImportItem],
) -> Result<(), Error> {
    if items.is_empty() {
        return Ok(());
    }
    use sea_orm::sea_query::ArrayType;
    let array = |values: Vec<Value>, kind| Value::Array(kind, Some(Box::new(values)));
    // sea-query binds no NULL array elements: -1 and '' stand for "none", NULLIF restores it.
    let ints = |pick: fn(&ImportItem) -> Option<i32>| {
        array(
            items
                .iter()
                .map(|item| Value::from(pick(item).unwrap_or(-1)))
                .collect(),
            ArrayType::Int,
        )
    };
    let texts = |pick: fn(&ImportItem) -> Option<&str>| {
        array(
            items
                .iter()
                .map(|item| Value::from(pick(item).unwrap_or_default().to_owned()))
                .collect(),
            ArrayType::String,
        )
    };
    db.execute_raw(statement(
        "INSERT INTO anilist_sync.import_items (job_id, position, anilist_media_id, mal_id, title, \
                list_status, progress, score_raw, notes) \
         SELECT $1, i.position, NULLIF(i.media, -1), NULLIF(i.mal, -1), NULLIF(i.title, ''), \
                i.status, i.progress, NULLIF(i.score, -1), NULLIF(i.notes, '') \
           FROM unnest($2::int[], $3::int[], $4::int[], $5::text[], $6::text[], $7::int[], $8::int[], $9::text[]) \
                AS i(position, media, mal, title, status, progress, score, notes) \
         ON CONFLICT (job_id, position) DO NOTHING",
        [
            Value::from(job),
            ints(|item| Some(item.position)),
            ints(|item| item.media.map(AniListMediaId::get)),
            ints(|item| item.mal_id),
            texts(|item| item.title.as_deref()),
            texts(|item| Some(item.status.as_str())),
            ints(|item| Some(item.progress)),
            ints(|item| item.score_raw.map(|score| i32::from(score.get()))),
            texts(|item| item.notes.as_deref()),
        ],
    ))
    .await?;
    Ok(())
}

/// Takes the oldest running job whose lease ran out (or never began) for `lease`, counting
/// the attempt; `None` when there is none.
pub async fn claim(
    db: &impl ConnectionTrait,
    now: OffsetDateTime,
    lease: time::Duration,
) -> Result<Option<ImportJob>, Error> {
    let sql = format!(
        "UPDATE anilist_sync.import_jobs SET lease_until_utc = $2, attempts = attempts + 1, updated_at_utc = $1 \
          WHERE id = (SELECT id FROM anilist_sync.import_jobs \
                       WHERE state IN ('queued', 'fetching', 'applying') \
                         AND (lease_until_utc IS NULL OR lease_until_utc < $1) \
                       ORDER BY created_at_utc LIMIT 1 FOR UPDATE SKIP LOCKED) \
         RETURNING {JOB_COLUMNS}"
    );
    db.query_one_raw(statement(
        &sql,
        [Value::from(now), Value::from(now + lease)],
    ))
    .await?
    .map(|row| read_job(&row))
    .transpose()
}

/// Moves the job on: its state, counts and lease (`None` releases it; a time in the future
/// keeps others off it until then).
pub async fn update(
    db: &impl ConnectionTrait,
    job: &ImportJob,
    lease_until: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> Result<(), Error> {
    let finished = (!job.state.is_running()).then_some(now);
    db.execute_raw(statement(
        "UPDATE anilist_sync.import_jobs \
            SET state = $2, total = $3, processed = $4, added = $5, changed = $6, unchanged = $7, \
                error = $8, lease_until_utc = $9, updated_at_utc = $10, finished_at_utc = $11 \
          WHERE id = $1",
        [
            Value::from(job.id),
            Value::from(job.state.as_str()),
            count(job.total),
            count(job.processed),
            count(job.added),
            count(job.changed),
            count(job.unchanged),
            Value::from(job.error.clone()),
            Value::from(lease_until),
            Value::from(now),
            Value::from(finished),
        ],
    ))
    .await?;
    Ok(())
}

fn count(value: u32) -> Value {
    Value::from(i32::try_from(value).unwrap_or(i32::MAX))
}

/// The member's job in the space.
pub async fn find(
    db: &impl ConnectionTrait,
    id: Uuid,
    user: UserId,
    space: WatchSpaceId,
) -> Result<Option<ImportJob>, Error> {
    let sql = format!(
        "SELECT {JOB_COLUMNS} FROM anilist_sync.import_jobs \
          WHERE id = $1 AND user_id = $2 AND watch_space_id = $3"
    );
    db.query_one_raw(statement(
        &sql,
        [Value::from(id), Value::from(user.0), Value::from(space.0)],
    ))
    .await?
    .map(|row| read_job(&row))
    .transpose()
}

/// The member's newest job in the space.
pub async fn latest(
    db: &impl ConnectionTrait,
    user: UserId,
    space: WatchSpaceId,
) -> Result<Option<ImportJob>, Error> {
    let sql = format!(
        "SELECT {JOB_COLUMNS} FROM anilist_sync.import_jobs \
          WHERE user_id = $1 AND watch_space_id = $2 ORDER BY created_at_utc DESC LIMIT 1"
    );
    db.query_one_raw(statement(&sql, [Value::from(user.0), Value::from(space.0)]))
        .await?
        .map(|row| read_job(&row))
        .transpose()
}

/// Up to `limit` items not done yet, in list order; `matched` picks those with an AniList
/// id (to bring into the space) or those without (MyAnimeList ids still to match).
pub async fn items_to_do(
    db: &impl ConnectionTrait,
    job: Uuid,
    matched: bool,
    limit: u64,
) -> Result<Vec<ImportItem>, Error> {
    let rows = db
        .query_all_raw(statement(
            "SELECT position, anilist_media_id, mal_id, title, list_status, progress, score_raw, notes \
               FROM anilist_sync.import_items \
              WHERE job_id = $1 AND NOT done AND (anilist_media_id IS NOT NULL) = $2 \
              ORDER BY position LIMIT $3",
            [
                Value::from(job),
                Value::from(matched),
                Value::from(i64::try_from(limit).unwrap_or(i64::MAX)),
            ],
        ))
        .await?;
    rows.iter().map(read_item).collect()
}

/// Records the AniList ids found for MyAnimeList ids; the items of `unmatched` ids are
/// marked done (they are listed, not brought).
pub async fn match_mal_ids(
    db: &impl ConnectionTrait,
    job: Uuid,
    found: &[(i32, AniListMediaId)],
    unmatched: &[i32],
) -> Result<(), Error> {
    if !found.is_empty() {
        let mal: Vec<i32> = found.iter().map(|(mal, _)| *mal).collect();
        let media: Vec<i32> = found.iter().map(|(_, media)| media.get()).collect();
        // Two MyAnimeList entries naming one AniList anime: the first keeps it, the other is
        // left unmatched (the unique index allows each media once per job).
        db.execute_raw(statement(
            "UPDATE anilist_sync.import_items i SET anilist_media_id = m.media \
               FROM (SELECT DISTINCT ON (media) mal, media FROM unnest($2::int[], $3::int[]) AS u(mal, media) \
                     ORDER BY media, mal) m \
              WHERE i.job_id = $1 AND i.mal_id = m.mal AND i.anilist_media_id IS NULL \
                AND NOT EXISTS (SELECT 1 FROM anilist_sync.import_items o \
                                 WHERE o.job_id = $1 AND o.anilist_media_id = m.media)",
            [Value::from(job), Value::from(mal), Value::from(media)],
        ))
        .await?;
    }
    let leftover: Vec<i32> = unmatched
        .iter()
        .copied()
        .chain(found.iter().map(|(mal, _)| *mal))
        .collect();
    db.execute_raw(statement(
        "UPDATE anilist_sync.import_items SET done = true \
          WHERE job_id = $1 AND anilist_media_id IS NULL AND mal_id = ANY($2)",
        [Value::from(job), Value::from(leftover)],
    ))
    .await?;
    Ok(())
}

/// How many of the job's titles have an AniList anime (those it brings).
pub async fn count_matched(db: &impl ConnectionTrait, job: Uuid) -> Result<u32, Error> {
    let row = db
        .query_one_raw(statement(
            "SELECT count(*) FROM anilist_sync.import_items WHERE job_id = $1 AND anilist_media_id IS NOT NULL",
            [Value::from(job)],
        ))
        .await?
        .ok_or_else(|| anyhow::anyhow!("count(*) returned no row"))?;
    Ok(u32::try_from(row.try_get_by_index::<i64>(0)?).unwrap_or(u32::MAX))
}

/// Marks the items at `positions` done.
pub async fn mark_done(
    db: &impl ConnectionTrait,
    job: Uuid,
    positions: &[i32],
) -> Result<(), Error> {
    db.execute_raw(statement(
        "UPDATE anilist_sync.import_items SET done = true WHERE job_id = $1 AND position = ANY($2)",
        [Value::from(job), Value::from(positions.to_vec())],
    ))
    .await?;
    Ok(())
}

/// The titles of a MyAnimeList file without an AniList match, in list order.
pub async fn unmatched(
    db: &impl ConnectionTrait,
    job: Uuid,
) -> Result<Vec<UnmatchedTitleDto>, Error> {
    let rows = db
        .query_all_raw(statement(
            "SELECT mal_id, title FROM anilist_sync.import_items \
              WHERE job_id = $1 AND anilist_media_id IS NULL AND done ORDER BY position",
            [Value::from(job)],
        ))
        .await?;
    rows.iter()
        .map(|row| {
            Ok(UnmatchedTitleDto {
                mal_id: row.try_get_by_index::<Option<i32>>(0)?.unwrap_or_default(),
                title: row.try_get_by_index(1)?,
            })
        })
        .collect()
}

fn read_job(row: &QueryResult) -> Result<ImportJob, Error> {
    let corrupt = |what: String| Error::Internal(anyhow::anyhow!("import_jobs: {what}"));
    let source: String = row.try_get_by_index(3)?;
    let user_name: Option<String> = row.try_get_by_index(4)?;
    let source = match source.as_str() {
        "anilist" => StoredSource::AniList { user_name },
        "myanimelist" => StoredSource::MyAnimeList { user_name },
        other => return Err(corrupt(format!("unknown source {other:?}"))),
    };
    let options: serde_json::Value = row.try_get_by_index(5)?;
    let options = serde_json::from_value(options).map_err(|error| corrupt(error.to_string()))?;
    let state: String = row.try_get_by_index(6)?;
    let state =
        ImportState::parse(&state).ok_or_else(|| corrupt(format!("unknown state {state:?}")))?;
    let unsigned = |index: usize| -> Result<u32, Error> {
        let value: i32 = row.try_get_by_index(index)?;
        Ok(u32::try_from(value).unwrap_or(0))
    };
    Ok(ImportJob {
        id: row.try_get_by_index(0)?,
        space: WatchSpaceId(row.try_get_by_index(1)?),
        user: UserId(row.try_get_by_index(2)?),
        source,
        options,
        state,
        total: unsigned(7)?,
        processed: unsigned(8)?,
        added: unsigned(9)?,
        changed: unsigned(10)?,
        unchanged: unsigned(11)?,
        error: row.try_get_by_index(12)?,
        attempts: unsigned(13)?,
        created_at: row.try_get_by_index(14)?,
        finished_at: row.try_get_by_index(15)?,
    })
}

fn read_item(row: &QueryResult) -> Result<ImportItem, Error> {
    let corrupt = |what: String| Error::Internal(anyhow::anyhow!("import_items: {what}"));
    let status: String = row.try_get_by_index(4)?;
    let status = MediaListStatus::parse(&status)
        .ok_or_else(|| corrupt(format!("unknown status {status:?}")))?;
    let media = row
        .try_get_by_index::<Option<i32>>(1)?
        .map(|raw| {
            AniListMediaId::new(i64::from(raw)).map_err(|_| corrupt(format!("media id {raw}")))
        })
        .transpose()?;
    let score_raw = row
        .try_get_by_index::<Option<i32>>(6)?
        .map(|raw| ScoreRaw::new(i64::from(raw)).ok_or_else(|| corrupt(format!("score {raw}"))))
        .transpose()?;
    Ok(ImportItem {
        position: row.try_get_by_index(0)?,
        media,
        mal_id: row.try_get_by_index(2)?,
        title: row.try_get_by_index(3)?,
        status,
        progress: row.try_get_by_index(5)?,
        score_raw,
        notes: row.try_get_by_index(7)?,
    })
}
