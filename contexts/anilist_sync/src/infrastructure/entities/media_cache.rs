use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(schema_name = "anilist_sync", table_name = "media_cache")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub anilist_media_id: i32,
    pub id_mal: Option<i32>,
    pub title_romaji: String,
    pub title_english: Option<String>,
    pub title_native: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub description: Option<String>,
    pub episodes: Option<i32>,
    pub duration_minutes: Option<i32>,
    pub format: Option<String>,
    pub status: Option<String>,
    pub season: Option<String>,
    pub season_year: Option<i32>,
    pub genres_jsonb: Option<Json>,
    #[sea_orm(column_type = "Text", nullable)]
    pub cover_image_large: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub cover_image_medium: Option<String>,
    pub cover_color: Option<String>,
    pub average_score: Option<i32>,
    pub popularity: Option<i32>,
    pub is_adult: bool,
    pub next_airing_episode: Option<i32>,
    pub next_airing_at_utc: Option<TimeDateTimeWithTimeZone>,
    pub updated_from_source_at_utc: TimeDateTimeWithTimeZone,
    pub cached_at_utc: TimeDateTimeWithTimeZone,
    pub metadata_generation: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
