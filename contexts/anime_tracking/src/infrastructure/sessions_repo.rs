//! Loads and saves watch sessions: rows of `anime_tracking.watch_sessions` with their
//! `watch_session_attendees`.

use std::collections::HashMap;

use anyhow::anyhow;
use identity::contracts::UserId;
use sea_orm::sea_query::Expr;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait, Value,
};
use time::OffsetDateTime;
use uuid::Uuid;
use watch_spaces::contracts::WatchSpaceId;

use super::entities::{watch_session_attendees, watch_sessions, watch_space_anime};
use crate::application::Error;
use crate::contracts::{EpisodeNumber, Notes, WatchSessionId, WatchSpaceAnimeId};
use crate::domain::session::{EpisodeRange, WatchSession};

/// Where a page of sessions starts: after the session with these sort keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionKey {
    pub session_date: OffsetDateTime,
    pub created_at: OffsetDateTime,
    pub id: Uuid,
}

/// The anime's sessions, newest first (at most `rows`, after `after`), with their attendees
/// (two queries).
pub async fn list(
    db: &impl ConnectionTrait,
    anime: WatchSpaceAnimeId,
    rows: Option<u64>,
    after: Option<SessionKey>,
) -> Result<Vec<WatchSession>, Error> {
    let mut query = watch_sessions::Entity::find()
        .filter(watch_sessions::Column::WatchSpaceAnimeId.eq(anime.0))
        .order_by_desc(watch_sessions::Column::SessionDateUtc)
        .order_by_desc(watch_sessions::Column::CreatedAtUtc)
        .order_by_desc(watch_sessions::Column::Id);
    if let Some(key) = after {
        query = query.filter(Expr::cust_with_values(
            r#"("session_date_utc", "created_at_utc", "id") < ($1, $2, $3)"#,
            [
                Value::from(key.session_date),
                Value::from(key.created_at),
                Value::from(key.id),
            ],
        ));
    }
    let rows = query.limit(rows).all(db).await?;
    with_attendees(db, rows).await
}

/// How many sessions the anime has.
pub async fn count_for_anime(
    db: &impl ConnectionTrait,
    anime: WatchSpaceAnimeId,
) -> Result<usize, Error> {
    let count = watch_sessions::Entity::find()
        .filter(watch_sessions::Column::WatchSpaceAnimeId.eq(anime.0))
        .count(db)
        .await?;
    Ok(usize::try_from(count).unwrap_or(usize::MAX))
}

/// Every session of every anime of the space, newest first, with their attendees: two
/// queries, both filtered by the space through a join, so neither grows an id list.
pub async fn list_in_space(
    db: &impl ConnectionTrait,
    space: WatchSpaceId,
) -> Result<Vec<WatchSession>, Error> {
    let rows = watch_sessions::Entity::find()
        .inner_join(watch_space_anime::Entity)
        .filter(watch_space_anime::Column::WatchSpaceId.eq(space.0))
        .order_by_desc(watch_sessions::Column::SessionDateUtc)
        .order_by_desc(watch_sessions::Column::CreatedAtUtc)
        .order_by_desc(watch_sessions::Column::Id)
        .all(db)
        .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let attendees = watch_session_attendees::Entity::find()
        .inner_join(watch_sessions::Entity)
        .join(
            JoinType::InnerJoin,
            watch_sessions::Relation::WatchSpaceAnime.def(),
        )
        .filter(watch_space_anime::Column::WatchSpaceId.eq(space.0))
        .order_by_asc(watch_session_attendees::Column::UserId)
        .all(db)
        .await?;
    assemble(rows, attendees)
}

/// One session of the anime, or `None`.
pub async fn find(
    db: &impl ConnectionTrait,
    anime: WatchSpaceAnimeId,
    id: WatchSessionId,
) -> Result<Option<WatchSession>, Error> {
    let rows = watch_sessions::Entity::find_by_id(id.0)
        .filter(watch_sessions::Column::WatchSpaceAnimeId.eq(anime.0))
        .all(db)
        .await?;
    Ok(with_attendees(db, rows).await?.into_iter().next())
}

