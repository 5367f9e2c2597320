use identity::contracts::UserId;
use time::OffsetDateTime;

use crate::contracts::{EpisodeNumber, Notes, WatchSessionId, WatchSpaceAnimeId};

/// A session's last episode came before its first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("The last episode cannot come before the first one (episode {start}).")]
pub struct EndBeforeStart {
    start: i32,
}

/// Why a session's attendees were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AttendanceError {
    #[error("Pick at least one person who watched.")]
    Nobody,
    #[error("Each person can be listed only once.")]
    Duplicate,
    #[error("Only members of this space can attend its watch sessions.")]
    NotAMember,
}

/// Only a session's creator may change or delete it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("only the session's creator may change or delete it")]
pub struct NotSessionCreator;

/// The episodes a session covered: `start` to `end`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EpisodeRange {
    start: EpisodeNumber,
    end: EpisodeNumber,
}

impl EpisodeRange {
    /// # Errors
    /// `EndBeforeStart` when `end` comes before `start`.
    pub fn new(start: EpisodeNumber, end: EpisodeNumber) -> Result<Self, EndBeforeStart> {
        if end < start {
            Err(EndBeforeStart { start: start.get() })
        } else {
            Ok(Self { start, end })
        }
    }

    pub fn start(self) -> EpisodeNumber {
        self.start
    }

    pub fn end(self) -> EpisodeNumber {
        self.end
    }
}

/// Who was at a session: at least one person, each once, all current members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendees(Vec<UserId>);

impl Attendees {
    /// The `requested` attendees, or every member when none were named.
    ///
    /// # Errors
    /// See [`AttendanceError`].
    pub fn choose(
        members: &[UserId],
        requested: Option<Vec<UserId>>,
    ) -> Result<Self, AttendanceError> {
        let attendees = requested.unwrap_or_else(|| members.to_vec());
        if attendees.is_empty() {
            return Err(AttendanceError::Nobody);
        }
        if attendees.iter().any(|user| !members.contains(user)) {
            return Err(AttendanceError::NotAMember);
        }
        let mut unique = attendees.clone();
        unique.sort_unstable();
        unique.dedup();
        if unique.len() != attendees.len() {
            return Err(AttendanceError::Duplicate);
        }
        Ok(Self(attendees))
    }

    pub fn user_ids(&self) -> &[UserId] {
        &self.0
    }
}

/// A watch session that happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchSession {
    pub id: WatchSessionId,
    pub anime_id: WatchSpaceAnimeId,
    pub session_date: OffsetDateTime,
    pub episodes: EpisodeRange,
    pub notes: Option<Notes>,
    pub created_by: UserId,
    pub created_at: OffsetDateTime,
    pub attendees: Vec<UserId>,
}

impl WatchSession {
    /// Whether `actor` may change or delete the session.
    ///
    /// # Errors
    /// `NotSessionCreator` for anyone but its creator.
    pub fn ensure_creator(&self, actor: UserId) -> Result<(), NotSessionCreator> {
        if self.created_by == actor {
            Ok(())
        } else {
            Err(NotSessionCreator)
        }
    }

    /// Replaces the notes. Its creator only.
    ///
    /// # Errors
    /// `NotSessionCreator` for anyone else.
    pub fn update_notes(
        &mut self,
        actor: UserId,
        notes: Option<Notes>,
    ) -> Result<(), NotSessionCreator> {
        self.ensure_creator(actor)?;
        self.notes = notes;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::datetime;

    fn episode(raw: i32) -> EpisodeNumber {
        EpisodeNumber::new(raw).unwrap()
    }

    #[test]
    fn a_range_ends_at_or_after_its_start() {
        assert!(EpisodeRange::new(episode(3), episode(3)).is_ok());
        let error = EpisodeRange::new(episode(4), episode(3)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "The last episode cannot come before the first one (episode 4)."
        );
    }

    #[test]
    fn attendees_default_to_every_member_and_must_be_members_once() {
        let (ann, kai, eve) = (UserId::new(), UserId::new(), UserId::new());
        let members = [ann, kai];
        assert_eq!(
            Attendees::choose(&members, None).unwrap().user_ids(),
            members
        );
        assert_eq!(
            Attendees::choose(&members, Some(vec![kai]))
                .unwrap()
                .user_ids(),
            [kai]
        );
        assert_eq!(
            Attendees::choose(&members, Some(vec![kai, eve])),
            Err(AttendanceError::NotAMember)
        );
        assert_eq!(
            Attendees::choose(&members, Some(vec![kai, kai])),
            Err(AttendanceError::Duplicate)
        );
        assert_eq!(
            Attendees::choose(&members, Some(vec![])),
            Err(AttendanceError::Nobody)
        );
    }

    #[test]
    fn only_the_creator_changes_a_session() {
        let (ann, kai) = (UserId::new(), UserId::new());
        let mut session = WatchSession {
            id: WatchSessionId::new(),
            anime_id: WatchSpaceAnimeId::new(),
            session_date: datetime!(2026-11-25 20:00 UTC),
            episodes: EpisodeRange::new(episode(1), episode(2)).unwrap(),
            notes: None,
            created_by: ann,
            created_at: datetime!(2026-11-25 22:00 UTC),
            attendees: vec![ann, kai],
        };
        let notes = Notes::parse("fun").unwrap();
        assert_eq!(
            session.update_notes(kai, notes.clone()),
            Err(NotSessionCreator)
        );
        assert_eq!(session.notes, None);
        session.update_notes(ann, notes.clone()).unwrap();
        assert_eq!(session.notes, notes);
        assert_eq!(session.ensure_creator(kai), Err(NotSessionCreator));
    }

    proptest! {
        #[test]
        fn ranges_accept_exactly_the_ordered_pairs(start in 1i32..=100, end in 1i32..=100) {
            prop_assert_eq!(EpisodeRange::new(episode(start), episode(end)).is_ok(), start <= end);
        }
    }
}
