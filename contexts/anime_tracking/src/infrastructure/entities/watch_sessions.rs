use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(schema_name = "anime_tracking", table_name = "watch_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub watch_space_anime_id: Uuid,
    pub session_date_utc: TimeDateTimeWithTimeZone,
    pub start_episode: i32,
    pub end_episode: i32,
    pub notes: Option<String>,
    pub created_by_user_id: Uuid,
    pub created_at_utc: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::watch_space_anime::Entity",
        from = "Column::WatchSpaceAnimeId",
        to = "super::watch_space_anime::Column::Id"
    )]
    WatchSpaceAnime,
    #[sea_orm(has_many = "super::watch_session_attendees::Entity")]
    Attendees,
}

impl Related<super::watch_space_anime::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::WatchSpaceAnime.def()
    }
}

impl Related<super::watch_session_attendees::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Attendees.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
