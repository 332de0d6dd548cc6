//! The sandbox's in-memory state and every rule it enforces, free of HTTP: the server
//! takes the lock, calls one of these methods, and turns the result into a response.
//! Each method checks and changes the state in one call, so one request's decision and
//! change happen under one lock.

use std::collections::{BTreeMap, HashMap, HashSet};

use digicert::partner::types as pt;
use digicert::services::types::Subaccount;

use crate::email;
use crate::log::{EmailChange, EmailOperation};
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

/// One Partner Subscriptions account.
#[derive(Debug, Clone)]
struct PartnerAccount {
    parent: Option<i64>,
    emails: Vec<String>,
    /// The `auto_renew_subscription` override; `None` means the system default.
    auto_renew: Option<String>,
    contracts: Vec<pt::AcmeContractSummary>,
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
    /// Partner key -> account ID.
    partner_keys: HashMap<String, i64>,
    next_partner_account_id: i64,
    next_partner_key_id: i64,
    /// CertCentral key -> account ID.
    certcentral_keys: HashMap<String, i64>,
    subaccounts: BTreeMap<i64, Subaccount>,
    /// CertCentral account -> its parent, for every seeded subaccount.
    certcentral_parent: HashMap<i64, i64>,
    /// The emergency-email log, when recording.
    email_log: Option<Vec<EmailOperation>>,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("partner_accounts", &self.partner.len())
            .field("partner_keys", &self.partner_keys.len())
            .field("certcentral_keys", &self.certcentral_keys.len())
            .field("subaccounts", &self.subaccounts.len())
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
            certcentral_keys: HashMap::new(),
            subaccounts: BTreeMap::new(),
            certcentral_parent: HashMap::new(),
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

        let parents: HashMap<i64, Option<i64>> = seed
            .partner
            .accounts
            .iter()
            .map(|a| (a.account_id, a.parent_account_id))
            .collect();
        for account in &seed.partner.accounts {
            let id = account.account_id;
            let whose = format!("partner account {id}");
            if state.partner.contains_key(&id) {
                return Err(format!("{whose} is seeded twice"));
            }
            if let Some(parent) = account.parent_account_id {
                match parents.get(&parent) {
                    None => return Err(format!("{whose}: parent account {parent} is not seeded")),
                    Some(Some(_)) => {
                        return Err(format!(
                            "{whose}: parent {parent} is itself a subaccount; subaccounts cannot have subaccounts"
                        ));
                    }
                    Some(None) => {}
                }
            } else if !account.acme_contracts.is_empty() {
                return Err(format!(
                    "{whose}: ACME contracts belong to subaccounts, not to parent accounts"
                ));
            }
            let mut emails = Vec::new();
            for address in &account.emergency_contact_emails {
                if !email::is_valid(address) {
                    return Err(format!(
                        "{whose}: \"{address}\" is not a valid email address"
                    ));
                }
                add_unique(&mut emails, address);
            }
            let mut auto_renew = None;
            for (name, value) in &account.settings {
                check_setting(name, value).map_err(|r| format!("{whose}: {}", r.message))?;
                auto_renew = (value != AUTO_RENEW_DEFAULT).then(|| value.clone());
            }
            for seeded in &account.api_keys {
                claim_key(&seeded.key, &whose)?;
                state
                    .partner_keys
                    .insert(seeded.key.expose().to_owned(), id);
                state.next_partner_key_id += 1;
                keys.push(SeededKey {
                    kind: if account.parent_account_id.is_some() {
                        KeyKind::PartnerSubaccount
                    } else {
                        KeyKind::PartnerParent
                    },
                    account_id: id,
                    name: seeded.name.clone(),
                    key: seeded.key.clone(),
                });
            }
            let mut contracts = account.acme_contracts.clone();
            contracts.sort_by_key(|c| c.acme_contract_id);
            state.partner.insert(
                id,
                PartnerAccount {
                    parent: account.parent_account_id,
                    emails,
                    auto_renew,
                    contracts,
                },
            );
            state.next_partner_account_id = state.next_partner_account_id.max(id + 1);
        }

