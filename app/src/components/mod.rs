//! Small building blocks shared by every area: labelled fields with inline errors, the
//! password field with its "show" toggle, form messages, member badges, confirm steps, the
//! copy-link box, the server-function form of every island, and the anime pieces of ui.md
//! (cover image, dual progress, rating pair).
//! No server functions and no data loading here.

mod blossom;
mod confirm_step;
mod copy_link;
mod cover_image;
mod dual_progress;
mod form_messages;
mod member_badge;
mod password_field;
mod rating_pair;
mod server_form;
mod text_field;

pub use blossom::Blossom;
pub use confirm_step::ConfirmStep;
pub use copy_link::CopyLink;
#[cfg(feature = "hydrate")]
pub use cover_image::hide_broken_covers;
pub use cover_image::CoverImage;
pub use dual_progress::{episode_label, DualProgress};
pub use form_messages::{
    action_error, field_error, form_error, FieldError, FormError, SubmitButton,
};
pub use member_badge::MemberBadge;
pub use password_field::PasswordField;
pub use rating_pair::RatingPair;
pub use server_form::ServerForm;
pub use text_field::{described_by, TextField};

/// "25 Nov 2026": dates as people say them, identical on server and browser (UTC).
pub fn format_date(at: time::OffsetDateTime) -> String {
    let format = time::macros::format_description!("[day padding:none] [month repr:short] [year]");
    at.format(&format).unwrap_or_default()
}

/// "25 Nov 2026, 20:15 UTC": a moment, for histories.
pub fn format_date_time(at: time::OffsetDateTime) -> String {
    let format = time::macros::format_description!(
        "[day padding:none] [month repr:short] [year], [hour]:[minute] UTC"
    );
    at.to_offset(time::UtcOffset::UTC)
        .format(&format)
        .unwrap_or_default()
}
