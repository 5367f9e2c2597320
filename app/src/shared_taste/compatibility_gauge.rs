//! The space's compatibility as a gauge: a big friendly number in a ring, its label and what
//! it rests on, or, while too few shows are rated together, what unlocks it. Groups see each
//! pair too (the analytics page has the full matrix).

use analytics::contracts::{CompatibilityDto, PairCompatibilityDto};
use leptos::prelude::*;

#[component]
pub fn CompatibilityGauge(compatibility: CompatibilityDto) -> impl IntoView {
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
                    <div class="compatibility-score">
                        <svg class="gauge" viewBox="0 0 120 120" aria-hidden="true">
                            <circle class="gauge-track" cx="60" cy="60" r=GAUGE_RADIUS/>
                            <circle
                                class="gauge-value"
                                cx="60"
                                cy="60"
                                r=GAUGE_RADIUS
                                stroke-dasharray=gauge_dash(score)
                                transform="rotate(-90 60 60)"
                            />
                        </svg>
                        <p class="gauge-reading">
                            <span class="compatibility-number">{score}</span>
                            <span class="compatibility-out-of">" / 100"</span>
                        </p>
                    </div>
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

const GAUGE_RADIUS: f64 = 52.0;

/// The ring's filled length, then the rest: `score` percent of the circumference.
fn gauge_dash(score: u8) -> String {
    let circumference = 2.0 * std::f64::consts::PI * GAUGE_RADIUS;
    let filled = circumference * f64::from(score.min(100)) / 100.0;
    format!("{filled:.1} {circumference:.1}")
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
