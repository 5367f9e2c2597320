//! Pushing list changes through the outbox to the fake AniList: coalescing, switches,
//! exclusions, faults and retries, giving up and retrying by hand, an expired token, a worker
//! dying mid-delivery, and two instances on one database. The fake records every mutation it
//! applies, so each test counts exactly what reached AniList.

use std::time::Duration;

use anilist_sync::contracts::{
    AniListError, EntrySyncState, MediaListStatus, SyncOutcome, UpdateSyncSwitches,
};
use anilist_sync::AniListSync;
use fake_anilist::Fault;
use sea_orm::TransactionTrait;
use serde_json::json;

use crate::support::{
    change, id_of, identity, progress, test_settings, World, BLOOM_INTO_YOU, FRIEREN,
    JUJUTSU_KAISEN, ONE_PIECE,
};

#[tokio::test]
async fn an_unlinked_members_changes_cost_no_anilist_traffic() {
    let world = World::unthrottled().await;
    let ren = world.member("ren").await;

    world.queue(&[progress(ren, FRIEREN, 3)]).await;
    let report = world.anilist.deliver_due_changes().await.unwrap();

    assert_eq!(report.attempted, 0);
    assert_eq!(world.fake.request_count(), 0);
    assert_eq!(
        world
            .db
            .scalar::<i64>("SELECT count(*) FROM anilist_sync.sync_jobs")
            .await,
        0
    );
    assert_eq!(
        world
            .anilist
            .entry_sync(ren, id_of(FRIEREN))
            .await
            .unwrap()
            .sync,
        EntrySyncState::NotLinked
    );
}

#[tokio::test]
async fn five_quick_changes_make_one_call_with_the_newest_values() {
    let world = World::unthrottled().await;
    let mika = world.member("mika").await;
    world.link(mika, Some("mika_anilist")).await;
    world
        .anilist
        .update_switches(
            mika,
            UpdateSyncSwitches {
                push_score: Some(true),
                ..UpdateSyncSwitches::default()
            },
        )
        .await
        .unwrap();
    let requests_before = world.fake.request_count();

    world
        .queue(&[change(
            mika,
            FRIEREN,
            Some(MediaListStatus::Current),
            Some(1),
            None,
        )])
        .await;
    for episodes in 2..=4 {
        world.queue(&[progress(mika, FRIEREN, episodes)]).await;
    }
    world
        .queue(&[change(mika, FRIEREN, None, Some(5), Some(85))])
        .await;
    assert_eq!(
        world
            .anilist
            .entry_sync(mika, id_of(FRIEREN))
            .await
            .unwrap()
            .sync,
        EntrySyncState::Pending
    );

    let report = world.anilist.deliver_due_changes().await.unwrap();

    assert_eq!((report.attempted, report.delivered), (1, 1));
    assert_eq!(world.fake.request_count() - requests_before, 1);
    let mutations = world.fake.mutations();
    assert_eq!(mutations.len(), 1);
    assert_eq!(mutations[0].user_name, "mika_anilist");
    assert_eq!(
        mutations[0].variables,
        json!({"mediaId": FRIEREN, "status": "CURRENT", "progress": 5, "scoreRaw": 85})
    );
    let list = world.fake.user_list("mika_anilist").unwrap();
    assert_eq!(list[0].entry.progress, 5);
    assert!(matches!(
        world
            .anilist
            .entry_sync(mika, id_of(FRIEREN))
            .await
            .unwrap()
            .sync,
        EntrySyncState::Synced { .. }
    ));
    let account = world.anilist.account(mika).await.unwrap().link.unwrap();
    assert_eq!(account.pending_changes, 0);
    assert_eq!(account.last_synced_at_utc, Some(world.now()));
    let history = world.history(mika).await;
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].outcome, SyncOutcome::Succeeded);
    assert_eq!(history[0].summary, "progress 5 · Watching · score 85/100");
    assert!(
        history[0].title.is_none()
            || history[0].title.as_deref() == Some("Frieren: Beyond Journey's End")
    );
    // Nothing is due any more.
    assert_eq!(
        world.anilist.deliver_due_changes().await.unwrap().attempted,
        0
    );
}

