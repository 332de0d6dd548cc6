//! The CertCentral Services API's routes and handlers, and the sandbox's own read-back of
//! the account emails (`GET /_sandbox/certcentral/account-emails`).

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State as Extract;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use digicert::services::types as st;

use super::{
    Call, SERVICES_BASE, SERVICES_HEADER, Shared, Success, error_body, fresh_key, json_of, key_in,
    parse_body, read_body, respond, status_of,
};
use crate::Family;
use crate::state::{
    ListQuery, ORDER_SORT_KEYS, Refusal, RefusalKind, SUBACCOUNT_SORT_KEYS, State, WrittenEmails,
    subaccount_id,
};

/// Where the sandbox shows a CertCentral key's own account emails (not a DigiCert path).
pub(crate) const ACCOUNT_EMAILS_PATH: &str = "/_sandbox/certcentral/account-emails";

/// Adds the CertCentral routes under their base path. `/account/subaccount/order` is a
/// literal route beside `/account/subaccount/{subaccount_id}`; the router prefers the
/// literal, so `order` never reaches the ID handlers.
pub(super) fn routes(router: Router<Shared>) -> Router<Shared> {
    let services = |path: &str| format!("{SERVICES_BASE}{path}");
    router
        .route(
            &services("/account"),
            axum::routing::post(create_subaccount).put(update_account_emails),
        )
        .route(&services("/account/subaccount"), get(list_subaccounts))
        .route(
            &services("/account/subaccount/order"),
            get(list_subaccount_orders),
        )
        .route(
            &services("/account/subaccount/{subaccount_id}"),
            get(get_subaccount).put(update_subaccount),
        )
        .route(
            &services("/account/subaccount/{subaccount_id}/products"),
            get(list_subaccount_products).put(set_subaccount_products),
        )
        .route(
            &services("/account/subaccount/{subaccount_id}/report"),
            get(get_subaccount_report),
        )
        .route(ACCOUNT_EMAILS_PATH, get(account_emails))
}

const CREATE_SHAPE: &str = r#"{"account_type": "retail", "allowed_grandchildren": [], "user": {"first_name": "...", "last_name": "...", "email": "..."}, "organization": {"name": "...", "address": "...", "zip": "...", "city": "...", "state": "...", "country": "US", "telephone": "..."}}"#;
const UPDATE_SHAPE: &str = r#"{"bill_parent": true, "child_name": "..."}"#;
const PRODUCTS_SHAPE: &str =
    r#"{"products": [{"product_name_id": "ssl_plus", "prices": [{"lifetime": 1, "cost": 218}]}]}"#;
const EMAILS_SHAPE: &str =
    r#"{"admin_email": "a@example.com, b@example.com", "emergency_emails": "c@example.com"}"#;

/// Authenticates a CertCentral call and decides it under one lock.
fn decide(
    shared: &Shared,
    call: Call,
    headers: &HeaderMap,
    rule: impl FnOnce(&mut State, i64) -> Result<Success, Refusal>,
) -> Response {
    let result = {
        let mut state = shared.lock();
        state
            .certcentral_caller(key_in(headers, &*SERVICES_HEADER))
            .and_then(|caller| rule(&mut state, caller))
    };
    respond(shared, call, result)
}

fn call(operation: &'static str, method: &Method, uri: &Uri) -> Call {
    Call::new(Family::CertCentral, Some(operation), method, uri)
}

/// The decoded query pairs, in order.
fn query_pairs(uri: &Uri) -> Vec<(String, String)> {
    form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect()
}

/// The raw `{subaccount_id}` segment (not axum's `Path` extractor: its rejections are
/// plain text, and the state decides what a valid ID is).
fn subaccount_segment(uri: &Uri) -> String {
    let prefix = format!("{SERVICES_BASE}/account/subaccount/");
    uri.path()
        .strip_prefix(&prefix)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default()
        .to_owned()
}

async fn list_subaccounts(
    Extract(shared): Extract<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let pairs = query_pairs(&uri);
    decide(
        &shared,
        call("list_subaccounts", &method, &uri),
        &headers,
        |state, caller| {
            let query = ListQuery::parse(&pairs, SUBACCOUNT_SORT_KEYS, true)?;
            json_of(StatusCode::OK, &state.list_subaccounts(caller, &query)?)
        },
    )
}

async fn list_subaccount_orders(
    Extract(shared): Extract<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let pairs = query_pairs(&uri);
    decide(
        &shared,
        call("list_subaccount_orders", &method, &uri),
        &headers,
        |state, caller| {
            let query = ListQuery::parse(&pairs, ORDER_SORT_KEYS, false)?;
            json_of(
                StatusCode::OK,
                &state.list_subaccount_orders(caller, &query)?,
            )
        },
    )
}

