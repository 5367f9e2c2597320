//! How many abuse, fault and fuzz checks `cargo test` ran, for the summary at the end of
//! `cargo xtask test`. Fuzz checks are the tests named `fuzz_*`; fault checks, the tests of a
//! `faults` module and those named in [`FAULT`]; abuse checks, those named in [`ABUSE`]. A
//! name listed here that no test has any more is an error, so the lists cannot quietly rot.

use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context, Result};

/// Hostile input and abuse limits: throttles, rate limits, caps, cross-site and slow clients.
const ABUSE: &[&str] = &[
    "a_client_that_never_finishes_its_headers_is_cut_off",
    "connections_beyond_the_cap_wait_for_a_free_one",
    "cross_site_writes_are_refused",
    "cross_site_server_function_calls_are_refused_even_with_a_session",
    "malformed_bodies_are_precise_problems",
    "unknown_api_paths_and_malformed_ids_are_problems",
    "repeated_failures_are_throttled_with_retry_after",
    "many_failures_from_one_address_are_throttled_across_accounts",
    "behind_a_trusted_proxy_each_client_it_names_is_throttled_on_its_own",
    "sixty_concurrent_guesses_get_five_checked",
    "each_guess_past_the_limit_doubles_the_block",
    "guesses_from_many_addresses_slow_the_owner_down_briefly",
    "whatever_is_typed_as_an_email_is_throttled_without_an_error",
    "registrations_from_one_address_are_limited_even_when_concurrent",
    "registrations_from_one_address_stop_at_the_limit_and_refill",
    "wrong_current_passwords_count_as_failed_logins",
    "names_with_text_direction_overrides_are_refused_by_the_domain_and_postgres",
    "malformed_and_hostile_mal_files_are_refused_with_a_clear_message_and_no_writes",
    "a_member_gets_their_share_of_anilist_calls_and_no_more",
    "rate_limits_count_requests_to_both_instances_together",
    "a_space_holds_twenty_people_counting_open_invitations",
    "the_database_holds_a_space_to_twenty_members",
    "a_full_space_refuses_the_next_anime_in_the_use_case_and_the_database",
    "an_anime_with_every_session_it_keeps_refuses_the_next",
    "a_cursor_from_another_order_or_made_up_is_refused_by_field",
];

/// Faults outside the request: PostgreSQL and AniList down, slow or odd; start-up, shutdown,
/// several instances (beside every test of a `faults` module).
const FAULT: &[&str] = &[
    "start_up_waits_for_a_postgres_that_comes_up_late",
    "start_up_gives_up_on_an_unreachable_postgres_after_its_wait",
    "at_shutdown_new_connections_are_refused_and_requests_under_way_are_answered",
    "while_postgres_is_unreachable_requests_get_503_and_service_comes_back_with_it",
    "instances_started_together_on_an_empty_database_take_turns_to_migrate_it",
    "a_change_reaches_anilist_once_though_both_instances_run_the_sync_workers",
    "a_long_outage_gives_up_with_the_reason_kept_and_a_retry_sends_it_again",
    "changes_made_while_anilist_is_down_are_delivered_when_it_returns",
    "rate_limits_and_server_errors_are_retried_later_then_delivered_once",
    "a_stale_media_still_answers_when_anilist_is_down",
    "an_uncached_media_is_unavailable_while_anilist_is_down",
    "anilist_being_unavailable_is_its_error_and_nothing_is_written",
    "local_writes_answer_at_once_while_anilist_is_down",
    "tracking_keeps_working_while_anilist_is_down",
    "when_anilist_is_down_search_offers_what_is_cached",
    "a_rate_limited_anilist_is_a_429_with_retry_after_for_unseen_media",
];

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub abuse: usize,
    pub fault: usize,
    pub fuzz: usize,
}

/// Counts the checks among the tests `list` (a `cargo test` command for the packages just
/// tested) lists. Called after they all passed, so listed means ran and passed.
pub fn count(mut list: Command, root: &Path) -> Result<Counts> {
    let output = list
        .current_dir(root)
        .args(["--", "--list", "--format", "terse"])
        .output()
        .context("listing the tests")?;
    if !output.status.success() {
        bail!(
            "listing the tests failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    counts_of(&String::from_utf8_lossy(&output.stdout))
}

/// From `--list --format terse` lines (`path::to::name: test`).
fn counts_of(listing: &str) -> Result<Counts> {
    let tests: Vec<&str> = listing
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .collect();
    let name = |path: &&str| path.rsplit("::").next().unwrap_or(path).to_owned();
    let names: Vec<String> = tests.iter().map(name).collect();
    let missing: Vec<&&str> = ABUSE
        .iter()
        .chain(FAULT)
        .filter(|listed| !names.iter().any(|name| name == **listed))
        .collect();
    if !missing.is_empty() {
        bail!("xtask/src/check_counts.rs names tests that do not exist (renamed?): {missing:?}");
    }
    let in_faults_module = |path: &str| path.split("::").any(|part| part == "faults");
    Ok(Counts {
        abuse: names
            .iter()
            .filter(|name| ABUSE.contains(&name.as_str()))
            .count(),
        fault: tests
            .iter()
            .filter(|path| in_faults_module(path) || FAULT.contains(&name(path).as_str()))
            .count(),
        fuzz: names
            .iter()
            .filter(|name| name.starts_with("fuzz_"))
            .count(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_are_counted_by_name_module_and_prefix() {
        let mut listing: String = ABUSE
            .iter()
            .chain(FAULT)
            .map(|name| format!("some::module::{name}: test\n"))
            .collect();
        listing.push_str("faults::server_errors_are_retried: test\n");
        listing.push_str("rest::fuzz::fuzz_query_strings: test\n");
        listing.push_str("plain::test_of_something_else: test\n");
        listing.push_str("benches::not_a_test: benchmark\n");
        assert_eq!(
            counts_of(&listing).unwrap(),
            Counts {
                abuse: ABUSE.len(),
                fault: FAULT.len() + 1,
                fuzz: 1,
            }
        );
    }

    #[test]
    fn a_listed_check_that_no_longer_exists_is_an_error() {
        assert!(counts_of("a::b: test\n").is_err());
    }
}
