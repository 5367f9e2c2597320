//! `ServerForm`: Leptos' `ActionForm` (a real `<form>` posting to the server function, which
//! the browser sends itself before the WASM runs, and which the island dispatches as an
//! action afterwards) with typed children. `ActionForm` takes its children type-erased, which
//! compiles a whole erased view (every render path, async hydration included) into the WASM
//! for each form; typed children only compile what each form uses.

use leptos::either::Either;
use leptos::form::FromFormData;
use leptos::html::Form;
use leptos::prelude::*;
use leptos::server_fn::client::Client;
use leptos::server_fn::codec::PostUrl;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::{Http, ServerFn};
use leptos::web_sys::SubmitEvent;
use serde::de::DeserializeOwned;

use crate::error::AppError;

#[component]
pub fn ServerForm<S, OutputProtocol, Chil>(
    /// The action the form's fields are the arguments of.
    action: ServerAction<S>,
    #[prop(optional)] node_ref: Option<NodeRef<Form>>,
    children: TypedChildren<Chil>,
) -> impl IntoView
where
    S: DeserializeOwned
        + ServerFn<Protocol = Http<PostUrl, OutputProtocol>, Error = AppError>
        + Clone
        + Send
        + Sync
        + 'static,
    S::Client: Client<AppError>,
    S::Output: Send + Sync + 'static,
    Chil: IntoView + 'static,
{
    let on_submit = move |event: SubmitEvent| {
        if event.default_prevented() {
            return;
        }
        event.prevent_default();
        match S::from_event(&event) {
            Ok(input) => {
                action.dispatch(input);
            }
            Err(error) => {
                action.value().set(Some(Err(AppError::from_server_fn_error(
                    ServerFnErrorErr::Serialization(error.to_string()),
                ))));
                action.version().update(|version| *version += 1);
            }
        }
    };
    let form = leptos::html::form()
        .action(S::url())
        .method("post")
        .on(leptos::ev::submit, on_submit)
        .child(children.into_inner()());
    match node_ref {
        Some(node_ref) => Either::Left(form.node_ref(node_ref)),
        None => Either::Right(form),
    }
}
