//! `/spaces/:id/import`: bring your own list into the space. The newest import's progress
//! (followed live), then two ways in: an AniList list (the member's own through their link,
//! or anyone's public one by user name), previewed through a GET form so the preview works
//! without JavaScript and survives a reload, and a MyAnimeList export file.

use anilist_sync::contracts::{ImportOptions, ImportPreviewDto};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use watch_spaces::contracts::{WatchSpaceDetailsDto, WatchSpaceId};

use super::import_options::{options_from, ImportOptionsFields};
use super::import_preview::{titles, ImportPreview};
use super::import_progress::ImportProgress;
use super::mal_file_import::MalFileImport;
use super::server_fns::{
    get_import_page, preview_anilist_import, ImportPageView, StartAnilistImport,
};
use crate::auth::use_current_user;
use crate::components::{
    action_error, field_error, form_error, FieldError, FormError, ServerForm, SubmitButton,
};
use crate::error::AppError;
use crate::flash::go_after_success;
use crate::spaces::{load_space, space_error, SpaceHeader, SpaceSection};

/// The AniList list a submitted preview form asks about.
#[derive(Debug, Clone, PartialEq, Eq)]
struct AniListChoice {
    /// `None`: the member's own list, through their link.
    user_name: Option<String>,
    options: ImportOptions,
}

