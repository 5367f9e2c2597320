//! `/spaces/:id/analytics`: the full tables behind the dashboard. Compatibility (a pairwise
//! matrix for groups), every rating gap, the shared stats, the genre mix and sessions per
//! month, each chart with its figures as a table.

use analytics::contracts::{CompatibilityDto, MemberRefDto, PairCompatibilityDto, SharedStatsDto};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use watch_spaces::contracts::{WatchSpaceDetailsDto, WatchSpacesError};

use super::compatibility_gauge::CompatibilityGauge;
use super::dashboard_page::trim_tenths;
use super::rating_gap_list::RatingGapList;
use super::server_fns::{get_space_analytics, members, AnalyticsView};
use super::sessions_chart::SessionsChart;
use crate::anime::use_space_id;
use crate::charts::Chart;
use crate::error::AppError;
use crate::spaces::{load_space, space_error, SpaceHeader, SpaceSection};

#[component]
pub fn AnalyticsPage() -> impl IntoView {
    let space_id = use_space_id();
    let space = Resource::new(move || space_id.get(), load_space);
    let analytics = Resource::new(
        move || space_id.get(),
        |space_id| async move {
            match space_id {
                Some(space_id) => get_space_analytics(space_id).await,
                None => Err(AppError::from_public(&WatchSpacesError::SpaceNotFound)),
            }
        },
    );
    view! {
        <Title text="Analytics"/>
        <Transition fallback=|| view! { <p class="loading">"Adding things up…"</p> }>
            {move || Suspend::new(async move {
                match (space.await, analytics.await) {
                    (Ok(space), Ok(view)) => Either::Left(view! { <SpaceAnalytics space view/> }),
                    (Err(error), _) | (_, Err(error)) => Either::Right(space_error(error, space_id.get_untracked())),
                }
            })}
        </Transition>
    }
}

#[component]
fn SpaceAnalytics(space: WatchSpaceDetailsDto, view: AnalyticsView) -> impl IntoView {
    let AnalyticsView {
        compatibility,
        rating_gaps,
        stats,
        genre_chart,
        sessions_chart,
    } = view;
    let people = members(&compatibility);
    let matrix = (people.len() > 2)
        .then(|| view! { <PairMatrix people compatibility=compatibility.clone()/> });
    view! {
        <Title text=format!("Analytics · {}", space.name)/>
        <SpaceHeader space_id=space.id name=space.name current=SpaceSection::Analytics/>
        {(space.members.len() > 1).then(|| view! { <CompatibilityGauge compatibility/> })}
        {matrix}
        <StatsTable stats=stats.clone()/>
        <section class="card" aria-labelledby="gaps-title">
            <h2 id="gaps-title">"Every rating gap"</h2>
            <p class="muted">"Each show at least two of you rated, the widest gap first."</p>
            <RatingGapList gaps=rating_gaps.all empty="Rate a show together to see how your ratings compare."/>
        </section>
        <GenreMix option=genre_chart stats=stats.clone()/>
        <SessionsChart option=sessions_chart stats/>
    }
}

/// Every pair's score in a members × members table.
#[component]
fn PairMatrix(people: Vec<MemberRefDto>, compatibility: CompatibilityDto) -> impl IntoView {
    let pair = move |a: &MemberRefDto, b: &MemberRefDto| -> Option<PairCompatibilityDto> {
        compatibility
            .pairs
            .iter()
            .find(|pair| {
                (pair.member_a.user_id == a.user_id && pair.member_b.user_id == b.user_id)
                    || (pair.member_a.user_id == b.user_id && pair.member_b.user_id == a.user_id)
            })
            .cloned()
    };
    view! {
        <section class="card" aria-labelledby="matrix-title">
            <h2 id="matrix-title">"Every pair"</h2>
            <div class="table-scroll">
                <table class="pair-matrix">
                    <thead>
                        <tr>
                            <td></td>
                            {people.iter().map(|member| view! { <th scope="col">{member.display_name.clone()}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {people.iter().map(|row| view! {
                            <tr>
                                <th scope="row">{row.display_name.clone()}</th>
                                {people.iter().map(|column| {
                                    let cell = if row.user_id == column.user_id {
                                        "—".to_owned()
                                    } else {
                                        match pair(row, column) {
                                            Some(pair) => match pair.score {
                                                Some(score) => format!("{score} ({} shows)", pair.rated_together_count),
                                                None => format!("{} of 3 shows", pair.rated_together_count),
                                            },
                                            None => "—".to_owned(),
                                        }
                                    };
                                    view! { <td>{cell}</td> }
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn StatsTable(stats: SharedStatsDto) -> impl IntoView {
    let completion = stats.completion_rate.map_or_else(
        || "Nothing started yet".to_owned(),
        |rate| format!("{}%", (rate * 100.0).round()),
    );
    let hours = if stats.episodes_without_duration > 0 {
        format!(
            "{} h (plus {} episodes of unknown length)",
            trim_tenths(stats.hours_together),
            stats.episodes_without_duration
        )
    } else {
        format!("{} h", trim_tenths(stats.hours_together))
    };
    let rows = [
        ("Shows", stats.total_shows.to_string()),
        ("Watching", stats.currently_watching.to_string()),
        ("Backlog", stats.backlog.to_string()),
        ("Finished", stats.finished.to_string()),
        ("Paused", stats.paused.to_string()),
        ("Dropped", stats.dropped.to_string()),
        (
            "Episodes watched together",
            stats.episodes_watched_together.to_string(),
        ),
        ("Time together", hours),
        ("Sessions", stats.total_sessions.to_string()),
        (
            "Weekly streak",
            format!("{} weeks", stats.current_weekly_streak),
        ),
        ("Completion rate", completion),
    ];
    view! {
        <section class="card" aria-labelledby="stats-title">
            <h2 id="stats-title">"Shared stats"</h2>
            <table class="stats-table">
                <tbody>
                    {rows.into_iter().map(|(label, value)| view! {
                        <tr><th scope="row">{label}</th><td>{value}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p class="muted">"Completion rate: finished shows out of every show you started (all but the backlog)."</p>
        </section>
    }
}

#[component]
fn GenreMix(option: crate::charts::ChartOption, stats: SharedStatsDto) -> impl IntoView {
    let summary = match stats.genre_mix.first() {
        Some(top) => format!(
            "{} genres across your shows; the most common is {} ({} shows).",
            stats.genre_mix.len(),
            top.genre,
            top.shows
        ),
        None => "No genres yet: add a show to see your mix.".to_owned(),
    };
    let height = u32::try_from(stats.genre_mix.len())
        .unwrap_or(u32::MAX)
        .saturating_mul(28)
        .saturating_add(48)
        .min(640);
    view! {
        <section class="card" aria-labelledby="genres-title">
            <h2 id="genres-title">"Genre mix"</h2>
            {if stats.genre_mix.is_empty() {
                Either::Left(view! { <p class="muted">{summary}</p> })
            } else {
                Either::Right(view! {
                    <Chart option title="Genre mix" summary height>
                        <table>
                            <thead><tr><th scope="col">"Genre"</th><th scope="col">"Shows"</th><th scope="col">"Share"</th></tr></thead>
                            <tbody>
                                {stats.genre_mix.into_iter().map(|genre| view! {
                                    <tr><th scope="row">{genre.genre}</th><td>{genre.shows}</td><td>{format!("{}%", (genre.share * 100.0).round())}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </Chart>
                })
            }}
        </section>
    }
}
