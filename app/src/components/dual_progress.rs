//! Where we are together and where each of us is: the shared progress as a bar labelled
//! "ep 7 / 12" ("ep 7 · airing" while the total is unknown), with every member's own progress
//! as a thin bar in their colour below it. The bars are decoration; the text says it all.

use anime_tracking::contracts::ParticipantEntryDto;
use leptos::prelude::*;

use super::MemberBadge;

#[component]
pub fn DualProgress(
    /// Episodes watched together.
    shared: i32,
    /// The show's episode count, when known.
    total: Option<i32>,
    /// The current members, in joining order (their colour slots).
    participants: Vec<ParticipantEntryDto>,
) -> impl IntoView {
    // With no known total, the bars compare everyone with whoever is furthest along.
    let scale = total.unwrap_or_else(|| {
        participants
            .iter()
            .map(|participant| participant.episodes_watched)
            .chain([shared])
            .max()
            .unwrap_or_default()
    });
    view! {
        <div class="dual-progress">
            <div class="progress-row progress-shared">
                <span class="progress-who">"Together"</span>
                <ProgressTrack episodes=shared scale fill_class="progress-fill"/>
                <span class="progress-text">{episode_label(shared, total)}</span>
            </div>
            <ul class="progress-members" aria-label="Each member's progress">
                {participants
                    .into_iter()
                    .enumerate()
                    .map(|(position, participant)| {
                        let fill_class = format!("progress-fill member-colour-{}", position % 6 + 1);
                        view! {
                            <li class="progress-row progress-member">
                                <MemberBadge name=participant.display_name position/>
                                <ProgressTrack episodes=participant.episodes_watched scale fill_class/>
                                <span class="progress-text">{episode_label(participant.episodes_watched, total)}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}

#[component]
fn ProgressTrack(episodes: i32, scale: i32, #[prop(into)] fill_class: String) -> impl IntoView {
    let percent = if scale > 0 {
        (f64::from(episodes.clamp(0, scale)) * 100.0 / f64::from(scale)).round()
    } else {
        0.0
    };
    view! {
        <span class="progress-track" aria-hidden="true">
            <span class=fill_class style=format!("width: {percent}%")></span>
        </span>
    }
}

/// "ep 7 / 12", or "ep 7 · airing" when the total is not known yet.
pub fn episode_label(episodes: i32, total: Option<i32>) -> String {
    match total {
        Some(total) => format!("ep {episodes} / {total}"),
        None => format!("ep {episodes} · airing"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn episode_labels_say_the_total_or_that_it_is_airing() {
        assert_eq!(episode_label(7, Some(12)), "ep 7 / 12");
        assert_eq!(episode_label(7, None), "ep 7 · airing");
    }
}
