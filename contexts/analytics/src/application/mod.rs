//! Analytics' use cases behind one facade. Reads go through AnimeTracking's facade, so the
//! same membership rules apply and no other context's table is touched.

use anime_tracking::contracts::{
    AnimeListQuery, AnimeTrackingError, ParticipantEntryDto, RatingScore, WatchSpaceAnimeDto,
};
use anime_tracking::AnimeTracking;
use identity::contracts::UserId;
use watch_spaces::contracts::WatchSpaceId;

use crate::contracts::{
    AnalyticsError, CompatibilityDto, MemberRatingDto, MemberRefDto, PairCompatibilityDto,
    RatingGapDto, RatingGapsDto,
};
use crate::domain::compatibility::{
    co_rated, label, pair_compatibility, space_score, unlock_hint, Correlation,
    TITLES_FOR_CORRELATION,
};
use crate::domain::rating_gaps::{biggest_first, gap_in_halves, smallest_first, HIGHLIGHTS};

/// The Analytics facade.
#[derive(Clone)]
pub struct Analytics {
    anime_tracking: AnimeTracking,
}

impl std::fmt::Debug for Analytics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analytics").finish_non_exhaustive()
    }
}

impl Analytics {
    pub fn new(anime_tracking: AnimeTracking) -> Self {
        Self { anime_tracking }
    }

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
        let anime = self.tracked_anime(actor, space).await?;
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
        Ok(CompatibilityDto {
            watch_space_id: space,
            score,
            average_gap: (!scored_gaps.is_empty()).then(|| {
                round_to_tenth(scored_gaps.iter().sum::<f64>() / as_f64(scored_gaps.len()))
            }),
            rated_together_count: count(titles.iter().filter(|title| title.len() >= 2).count()),
            label: score.map(|score| label(score).to_owned()),
            unlock_hint: score
                .is_none()
                .then(|| unlock_hint(usize::try_from(most_rated_together).unwrap_or(usize::MAX))),
            pairs,
        })
    }
}

impl Analytics {
    /// Where the members' ratings differ most, and where they meet.
    ///
    /// # Errors
    /// `SpaceNotFound` when there is no such space or `actor` is not a member; `Internal`.
    #[tracing::instrument(skip_all, fields(user_id = %actor, space_id = %space))]
    pub async fn rating_gaps(
        &self,
        actor: UserId,
        space: WatchSpaceId,
    ) -> Result<RatingGapsDto, AnalyticsError> {
        let anime = self.tracked_anime(actor, space).await?;
        let gaps: Vec<Option<u8>> = anime
            .iter()
            .map(|anime| {
                let ratings: Vec<RatingScore> = current_members(anime)
                    .filter_map(|entry| entry.rating_score)
                    .collect();
                gap_in_halves(&ratings)
            })
            .collect();
        let gap_dto = |index: usize| gap_dto(&anime[index], gaps[index].unwrap_or(0));
        Ok(RatingGapsDto {
            watch_space_id: space,
            biggest_gaps: biggest_first(&gaps)
                .into_iter()
                .filter(|index| gaps[*index] > Some(0))
                .take(HIGHLIGHTS)
                .map(gap_dto)
                .collect(),
            most_aligned: smallest_first(&gaps)
                .into_iter()
                .take(HIGHLIGHTS)
                .map(gap_dto)
                .collect(),
            all: biggest_first(&gaps).into_iter().map(gap_dto).collect(),
        })
    }

    /// Every anime the space tracks, through AnimeTracking (which checks membership).
    async fn tracked_anime(
        &self,
        actor: UserId,
        space: WatchSpaceId,
    ) -> Result<Vec<WatchSpaceAnimeDto>, AnalyticsError> {
        self.anime_tracking
            .list_anime(actor, space, AnimeListQuery::default())
            .await
            .map_err(|error| match error {
                AnimeTrackingError::SpaceNotFound => AnalyticsError::SpaceNotFound,
                other => {
                    tracing::error!(error = %other, "listing anime for analytics");
                    AnalyticsError::Internal
                }
            })
    }
}

/// Who is in the space now (former members' entries are kept but not analysed).
fn current_members(anime: &WatchSpaceAnimeDto) -> impl Iterator<Item = &ParticipantEntryDto> {
    anime
        .participants
        .iter()
        .filter(|entry| entry.current_member)
}

fn member_ref(entry: &ParticipantEntryDto) -> MemberRefDto {
    MemberRefDto {
        user_id: entry.user_id,
        display_name: entry.display_name.clone(),
    }
}

fn gap_dto(anime: &WatchSpaceAnimeDto, gap_in_halves: u8) -> RatingGapDto {
    let mut ratings: Vec<MemberRatingDto> = current_members(anime)
        .filter_map(|entry| {
            Some(MemberRatingDto {
                member: member_ref(entry),
                rating_score: entry.rating_score?,
                rating_notes: entry.rating_notes.clone(),
            })
        })
        .collect();
    ratings.sort_by_key(|rating| std::cmp::Reverse(rating.rating_score));
    RatingGapDto {
        watch_space_anime_id: anime.id,
        title: anime.display_title().to_owned(),
        cover_image_url: anime.cover_image_url_snapshot.clone(),
        gap: f64::from(gap_in_halves) / 2.0,
        ratings,
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

fn round_to_tenth(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

fn round_to_hundredth(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

fn count(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

fn as_f64(value: usize) -> f64 {
    f64::from(count(value))
}
