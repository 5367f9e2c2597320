//! Login throttling against real PostgreSQL: a burst of concurrent guesses gets no more
//! guesses than the limit, a guesser locks out neither the owner elsewhere nor the others at
//! their address, and guesses from many addresses only slow the owner down.

use std::sync::Arc;

use identity::contracts::{IdentityError, LoginUser};
use identity::Identity;
use testkit::{people, TestClock, TestDb};
use time::macros::datetime;
use time::Duration;

const ATTACKER: &str = "203.0.113.7";
const OWNER_AT_HOME: &str = "198.51.100.20";

struct World {
    db: TestDb,
    identity: Identity,
    clock: Arc<TestClock>,
}

impl World {
    async fn new() -> Self {
        let db = TestDb::new().await;
        let clock = Arc::new(TestClock::starting_at(datetime!(2026-12-03 12:00 UTC)));
        let identity = people::identity(&db.connection, clock.clone());
        people::register(&identity, "ann").await;
        people::register(&identity, "kai").await;
        Self {
            db,
            identity,
            clock,
        }
    }

    async fn log_in(&self, name: &str, password: &str, from: &str) -> Result<(), IdentityError> {
        self.identity
            .verify_credentials(
                LoginUser {
                    email: people::email_of(name),
                    password: password.to_owned(),
                },
                from,
            )
            .await
            .map(|_| ())
    }
}

fn retry_after(result: Result<(), IdentityError>) -> u64 {
    match result {
        Err(IdentityError::TooManyAttempts {
            retry_after_seconds,
        }) => retry_after_seconds,
        other => panic!("expected 429, got {other:?}"),
    }
}

#[tokio::test]
async fn sixty_concurrent_guesses_get_five_checked() {
    let world = Arc::new(World::new().await);
    let guesses: Vec<_> = (0..60)
        .map(|attempt| {
            let world = Arc::clone(&world);
            tokio::spawn(async move {
                world
                    .log_in("ann", &format!("guess number {attempt}"), ATTACKER)
                    .await
            })
        })
        .collect();
    let mut checked = 0;
    let mut throttled = 0;
    for guess in guesses {
        match guess.await.unwrap() {
            Err(IdentityError::InvalidCredentials) => checked += 1,
            Err(IdentityError::TooManyAttempts { .. }) => throttled += 1,
            other => panic!("unexpected answer to a guess: {other:?}"),
        }
    }
    assert_eq!((checked, throttled), (5, 55));

    // The guesser is blocked, even with the right password…
    assert!(retry_after(world.log_in("ann", people::PASSWORD, ATTACKER).await) <= 60);
    // …but the owner at home is not, and neither is another person at the guesser's address.
    world
        .log_in("ann", people::PASSWORD, OWNER_AT_HOME)
        .await
        .unwrap();
    world
        .log_in("kai", people::PASSWORD, ATTACKER)
        .await
        .unwrap();
}

#[tokio::test]
async fn each_guess_past_the_limit_doubles_the_block() {
    let world = World::new().await;
    for _ in 0..5 {
        let refused = world.log_in("ann", "not it", ATTACKER).await;
        assert_eq!(refused, Err(IdentityError::InvalidCredentials));
    }
    assert_eq!(
        retry_after(world.log_in("ann", "not it", ATTACKER).await),
        60
    );
    world.clock.advance(Duration::minutes(1));
    let refused = world.log_in("ann", "not it", ATTACKER).await;
    assert_eq!(refused, Err(IdentityError::InvalidCredentials));
    assert_eq!(
        retry_after(world.log_in("ann", "not it", ATTACKER).await),
        120
    );
    world.clock.advance(Duration::minutes(2));
    // The right password ends it: the next mistake is the first again.
    world
        .log_in("ann", people::PASSWORD, ATTACKER)
        .await
        .unwrap();
    let refused = world.log_in("ann", "not it", ATTACKER).await;
    assert_eq!(refused, Err(IdentityError::InvalidCredentials));
}

