use anime_tracking::contracts::{
    AnimeListQuery, AnimePageDto, AnimeSort, AnimeTrackingError, StatusTotalsDto,
    UpdateWatchSpaceAnime, WatchSpaceAnimeDto, WatchSpaceAnimeId, WatchStatus,
};
use kernel::paging::{PageCursor, PageLimit};
use time::Duration;
use watch_spaces::contracts::WatchSpaceId;

use crate::support::{media, User, World, BLOOM, FRIEREN, ONE_PIECE, YOUR_NAME};

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

    let world = &world;
    let space = trio.space;
    let kai = trio.kai.id;
    let list = |sort, statuses| async move {
        world
            .tracking
            .list_anime(
                kai,
                space,
                AnimeListQuery {
                    statuses,
                    sort,
                    ..AnimeListQuery::default()
                },
            )
            .await
            .map(|page| page.items)
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
                sort: AnimeSort::Title,
                ..AnimeListQuery::default()
            },
        )
        .await
        .unwrap();

    assert_eq!(
        titles(&list.items),
        ["Bloom Into You", "ONE PIECE", "Your Name."]
    );
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

/// Adds `count` shows titled "Show 01"... (every third with an English title in lower case, to
/// exercise case folding), a minute apart.
async fn add_shows(world: &World, actor: &User, space: WatchSpaceId, count: i64) {
    for n in 1..=count {
        let romaji = format!("Show {n:02}");
        let english = (n % 3 == 0).then(|| format!("show {n:02}"));
        world
            .catalog
            .publish(media(900_000 + n, &romaji, english.as_deref(), Some(12)));
        world.add(actor, space, 900_000 + n).await;
        world.advance(Duration::minutes(1));
    }
}

async fn page(
    world: &World,
    actor: &User,
    space: WatchSpaceId,
    sort: AnimeSort,
    after: Option<PageCursor>,
) -> Result<AnimePageDto, AnimeTrackingError> {
    world
        .tracking
        .list_anime(
            actor.id,
            space,
            AnimeListQuery {
                sort,
                limit: PageLimit::new(3).unwrap(),
                after,
                ..AnimeListQuery::default()
            },
        )
        .await
}

/// Every page in turn, as title lists.
async fn walk(
    world: &World,
    actor: &User,
    space: WatchSpaceId,
    sort: AnimeSort,
) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let mut after = None;
    loop {
        let next = page(world, actor, space, sort, after).await.unwrap();
        pages.push(
            next.items
                .iter()
                .map(|anime| anime.display_title().to_owned())
                .collect(),
        );
        match next.next_cursor {
            Some(cursor) => after = Some(cursor),
            None => return pages,
        }
    }
}

#[tokio::test]
async fn pages_cover_the_list_once_in_every_order() {
    let world = World::new().await;
    let trio = world.trio().await;
    add_shows(&world, &trio.ann, trio.space, 7).await;

    let by_title = walk(&world, &trio.ann, trio.space, AnimeSort::Title).await;
    assert_eq!(
        by_title,
        [
            vec!["Show 01", "Show 02", "show 03"],
            vec!["Show 04", "Show 05", "show 06"],
            vec!["Show 07"],
        ]
    );
    let newest_first: Vec<String> = (1..=7)
        .rev()
        .map(|n| {
            if n % 3 == 0 {
                format!("show {n:02}")
            } else {
                format!("Show {n:02}")
            }
        })
        .collect();
    for sort in [AnimeSort::AddedDate, AnimeSort::RecentlyUpdated] {
        let pages = walk(&world, &trio.ann, trio.space, sort).await;
        assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [3, 3, 1]);
        assert_eq!(pages.concat(), newest_first, "{sort:?}");
    }
}

#[tokio::test]
async fn a_cursor_holds_its_place_while_others_are_added_and_removed() {
    let world = World::new().await;
    let trio = world.trio().await;
    add_shows(&world, &trio.ann, trio.space, 6).await;
    let first = page(&world, &trio.ann, trio.space, AnimeSort::AddedDate, None)
        .await
        .unwrap();
    let last_shown = first.items.last().unwrap().id;

    // A newer show arrives at the front, and the last one shown is removed.
    world
        .catalog
        .publish(media(901_000, "Newcomer", None, Some(1)));
    world.add(&trio.kai, trio.space, 901_000).await;
    world
        .tracking
        .remove_anime(trio.ann.id, trio.space, last_shown)
        .await
        .unwrap();

    let second = page(
        &world,
        &trio.ann,
        trio.space,
        AnimeSort::AddedDate,
        first.next_cursor,
    )
    .await
    .unwrap();
    assert_eq!(
        titles(&second.items),
        ["show 03", "Show 02", "Show 01"],
        "the page after carries on where the first stopped: no repeats, nothing skipped"
    );
    assert_eq!(second.next_cursor, None);
}

#[tokio::test]
async fn totals_count_the_whole_space_by_shared_status_whatever_the_filter() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;
    world.add(&trio.ann, trio.space, ONE_PIECE).await;
    world.add(&trio.ann, trio.space, FRIEREN).await;
    world
        .tracking
        .update_anime(
            trio.ann.id,
            trio.space,
            bloom.id,
            status(1, WatchStatus::Finished),
        )
        .await
        .unwrap();

    let finished = world
        .tracking
        .list_anime(
            trio.kai.id,
            trio.space,
            AnimeListQuery {
                statuses: vec![WatchStatus::Finished],
                ..AnimeListQuery::default()
            },
        )
        .await
        .unwrap();

    assert_eq!(titles(&finished.items), ["Bloom Into You"]);
    assert_eq!(
        finished.totals,
        StatusTotalsDto {
            backlog: 2,
            finished: 1,
            ..StatusTotalsDto::default()
        }
    );
}

#[tokio::test]
async fn a_cursor_from_another_order_or_made_up_is_refused_by_field() {
    let world = World::new().await;
    let trio = world.trio().await;
    add_shows(&world, &trio.ann, trio.space, 4).await;
    let by_title = page(&world, &trio.ann, trio.space, AnimeSort::Title, None)
        .await
        .unwrap();

    for cursor in [
        by_title.next_cursor.unwrap(),
        PageCursor::from_client("bm90IGEgY3Vyc29y".into()),
        PageCursor::from_client("?!".into()),
        PageCursor::from_parts(&["addedDate", "yesterday", "not-a-uuid"]),
    ] {
        let refusal = page(
            &world,
            &trio.ann,
            trio.space,
            AnimeSort::AddedDate,
            Some(cursor),
        )
        .await
        .unwrap_err();
        let AnimeTrackingError::Validation(errors) = refusal else {
            panic!("expected a validation error, got {refusal:?}");
        };
        assert!(errors.for_field("cursor").is_some());
    }
}
