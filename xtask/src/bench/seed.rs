//! The benchmark's data set: generated AniList media for the fake, and a space of four members
//! with 500 anime, their progress and ratings and 3,000 watch sessions over two years, seeded
//! through the public REST API with a fixed number of requests in flight.
//!
//! Everything is derived from a fixed seed, so every run measures the same data.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use tokio::task::JoinSet;

use crate::api::{participant_version, Account, Anime, Api, IdOnly, Member};
use crate::util::interrupted;

/// Media generated into the fake's catalog (more than are added, so search has extras).
pub const MEDIA: usize = 520;
/// Anime added to the space.
pub const ANIME: usize = 500;
pub const SESSIONS: usize = 3_000;
pub const MEMBERS: usize = 4;
/// Generated AniList ids start above every real one in the bundled catalog.
const FIRST_MEDIA_ID: i64 = 900_001;
/// Sessions fall within this many days before now.
const SESSION_DAYS: i64 = 730;
const PASSWORD: &str = "bloom-bench-2026";
const SPACE_NAME: &str = "Benchmark space";
/// How many times an add is retried when the server's AniList budget is spent (429).
const ADD_RETRIES: u32 = 10;

/// A small deterministic generator (SplitMix64): the same data on every run, no dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// Uniform in `low..=high`.
    pub fn between(&mut self, low: i64, high: i64) -> i64 {
        let span = u64::try_from(high - low + 1).unwrap_or(1);
        low + i64::try_from(self.below(span)).unwrap_or(0)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        // 53 random bits: exact in an f64.
        #[expect(clippy::cast_precision_loss)]
        let bits = (self.next_u64() >> 11) as f64;
        bits / (1_u64 << 53) as f64
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let index = usize::try_from(self.below(items.len() as u64)).unwrap_or(0);
        &items[index.min(items.len() - 1)]
    }
}

const GENRES: &[&str] = &[
    "Action",
    "Adventure",
    "Comedy",
    "Drama",
    "Fantasy",
    "Mystery",
    "Romance",
    "Sci-Fi",
    "Slice of Life",
    "Sports",
    "Supernatural",
    "Thriller",
    "Music",
    "Psychological",
    "Mecha",
    "Horror",
];
const ROMAJI_A: &[&str] = &[
    "Hoshi", "Sakura", "Kaze", "Tsuki", "Yume", "Hikari", "Umi", "Sora", "Hana", "Yoru",
];
const ROMAJI_B: &[&str] = &[
    "no Monogatari",
    "Gakuen",
    "Tabibito",
    "no Uta",
    "Shoujo",
    "Kishi",
    "no Mori",
    "Biyori",
];
const ENGLISH_A: &[&str] = &[
    "Starlit", "Quiet", "Endless", "Crimson", "Gentle", "Brave", "Lonely", "Golden", "Paper",
    "Neon",
];
const ENGLISH_B: &[&str] = &[
    "Journey", "Academy", "Wanderer", "Song", "Girl", "Knight", "Forest", "Days",
];

