//! Linked accounts: linking AniList (Settings → Linked accounts, `/settings/linked-accounts`)
//! and the member's own sync status on each anime page. The page shows the link (name,
//! avatar, expiry), the switches of what is pushed, unlinking, and the last 50 sync attempts;
//! the chip in the member's own column shows where that title stands. Everything here is the
//! signed-in member's own: nobody sees anyone else's AniList.

mod linked_accounts_page;
mod server_fns;
mod sync_chip;
mod sync_history;

pub use linked_accounts_page::LinkedAccountsPage;
pub use sync_chip::SyncChip;

/// The settings page, where AniList sends members back.
pub const LINKED_ACCOUNTS_PATH: &str = "/settings/linked-accounts";
