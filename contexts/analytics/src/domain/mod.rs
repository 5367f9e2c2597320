//! The formulas, as pure functions with no I/O.

pub mod compatibility;
pub mod random_pick;
pub mod rating_gaps;
pub mod shared_stats;

pub fn round_to_tenth(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

pub fn round_to_hundredth(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// A length as a count for the wire (saturating: no space holds 4 billion of anything).
pub fn count(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// Counts are far below 2^32, so as floating point they are exact.
pub fn as_f64(value: usize) -> f64 {
    f64::from(count(value))
}