        for subaccount in &seed.certcentral.subaccounts {
            let id = subaccount.account_id;
            let whose = format!("certcentral subaccount {id}");
            if state.subaccounts.contains_key(&id) {
                return Err(format!("{whose} is seeded twice"));
            }
            let parent = parse_account_id(&subaccount.parent_account_id).ok_or_else(|| {
                format!(
                    "{whose}: parent_account_id \"{}\" is not an account ID (digits only)",
                    subaccount.parent_account_id
                )
            })?;
            state.certcentral_parent.insert(id, parent);
            state.subaccounts.insert(id, subaccount.clone());
        }
        for &id in state.subaccounts.keys() {
            if state.ancestors(id).any(|ancestor| ancestor == id) {
                return Err(format!(
                    "certcentral subaccount {id} is its own ancestor (parent_account_id cycle)"
                ));
            }
        }
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

    /// Who a Partner request comes from: 401 for a missing or unknown key.
    pub(crate) fn partner_caller(&self, key: Option<&str>) -> Result<PartnerCaller, Refusal> {
        let unauthorized = |message: &str| Refusal::new(RefusalKind::Unauthorized, message);
        let key = key.ok_or_else(|| {
            unauthorized(
                "The X-PARTNER-APIKEY header with a Partner Subscriptions API key is missing.",
            )
        })?;
        match self.partner_keys.get(key) {
            Some(&account_id) => Ok(PartnerCaller {
                account_id,
                is_parent: self
                    .partner
                    .get(&account_id)
                    .is_some_and(|a| a.parent.is_none()),
            }),
            None if self.certcentral_keys.contains_key(key) => Err(unauthorized(
                "This is a CertCentral API key; the Partner Subscriptions API accepts only Partner Subscriptions API keys.",
            )),
            None => Err(unauthorized("The API key is not valid.")),
        }
    }

    /// Who a CertCentral request comes from: 401 for a missing or unknown key.
    pub(crate) fn certcentral_caller(&self, key: Option<&str>) -> Result<i64, Refusal> {
        let unauthorized = |message: &str| Refusal::new(RefusalKind::Unauthorized, message);
        let key = key.ok_or_else(|| {
            unauthorized("The X-DC-DEVKEY header with a CertCentral API key is missing.")
        })?;
        match self.certcentral_keys.get(key) {
            Some(&account_id) => Ok(account_id),
            None if self.partner_keys.contains_key(key) => Err(unauthorized(
                "This is a Partner Subscriptions API key; CertCentral accepts only CertCentral API keys.",
            )),
            None => Err(unauthorized("The API key is not valid.")),
        }
    }

    fn account(&self, caller: PartnerCaller) -> Result<&PartnerAccount, Refusal> {
        // A key always belongs to a seeded or created account; this only keeps us total.
        self.partner
            .get(&caller.account_id)
            .ok_or_else(|| Refusal::new(RefusalKind::Unauthorized, "The API key is not valid."))
    }

    /// `POST /account/subaccount`: parent keys only; `new_key` is a fresh key no account
    /// uses. The subaccount starts with the given emails and the default settings.
    pub(crate) fn create_subaccount(
        &mut self,
        caller: PartnerCaller,
        request: pt::CreateSubaccountRequest,
        new_key: String,
    ) -> Result<pt::CreateSubaccountResponse, Refusal> {
        require_parent(caller, "create subaccounts")?;
        if request.name.trim().is_empty() {
            return Err(Refusal::invalid("name: must not be empty"));
        }
        if request.api_key_name.trim().is_empty() {
            return Err(Refusal::invalid("api_key_name: must not be empty"));
        }
        let emails = valid_list(
            &request.emergency_contact_emails,
            "emergency_contact_emails",
        )?;
        let api_key = digicert::ApiKey::new(new_key).map_err(|_| {
            Refusal::new(
                RefusalKind::Internal,
                "The sandbox could not make an API key.",
            )
        })?;
        let account_id = self.next_partner_account_id;
        self.next_partner_account_id += 1;
        let key_id = self.next_partner_key_id;
        self.next_partner_key_id += 1;
        self.partner.insert(
            account_id,
            PartnerAccount {
                parent: Some(caller.account_id),
                emails: emails.clone(),
                auto_renew: None,
                contracts: Vec::new(),
            },
        );
        self.partner_keys
            .insert(api_key.expose().to_owned(), account_id);
        Ok(pt::CreateSubaccountResponse {
            account_id,
            name: Some(request.name.into()),
            emergency_contact_emails: emails,
            api_key: pt::CreatedApiKey {
                api_key,
                id: Some(key_id),
                name: Some(request.api_key_name.into()),
            },
        })
    }

