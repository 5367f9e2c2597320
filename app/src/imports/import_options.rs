//! The import's options as form fields, the same in the AniList form and the MyAnimeList
//! form: which list statuses to bring (none ticked: all), whether scores and notes come, and
//! whether the list may overwrite the member's own entries.

use anilist_sync::contracts::{ImportOptions, MediaListStatus};
use leptos::prelude::*;

/// The field names, shared with the page's query and the MyAnimeList island.
pub const STATUS_FIELD: &str = "status";
pub const SCORES_FIELD: &str = "scores";
pub const NOTES_FIELD: &str = "notes";
pub const OVERWRITE_FIELD: &str = "overwrite";

#[component]
pub fn ImportOptionsFields(
    /// Keeps the ids of two forms on one page apart.
    id_prefix: &'static str,
    options: ImportOptions,
) -> impl IntoView {
    let checkbox =
        move |name: &'static str, value: &'static str, label: &'static str, checked: bool| {
            let id = format!("{id_prefix}-{name}-{}", value.to_ascii_lowercase());
            view! {
                <div class="checkbox-field">
                    <input type="checkbox" id=id.clone() name=name value=value checked=checked/>
                    <label for=id>{label}</label>
                </div>
            }
        };
    view! {
        <fieldset class="import-statuses">
            <legend>"Only these statuses (optional)"</legend>
            <p class="field-hint">"With none ticked, every title on the list comes. Planning titles go to the backlog."</p>
            <div class="checkbox-row">
                {MediaListStatus::ALL
                    .iter()
                    .map(|status| checkbox(STATUS_FIELD, status.as_str(), status.label(), options.statuses.contains(status)))
                    .collect_view()}
            </div>
        </fieldset>
        <fieldset>
            <legend>"What comes with each title"</legend>
            {checkbox(SCORES_FIELD, "true", "Scores (converted to BloomWatch's 0.5 to 10)", options.scores)}
            {checkbox(NOTES_FIELD, "true", "Notes (with their scores)", options.notes)}
            {checkbox(OVERWRITE_FIELD, "true", "Let the list replace my own progress, status and rating here", options.overwrite)}
            <p class="field-hint">"Otherwise the import only moves your progress forward and fills what is empty. Nobody else's entries are ever touched."</p>
        </fieldset>
    }
}

/// The options a submitted form chose: `values(name)` gives every value sent under a name.
pub fn options_from(values: impl Fn(&str) -> Vec<String>) -> ImportOptions {
    let ticked = |name: &str| values(name).iter().any(|value| value == "true");
    let mut statuses: Vec<MediaListStatus> = values(STATUS_FIELD)
        .iter()
        .filter_map(|raw| MediaListStatus::parse(raw))
        .collect();
    statuses.dedup();
    ImportOptions {
        statuses,
        scores: ticked(SCORES_FIELD),
        notes: ticked(NOTES_FIELD),
        overwrite: ticked(OVERWRITE_FIELD),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_submitted_form_reads_back_as_options() {
        let sent = |name: &str| -> Vec<String> {
            match name {
                STATUS_FIELD => vec!["PLANNING".into(), "nonsense".into(), "COMPLETED".into()],
                SCORES_FIELD => vec!["true".into()],
                _ => Vec::new(),
            }
        };
        assert_eq!(
            options_from(sent),
            ImportOptions {
                statuses: vec![MediaListStatus::Planning, MediaListStatus::Completed],
                scores: true,
                notes: false,
                overwrite: false,
            }
        );
    }
}
