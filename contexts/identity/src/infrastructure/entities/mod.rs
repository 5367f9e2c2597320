pub mod api_tokens;
pub mod login_failures;
pub mod sessions;
pub mod user_preferences;
pub mod users;
