//! A migration written as plain SQL: PostgreSQL DDL states constraints, triggers and partial
//! indexes more directly than the schema builder, and reads like the design document.

use sea_orm_migration::prelude::*;

pub struct SqlMigration {
    pub name: &'static str,
    pub up: &'static str,
    pub down: &'static str,
}

impl MigrationName for SqlMigration {
    fn name(&self) -> &str {
        self.name
    }
}

// sea-orm-migration's trait elides SchemaManager's lifetime; spelling it out (`<'_>`) no
// longer matches the async_trait signature.
#[expect(elided_lifetimes_in_paths)]
#[sea_orm_migration::async_trait::async_trait]
impl MigrationTrait for SqlMigration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared(self.up).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(self.down)
            .await?;
        Ok(())
    }
}
