use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(schema_name = "watch_spaces", table_name = "watch_spaces")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub created_by_user_id: Uuid,
    pub created_at_utc: TimeDateTimeWithTimeZone,
    pub updated_at_utc: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::watch_space_members::Entity")]
    WatchSpaceMembers,
    #[sea_orm(has_many = "super::invitations::Entity")]
    Invitations,
}

impl Related<super::watch_space_members::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::WatchSpaceMembers.def()
    }
}

impl Related<super::invitations::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Invitations.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
