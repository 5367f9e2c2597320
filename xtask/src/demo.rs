//! `cargo xtask run --demo`: demo data seeded through BloomWatch's public REST API, as any
//! client would, with the in-process fake AniList (`crate::fake`) as the server's AniList, so
//! the demo runs offline.
//!
//! Seeding is rerun-safe: existing accounts are logged into, the space is found by name, and
//! anime already in the space are left as they are.

use anyhow::{Context, Result};
use fake_anilist::FakeAniList;
use reqwest::{Client, Method, StatusCode};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::api::{participant_version, Account, Anime, Api, IdOnly, Member};
use crate::fake::InProcessAniList;
use crate::util::info;

/// The demo's own database in the local cluster, so demo data never mixes with dev data.
pub const DEMO_DATABASE: &str = "bloomwatch_demo";
pub const DEMO_PASSWORD: &str = "bloom-demo-2026";
const SPACE_NAME: &str = "Mika & Ren";
/// Mika's account on the fake AniList (Ren keeps no AniList list).
const MIKA_ON_ANILIST: &str = "mika_anilist";

pub struct DemoUser {
    pub display_name: &'static str,
    pub email: &'static str,
}

impl DemoUser {
    fn account(&self) -> Account<'static> {
        Account {
            display_name: self.display_name,
            email: self.email,
            password: DEMO_PASSWORD,
        }
    }
}

pub const MIKA: DemoUser = DemoUser {
    display_name: "Mika",
    email: "mika@demo.bloomwatch.local",
};
pub const REN: DemoUser = DemoUser {
    display_name: "Ren",
    email: "ren@demo.bloomwatch.local",
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WatchStatus {
    Backlog,
    Watching,
    Finished,
}

impl WatchStatus {
    fn as_str(self) -> &'static str {
        match self {
            WatchStatus::Backlog => "backlog",
            WatchStatus::Watching => "watching",
            WatchStatus::Finished => "finished",
        }
    }
}

struct DemoRating {
    score: f64,
    notes: &'static str,
}

struct DemoSession {
    date_utc: &'static str,
    start_episode: i32,
    end_episode: i32,
    notes: &'static str,
}

/// One anime of the demo space and what the two members did with it.
struct DemoAnime {
    anilist_media_id: i64,
    title: &'static str,
    status: WatchStatus,
    mood: Option<&'static str>,
    /// Mika's and Ren's episodes watched.
    episodes: [i32; 2],
    /// Mika's and Ren's ratings (the design document's examples).
    ratings: Option<[DemoRating; 2]>,
    session: Option<DemoSession>,
}

const fn rating(score: f64, notes: &'static str) -> DemoRating {
    DemoRating { score, notes }
}

const DEMO_ANIME: [DemoAnime; 6] = [
    DemoAnime {
        anilist_media_id: 101573,
        title: "Bloom Into You",
        status: WatchStatus::Finished,
        mood: Some("cozy"),
        episodes: [13, 13],
        ratings: Some([
            rating(10.0, "The student council play got me. Rewatch in spring?"),
            rating(9.0, "Quiet, honest and so pretty."),
        ]),
        session: Some(DemoSession {
            date_utc: "2026-11-20T20:00:00Z",
            start_episode: 1,
            end_episode: 3,
            notes: "Rainy Friday, tea and blankets.",
        }),
    },
    DemoAnime {
        anilist_media_id: 154587,
        title: "Frieren: Beyond Journey's End",
        status: WatchStatus::Finished,
        mood: Some("wistful"),
        episodes: [28, 28],
        ratings: Some([
            rating(9.0, "Himmel would have liked this one."),
            rating(8.0, "Slow in the best way; the exam arc dragged a little."),
        ]),
        session: Some(DemoSession {
            date_utc: "2026-11-13T19:30:00Z",
            start_episode: 1,
            end_episode: 4,
            notes: "Started it for the soundtrack, stayed for Fern.",
        }),
    },
    DemoAnime {
        anilist_media_id: 113415,
        title: "Jujutsu Kaisen",
        status: WatchStatus::Finished,
        mood: Some("hype"),
        episodes: [24, 24],
        ratings: Some([
            rating(7.0, "Great fights, too many screams for a weeknight."),
            rating(6.0, "Fun, but not really our kind of show."),
        ]),
        session: Some(DemoSession {
            date_utc: "2026-11-06T21:00:00Z",
            start_episode: 1,
            end_episode: 3,
            notes: "Ren insisted. Snacks were involved.",
        }),
    },
    DemoAnime {
        anilist_media_id: 21,
        title: "One Piece",
        status: WatchStatus::Watching,
        mood: Some("adventure"),
        episodes: [12, 9],
        ratings: None,
        session: Some(DemoSession {
            date_utc: "2026-11-22T18:00:00Z",
            start_episode: 8,
            end_episode: 9,
            notes: "Only a thousand-odd episodes to go.",
        }),
    },
    DemoAnime {
        anilist_media_id: 21519,
        title: "Your Name.",
        status: WatchStatus::Finished,
        mood: Some("teary"),
        episodes: [1, 1],
        ratings: None,
        session: Some(DemoSession {
            date_utc: "2026-10-31T20:00:00Z",
            start_episode: 1,
            end_episode: 1,
            notes: "Movie night.",
        }),
    },
    DemoAnime {
        anilist_media_id: 153518,
        title: "Delicious in Dungeon",
        status: WatchStatus::Backlog,
        mood: None,
        episodes: [0, 0],
        ratings: None,
        session: None,
    },
];

