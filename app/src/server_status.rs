//! Server functions answer a failure with its kind's HTTP status (400, 401, 404, 409, …)
//! rather than a blanket 500, so logs, monitoring and network panels tell a wrong password
//! from a crash. Plain form posts keep leptos' redirect back to the form instead.

use axum::http::StatusCode;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

use crate::error::AppError;

/// Passes `result` through, setting the response status when it is an error.
pub fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(error) = &result {
        let plain_form = crate::navigation::is_plain_form_post();
        if let (false, Some(response), Ok(status)) = (
            plain_form,
            use_context::<ResponseOptions>(),
            StatusCode::from_u16(error.kind.status()),
        ) {
            response.set_status(status);
        }
    }
    result
}
