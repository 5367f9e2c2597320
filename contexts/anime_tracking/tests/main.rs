//! AnimeTracking integration tests (one binary).