#[tokio::test]
async fn switches_and_exclusions_decide_what_is_sent() {
    let world = World::unthrottled().await;
    let mika = world.member("mika").await;
    world.link(mika, None).await;

    // Scores are off by default: a score-only change queues nothing.
    world
        .queue(&[change(mika, FRIEREN, None, None, Some(90))])
        .await;
    assert_eq!(world.pending(mika).await, 0);
    // Status and score off, progress on: only progress goes.
    world
        .anilist
        .update_switches(
            mika,
            UpdateSyncSwitches {
                push_status: Some(false),
                ..UpdateSyncSwitches::default()
            },
        )
        .await
        .unwrap();
    world
        .queue(&[change(
            mika,
            FRIEREN,
            Some(MediaListStatus::Completed),
            Some(28),
            Some(90),
        )])
        .await;
    // An excluded title: nothing is queued, and what waited is cancelled.
    world.queue(&[progress(mika, ONE_PIECE, 100)]).await;
    let excluded = world
        .anilist
        .set_entry_excluded(mika, id_of(ONE_PIECE), true)
        .await
        .unwrap();
    assert_eq!(excluded.sync, EntrySyncState::Excluded);
    world.queue(&[progress(mika, ONE_PIECE, 101)]).await;

    world.anilist.deliver_due_changes().await.unwrap();

    let mutations = world.fake.mutations();
    assert_eq!(mutations.len(), 1);
    assert_eq!(
        mutations[0].variables,
        json!({"mediaId": FRIEREN, "progress": 28})
    );
    let history = world.history(mika).await;
    assert!(history
        .iter()
        .any(|attempt| attempt.outcome == SyncOutcome::Cancelled
            && attempt.anilist_media_id == Some(id_of(ONE_PIECE))));
    // Back on: the next change goes.
    world
        .anilist
        .set_entry_excluded(mika, id_of(ONE_PIECE), false)
        .await
        .unwrap();
    world.queue(&[progress(mika, ONE_PIECE, 102)]).await;
    world.anilist.deliver_due_changes().await.unwrap();
    assert_eq!(world.fake.mutations().len(), 2);
}

#[tokio::test]
async fn a_change_that_does_not_commit_leaves_no_job() {
    let world = World::unthrottled().await;
    let mika = world.member("mika").await;
    world.link(mika, None).await;

    let transaction = world.db.connection.begin().await.unwrap();
    world
        .anilist
        .queue_list_changes(&transaction, &[progress(mika, FRIEREN, 3)])
        .await
        .unwrap();
    transaction.rollback().await.unwrap();

    assert_eq!(world.pending(mika).await, 0);
    assert_eq!(
        world.anilist.deliver_due_changes().await.unwrap().attempted,
        0
    );
}

#[tokio::test]
async fn rate_limits_and_server_errors_are_retried_later_then_delivered_once() {
    let world = World::unthrottled().await;
    let mika = world.member("mika").await;
    world.link(mika, None).await;
    world.queue(&[progress(mika, FRIEREN, 4)]).await;

    world.fake.fail_next(
        1,
        Fault::RateLimited {
            retry_after_seconds: 1,
        },
    );
    let limited = world.anilist.deliver_due_changes().await.unwrap();
    assert_eq!((limited.attempted, limited.delivered), (1, 0));
    // Not due before AniList's wait, and the shared budget is closed meanwhile.
    assert_eq!(
        world.anilist.deliver_due_changes().await.unwrap().attempted,
        0
    );
    world.advance(time::Duration::seconds(2));
    tokio::time::sleep(Duration::from_millis(1_100)).await;

    world.fake.fail_next(1, Fault::ServerError);
    let failed = world.anilist.deliver_due_changes().await.unwrap();
    assert_eq!((failed.attempted, failed.delivered), (1, 0));
    assert_eq!(
        world
            .anilist
            .entry_sync(mika, id_of(FRIEREN))
            .await
            .unwrap()
            .sync,
        EntrySyncState::Pending
    );
    world.advance(time::Duration::minutes(1));

    let delivered = world.anilist.deliver_due_changes().await.unwrap();
    assert_eq!(delivered.delivered, 1);
    assert_eq!(world.fake.mutations().len(), 1);
    let outcomes: Vec<SyncOutcome> = world
        .history(mika)
        .await
        .iter()
        .map(|attempt| attempt.outcome)
        .collect();
    assert_eq!(
        outcomes,
        [
            SyncOutcome::Succeeded,
            SyncOutcome::WillRetry,
            SyncOutcome::WillRetry
        ]
    );
}

