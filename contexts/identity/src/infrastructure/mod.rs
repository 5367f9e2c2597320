//! Identity's persistence: sea-orm entities for the `identity` schema, repositories, the
//! argon2id hasher, the PostgreSQL session store and the cipher of
//! third-party tokens. Private to this crate.

pub mod api_tokens_repo;
mod entities;
pub mod external_account_links_repo;
pub mod login_throttle_repo;
pub mod password_hasher;
pub mod session_store;
pub mod token_cipher;
pub mod users_repo;
