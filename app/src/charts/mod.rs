//! Charts: the server builds each chart's ECharts option with charming (`options`, ssr only,
//! so charming never reaches the WASM bundle) and sends it as JSON with the page's data;
//! `<Chart>` puts it on a `data-echarts` element and `/charts.js` draws it with the vendored
//! ECharts (loaded only on pages that have a chart) in the theme's colours. Every chart
//! carries a text alternative: a one-line summary and the figures as a table.

#[cfg(feature = "ssr")]
pub mod options;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A `YYYY-MM` month label (as Analytics writes them) as its year and month.
pub fn parse_month(label: &str) -> Option<(i32, time::Month)> {
    let (year, number) = label.split_once('-')?;
    let month = time::Month::try_from(number.parse::<u8>().ok()?).ok()?;
    Some((year.parse().ok()?, month))
}

/// An ECharts option as JSON, built on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartOption(pub String);

/// A drawn chart with its text alternative. `summary` is what a screen reader hears for the
/// drawing and what everyone reads under it; `children` is the table with the figures.
#[component]
pub fn Chart(
    option: ChartOption,
    #[prop(into)] title: String,
    #[prop(into)] summary: String,
    /// The chart's height in pixels (its width follows the card).
    #[prop(default = 240)]
    height: u32,
    children: Children,
) -> impl IntoView {
    view! {
        <figure class="chart-figure">
            <div
                class="chart"
                role="img"
                aria-label=format!("{title}: {summary}")
                style=format!("height: {height}px")
                data-echarts=option.0
            ></div>
            <figcaption class="chart-summary">{summary}</figcaption>
            <details class="chart-table">
                <summary>"Show the figures"</summary>
                {children()}
            </details>
        </figure>
    }
}
