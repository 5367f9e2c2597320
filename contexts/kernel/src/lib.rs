//! The tiny shared kernel every bounded context and both UI halves use: the closed set of
//! error kinds (which owns the HTTP status and the RFC 9457 problem type/title), per-field
//! validation errors, the clock seam and (feature `db`) the event sink seam. Not a context:
//! it owns no tables. Wasm-safe.

mod clock;
#[cfg(feature = "db")]
pub mod db;
pub mod double_option;
mod error;
#[cfg(feature = "db")]
mod events;
mod id;
pub mod paging;
#[cfg(feature = "db")]
pub mod rate_limit;
pub mod text;

pub use clock::{Clock, SystemClock};
pub use error::{
    ErrorKind, FieldError, FieldErrors, PublicError, DATABASE_RETRY_AFTER_SECONDS,
    DATABASE_UNAVAILABLE,
};
#[cfg(feature = "db")]
pub use events::EventSink;
