//! PostgreSQL itself refuses rows that break a rule, whatever code writes them: these tests
//! write raw SQL into our own tables and expect the named constraint to say no.

use testkit::refused_by;

use crate::support::{World, BLOOM};

/// An `INSERT` of one `watch_space_anime` row; each test spoils one value.
struct AnimeRow {
    space: String,
    user: String,
    media_id: &'static str,
    title: &'static str,
    episodes: &'static str,
    format: &'static str,
    season: &'static str,
    status: &'static str,
    progress: &'static str,
    mood: String,
    vibe: String,
    pitch: String,
    updated: &'static str,
    version: &'static str,
}

impl AnimeRow {
    fn new(space: impl ToString, user: impl ToString) -> Self {
        Self {
            space: space.to_string(),
            user: user.to_string(),
            media_id: "5",
            title: "'Title'",
            episodes: "12",
            format: "'TV'",
            season: "'SPRING'",
            status: "'backlog'",
            progress: "0",
            mood: "NULL".into(),
            vibe: "NULL".into(),
            pitch: "NULL".into(),
            updated: "now()",
            version: "1",
        }
    }

    fn sql(&self) -> String {
        format!(
            "INSERT INTO anime_tracking.watch_space_anime
                 (id, watch_space_id, anilist_media_id, preferred_title, episode_count_snapshot,
                  format, season, shared_status, shared_episodes_watched, mood, vibe, pitch,
                  added_by_user_id, added_at_utc, updated_at_utc, updated_by_user_id, version)
             VALUES (gen_random_uuid(), '{}', {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, '{}', now(), {}, '{}', {})",
            self.space,
            self.media_id,
            self.title,
            self.episodes,
            self.format,
            self.season,
            self.status,
            self.progress,
            self.mood,
            self.vibe,
            self.pitch,
            self.user,
            self.updated,
            self.user,
            self.version,
        )
    }
}

fn long(characters: usize) -> String {
    format!("'{}'", "x".repeat(characters))
}

#[tokio::test]
async fn the_anime_table_refuses_every_invalid_value() {
    let world = World::new().await;
    let trio = world.trio().await;
    let row = || AnimeRow::new(trio.space, trio.ann.id);

    world.db.execute(&row().sql()).await.unwrap();
    refused_by(
        world.db.execute(&row().sql()).await,
        "watch_space_anime_space_media_key",
    );
    let cases: Vec<(AnimeRow, &str)> = vec![
        (
            AnimeRow {
                media_id: "0",
                ..row()
            },
            "watch_space_anime_media_id_positive",
        ),
        (
            AnimeRow {
                media_id: "6",
                title: "'  '",
                ..row()
            },
            "watch_space_anime_title_not_blank",
        ),
        (
            AnimeRow {
                media_id: "6",
                episodes: "0",
                ..row()
            },
            "watch_space_anime_episode_count_positive",
        ),
        (
            AnimeRow {
                media_id: "6",
                format: "'TV_LONG'",
                ..row()
            },
            "watch_space_anime_format_known",
        ),
        (
            AnimeRow {
                media_id: "6",
                season: "'AUTUMN'",
                ..row()
            },
            "watch_space_anime_season_known",
        ),
        (
            AnimeRow {
                media_id: "6",
                status: "'planned'",
                ..row()
            },
            "watch_space_anime_status_known",
        ),
        (
            AnimeRow {
                media_id: "6",
                progress: "-1",
                ..row()
            },
            "watch_space_anime_progress_in_range",
        ),
        (
            AnimeRow {
                media_id: "6",
                progress: "10001",
                ..row()
            },
            "watch_space_anime_progress_in_range",
        ),
        (
            AnimeRow {
                media_id: "6",
                mood: long(81),
                ..row()
            },
            "watch_space_anime_mood_short",
        ),
        (
            AnimeRow {
                media_id: "6",
                vibe: long(81),
                ..row()
            },
            "watch_space_anime_vibe_short",
        ),
        (
            AnimeRow {
                media_id: "6",
                pitch: long(501),
                ..row()
            },
            "watch_space_anime_pitch_short",
        ),
        (
            AnimeRow {
                media_id: "6",
                updated: "now() - interval '1 second'",
                ..row()
            },
            "watch_space_anime_updated_after_added",
        ),
        (
            AnimeRow {
                media_id: "6",
                version: "0",
                ..row()
            },
            "watch_space_anime_version_positive",
        ),
        (
            AnimeRow {
                media_id: "6",
                space: uuid::Uuid::new_v4().to_string(),
                ..row()
            },
            "watch_space_anime_watch_space_id_fkey",
        ),
        (
            AnimeRow {
                media_id: "6",
                user: uuid::Uuid::new_v4().to_string(),
                ..row()
            },
            "watch_space_anime_added_by_user_id_fkey",
        ),
    ];
    for (case, constraint) in cases {
        refused_by(world.db.execute(&case.sql()).await, constraint);
    }

    // Progress beyond the episode count is allowed: AniList may lower the count later.
    world
        .db
        .execute(
            &AnimeRow {
                media_id: "7",
                progress: "20",
                ..row()
            }
            .sql(),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn participant_entries_refuse_every_invalid_value() {
    let world = World::new().await;
    let trio = world.trio().await;
    let anime = world.add(&trio.ann, trio.space, BLOOM).await.id;
    let entry =
        |user: String, status: &str, episodes: &str, rating: &str, notes: String, version: &str| {
            format!(
                "INSERT INTO anime_tracking.participant_entries
                 (id, watch_space_anime_id, user_id, individual_status, episodes_watched,
                  rating_score, rating_notes, last_updated_at_utc, updated_by_user_id, version)
             VALUES (gen_random_uuid(), '{anime}', '{user}', '{status}', {episodes}, {rating},
                     {notes}, now(), '{user}', {version})"
            )
        };
    let kai = trio.kai.id.to_string();
    let ann = trio.ann.id.to_string();

    for (status, episodes, rating, notes, version, constraint) in [
        (
            "done",
            "0",
            "NULL",
            "NULL".to_owned(),
            "1",
            "participant_entries_status_known",
        ),
        (
            "watching",
            "-1",
            "NULL",
            "NULL".to_owned(),
            "1",
            "participant_entries_progress_in_range",
        ),
        (
            "watching",
            "1",
            "0.0",
            "NULL".to_owned(),
            "1",
            "participant_entries_rating_half_steps",
        ),
        (
            "watching",
            "1",
            "7.3",
            "NULL".to_owned(),
            "1",
            "participant_entries_rating_half_steps",
        ),
        (
            "watching",
            "1",
            "10.5",
            "NULL".to_owned(),
            "1",
            "participant_entries_rating_half_steps",
        ),
        (
            "watching",
            "1",
            "8.5",
            long(2001),
            "1",
            "participant_entries_rating_notes_short",
        ),
        (
            "watching",
            "1",
            "8.5",
            "NULL".to_owned(),
            "0",
            "participant_entries_version_positive",
        ),
    ] {
        refused_by(
            world
                .db
                .execute(&entry(
                    kai.clone(),
                    status,
                    episodes,
                    rating,
                    notes,
                    version,
                ))
                .await,
            constraint,
        );
    }
    refused_by(
        world
            .db
            .execute(&entry(
                uuid::Uuid::new_v4().to_string(),
                "watching",
                "1",
                "NULL",
                "NULL".into(),
                "1",
            ))
            .await,
        "participant_entries_user_id_fkey",
    );
    world
        .db
        .execute(&entry(
            kai.clone(),
            "watching",
            "1",
            "9.5",
            "'ok'".into(),
            "1",
        ))
        .await
        .unwrap();
    refused_by(
        world
            .db
            .execute(&entry(kai, "watching", "1", "NULL", "NULL".into(), "1"))
            .await,
        "participant_entries_anime_user_key",
    );
    world
        .db
        .execute(&entry(ann, "watching", "1", "0.5", "NULL".into(), "1"))
        .await
        .unwrap();
}

#[tokio::test]
async fn sessions_and_attendance_refuse_every_invalid_value() {
    let world = World::new().await;
    let trio = world.trio().await;
    let anime = world.add(&trio.ann, trio.space, BLOOM).await.id;
    let ann = trio.ann.id;
    let session = |id: &str, start: &str, end: &str, notes: String, creator: String| {
        format!(
            "INSERT INTO anime_tracking.watch_sessions
                 (id, watch_space_anime_id, session_date_utc, start_episode, end_episode, notes,
                  created_by_user_id, created_at_utc)
             VALUES ('{id}', '{anime}', now(), {start}, {end}, {notes}, '{creator}', now())"
        )
    };
    let id = uuid::Uuid::new_v4().to_string();

    for (start, end, notes, constraint) in [
        ("0", "1", "NULL".to_owned(), "watch_sessions_start_positive"),
        (
            "3",
            "2",
            "NULL".to_owned(),
            "watch_sessions_end_not_before_start",
        ),
        (
            "1",
            "10001",
            "NULL".to_owned(),
            "watch_sessions_end_in_range",
        ),
        ("1", "2", long(2001), "watch_sessions_notes_short"),
    ] {
        refused_by(
            world
                .db
                .execute(&session(&id, start, end, notes, ann.to_string()))
                .await,
            constraint,
        );
    }
    refused_by(
        world
            .db
            .execute(&session(
                &id,
                "1",
                "2",
                "NULL".into(),
                uuid::Uuid::new_v4().to_string(),
            ))
            .await,
        "watch_sessions_created_by_user_id_fkey",
    );
    world
        .db
        .execute(&session(&id, "1", "2", "NULL".into(), ann.to_string()))
        .await
        .unwrap();

    let attend = |user: String| {
        format!("INSERT INTO anime_tracking.watch_session_attendees (session_id, user_id) VALUES ('{id}', '{user}')")
    };
    world.db.execute(&attend(ann.to_string())).await.unwrap();
    refused_by(
        world.db.execute(&attend(ann.to_string())).await,
        "watch_session_attendees_pkey",
    );
    refused_by(
        world
            .db
            .execute(&attend(uuid::Uuid::new_v4().to_string()))
            .await,
        "watch_session_attendees_user_id_fkey",
    );
    refused_by(
        world
            .db
            .execute(&format!(
                "INSERT INTO anime_tracking.watch_session_attendees (session_id, user_id) \
                 VALUES (gen_random_uuid(), '{ann}')"
            ))
            .await,
        "watch_session_attendees_session_id_fkey",
    );
}