#[tokio::test]
async fn a_long_outage_gives_up_with_the_reason_kept_and_a_retry_sends_it_again() {
    let world = World::unthrottled().await;
    let mika = world.member("mika").await;
    world.link(mika, None).await;
    world.queue(&[progress(mika, FRIEREN, 6)]).await;
    world.fake.set_fault(Some(Fault::ServerError));

    for _ in 0..8 {
        world.anilist.deliver_due_changes().await.unwrap();
        world.advance(time::Duration::hours(2));
    }

    let EntrySyncState::Failed { reason } = world
        .anilist
        .entry_sync(mika, id_of(FRIEREN))
        .await
        .unwrap()
        .sync
    else {
        panic!("expected a failed sync");
    };
    assert!(reason.contains("gave up after 8 attempts"), "{reason}");
    assert_eq!(
        world.anilist.deliver_due_changes().await.unwrap().attempted,
        0
    );

    world.fake.set_fault(None);
    let retried = world
        .anilist
        .retry_entry_sync(mika, id_of(FRIEREN))
        .await
        .unwrap();
    assert_eq!(retried.sync, EntrySyncState::Pending);
    assert_eq!(
        world.anilist.deliver_due_changes().await.unwrap().delivered,
        1
    );
    assert_eq!(world.fake.mutations().len(), 1);
    assert_eq!(
        world.anilist.retry_entry_sync(mika, id_of(FRIEREN)).await,
        Err(AniListError::NothingToRetry)
    );
}

#[tokio::test]
async fn changes_made_while_anilist_is_down_are_delivered_when_it_returns() {
    let world = World::unthrottled().await;
    let mika = world.member("mika").await;
    world.link(mika, None).await;
    world.fake.set_fault(Some(Fault::Timeout));

    world
        .queue(&[
            progress(mika, FRIEREN, 1),
            progress(mika, BLOOM_INTO_YOU, 2),
        ])
        .await;
    world.anilist.deliver_due_changes().await.unwrap();
    world.queue(&[progress(mika, FRIEREN, 2)]).await;
    assert!(world.fake.mutations().is_empty());

    world.fake.set_fault(None);
    world.advance(time::Duration::minutes(5));
    let report = world.anilist.deliver_due_changes().await.unwrap();

    assert_eq!(report.delivered, 2);
    let mut sent: Vec<serde_json::Value> = world
        .fake
        .mutations()
        .into_iter()
        .map(|mutation| mutation.variables)
        .collect();
    sent.sort_by_key(|variables| variables["mediaId"].as_i64());
    assert_eq!(
        sent,
        [
            json!({"mediaId": BLOOM_INTO_YOU, "progress": 2}),
            json!({"mediaId": FRIEREN, "progress": 2}),
        ]
    );
}

#[tokio::test]
async fn a_refused_token_pauses_sync_until_the_member_links_again_and_loses_nothing() {
    let world = World::unthrottled().await;
    let mika = world.member("mika").await;
    world.link(mika, Some("mika_anilist")).await;
    world.fake.expire_tokens();
    world.queue(&[progress(mika, FRIEREN, 7)]).await;

    world.anilist.deliver_due_changes().await.unwrap();

    let link = world.anilist.account(mika).await.unwrap().link.unwrap();
    assert!(link.expired_reason.is_some());
    assert_eq!(link.pending_changes, 1);
    assert_eq!(
        world
            .anilist
            .entry_sync(mika, id_of(FRIEREN))
            .await
            .unwrap()
            .sync,
        EntrySyncState::LinkExpired
    );
    // Paused: no further traffic.
    let requests = world.fake.request_count();
    world.advance(time::Duration::hours(1));
    assert_eq!(
        world.anilist.deliver_due_changes().await.unwrap().attempted,
        0
    );
    assert_eq!(world.fake.request_count(), requests);

    world.link(mika, Some("mika_anilist")).await;
    assert_eq!(
        world.anilist.deliver_due_changes().await.unwrap().delivered,
        1
    );
    let mutations = world.fake.mutations();
    assert_eq!(mutations.len(), 1);
    assert_eq!(mutations[0].variables["progress"], 7);
}

