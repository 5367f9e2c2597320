//! A fresh database, Identity and WatchSpaces per test, a clock the test moves, and
//! shortcuts for the usual setup (users, a space, a joined member).

// Setup that fails cannot test anything: these helpers panic, like the tests calling them.
#![expect(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use identity::contracts::{RegisterUser, UserId};
use identity::{Identity, IdentitySettings};
use sea_orm::{ConnectionTrait, DbErr, Statement};
use testkit::TestClock;
use testkit::{RecordedEvents, TestDb};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use watch_spaces::contracts::{
    CreateWatchSpace, CreatedInvitationDto, InviteMember, MembersChanged, WatchSpaceDetailsDto,
    WatchSpaceId,
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
        let mut identity_settings = IdentitySettings::default();
        // Cheap hashing: these tests are about spaces, not passwords.
        identity_settings.hashing_cost.memory_kib = 64;
        identity_settings.hashing_cost.iterations = 1;
        let identity = Identity::new(
            db.connection.clone(),
            clock.clone(),
            identity_settings,
            Arc::new(RecordedEvents::default()),
            Arc::new(RecordedEvents::default()),
        )
        .unwrap();
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
        let mut display_name = name.to_owned();
        if let Some(first) = display_name.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        let user = self
            .identity
            .register(RegisterUser {
                email: format!("{name}@example.org"),
                display_name: display_name.clone(),
                password: "correct horse battery staple".into(),
            })
            .await
            .unwrap();
        User {
            id: user.id,
            email: user.email,
            display_name,
        }
    }

    pub async fn space(&self, owner: &User, name: &str) -> WatchSpaceDetailsDto {
        self.spaces
            .create_space(owner.id, CreateWatchSpace { name: name.into() })
            .await
            .unwrap()
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
        let invitation = self.invite(owner, space, &user.email).await;
        self.spaces
            .accept_invitation(user.id, &invitation.token)
            .await
            .unwrap()
    }

    /// A space owned by ann with kai as a member.
    pub async fn ann_and_kai(&self) -> (User, User, WatchSpaceId) {
        let ann = self.user("ann").await;
        let kai = self.user("kai").await;
        let space = self.space(&ann, "Cozy Club").await.id;
        self.join(&ann, space, &kai).await;
        (ann, kai, space)
    }

    pub async fn sql(&self, sql: &str) -> Result<(), DbErr> {
        self.db.connection.execute_unprepared(sql).await.map(|_| ())
    }

    /// The first column of the first row, as text.
    pub async fn text(&self, sql: &str) -> String {
        let row = self
            .db
            .connection
            .query_one_raw(Statement::from_string(
                self.db.connection.get_database_backend(),
                sql,
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get_by_index::<String>(0).unwrap()
    }
}

/// Asserts that a database error names the constraint that refused the row.
pub fn refused_by(result: Result<(), DbErr>, constraint: &str) {
    let error = result.expect_err("the database accepted an invalid row");
    assert!(
        error.to_string().contains(constraint),
        "expected {constraint}, got: {error}"
    );
}
