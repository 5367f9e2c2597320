//! `/spaces`: the space selector: every space I am in (100 a page; `?after=` for the next),
//! and a way to create one.

use kernel::paging::PageCursor;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use watch_spaces::contracts::{WatchSpacePageDto, WatchSpaceSummaryDto};

use super::create_space_form::CreateSpaceForm;
use super::role_label;
use super::server_fns::list_my_spaces;
use crate::components::{Blossom, FormError};

#[component]
pub fn SpacesPage() -> impl IntoView {
    let after = use_query_map()
        .read_untracked()
        .get("after")
        .map(PageCursor::from_client);
    let continued = after.is_some();
    let spaces = Resource::new(move || after.clone(), list_my_spaces);
    view! {
        <Title text="Your spaces"/>
        <header class="page-header">
            <h1>"Your spaces"</h1>
            <p class="lede">"Each space is a shared corner: one backlog, everyone's progress side by side."</p>
        </header>
        <Transition fallback=|| view! { <p class="loading">"Gathering your spaces…"</p> }>
            {move || Suspend::new(async move {
                match spaces.await {
                    Ok(page) => Either::Left(space_list(page, continued)),
                    Err(error) => Either::Right(view! { <FormError error=Some(error.message)/> }),
                }
            })}
        </Transition>
        <CreateSpaceForm/>
    }
}

fn space_list(page: WatchSpacePageDto, continued: bool) -> impl IntoView {
    if page.items.is_empty() && !continued {
        return Either::Left(view! {
            <section class="card empty-state">
                <Blossom size=56 class="empty-state-art"/>
                <h2>"No spaces yet"</h2>
                <p>"Create one below, then invite your favourite person to watch with you."</p>
            </section>
        });
    }
    Either::Right(view! {
        {continued.then(|| view! {
            <p class="list-continued">"More of your spaces. " <a href="/spaces">"Back to the first page"</a></p>
        })}
        <ul class="space-list" aria-label="Your spaces">
            {page.items.into_iter().map(space_card).collect_view()}
        </ul>
        {page.next_cursor.map(|after| view! {
            <p class="show-more">
                <a class="button ghost" href=format!("/spaces?after={}", after.as_str())>"Show more"</a>
            </p>
        })}
    })
}

fn space_card(space: WatchSpaceSummaryDto) -> impl IntoView {
    let members = match space.member_count {
        1 => "Just you so far".to_owned(),
        count => format!("{count} members"),
    };
    view! {
        <li>
            <a class="space-card" href=format!("/spaces/{}", space.id)>
                <span class="space-card-name">{space.name}</span>
                <span class="space-card-meta">
                    <span class=format!("role-pill role-{}", space.role.as_str())>{role_label(space.role)}</span>
                    <span>{members}</span>
                </span>
            </a>
        </li>
    }
}
