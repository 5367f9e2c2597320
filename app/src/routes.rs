//! The app root: page metadata, the signed-in user as context, the header and the route
//! table. Pages that need an account sit behind `RequireUser`. All of it renders on the
//! server only; the interactive parts inside pages are islands, and links are ordinary page
//! loads.
//!
//! Every route renders `SsrMode::Async`: the server waits for the page's data and sends
//! complete HTML, so pages work before (and without) JavaScript, guards can answer with a
//! 302 and missing things with a 404. Our data calls are single fast queries.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::anime::{AddAnimePage, AnimeDetailPage, AnimeListPage};
use crate::auth::{CurrentUser, LoginPage, RegisterPage, RequireUser};
use crate::home::LandingPage;
use crate::imports::ImportPage;
use crate::layout::{AppReady, NotFoundPage, SiteHeader};
use crate::linked_accounts::LinkedAccountsPage;
use crate::profile::ProfilePage;
use crate::shared_taste::{AnalyticsPage, DashboardPage};
use crate::spaces::{InvitePage, SpaceSettingsPage, SpacesPage};

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    CurrentUser::provide();

    view! {
        <Stylesheet id="leptos" href="/pkg/bloomwatch.css"/>
        <Title formatter=|page: String| if page.is_empty() { "BloomWatch".to_owned() } else { format!("{page} · BloomWatch") }/>
        <Router>
            <AppReady>
                <a class="skip-link" href="#main">"Skip to content"</a>
                <SiteHeader/>
                <main id="main" class="page" tabindex="-1">
                    <Routes fallback=NotFoundPage>
                        <Route path=path!("/") view=LandingPage ssr=SsrMode::Async/>
                        <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async/>
                        <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                        <Route path=path!("/invite/:token") view=InvitePage ssr=SsrMode::Async/>
                        <Route path=path!("/spaces") view=|| view! { <RequireUser><SpacesPage/></RequireUser> } ssr=SsrMode::Async/>
                        <Route path=path!("/spaces/:id") view=|| view! { <RequireUser><DashboardPage/></RequireUser> } ssr=SsrMode::Async/>
                        <Route path=path!("/spaces/:id/anime") view=|| view! { <RequireUser><AnimeListPage/></RequireUser> } ssr=SsrMode::Async/>
                        <Route path=path!("/spaces/:id/analytics") view=|| view! { <RequireUser><AnalyticsPage/></RequireUser> } ssr=SsrMode::Async/>
                        <Route path=path!("/spaces/:id/settings") view=|| view! { <RequireUser><SpaceSettingsPage/></RequireUser> } ssr=SsrMode::Async/>
                        <Route path=path!("/spaces/:id/import") view=|| view! { <RequireUser><ImportPage/></RequireUser> } ssr=SsrMode::Async/>
                        <Route path=path!("/spaces/:id/add") view=|| view! { <RequireUser><AddAnimePage/></RequireUser> } ssr=SsrMode::Async/>
                        <Route path=path!("/spaces/:id/anime/:anime_id") view=|| view! { <RequireUser><AnimeDetailPage/></RequireUser> } ssr=SsrMode::Async/>
                        <Route path=path!("/settings/profile") view=|| view! { <RequireUser><ProfilePage/></RequireUser> } ssr=SsrMode::Async/>
                        <Route path=path!("/settings/linked-accounts") view=|| view! { <RequireUser><LinkedAccountsPage/></RequireUser> } ssr=SsrMode::Async/>
                    </Routes>
                </main>
            </AppReady>
        </Router>
    }
}
