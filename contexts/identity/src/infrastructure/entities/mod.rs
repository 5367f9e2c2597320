pub mod api_tokens;
pub mod external_account_links;
pub mod sessions;
pub mod user_preferences;
pub mod users;