/// AniList's Media JSON for generated title `index`; covers are drawn by the fake at `fake_url`.
pub fn media(index: usize, fake_url: &str, rng: &mut Rng) -> Value {
    let id = media_id(index);
    let number = index + 1;
    let romaji = format!("{} {} {number}", rng.pick(ROMAJI_A), rng.pick(ROMAJI_B));
    let english = format!(
        "The {} {} {number}",
        rng.pick(ENGLISH_A),
        rng.pick(ENGLISH_B)
    );
    let roll = rng.below(10);
    let (format, episodes, duration) = match roll {
        0 => ("MOVIE", 1, rng.between(90, 130)),
        1 => ("ONA", rng.between(6, 13), rng.between(12, 24)),
        _ => (
            "TV",
            *rng.pick(&[10, 11, 12, 12, 12, 13, 13, 24, 25, 26, 48, 64]),
            24,
        ),
    };
    let mut genres: Vec<&str> = Vec::new();
    let wanted = rng.between(2, 4);
    while i64::try_from(genres.len()).unwrap_or(0) < wanted {
        let genre = *rng.pick(GENRES);
        if !genres.contains(&genre) {
            genres.push(genre);
        }
    }
    let year = rng.between(2000, 2026);
    let season = *rng.pick(&["WINTER", "SPRING", "SUMMER", "FALL"]);
    let score = rng.between(55, 92);
    let color = format!(
        "#{:02x}{:02x}{:02x}",
        rng.between(160, 250),
        rng.between(160, 250),
        rng.between(160, 250)
    );
    let large = format!("{fake_url}covers/{id}-large.svg");
    json!({
        "id": id,
        "idMal": null,
        "title": {"romaji": romaji, "english": english, "native": format!("ベンチ {number}")},
        "synonyms": [],
        "episodes": episodes,
        "duration": duration,
        "format": format,
        "status": "FINISHED",
        "season": season,
        "seasonYear": year,
        "coverImage": {
            "extraLarge": large,
            "large": large,
            "medium": format!("{fake_url}covers/{id}-medium.svg"),
            "color": color,
        },
        "genres": genres,
        "averageScore": score,
        "meanScore": score,
        "popularity": rng.between(1_000, 300_000),
        "isAdult": false,
        "description": format!("{english}: a generated title for BloomWatch's benchmark."),
        "updatedAt": 1_760_000_000,
        "nextAiringEpisode": null,
    })
}

pub fn media_id(index: usize) -> i64 {
    FIRST_MEDIA_ID + i64::try_from(index).unwrap_or(0)
}

