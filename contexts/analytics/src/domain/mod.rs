//! The formulas, as pure functions with no I/O.

pub mod compatibility;
pub mod rating_gaps;
