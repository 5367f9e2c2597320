//! The top of every page inside a space: the way back to all spaces, the space's name and
//! its navigation (Dashboard · Anime · Analytics · Import · Space settings), the current one marked
//! for everyone.

use leptos::prelude::*;
use watch_spaces::contracts::WatchSpaceId;

/// The pages of a space's navigation.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum SpaceSection {
    Dashboard,
    Anime,
    Analytics,
    Import,
    Settings,
}

#[component]
pub fn SpaceHeader(
    space_id: WatchSpaceId,
    name: String,
    current: SpaceSection,
    /// A line under the name, e.g. who is in the space.
    #[prop(optional)]
    lede: Option<String>,
) -> impl IntoView {
    let link = move |section: SpaceSection, href: String, label: &'static str| {
        view! {
            <a class="space-nav-link" href=href aria-current=(section == current).then_some("page")>
                {label}
            </a>
        }
    };
    view! {
        <header class="page-header">
            <a class="back-link" href="/spaces">"← Your spaces"</a>
            <h1>{name}</h1>
            {lede.map(|lede| view! { <p class="lede">{lede}</p> })}
            <nav class="space-nav" aria-label="This space">
                {link(SpaceSection::Dashboard, format!("/spaces/{space_id}"), "Dashboard")}
                {link(SpaceSection::Anime, format!("/spaces/{space_id}/anime"), "Anime")}
                {link(SpaceSection::Analytics, format!("/spaces/{space_id}/analytics"), "Analytics")}
                {link(SpaceSection::Import, crate::imports::import_path(space_id), "Import")}
                {link(SpaceSection::Settings, format!("/spaces/{space_id}/settings"), "Space settings")}
            </nav>
        </header>
    }
}