    /// `GET /account/emergency-emails`: the caller's own list.
    pub(crate) fn emergency_emails(
        &self,
        caller: PartnerCaller,
    ) -> Result<pt::EmergencyContactEmails, Refusal> {
        Ok(pt::EmergencyContactEmails {
            emergency_contact_emails: self.account(caller)?.emails.clone(),
        })
    }

    /// `PUT` (add, duplicates dropped) or `DELETE` (remove; never down to zero) of
    /// emergency emails. Invalid addresses refuse the whole request; nothing changes on
    /// any refusal. Logged when recording.
    pub(crate) fn change_emergency_emails(
        &mut self,
        caller: PartnerCaller,
        change: EmailChange,
        request: pt::EmergencyContactEmailsChange,
    ) -> Result<(), Refusal> {
        let current = self.account(caller)?.emails.clone();
        let decision = decide_email_change(&current, change, &request.emergency_contact_emails);
        let after = decision.as_ref().map_or(current, Clone::clone);
        if let Some(log) = &mut self.email_log {
            log.push(EmailOperation {
                sequence: log.len() as u64,
                account_id: caller.account_id,
                change,
                emails: request.emergency_contact_emails,
                accepted: decision.is_ok(),
                emails_after: after.clone(),
            });
        }
        if let Some(account) = self.partner.get_mut(&caller.account_id) {
            account.emails = after;
        }
        decision.map(|_| ())
    }

    /// `GET /account/settings`: every setting (one) with its value and default flag.
    pub(crate) fn settings(&self, caller: PartnerCaller) -> Result<pt::AccountSettings, Refusal> {
        let account = self.account(caller)?;
        Ok(pt::AccountSettings {
            settings: vec![pt::AccountSetting {
                name: AUTO_RENEW.to_owned(),
                value: account
                    .auto_renew
                    .clone()
                    .unwrap_or_else(|| AUTO_RENEW_DEFAULT.to_owned()),
                is_default: account.auto_renew.is_none(),
            }],
        })
    }

    /// `PATCH /account/settings`: sets one setting; the default value removes the override.
    pub(crate) fn update_setting(
        &mut self,
        caller: PartnerCaller,
        update: pt::AccountSettingUpdate,
    ) -> Result<(), Refusal> {
        check_setting(&update.name, &update.value)?;
        self.account(caller)?;
        if let Some(account) = self.partner.get_mut(&caller.account_id) {
            account.auto_renew = (update.value != AUTO_RENEW_DEFAULT).then_some(update.value);
        }
        Ok(())
    }

    /// `GET /account/reporting`: parent keys only; the caller's subaccounts that have at
    /// least one ACME contract, by account ID, with their contracts by contract ID.
    pub(crate) fn acme_reporting(
        &self,
        caller: PartnerCaller,
    ) -> Result<pt::AcmeReporting, Refusal> {
        require_parent(caller, "read ACME reporting")?;
        let accounts = self
            .partner
            .iter()
            .filter(|(_, a)| a.parent == Some(caller.account_id) && !a.contracts.is_empty())
            .map(|(&account_id, a)| pt::SubaccountAcmeReport {
                account_id,
                acme: a.contracts.clone(),
            })
            .collect();
        Ok(pt::AcmeReporting { accounts })
    }

    /// `GET /account/subaccount/{id}` (CertCentral): 400 for an ID that is not an
    /// integer, 404 for no such subaccount, 403 for one outside the caller's hierarchy
    /// (not the caller's subaccount, nor a subaccount of one of those).
    pub(crate) fn subaccount(&self, caller: i64, raw_id: &str) -> Result<Subaccount, Refusal> {
        let id = parse_account_id(raw_id).ok_or_else(|| {
            Refusal::invalid(format!(
                "subaccount_id: \"{raw_id}\" is not a valid account ID (an integer)"
            ))
        })?;
        let subaccount = self.subaccounts.get(&id).ok_or_else(|| {
            Refusal::new(
                RefusalKind::NotFound,
                format!("Subaccount {id} was not found."),
            )
        })?;
        if !self.ancestors(id).any(|ancestor| ancestor == caller) {
            return Err(Refusal::new(
                RefusalKind::Forbidden,
                format!("Subaccount {id} is not in your account's hierarchy."),
            ));
        }
        Ok(subaccount.clone())
    }

