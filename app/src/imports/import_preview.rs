//! What an import would do, before anything is written: the list's titles per status, what is
//! new to the space and what it tracks already, where the member's own entries say something
//! else, the overlap with every other member ("42 you both finished, 120 only Mika has, …")
//! and the titles AniList does not know. The page's import button comes as `children`.

use anilist_sync::contracts::{ImportOverlapDto, ImportPreviewDto, UnmatchedTitleDto};
use leptos::prelude::*;

#[component]
pub fn ImportPreview(
    preview: ImportPreviewDto,
    /// The importer's display name, as the overlap sentences say it.
    importer: String,
    /// Whether the import may overwrite the member's own entries (the conflicts line says
    /// what happens to them).
    overwrite: bool,
    children: Children,
) -> impl IntoView {
    let ImportPreviewDto {
        source_label,
        total,
        by_status,
        new_to_space,
        already_in_space,
        conflicts,
        unmatched,
        overlap,
    } = preview;
    let conflicts_line = match (conflicts, overwrite) {
        (0, _) => "None of your own entries here says anything else.".to_owned(),
        (count, true) => format!("{} where your own entry here says something else: the list's replaces it.", titles(count)),
        (count, false) => format!(
            "{} where your own entry here says something else: progress only moves forward, and what you filled in stays.",
            titles(count)
        ),
    };
    view! {
        <section class="card import-preview" aria-labelledby="import-preview-title">
            <h2 id="import-preview-title">"What this import does"</h2>
            <p class="lede">{format!("{source_label}: {} to bring in. Nothing is written until you import.", titles(total))}</p>
            <ul class="import-status-counts" aria-label="On the list, by status">
                {by_status
                    .into_iter()
                    .map(|count| view! {
                        <li><strong>{count.count}</strong>" "{count.status.label()}</li>
                    })
                    .collect_view()}
            </ul>
            <ul class="import-figures">
                <li>{format!("{} new to this space", titles(new_to_space))}</li>
                <li>{format!("{} already in it", titles(already_in_space))}</li>
                <li>{conflicts_line}</li>
            </ul>
            {(!overlap.is_empty()).then(|| view! {
                <h3>"You and the others"</h3>
                <ul class="import-overlap">
                    {overlap
                        .iter()
                        .map(|other| view! { <li>{overlap_sentence(other, &importer)}</li> })
                        .collect_view()}
                </ul>
            })}
            {(!unmatched.is_empty()).then(|| unmatched_list(unmatched))}
            {children()}
        </section>
    }
}

/// "42 you both finished, 120 only Mika has, 88 only Ren has, 17 you both plan to watch".
pub fn overlap_sentence(overlap: &ImportOverlapDto, importer: &str) -> String {
    format!(
        "{} you both finished, {} only {importer} has, {} only {} has, {} you both plan to watch",
        overlap.both_finished,
        overlap.only_you,
        overlap.only_them,
        overlap.display_name,
        overlap.both_planning
    )
}

fn unmatched_list(unmatched: Vec<UnmatchedTitleDto>) -> impl IntoView {
    let summary = format!(
        "{} AniList does not know, so they stay out",
        titles(u32::try_from(unmatched.len()).unwrap_or(u32::MAX))
    );
    view! {
        <details class="import-unmatched">
            <summary>{summary}</summary>
            <ul>
                {unmatched
                    .into_iter()
                    .map(|title| {
                        let name = title.title.unwrap_or_else(|| "Untitled".to_owned());
                        view! { <li>{format!("{name} (MyAnimeList #{})", title.mal_id)}</li> }
                    })
                    .collect_view()}
            </ul>
        </details>
    }
}

/// "1 title", "12 titles".
pub fn titles(count: u32) -> String {
    if count == 1 {
        "1 title".to_owned()
    } else {
        format!("{count} titles")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use identity::contracts::UserId;

    #[test]
    fn the_overlap_reads_as_the_issue_says() {
        let overlap = ImportOverlapDto {
            member_id: UserId(uuid::Uuid::nil()),
            display_name: "Ren".to_owned(),
            both_finished: 42,
            only_you: 120,
            only_them: 88,
            both_planning: 17,
        };
        assert_eq!(
            overlap_sentence(&overlap, "Mika"),
            "42 you both finished, 120 only Mika has, 88 only Ren has, 17 you both plan to watch"
        );
        assert_eq!(titles(1), "1 title");
        assert_eq!(titles(0), "0 titles");
    }
}