async fn with_attendees(
    db: &impl ConnectionTrait,
    rows: Vec<watch_sessions::Model>,
) -> Result<Vec<WatchSession>, Error> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let attendees = watch_session_attendees::Entity::find()
        .filter(watch_session_attendees::Column::SessionId.is_in(rows.iter().map(|row| row.id)))
        .order_by_asc(watch_session_attendees::Column::UserId)
        .all(db)
        .await?;
    assemble(rows, attendees)
}

/// The sessions with their attendees; attendance of sessions not in `rows` (recorded between
/// the two queries) is ignored.
fn assemble(
    rows: Vec<watch_sessions::Model>,
    attendance: Vec<watch_session_attendees::Model>,
) -> Result<Vec<WatchSession>, Error> {
    let mut attendees: HashMap<Uuid, Vec<UserId>> = HashMap::new();
    for attendee in attendance {
        attendees
            .entry(attendee.session_id)
            .or_default()
            .push(UserId(attendee.user_id));
    }
    rows.into_iter()
        .map(|row| {
            let present = attendees.remove(&row.id).unwrap_or_default();
            session_from_row(row, present).map_err(Error::from)
        })
        .collect()
}

/// Stores a session recorded a moment ago, with its attendees.
pub async fn insert(db: &impl ConnectionTrait, session: &WatchSession) -> Result<(), Error> {
    let row = watch_sessions::ActiveModel {
        id: Set(session.id.0),
        watch_space_anime_id: Set(session.anime_id.0),
        session_date_utc: Set(session.session_date),
        start_episode: Set(session.episodes.start().get()),
        end_episode: Set(session.episodes.end().get()),
        notes: Set(session
            .notes
            .as_ref()
            .map(|notes| notes.as_str().to_owned())),
        created_by_user_id: Set(session.created_by.0),
        created_at_utc: Set(session.created_at),
    };
    watch_sessions::Entity::insert(row).exec(db).await?;
    watch_session_attendees::Entity::insert_many(session.attendees.iter().map(|user| {
        watch_session_attendees::ActiveModel {
            session_id: Set(session.id.0),
            user_id: Set(user.0),
        }
    }))
    .exec(db)
    .await?;
    Ok(())
}

/// Writes the session's notes.
pub async fn update_notes(db: &impl ConnectionTrait, session: &WatchSession) -> Result<(), Error> {
    watch_sessions::Entity::update_many()
        .col_expr(
            watch_sessions::Column::Notes,
            Expr::value(
                session
                    .notes
                    .as_ref()
                    .map(|notes| notes.as_str().to_owned()),
            ),
        )
        .filter(watch_sessions::Column::Id.eq(session.id.0))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes the session (its attendance goes with it).
pub async fn delete(db: &impl ConnectionTrait, id: WatchSessionId) -> Result<(), Error> {
    watch_sessions::Entity::delete_by_id(id.0).exec(db).await?;
    Ok(())
}

fn session_from_row(
    row: watch_sessions::Model,
    attendees: Vec<UserId>,
) -> Result<WatchSession, anyhow::Error> {
    let id = row.id;
    let episode = |raw: i32| {
        EpisodeNumber::new(raw).map_err(|error| {
            anyhow!("watch_sessions row {id} has an invalid episode {raw}: {error}")
        })
    };
    let episodes = EpisodeRange::new(episode(row.start_episode)?, episode(row.end_episode)?)
        .map_err(|error| anyhow!("watch_sessions row {id} has an invalid range: {error}"))?;
    let notes = match row.notes {
        Some(raw) => Notes::parse(&raw)
            .map_err(|error| anyhow!("watch_sessions row {id} has invalid notes: {error}"))?,
        None => None,
    };
    Ok(WatchSession {
        id: WatchSessionId(id),
        anime_id: WatchSpaceAnimeId(row.watch_space_anime_id),
        session_date: row.session_date_utc,
        episodes,
        notes,
        created_by: UserId(row.created_by_user_id),
        created_at: row.created_at_utc,
        attendees,
    })
}
