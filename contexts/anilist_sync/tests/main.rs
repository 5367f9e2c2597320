//! AniListSync integration tests (one binary).
