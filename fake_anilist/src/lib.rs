//! A fake AniList GraphQL server (see the crate description).
