//! The dashboard is served from a snapshot only while nothing it was computed from changed:
//! after every kind of write, the dashboard served equals the one computed afresh.

use analytics::contracts::DashboardDto;
use anime_tracking::contracts::{
    UpdateParticipantProgress, UpdateWatchSession, UpdateWatchSpaceAnime, WatchSpaceAnimeDto,
    WatchStatus,
};
use identity::contracts::UserId;
use time::Duration;

use crate::support::{Space, World};

/// Reads the dashboard right after a write and checks it against a fresh computation, and
/// that the write shows at all (else the comparison would prove nothing).
async fn check(
    world: &World,
    reader: UserId,
    space: &Space,
    before: &mut DashboardDto,
    what: &str,
) {
    let served = world.analytics.dashboard(reader, space.id).await.unwrap();
    let fresh = world.fresh_dashboard(reader, space.id).await;
    assert_eq!(served, fresh, "after {what}, a stale dashboard was served");
    assert_ne!(&served, before, "{what} must show on the dashboard");
    *before = served;
}

/// The first show the space is watching, as the dashboard lists it.
fn watching(dashboard: &DashboardDto) -> &WatchSpaceAnimeDto {
    &dashboard.currently_watching[0]
}

#[tokio::test]
async fn every_kind_of_write_shows_on_the_next_dashboard_read() {
    let world = World::new().await;
    let mut space = world.space(&["ada", "bea", "cai"]).await;
    world.seed(&space, 0, 8).await;
    let (ada, bea) = (space.members[0], space.members[1]);
    let reader = space.members[2];
    let mut before = world.fresh_dashboard(reader, space.id).await;

    let added = world.add(&space, 8).await;
    check(&world, reader, &space, &mut before, "adding a show").await;

    let show = watching(&before).clone();
    world
        .tracking
        .update_anime(
            ada,
            space.id,
            show.id,
            UpdateWatchSpaceAnime {
                version: show.version,
                shared_status: None,
                shared_episodes_watched: Some(show.shared_episodes_watched + 1),
                mood: Some(Some("cosy".into())),
                vibe: None,
                pitch: None,
            },
        )
        .await
        .unwrap();
    check(&world, reader, &space, &mut before, "a shared update").await;

    let show = watching(&before).clone();
    let own = show
        .participants
        .iter()
        .find(|entry| entry.user_id == reader)
        .unwrap();
    world
        .tracking
        .update_participant_progress(
            reader,
            space.id,
            show.id,
            UpdateParticipantProgress {
                version: own.version,
                individual_status: Some(WatchStatus::Paused),
                episodes_watched: None,
            },
        )
        .await
        .unwrap();
    check(&world, reader, &space, &mut before, "a progress update").await;

    world.rate(&space, 1, &added, 9.5).await;
    check(&world, reader, &space, &mut before, "a rating").await;

    world
        .tracking
        .clear_rating(bea, space.id, added.id)
        .await
        .unwrap();
    check(&world, reader, &space, &mut before, "clearing a rating").await;

    world.watch(&space, &show, (1, 2), 0).await;
    check(&world, reader, &space, &mut before, "recording a session").await;

    let session = before.recent_sessions[0].session.clone();
    world
        .tracking
        .update_session(
            ada,
            space.id,
            session.watch_space_anime_id,
            session.id,
            UpdateWatchSession {
                notes: Some("the rooftop scene".into()),
            },
        )
        .await
        .unwrap();
    check(
        &world,
        reader,
        &space,
        &mut before,
        "editing a session's notes",
    )
    .await;

    world
        .tracking
        .delete_session(ada, space.id, session.watch_space_anime_id, session.id)
        .await
        .unwrap();
    check(&world, reader, &space, &mut before, "deleting a session").await;

    world
        .tracking
        .remove_anime(ada, space.id, added.id)
        .await
        .unwrap();
    check(&world, reader, &space, &mut before, "removing a show").await;

    let show = watching(&before).clone();
    let mut media = world
        .anilist
        .cached_media(&[show.anilist_media_id])
        .await
        .unwrap()
        .remove(0);
    media.title_english = Some("A Brand New Title".into());
    world.tracking.sync_media_snapshot(&media).await.unwrap();
    check(&world, reader, &space, &mut before, "a media snapshot sync").await;

    // AniList now lists other genres; a search refreshes AniListSync's cache, and no
    // AnimeTracking write follows (the episode count is unchanged).
    let index = usize::try_from(show.anilist_media_id.get() - 800_000).unwrap();
    world.generate(index, &["Horror"]);
    world
        .anilist
        .search(
            anilist_sync::contracts::AskedBy::BloomWatch,
            &format!("Generated Show {index}"),
            false,
        )
        .await
        .unwrap();
    check(&world, reader, &space, &mut before, "a media cache refresh").await;

    let eve = world.join(&mut space, "eve").await;
    check(&world, reader, &space, &mut before, "a member joining").await;

    world.rename(bea, "Beatrice").await;
    check(&world, reader, &space, &mut before, "a member's new name").await;

    world.spaces.leave_space(bea, space.id).await.unwrap();
    check(&world, reader, &space, &mut before, "a member leaving").await;

    world.rename(bea, "Bea, long gone").await;
    check(
        &world,
        reader,
        &space,
        &mut before,
        "a former member's new name",
    )
    .await;

    world.spaces.leave_space(eve, space.id).await.unwrap();
    check(
        &world,
        reader,
        &space,
        &mut before,
        "another member leaving",
    )
    .await;

    world.advance(Duration::days(40));
    check(&world, reader, &space, &mut before, "a new month").await;
}

