//! The charts' ECharts options, built with charming. Colours are left to `/charts.js`, which
//! applies the current theme's tokens (`--chart-1..6`, text and border colours).

use analytics::contracts::{GenreShareDto, MemberRefDto, MonthlySessionsDto, RatingGapDto};
use charming::component::{Axis, Grid};
use charming::element::{AxisType, Tooltip, Trigger};
use charming::series::Bar;
use charming::Chart;

use time::Month;

use super::{parse_month, ChartOption};

/// Category labels longer than this are cut, so a 390 px screen keeps room for the bars.
const LABEL_CHARACTERS: usize = 16;

/// Each member's rating per title, side by side (horizontal bars, one colour per member).
pub fn ratings_side_by_side(titles: &[RatingGapDto], members: &[MemberRefDto]) -> ChartOption {
    let chart = members.iter().fold(
        horizontal_bars(titles.iter().map(|title| title.title.as_str())).x_axis(
            Axis::new()
                .type_(AxisType::Value)
                .min(0)
                .max(10)
                .interval(2),
        ),
        |chart, member| {
            chart.series(
                Bar::new().name(member.display_name.as_str()).data(
                    titles
                        .iter()
                        .map(|title| {
                            title
                                .ratings
                                .iter()
                                .find(|rating| rating.member.user_id == member.user_id)
                                .map(|rating| rating.rating_score.value())
                        })
                        .collect(),
                ),
            )
        },
    );
    option(&chart)
}

/// Sessions per month (vertical bars).
pub fn sessions_per_month(months: &[MonthlySessionsDto]) -> ChartOption {
    let chart = Chart::new()
        .grid(grid())
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .x_axis(
            Axis::new().type_(AxisType::Category).data(
                months
                    .iter()
                    .map(|month| short_month(&month.month))
                    .collect(),
            ),
        )
        .y_axis(Axis::new().type_(AxisType::Value).min_interval(1))
        .series(
            Bar::new().name("Sessions").data(
                months
                    .iter()
                    .map(|month| f64::from(month.sessions))
                    .collect(),
            ),
        );
    option(&chart)
}

/// How many shows carry each genre (horizontal bars, most common on top).
pub fn genre_mix(genres: &[GenreShareDto]) -> ChartOption {
    let chart = horizontal_bars(genres.iter().map(|genre| genre.genre.as_str()))
        .x_axis(Axis::new().type_(AxisType::Value).min_interval(1))
        .series(
            Bar::new()
                .name("Shows")
                .data(genres.iter().map(|genre| f64::from(genre.shows)).collect()),
        );
    option(&chart)
}

/// A chart with one category per row, the first on top.
fn horizontal_bars<'a>(categories: impl Iterator<Item = &'a str>) -> Chart {
    Chart::new()
        .grid(grid())
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .y_axis(
            Axis::new()
                .type_(AxisType::Category)
                .inverse(true)
                .data(categories.map(shorten).collect()),
        )
}

fn grid() -> Grid {
    Grid::new()
        .left(8)
        .right(16)
        .top(16)
        .bottom(8)
        .contain_label(true)
}

fn shorten(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARACTERS {
        return label.to_owned();
    }
    let cut: String = label.chars().take(LABEL_CHARACTERS - 1).collect();
    format!("{}…", cut.trim_end())
}

/// `2026-11` as `Nov`, and January with its year (`Jan 27`) so a year's turn is visible.
pub fn short_month(label: &str) -> String {
    match parse_month(label) {
        Some((year, Month::January)) => format!("Jan {:02}", year.rem_euclid(100)),
        Some((_, month)) => month.to_string()[..3].to_owned(),
        None => label.to_owned(),
    }
}

fn option(chart: &Chart) -> ChartOption {
    // A chart of plain numbers and strings always serialises.
    ChartOption(serde_json::to_string(chart).unwrap_or_else(|_| "{}".to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_are_cut_for_small_screens() {
        assert_eq!(shorten("Bloom Into You"), "Bloom Into You");
        assert_eq!(shorten("Frieren: Beyond Journey's End"), "Frieren: Beyond…");
    }

    #[test]
    fn months_read_as_names_with_the_year_at_january() {
        assert_eq!(short_month("2026-11"), "Nov");
        assert_eq!(short_month("2027-01"), "Jan 27");
        assert_eq!(short_month("nonsense"), "nonsense");
    }

    #[test]
    fn the_sessions_chart_is_a_bar_per_month_without_colours() {
        let months = vec![
            MonthlySessionsDto {
                month: "2026-10".to_owned(),
                sessions: 2,
                episodes: 5,
            },
            MonthlySessionsDto {
                month: "2026-11".to_owned(),
                sessions: 0,
                episodes: 0,
            },
        ];
        let option: serde_json::Value =
            serde_json::from_str(&sessions_per_month(&months).0).unwrap();
        assert_eq!(option["xAxis"]["data"], serde_json::json!(["Oct", "Nov"]));
        assert_eq!(option["series"][0]["type"], "bar");
        assert_eq!(option["series"][0]["data"], serde_json::json!([2.0, 0.0]));
        assert!(option.get("color").is_none());
    }
}