#[tokio::test]
async fn a_token_no_key_of_this_server_opens_pauses_sync_instead_of_failing() {
    let world = World::unthrottled().await;
    let mika = world.member("mika").await;
    world.link(mika, None).await;
    world.queue(&[progress(mika, FRIEREN, 2)]).await;
    // Another server, with other keys, over the same database.
    let settings = identity::IdentitySettings {
        token_keys: Some(std::sync::Arc::new(
            identity::TokenKeys::parse("other:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=")
                .unwrap(),
        )),
        ..identity::IdentitySettings::default()
    };
    let elsewhere_identity = identity::Identity::new(
        world.db.connection.clone(),
        std::sync::Arc::new(kernel::SystemClock),
        settings,
        std::sync::Arc::new(testkit::RecordedEvents::default()),
        std::sync::Arc::new(testkit::RecordedEvents::default()),
    )
    .unwrap();
    let elsewhere = AniListSync::new(
        world.db.connection.clone(),
        elsewhere_identity,
        std::sync::Arc::new(kernel::SystemClock),
        test_settings(&world.fake),
        std::sync::Arc::new(testkit::RecordedEvents::default()),
    )
    .unwrap();

    let report = elsewhere.deliver_due_changes().await.unwrap();

    assert_eq!(report.delivered, 0);
    assert!(world.fake.mutations().is_empty());
    let link = world.anilist.account(mika).await.unwrap().link.unwrap();
    assert!(link.expired_reason.is_some());
    assert_eq!(link.pending_changes, 1);
}

#[tokio::test]
async fn a_worker_stopped_mid_delivery_leaves_the_change_for_the_next_one_which_sends_it_once() {
    let world = World::unthrottled().await;
    let mika = world.member("mika").await;
    world.link(mika, None).await;
    world.queue(&[progress(mika, JUJUTSU_KAISEN, 12)]).await;
    // AniList holds the request (and never applies it); the worker is stopped while it waits.
    world.fake.set_fault(Some(Fault::Timeout));

    let stopped = tokio::time::timeout(
        Duration::from_millis(100),
        world.anilist.deliver_due_changes(),
    )
    .await;
    assert!(
        stopped.is_err(),
        "the delivery was still waiting for AniList"
    );
    // The abandoned transaction rolls back as its connection goes back to the pool.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(world.fake.mutations().is_empty());
    assert_eq!(world.pending(mika).await, 1);

    world.fake.set_fault(None);
    assert_eq!(
        world.anilist.deliver_due_changes().await.unwrap().delivered,
        1
    );
    assert_eq!(world.fake.mutations().len(), 1);
    assert_eq!(world.pending(mika).await, 0);
}

#[tokio::test]
async fn two_instances_on_one_database_never_send_a_title_twice() {
    let world = World::unthrottled().await;
    let mut changes = Vec::new();
    let titles = [
        FRIEREN,
        BLOOM_INTO_YOU,
        JUJUTSU_KAISEN,
        ONE_PIECE,
        21519,
        1,
        5114,
        199,
    ];
    for name in ["mika", "ren", "aoi"] {
        let member = world.member(name).await;
        world.link(member, None).await;
        changes.extend(titles.iter().map(|title| progress(member, *title, 3)));
    }
    world.queue(&changes).await;
    let mut settings = test_settings(&world.fake);
    settings.initial_requests_per_minute = 10_000;
    let second = AniListSync::new(
        world.db.connection.clone(),
        identity(&world.db, std::sync::Arc::new(kernel::SystemClock)),
        std::sync::Arc::new(kernel::SystemClock),
        settings,
        std::sync::Arc::new(testkit::RecordedEvents::default()),
    )
    .unwrap();

    let (first, other) = tokio::join!(
        world.anilist.deliver_due_changes(),
        second.deliver_due_changes()
    );

    let delivered = first.unwrap().delivered + other.unwrap().delivered;
    let mutations = world.fake.mutations();
    assert_eq!(mutations.len(), changes.len());
    assert_eq!(delivered, changes.len());
    let mut sent: Vec<(i64, i64)> = mutations
        .iter()
        .map(|mutation| {
            (
                mutation.user_id,
                mutation.variables["mediaId"].as_i64().unwrap(),
            )
        })
        .collect();
    sent.sort_unstable();
    sent.dedup();
    assert_eq!(sent.len(), changes.len(), "a title was sent twice");
}

#[tokio::test]
async fn history_older_than_ninety_days_is_pruned() {
    let world = World::unthrottled().await;
    let mika = world.member("mika").await;
    world.link(mika, None).await;
    world.queue(&[progress(mika, FRIEREN, 1)]).await;
    world.anilist.deliver_due_changes().await.unwrap();
    assert_eq!(world.history(mika).await.len(), 1);

    world.advance(time::Duration::days(91));
    world.anilist.prune_sync_history().await.unwrap();

    assert!(world.history(mika).await.is_empty());
    // The title's newest job stays, so its chip still says synced.
    assert!(matches!(
        world
            .anilist
            .entry_sync(mika, id_of(FRIEREN))
            .await
            .unwrap()
            .sync,
        EntrySyncState::Synced { .. }
    ));
}
