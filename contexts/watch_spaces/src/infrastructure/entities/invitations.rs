use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(schema_name = "watch_spaces", table_name = "invitations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub watch_space_id: Uuid,
    pub invited_by_user_id: Uuid,
    pub invited_email: String,
    pub token_hash: Vec<u8>,
    pub status: String,
    pub expires_at_utc: TimeDateTimeWithTimeZone,
    pub created_at_utc: TimeDateTimeWithTimeZone,
    pub accepted_at_utc: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::watch_spaces::Entity",
        from = "Column::WatchSpaceId",
        to = "super::watch_spaces::Column::Id"
    )]
    WatchSpace,
}

impl Related<super::watch_spaces::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::WatchSpace.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
