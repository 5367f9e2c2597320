use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(schema_name = "anime_tracking", table_name = "watch_space_anime")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub watch_space_id: Uuid,
    pub anilist_media_id: i32,
    pub preferred_title: String,
    pub preferred_title_english: Option<String>,
    pub episode_count_snapshot: Option<i32>,
    pub cover_image_url_snapshot: Option<String>,
    pub format: Option<String>,
    pub season: Option<String>,
    pub season_year: Option<i32>,
    pub shared_status: String,
    pub shared_episodes_watched: i32,
    pub mood: Option<String>,
    pub vibe: Option<String>,
    pub pitch: Option<String>,
    pub added_by_user_id: Uuid,
    pub added_at_utc: TimeDateTimeWithTimeZone,
    pub updated_at_utc: TimeDateTimeWithTimeZone,
    pub updated_by_user_id: Uuid,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::participant_entries::Entity")]
    ParticipantEntries,
    #[sea_orm(has_many = "super::watch_sessions::Entity")]
    WatchSessions,
}

impl Related<super::participant_entries::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ParticipantEntries.def()
    }
}

impl Related<super::watch_sessions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::WatchSessions.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
