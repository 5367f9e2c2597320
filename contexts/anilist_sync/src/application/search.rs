//! `search`: titles matching what a user typed. AniList answers (at most once per query per
//! `search_cache_ttl`, and once for any number of concurrent identical searches) and every
//! result is saved in the media cache; when AniList cannot answer, the cache does.

use std::sync::Arc;
use std::time::Instant;

use super::{whole_seconds, AniListSync, Error, Shared};
use crate::contracts::{
    AniListError, AskedBy, MediaDto, MediaSearchResultsDto, SearchQuery, SearchSource,
};
use crate::infrastructure::anilist_api::FetchError;
use crate::infrastructure::media_cache_repo;

/// As many results from the cache as AniList's page would hold.
const CACHE_RESULTS: u64 = 20;

impl AniListSync {
    /// The anime whose titles match `query`, best match first; adult titles only when
    /// `include_adult`. A search AniList is asked for (not answered from memory) counts
    /// against the asking member's share. When AniList is down, slow, odd or rate limiting
    /// us, the answer comes from titles BloomWatch has cached before (perhaps none), marked
    /// `SearchSource::Cache` with the reason.
    ///
    /// # Errors
    /// `Validation` (field `query`) unless the query has 2 to 100 characters and no control
    /// characters; `TooManyRequests` when the member is over their share of AniList calls;
    /// `Internal` when the cache cannot be read or written.
    #[tracing::instrument(skip_all, fields(include_adult = include_adult))]
    pub async fn search(
        &self,
        asked_by: AskedBy,
        query: &str,
        include_adult: bool,
    ) -> Result<MediaSearchResultsDto, AniListError> {
        let query = SearchQuery::parse(query)
            .map_err(|error| AniListError::field("query", error.to_string()))?;
        self.search_titles(asked_by, query, include_adult)
            .await
            .map_err(Error::into_public)
    }

    async fn search_titles(
        &self,
        asked_by: AskedBy,
        query: SearchQuery,
        include_adult: bool,
    ) -> Result<MediaSearchResultsDto, Error> {
        let (media, source) = match self.search_anilist(asked_by, &query).await {
            Ok(media) => (media, SearchSource::AniList),
            Err(error) => {
                let Some(failure) = error.upstream() else {
                    return Err(Error::Shared(error));
                };
                tracing::warn!(error = %failure, "AniList search failed; answering from the cache");
                let media =
                    media_cache_repo::search(&self.inner.db, &query, include_adult, CACHE_RESULTS)
                        .await?;
                (media, cache_source(failure))
            }
        };
        Ok(MediaSearchResultsDto {
            query: query.as_str().to_owned(),
            results: media
                .into_iter()
                .filter(|media| include_adult || !media.is_adult)
                .collect(),
            source,
        })
    }

    /// AniList's results for the query, from memory while fresh; concurrent identical
    /// searches share one request.
    async fn search_anilist(
        &self,
        asked_by: AskedBy,
        query: &SearchQuery,
    ) -> Shared<Vec<MediaDto>> {
        let key = query.cache_key();
        if let Some(media) = self.recent_searches().get(&key, Instant::now()) {
            return Ok(media);
        }
        self.charge(asked_by).await.map_err(Arc::new)?;
        self.inner
            .searches
            .run(key.clone(), || async {
                // A search that finished a moment ago has already left the flights.
                if let Some(media) = self.recent_searches().get(&key, Instant::now()) {
                    return Ok(media);
                }
                let media = self
                    .inner
                    .client
                    .search(query, self.inner.clock.now())
                    .await
                    .map_err(|failure| Arc::new(failure.into()))?;
                self.remember(&media).await.map_err(Arc::new)?;
                self.recent_searches()
                    .insert(key.clone(), media.clone(), Instant::now());
                Ok(media)
            })
            .await
    }
}

/// Why the results come from the cache, in words for the user.
fn cache_source(failure: &FetchError) -> SearchSource {
    match failure.retry_after() {
        Some(wait) => {
            let seconds = whole_seconds(wait);
            SearchSource::Cache {
                reason: format!(
                    "AniList is busy right now, so these are titles BloomWatch has seen before. \
                     Fresh results should be back in about {seconds} seconds."
                ),
                retry_after_seconds: Some(seconds),
            }
        }
        None => SearchSource::Cache {
            reason: "AniList is not answering right now, so these are titles BloomWatch has \
                     seen before."
                .to_owned(),
            retry_after_seconds: None,
        },
    }
}