/// Seeds the demo data into the BloomWatch server listening on `addr` (`host:port`), with
/// Mika's AniList linked (to this fake) so her changes are seen syncing.
pub fn seed_demo(anilist: &InProcessAniList, addr: &str) -> Result<()> {
    anilist.block_on(async |fake| seed(addr, fake).await)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SpaceSummary {
    id: String,
    name: String,
    member_count: u64,
}

/// The demo space with Ren in it, created on the first run.
async fn shared_space(api: &Api, mika: &Member, ren: &Member) -> Result<String> {
    let spaces: Vec<SpaceSummary> = api.all_pages(&mika.token, "/watch-spaces").await?;
    let existing = spaces.into_iter().find(|space| space.name == SPACE_NAME);
    if let Some(space) = &existing {
        if space.member_count >= 2 {
            info(format!("{SPACE_NAME:?} exists already"));
            return Ok(space.id.clone());
        }
    }
    let space_id = match existing {
        Some(space) => space.id,
        None => {
            let created: IdOnly = api
                .call(
                    Some(&mika.token),
                    Method::POST,
                    "/watch-spaces",
                    Some(json!({ "name": SPACE_NAME })),
                )
                .await?
                .parse()?;
            created.id
        }
    };
    api.invite_and_accept(&space_id, mika, REN.email, ren)
        .await?;
    Ok(space_id)
}

/// Adds `anime` to the space and plays out the members' progress, ratings and session.
async fn seed_anime(
    api: &Api,
    space_id: &str,
    members: [&Member; 2],
    anime: &DemoAnime,
) -> Result<()> {
    let [mika, _] = members;
    let added = api
        .call(
            Some(&mika.token),
            Method::POST,
            &format!("/watch-spaces/{space_id}/anime"),
            Some(add_anime_body(anime)),
        )
        .await?;
    // 409: already in the space from an earlier demo run.
    if added.status == StatusCode::CONFLICT {
        info(format!("{} is already in the space", anime.title));
        return Ok(());
    }
    let mut entry: Anime = added.parse()?;
    let path = format!("/watch-spaces/{space_id}/anime/{}", entry.id);
    if let Some(body) = shared_update_body(entry.version, anime) {
        entry = api
            .call(Some(&mika.token), Method::PATCH, &path, Some(body))
            .await?
            .parse()?;
    }
    for (index, member) in members.into_iter().enumerate() {
        let episodes = anime.episodes.get(index).copied().unwrap_or(0);
        if episodes > 0 {
            let version = participant_version(&entry, member);
            entry = api
                .call(
                    Some(&member.token),
                    Method::PATCH,
                    &format!("{path}/participant-progress"),
                    Some(progress_body(version, anime.status, episodes)),
                )
                .await?
                .parse()?;
        }
        if let Some(rating) = anime.ratings.as_ref().and_then(|r| r.get(index)) {
            let version = participant_version(&entry, member);
            entry = api
                .call(
                    Some(&member.token),
                    Method::PATCH,
                    &format!("{path}/participant-rating"),
                    Some(rating_body(version, rating)),
                )
                .await?
                .parse()?;
        }
    }
    if let Some(session) = &anime.session {
        let _: IdOnly = api
            .call(
                Some(&mika.token),
                Method::POST,
                &format!("{path}/sessions"),
                Some(session_body(session)),
            )
            .await?
            .parse()?;
    }
    info(format!("added {}", anime.title));
    Ok(())
}

/// Links `member`'s AniList account to the fake's `anilist_user`, the way a browser does:
/// start, approve on the fake, come back through the callback. Linking again (every demo
/// run: the fake forgets its tokens when it stops) replaces the stored token.
async fn link_anilist(
    api: &Api,
    fake: &FakeAniList,
    member: &Member,
    anilist_user: &str,
) -> Result<()> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Authorize {
        authorize_url: String,
    }
    let authorize: Authorize = api
        .call(Some(&member.token), Method::POST, "/me/anilist/link", None)
        .await?
        .parse()?;
    fake.approve_as(Some(anilist_user));
    let browser = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let approved = browser.get(&authorize.authorize_url).send().await?;
    fake.approve_as(None);
    let back = approved
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|location| location.to_str().ok())
        .context("the fake AniList did not send the browser back")?
        .to_owned();
    let returned = browser.get(&back).bearer_auth(&member.token).send().await?;
    let landed = returned
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|location| location.to_str().ok())
        .unwrap_or_default();
    if !landed.ends_with("anilist=linked") {
        anyhow::bail!("linking the demo AniList account ended at {landed:?}");
    }
    info(format!("linked {anilist_user} on the fake AniList"));
    Ok(())
}

