//! Accounts in the UI: who is signed in (context), the guard for account-only pages, the
//! register and log-in pages, and logging out. Server functions in `server_fns.rs` talk to
//! the Identity facade and the axum-login session.

mod current_user;
mod log_out_button;
mod login_page;
mod register_page;
mod require_user;
pub(crate) mod server_fns;

pub use current_user::{use_current_user, CurrentUser};
pub use log_out_button::LogOutButton;
pub use login_page::LoginPage;
pub use register_page::RegisterPage;
pub use require_user::RequireUser;
