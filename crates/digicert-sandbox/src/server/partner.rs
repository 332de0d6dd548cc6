//! The Partner Subscriptions API's routes and handlers.
//!
//! Routes come from the spec: one per entry of `digicert::partner::OPERATIONS` (its method
//! and path template). Every call goes through [`serve`], which reads the body outside the
//! lock and then, under one lock, authenticates the key and checks the operation's key
//! scope (`key_scope`, the spec's `x-key-scope`) in one place for every operation, reads
//! the path IDs and the body, and applies the operation's rule.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State as Extract;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{MethodFilter, on};
use digicert::Operation;
use digicert::partner::types as pt;
use serde::de::DeserializeOwned;

use super::{
    Call, PARTNER_BASE, PARTNER_HEADER, Shared, Success, fresh_key, hex, json_later, json_of,
    key_in, parse_body, random_bytes, read_body, respond,
};
use crate::Family;
use crate::log::EmailChange;
use crate::state::{NewCredential, Refusal, RefusalKind, State};

/// Random bytes in a new EAB key identifier (as hex).
const KID_BYTES: usize = 12;
/// Random bytes in a new EAB HMAC key (as unpadded base64url, like DigiCert's).
const HMAC_BYTES: usize = 32;

/// Adds a route for every Partner operation of the spec under the Partner base path.
pub(super) fn routes(mut router: Router<Shared>) -> Router<Shared> {
    for op in digicert::partner::OPERATIONS {
        // The spec's methods are standard ones; one that is not would have no route, and
        // the end-to-end test of every operation would name it.
        let Some(filter) = Method::from_bytes(op.method.as_bytes())
            .ok()
            .and_then(|m| MethodFilter::try_from(m).ok())
        else {
            continue;
        };
        let handler =
            move |Extract(shared): Extract<Shared>,
                  method: Method,
                  uri: Uri,
                  headers: HeaderMap,
                  body: Body| serve(shared, op, method, uri, headers, body);
        router = router.route(&format!("{PARTNER_BASE}{}", op.path), on(filter, handler));
    }
    router
}

/// Answers one call of `op`.
async fn serve(
    shared: Shared,
    op: &'static Operation,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let call = Call::new(Family::Partner, Some(op.id), &method, &uri);
    let bytes = read_body(body).await;
    let result = {
        let mut state = shared.lock();
        let request = Request {
            op,
            path: uri.path(),
            headers: &headers,
            bytes: &bytes,
        };
        decide(&mut state, &request)
    };
    respond(&shared, call, result)
}

/// One Partner request as the rules see it.
struct Request<'a> {
    op: &'static Operation,
    path: &'a str,
    headers: &'a HeaderMap,
    bytes: &'a Result<Bytes, Refusal>,
}

impl Request<'_> {
    /// The integer path parameter `name`. Anything but digits that fit an `i64` names no
    /// resource: 404 (every Partner operation with a path ID documents 404, while several
    /// document no 400).
    fn id(&self, name: &str) -> Result<i64, Refusal> {
        let rest = self.path.strip_prefix(PARTNER_BASE).unwrap_or(self.path);
        let raw = self
            .op
            .path
            .split('/')
            .zip(rest.split('/'))
            .find(|(template, _)| {
                template.strip_prefix('{').and_then(|t| t.strip_suffix('}')) == Some(name)
            })
            .map(|(_, value)| value)
            .unwrap_or_default();
        let not_an_id = || {
            Refusal::new(
                RefusalKind::NotFound,
                format!("{name}: \"{raw}\" is not a valid ID (an integer), so nothing has it"),
            )
        };
        if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return Err(not_an_id());
        }
        raw.parse().map_err(|_| not_an_id())
    }

    /// The JSON body as the generated type `T`; `shape` shows what was expected.
    fn body<T: DeserializeOwned>(&self, shape: &str) -> Result<T, Refusal> {
        parse_body(self.bytes, shape)
    }

    /// The value of the operation's second key header (`X-DC-DEVKEY` for
    /// `link_finance_account`), as the spec names it.
    fn extra_key(&self) -> Option<&str> {
        let header = self.op.extra_key_headers.first()?;
        key_in(self.headers, *header)
    }
}

const CREATE_SUBACCOUNT_SHAPE: &str =
    r#"{"name": "...", "api_key_name": "...", "emergency_contact_emails": ["..."]}"#;
const EMAILS_SHAPE: &str = r#"{"emergency_contact_emails": ["security@example.com"]}"#;
const SETTING_SHAPE: &str = r#"{"name": "auto_renew_subscription", "value": "1"}"#;
const CREATE_KEY_SHAPE: &str = r#"{"name": "..."}"#;
const KEY_STATUS_SHAPE: &str = r#"{"status": "inactive"}"#;
const CREATE_ACME_SHAPE: &str =
    r#"{"product_name_id": "ssl_dv_rapidssl", "sans": ["example.com"], "auto_renew": true}"#;
const ACME_CHANGE_SHAPE: &str = r#"{"auto_renew": true, "organization": {...}}"#;
const SANS_SHAPE: &str = r#"{"sans": ["api.example.com"]}"#;
const REGENERATE_SHAPE: &str = r#"{"revoke_existing": true}"#;

