use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(schema_name = "anime_tracking", table_name = "participant_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub watch_space_anime_id: Uuid,
    pub user_id: Uuid,
    pub individual_status: String,
    pub episodes_watched: i32,
    /// `numeric(3,1)` in the table; read and written as a float, which holds every half
    /// step exactly (no decimal crate needed).
    #[sea_orm(
        column_type = "Decimal(Some((3, 1)))",
        select_as = "float8",
        save_as = "numeric"
    )]
    pub rating_score: Option<f64>,
    pub rating_notes: Option<String>,
    pub last_updated_at_utc: TimeDateTimeWithTimeZone,
    pub updated_by_user_id: Uuid,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::watch_space_anime::Entity",
        from = "Column::WatchSpaceAnimeId",
        to = "super::watch_space_anime::Column::Id"
    )]
    WatchSpaceAnime,
}

impl Related<super::watch_space_anime::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::WatchSpaceAnime.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
