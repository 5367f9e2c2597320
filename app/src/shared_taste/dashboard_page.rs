//! `/spaces/:id`: a space's home, its dashboard. Snapshot cards, the compatibility gauge,
//! what the space is watching (with "+1 episode"), the random pick, the backlog's newest,
//! everyone's ratings side by side with the biggest gaps, recent sessions and sessions per
//! month. Everything arrives in the server-rendered HTML; the charts are drawn afterwards.

use analytics::contracts::{DashboardDto, RatingGapDto, RecentSessionDto, SharedStatsDto};
use anime_tracking::contracts::WatchSpaceAnimeDto;
use identity::contracts::UserId;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use watch_spaces::contracts::{WatchSpaceDetailsDto, WatchSpaceId, WatchSpacesError};

use super::compatibility_gauge::CompatibilityGauge;
use super::random_pick_card::RandomPickCard;
use super::rating_gap_list::RatingGapList;
use super::server_fns::{chart_titles, get_dashboard, members, DashboardView};
use super::sessions_chart::SessionsChart;
use crate::anime::{anime_path, episode_range, use_space_id, AddAnimeButton, AnimeCard};
use crate::charts::Chart;
use crate::components::{format_date, Blossom, CoverImage, MemberBadge};
use crate::error::AppError;
use crate::spaces::{load_space, space_error, SpaceHeader, SpaceSection};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let space_id = use_space_id();
    let space = Resource::new(move || space_id.get(), load_space);
    let dashboard = Resource::new(
        move || space_id.get(),
        move |space_id| async move {
            match space_id {
                Some(space_id) => get_dashboard(space_id).await,
                None => Err(AppError::from_public(&WatchSpacesError::SpaceNotFound)),
            }
        },
    );
    view! {
        <Title text="Dashboard"/>
        <Transition fallback=|| view! { <p class="loading">"Opening your space…"</p> }>
            {move || Suspend::new(async move {
                match (space.await, dashboard.await) {
                    (Ok(space), Ok(view)) => Either::Left(view! {
                        <Dashboard space view/>
                    }),
                    (Err(error), _) | (_, Err(error)) => {
                        Either::Right(space_error(error, space_id.get_untracked()))
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn Dashboard(space: WatchSpaceDetailsDto, view: DashboardView) -> impl IntoView {
    let space_id = space.id;
    let member_count = space.members.len();
    let lede = if member_count == 1 {
        "Just you so far. Invite someone from Space settings.".to_owned()
    } else {
        format!("{member_count} of you, watching together")
    };
    let DashboardView {
        dashboard,
        ratings_chart,
        sessions_chart,
    } = view;
    let titles = chart_titles(&dashboard);
    let people = members(&dashboard.compatibility);
    let DashboardDto {
        stats,
        compatibility,
        currently_watching,
        backlog_highlights,
        rating_gap_highlights,
        recent_sessions,
        ..
    } = dashboard;
    let genres: Vec<String> = stats
        .genre_mix
        .iter()
        .map(|genre| genre.genre.clone())
        .collect();
    let empty = stats.total_shows == 0;
    let member_ids: Vec<UserId> = space.members.iter().map(|member| member.user_id).collect();
    view! {
        <Title text=space.name.clone()/>
        <SpaceHeader space_id name=space.name current=SpaceSection::Dashboard lede/>
        <div class="dashboard-toolbar">
            <AddAnimeButton space_id/>
        </div>
        {empty.then(|| view! {
            <section class="card empty-state">
                <Blossom size=56 class="empty-state-art"/>
                <h2>"Your space is ready"</h2>
                <p>"Add a show you are watching, or one you both want to watch, and this page fills up with your progress, ratings and picks 🌸"</p>
                <p>"Already keep a list on AniList or MyAnimeList? Each of you can bring it in, and see what you share before anything is written."</p>
                <p><a class="button primary" href=crate::imports::import_path(space_id)>"Import your list"</a></p>
            </section>
        })}
        {(!empty).then(|| view! { <SnapshotCards stats=stats.clone()/> })}
        <div class="dashboard-grid">
            {(member_count > 1).then(|| view! { <CompatibilityGauge compatibility/> })}
            <RandomPickCard space_id genres/>
        </div>
        {(!empty).then(|| view! {
            <WatchingNow space_id anime=currently_watching/>
            <BacklogHighlights space_id anime=backlog_highlights/>
            {(!titles.is_empty()).then(|| view! {
                <section class="card" aria-labelledby="ratings-title">
                    <h2 id="ratings-title">"Your ratings side by side"</h2>
                    <ul class="chart-legend" aria-label="Colours">
                        {people.iter().enumerate().map(|(position, member)| view! {
                            <li><span class=format!("chart-swatch chart-swatch-{}", position % 6 + 1) aria-hidden="true"></span>{member.display_name.clone()}</li>
                        }).collect_view()}
                    </ul>
                    <Chart
                        option=ratings_chart
                        title="Ratings side by side"
                        summary=ratings_summary(&titles)
                        height=ratings_chart_height(titles.len())
                    >
                        <RatingsTable titles=titles.clone() people=people.clone()/>
                    </Chart>
                    <h3>"Biggest gaps"</h3>
                    <RatingGapList gaps=rating_gap_highlights empty="No gaps yet: you agree on everything you both rated 💞"/>
                    <p><a href=format!("/spaces/{space_id}/analytics")>"All ratings and gaps →"</a></p>
                </section>
            })}
            <RecentSessions space_id sessions=recent_sessions members=member_ids.clone()/>
            <SessionsChart option=sessions_chart stats/>
        })}
    }
}

/// Watching, backlog, finished, episodes and hours together, the weekly streak.
#[component]
fn SnapshotCards(stats: SharedStatsDto) -> impl IntoView {
    let episodes = if stats.hours_together > 0.0 {
        format!(
            "episodes together · {} h",
            trim_tenths(stats.hours_together)
        )
    } else {
        "episodes together".to_owned()
    };
    let streak = match stats.current_weekly_streak {
        0 => "no weekly streak yet".to_owned(),
        1 => "week in a row".to_owned(),
        _ => "weeks in a row".to_owned(),
    };
    let cards = [
        (stats.currently_watching.to_string(), "watching".to_owned()),
        (stats.backlog.to_string(), "in the backlog".to_owned()),
        (stats.finished.to_string(), "finished".to_owned()),
        (stats.episodes_watched_together.to_string(), episodes),
        (stats.current_weekly_streak.to_string(), streak),
    ];
    view! {
        <ul class="snapshot-cards" aria-label="At a glance">
            {cards
                .into_iter()
                .map(|(figure, label)| view! {
                    <li class="snapshot-card">
                        <span class="snapshot-figure">{figure}</span>
                        " "
                        <span class="snapshot-label">{label}</span>
                    </li>
                })
                .collect_view()}
        </ul>
    }
}

#[component]
fn WatchingNow(space_id: WatchSpaceId, anime: Vec<WatchSpaceAnimeDto>) -> impl IntoView {
    view! {
        <section class="dashboard-section" aria-labelledby="watching-title">
            <div class="section-heading">
                <h2 id="watching-title">"Watching now"</h2>
                <a href=format!("/spaces/{space_id}/anime?tab=watching")>"All you are watching →"</a>
            </div>
            {if anime.is_empty() {
                Either::Left(view! {
                    <p class="muted">"Nothing on the go right now. Let the random pick choose from your backlog 🍿"</p>
                })
            } else {
                Either::Right(view! {
                    <ul class="anime-grid" aria-label="Watching">
                        {anime.into_iter().map(|anime| view! { <AnimeCard anime/> }).collect_view()}
                    </ul>
                })
            }}
        </section>
    }
}

#[component]
fn BacklogHighlights(space_id: WatchSpaceId, anime: Vec<WatchSpaceAnimeDto>) -> impl IntoView {
    view! {
        <section class="dashboard-section" aria-labelledby="backlog-title">
            <div class="section-heading">
                <h2 id="backlog-title">"Newest in the backlog"</h2>
                <a href=format!("/spaces/{space_id}/anime?tab=backlog")>"The whole backlog →"</a>
            </div>
            {if anime.is_empty() {
                Either::Left(view! { <p class="muted">"Your backlog is empty. Add something you both want to watch 🌸"</p> })
            } else {
                Either::Right(view! {
                    <ul class="cover-strip" aria-label="Backlog">
                        {anime.into_iter().map(|anime| {
                            let title = anime.display_title().to_owned();
                            view! {
                                <li>
                                    <a href=anime_path(space_id, anime.id)>
                                        <CoverImage url=anime.cover_image_url_snapshot.clone() title=title.clone() size="small"/>
                                        <span class="cover-strip-title">{title}</span>
                                    </a>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })
            }}
        </section>
    }
}

#[component]
fn RecentSessions(
    space_id: WatchSpaceId,
    sessions: Vec<RecentSessionDto>,
    /// The space's members in joining order: their colour slots.
    members: Vec<UserId>,
) -> impl IntoView {
    let position = move |user_id: UserId| {
        members
            .iter()
            .position(|member| *member == user_id)
            .unwrap_or(members.len())
    };
    view! {
        <section class="dashboard-section" aria-labelledby="recent-sessions-title">
            <h2 id="recent-sessions-title">"Recent sessions"</h2>
            {if sessions.is_empty() {
                Either::Left(view! { <p class="muted">"No sessions yet. Record one on a show's page after your next movie night 🍵"</p> })
            } else {
                Either::Right(view! {
                    <ol class="recent-sessions" aria-label="Recent sessions, newest first">
                        {sessions.into_iter().map(|recent| {
                            let session = recent.session;
                            let episodes = episode_range(session.start_episode, session.end_episode);
                            view! {
                                <li>
                                    <a href=anime_path(space_id, recent.watch_space_anime_id)>{recent.title}</a>
                                    " · " {episodes} " · " {format_date(session.session_date_utc)}
                                    <span class="recent-session-attendees">
                                        {session.attendees.into_iter().map(|attendee| view! {
                                            <MemberBadge name=attendee.display_name position=position(attendee.user_id)/>
                                        }).collect_view()}
                                    </span>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                })
            }}
        </section>
    }
}

/// The ratings chart's figures as a table.
#[component]
fn RatingsTable(
    titles: Vec<RatingGapDto>,
    people: Vec<analytics::contracts::MemberRefDto>,
) -> impl IntoView {
    view! {
        <table>
            <thead>
                <tr>
                    <th scope="col">"Show"</th>
                    {people.iter().map(|member| view! { <th scope="col">{member.display_name.clone()}</th> }).collect_view()}
                    <th scope="col">"Gap"</th>
                </tr>
            </thead>
            <tbody>
                {titles.into_iter().map(|title| {
                    let cells = people.iter().map(|member| {
                        let rating = title
                            .ratings
                            .iter()
                            .find(|rating| rating.member.user_id == member.user_id)
                            .map_or_else(|| "–".to_owned(), |rating| rating.rating_score.to_string());
                        view! { <td>{rating}</td> }
                    }).collect_view();
                    view! {
                        <tr>
                            <th scope="row">{title.title}</th>
                            {cells}
                            <td>{trim_tenths(title.gap)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// What the ratings chart shows, in one sentence.
fn ratings_summary(titles: &[RatingGapDto]) -> String {
    match titles.iter().max_by(|a, b| a.gap.total_cmp(&b.gap)) {
        Some(widest) if widest.gap > 0.0 => {
            let gap = trim_tenths(widest.gap);
            let unit = if gap == "1" { "point" } else { "points" };
            format!(
                "{} shows you rated together; the widest gap is {gap} {unit}, on {}.",
                titles.len(),
                widest.title
            )
        }
        _ => format!(
            "{} shows you rated together, all rated alike.",
            titles.len()
        ),
    }
}

/// Room for each title's bars, so labels never overlap.
fn ratings_chart_height(titles: usize) -> u32 {
    let titles = u32::try_from(titles).unwrap_or(u32::MAX);
    titles.saturating_mul(44).saturating_add(48).min(520)
}

/// `1.5` as "1.5", `2.0` as "2".
pub fn trim_tenths(value: f64) -> String {
    let text = format!("{value:.1}");
    text.strip_suffix(".0").map(str::to_owned).unwrap_or(text)
}
