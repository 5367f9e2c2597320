use anime_tracking::contracts::{
    AnimeListQuery, AnimeSort, AnimeTrackingError, UpdateWatchSpaceAnime, WatchSpaceAnimeDto,
    WatchSpaceAnimeId, WatchStatus,
};
use time::Duration;

use crate::support::{World, BLOOM, FRIEREN, ONE_PIECE, YOUR_NAME};

fn titles(list: &[WatchSpaceAnimeDto]) -> Vec<&str> {
    list.iter().map(WatchSpaceAnimeDto::display_title).collect()
}

fn status(version: i32, status: WatchStatus) -> UpdateWatchSpaceAnime {
    UpdateWatchSpaceAnime {
        version,
        shared_status: Some(status),
        shared_episodes_watched: None,
        mood: None,
        vibe: None,
        pitch: None,
    }
}

#[tokio::test]
async fn the_list_sorts_by_update_title_or_addition_and_filters_by_status() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;
    world.advance(Duration::minutes(1));
    let one_piece = world.add(&trio.ann, trio.space, ONE_PIECE).await;
    world.advance(Duration::minutes(1));
    let frieren = world.add(&trio.kai, trio.space, FRIEREN).await;
    world.advance(Duration::minutes(1));
    world
        .tracking
        .update_anime(
            trio.kai.id,
            trio.space,
            bloom.id,
            status(1, WatchStatus::Watching),
        )
        .await
        .unwrap();
    world.advance(Duration::minutes(1));
    world
        .tracking
        .update_anime(
            trio.kai.id,
            trio.space,
            one_piece.id,
            status(1, WatchStatus::Dropped),
        )
        .await
        .unwrap();

    let list = |sort, statuses| {
        world
            .tracking
            .list_anime(trio.kai.id, trio.space, AnimeListQuery { statuses, sort })
    };

    let recent = list(AnimeSort::RecentlyUpdated, vec![]).await.unwrap();
    assert_eq!(
        titles(&recent),
        [
            "ONE PIECE",
            "Bloom Into You",
            "Frieren: Beyond Journey's End"
        ]
    );
    let by_title = list(AnimeSort::Title, vec![]).await.unwrap();
    assert_eq!(
        titles(&by_title),
        [
            "Bloom Into You",
            "Frieren: Beyond Journey's End",
            "ONE PIECE"
        ]
    );
    let by_added = list(AnimeSort::AddedDate, vec![]).await.unwrap();
    let ids: Vec<WatchSpaceAnimeId> = by_added.iter().map(|anime| anime.id).collect();
    assert_eq!(ids, [frieren.id, one_piece.id, bloom.id]);

    let watching_or_backlog = list(
        AnimeSort::Title,
        vec![WatchStatus::Watching, WatchStatus::Backlog],
    )
    .await
    .unwrap();
    assert_eq!(
        titles(&watching_or_backlog),
        ["Bloom Into You", "Frieren: Beyond Journey's End"]
    );
    let finished = list(AnimeSort::Title, vec![WatchStatus::Finished])
        .await
        .unwrap();
    assert!(finished.is_empty());
}

#[tokio::test]
async fn title_sorting_ignores_case() {
    let world = World::new().await;
    let trio = world.trio().await;
    world.add(&trio.ann, trio.space, ONE_PIECE).await;
    world.add(&trio.ann, trio.space, YOUR_NAME).await;
    world.add(&trio.ann, trio.space, BLOOM).await;

    let list = world
        .tracking
        .list_anime(
            trio.ann.id,
            trio.space,
            AnimeListQuery {
                statuses: vec![],
                sort: AnimeSort::Title,
            },
        )
        .await
        .unwrap();

    assert_eq!(titles(&list), ["Bloom Into You", "ONE PIECE", "Your Name."]);
}

#[tokio::test]
async fn the_list_carries_every_members_entry() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;
    world
        .record(
            &trio.kai,
            trio.space,
            bloom.id,
            (1, 3),
            Some(vec![trio.kai.id]),
        )
        .await;

    let list = world.list(&trio.ann, trio.space).await;

    assert_eq!(list.len(), 1);
    let entries: Vec<_> = list[0]
        .participants
        .iter()
        .map(|entry| (entry.display_name.as_str(), entry.episodes_watched))
        .collect();
    assert_eq!(entries, [("Ann", 0), ("Kai", 3)]);
}

#[tokio::test]
async fn former_members_keep_their_entries_marked_as_former() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;
    world
        .record(&trio.ann, trio.space, bloom.id, (1, 2), None)
        .await;
    world
        .spaces
        .leave_space(trio.kai.id, trio.space)
        .await
        .unwrap();

    let list = world.list(&trio.ann, trio.space).await;
    let kai = list[0]
        .participants
        .iter()
        .find(|entry| entry.user_id == trio.kai.id)
        .unwrap();

    assert!(!kai.current_member);
    assert_eq!(kai.display_name, "Kai");
    assert_eq!(kai.episodes_watched, 2);
    assert_eq!(
        world
            .tracking
            .list_anime(trio.kai.id, trio.space, AnimeListQuery::default())
            .await
            .unwrap_err(),
        AnimeTrackingError::SpaceNotFound
    );
}
