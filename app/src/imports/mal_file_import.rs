//! Importing a MyAnimeList export: the member picks the file (`.xml`, or MAL's own
//! `.xml.gz`) and the options, sees the preview, then imports. The file goes to the REST API's
//! upload routes (`POST /api/watch-spaces/{id}/imports[/preview]`, multipart), which take
//! files up to 10 MB; server functions are limited to small bodies. Needs JavaScript.

use anilist_sync::contracts::{ImportOptions, ImportPreviewDto};
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use watch_spaces::contracts::WatchSpaceId;

use super::import_options::{options_from, ImportOptionsFields};
use super::import_preview::{titles, ImportPreview};
use crate::components::{FormError, SubmitButton};

#[island]
pub fn MalFileImport(space_id: WatchSpaceId, importer: String) -> impl IntoView {
    let form = NodeRef::<leptos::html::Form>::new();
    let preview = RwSignal::new(None::<(ImportPreviewDto, bool)>);
    let error = RwSignal::new(None::<String>);
    let reading = RwSignal::new(false);
    let starting = RwSignal::new(false);
    let send = move |start: bool| {
        let Some(form) = form.get_untracked() else {
            return;
        };
        let upload = match Upload::from_form(&form) {
            Ok(upload) => upload,
            Err(message) => {
                error.set(Some(message));
                return;
            }
        };
        let busy = if start { starting } else { reading };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let route = if start { "imports" } else { "imports/preview" };
            let sent = post_form(&format!("/api/watch-spaces/{space_id}/{route}"), &upload).await;
            match sent {
                Ok(_) if start => {
                    // The import page follows the job from here.
                    let _ = window().location().assign(&super::import_path(space_id));
                }
                Ok(body) => match serde_json::from_str::<ImportPreviewDto>(&body) {
                    Ok(read) => preview.set(Some((read, upload.options.overwrite))),
                    Err(_) => error.set(Some(
                        "The server answered something we could not read. Please try again."
                            .to_owned(),
                    )),
                },
                Err(message) => error.set(Some(message)),
            }
            busy.set(false);
        });
    };
    view! {
        <form
            node_ref=form
            class="form"
            on:submit=move |event| {
                event.prevent_default();
                send(false);
            }
            // What was previewed is what is imported: any change asks for a new preview.
            on:change=move |_| preview.set(None)
        >
            <div class="field">
                <label for="mal-file">"Your MyAnimeList export"</label>
                <p class="field-hint" id="mal-file-hint">"On MyAnimeList: your list → Export. The .xml.gz file it gives you works as it is (up to 10 MB)."</p>
                <input id="mal-file" type="file" name="file" accept=".xml,.gz,application/xml,text/xml,application/gzip" aria-describedby="mal-file-hint" required/>
            </div>
            <ImportOptionsFields id_prefix="mal" options=ImportOptions::default()/>
            <FormError error=Signal::derive(move || error.get())/>
            <SubmitButton label="Preview" pending_label="Reading your file…" pending=Signal::derive(move || reading.get()) class="button secondary"/>
        </form>
        {move || preview.get().map(|(read, overwrite)| {
            let total = read.total;
            view! {
                <ImportPreview preview=read importer=importer.clone() overwrite>
                    <button
                        type="button"
                        class="button primary"
                        disabled=move || starting.get() || total == 0
                        on:click=move |_| send(true)
                    >
                        {move || if starting.get() { "Starting…".to_owned() } else { format!("Import {}", titles(total)) }}
                    </button>
                </ImportPreview>
            }
        })}
    }
}

/// The chosen file and options, as the form holds them.
struct Upload {
    file: web_sys::File,
    options: ImportOptions,
}

impl Upload {
    fn from_form(form: &web_sys::HtmlFormElement) -> Result<Self, String> {
        let data = web_sys::FormData::new_with_form(form)
            .map_err(|_| "Your browser could not read the form.".to_owned())?;
        let file = data
            .get("file")
            .dyn_into::<web_sys::File>()
            .ok()
            .filter(|file| file.size() > 0.0)
            .ok_or_else(|| "Choose your MyAnimeList export file (.xml or .xml.gz).".to_owned())?;
        let options = options_from(|name| {
            data.get_all(name)
                .iter()
                .filter_map(|value| value.as_string())
                .collect()
        });
        Ok(Self { file, options })
    }
}

/// Posts the file and options as `multipart/form-data`; the answer's body, or what went
/// wrong in words (the problem's `detail`).
async fn post_form(url: &str, upload: &Upload) -> Result<String, String> {
    let failed =
        |_| "We could not reach BloomWatch. Check your connection and try again.".to_owned();
    let body = web_sys::FormData::new().map_err(failed)?;
    body.append_with_blob_and_filename("file", &upload.file, &upload.file.name())
        .map_err(failed)?;
    let options = serde_json::to_string(&upload.options).unwrap_or_default();
    body.append_with_str("options", &options).map_err(failed)?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&body);
    let headers = web_sys::Headers::new().map_err(failed)?;
    headers.set("Accept", "application/json").map_err(failed)?;
    init.set_headers(&headers);
    let response: web_sys::Response = JsFuture::from(window().fetch_with_str_and_init(url, &init))
        .await
        .map_err(failed)?
        .dyn_into()
        .map_err(failed)?;
    let text = JsFuture::from(response.text().map_err(failed)?)
        .await
        .map_err(failed)?
        .as_string()
        .unwrap_or_default();
    if response.ok() {
        Ok(text)
    } else {
        Err(problem_detail(&text))
    }
}

/// The `detail` of a problem+json answer.
fn problem_detail(body: &str) -> String {
    #[derive(serde::Deserialize)]
    struct Problem {
        detail: String,
    }
    serde_json::from_str::<Problem>(body).map_or_else(
        |_| "Something went wrong on our side. Please try again.".to_owned(),
        |problem| problem.detail,
    )
}