/// What happens to one anime of the space.
#[derive(Debug, Clone)]
pub struct AnimePlan {
    pub media_id: i64,
    pub episodes: i32,
    /// Which member adds it.
    pub added_by: usize,
    pub shared_status: &'static str,
    /// Per member: their own status and episodes, if they track it.
    pub progress: [Option<(&'static str, i32)>; MEMBERS],
    /// Per member: their rating, if they rated it.
    pub ratings: [Option<f64>; MEMBERS],
    pub sessions: Vec<SessionPlan>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SessionPlan {
    pub date_utc: String,
    pub start_episode: i32,
    pub end_episode: i32,
    /// Which member records it.
    pub recorded_by: usize,
}

/// The space's 500 anime: statuses, progress, ratings and sessions, from `seed`.
pub fn plan(episode_counts: &[i32], now: OffsetDateTime, seed: u64) -> Result<Vec<AnimePlan>> {
    let mut rng = Rng::new(seed);
    // Each member's taste: how far above or below the show's quality they tend to rate.
    let bias = [0.6, -0.4, 0.2, -0.8];
    let mut plans: Vec<AnimePlan> = Vec::with_capacity(ANIME);
    for (index, &episodes) in episode_counts.iter().take(ANIME).enumerate() {
        let roll = rng.unit();
        let shared_status = match roll {
            r if r < 0.45 => "finished",
            r if r < 0.65 => "watching",
            r if r < 0.80 => "backlog",
            r if r < 0.90 => "paused",
            _ => "dropped",
        };
        let quality = 3.0 + 6.0 * rng.unit();
        let mut progress = [None; MEMBERS];
        let mut ratings = [None; MEMBERS];
        if shared_status != "backlog" {
            for member in 0..MEMBERS {
                // Most members track most titles.
                if rng.unit() >= 0.85 {
                    continue;
                }
                let watched = match shared_status {
                    "finished" => episodes,
                    "watching" => i32::try_from(rng.between(1, i64::from(episodes))).unwrap_or(1),
                    _ => {
                        i32::try_from(rng.between(1, i64::from((episodes / 2).max(1)))).unwrap_or(1)
                    }
                };
                progress[member] = Some((shared_status, watched));
                let rates = if shared_status == "finished" {
                    0.9
                } else {
                    0.6
                };
                if rng.unit() < rates {
                    let raw = quality + bias[member] + 2.0 * rng.unit() - 1.0;
                    ratings[member] = Some(half_step(raw));
                }
            }
        }
        plans.push(AnimePlan {
            media_id: media_id(index),
            episodes,
            added_by: index % MEMBERS,
            shared_status,
            progress,
            ratings,
            sessions: Vec::new(),
        });
    }
    let watched: Vec<usize> = (0..plans.len())
        .filter(|&i| plans[i].shared_status != "backlog")
        .collect();
    if watched.is_empty() {
        bail!("the plan has no watched anime to record sessions for");
    }
    // Session dates first, spread over the last two years, then given to shows at random.
    let mut dates: Vec<Vec<OffsetDateTime>> = vec![Vec::new(); plans.len()];
    for _ in 0..SESSIONS {
        let anime = *rng.pick(&watched);
        let days_ago = rng.between(1, SESSION_DAYS);
        let minute = rng.between(18 * 60, 23 * 60 + 59);
        let midnight = now.replace_time(time::Time::MIDNIGHT);
        let at = midnight - time::Duration::days(days_ago) + time::Duration::minutes(minute);
        dates[anime].push(at);
    }
    for (anime, mut at) in dates.into_iter().enumerate() {
        at.sort();
        let plan = &mut plans[anime];
        let count = i32::try_from(at.len()).unwrap_or(1).max(1);
        // Consecutive chunks of the show; a show with more sessions than episodes is rewatched.
        let chunk = (plan.episodes / count).max(1);
        for (k, date) in at.into_iter().enumerate() {
            let k = i32::try_from(k).unwrap_or(0);
            let start = (k * chunk) % plan.episodes + 1;
            let end = (start + chunk - 1).min(plan.episodes);
            plan.sessions.push(SessionPlan {
                date_utc: date.format(&Rfc3339).context("formatting a session date")?,
                start_episode: start,
                end_episode: end,
                recorded_by: usize::try_from(rng.below(MEMBERS as u64)).unwrap_or(0),
            });
        }
    }
    Ok(plans)
}

/// Rounds to AniList-style half steps within 0.5..=10.
fn half_step(raw: f64) -> f64 {
    ((raw * 2.0).round() / 2.0).clamp(0.5, 10.0)
}

/// The seeded space, for the load and the page audits.
pub struct Seeded {
    pub space_id: String,
    pub members: Vec<Member>,
    pub emails: Vec<String>,
    pub password: &'static str,
    pub requests: usize,
    pub ratings: usize,
    pub progress: usize,
    pub sessions: usize,
    pub took: Duration,
}

pub fn member_email(index: usize) -> String {
    format!("bench{}@bench.bloomwatch.local", index + 1)
}

/// Seeds `plans` into the server behind `api` with `concurrency` requests in flight.
pub async fn seed(api: Arc<Api>, plans: Vec<AnimePlan>, concurrency: usize) -> Result<Seeded> {
    let started = Instant::now();
    let names = ["Aoi", "Mika", "Ren", "Sora"];
    let emails: Vec<String> = (0..MEMBERS).map(member_email).collect();
    // Four argon2 hashes at once, then four logins.
    let mut signing_in = JoinSet::new();
    for (index, email) in emails.iter().enumerate() {
        let (api, email) = (Arc::clone(&api), email.clone());
        let name = names[index % names.len()];
        signing_in.spawn(async move {
            let account = Account {
                display_name: name,
                email: &email,
                password: PASSWORD,
            };
            (index, api.sign_in(&account).await)
        });
    }
    let mut signed_in: Vec<Option<Member>> = vec![None; MEMBERS];
    while let Some(joined) = signing_in.join_next().await {
        let (index, member) = joined.context("a sign-in task failed")?;
        signed_in[index] = Some(member.with_context(|| format!("signing in {}", emails[index]))?);
    }
    let members: Vec<Member> = signed_in.into_iter().flatten().collect();
    let [owner, others @ ..] = members.as_slice() else {
        bail!("no members signed in");
    };
    let space: IdOnly = api
        .call(
            Some(&owner.token),
            Method::POST,
            "/watch-spaces",
            Some(json!({ "name": SPACE_NAME })),
        )
        .await?
        .parse()?;
    for (offset, member) in others.iter().enumerate() {
        api.invite_and_accept(&space.id, owner, &emails[offset + 1], member)
            .await?;
    }
    let mut requests = 1 + MEMBERS * 3 + others.len() * 2;

    let ratings = plans
        .iter()
        .map(|p| p.ratings.iter().flatten().count())
        .sum();
    let progress = plans
        .iter()
        .map(|p| p.progress.iter().flatten().count())
        .sum();
    let sessions = plans.iter().map(|p| p.sessions.len()).sum();
    let job = Arc::new(Job {
        api,
        space_id: space.id.clone(),
        members: members.clone(),
        plans,
        next: AtomicUsize::new(0),
    });
    let mut workers = JoinSet::new();
    for _ in 0..concurrency.max(1) {
        let job = Arc::clone(&job);
        workers.spawn(async move { job.work().await });
    }
    while let Some(joined) = workers.join_next().await {
        match joined.context("a seeding task failed")? {
            Ok(sent) => requests += sent,
            Err(e) => {
                workers.abort_all();
                return Err(e);
            }
        }
    }
    if interrupted() {
        bail!("interrupted");
    }
    Ok(Seeded {
        space_id: space.id,
        members,
        emails,
        password: PASSWORD,
        requests,
        ratings,
        progress,
        sessions,
        took: started.elapsed(),
    })
}

struct Job {
    api: Arc<Api>,
    space_id: String,
    members: Vec<Member>,
    plans: Vec<AnimePlan>,
    next: AtomicUsize,
}

impl Job {
    /// Takes anime off the plan until none are left; answers the requests sent.
    async fn work(&self) -> Result<usize> {
        let mut sent = 0;
        loop {
            if interrupted() {
                bail!("interrupted");
            }
            let index = self.next.fetch_add(1, Ordering::SeqCst);
            let Some(plan) = self.plans.get(index) else {
                return Ok(sent);
            };
            sent += self
                .seed_anime(plan)
                .await
                .with_context(|| format!("seeding AniList media {}", plan.media_id))?;
        }
    }

    fn member(&self, index: usize) -> &Member {
        &self.members[index % self.members.len()]
    }

    /// PATCHes `member`'s own entry of the show with the body made for its current version;
    /// the show as it is now.
    async fn patch_own(
        &self,
        entry: &Anime,
        member: &Member,
        url: &str,
        body: impl FnOnce(i32) -> Value,
    ) -> Result<Anime> {
        let version = participant_version(entry, member);
        self.api
            .call(Some(&member.token), Method::PATCH, url, Some(body(version)))
            .await?
            .parse()
    }

    async fn seed_anime(&self, plan: &AnimePlan) -> Result<usize> {
        let mut sent = 0;
        let adder = self.member(plan.added_by);
        let list = format!("/watch-spaces/{}/anime", self.space_id);
        let body = json!({"anilistMediaId": plan.media_id, "sharedStatus": plan.shared_status});
        let mut attempt = 0;
        let mut entry: Anime = loop {
            let reply = self
                .api
                .call(Some(&adder.token), Method::POST, &list, Some(body.clone()))
                .await?;
            sent += 1;
            // The server's AniList budget (AniList's rate limit) may be spent for a moment.
            if reply.status == StatusCode::TOO_MANY_REQUESTS && attempt < ADD_RETRIES {
                attempt += 1;
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
            break reply.parse()?;
        };
        let path = format!("{list}/{}", entry.id);
        for (index, member) in self.members.iter().enumerate() {
            if let Some((status, episodes)) = plan.progress[index] {
                entry = self
                    .patch_own(
                        &entry,
                        member,
                        &format!("{path}/participant-progress"),
                        |version| progress_body(version, Some(status), episodes),
                    )
                    .await?;
                sent += 1;
            }
            if let Some(score) = plan.ratings[index] {
                entry = self
                    .patch_own(
                        &entry,
                        member,
                        &format!("{path}/participant-rating"),
                        |version| json!({"version": version, "ratingScore": score}),
                    )
                    .await?;
                sent += 1;
            }
        }
        for session in &plan.sessions {
            let _: IdOnly = self
                .api
                .call(
                    Some(&self.member(session.recorded_by).token),
                    Method::POST,
                    &format!("{path}/sessions"),
                    Some(session_body(session)),
                )
                .await?
                .parse()?;
            sent += 1;
        }
        Ok(sent)
    }
}

pub fn progress_body(version: i32, status: Option<&str>, episodes: i32) -> Value {
    let mut body = json!({"version": version, "episodesWatched": episodes});
    if let Some(status) = status {
        body["individualStatus"] = json!(status);
    }
    body
}

fn session_body(session: &SessionPlan) -> Value {
    json!({
        "sessionDateUtc": session.date_utc,
        "startEpisode": session.start_episode,
        "endEpisode": session.end_episode,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(rng: &mut Rng) -> Vec<i32> {
        (0..MEDIA)
            .map(|i| {
                let media = media(i, "http://127.0.0.1:1/", rng);
                i32::try_from(media["episodes"].as_i64().unwrap()).unwrap()
            })
            .collect()
    }

    #[test]
    fn generated_media_look_like_anilist_media() {
        let mut rng = Rng::new(7);
        let media = media(0, "http://127.0.0.1:4010/", &mut rng);
        assert_eq!(media["id"], 900_001);
        assert!(media["title"]["romaji"].as_str().unwrap().ends_with(" 1"));
        assert!(media["episodes"].as_i64().unwrap() >= 1);
        assert!(media["duration"].as_i64().unwrap() >= 12);
        let genres = media["genres"].as_array().unwrap();
        assert!((2..=4).contains(&genres.len()));
        assert_eq!(
            media["coverImage"]["large"],
            "http://127.0.0.1:4010/covers/900001-large.svg"
        );
        assert!(["TV", "MOVIE", "ONA"].contains(&media["format"].as_str().unwrap()));
    }

    #[test]
    fn the_plan_has_the_benchmark_shape_and_only_valid_values() {
        let mut rng = Rng::new(7);
        let counts = counts(&mut rng);
        let now = OffsetDateTime::from_unix_timestamp(1_795_000_000).unwrap();
        let plans = plan(&counts, now, 42).unwrap();
        assert_eq!(plans.len(), ANIME);
        let sessions: usize = plans.iter().map(|p| p.sessions.len()).sum();
        assert_eq!(sessions, SESSIONS);
        let tracked = plans
            .iter()
            .filter(|p| p.progress.iter().any(Option::is_some))
            .count();
        let rated = plans
            .iter()
            .filter(|p| p.ratings.iter().any(Option::is_some))
            .count();
        assert!(tracked > ANIME * 3 / 4, "{tracked}");
        assert!(rated > ANIME * 2 / 3, "{rated}");
        let oldest = now - time::Duration::days(SESSION_DAYS + 1);
        for plan in &plans {
            for (status, episodes) in plan.progress.iter().flatten() {
                assert!((1..=plan.episodes).contains(episodes), "{plan:?} {status}");
            }
            for score in plan.ratings.iter().flatten() {
                assert!((0.5..=10.0).contains(score));
                assert_eq!((score * 2.0).fract(), 0.0);
            }
            for session in &plan.sessions {
                assert!(1 <= session.start_episode);
                assert!(session.start_episode <= session.end_episode);
                assert!(session.end_episode <= plan.episodes);
                let at = OffsetDateTime::parse(&session.date_utc, &Rfc3339).unwrap();
                assert!(oldest < at && at < now, "{}", session.date_utc);
            }
            if plan.shared_status == "backlog" {
                assert!(plan.sessions.is_empty());
            }
        }
    }

    #[test]
    fn the_data_is_the_same_on_every_run() {
        let counts = counts(&mut Rng::new(7));
        assert_eq!(counts, self::counts(&mut Rng::new(7)));
        let now = OffsetDateTime::from_unix_timestamp(1_795_000_000).unwrap();
        let a = plan(&counts, now, 42).unwrap();
        let b = plan(&counts, now, 42).unwrap();
        assert_eq!(a[17].sessions, b[17].sessions);
        assert_eq!(a[17].ratings, b[17].ratings);
    }

    #[test]
    fn ratings_are_half_steps() {
        assert_eq!(half_step(7.26), 7.5);
        assert_eq!(half_step(-3.0), 0.5);
        assert_eq!(half_step(12.0), 10.0);
    }

    #[test]
    fn progress_bodies_use_the_rest_api_field_names() {
        assert_eq!(
            progress_body(3, Some("watching"), 4),
            json!({"version": 3, "individualStatus": "watching", "episodesWatched": 4})
        );
        assert_eq!(
            progress_body(3, None, 0),
            json!({"version": 3, "episodesWatched": 0})
        );
    }
}
