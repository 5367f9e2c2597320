//! `anilist_sync.media_cache`: AniList's media as we last fetched them, read by id (one or
//! many) and by title when AniList cannot answer, written by one multi-row upsert that
//! records the metadata generation of every row whose genres or episode length it changes,
//! so readers that keep what they derived from those can tell whether they still hold.

use anyhow::anyhow;
use sea_orm::sea_query::extension::postgres::PgExpr;
use sea_orm::sea_query::{Expr, LikeExpr, NullOrdering, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait,
    IntoActiveModel, Iterable, Order, QueryFilter, QueryOrder, QuerySelect, Statement, Value,
};

use super::entities::media_cache::{self, Column, Entity};
use crate::application::Error;
use crate::contracts::{
    AniListMediaId, MediaDto, MediaFormat, MediaSeason, MediaStatus, MetadataGeneration,
    NextAiringEpisodeDto, SearchQuery,
};

/// The cached media with that id.
pub async fn find(
    db: &impl ConnectionTrait,
    id: AniListMediaId,
) -> Result<Option<MediaDto>, Error> {
    Entity::find_by_id(id.get())
        .one(db)
        .await?
        .map(to_dto)
        .transpose()
}

/// The cached media among `ids`, in one query, in no particular order.
pub async fn find_many(
    db: &impl ConnectionTrait,
    ids: &[AniListMediaId],
) -> Result<Vec<MediaDto>, Error> {
    Entity::find()
        .filter(Column::AnilistMediaId.is_in(ids.iter().map(|id| id.get())))
        .all(db)
        .await?
        .into_iter()
        .map(to_dto)
        .collect()
}

/// AniListSync's current metadata generation (committed writers only).
pub async fn metadata_generation(db: &impl ConnectionTrait) -> Result<i64, Error> {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT generation FROM anilist_sync.metadata_generation",
        ))
        .await?
        .ok_or_else(|| anyhow!("anilist_sync.metadata_generation has no row"))?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

/// Whether any of `ids` was inserted, or had its genres or episode length changed, after
/// `generation`. Only the rows written since are read (an index range scan: none while
/// nothing changed), then matched against `ids`; `OFFSET 0` keeps the planner from probing
/// the primary key once per id instead.
pub async fn changed_since(
    db: &impl ConnectionTrait,
    ids: &[AniListMediaId],
    generation: i64,
) -> Result<bool, Error> {
    let ids: Vec<i32> = ids.iter().map(|id| id.get()).collect();
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT EXISTS (SELECT 1 FROM (SELECT anilist_media_id FROM anilist_sync.media_cache \
                 WHERE metadata_generation > $1 OFFSET 0) AS changed \
               WHERE changed.anilist_media_id = ANY($2))",
            [Value::from(generation), Value::from(ids)],
        ))
        .await?
        .ok_or_else(|| anyhow!("EXISTS returned no row"))?;
    Ok(row.try_get_by_index::<bool>(0)?)
}

/// Up to `limit` cached media whose romaji, English or native title contains the query
/// (ignoring case): titles that start with it first, then the most popular. Adult titles
/// only when `include_adult`.
pub async fn search(
    db: &impl ConnectionTrait,
    query: &SearchQuery,
    include_adult: bool,
    limit: u64,
) -> Result<Vec<MediaDto>, Error> {
    let escaped = escape_like(query.as_str());
    let contains = format!("%{escaped}%");
    let titles = Condition::any()
        .add(Expr::col(Column::TitleRomaji).ilike(LikeExpr::new(&contains)))
        .add(Expr::col(Column::TitleEnglish).ilike(LikeExpr::new(&contains)))
        .add(Expr::col(Column::TitleNative).ilike(LikeExpr::new(&contains)));
    let mut select = Entity::find().filter(titles);
    if !include_adult {
        select = select.filter(Column::IsAdult.eq(false));
    }
    select
        .order_by(
            Expr::col(Column::TitleRomaji).ilike(LikeExpr::new(format!("{escaped}%"))),
            Order::Desc,
        )
        .order_by_with_nulls(Column::Popularity, Order::Desc, NullOrdering::Last)
        .order_by_asc(Column::AnilistMediaId)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(to_dto)
        .collect()
}

/// Inserts or replaces every media (call it in a transaction): takes the next metadata
/// generation (the counter's row lock makes concurrent upserts take them in commit order),
/// then writes every row in one statement, stamping with that generation the rows it inserts
/// and those whose genres or episode length it changes. Returns the generation when it
/// stamped any row.
pub async fn upsert(
    db: &impl ConnectionTrait,
    media: &[MediaDto],
) -> Result<Option<MetadataGeneration>, Error> {
    // PostgreSQL refuses to update one row twice in a statement: the last copy wins.
    let mut unique: Vec<&MediaDto> = Vec::with_capacity(media.len());
    for item in media.iter().rev() {
        if !unique
            .iter()
            .any(|kept| kept.anilist_media_id == item.anilist_media_id)
        {
            unique.push(item);
        }
    }
    if unique.is_empty() {
        return Ok(None);
    }
    let generation = next_metadata_generation(db).await?;
    let rows = unique.into_iter().map(|item| {
        media_cache::Model::from_dto(item, generation)
            .into_active_model()
            .reset_all()
    });
    let metadata_changed = Expr::cust(
        "CASE WHEN media_cache.genres_jsonb IS DISTINCT FROM EXCLUDED.genres_jsonb \
           OR media_cache.duration_minutes IS DISTINCT FROM EXCLUDED.duration_minutes \
         THEN EXCLUDED.metadata_generation ELSE media_cache.metadata_generation END",
    );
    Entity::insert_many(rows)
        .on_conflict(
            OnConflict::column(Column::AnilistMediaId)
                .update_columns(Column::iter().filter(|column| {
                    !matches!(column, Column::AnilistMediaId | Column::MetadataGeneration)
                }))
                .value(Column::MetadataGeneration, metadata_changed)
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    let stamped = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT EXISTS (SELECT FROM anilist_sync.media_cache WHERE metadata_generation = $1)",
            [generation.into()],
        ))
        .await?
        .ok_or_else(|| anyhow!("EXISTS returned no row"))?
        .try_get_by_index::<bool>(0)?;
    Ok(stamped
        .then(|| MetadataGeneration::new(generation))
        .flatten())
}

