//! Rating gaps: for each title at least two members rated, the distance between the highest
//! and the lowest rating. The biggest gaps make good conversations; the smallest show where
//! tastes meet.

use anime_tracking::contracts::RatingScore;

/// How many titles each highlight list shows.
pub const HIGHLIGHTS: usize = 5;

/// The gap between the highest and lowest of a title's ratings, in half points; `None` when
/// fewer than two members rated it.
pub fn gap_in_halves(ratings: &[RatingScore]) -> Option<u8> {
    let highest = ratings.iter().map(|rating| rating.halves()).max()?;
    let lowest = ratings.iter().map(|rating| rating.halves()).min()?;
    (ratings.len() >= 2).then_some(highest - lowest)
}

/// Indexes of the rated titles (`Some` gap), biggest gap first; ties keep the given order.
pub fn biggest_first(gaps: &[Option<u8>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..gaps.len())
        .filter(|index| gaps[*index].is_some())
        .collect();
    order.sort_by_key(|index| std::cmp::Reverse(gaps[*index]));
    order
}

/// Indexes of the rated titles, smallest gap first; ties keep the given order.
pub fn smallest_first(gaps: &[Option<u8>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..gaps.len())
        .filter(|index| gaps[*index].is_some())
        .collect();
    order.sort_by_key(|index| gaps[*index]);
    order
}

#[cfg(test)]
mod tests {

    use super::*;
    use proptest::prelude::*;

    fn ratings(values: &[f64]) -> Vec<RatingScore> {
        values
            .iter()
            .map(|value| RatingScore::new(*value).unwrap())
            .collect()
    }

    #[test]
    fn a_gap_needs_two_ratings_and_spans_highest_to_lowest() {
        assert_eq!(gap_in_halves(&ratings(&[])), None);
        assert_eq!(gap_in_halves(&ratings(&[8.0])), None);
        assert_eq!(gap_in_halves(&ratings(&[10.0, 7.5])), Some(5));
        assert_eq!(gap_in_halves(&ratings(&[6.0, 9.0, 7.0])), Some(6));
    }

    #[test]
    fn highlights_order_by_gap_and_skip_titles_without_one() {
        let gaps = [Some(2), None, Some(6), Some(0), Some(2)];
        assert_eq!(biggest_first(&gaps), [2, 0, 4, 3]);
        assert_eq!(smallest_first(&gaps), [3, 0, 4, 2]);
    }

    proptest! {
        #[test]
        fn gaps_do_not_depend_on_who_rated_first(halves in prop::collection::vec(1u8..=20, 2..6)) {
            let forward: Vec<_> = halves.iter().map(|h| RatingScore::from_halves(*h).unwrap()).collect();
            let mut backward = forward.clone();
            backward.reverse();
            prop_assert_eq!(gap_in_halves(&forward), gap_in_halves(&backward));
            prop_assert!(gap_in_halves(&forward).unwrap() <= 19);
        }
    }
}
