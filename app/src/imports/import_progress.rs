//! The member's newest import into the space, followed live: a real progress bar with its
//! counts while the job runs (asked again every 1.5 s), then what it did, or why it stopped.
//! The job runs on the server, so the page can be left and reopened at any time.

use std::time::Duration;

use anilist_sync::contracts::{ImportJobDto, ImportState};
use leptos::prelude::*;
use watch_spaces::contracts::WatchSpaceId;

use super::import_preview::titles;
use super::server_fns::get_import;
use crate::components::format_date_time;

const POLL_EVERY: Duration = Duration::from_millis(1500);

#[island]
pub fn ImportProgress(space_id: WatchSpaceId, job: ImportJobDto) -> impl IntoView {
    let import_id = job.id;
    let job = RwSignal::new(job);
    let running = Memo::new(move |_| job.with(|job| job.state.is_running()));
    Effect::new(move |_| {
        if !running.get() {
            return;
        }
        let asking = StoredValue::new(false);
        let handle = set_interval_with_handle(
            move || {
                if asking.get_value() {
                    return;
                }
                asking.set_value(true);
                leptos::task::spawn_local(async move {
                    // A failed poll (a blip, a redeploy) is simply asked again next time.
                    if let Ok(next) = get_import(space_id, import_id).await {
                        job.set(next);
                    }
                    asking.set_value(false);
                });
            },
            POLL_EVERY,
        )
        .ok();
        on_cleanup(move || {
            if let Some(handle) = handle {
                handle.clear();
            }
        });
    });
    view! {
        <section class="card import-progress" aria-labelledby="import-progress-title">
            <h2 id="import-progress-title">"Your import"</h2>
            {move || job.with(|job| progress_view(space_id, job))}
        </section>
    }
}

fn progress_view(space_id: WatchSpaceId, job: &ImportJobDto) -> impl IntoView + use<> {
    let heading = format!(
        "{} · started {}",
        job.source_label,
        format_date_time(job.created_at_utc)
    );
    let (status, done) = match job.state {
        ImportState::Queued => ("Waiting to start…".to_owned(), false),
        ImportState::Fetching => ("Reading the list…".to_owned(), false),
        ImportState::Applying => (
            format!("Bringing titles in: {} of {}", job.processed, job.total),
            false,
        ),
        ImportState::Done => (
            format!(
                "Done: {} new to the space, {} of your entries added or updated, {} already up to date.",
                titles(job.added),
                job.changed,
                job.unchanged
            ),
            true,
        ),
        ImportState::Failed => (
            format!(
                "The import stopped: {}",
                job.error.clone().unwrap_or_else(|| "something went wrong.".to_owned())
            ),
            true,
        ),
    };
    // While the list is read the total is not known yet: an indeterminate bar.
    let known = job.total > 0 || !job.state.is_running();
    let waiting_note = job.state.is_running().then(|| job.error.clone()).flatten();
    let unmatched = job.unmatched.len();
    view! {
        <p class="import-progress-source">{heading}</p>
        {if known {
            view! {
                <progress class="import-bar" max=job.total.max(1) value=job.processed aria-label="Import progress"></progress>
            }
            .into_any()
        } else {
            view! { <progress class="import-bar" aria-label="Import progress"></progress> }.into_any()
        }}
        <p class=if job.state == ImportState::Failed { "import-status form-error" } else { "import-status" } role="status">{status}</p>
        {waiting_note.map(|note| view! { <p class="field-hint">{note}</p> })}
        {(unmatched > 0).then(|| view! {
            <p class="field-hint">{format!("{} from the file had no AniList match and stayed out.", titles(u32::try_from(unmatched).unwrap_or(u32::MAX)))}</p>
        })}
        {(done && job.state == ImportState::Done).then(|| view! {
            <p><a class="button secondary" href=format!("/spaces/{space_id}/anime")>"See the space's anime →"</a></p>
        })}
    }
}
