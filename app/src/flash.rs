//! What an island shows after the page load it asks for. Islands hydrate only themselves, so
//! after a save the rest of the server-rendered page would still show the old state: the
//! island reloads the page instead, and what it wants to say on the new page ("Progress
//! saved.", the new invitation's link, who changed the entry first) waits in this tab's
//! `sessionStorage` under a key of its own until it hydrates again.

use kernel::ErrorKind;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::components::action_error;
use crate::error::AppError;

const PREFIX: &str = "bloomwatch-flash:";

#[derive(Clone, Serialize, Deserialize)]
enum Flash<M> {
    Saved(M),
    Failed(AppError),
}

/// What a save left to show, from the action itself or from before the reload.
pub struct AfterSave<M: Send + Sync + 'static> {
    /// What `describe` said about the last successful save.
    pub saved: Signal<Option<M>>,
    /// The action's last error, or the conflict that made the page reload.
    pub error: Signal<Option<AppError>>,
}

/// After `action` saves, or finds the entry changed by someone else (a conflict), reloads the
/// page so that everything on it shows the new state; `describe`'s words for the save, or the
/// conflict, are shown again once the island is back. Other failures keep the page, and what
/// was typed, as it is. `key` must name this island's action uniquely on the page.
pub fn reload_after_save<S, M>(
    action: ServerAction<S>,
    key: String,
    describe: impl Fn(&S::Output) -> Option<M> + Send + Sync + 'static,
) -> AfterSave<M>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
    M: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
{
    let flashed = RwSignal::new(None::<Flash<M>>);
    let current_error = action_error(action);
    Effect::new({
        let key = key.clone();
        move |_| flashed.set(take(&key))
    });
    Effect::new(move |_| {
        // `Some(flash)`: reload, leaving `flash` (when there is something to say) for later.
        let reload = action.value().with(|value| match value {
            Some(Ok(output)) => Some(describe(output).map(Flash::Saved)),
            Some(Err(error)) if error.kind == ErrorKind::Conflict => {
                Some(Some(Flash::Failed(error.clone())))
            }
            _ => None,
        });
        if let Some(flash) = reload {
            if let Some(flash) = &flash {
                keep(&key, flash);
            }
            let _ = window().location().reload();
        }
    });
    AfterSave {
        saved: Signal::derive(move || {
            flashed.with(|flash| match flash {
                Some(Flash::Saved(message)) => Some(message.clone()),
                _ => None,
            })
        }),
        error: Signal::derive(move || {
            current_error.get().or_else(|| {
                flashed.with(|flash| match flash {
                    Some(Flash::Failed(error)) => Some(error.clone()),
                    _ => None,
                })
            })
        }),
    }
}

/// Once `action` succeeds, sends the browser to the page `destination` names for its output
/// (`None`: stay), where the server renders everything afresh.
pub fn go_after_success<S>(
    action: ServerAction<S>,
    destination: impl Fn(&S::Output) -> Option<String> + Send + Sync + 'static,
) where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    Effect::new(move |_| {
        let target = action.value().with(|value| match value {
            Some(Ok(output)) => destination(output),
            _ => None,
        });
        if let Some(target) = target {
            let _ = window().location().assign(&target);
        }
    });
}

fn keep<M: Serialize>(key: &str, flash: &Flash<M>) {
    if let (Ok(Some(storage)), Ok(json)) =
        (window().session_storage(), serde_json::to_string(flash))
    {
        let _ = storage.set_item(&format!("{PREFIX}{key}"), &json);
    }
}

fn take<M: DeserializeOwned>(key: &str) -> Option<Flash<M>> {
    let storage = window().session_storage().ok().flatten()?;
    let key = format!("{PREFIX}{key}");
    let json = storage.get_item(&key).ok().flatten()?;
    let _ = storage.remove_item(&key);
    serde_json::from_str(&json).ok()
}
