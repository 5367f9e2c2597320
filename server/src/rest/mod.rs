//! The REST API under `/api` (JSON, problem+json errors, OpenAPI 3.1 at `/api/openapi.json`),
//! beside the server functions under `/rpc`. Handlers are thin adapters over the same facades
//! the server functions call: one file per resource.

mod analytics;
mod anilist;
mod anilist_link;
mod anime;
mod auth;
mod exports;
mod extract;
#[cfg(test)]
mod fuzz;
pub mod imports;
mod me;
pub mod problem;
mod watch_spaces;

use axum::routing::{delete, get, patch, post};
use axum::{Json, Router};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "BloomWatch API", description = "Shared anime tracking for couples and small groups. Errors are RFC 9457 problem+json."),
    paths(
        auth::register_user, auth::log_in, auth::log_out,
        me::get_me, me::update_profile,
        anilist_link::get_link, anilist_link::start_link, anilist_link::complete_link, anilist_link::browser_return,
        anilist_link::update_switches, anilist_link::unlink, anilist_link::sync_log,
        anilist_link::entry_sync, anilist_link::set_entry_sync, anilist_link::retry_entry_sync,
        imports::preview_import, imports::start_import, imports::get_import,
        exports::export_json, exports::export_csv, exports::export_mal_xml,
        watch_spaces::list_my_spaces, watch_spaces::create_space, watch_spaces::get_space, watch_spaces::rename_space,
        watch_spaces::invite_member, watch_spaces::revoke_invitation, watch_spaces::accept_invitation,
        watch_spaces::remove_member, watch_spaces::change_member_role, watch_spaces::transfer_ownership, watch_spaces::leave_space,
        anilist::search, anilist::media,
        analytics::compatibility, analytics::rating_gaps, analytics::shared_stats,
        analytics::random_pick, analytics::dashboard,
        anime::list_anime, anime::add_anime, anime::get_anime, anime::update_anime, anime::remove_anime,
        anime::update_participant_progress, anime::rate_anime, anime::clear_rating,
        anime::list_sessions, anime::record_session, anime::update_session, anime::delete_session,
    ),
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("The accessToken from POST /api/auth/login"))
                    .build(),
            ),
        );
    }
}

/// The API routes that take uploads (importing a MyAnimeList file), with full paths, to be
/// merged beside the API under a body limit of their own.
pub fn upload_router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/watch-spaces/{id}/imports/preview",
            post(imports::preview_import),
        )
        .route(
            "/api/watch-spaces/{id}/imports",
            post(imports::start_import),
        )
}

/// The API, to be nested under `/api` (its fallback answers unknown API paths with a problem).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(|| async { Json(ApiDoc::openapi()) }))
        .route("/auth/register", post(auth::register_user))
        .route("/auth/login", post(auth::log_in))
        .route("/auth/logout", post(auth::log_out))
        .route("/me", get(me::get_me).patch(me::update_profile))
        .route(
            "/me/anilist",
            get(anilist_link::get_link).patch(anilist_link::update_switches),
        )
        .route(
            "/me/anilist/link",
            post(anilist_link::start_link).delete(anilist_link::unlink),
        )
        .route(
            "/me/anilist/callback",
            get(anilist_link::browser_return).post(anilist_link::complete_link),
        )
        .route("/me/anilist/sync-log", get(anilist_link::sync_log))
        .route(
            "/watch-spaces",
            get(watch_spaces::list_my_spaces).post(watch_spaces::create_space),
        )
        .route(
            "/watch-spaces/{id}",
            get(watch_spaces::get_space).patch(watch_spaces::rename_space),
        )
        .route(
            "/watch-spaces/{id}/invitations",
            post(watch_spaces::invite_member),
        )
        .route(
            "/watch-spaces/{id}/invitations/{invitation_id}",
            delete(watch_spaces::revoke_invitation),
        )
        .route(
            "/watch-spaces/invitations/{token}/accept",
            post(watch_spaces::accept_invitation),
        )
        .route(
            "/watch-spaces/{id}/members/{user_id}",
            delete(watch_spaces::remove_member).patch(watch_spaces::change_member_role),
        )
        .route(
            "/watch-spaces/{id}/transfer-ownership",
            post(watch_spaces::transfer_ownership),
        )
        .route("/watch-spaces/{id}/leave", post(watch_spaces::leave_space))
        .route(
            "/watch-spaces/{id}/analytics/compatibility",
            get(analytics::compatibility),
        )
        .route(
            "/watch-spaces/{id}/analytics/rating-gaps",
            get(analytics::rating_gaps),
        )
        .route(
            "/watch-spaces/{id}/analytics/shared-stats",
            get(analytics::shared_stats),
        )
        .route(
            "/watch-spaces/{id}/analytics/random-pick",
            post(analytics::random_pick),
        )
        .route("/watch-spaces/{id}/dashboard", get(analytics::dashboard))
        .route("/anilist/search", get(anilist::search))
        .route("/anilist/media/{anilist_media_id}", get(anilist::media))
        .route(
            "/watch-spaces/{id}/anime",
            get(anime::list_anime).post(anime::add_anime),
        )
        .route(
            "/watch-spaces/{id}/anime/{anime_id}",
            get(anime::get_anime)
                .patch(anime::update_anime)
                .delete(anime::remove_anime),
        )
        .route(
            "/watch-spaces/{id}/anime/{anime_id}/participant-progress",
            patch(anime::update_participant_progress),
        )
        .route(
            "/watch-spaces/{id}/anime/{anime_id}/participant-rating",
            patch(anime::rate_anime).delete(anime::clear_rating),
        )
        .route(
            "/watch-spaces/{id}/imports/{import_id}",
            get(imports::get_import),
        )
        .route("/watch-spaces/{id}/export.json", get(exports::export_json))
        .route("/watch-spaces/{id}/export.csv", get(exports::export_csv))
        .route(
            "/watch-spaces/{id}/export/mal.xml",
            get(exports::export_mal_xml),
        )
        .route(
            "/watch-spaces/{id}/anime/{anime_id}/anilist-sync",
            get(anilist_link::entry_sync).patch(anilist_link::set_entry_sync),
        )
        .route(
            "/watch-spaces/{id}/anime/{anime_id}/anilist-sync/retry",
            post(anilist_link::retry_entry_sync),
        )
        .route(
            "/watch-spaces/{id}/anime/{anime_id}/sessions",
            get(anime::list_sessions).post(anime::record_session),
        )
        .route(
            "/watch-spaces/{id}/anime/{anime_id}/sessions/{session_id}",
            patch(anime::update_session).delete(anime::delete_session),
        )
        .fallback(|| async {
            problem::ApiError::new(
                kernel::ErrorKind::NotFound,
                "There is no such API endpoint.",
            )
        })
}
