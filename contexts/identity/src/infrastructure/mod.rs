//! Identity's persistence: sea-orm entities for the `identity` schema, repositories, the
//! argon2id hasher and the PostgreSQL session store. Private to this crate.

pub mod api_tokens_repo;
mod entities;
pub mod login_failures_repo;
pub mod password_hasher;
pub mod session_store;
pub mod users_repo;
