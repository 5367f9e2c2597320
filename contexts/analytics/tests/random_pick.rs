use analytics::contracts::{AnalyticsError, RandomPickQuery};
use anime_tracking::contracts::WatchSpaceAnimeId;
use sea_orm::{ConnectionTrait, Statement};

use crate::support::World;

impl World {
    /// Rows of Analytics' own table.
    async fn remembered_picks(&self) -> i64 {
        let db = &self.db.connection;
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT count(*) FROM analytics.random_picks",
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get_by_index::<i64>(0).unwrap()
    }
}

#[tokio::test]
async fn picks_alternate_between_two_shows_and_a_removed_show_is_forgotten() {
    let world = World::new().await;
    let space = world.space(&["ada", "bea"]).await;
    let shows = [world.add(&space, 1).await.id, world.add(&space, 2).await.id];

    let mut previous: Option<WatchSpaceAnimeId> = None;
    for _ in 0..6 {
        let answer = world
            .analytics
            .random_pick(space.members[1], space.id, RandomPickQuery::default())
            .await
            .unwrap();
        let pick = answer.pick.unwrap().id;
        assert_ne!(Some(pick), previous, "never the same show twice in a row");
        assert!(shows.contains(&pick));
        assert_eq!((answer.candidates, answer.message), (2, None));
        assert_eq!(
            answer.remaining_minutes.map(|m| m % 12),
            Some(0),
            "12 episodes left"
        );
        assert_eq!(answer.genres.len(), 2);
        previous = Some(pick);
    }
    assert_eq!(world.remembered_picks().await, 1, "one row per space");

    let last = previous.unwrap();
    world
        .tracking
        .remove_anime(space.members[0], space.id, last)
        .await
        .unwrap();
    assert_eq!(
        world.remembered_picks().await,
        0,
        "removing the show forgets the pick"
    );
    let answer = world
        .analytics
        .random_pick(space.members[0], space.id, RandomPickQuery::default())
        .await
        .unwrap();
    assert_ne!(answer.pick.unwrap().id, last);
    assert_eq!(answer.message, None);
}

#[tokio::test]
async fn the_only_candidate_is_picked_again_with_a_word_about_it() {
    let world = World::new().await;
    let space = world.space(&["ada", "bea"]).await;
    let only = world.add(&space, 3).await;
    let ask = || {
        world
            .analytics
            .random_pick(space.members[0], space.id, RandomPickQuery::default())
    };

    let first = ask().await.unwrap();
    let second = ask().await.unwrap();

    assert_eq!(first.pick.as_ref().map(|pick| pick.id), Some(only.id));
    assert_eq!(first.message, None);
    assert_eq!(second.pick.map(|pick| pick.id), Some(only.id));
    assert_eq!(
        second.message.as_deref(),
        Some("“Generated Show 3” is the only show that matches, so it is picked again.")
    );
}

#[tokio::test]
async fn strangers_and_invalid_filters_are_refused_before_anything_is_remembered() {
    let world = World::new().await;
    let space = world.space(&["ada", "bea"]).await;
    let elsewhere = world.space(&["eve"]).await;
    world.add(&space, 4).await;

    let stranger = world
        .analytics
        .random_pick(elsewhere.members[0], space.id, RandomPickQuery::default())
        .await;
    let invalid = world
        .analytics
        .random_pick(
            space.members[0],
            space.id,
            RandomPickQuery {
                max_minutes: Some(0),
                genre: Some(" ".into()),
                ..RandomPickQuery::default()
            },
        )
        .await;

    assert_eq!(stranger, Err(AnalyticsError::SpaceNotFound));
    let Err(AnalyticsError::InvalidFilters(errors)) = invalid else {
        panic!("expected invalid filters, got {invalid:?}")
    };
    assert_eq!(
        errors.for_field("maxMinutes"),
        Some("Choose from 1 to 10000 minutes.")
    );
    assert!(errors.for_field("genre").is_some());
    assert_eq!(world.remembered_picks().await, 0);
}
