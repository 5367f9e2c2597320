//! WatchSpaces through its public facade, against real PostgreSQL (`TEST_DATABASE_URL`):
//! every use case's happy path and refusals, the last-owner rules, a few races, and the
//! database constraints that back each rule.
#![cfg(feature = "ssr")]

mod support;

mod accept_invitation;
mod change_member_role;
mod constraints;
mod create_space;
mod events;
mod get_space;
mod invite_member;
mod leave_space;
mod list_my_spaces;
mod member_role;
mod preview_invitation;
mod remove_member;
mod rename_space;
mod revoke_invitation;
mod transfer_ownership;