async fn seed(addr: &str, fake: &FakeAniList) -> Result<()> {
    let api = Api::new(Client::new(), addr);
    let mika = api.sign_in(&MIKA.account()).await?;
    let ren = api.sign_in(&REN.account()).await?;
    link_anilist(&api, fake, &mika, MIKA_ON_ANILIST).await?;
    let space_id = shared_space(&api, &mika, &ren).await?;
    for anime in &DEMO_ANIME {
        seed_anime(&api, &space_id, [&mika, &ren], anime)
            .await
            .with_context(|| format!("seeding {}", anime.title))?;
    }
    Ok(())
}

fn add_anime_body(anime: &DemoAnime) -> Value {
    json!({"anilistMediaId": anime.anilist_media_id, "sharedStatus": anime.status.as_str()})
}

/// The shared episode count (what both have seen) and mood; `None` when there is nothing to set.
fn shared_update_body(version: i32, anime: &DemoAnime) -> Option<Value> {
    let together = anime.episodes.iter().copied().min().unwrap_or(0);
    if together == 0 && anime.mood.is_none() {
        return None;
    }
    let mut body = json!({"version": version, "sharedEpisodesWatched": together});
    if let Some(mood) = anime.mood {
        body["mood"] = json!(mood);
    }
    Some(body)
}

fn progress_body(version: i32, status: WatchStatus, episodes: i32) -> Value {
    json!({"version": version, "individualStatus": status.as_str(), "episodesWatched": episodes})
}

fn rating_body(version: i32, rating: &DemoRating) -> Value {
    json!({"version": version, "ratingScore": rating.score, "ratingNotes": rating.notes})
}

fn session_body(session: &DemoSession) -> Value {
    json!({
        "sessionDateUtc": session.date_utc,
        "startEpisode": session.start_episode,
        "endEpisode": session.end_episode,
        "notes": session.notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{login_body, register_body};

    fn demo(id: i64) -> &'static DemoAnime {
        DEMO_ANIME
            .iter()
            .find(|anime| anime.anilist_media_id == id)
            .unwrap()
    }

    #[test]
    fn the_demo_rates_three_finished_shows_as_in_the_design() {
        let scores = |id| {
            demo(id)
                .ratings
                .as_ref()
                .unwrap()
                .iter()
                .map(|r| r.score)
                .collect::<Vec<_>>()
        };
        assert_eq!(scores(101573), [10.0, 9.0]);
        assert_eq!(scores(154587), [9.0, 8.0]);
        assert_eq!(scores(113415), [7.0, 6.0]);
        for anime in &DEMO_ANIME {
            if anime.ratings.is_some() {
                assert_eq!(anime.status, WatchStatus::Finished, "{}", anime.title);
            }
        }
    }

    #[test]
    fn every_demo_anime_is_in_the_fake_catalog() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let fake = FakeAniList::start().await.unwrap();
            let client = Client::new();
            for anime in &DEMO_ANIME {
                let query = "query ($id: Int) { Media(id: $id, type: ANIME) { id episodes } }";
                let body: Value = client
                    .post(fake.url())
                    .json(&json!({"query": query, "variables": {"id": anime.anilist_media_id}}))
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                let media = &body["data"]["Media"];
                assert_eq!(media["id"], anime.anilist_media_id, "{}", anime.title);
                if let Some(count) = media["episodes"].as_i64() {
                    for watched in anime.episodes {
                        assert!(i64::from(watched) <= count, "{}", anime.title);
                    }
                }
            }
            fake.stop().await;
        });
    }

    #[test]
    fn bodies_use_the_rest_api_field_names() {
        assert_eq!(
            register_body(&MIKA.account()),
            json!({"email": "mika@demo.bloomwatch.local", "password": "bloom-demo-2026", "displayName": "Mika"})
        );
        assert_eq!(
            login_body(&REN.account()),
            json!({"email": "ren@demo.bloomwatch.local", "password": "bloom-demo-2026"})
        );
        assert_eq!(
            add_anime_body(demo(21)),
            json!({"anilistMediaId": 21, "sharedStatus": "watching"})
        );
        assert_eq!(
            shared_update_body(1, demo(21)),
            Some(json!({"version": 1, "sharedEpisodesWatched": 9, "mood": "adventure"}))
        );
        assert_eq!(shared_update_body(1, demo(153518)), None);
        assert_eq!(
            progress_body(2, WatchStatus::Finished, 13),
            json!({"version": 2, "individualStatus": "finished", "episodesWatched": 13})
        );
        assert_eq!(
            rating_body(3, &rating(9.5, "nice")),
            json!({"version": 3, "ratingScore": 9.5, "ratingNotes": "nice"})
        );
        assert_eq!(
            session_body(demo(101573).session.as_ref().unwrap()),
            json!({"sessionDateUtc": "2026-11-20T20:00:00Z", "startEpisode": 1, "endEpisode": 3,
                   "notes": "Rainy Friday, tea and blankets."})
        );
    }
}
