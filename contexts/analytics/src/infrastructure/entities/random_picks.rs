use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(schema_name = "analytics", table_name = "random_picks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub watch_space_id: Uuid,
    pub last_pick_watch_space_anime_id: Uuid,
    pub picked_at_utc: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