async fn next_metadata_generation(db: &impl ConnectionTrait) -> Result<i64, Error> {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "UPDATE anilist_sync.metadata_generation SET generation = generation + 1 \
             RETURNING generation",
        ))
        .await?
        .ok_or_else(|| anyhow!("anilist_sync.metadata_generation has no row"))?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

/// `%`, `_` and `\` in what the user typed match only themselves (backslash is
/// PostgreSQL's default `LIKE` escape).
fn escape_like(raw: &str) -> String {
    let mut escaped = String::with_capacity(raw.len());
    for c in raw.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

impl media_cache::Model {
    fn from_dto(media: &MediaDto, metadata_generation: i64) -> Self {
        Self {
            anilist_media_id: media.anilist_media_id.get(),
            id_mal: media.id_mal,
            title_romaji: media.title_romaji.clone(),
            title_english: media.title_english.clone(),
            title_native: media.title_native.clone(),
            description: media.description.clone(),
            episodes: media.episodes,
            duration_minutes: media.duration_minutes,
            format: media.format.map(|format| format.as_str().to_owned()),
            status: media.status.map(|status| status.as_str().to_owned()),
            season: media.season.map(|season| season.as_str().to_owned()),
            season_year: media.season_year,
            genres_jsonb: Some(serde_json::Value::from(media.genres.clone())),
            cover_image_large: media.cover_image_large.clone(),
            cover_image_medium: media.cover_image_medium.clone(),
            cover_color: media.cover_color.clone(),
            average_score: media.average_score,
            popularity: media.popularity,
            is_adult: media.is_adult,
            next_airing_episode: media.next_airing_episode.map(|next| next.episode),
            next_airing_at_utc: media.next_airing_episode.map(|next| next.airing_at_utc),
            updated_from_source_at_utc: media.updated_from_source_at_utc,
            cached_at_utc: media.cached_at_utc,
            metadata_generation,
        }
    }
}

/// A row back into the DTO; a row our constraints should have refused is an internal error.
fn to_dto(row: media_cache::Model) -> Result<MediaDto, Error> {
    {
        let id = row.anilist_media_id;
        let invalid = |what: &str| -> Error {
            anyhow::anyhow!("media_cache row {id} has an invalid {what}").into()
        };
        let genres = match row.genres_jsonb {
            None => Vec::new(),
            Some(json) => serde_json::from_value(json).map_err(|_| invalid("genres_jsonb"))?,
        };
        let next_airing_episode = match (row.next_airing_episode, row.next_airing_at_utc) {
            (Some(episode), Some(airing_at_utc)) => Some(NextAiringEpisodeDto {
                episode,
                airing_at_utc,
            }),
            (None, None) => None,
            _ => return Err(invalid("next airing episode")),
        };
        Ok(MediaDto {
            anilist_media_id: AniListMediaId::new(i64::from(id))
                .map_err(|_| invalid("anilist_media_id"))?,
            id_mal: row.id_mal,
            title_romaji: row.title_romaji,
            title_english: row.title_english,
            title_native: row.title_native,
            episodes: row.episodes,
            duration_minutes: row.duration_minutes,
            format: parse_column(row.format, MediaFormat::parse).map_err(|_| invalid("format"))?,
            status: parse_column(row.status, MediaStatus::parse).map_err(|_| invalid("status"))?,
            season: parse_column(row.season, MediaSeason::parse).map_err(|_| invalid("season"))?,
            season_year: row.season_year,
            cover_image_large: row.cover_image_large,
            cover_image_medium: row.cover_image_medium,
            cover_color: row.cover_color,
            genres,
            average_score: row.average_score,
            popularity: row.popularity,
            description: row.description,
            is_adult: row.is_adult,
            next_airing_episode,
            updated_from_source_at_utc: row.updated_from_source_at_utc,
            cached_at_utc: row.cached_at_utc,
        })
    }
}

/// A stored enum spelling; `Err` when the row holds one we do not know.
fn parse_column<T>(raw: Option<String>, parse: fn(&str) -> Option<T>) -> Result<Option<T>, ()> {
    raw.map(|raw| parse(&raw).ok_or(())).transpose()
}

#[cfg(test)]
mod tests {
    use super::escape_like;

    #[test]
    fn like_wildcards_in_queries_match_only_themselves() {
        assert_eq!(escape_like("100%_\\ok"), "100\\%\\_\\\\ok");
        assert_eq!(escape_like("frieren"), "frieren");
    }
}
