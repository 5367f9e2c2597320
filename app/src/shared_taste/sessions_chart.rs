//! Sessions per month over the last year, with its text alternative.

use analytics::contracts::SharedStatsDto;
use leptos::prelude::*;

use crate::charts::{parse_month, Chart, ChartOption};

#[component]
pub fn SessionsChart(option: ChartOption, stats: SharedStatsDto) -> impl IntoView {
    let total: u32 = stats
        .sessions_per_month
        .iter()
        .map(|month| month.sessions)
        .sum();
    let busiest = stats
        .sessions_per_month
        .iter()
        .filter(|month| month.sessions > 0)
        .max_by_key(|month| month.sessions);
    let summary = match busiest {
        Some(busiest) => format!(
            "{total} sessions in the last 12 months; the busiest month was {} with {}.",
            month_name(&busiest.month),
            busiest.sessions
        ),
        None => "No sessions in the last 12 months yet.".to_owned(),
    };
    view! {
        <section class="card" aria-labelledby="sessions-chart-title">
            <h2 id="sessions-chart-title">"Sessions per month"</h2>
            <Chart option title="Sessions per month" summary>
                <table>
                    <thead><tr><th scope="col">"Month"</th><th scope="col">"Sessions"</th><th scope="col">"Episodes"</th></tr></thead>
                    <tbody>
                        {stats.sessions_per_month.into_iter().map(|month| view! {
                            <tr><th scope="row">{month_name(&month.month)}</th><td>{month.sessions}</td><td>{month.episodes}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </Chart>
        </section>
    }
}

/// `2026-11` as "November 2026".
pub fn month_name(label: &str) -> String {
    parse_month(label).map_or_else(
        || label.to_owned(),
        |(year, month)| format!("{month} {year}"),
    )
}

#[cfg(test)]
mod tests {
    use super::month_name;

    #[test]
    fn months_are_spelled_out() {
        assert_eq!(month_name("2026-11"), "November 2026");
        assert_eq!(month_name("2027-01"), "January 2027");
        assert_eq!(month_name("2027-13"), "2027-13");
    }
}
