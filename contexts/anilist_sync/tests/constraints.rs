//! The media cache's constraints refuse rows that break our rules, whoever writes them.

use testkit::refused_by;

use crate::support::World;

const COLUMNS: &str =
    "anilist_media_id, title_romaji, updated_from_source_at_utc, cached_at_utc, metadata_generation";

fn row(id: &str, romaji: &str) -> String {
    row_of_generation(id, romaji, "0")
}

fn row_of_generation(id: &str, romaji: &str, generation: &str) -> String {
    format!(
        "INSERT INTO anilist_sync.media_cache ({COLUMNS}) \
         VALUES ({id}, '{romaji}', now(), now(), {generation})"
    )
}

fn row_with(column: &str, value: &str) -> String {
    format!(
        "INSERT INTO anilist_sync.media_cache ({COLUMNS}, {column}) \
         VALUES (7, 'Valid', now(), now(), 0, {value})"
    )
}

#[tokio::test]
async fn the_media_cache_refuses_invalid_rows() {
    let world = World::new().await;
    world.db.execute(&row("1", "Fine")).await.unwrap();

    refused_by(
        world.db.execute(&row("0", "Zero")).await,
        "media_cache_id_positive",
    );
    refused_by(
        world
            .db
            .execute(&row_of_generation("2", "Early", "-1"))
            .await,
        "media_cache_metadata_generation_not_negative",
    );
    refused_by(
        world.db.execute(&row("2", " ")).await,
        "media_cache_title_romaji_not_blank",
    );
    refused_by(
        world.db.execute(&row("2", " Padded")).await,
        "media_cache_title_romaji_not_blank",
    );
    for (column, value, constraint) in [
        ("id_mal", "0", "media_cache_id_mal_positive"),
        ("title_english", "''", "media_cache_title_english_not_blank"),
        ("title_native", "' '", "media_cache_title_native_not_blank"),
        ("description", "'  '", "media_cache_description_not_blank"),
        ("episodes", "0", "media_cache_episodes_positive"),
        ("duration_minutes", "-1", "media_cache_duration_positive"),
        ("format", "'MANGA'", "media_cache_format_known"),
        ("status", "'finished'", "media_cache_status_known"),
        ("season", "'AUTUMN'", "media_cache_season_known"),
        ("season_year", "0", "media_cache_season_year_positive"),
        ("genres_jsonb", "'{\"a\": 1}'", "media_cache_genres_array"),
        ("cover_color", "'red'", "media_cache_cover_color_hex"),
        ("cover_color", "'#12345g'", "media_cache_cover_color_hex"),
        ("average_score", "101", "media_cache_average_score_range"),
        ("popularity", "-5", "media_cache_popularity_not_negative"),
        (
            "next_airing_episode",
            "3",
            "media_cache_next_airing_complete",
        ),
        (
            "next_airing_at_utc",
            "now()",
            "media_cache_next_airing_complete",
        ),
    ] {
        refused_by(world.db.execute(&row_with(column, value)).await, constraint);
    }
    world
        .db
        .execute(&row_with("genres_jsonb", "'[\"Drama\"]'"))
        .await
        .unwrap();
    assert_eq!(world.cached_rows().await, 2);
}