#[tokio::test]
async fn a_second_read_without_a_write_is_the_snapshot() {
    let world = World::new().await;
    let space = world.space(&["ada", "bea"]).await;
    world.seed(&space, 0, 5).await;
    let reader = space.members[1];

    let first = world.analytics.dashboard(reader, space.id).await.unwrap();
    let (second, statements) = world
        .statements_of(world.analytics.dashboard(space.members[0], space.id))
        .await;

    assert_eq!(
        second.unwrap(),
        first,
        "another member gets the same dashboard"
    );
    assert_eq!(statements, crate::dashboard::HIT_STATEMENTS);
}

#[tokio::test]
async fn non_members_get_no_snapshot() {
    let world = World::new().await;
    let space = world.space(&["ada", "bea"]).await;
    world.seed(&space, 0, 3).await;
    world
        .analytics
        .dashboard(space.members[0], space.id)
        .await
        .unwrap();
    let mut other = world.space(&["zed"]).await;
    let stranger = other.members.remove(0);

    let refused = world.analytics.dashboard(stranger, space.id).await;

    assert_eq!(
        refused.unwrap_err(),
        analytics::contracts::AnalyticsError::SpaceNotFound
    );
}

#[tokio::test]
async fn a_member_who_leaves_or_is_removed_is_refused_at_once() {
    let world = World::new().await;
    let space = world.space(&["ada", "bea", "cai"]).await;
    world.seed(&space, 0, 3).await;
    let (ada, bea, cai) = (space.members[0], space.members[1], space.members[2]);
    for member in [ada, bea, cai] {
        world.analytics.dashboard(member, space.id).await.unwrap();
    }

    world.spaces.leave_space(bea, space.id).await.unwrap();
    world
        .spaces
        .remove_member(ada, space.id, cai)
        .await
        .unwrap();

    for former in [bea, cai] {
        let refused = world.analytics.dashboard(former, space.id).await;
        assert_eq!(
            refused.unwrap_err(),
            analytics::contracts::AnalyticsError::SpaceNotFound
        );
        let refused_json = world.analytics.dashboard_json(former, space.id).await;
        assert_eq!(
            refused_json.unwrap_err(),
            analytics::contracts::AnalyticsError::SpaceNotFound
        );
    }
    world.analytics.dashboard(ada, space.id).await.unwrap();
}

#[tokio::test]
async fn a_stranger_renamed_costs_one_check_and_keeps_the_snapshot() {
    let world = World::new().await;
    let space = world.space(&["ada", "bea"]).await;
    world.seed(&space, 0, 4).await;
    let reader = space.members[0];
    let computed = world.analytics.dashboard(reader, space.id).await.unwrap();
    let mut elsewhere = world.space(&["zed"]).await;
    let zed = elsewhere.members.remove(0);

    world.rename(zed, "Zedediah").await;
    let (served, statements) = world
        .statements_of(world.analytics.dashboard(reader, space.id))
        .await;
    let (_, statements_again) = world
        .statements_of(world.analytics.dashboard(reader, space.id))
        .await;

    assert_eq!(served.unwrap(), computed);
    assert_eq!(
        statements,
        crate::dashboard::HIT_STATEMENTS + 2,
        "the names shown are checked with Identity once, and the check recorded"
    );
    assert_eq!(statements_again, crate::dashboard::HIT_STATEMENTS);
}
