//! A stand-in for AniList (`POST https://graphql.anilist.co` and its OAuth server) for tests
//! and the offline demo. One server, one port, serves:
//! - GraphQL at `/`: the media search, the lookup by id and the `idMal_in` batch over a
//!   hand-written catalog of real anime; with a bearer token, `Viewer`, the
//!   `SaveMediaListEntry` mutation and `MediaListCollection` over fake users' lists.
//!   AniList's rate-limit headers and knobs that inject the failures AniList is known for
//!   apply to every GraphQL request.
//! - OAuth's authorization-code grant at `/api/v2/oauth/authorize` and `/api/v2/oauth/token`,
//!   approving at once for the one client [`OAUTH_CLIENT_ID`] (secret
//!   [`OAUTH_CLIENT_SECRET`]), by default as a brand-new user each time.
//! - Generated SVG covers (`/covers/…`) and avatars (`/avatars/…`).
//!
//! In-process: `let fake = FakeAniList::start().await?;` then point the client at `fake.url()`,
//! `fake.authorize_url()` and `fake.token_url()`; add users with [`FakeAniList::insert_user`].
//! Out of process: the `fake-anilist` binary, steered over HTTP through `/__control/*`
//! (see [`FakeAniList`] for the list). For bulk tests, [`generate_list`] makes a big list
//! (1,000 entries by default) and its MyAnimeList file, deterministically, and
//! [`FakeAniList::insert_generated_user`] serves it.
//!
//! Depends on nothing of BloomWatch's; the facts it models are in
//! `shared/integrations/anilist-and-mal.md`, section 1.

mod arguments;
mod avatars;
mod caller;
mod catalog;
mod control;
mod covers;
mod fault;
mod generated;
mod graphql;
mod list_collection;
mod oauth;
mod rate_limit;
mod save_entry;
mod server;
mod state;
mod users;

pub use fault::Fault;
pub use generated::{
    generate as generate_list, GeneratedList, GeneratedListSpec, FIRST_GENERATED_MAL_ID,
    FIRST_GENERATED_MEDIA_ID, FIRST_UNKNOWN_MAL_ID, GENERATED_CUSTOM_LISTS, MAX_GENERATED_ENTRIES,
};
pub use oauth::{OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET};
pub use server::FakeAniList;
pub use users::{EntryEdit, FakeListEntry, FakeUser, RecordedMutation, StoredListEntry};
