//! A fresh database, Identity and WatchSpaces per test, a clock the test moves, and
//! shortcuts for the usual setup (users, a space, a joined member).

// Setup that fails cannot test anything: these helpers panic, like the tests calling them.
#![expect(clippy::unwrap_used)]

use std::sync::Arc;

use identity::contracts::UserId;
use identity::Identity;
use testkit::{people, RecordedEvents, TestClock, TestDb};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use watch_spaces::contracts::{
    CreatedInvitationDto, InviteMember, MembersChanged, WatchSpaceDetailsDto, WatchSpaceId,
};
use watch_spaces::{WatchSpaces, WatchSpacesSettings};

pub const START: OffsetDateTime = datetime!(2026-11-25 12:00 UTC);

pub struct User {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
}

pub struct World {
    pub db: TestDb,
    pub identity: Identity,
    pub spaces: WatchSpaces,
    /// What `spaces` published.
    pub membership_changes: Arc<RecordedEvents<MembersChanged>>,
    clock: Arc<TestClock>,
}

impl World {
    pub async fn new() -> Self {
        Self::with_settings(WatchSpacesSettings::default()).await
    }

    pub async fn with_settings(settings: WatchSpacesSettings) -> Self {
        let db = TestDb::new().await;
        let clock = Arc::new(TestClock::starting_at(START));
        let identity = people::identity(&db.connection, clock.clone());
        let membership_changes = Arc::new(RecordedEvents::default());
        let spaces = WatchSpaces::new(
            db.connection.clone(),
            identity.clone(),
            clock.clone(),
            settings,
            membership_changes.clone(),
        );
        Self {
            db,
            identity,
            spaces,
            membership_changes,
            clock,
        }
    }

    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }

    /// Registers `{name}@example.org`, shown as `name` capitalised.
    pub async fn user(&self, name: &str) -> User {
        let user = people::register(&self.identity, name).await;
        User {
            id: user.id,
            email: user.email,
            display_name: user.display_name,
        }
    }

    /// Every space `user` belongs to, read one page of two at a time, so that every test that
    /// lists spaces also walks the cursors.
    pub async fn my_spaces(
        &self,
        user: UserId,
    ) -> Result<
        Vec<watch_spaces::contracts::WatchSpaceSummaryDto>,
        watch_spaces::contracts::WatchSpacesError,
    > {
        let mut spaces = Vec::new();
        let mut after = None;
        loop {
            let page = self
                .spaces
                .list_my_spaces(user, kernel::paging::PageLimit::new(2).unwrap(), after)
                .await?;
            spaces.extend(page.items);
            match page.next_cursor {
                Some(cursor) => after = Some(cursor),
                None => return Ok(spaces),
            }
        }
    }

    pub async fn space(&self, owner: &User, name: &str) -> WatchSpaceDetailsDto {
        people::create_space(&self.spaces, owner.id, name).await
    }

    pub async fn invite(
        &self,
        owner: &User,
        space: WatchSpaceId,
        email: &str,
    ) -> CreatedInvitationDto {
        self.spaces
            .invite_member(
                owner.id,
                space,
                InviteMember {
                    email: email.into(),
                },
            )
            .await
            .unwrap()
    }

    /// `user` is invited by `owner` and accepts.
    pub async fn join(
        &self,
        owner: &User,
        space: WatchSpaceId,
        user: &User,
    ) -> WatchSpaceDetailsDto {
        people::join(&self.spaces, owner.id, space, user.id, &user.email).await
    }

    /// A space owned by ann with kai as a member.
    pub async fn ann_and_kai(&self) -> (User, User, WatchSpaceId) {
        let ann = self.user("ann").await;
        let kai = self.user("kai").await;
        let space = self.space(&ann, "Cozy Club").await.id;
        self.join(&ann, space, &kai).await;
        (ann, kai, space)
    }
}
