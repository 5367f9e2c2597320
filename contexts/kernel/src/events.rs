//! The seam through which a context tells another what it changed (feature `db`).

use sea_orm::{DatabaseTransaction, DbErr};

/// Receives a context's events inside the transaction of the write they describe, so
/// whatever a subscriber records about them in its own tables commits or rolls back with
/// that write: a projection kept this way never disagrees with its source, and no context
/// writes another's tables. The publisher declares the event type in its contracts;
/// `server/` wires the subscriber.
///
/// Publishers publish last in their transaction: a subscriber may lock rows of its own, and
/// taking those after every other lock keeps concurrent writers free of deadlocks.
#[async_trait::async_trait]
pub trait EventSink<E: Sync>: Send + Sync {
    /// Records `event` in `transaction`. An error fails the publisher's write.
    async fn publish(&self, transaction: &DatabaseTransaction, event: &E) -> Result<(), DbErr>;
}
