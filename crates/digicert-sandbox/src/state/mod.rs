//! The sandbox's in-memory state and every rule it enforces, free of HTTP: the server
//! takes the lock, calls one of these methods, and turns the result into a response.
//! Each method checks and changes the state in one call, so one request's decision and
//! change happen under one lock.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::clock::Clock;
use crate::log::EmailOperation;
use crate::seed::Seed;
use crate::{KeyKind, SeededKey};

/// The one account setting DigiCert documents.
pub(crate) const AUTO_RENEW: &str = "auto_renew_subscription";
/// Its system default: with no setting, new ACME contracts do not auto-renew.
pub(crate) const AUTO_RENEW_DEFAULT: &str = "0";
/// Its values.
const AUTO_RENEW_VALUES: [&str; 2] = ["0", "1"];

/// Why a request is refused; the server maps each kind to a status and the family's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RefusalKind {
    /// 400: the request is malformed or breaks a rule.
    Invalid,
    /// 401: the key is missing or unknown.
    Unauthorized,
    /// 403: the key may not do this.
    Forbidden,
    /// 404: no such resource.
    NotFound,
    /// 404: no such route.
    NoRoute,
    /// 405: the route exists, the method does not.
    MethodNotAllowed,
    /// 500: the sandbox itself failed (no randomness for a new key).
    Internal,
}

/// A refused request: what kind of refusal and a message for the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) kind: RefusalKind,
    pub(crate) message: String,
}

impl Refusal {
    pub(crate) fn new(kind: RefusalKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(RefusalKind::Invalid, message)
    }
}

/// The account a Partner key belongs to, and whether it is a parent account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PartnerCaller {
    pub(crate) account_id: i64,
    pub(crate) is_parent: bool,
}

/// Everything the sandbox knows. Its `Debug` shows counts only: it holds API keys.
pub(crate) struct State {
    partner: BTreeMap<i64, PartnerAccount>,
    /// Partner key -> its key ID (in `partner_data`).
    partner_keys: HashMap<String, i64>,
    next_partner_account_id: i64,
    next_partner_key_id: i64,
    /// Partner key records, ACME contracts and their credentials.
    partner_data: PartnerData,
    /// The sandbox's clock: every timestamp it writes comes from here.
    pub(crate) clock: Clock,
    /// CertCentral key -> account ID.
    certcentral_keys: HashMap<String, i64>,
    /// CertCentral accounts, subaccounts, products, orders and account emails.
    certcentral: CertCentral,
    /// The emergency-email log, when recording.
    email_log: Option<Vec<EmailOperation>>,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("partner_accounts", &self.partner.len())
            .field("partner_keys", &self.partner_keys.len())
            .field("certcentral_keys", &self.certcentral_keys.len())
            .field("subaccounts", &self.certcentral.subaccount_count())
            .finish_non_exhaustive()
    }
}
impl State {
    /// Checks `seed` against the sandbox's rules and builds the state, with the seeded
    /// keys in seed order. The error names the account, field or value at fault.
    pub(crate) fn from_seed(seed: &Seed, record: bool) -> Result<(Self, Vec<SeededKey>), String> {
        let mut state = State {
            partner: BTreeMap::new(),
            partner_keys: HashMap::new(),
            next_partner_account_id: 1,
            next_partner_key_id: 1,
            partner_data: PartnerData::default(),
            clock: Clock::default(),
            certcentral_keys: HashMap::new(),
            certcentral: CertCentral::default(),
            email_log: record.then(Vec::new),
        };
        let mut keys = Vec::new();
        let mut all_keys = HashSet::new();
        let mut claim_key = |key: &digicert::ApiKey, whose: &str| {
            if all_keys.insert(key.expose().to_owned()) {
                Ok(())
            } else {
                Err(format!(
                    "{whose}: an API key is used twice (keys must be unique across both families)"
                ))
            }
        };

        state.seed_partner(&seed.partner, &mut claim_key, &mut keys)?;

        state.certcentral = CertCentral::from_seed(
            &seed.certcentral,
            seed.certcentral.api_keys.iter().map(|k| k.account_id),
        )?;
        for seeded in &seed.certcentral.api_keys {
            claim_key(
                &seeded.key,
                &format!("certcentral key of account {}", seeded.account_id),
            )?;
            state
                .certcentral_keys
                .insert(seeded.key.expose().to_owned(), seeded.account_id);
            keys.push(SeededKey {
                kind: KeyKind::CertCentral,
                account_id: seeded.account_id,
                name: seeded.name.clone(),
                key: seeded.key.clone(),
            });
        }
        Ok((state, keys))
    }

