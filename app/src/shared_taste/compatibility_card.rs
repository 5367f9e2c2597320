//! The space's compatibility: a big friendly number with its label and what it rests on, or,
//! while too few shows are rated together, what unlocks it. Groups see each pair too.

use analytics::contracts::{CompatibilityDto, PairCompatibilityDto};
use leptos::prelude::*;

#[component]
pub fn CompatibilityCard(compatibility: CompatibilityDto) -> impl IntoView {
    let basis = match compatibility.rated_together_count {
        1 => "Based on 1 show you rated together.".to_owned(),
        count => format!("Based on {count} shows you rated together."),
    };
    let gap = compatibility
        .average_gap
        .map(|gap| format!("Your ratings are {gap:.1} points apart on average."));
    let groups = (compatibility.pairs.len() > 1).then(|| {
        view! {
            <ul class="compatibility-pairs" aria-label="Each pair">
                {compatibility.pairs.into_iter().map(pair_line).collect_view()}
            </ul>
        }
    });
    view! {
        <section class="card compatibility-card" aria-labelledby="compatibility-title">
            <h2 id="compatibility-title">"Compatibility"</h2>
            {match compatibility.score {
                Some(score) => view! {
                    <p class="compatibility-score">
                        <span class="compatibility-number">{score}</span>
                        <span class="compatibility-out-of">" / 100"</span>
                    </p>
                    <p class="compatibility-label">{compatibility.label}</p>
                    <p class="compatibility-basis">{basis} " " {gap}</p>
                }
                .into_any(),
                None => view! {
                    <p class="compatibility-hint">{compatibility.unlock_hint}</p>
                }
                .into_any(),
            }}
            {groups}
        </section>
    }
}

fn pair_line(pair: PairCompatibilityDto) -> impl IntoView {
    let names = format!(
        "{} & {}",
        pair.member_a.display_name, pair.member_b.display_name
    );
    let standing = match (pair.score, pair.label, pair.unlock_hint) {
        (Some(score), Some(label), _) => format!("{score} · {label}"),
        (_, _, Some(hint)) => hint,
        _ => String::new(),
    };
    view! {
        <li>
            <strong>{names}</strong>
            " "
            <span>{standing}</span>
        </li>
    }
}
