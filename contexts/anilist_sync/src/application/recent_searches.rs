//! Search results kept in memory for a while, so repeated searches (the same query typed by
//! both members of a space, a page reload) cost AniList nothing.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::contracts::MediaDto;

/// Results by `SearchQuery::cache_key`, each for `ttl`, at most `capacity` of them.
#[derive(Debug)]
pub(crate) struct RecentSearches {
    ttl: Duration,
    capacity: usize,
    entries: HashMap<String, (Instant, Vec<MediaDto>)>,
}

impl RecentSearches {
    pub(crate) fn new(ttl: Duration, capacity: usize) -> Self {
        Self {
            ttl,
            capacity: capacity.max(1),
            entries: HashMap::new(),
        }
    }

    /// The results stored for `key`, if still fresh at `now`.
    pub(crate) fn get(&mut self, key: &str, now: Instant) -> Option<Vec<MediaDto>> {
        let (stored, media) = self.entries.get(key)?;
        if now.saturating_duration_since(*stored) < self.ttl {
            return Some(media.clone());
        }
        self.entries.remove(key);
        None
    }

    /// Stores `media` for `key`; when full, expired entries go first, then the oldest.
    pub(crate) fn insert(&mut self, key: String, media: Vec<MediaDto>, now: Instant) {
        if !self.entries.contains_key(&key) && self.entries.len() >= self.capacity {
            let ttl = self.ttl;
            self.entries
                .retain(|_, (stored, _)| now.saturating_duration_since(*stored) < ttl);
            if self.entries.len() >= self.capacity {
                let oldest = self
                    .entries
                    .iter()
                    .min_by_key(|(_, (stored, _))| *stored)
                    .map(|(key, _)| key.clone());
                if let Some(oldest) = oldest {
                    self.entries.remove(&oldest);
                }
            }
        }
        self.entries.insert(key, (now, media));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TTL: Duration = Duration::from_secs(600);

    #[test]
    fn results_are_reused_until_they_expire() {
        let start = Instant::now();
        let mut recent = RecentSearches::new(TTL, 10);
        recent.insert("frieren".into(), Vec::new(), start);
        assert_eq!(recent.get("frieren", start + TTL / 2), Some(Vec::new()));
        assert_eq!(recent.get("frieren", start + TTL), None);
        assert!(recent.entries.is_empty());
    }

    #[test]
    fn a_full_cache_drops_the_oldest() {
        let start = Instant::now();
        let mut recent = RecentSearches::new(TTL, 3);
        for (offset, key) in ["a", "b", "c"].into_iter().enumerate() {
            recent.insert(
                key.into(),
                Vec::new(),
                start + Duration::from_secs(offset as u64),
            );
        }
        recent.insert("b".into(), Vec::new(), start + Duration::from_secs(5));
        recent.insert("d".into(), Vec::new(), start + Duration::from_secs(6));
        let now = start + Duration::from_secs(7);
        assert_eq!(recent.get("a", now), None, "the oldest went");
        for key in ["b", "c", "d"] {
            assert!(recent.get(key, now).is_some(), "{key}");
        }
        assert_eq!(recent.entries.len(), 3);
    }
}