    /// Whether `key` is in use by either family (for new keys).
    pub(crate) fn key_taken(&self, key: &str) -> bool {
        self.partner_keys.contains_key(key) || self.certcentral_keys.contains_key(key)
    }

    /// The emergency-email log, when recording.
    pub(crate) fn email_log(&self) -> Vec<EmailOperation> {
        self.email_log.clone().unwrap_or_default()
    }
}

mod certcentral;
mod partner;

use certcentral::CertCentral;
pub(crate) use certcentral::{
    ListQuery, ORDER_SORT_KEYS, SUBACCOUNT_SORT_KEYS, WrittenEmails, subaccount_id,
};
pub(crate) use partner::NewCredential;
use partner::{PartnerAccount, PartnerData};

#[cfg(test)]
mod tests {
    use super::certcentral::parse_account_id;
    use super::partner::decide_email_change;
    use super::*;
    use crate::log::EmailChange;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn adding_drops_duplicates_case_insensitively() {
        let after = decide_email_change(
            &strings(&["a@x.example"]),
            EmailChange::Add,
            &strings(&["A@X.example", "b@x.example", "b@x.example"]),
        )
        .unwrap();
        assert_eq!(after, strings(&["a@x.example", "b@x.example"]));
    }

    #[test]
    fn removing_never_leaves_zero_and_ignores_unknown_addresses() {
        let current = strings(&["a@x.example", "b@x.example"]);
        let err = decide_email_change(
            &current,
            EmailChange::Remove,
            &strings(&["a@x.example", "B@x.example"]),
        )
        .unwrap_err();
        assert_eq!(err.kind, RefusalKind::Invalid);
        assert!(err.message.contains("at least one"), "{}", err.message);
        let after = decide_email_change(
            &current,
            EmailChange::Remove,
            &strings(&["a@x.example", "nobody@x.example"]),
        )
        .unwrap();
        assert_eq!(after, strings(&["b@x.example"]));
    }

    #[test]
    fn invalid_or_empty_requests_are_refused_naming_the_address() {
        let current = strings(&["a@x.example"]);
        for change in [EmailChange::Add, EmailChange::Remove] {
            let err = decide_email_change(
                &current,
                change,
                &strings(&["ok@x.example", "not-an-email"]),
            )
            .unwrap_err();
            assert!(
                err.message.contains("emergency_contact_emails[1]")
                    && err.message.contains("\"not-an-email\""),
                "{}",
                err.message
            );
            assert!(decide_email_change(&current, change, &[]).is_err());
        }
    }

    #[test]
    fn an_account_keeps_at_most_the_capped_number_of_emails() {
        use super::partner::MAX_EMERGENCY_EMAILS;
        let address = |i: usize| format!("a{i}@x.example");
        let full: Vec<String> = (0..MAX_EMERGENCY_EMAILS).map(address).collect();
        // Re-adding known addresses to a full list is fine; one more is not.
        let same = decide_email_change(&full, EmailChange::Add, &full[..3]).unwrap();
        assert_eq!(same, full);
        let err = decide_email_change(&full, EmailChange::Add, &[address(MAX_EMERGENCY_EMAILS)])
            .unwrap_err();
        assert_eq!(err.kind, RefusalKind::Invalid);
        assert!(
            err.message
                .contains(&format!("at most {MAX_EMERGENCY_EMAILS}"))
                && err
                    .message
                    .contains(&format!("would make {}", MAX_EMERGENCY_EMAILS + 1)),
            "{}",
            err.message
        );
        // A request may not list more than the cap either (after dropping duplicates).
        let many: Vec<String> = (0..=MAX_EMERGENCY_EMAILS).map(address).collect();
        let err = decide_email_change(&full[..1], EmailChange::Remove, &many).unwrap_err();
        assert!(
            err.message
                .contains(&format!("{} were sent", MAX_EMERGENCY_EMAILS + 1)),
            "{}",
            err.message
        );
    }

