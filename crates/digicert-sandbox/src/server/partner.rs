//! The Partner Subscriptions API's routes and handlers.

use axum::Router;
use axum::body::Body;
use axum::extract::State as Extract;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use digicert::partner::types as pt;

use super::{
    Call, PARTNER_BASE, PARTNER_HEADER, Shared, Success, fresh_key, json_of, key_in, parse_body,
    read_body, respond,
};
use crate::Family;
use crate::log::EmailChange;
use crate::state::{PartnerCaller, Refusal, State, require_parent};

/// Adds the Partner routes under their base path.
pub(super) fn routes(router: Router<Shared>) -> Router<Shared> {
    let partner = |path: &str| format!("{PARTNER_BASE}{path}");
    router
        .route(&partner("/account/subaccount"), post(create_subaccount))
        .route(
            &partner("/account/emergency-emails"),
            get(get_emergency_emails)
                .put(add_emergency_emails)
                .delete(delete_emergency_emails),
        )
        .route(&partner("/account/reporting"), get(get_acme_reporting))
        .route(
            &partner("/account/settings"),
            get(list_account_settings).patch(update_account_setting),
        )
}

/// Authenticates a Partner call and, for parent-only operations, checks the scope.
fn partner_caller(
    state: &State,
    headers: &HeaderMap,
    parent_only: Option<&str>,
) -> Result<PartnerCaller, Refusal> {
    let caller = state.partner_caller(key_in(headers, PARTNER_HEADER))?;
    if let Some(what) = parent_only {
        require_parent(caller, what)?;
    }
    Ok(caller)
}

const CREATE_SHAPE: &str =
    r#"{"name": "...", "api_key_name": "...", "emergency_contact_emails": ["..."]}"#;
const EMAILS_SHAPE: &str = r#"{"emergency_contact_emails": ["security@example.com"]}"#;
const SETTING_SHAPE: &str = r#"{"name": "auto_renew_subscription", "value": "1"}"#;

async fn create_subaccount(
    Extract(shared): Extract<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let call = Call::new(Family::Partner, Some("create_subaccount"), &method, &uri);
    let bytes = read_body(body).await;
    let result = {
        let mut state = shared.lock();
        (|| {
            let caller = partner_caller(&state, &headers, Some("create subaccounts"))?;
            let request: pt::CreateSubaccountRequest = parse_body(&bytes, CREATE_SHAPE)?;
            let key = fresh_key(&state)?;
            let created = state.create_subaccount(caller, request, key)?;
            json_of(StatusCode::CREATED, &created)
        })()
    };
    respond(&shared, call, result)
}

async fn get_emergency_emails(
    Extract(shared): Extract<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let call = Call::new(Family::Partner, Some("get_emergency_emails"), &method, &uri);
    let result = {
        let state = shared.lock();
        partner_caller(&state, &headers, None)
            .and_then(|caller| state.emergency_emails(caller))
            .and_then(|emails| json_of(StatusCode::OK, &emails))
    };
    respond(&shared, call, result)
}

async fn change_emergency_emails(
    shared: Shared,
    call: Call,
    headers: HeaderMap,
    body: Body,
    change: EmailChange,
) -> Response {
    let bytes = read_body(body).await;
    let result = {
        let mut state = shared.lock();
        (|| {
            let caller = partner_caller(&state, &headers, None)?;
            let request: pt::EmergencyContactEmailsChange = parse_body(&bytes, EMAILS_SHAPE)?;
            state.change_emergency_emails(caller, change, request)?;
            Ok(Success::NoContent)
        })()
    };
    respond(&shared, call, result)
}

async fn add_emergency_emails(
    Extract(shared): Extract<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let call = Call::new(Family::Partner, Some("add_emergency_emails"), &method, &uri);
    change_emergency_emails(shared, call, headers, body, EmailChange::Add).await
}

async fn delete_emergency_emails(
    Extract(shared): Extract<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let call = Call::new(
        Family::Partner,
        Some("delete_emergency_emails"),
        &method,
        &uri,
    );
    change_emergency_emails(shared, call, headers, body, EmailChange::Remove).await
}

async fn get_acme_reporting(
    Extract(shared): Extract<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let call = Call::new(Family::Partner, Some("get_acme_reporting"), &method, &uri);
    let result = {
        let state = shared.lock();
        partner_caller(&state, &headers, Some("read ACME reporting"))
            .and_then(|caller| state.acme_reporting(caller))
            .and_then(|report| json_of(StatusCode::OK, &report))
    };
    respond(&shared, call, result)
}

async fn list_account_settings(
    Extract(shared): Extract<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let call = Call::new(
        Family::Partner,
        Some("list_account_settings"),
        &method,
        &uri,
    );
    let result = {
        let state = shared.lock();
        partner_caller(&state, &headers, None)
            .and_then(|caller| state.settings(caller))
            .and_then(|settings| json_of(StatusCode::OK, &settings))
    };
    respond(&shared, call, result)
}

async fn update_account_setting(
    Extract(shared): Extract<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let call = Call::new(
        Family::Partner,
        Some("update_account_setting"),
        &method,
        &uri,
    );
    let bytes = read_body(body).await;
    let result = {
        let mut state = shared.lock();
        (|| {
            let caller = partner_caller(&state, &headers, None)?;
            let update: pt::AccountSettingUpdate = parse_body(&bytes, SETTING_SHAPE)?;
            state.update_setting(caller, update)?;
            Ok(Success::NoContent)
        })()
    };
    respond(&shared, call, result)
}