impl AniListChoice {
    /// `?from=mine` or `?from=user&user=<name>`, with the options' fields.
    fn from_query(query: &leptos_router::params::ParamsMap) -> Option<Self> {
        let user_name = match query.get_str("from")? {
            "mine" => None,
            "user" => Some(query.get("user").unwrap_or_default()),
            _ => return None,
        };
        Some(Self {
            user_name,
            options: options_from(|name| query.get_all(name).unwrap_or_default()),
        })
    }
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let space_id = crate::anime::use_space_id();
    let choice = AniListChoice::from_query(&use_query_map().read_untracked());
    let space = Resource::new(move || space_id.get(), load_space);
    let page = Resource::new(
        move || space_id.get(),
        |space_id| async move {
            match space_id {
                Some(space_id) => get_import_page(space_id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let wanted = choice.clone();
    let preview = Resource::new(
        move || space_id.get(),
        move |space_id| {
            let wanted = wanted.clone();
            async move {
                match (space_id, wanted) {
                    (Some(space_id), Some(wanted)) => Some(
                        preview_anilist_import(space_id, wanted.user_name, wanted.options).await,
                    ),
                    _ => None,
                }
            }
        },
    );
    view! {
        <Title text="Import your list"/>
        <Transition fallback=|| view! { <p class="loading">"Opening your space…"</p> }>
            {move || {
                let choice = choice.clone();
                Suspend::new(async move {
                    match (space.await, page.await) {
                        (Ok(space), Ok(Some(page))) => {
                            let preview = preview.await;
                            Either::Left(view! { <ImportView space page choice preview/> })
                        }
                        (Err(error), _) | (_, Err(error)) => {
                            Either::Right(space_error(error, space_id.get_untracked()))
                        }
                        (Ok(space), Ok(None)) => Either::Right(space_error(
                            AppError::from_public(&watch_spaces::contracts::WatchSpacesError::SpaceNotFound),
                            Some(space.id),
                        )),
                    }
                })
            }}
        </Transition>
    }
}

#[component]
fn ImportView(
    space: WatchSpaceDetailsDto,
    page: ImportPageView,
    choice: Option<AniListChoice>,
    preview: Option<Result<ImportPreviewDto, AppError>>,
) -> impl IntoView {
    let space_id = space.id;
    let importer = use_current_user()
        .user_untracked()
        .map(|user| user.display_name)
        .unwrap_or_else(|| "you".to_owned());
    let ImportPageView {
        linked_anilist,
        latest,
    } = page;
    let preview_error = preview
        .as_ref()
        .and_then(|result| result.as_ref().err().cloned());
    let previewed = choice.clone().zip(preview.and_then(Result::ok));
    view! {
        <Title text=format!("Import your list · {}", space.name)/>
        <SpaceHeader space_id name=space.name current=SpaceSection::Import lede="Bring what you have already watched: your titles, progress, scores and notes become your own entries here.".to_owned()/>
        {latest.map(|job| view! { <ImportProgress space_id job/> })}
        <section class="card" aria-labelledby="import-anilist-title">
            <h2 id="import-anilist-title">"From AniList"</h2>
            <AniListForm space_id linked_anilist choice=choice.clone() error=preview_error/>
        </section>
        {previewed.map(|(choice, preview)| {
            let total = preview.total;
            view! {
                <ImportPreview preview importer=importer.clone() overwrite=choice.options.overwrite>
                    <StartAniListImport space_id user_name=choice.user_name.unwrap_or_default() options=choice.options total/>
                </ImportPreview>
            }
        })}
        <section class="card" aria-labelledby="import-mal-title">
            <h2 id="import-mal-title">"From a MyAnimeList export"</h2>
            <MalFileImport space_id importer/>
            <noscript><p class="field-hint">"Uploading a file needs JavaScript; the AniList import above works without it."</p></noscript>
        </section>
    }
}

/// Whose AniList list, and the options: a GET form, so its answer (the preview) is a page.
#[component]
fn AniListForm(
    space_id: WatchSpaceId,
    linked_anilist: Option<String>,
    choice: Option<AniListChoice>,
    error: Option<AppError>,
) -> impl IntoView {
    let error = Signal::stored(error);
    let mine = choice.as_ref().map_or(linked_anilist.is_some(), |choice| {
        choice.user_name.is_none()
    });
    let typed = choice.as_ref().and_then(|choice| choice.user_name.clone());
    let options = choice.map(|choice| choice.options).unwrap_or_default();
    let user_error = field_error(error, "userName");
    view! {
        <form method="GET" action=super::import_path(space_id) class="form">
            <FormError error=form_error(error)/>
            <fieldset>
                <legend>"Whose list"</legend>
                {match linked_anilist {
                    Some(name) => Either::Left(view! {
                        <div class="checkbox-field">
                            <input type="radio" id="import-from-mine" name="from" value="mine" checked=mine/>
                            <label for="import-from-mine">{format!("My AniList list ({name}), private titles too")}</label>
                        </div>
                        <div class="checkbox-field">
                            <input type="radio" id="import-from-user" name="from" value="user" checked=!mine/>
                            <label for="import-from-user">"A public AniList list:"</label>
                        </div>
                    }),
                    None => Either::Right(view! {
                        <input type="hidden" name="from" value="user"/>
                        <p class="field-hint">
                            "Any public AniList list, by its user name. "
                            <a href="/settings/linked-accounts">"Link your AniList"</a>
                            " to import your own even when it is private."
                        </p>
                    }),
                }}
                <div class="field">
                    <label for="import-user">"AniList user name"</label>
                    <input
                        id="import-user"
                        name="user"
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        value=typed
                        aria-invalid=move || user_error.with(Option::is_some).then_some("true")
                        aria-describedby="import-user-error"
                    />
                    <FieldError id="import-user-error".to_owned() error=user_error/>
                </div>
            </fieldset>
            <ImportOptionsFields id_prefix="anilist" options/>
            <button type="submit" class="button secondary">"Preview"</button>
        </form>
    }
}

/// The previewed import, started: the preview's choice as hidden fields.
#[island]
fn StartAniListImport(
    space_id: WatchSpaceId,
    user_name: String,
    options: ImportOptions,
    total: u32,
) -> impl IntoView {
    let start = ServerAction::<StartAnilistImport>::new();
    go_after_success(start, move |_| Some(super::import_path(space_id)));
    let flag = |on: bool| if on { "true" } else { "false" };
    view! {
        <ServerForm action=start attr:class="form inline-form">
            <input type="hidden" name="space_id" value=space_id.to_string()/>
            <input type="hidden" name="user_name" value=user_name/>
            {options
                .statuses
                .iter()
                .map(|status| view! { <input type="hidden" name="statuses[]" value=status.as_str()/> })
                .collect_view()}
            <input type="hidden" name="scores" value=flag(options.scores)/>
            <input type="hidden" name="notes" value=flag(options.notes)/>
            <input type="hidden" name="overwrite" value=flag(options.overwrite)/>
            <FormError error=form_error(action_error(start))/>
            {(total > 0).then(|| view! {
                <SubmitButton label=format!("Import {}", titles(total)) pending_label="Starting…" pending=start.pending()/>
            })}
        </ServerForm>
    }
}