    #[test]
    fn the_email_cap_is_the_specs() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let spec = digicert_codegen::load(&root.join(digicert_codegen::PARTNER.spec))
            .unwrap_or_else(|e| panic!("{e}"))
            .raw;
        let schemas = &spec["components"]["schemas"];
        for schema in ["EmergencyContactEmails", "EmergencyContactEmailsChange"] {
            assert_eq!(
                schemas[schema]["properties"]["emergency_contact_emails"]["maxItems"].as_u64(),
                Some(super::partner::MAX_EMERGENCY_EMAILS as u64),
                "{schema}.emergency_contact_emails.maxItems"
            );
        }
    }

    #[test]
    fn account_ids_are_digits_only() {
        assert_eq!(parse_account_id("1122339"), Some(1_122_339));
        for bad in ["", "-1", "+1", "12a", "1.0", "99999999999999999999", " 1"] {
            assert_eq!(parse_account_id(bad), None, "{bad}");
        }
    }

    #[test]
    fn seed_rules_name_what_is_wrong() {
        let parse = |text: &str| serde_json::from_str::<Seed>(text).unwrap();
        let cases = [
            (
                r#"{"partner":{"accounts":[{"account_id":1,"name":"p","emergency_contact_emails":["nope"]}]}}"#,
                "\"nope\" is not a valid email address",
            ),
            (
                r#"{"partner":{"accounts":[{"account_id":1,"name":"p"},{"account_id":1,"name":"q"}]}}"#,
                "seeded twice",
            ),
            (
                r#"{"partner":{"accounts":[{"account_id":2,"parent_account_id":9,"name":"s"}]}}"#,
                "parent account 9 is not seeded",
            ),
            (
                r#"{"partner":{"accounts":[{"account_id":1,"name":"p","settings":{"auto_renew":"1"}}]}}"#,
                "unknown setting \"auto_renew\"",
            ),
            (
                r#"{"partner":{"accounts":[{"account_id":1,"name":"p","acme_contracts":[
                    {"acme_contract_id":1,"product_name_id":"ssl_dv_rapidssl","sans":["p.example"]}]}]}}"#,
                "ACME contracts belong to subaccounts",
            ),
            (
                r#"{"partner":{"accounts":[{"account_id":1,"name":"p","api_keys":[{"name":"a","key":"k1"}]}]},
                    "certcentral":{"api_keys":[{"account_id":5,"name":"b","key":"k1"}]}}"#,
                "used twice",
            ),
        ];
        for (text, says) in cases {
            let err = State::from_seed(&parse(text), false).unwrap_err();
            assert!(err.contains(says), "{text}: {err}");
            // Loading a seed checks the same rules, naming where it came from.
            let err = Seed::from_json(text, "file.json").unwrap_err().to_string();
            assert!(err.contains("file.json") && err.contains(says), "{err}");
        }
    }

    #[test]
    fn certcentral_cycles_are_refused() {
        let mut seed = Seed::builtin();
        let mut looped = seed.certcentral.subaccounts[0].clone();
        looped.account_id = 1_122_331;
        looped.parent_account_id = "1122339".into();
        seed.certcentral.subaccounts.push(looped);
        let err = State::from_seed(&seed, false).unwrap_err();
        assert!(err.contains("own ancestor"), "{err}");
    }
}