async fn create_subaccount(
    Extract(shared): Extract<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let bytes = read_body(body).await;
    decide(
        &shared,
        call("create_subaccount", &method, &uri),
        &headers,
        |state, caller| {
            state.require_subaccount_creation(caller)?;
            let request: st::SubaccountCreate = parse_body(&bytes, CREATE_SHAPE)?;
            let key = fresh_key(state)?;
            let created = state.certcentral_create_subaccount(caller, request, key)?;
            json_of(StatusCode::CREATED, &created)
        },
    )
}

async fn update_account_emails(
    Extract(shared): Extract<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let bytes = read_body(body).await;
    decide(
        &shared,
        call("update_account_emails", &method, &uri),
        &headers,
        |state, caller| {
            let change: st::AccountEmailsChange = parse_body(&bytes, EMAILS_SHAPE)?;
            let written: WrittenEmails = parse_body(&bytes, EMAILS_SHAPE)?;
            state.update_account_emails(caller, &written, change)?;
            Ok(Success::NoContent)
        },
    )
}

async fn get_subaccount(
    Extract(shared): Extract<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let raw_id = subaccount_segment(&uri);
    decide(
        &shared,
        call("get_subaccount", &method, &uri),
        &headers,
        |state, caller| json_of(StatusCode::OK, &state.subaccount(caller, &raw_id)?),
    )
}

/// Reads a body-taking call on one subaccount: the ID and the body are checked (400)
/// before the subaccount is looked up (404, 403).
async fn change_subaccount<T: serde::de::DeserializeOwned>(
    shared: Shared,
    call: Call,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
    shape: &'static str,
    apply: fn(&mut State, i64, &str, T) -> Result<(), Refusal>,
) -> Response {
    let raw_id = subaccount_segment(&uri);
    let bytes: Result<Bytes, Refusal> = read_body(body).await;
    decide(&shared, call, &headers, |state, caller| {
        subaccount_id(&raw_id)?;
        let change: T = parse_body(&bytes, shape)?;
        apply(state, caller, &raw_id, change)?;
        Ok(Success::NoContent)
    })
}

async fn update_subaccount(
    Extract(shared): Extract<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let call = call("update_subaccount", &method, &uri);
    change_subaccount::<st::SubaccountUpdate>(
        shared,
        call,
        uri,
        headers,
        body,
        UPDATE_SHAPE,
        State::update_subaccount,
    )
    .await
}

async fn list_subaccount_products(
    Extract(shared): Extract<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let raw_id = subaccount_segment(&uri);
    decide(
        &shared,
        call("list_subaccount_products", &method, &uri),
        &headers,
        |state, caller| json_of(StatusCode::OK, &state.subaccount_products(caller, &raw_id)?),
    )
}

async fn set_subaccount_products(
    Extract(shared): Extract<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let call = call("set_subaccount_products", &method, &uri);
    change_subaccount::<st::SubaccountProductsChange>(
        shared,
        call,
        uri,
        headers,
        body,
        PRODUCTS_SHAPE,
        State::set_subaccount_products,
    )
    .await
}

async fn get_subaccount_report(
    Extract(shared): Extract<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let raw_id = subaccount_segment(&uri);
    decide(
        &shared,
        call("get_subaccount_report", &method, &uri),
        &headers,
        |state, caller| json_of(StatusCode::OK, &state.subaccount_report(caller, &raw_id)?),
    )
}

/// `GET /_sandbox/certcentral/account-emails`: the key's own account emails as
/// `PUT /account` last set them, in the same shape (a list never set is left out). The
/// sandbox's own endpoint, so it is not in the exchange log.
async fn account_emails(Extract(shared): Extract<Shared>, headers: HeaderMap) -> Response {
    let result = {
        let state = shared.lock();
        state
            .certcentral_caller(key_in(&headers, &*SERVICES_HEADER))
            .map(|caller| state.account_emails(caller).unwrap_or_default())
    };
    let (status, body) = match result.and_then(|emails| {
        serde_json::to_value(emails).map_err(|e| {
            Refusal::new(
                RefusalKind::Internal,
                format!("could not write the response: {e}"),
            )
        })
    }) {
        Ok(value) => (StatusCode::OK, value),
        Err(refusal) => (
            status_of(refusal.kind),
            error_body(Family::CertCentral, &refusal),
        ),
    };
    (
        status,
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        body.to_string(),
    )
        .into_response()
}
