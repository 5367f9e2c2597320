use anilist_sync::contracts::MediaFormat;
use anime_tracking::contracts::UpdateParticipantProgress;

use crate::support::{media, World, BLOOM, FRIEREN};

#[tokio::test]
async fn a_refresh_updates_every_space_tracking_the_anime_without_touching_versions() {
    let world = World::new().await;
    let trio = world.trio().await;
    let other = world.space_of(&trio.kai, "Kai's").await;
    let here = world.add(&trio.ann, trio.space, BLOOM).await;
    let there = world.add(&trio.kai, other, BLOOM).await;
    let frieren = world.add(&trio.ann, trio.space, FRIEREN).await;
    let mut refreshed = media(BLOOM, "Yagate Kimi ni Naru (TV)", None, Some(14));
    refreshed.format = Some(MediaFormat::Ona);
    refreshed.cover_image_large = Some("https://img.example/new.jpg".into());

    world.anilist_now_says(refreshed).await;

    for (user, space, id, before) in [
        (&trio.ann, trio.space, here.id, &here),
        (&trio.kai, other, there.id, &there),
    ] {
        let anime = world.get(user, space, id).await;
        assert_eq!(anime.preferred_title, "Yagate Kimi ni Naru (TV)");
        assert_eq!(anime.preferred_title_english, None);
        assert_eq!(anime.episode_count_snapshot, Some(14));
        assert_eq!(anime.format, Some(MediaFormat::Ona));
        assert_eq!(
            anime.cover_image_url_snapshot.as_deref(),
            Some("https://img.example/new.jpg")
        );
        assert_eq!(
            (anime.version, anime.updated_at_utc),
            (before.version, before.updated_at_utc)
        );
    }
    assert_eq!(world.get(&trio.ann, trio.space, frieren.id).await, frieren);
}

#[tokio::test]
async fn a_lowered_episode_count_keeps_stored_progress_and_needs_attention() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;
    world
        .tracking
        .update_participant_progress(
            trio.kai.id,
            trio.space,
            bloom.id,
            UpdateParticipantProgress {
                version: 0,
                individual_status: None,
                episodes_watched: Some(12),
            },
        )
        .await
        .unwrap();
    world
        .record(
            &trio.ann,
            trio.space,
            bloom.id,
            (1, 10),
            Some(vec![trio.ann.id]),
        )
        .await;

    world
        .anilist_now_says(media(
            BLOOM,
            "Yagate Kimi ni Naru",
            Some("Bloom Into You"),
            Some(11),
        ))
        .await;
    let lowered = world.get(&trio.ann, trio.space, bloom.id).await;
    assert!(lowered.needs_attention, "kai is at 12 of 11");
    assert_eq!(lowered.shared_episodes_watched, 10);

    world
        .anilist_now_says(media(
            BLOOM,
            "Yagate Kimi ni Naru",
            Some("Bloom Into You"),
            None,
        ))
        .await;
    let unknown = world.get(&trio.ann, trio.space, bloom.id).await;
    assert!(!unknown.needs_attention, "no count, nothing to exceed");
}

#[tokio::test]
async fn opening_an_anime_refreshes_a_snapshot_whose_episode_count_anilist_changed() {
    let world = World::new().await;
    let trio = world.trio().await;
    let bloom = world.add(&trio.ann, trio.space, BLOOM).await;
    world.catalog.publish(media(
        BLOOM,
        "Yagate Kimi ni Naru",
        Some("Bloom Into You"),
        Some(12),
    ));

    let as_ann = world
        .tracking
        .get_anime(trio.ann.id, trio.space, bloom.id)
        .await
        .unwrap();
    assert_eq!(as_ann.anime.episode_count_snapshot, Some(12));
    assert_eq!(as_ann.media.map(|media| media.episodes), Some(Some(12)));
    assert!(as_ann.can_remove, "ann added it and owns the space");

    world.catalog.set_unavailable(true);
    let as_kai = world
        .tracking
        .get_anime(trio.kai.id, trio.space, bloom.id)
        .await
        .unwrap();
    assert_eq!(as_kai.media, None, "AniList down leaves the metadata out");
    assert_eq!(as_kai.anime.episode_count_snapshot, Some(12));
    assert!(
        !as_kai.can_remove,
        "kai neither added it nor owns the space"
    );
}
