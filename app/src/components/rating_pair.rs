//! Everyone's rating side by side, and how far apart they are: "Ann 8.5 · Bob 7 · gap 1.5".
//! Readable as text by screen readers ("Ann rated 8.5", "Bob has not rated it yet").

use anime_tracking::contracts::ParticipantEntryDto;
use leptos::prelude::*;

use super::MemberBadge;

#[component]
pub fn RatingPair(
    /// The current members, in joining order (their colour slots).
    participants: Vec<ParticipantEntryDto>,
) -> impl IntoView {
    let scores: Vec<u8> = participants
        .iter()
        .filter_map(|participant| participant.rating_score.map(|score| score.halves()))
        .collect();
    let gap = match (scores.iter().max(), scores.iter().min()) {
        (Some(high), Some(low)) if scores.len() >= 2 => Some(high - low),
        _ => None,
    };
    view! {
        <ul class="rating-pair" aria-label="Ratings">
            {participants
                .into_iter()
                .enumerate()
                .map(|(position, participant)| {
                    let rating = match participant.rating_score {
                        Some(score) => view! {
                            <span class="rating-value"><span class="visually-hidden">"rated "</span>{score.to_string()}</span>
                        }
                        .into_any(),
                        None => view! {
                            <span class="rating-value muted"><span class="visually-hidden">"has not rated it yet"</span><span aria-hidden="true">"–"</span></span>
                        }
                        .into_any(),
                    };
                    view! {
                        <li class="rating-item">
                            <MemberBadge name=participant.display_name position/>
                            {rating}
                        </li>
                    }
                })
                .collect_view()}
            {gap.map(|gap| view! { <li class="rating-gap">{gap_label(gap)}</li> })}
        </ul>
    }
}

/// The gap in words, from the difference in half points.
fn gap_label(gap_halves: u8) -> String {
    if gap_halves == 0 {
        return "Same score 💞".to_owned();
    }
    let whole = gap_halves / 2;
    if gap_halves.is_multiple_of(2) {
        format!("Gap {whole}")
    } else {
        format!("Gap {whole}.5")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_said_in_half_steps() {
        assert_eq!(gap_label(0), "Same score 💞");
        assert_eq!(gap_label(3), "Gap 1.5");
        assert_eq!(gap_label(4), "Gap 2");
    }
}