/// Authenticates, checks the key scope, and applies `request.op`'s rule. The order of
/// refusals: 401 (key), 403 (scope), 404 (a path ID that is not an integer), 400 (body),
/// then what the rule finds.
fn decide(state: &mut State, request: &Request<'_>) -> Result<Success, Refusal> {
    let op = request.op;
    let caller = state.authorize(
        key_in(request.headers, &*PARTNER_HEADER),
        op.key_scope,
        op.id,
    )?;
    const ACME: &str = "acme_contract_id";
    match op.id {
        // Account management.
        "create_subaccount" => {
            let body: pt::CreateSubaccountRequest = request.body(CREATE_SUBACCOUNT_SHAPE)?;
            let key = fresh_key(state)?;
            json_of(
                StatusCode::CREATED,
                &state.create_subaccount(caller, body, key)?,
            )
        }
        "get_emergency_emails" => json_of(StatusCode::OK, &state.emergency_emails(caller)?),
        "add_emergency_emails" | "delete_emergency_emails" => {
            let change = if op.id == "add_emergency_emails" {
                EmailChange::Add
            } else {
                EmailChange::Remove
            };
            let body = request.body(EMAILS_SHAPE)?;
            state.change_emergency_emails(caller, change, body)?;
            Ok(Success::NoContent)
        }
        "get_acme_reporting" => json_later(StatusCode::OK, state.acme_reporting(caller)?),
        "list_account_settings" => json_of(StatusCode::OK, &state.settings(caller)?),
        "update_account_setting" => {
            state.update_setting(caller, request.body(SETTING_SHAPE)?)?;
            Ok(Success::NoContent)
        }
        // API keys.
        "list_api_keys" => json_later(StatusCode::OK, state.list_api_keys(caller)?),
        "get_api_key" => json_of(
            StatusCode::OK,
            &state.api_key(caller, request.id("api_key_id")?)?,
        ),
        "create_api_key" => {
            let account = request.id("account_id")?;
            let body = request.body(CREATE_KEY_SHAPE)?;
            let key = fresh_key(state)?;
            json_of(
                StatusCode::CREATED,
                &state.create_api_key(caller, account, body, key)?,
            )
        }
        "update_api_key_status" => {
            let id = request.id("api_key_id")?;
            state.set_api_key_status(caller, id, request.body(KEY_STATUS_SHAPE)?)?;
            Ok(Success::NoContent)
        }
        // ACME contracts.
        "create_acme_contract" => {
            let body = request.body(CREATE_ACME_SHAPE)?;
            json_of(
                StatusCode::CREATED,
                &state.create_contract(caller, body, new_credential()?)?,
            )
        }
        "get_acme_contract" => json_of(StatusCode::OK, &state.contract(caller, request.id(ACME)?)?),
        "replace_acme_contract" => {
            let id = request.id(ACME)?;
            state.replace_contract(caller, id, request.body(ACME_CHANGE_SHAPE)?)?;
            Ok(Success::NoContent)
        }
        "update_acme_contract" => {
            let id = request.id(ACME)?;
            state.update_contract(caller, id, request.body(ACME_CHANGE_SHAPE)?)?;
            Ok(Success::NoContent)
        }
        "cancel_acme_contract" => {
            state.cancel_contract(caller, request.id(ACME)?)?;
            Ok(Success::NoContent)
        }
        "add_acme_sans" => {
            let id = request.id(ACME)?;
            state.add_sans(caller, id, request.body(SANS_SHAPE)?)?;
            Ok(Success::NoContent)
        }
        "remove_acme_sans" => {
            let id = request.id(ACME)?;
            state.remove_sans(caller, id, request.body(SANS_SHAPE)?)?;
            Ok(Success::NoContent)
        }
        "list_acme_certificates" => json_of(
            StatusCode::OK,
            &state.certificates(caller, request.id(ACME)?)?,
        ),
        "list_acme_credentials" => json_of(
            StatusCode::OK,
            &state.credentials(caller, request.id(ACME)?)?,
        ),
        "regenerate_acme_credentials" => {
            let id = request.id(ACME)?;
            let body = request.body(REGENERATE_SHAPE)?;
            json_of(
                StatusCode::OK,
                &state.regenerate_credentials(caller, id, body, new_credential()?)?,
            )
        }
        "revoke_acme_credentials" => {
            state.revoke_credentials(caller, request.id(ACME)?)?;
            Ok(Success::NoContent)
        }
        "revoke_acme_credential" => {
            let id = request.id(ACME)?;
            state.revoke_credential(caller, id, request.id("credential_id")?)?;
            Ok(Success::NoContent)
        }
        // Finance.
        "link_finance_account" => {
            state.link_finance_account(caller, request.extra_key())?;
            Ok(Success::NoContent)
        }
        other => Err(Refusal::new(
            RefusalKind::Internal,
            format!("the sandbox has no rule for the operation {other} yet"),
        )),
    }
}

/// Fresh EAB credential values: a hex key identifier and an HMAC key of 32 random bytes.
fn new_credential() -> Result<NewCredential, Refusal> {
    const WHAT: &str = "new EAB credentials";
    let kid = hex(&random_bytes::<KID_BYTES>(WHAT)?);
    let hmac_key = base64url(&random_bytes::<HMAC_BYTES>(WHAT)?);
    Ok(NewCredential { kid, hmac_key })
}

/// Unpadded base64url (RFC 4648 §5), the usual encoding of an EAB HMAC key.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_matches_rfc_4648_test_vectors() {
        for (input, expected) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64url(input.as_bytes()), expected, "{input}");
        }
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn new_credentials_are_fresh() {
        let a = new_credential().unwrap();
        let b = new_credential().unwrap();
        assert_eq!(a.kid.len(), 2 * KID_BYTES);
        assert_eq!(a.hmac_key.len(), 43);
        assert_ne!(a.kid, b.kid);
        assert_ne!(a.hmac_key, b.hmac_key);
    }
}
