//! The CertCentral Services API's routes and handlers.

use axum::Router;
use axum::extract::State as Extract;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::get;

use super::{Call, SERVICES_BASE, SERVICES_HEADER, Shared, json_of, key_in, respond};
use crate::Family;

/// Adds the CertCentral routes under their base path.
pub(super) fn routes(router: Router<Shared>) -> Router<Shared> {
    router.route(
        &format!("{SERVICES_BASE}/account/subaccount/{{subaccount_id}}"),
        get(get_subaccount),
    )
}

async fn get_subaccount(
    Extract(shared): Extract<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let call = Call::new(Family::CertCentral, Some("get_subaccount"), &method, &uri);
    // The raw path segment, not axum's `Path` extractor: its rejections are plain text.
    let prefix = format!("{SERVICES_BASE}/account/subaccount/");
    let raw_id = uri.path().strip_prefix(&prefix).unwrap_or_default();
    let result = {
        let state = shared.lock();
        state
            .certcentral_caller(key_in(&headers, SERVICES_HEADER))
            .and_then(|caller| state.subaccount(caller, raw_id))
            .and_then(|subaccount| json_of(StatusCode::OK, &subaccount))
    };
    respond(&shared, call, result)
}
