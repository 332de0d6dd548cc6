//! [`Operation`]: what the spec says about each operation, as the generated code lists it in
//! `partner::OPERATIONS` and `services::OPERATIONS`.

/// Which Partner Subscriptions key may call an operation (`x-key-scope` in the spec).
/// DigiCert answers 403 to the wrong kind of key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyScope {
    /// Only a parent-account key.
    Parent,
    /// Only a subaccount key.
    Subaccount,
    /// Any key (acting on its own account). CertCentral operations are all `Any`.
    Any,
}

impl KeyScope {
    /// As the spec spells it: `parent`, `subaccount` or `any`.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyScope::Parent => "parent",
            KeyScope::Subaccount => "subaccount",
            KeyScope::Any => "any",
        }
    }
}

/// One operation of an API family, as its spec describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Operation {
    /// The spec's `operationId`, which is also the client method's name.
    pub id: &'static str,
    /// Upper-case HTTP method.
    pub method: &'static str,
    /// Path template under the base URL, e.g. `/account/subaccount/{subaccount_id}`.
    pub path: &'static str,
    /// The documented success statuses.
    pub success: &'static [u16],
    /// Whether a success answer carries a JSON body.
    pub success_body: bool,
    /// Whether sending it twice has the effect of sending it once, so that the client may
    /// retry it after a timeout or a broken connection.
    pub idempotent: bool,
    /// Which Partner key may call it.
    pub key_scope: KeyScope,
    /// Whether it pages with `offset` and `limit` (its builder then has `stream()`).
    pub paginated: bool,
    /// Headers of keys it needs besides the family's own (each a required builder
    /// parameter).
    pub extra_key_headers: &'static [&'static str],
}