    /// The parent, grandparent, ... of a CertCentral account; stops at a repeat, so a
    /// cycle in the seed cannot loop forever.
    fn ancestors(&self, id: i64) -> impl Iterator<Item = i64> + '_ {
        let mut seen = HashSet::new();
        let mut current = id;
        std::iter::from_fn(move || {
            let parent = *self.certcentral_parent.get(&current)?;
            current = parent;
            seen.insert(parent).then_some(parent)
        })
    }

    /// The emergency-email log, when recording.
    pub(crate) fn email_log(&self) -> Vec<EmailOperation> {
        self.email_log.clone().unwrap_or_default()
    }
}

/// What an emergency-email request would leave, or why it is refused. Public to the crate
/// so the logic is tested without HTTP.
pub(crate) fn decide_email_change(
    current: &[String],
    change: EmailChange,
    requested: &[String],
) -> Result<Vec<String>, Refusal> {
    let requested = valid_list(requested, "emergency_contact_emails")?;
    if requested.is_empty() {
        return Err(Refusal::invalid(
            "emergency_contact_emails: must list at least one address",
        ));
    }
    match change {
        EmailChange::Add => {
            let mut after = current.to_vec();
            for address in &requested {
                add_unique(&mut after, address);
            }
            Ok(after)
        }
        EmailChange::Remove => {
            let gone: HashSet<String> = requested.iter().map(|a| email::comparable(a)).collect();
            let after: Vec<String> = current
                .iter()
                .filter(|a| !gone.contains(&email::comparable(a)))
                .cloned()
                .collect();
            if after.is_empty() {
                Err(Refusal::invalid(
                    "emergency_contact_emails: the account must keep at least one emergency contact email; this would remove all of them",
                ))
            } else {
                Ok(after)
            }
        }
    }
}

/// Checks every address (the error names the first invalid one) and drops duplicates.
fn valid_list(addresses: &[String], field: &str) -> Result<Vec<String>, Refusal> {
    let mut out = Vec::new();
    for (index, address) in addresses.iter().enumerate() {
        if !email::is_valid(address) {
            return Err(Refusal::invalid(format!(
                "{field}[{index}]: \"{address}\" is not a valid email address"
            )));
        }
        add_unique(&mut out, address);
    }
    Ok(out)
}

/// Appends `address` unless the list has it already (compared case-insensitively).
fn add_unique(list: &mut Vec<String>, address: &str) {
    let key = email::comparable(address);
    if !list.iter().any(|a| email::comparable(a) == key) {
        list.push(address.to_owned());
    }
}

fn check_setting(name: &str, value: &str) -> Result<(), Refusal> {
    if name != AUTO_RENEW {
        return Err(Refusal::invalid(format!(
            "name: unknown setting \"{name}\"; the known setting is {AUTO_RENEW}"
        )));
    }
    if !AUTO_RENEW_VALUES.contains(&value) {
        return Err(Refusal::invalid(format!(
            "value: \"{value}\" is not a value of {AUTO_RENEW}; use \"1\" (on) or \"0\" (off)"
        )));
    }
    Ok(())
}

pub(crate) fn require_parent(caller: PartnerCaller, what: &str) -> Result<(), Refusal> {
    if caller.is_parent {
        Ok(())
    } else {
        Err(Refusal::new(
            RefusalKind::Forbidden,
            format!("Only a parent account key may {what}; this is a subaccount key."),
        ))
    }
}

/// A CertCentral account ID: ASCII digits only, fitting an `i64`.
fn parse_account_id(text: &str) -> Option<i64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

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
                r#"{"partner":{"accounts":[{"account_id":1,"name":"p","acme_contracts":[{}]}]}}"#,
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
