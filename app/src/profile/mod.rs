//! The profile settings page: display name, email, password and theme, each its own small
//! form over the one `update_profile` server function (Identity's facade).

mod display_name_form;
mod email_form;
mod password_form;
mod profile_page;
mod server_fns;
mod theme_form;

pub use profile_page::ProfilePage;
pub use server_fns::UpdateProfile;
