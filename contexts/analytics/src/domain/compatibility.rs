//! Compatibility as the design defines it: over the titles two members both rated, the
//! average absolute gap between their ratings gives `max(0, round(100 - averageGap * 10))`.
//! From a few co-rated titles on, the Pearson correlation is a second signal.

use anime_tracking::contracts::RatingScore;
use identity::contracts::UserId;

/// Co-rated titles a pair needs before its score means something.
pub const TITLES_TO_UNLOCK: usize = 3;
/// Co-rated titles a pair needs before the correlation is worth showing.
pub const TITLES_FOR_CORRELATION: usize = 5;

/// The Pearson correlation of a pair's ratings, or why there is none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Correlation {
    /// Fewer than [`TITLES_FOR_CORRELATION`] co-rated titles.
    TooFewTitles,
    /// One of them rated every co-rated title the same: a correlation is undefined.
    NoVariance,
    /// From -1 (opposite tastes) to 1 (the same ups and downs).
    Value(f64),
}

/// What two members' co-rated titles say about their shared taste.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairCompatibility {
    pub rated_together: usize,
    /// Points between their ratings, on average; `None` with nothing co-rated.
    pub average_gap: Option<f64>,
    /// 0 to 100; `None` below [`TITLES_TO_UNLOCK`] co-rated titles.
    pub score: Option<u8>,
    pub correlation: Correlation,
}

/// The `(a's, b's)` ratings of every title both rated; each title lists who rated it how.
pub fn co_rated(
    titles: &[Vec<(UserId, RatingScore)>],
    a: UserId,
    b: UserId,
) -> Vec<(RatingScore, RatingScore)> {
    let rating_of = |title: &[(UserId, RatingScore)], who: UserId| {
        title
            .iter()
            .find_map(|(user, rating)| (*user == who).then_some(*rating))
    };
    titles
        .iter()
        .filter_map(|title| Some((rating_of(title, a)?, rating_of(title, b)?)))
        .collect()
}

/// One pair's compatibility from the ratings both of them gave, one `(a, b)` per title.
pub fn pair_compatibility(ratings: &[(RatingScore, RatingScore)]) -> PairCompatibility {
    let rated_together = ratings.len();
    let average_gap = (rated_together > 0).then(|| {
        let total_gap: f64 = ratings
            .iter()
            .map(|(a, b)| (a.value() - b.value()).abs())
            .sum();
        total_gap / count_as_f64(rated_together)
    });
    let score = average_gap
        .filter(|_| rated_together >= TITLES_TO_UNLOCK)
        .map(score_from_average_gap);
    PairCompatibility {
        rated_together,
        average_gap,
        score,
        correlation: correlation(ratings),
    }
}

/// `max(0, round(100 - averageGap * 10))`; gaps are at most 9.5 points, so never below 5.
pub fn score_from_average_gap(average_gap: f64) -> u8 {
    let score = (100.0 - average_gap * 10.0).round().clamp(0.0, 100.0);
    // In 0..=100 after the clamp.
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let score = score as u8;
    score
}

/// The space's score: the mean of the scores of the pairs that have one.
pub fn space_score(pair_scores: impl IntoIterator<Item = Option<u8>>) -> Option<u8> {
    let scores: Vec<f64> = pair_scores.into_iter().flatten().map(f64::from).collect();
    (!scores.is_empty()).then(|| {
        let mean = scores.iter().sum::<f64>() / count_as_f64(scores.len());
        // A mean of values in 0..=100 stays in 0..=100.
        #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let rounded = mean.round() as u8;
        rounded
    })
}

/// A warm name for a score band.
pub fn label(score: u8) -> &'static str {
    match score {
        95..=100 => "Practically one heart on two couches",
        85..=94 => "Very synced, with a little spice",
        70..=84 => "In tune, with fun debates",
        50..=69 => "Different tastes, great conversations",
        _ => "Opposites who share a blanket",
    }
}

/// What sparse data says instead of a score.
pub fn unlock_hint(rated_together: usize) -> String {
    match TITLES_TO_UNLOCK.saturating_sub(rated_together) {
        1 => "Rate 1 more show together to unlock your score.".to_owned(),
        missing => format!("Rate {missing} more shows together to unlock your score."),
    }
}

fn correlation(ratings: &[(RatingScore, RatingScore)]) -> Correlation {
    if ratings.len() < TITLES_FOR_CORRELATION {
        return Correlation::TooFewTitles;
    }
    let count = count_as_f64(ratings.len());
    let mean_a = ratings.iter().map(|(a, _)| a.value()).sum::<f64>() / count;
    let mean_b = ratings.iter().map(|(_, b)| b.value()).sum::<f64>() / count;
    let (mut covariance, mut variance_a, mut variance_b) = (0.0, 0.0, 0.0);
    for (a, b) in ratings {
        let (da, db) = (a.value() - mean_a, b.value() - mean_b);
        covariance += da * db;
        variance_a += da * da;
        variance_b += db * db;
    }
    // Ratings are multiples of 0.5, so a zero variance is exactly zero.
    if variance_a == 0.0 || variance_b == 0.0 {
        return Correlation::NoVariance;
    }
    Correlation::Value((covariance / (variance_a * variance_b).sqrt()).clamp(-1.0, 1.0))
}

