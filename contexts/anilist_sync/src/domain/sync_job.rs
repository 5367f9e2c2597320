//! The outbox's rules, free of I/O: which values one delivery sends for a member's title when
//! several changes wait (each field from the newest change that set it), and what happens
//! to the jobs after an attempt (delivered, tried again later with jittered exponential
//! backoff, paused until the member links again, or given up with the reason kept).

use std::time::Duration;

use time::OffsetDateTime;

use crate::contracts::{MediaListStatus, ScoreRaw};

/// Attempts (failures that are AniList's and passing) before a change is given up.
pub const MAX_ATTEMPTS: i32 = 8;
/// The pause after the first failed attempt; each further one doubles it, up to an hour.
const FIRST_RETRY: Duration = Duration::from_secs(30);
const LONGEST_RETRY: Duration = Duration::from_secs(60 * 60);

/// One pending change of a member's title, as queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingJob {
    pub id: i64,
    pub watch_space_anime_id: Option<uuid::Uuid>,
    pub status: Option<MediaListStatus>,
    pub progress: Option<i32>,
    pub score_raw: Option<ScoreRaw>,
    pub attempts: i32,
    pub next_attempt_at: OffsetDateTime,
}

/// What one delivery sends for a member's title, and which jobs it settles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The newest job: it carries the merged values from now on.
    pub newest: i64,
    /// The older jobs this delivery stands for.
    pub superseded: Vec<i64>,
    pub watch_space_anime_id: Option<uuid::Uuid>,
    pub status: Option<MediaListStatus>,
    pub progress: Option<i32>,
    pub score_raw: Option<ScoreRaw>,
    /// Attempts the newest job has used.
    pub attempts: i32,
}

impl Delivery {
    /// Merges pending jobs (oldest first) into one delivery: each field from the newest job
    /// that set it. `None` without jobs.
    pub fn coalesce(jobs: &[PendingJob]) -> Option<Self> {
        let newest = jobs.last()?;
        let latest = |field: fn(&PendingJob) -> bool| jobs.iter().rev().find(|job| field(job));
        Some(Self {
            newest: newest.id,
            superseded: jobs[..jobs.len() - 1].iter().map(|job| job.id).collect(),
            watch_space_anime_id: newest
                .watch_space_anime_id
                .or_else(|| jobs.iter().rev().find_map(|job| job.watch_space_anime_id)),
            status: latest(|job| job.status.is_some()).and_then(|job| job.status),
            progress: latest(|job| job.progress.is_some()).and_then(|job| job.progress),
            score_raw: latest(|job| job.score_raw.is_some()).and_then(|job| job.score_raw),
            attempts: newest.attempts,
        })
    }

    /// What it sends, in words.
    pub fn summary(&self) -> String {
        describe(self.status, self.progress, self.score_raw)
    }
}

/// List values in words, as the member's sync history shows them: "progress 7 · Watching ·
/// score 85/100".
pub fn describe(
    status: Option<MediaListStatus>,
    progress: Option<i32>,
    score_raw: Option<ScoreRaw>,
) -> String {
    let mut parts = Vec::new();
    if let Some(progress) = progress {
        parts.push(format!("progress {progress}"));
    }
    if let Some(status) = status {
        parts.push(status.label().to_owned());
    }
    if let Some(score) = score_raw {
        parts.push(match score.get() {
            0 => "no score".to_owned(),
            score => format!("score {score}/100"),
        });
    }
    parts.join(" · ")
}

/// Why an attempt did not deliver, as far as the outbox cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptFailure {
    /// AniList is down, slow, answered garbage or asked us to wait: try again.
    Passing {
        reason: String,
        /// AniList's (or our budget's) wait, when it said.
        retry_after: Option<Duration>,
    },
    /// AniList refused the change itself (an unknown title, values it does not accept):
    /// trying again would not help.
    Refused { reason: String },
    /// AniList refused the member's token: paused until they link again.
    Unauthorized,
}

/// What becomes of the delivery's jobs after a failed attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterFailure {
    /// Pending again from `at`, with `attempts` used.
    RetryAt {
        at: OffsetDateTime,
        attempts: i32,
        reason: String,
    },
    /// Given up for good.
    GiveUp { reason: String },
    /// Left pending, untouched: the member's link is marked expired.
    PauseForRelink,
}

impl AttemptFailure {
    /// Decides, for a delivery that had used `attempts`, at `now`; `jitter` in 0.8–1.2 spreads
    /// retries of instances that failed together. A wait AniList asked for does not use up
    /// an attempt.
    pub fn decide(&self, attempts: i32, now: OffsetDateTime, jitter: f64) -> AfterFailure {
        match self {
            Self::Unauthorized => AfterFailure::PauseForRelink,
            Self::Refused { reason } => AfterFailure::GiveUp {
                reason: reason.clone(),
            },
            Self::Passing {
                reason,
                retry_after: Some(wait),
            } => AfterFailure::RetryAt {
                at: now + bounded(*wait),
                attempts,
                reason: reason.clone(),
            },
            Self::Passing {
                reason,
                retry_after: None,
            } => {
                let attempts = attempts.saturating_add(1);
                if attempts >= MAX_ATTEMPTS {
                    return AfterFailure::GiveUp {
                        reason: format!("{reason} (gave up after {attempts} attempts)"),
                    };
                }
                AfterFailure::RetryAt {
                    at: now + bounded(backoff(attempts).mul_f64(jitter.clamp(0.8, 1.2))),
                    attempts,
                    reason: reason.clone(),
                }
            }
        }
    }
}

