pub mod api_tokens;
pub mod external_account_links;
pub mod login_failures;
pub mod sessions;
pub mod user_preferences;
pub mod users;