/// Title counts are small; as floating point they are exact.
fn count_as_f64(count: usize) -> f64 {
    f64::from(u32::try_from(count).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {

    use super::*;
    use proptest::prelude::*;

    fn rating(value: f64) -> RatingScore {
        RatingScore::new(value).unwrap()
    }

    fn pairs(values: &[(f64, f64)]) -> Vec<(RatingScore, RatingScore)> {
        values
            .iter()
            .map(|(a, b)| (rating(*a), rating(*b)))
            .collect()
    }

    #[test]
    fn the_design_example_scores_90() {
        let example = pair_compatibility(&pairs(&[(10.0, 9.0), (9.0, 8.0), (7.0, 6.0)]));
        assert_eq!(example.rated_together, 3);
        assert_eq!(example.average_gap, Some(1.0));
        assert_eq!(example.score, Some(90));
        assert_eq!(label(90), "Very synced, with a little spice");
        assert_eq!(label(87), "Very synced, with a little spice");
    }

    #[test]
    fn sparse_pairs_get_a_hint_instead_of_a_score() {
        let two = pair_compatibility(&pairs(&[(8.0, 8.0), (6.0, 9.0)]));
        assert_eq!(two.score, None);
        assert_eq!(two.average_gap, Some(1.5));
        assert_eq!(
            unlock_hint(1),
            "Rate 2 more shows together to unlock your score."
        );
        assert_eq!(
            unlock_hint(2),
            "Rate 1 more show together to unlock your score."
        );
        let none = pair_compatibility(&[]);
        assert_eq!((none.score, none.average_gap), (None, None));
    }

    #[test]
    fn correlation_needs_five_titles_and_variance() {
        let four = pair_compatibility(&pairs(&[(1.0, 2.0), (2.0, 3.0), (3.0, 4.0), (4.0, 5.0)]));
        assert_eq!(four.correlation, Correlation::TooFewTitles);
        let flat = pair_compatibility(&pairs(&[
            (7.0, 1.0),
            (7.0, 2.0),
            (7.0, 3.0),
            (7.0, 4.0),
            (7.0, 5.0),
        ]));
        assert_eq!(flat.correlation, Correlation::NoVariance);
        let same_shape = pair_compatibility(&pairs(&[
            (1.0, 2.0),
            (2.0, 3.0),
            (3.0, 4.0),
            (4.0, 5.0),
            (5.0, 6.0),
        ]));
        assert_eq!(same_shape.correlation, Correlation::Value(1.0));
        let opposite = pair_compatibility(&pairs(&[
            (1.0, 5.0),
            (2.0, 4.0),
            (3.0, 3.0),
            (4.0, 2.0),
            (5.0, 1.0),
        ]));
        assert_eq!(opposite.correlation, Correlation::Value(-1.0));
    }

    #[test]
    fn the_space_score_is_the_mean_of_pairs_with_a_score() {
        assert_eq!(space_score([Some(90), None, Some(71)]), Some(81));
        assert_eq!(space_score([None, None]), None);
    }

    fn any_rating() -> impl Strategy<Value = RatingScore> {
        (1u8..=20).prop_map(|halves| RatingScore::from_halves(halves).unwrap())
    }

    proptest! {
        #[test]
        fn scores_stay_within_0_to_100(ratings in prop::collection::vec((any_rating(), any_rating()), 0..40)) {
            let compatibility = pair_compatibility(&ratings);
            if let Some(score) = compatibility.score {
                prop_assert!(score <= 100);
            }
            if let Correlation::Value(r) = compatibility.correlation {
                prop_assert!((-1.0..=1.0).contains(&r));
            }
        }

        #[test]
        fn titles_only_one_member_rated_change_nothing(
            both in prop::collection::vec((any_rating(), any_rating()), 0..20),
            only_one in prop::collection::vec((any::<bool>(), any_rating()), 0..20),
        ) {
            let (a, b) = (UserId(uuid::Uuid::from_u128(1)), UserId(uuid::Uuid::from_u128(2)));
            let mut titles: Vec<Vec<(UserId, RatingScore)>> =
                both.iter().map(|(x, y)| vec![(a, *x), (b, *y)]).collect();
            let before = pair_compatibility(&co_rated(&titles, a, b));
            titles.extend(only_one.iter().map(|(first, rating)| vec![(if *first { a } else { b }, *rating)]));
            titles.push(Vec::new());
            prop_assert_eq!(pair_compatibility(&co_rated(&titles, a, b)), before);
        }

        #[test]
        fn compatibility_is_symmetric(ratings in prop::collection::vec((any_rating(), any_rating()), 0..40)) {
            let swapped: Vec<_> = ratings.iter().map(|(a, b)| (*b, *a)).collect();
            prop_assert_eq!(pair_compatibility(&ratings), pair_compatibility(&swapped));
        }
    }
}
