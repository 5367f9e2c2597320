use anime_tracking::contracts::{RatingScore, WatchSpaceAnimeDto};
use identity::contracts::UserId;
use watch_spaces::contracts::WatchSpaceId;

use super::{current_members, member_ref, Analytics, Error};
use crate::contracts::{AnalyticsError, CompatibilityDto, MemberRefDto, PairCompatibilityDto};
use crate::domain::compatibility::{
    co_rated, label, pair_compatibility, space_score, unlock_hint, Correlation,
    TITLES_FOR_CORRELATION,
};
use crate::domain::{as_f64, count, round_to_hundredth, round_to_tenth};

impl Analytics {
    /// Every pair of current members' compatibility, and the space's.
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space))]
    pub async fn compatibility(
        &self,
        actor: UserId,
        space: WatchSpaceId,
    ) -> Result<CompatibilityDto, AnalyticsError> {
        let anime = self
            .tracked_anime(actor, space)
            .await
            .map_err(Error::into_public)?;
        Ok(compatibility_of(space, &anime))
    }
}

/// The compatibility of the space's current members over its tracked anime.
pub(super) fn compatibility_of(
    space: WatchSpaceId,
    anime: &[WatchSpaceAnimeDto],
) -> CompatibilityDto {
    let members: Vec<MemberRefDto> = anime
        .first()
        .map(|first| current_members(first).map(member_ref).collect())
        .unwrap_or_default();
    let titles: Vec<Vec<(UserId, RatingScore)>> = anime
        .iter()
        .map(|anime| {
            current_members(anime)
                .filter_map(|entry| Some((entry.user_id, entry.rating_score?)))
                .collect()
        })
        .collect();

    let pairs: Vec<PairCompatibilityDto> = members
        .iter()
        .enumerate()
        .flat_map(|(index, a)| members[index + 1..].iter().map(move |b| (a, b)))
        .map(|(a, b)| pair_dto(a, b, &titles))
        .collect();
    let score = space_score(pairs.iter().map(|pair| pair.score));
    let scored_gaps: Vec<f64> = pairs
        .iter()
        .filter(|pair| pair.score.is_some())
        .filter_map(|pair| pair.average_gap)
        .collect();
    let most_rated_together = pairs
        .iter()
        .map(|pair| pair.rated_together_count)
        .max()
        .unwrap_or(0);
    CompatibilityDto {
        watch_space_id: space,
        score,
        average_gap: (!scored_gaps.is_empty())
            .then(|| round_to_tenth(scored_gaps.iter().sum::<f64>() / as_f64(scored_gaps.len()))),
        rated_together_count: count(titles.iter().filter(|title| title.len() >= 2).count()),
        label: score.map(|score| label(score).to_owned()),
        unlock_hint: score
            .is_none()
            .then(|| unlock_hint(usize::try_from(most_rated_together).unwrap_or(usize::MAX))),
        pairs,
    }
}

fn pair_dto(
    a: &MemberRefDto,
    b: &MemberRefDto,
    titles: &[Vec<(UserId, RatingScore)>],
) -> PairCompatibilityDto {
    let compatibility = pair_compatibility(&co_rated(titles, a.user_id, b.user_id));
    let (correlation, correlation_note) = match compatibility.correlation {
        Correlation::Value(value) => (Some(round_to_hundredth(value)), None),
        Correlation::TooFewTitles => (
            None,
            Some(format!(
                "The correlation appears from {TITLES_FOR_CORRELATION} shows rated together."
            )),
        ),
        Correlation::NoVariance => (
            None,
            Some(
                "No correlation yet: one of you gave every shared show the same rating.".to_owned(),
            ),
        ),
    };
    PairCompatibilityDto {
        member_a: a.clone(),
        member_b: b.clone(),
        rated_together_count: count(compatibility.rated_together),
        score: compatibility.score,
        average_gap: compatibility.average_gap.map(round_to_tenth),
        label: compatibility.score.map(|score| label(score).to_owned()),
        unlock_hint: compatibility
            .score
            .is_none()
            .then(|| unlock_hint(compatibility.rated_together)),
        correlation,
        correlation_note,
    }
}