/// The pause after attempt number `attempts`: 30 s, 1 min, 2 min, … at most an hour.
fn backoff(attempts: i32) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(16);
    FIRST_RETRY
        .saturating_mul(2u32.saturating_pow(doublings))
        .min(LONGEST_RETRY)
}

/// A wait as a `time` duration, at most an hour: a huge `Retry-After` must not park a change
/// for years or overflow the date.
fn bounded(wait: Duration) -> time::Duration {
    time::Duration::try_from(wait.min(LONGEST_RETRY)).unwrap_or(time::Duration::HOUR)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-12-01 12:00 UTC);

    fn job(id: i64) -> PendingJob {
        PendingJob {
            id,
            watch_space_anime_id: None,
            status: None,
            progress: None,
            score_raw: None,
            attempts: 0,
            next_attempt_at: NOW,
        }
    }

    #[test]
    fn five_changes_make_one_delivery_with_the_newest_value_of_each_field() {
        let jobs = vec![
            PendingJob {
                progress: Some(1),
                status: Some(MediaListStatus::Current),
                ..job(1)
            },
            PendingJob {
                progress: Some(2),
                ..job(2)
            },
            PendingJob {
                score_raw: ScoreRaw::new(70),
                ..job(3)
            },
            PendingJob {
                progress: Some(3),
                ..job(4)
            },
            PendingJob {
                score_raw: ScoreRaw::new(85),
                attempts: 2,
                ..job(5)
            },
        ];
        let delivery = Delivery::coalesce(&jobs).unwrap();
        assert_eq!(delivery.newest, 5);
        assert_eq!(delivery.superseded, vec![1, 2, 3, 4]);
        assert_eq!(delivery.progress, Some(3));
        assert_eq!(delivery.status, Some(MediaListStatus::Current));
        assert_eq!(delivery.score_raw, ScoreRaw::new(85));
        assert_eq!(delivery.attempts, 2);
        assert_eq!(delivery.summary(), "progress 3 · Watching · score 85/100");
        assert_eq!(Delivery::coalesce(&[]), None);
    }

    #[test]
    fn passing_failures_back_off_then_give_up() {
        let failure = AttemptFailure::Passing {
            reason: "AniList failed with HTTP 502".to_owned(),
            retry_after: None,
        };
        let AfterFailure::RetryAt { at, attempts, .. } = failure.decide(0, NOW, 1.0) else {
            panic!("should retry");
        };
        assert_eq!((at, attempts), (NOW + time::Duration::seconds(30), 1));
        let AfterFailure::RetryAt { at, .. } = failure.decide(3, NOW, 1.2) else {
            panic!("should retry");
        };
        assert_eq!(at, NOW + time::Duration::seconds(288), "4 min × 1.2");
        let AfterFailure::RetryAt { at, .. } = failure.decide(6, NOW, 9.0) else {
            panic!("should retry");
        };
        assert_eq!(
            at,
            NOW + time::Duration::seconds(32 * 60 * 6 / 5),
            "32 min, the jitter clamped to 1.2"
        );
        assert!(matches!(
            failure.decide(MAX_ATTEMPTS - 1, NOW, 1.0),
            AfterFailure::GiveUp { reason } if reason.contains("gave up after 8 attempts")
        ));
    }

    #[test]
    fn a_wait_anilist_asks_for_is_honoured_without_using_an_attempt() {
        let limited = AttemptFailure::Passing {
            reason: "AniList rate limited us".to_owned(),
            retry_after: Some(Duration::from_secs(42)),
        };
        assert!(matches!(
            limited.decide(5, NOW, 1.0),
            AfterFailure::RetryAt { at, attempts: 5, .. } if at == NOW + time::Duration::seconds(42)
        ));
        let absurd = AttemptFailure::Passing {
            reason: "x".to_owned(),
            retry_after: Some(Duration::from_secs(u64::MAX)),
        };
        assert!(matches!(
            absurd.decide(0, NOW, 1.0),
            AfterFailure::RetryAt { at, .. } if at == NOW + time::Duration::hours(1)
        ));
    }

    #[test]
    fn refusals_give_up_at_once_and_a_refused_token_pauses() {
        let refused = AttemptFailure::Refused {
            reason: "AniList has no such media".to_owned(),
        };
        assert_eq!(
            refused.decide(0, NOW, 1.0),
            AfterFailure::GiveUp {
                reason: "AniList has no such media".to_owned()
            }
        );
        assert_eq!(
            AttemptFailure::Unauthorized.decide(3, NOW, 1.0),
            AfterFailure::PauseForRelink
        );
    }
}
