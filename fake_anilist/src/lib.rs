//! A stand-in for AniList's GraphQL API (`POST https://graphql.anilist.co`) for tests and the
//! offline demo: a hand-written catalog of real anime, the two operations BloomWatch sends (a
//! title search and a lookup by id), AniList's rate-limit headers, generated SVG covers, and
//! knobs that inject the failures AniList is known for.
//!
//! In-process: `let fake = FakeAniList::start().await?;` then point the client at `fake.url()`.
//! Out of process: the `fake-anilist` binary, steered over HTTP through `/__control/*`.
//!
//! Depends on nothing of BloomWatch's; the facts it models are in
//! `shared/integrations/anilist-and-mal.md`, section 1.

mod catalog;
mod control;
mod covers;
mod fault;
mod graphql;
mod rate_limit;
mod server;
mod state;

pub use fault::Fault;
pub use server::FakeAniList;
