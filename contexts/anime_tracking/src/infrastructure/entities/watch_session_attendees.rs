use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(schema_name = "anime_tracking", table_name = "watch_session_attendees")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub session_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::watch_sessions::Entity",
        from = "Column::SessionId",
        to = "super::watch_sessions::Column::Id"
    )]
    WatchSession,
}

impl Related<super::watch_sessions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::WatchSession.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
