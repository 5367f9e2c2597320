//! The member's last 50 attempts to update their AniList list: when, which title, what was
//! sent, how it went and why.

use anilist_sync::contracts::{SyncAttemptDto, SyncOutcome};
use leptos::prelude::*;

use crate::components::format_date_time;

#[component]
pub fn SyncHistory(attempts: Vec<SyncAttemptDto>) -> impl IntoView {
    let body = if attempts.is_empty() {
        view! { <p class="muted">"Nothing sent yet. Your next change to a title shows up here."</p> }
            .into_any()
    } else {
        view! {
            <div class="table-scroll">
                <table class="sync-history">
                    <caption class="visually-hidden">"Your last 50 sync attempts, newest first"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"When"</th>
                            <th scope="col">"Title"</th>
                            <th scope="col">"Sent"</th>
                            <th scope="col">"Outcome"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {attempts
                            .into_iter()
                            .map(|attempt| {
                                let (label, class) = outcome(attempt.outcome);
                                let title = attempt.title.unwrap_or_else(|| {
                                    attempt
                                        .anilist_media_id
                                        .map_or_else(|| "—".to_owned(), |id| format!("AniList #{id}"))
                                });
                                view! {
                                    <tr>
                                        <td>{format_date_time(attempt.at_utc)}</td>
                                        <td>{title}</td>
                                        <td>{attempt.summary}</td>
                                        <td>
                                            <span class=format!("sync-outcome {class}")>{label}</span>
                                            {attempt.reason.map(|reason| view! { <span class="sync-reason">" "{reason}</span> })}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="sync-history-title">
            <h2 id="sync-history-title">"Sync history"</h2>
            {body}
        </section>
    }
}

/// The outcome in words, and its style.
fn outcome(outcome: SyncOutcome) -> (&'static str, &'static str) {
    match outcome {
        SyncOutcome::Succeeded => ("Synced", "is-good"),
        SyncOutcome::WillRetry => ("Will retry", "is-waiting"),
        SyncOutcome::Failed => ("Failed", "is-bad"),
        SyncOutcome::LinkExpired => ("Link expired", "is-bad"),
        SyncOutcome::Cancelled => ("Not sent", "is-quiet"),
    }
}
