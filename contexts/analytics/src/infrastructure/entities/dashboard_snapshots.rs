use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(schema_name = "analytics", table_name = "dashboard_snapshots")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub watch_space_id: Uuid,
    pub fingerprint: String,
    pub payload: Json,
    pub computed_at_utc: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
