//! Titles with everyone's rating and notes, and the gap between them.

use analytics::contracts::RatingGapDto;
use leptos::prelude::*;

use super::dashboard_page::trim_tenths;

#[component]
pub fn RatingGapList(gaps: Vec<RatingGapDto>, empty: &'static str) -> impl IntoView {
    if gaps.is_empty() {
        return view! { <p class="muted">{empty}</p> }.into_any();
    }
    view! {
        <ul class="rating-gaps">
            {gaps
                .into_iter()
                .map(|gap| {
                    view! {
                        <li class="rating-gap-entry">
                            <p class="rating-gap-title">
                                <strong>{gap.title}</strong>
                                " · "
                                <span class="rating-gap-size">{format!("gap {}", trim_tenths(gap.gap))}</span>
                            </p>
                            <ul class="rating-gap-ratings">
                                {gap
                                    .ratings
                                    .into_iter()
                                    .map(|rating| view! {
                                        <li>
                                            {format!("{} {}", rating.member.display_name, rating.rating_score)}
                                            {rating.rating_notes.map(|notes| view! { <q class="rating-gap-notes">{notes}</q> })}
                                        </li>
                                    })
                                    .collect_view()}
                            </ul>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
