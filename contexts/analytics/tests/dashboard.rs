use anime_tracking::contracts::WatchStatus;

use crate::support::World;

/// Every SQL statement a dashboard read runs when the snapshot is current, whatever the
/// space's size: one, on Analytics' own tables, which finds the snapshot, checks that it was
/// computed today at the space's current generation for members including the reader, and
/// says whether names or AniList metadata changed anywhere since.
pub const HIT_STATEMENTS: usize = 1;

/// Every SQL statement a dashboard read runs when it must compute because the space changed,
/// whatever the space's size: the snapshot lookup as for a hit (1), Analytics' generations
/// and AniListSync's metadata generation (2), WatchSpaces' members (the members, Identity's
/// names: 2), AnimeTracking's anime (the same 2 membership statements, the anime, their
/// entries: 4), AnimeTracking's sessions (2 membership statements, the sessions, their
/// attendees: 4), AniListSync's cached media (1), and storing the snapshot (1).
const MISS_STATEMENTS: usize = 15;

/// A hit's statements after AniList metadata changed somewhere: AniListSync's check that
/// none of the snapshot's media changed since (1), and recording that it still holds (1).
const HIT_AFTER_METADATA_CHANGED: usize = HIT_STATEMENTS + 2;

#[tokio::test]
async fn the_dashboard_runs_the_same_statements_for_10_shows_as_for_500() {
    let world = World::new().await;
    let space = world.space(&["ada", "bea", "cai", "dev"]).await;
    let reader = space.members[1];

    world.seed(&space, 0, 10).await;
    let (small, miss_at_10) = world
        .statements_of(world.analytics.dashboard(reader, space.id))
        .await;
    let (small_again, hit_at_10) = world
        .statements_of(world.analytics.dashboard(reader, space.id))
        .await;
    world.seed(&space, 10, 500).await;
    let (large, miss_at_500) = world
        .statements_of(world.analytics.dashboard(reader, space.id))
        .await;
    let (large_again, hit_at_500) = world
        .statements_of(world.analytics.dashboard(reader, space.id))
        .await;

    println!(
        "the dashboard ran {miss_at_10} SQL statements computing and {hit_at_10} from its \
         snapshot at 10 shows, {miss_at_500} and {hit_at_500} at 500"
    );
    assert_eq!(
        (miss_at_10, hit_at_10, miss_at_500, hit_at_500),
        (
            MISS_STATEMENTS,
            HIT_STATEMENTS,
            MISS_STATEMENTS,
            HIT_STATEMENTS
        ),
        "the statement counts must not grow with the space"
    );
    assert_eq!(small_again.unwrap(), *small.as_ref().unwrap());
    assert_eq!(large_again.unwrap(), *large.as_ref().unwrap());

    let (small, large) = (small.unwrap(), large.unwrap());
    assert_eq!(small.stats.total_shows, 10);
    assert_eq!(small.currently_watching.len(), 6);
    assert_eq!(small.backlog_highlights.len(), 4);
    assert_eq!(large.stats.total_shows, 500);
    assert_eq!(
        (large.stats.backlog, large.stats.currently_watching),
        (167, 333),
        "every third show stays in the backlog"
    );
    assert_eq!(large.stats.shows_without_genres, 0);
    assert_eq!(large.stats.total_sessions, 333);
    assert_eq!(large.compatibility.pairs.len(), 6);
    assert_eq!(
        (
            large.currently_watching.len(),
            large.backlog_highlights.len(),
            large.rating_gap_highlights.len(),
            large.most_aligned.len(),
            large.recent_sessions.len(),
        ),
        (6, 6, 5, 5, 5)
    );
    assert!(large
        .currently_watching
        .iter()
        .all(|anime| anime.shared_status == WatchStatus::Watching));
    assert!(large
        .backlog_highlights
        .windows(2)
        .all(|pair| pair[0].added_at_utc >= pair[1].added_at_utc));
    assert!(large
        .recent_sessions
        .windows(2)
        .all(|pair| pair[0].session.session_date_utc >= pair[1].session.session_date_utc));
    assert!(large
        .rating_gap_highlights
        .windows(2)
        .all(|pair| pair[0].gap >= pair[1].gap));
}

#[tokio::test]
async fn caching_other_media_or_unchanged_metadata_keeps_the_snapshot() {
    let world = World::new().await;
    let space = world.space(&["ada", "bea"]).await;
    let reader = space.members[0];
    world.seed(&space, 0, 6).await;
    let computed = world.analytics.dashboard(reader, space.id).await.unwrap();

    // Searches cache a show nobody here tracks, and refresh a tracked one whose genres and
    // length AniList left alone.
    world.generate(40, &["Horror"]);
    for title in ["Generated Show 40", "Generated Show 2"] {
        world
            .anilist
            .search(anilist_sync::contracts::AskedBy::BloomWatch, title, false)
            .await
            .unwrap();
    }
    let (served, statements) = world
        .statements_of(world.analytics.dashboard(reader, space.id))
        .await;
    let (served_again, statements_again) = world
        .statements_of(world.analytics.dashboard(reader, space.id))
        .await;

    assert_eq!(
        statements, HIT_AFTER_METADATA_CHANGED,
        "the snapshot still holds, once its media are checked"
    );
    assert_eq!(served.unwrap(), computed);
    assert_eq!(statements_again, HIT_STATEMENTS, "checked once is enough");
    assert_eq!(served_again.unwrap(), computed);
}

#[tokio::test]
async fn the_dashboard_and_the_analytics_page_agree_with_each_figure_asked_alone() {
    let world = World::new().await;
    let space = world.space(&["ada", "bea"]).await;
    world.seed(&space, 0, 7).await;
    let (owner, id) = (space.members[0], space.id);

    let dashboard = world.analytics.dashboard(owner, id).await.unwrap();

    assert_eq!(
        dashboard.stats,
        world.analytics.shared_stats(owner, id).await.unwrap()
    );
    assert_eq!(
        dashboard.compatibility,
        world.analytics.compatibility(owner, id).await.unwrap()
    );
    let gaps = world.analytics.rating_gaps(owner, id).await.unwrap();
    assert_eq!(dashboard.rating_gap_highlights, gaps.biggest_gaps);
    assert_eq!(dashboard.most_aligned, gaps.most_aligned);

    let (page, statements) = world
        .statements_of(world.analytics.space_analytics(owner, id))
        .await;
    let page = page.unwrap();
    assert_eq!(page.stats, dashboard.stats);
    assert_eq!(page.compatibility, dashboard.compatibility);
    assert_eq!(page.rating_gaps, gaps);
    assert_eq!(
        statements, 9,
        "one read each of the anime (4), the sessions (4) and the cached media (1)"
    );
}