#[tokio::test]
async fn guesses_from_many_addresses_slow_the_owner_down_briefly() {
    let world = World::new().await;
    for host in 0..20 {
        let refused = world
            .log_in("ann", "not it", &format!("192.0.2.{host}"))
            .await;
        assert_eq!(refused, Err(IdentityError::InvalidCredentials));
    }
    let wait = retry_after(world.log_in("ann", people::PASSWORD, OWNER_AT_HOME).await);
    assert_eq!(wait, 10);
    world.clock.advance(Duration::seconds(10));
    world
        .log_in("ann", people::PASSWORD, OWNER_AT_HOME)
        .await
        .unwrap();
}

#[tokio::test]
async fn one_address_trying_many_accounts_is_stopped_at_a_hundred() {
    let world = World::new().await;
    for attempt in 0..100 {
        let refused = world
            .log_in(&format!("nobody{attempt}"), "not it", ATTACKER)
            .await;
        assert_eq!(refused, Err(IdentityError::InvalidCredentials));
    }
    assert_eq!(
        retry_after(world.log_in("kai", people::PASSWORD, ATTACKER).await),
        60
    );
    world
        .log_in("kai", people::PASSWORD, OWNER_AT_HOME)
        .await
        .unwrap();
}

#[tokio::test]
async fn whatever_is_typed_as_an_email_is_throttled_without_an_error() {
    let world = World::new().await;
    let typed = "x".repeat(5_000);
    for _ in 0..5 {
        let refused = world.log_in(&typed, "not it", ATTACKER).await;
        assert_eq!(refused, Err(IdentityError::InvalidCredentials));
    }
    retry_after(world.log_in(&typed, "not it", ATTACKER).await);
}

#[tokio::test]
async fn counters_that_ran_out_are_pruned_and_live_ones_kept() {
    let world = World::new().await;
    let rows = || {
        world
            .db
            .scalar::<i64>("SELECT count(*) FROM identity.login_throttle")
    };
    for _ in 0..6 {
        let _ = world.log_in("ann", "not it", ATTACKER).await;
    }
    assert_eq!(rows().await, 3);
    assert_eq!(
        world.identity.prune_throttles().await.unwrap(),
        0,
        "still blocking"
    );
    // Quiet for 15 minutes and blocking no more: as good as never counted. Four rows go: the
    // three counters, and the sign-up limit of the address Ann and Kai registered from.
    world.clock.advance(Duration::minutes(16));
    assert_eq!(world.identity.prune_throttles().await.unwrap(), 4);
    assert_eq!(rows().await, 0);
    world
        .log_in("ann", people::PASSWORD, ATTACKER)
        .await
        .unwrap();
}

#[tokio::test]
async fn registrations_from_one_address_stop_at_the_limit_and_refill() {
    let db = TestDb::new().await;
    let clock = Arc::new(TestClock::starting_at(datetime!(2026-12-03 12:00 UTC)));
    let mut settings = people::identity_settings();
    settings.registrations = kernel::rate_limit::Rate::per_hour(2);
    let identity = Identity::new(
        db.connection.clone(),
        clock.clone(),
        settings,
        Arc::new(testkit::RecordedEvents::default()),
        Arc::new(testkit::RecordedEvents::default()),
    )
    .unwrap();
    let register = |name: &'static str, from: &'static str| {
        identity.register(
            identity::contracts::RegisterUser {
                email: people::email_of(name),
                display_name: people::display_name_of(name),
                password: people::PASSWORD.to_owned(),
            },
            from,
        )
    };
    register("ann", ATTACKER).await.unwrap();
    register("kai", ATTACKER).await.unwrap();
    assert_eq!(
        register("lou", ATTACKER).await,
        Err(IdentityError::TooManyRegistrations {
            retry_after_seconds: 30 * 60
        })
    );
    register("lou", OWNER_AT_HOME).await.unwrap();
    clock.advance(Duration::minutes(30));
    register("max", ATTACKER).await.unwrap();
    assert!(register("ned", ATTACKER).await.is_err());
    clock.advance(Duration::hours(2));
    assert!(identity.prune_throttles().await.unwrap() >= 2);
    register("ned", ATTACKER).await.unwrap();
}
