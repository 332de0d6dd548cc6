//! The Partner Subscriptions half of the sandbox's state: accounts and their keys,
//! emergency emails, settings, reporting and the finance link, and the rules DigiCert
//! documents for them. ACME contracts are in [`acme`].
//!
//! Indexes keep every write and lookup independent of how much state there is: accounts,
//! keys and contracts are maps by ID, and each account lists its own subaccounts, keys and
//! contracts. Lists cost in proportion to what they return.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Utc};
use digicert::partner::types as pt;
use digicert::{ApiKey, KeyScope};

use super::{
    AUTO_RENEW, AUTO_RENEW_DEFAULT, AUTO_RENEW_VALUES, PartnerCaller, Refusal, RefusalKind, State,
};
use crate::email;
use crate::log::{EmailChange, EmailOperation};
use crate::seed::PartnerSeed;
use crate::{KeyKind, SeededKey};

mod acme;

pub(crate) use acme::NewCredential;
use acme::{Contract, seed_contract};

/// The read-only setting through which an account reports its finance link (the
/// sandbox's choice: DigiCert documents no way to read the link back).
pub(crate) const BILLING_LINK: &str = "linked_billing_account_id";

/// The most emergency contact emails an account may have: the spec's `maxItems` of
/// `EmergencyContactEmails` (`x-inferred`: DigiCert documents no cap), held equal to it by
/// a test.
pub(crate) const MAX_EMERGENCY_EMAILS: usize = 100;

/// One Partner Subscriptions account.
#[derive(Debug, Clone, Default)]
pub(super) struct PartnerAccount {
    /// The parent account, for a subaccount.
    parent: Option<i64>,
    emails: Vec<String>,
    /// The `auto_renew_subscription` override; `None` means the system default.
    auto_renew: Option<String>,
    /// Its subaccounts (parent accounts only).
    children: BTreeSet<i64>,
    /// Its API keys, by key ID.
    keys: BTreeSet<i64>,
    /// Its ACME contracts, by contract ID (subaccounts only).
    contracts: BTreeSet<i64>,
    /// The CertCentral account it is billed to, once linked.
    billing_link: Option<i64>,
}

impl PartnerAccount {
    /// Whether its new ACME contracts renew automatically when the create request does
    /// not say: its `auto_renew_subscription`, which is off without an override.
    fn auto_renews_by_default(&self) -> bool {
        self.auto_renew
            .as_deref()
            .is_some_and(|value| value != AUTO_RENEW_DEFAULT)
    }
}

/// Partner data beside the accounts: key records and ACME contracts, by ID.
#[derive(Debug, Default)]
pub(super) struct PartnerData {
    keys: BTreeMap<i64, KeyRecord>,
    contracts: BTreeMap<i64, Contract>,
    next_contract_id: i64,
    next_credential_id: i64,
}

/// One Partner API key, without its value (that is only in `State::partner_keys`).
#[derive(Debug, Clone)]
struct KeyRecord {
    account_id: i64,
    name: String,
    active: bool,
    created_at: DateTime<Utc>,
    last_used: Option<DateTime<Utc>>,
    last4: String,
}

impl KeyRecord {
    fn new(account_id: i64, name: String, key: &ApiKey, created_at: DateTime<Utc>) -> Self {
        let chars: Vec<char> = key.expose().chars().collect();
        Self {
            account_id,
            name,
            active: true,
            created_at,
            last_used: None,
            last4: chars[chars.len().saturating_sub(4)..].iter().collect(),
        }
    }

    fn details(&self, id: i64) -> pt::ApiKeyDetails {
        pt::ApiKeyDetails {
            account_id: self.account_id,
            api_key_last4: self.last4.clone(),
            created_at: self.created_at,
            id,
            last_used_date: self.last_used,
            name: self.name.clone(),
            status: if self.active {
                pt::ApiKeyStatus::Active
            } else {
                pt::ApiKeyStatus::Inactive
            },
        }
    }
}

fn forbidden(message: impl Into<String>) -> Refusal {
    Refusal::new(RefusalKind::Forbidden, message)
}

fn not_found(message: impl Into<String>) -> Refusal {
    Refusal::new(RefusalKind::NotFound, message)
}

impl State {
    /// Loads the seed's Partner accounts, keys and contracts, checking its rules; each
    /// seeded key is claimed with `claim_key` (unique across both families) and listed in
    /// `keys`.
    pub(super) fn seed_partner(
        &mut self,
        seed: &PartnerSeed,
        claim_key: &mut dyn FnMut(&ApiKey, &str) -> Result<(), String>,
        keys: &mut Vec<SeededKey>,
    ) -> Result<(), String> {
        let now = self.clock.now();
        let parents: HashMap<i64, Option<i64>> = seed
            .accounts
            .iter()
            .map(|a| (a.account_id, a.parent_account_id))
            .collect();
        let mut contract_ids = HashSet::new();
        for account in &seed.accounts {
            let id = account.account_id;
            let whose = format!("partner account {id}");
            if self.partner.contains_key(&id) {
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
            if emails.len() > MAX_EMERGENCY_EMAILS {
                return Err(format!(
                    "{whose}: {} emergency contact emails; an account may have at most {MAX_EMERGENCY_EMAILS}",
                    emails.len()
                ));
            }
            let mut auto_renew = None;
            for (name, value) in &account.settings {
                check_setting(name, value).map_err(|r| format!("{whose}: {}", r.message))?;
                auto_renew = (value != AUTO_RENEW_DEFAULT).then(|| value.clone());
            }
            let mut record = PartnerAccount {
                parent: account.parent_account_id,
                emails,
                auto_renew,
                ..PartnerAccount::default()
            };
            for seeded in &account.api_keys {
                claim_key(&seeded.key, &whose)?;
                let key_id = self.next_partner_key_id;
                self.next_partner_key_id += 1;
                self.partner_keys
                    .insert(seeded.key.expose().to_owned(), key_id);
                self.partner_data.keys.insert(
                    key_id,
                    KeyRecord::new(id, seeded.name.clone(), &seeded.key, now),
                );
                record.keys.insert(key_id);
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
            for contract in &account.acme_contracts {
                let contract_id = contract.acme_contract_id;
                if !contract_ids.insert(contract_id) {
                    return Err(format!("ACME contract {contract_id} is seeded twice"));
                }
                let credential_id = self.next_credential_id();
                let built = seed_contract(id, contract, credential_id, now).map_err(|message| {
                    format!("{whose}, ACME contract {contract_id}: {message}")
                })?;
                self.partner_data.contracts.insert(contract_id, built);
                self.partner_data.next_contract_id =
                    self.partner_data.next_contract_id.max(contract_id + 1);
                record.contracts.insert(contract_id);
            }
            self.partner.insert(id, record);
            self.next_partner_account_id = self.next_partner_account_id.max(id + 1);
        }
        for account in &seed.accounts {
            if let Some(parent) = account.parent_account_id
                && let Some(parent) = self.partner.get_mut(&parent)
            {
                parent.children.insert(account.account_id);
            }
        }
        Ok(())
    }

    /// Authenticates a Partner request and checks the operation's key scope: 401 for a
    /// missing, unknown or inactive key, 403 for the wrong kind of key. A key that
    /// authenticates counts as used now (`last_used_date`), even if the request is then
    /// refused for another reason.
    pub(crate) fn authorize(
        &mut self,
        key: Option<&str>,
        scope: KeyScope,
        operation: &str,
    ) -> Result<PartnerCaller, Refusal> {
        let unauthorized = |message: &str| Refusal::new(RefusalKind::Unauthorized, message);
        let key = key.ok_or_else(|| {
            unauthorized(
                "The X-PARTNER-APIKEY header with a Partner Subscriptions API key is missing.",
            )
        })?;
        let Some(&key_id) = self.partner_keys.get(key) else {
            return Err(if self.certcentral_keys.contains_key(key) {
                unauthorized(
                    "This is a CertCentral API key; the Partner Subscriptions API accepts only Partner Subscriptions API keys.",
                )
            } else {
                unauthorized("The API key is not valid.")
            });
        };
        let now = self.clock.now();
        // Every key in `partner_keys` has a record; a missing one only keeps this total.
        let record = self
            .partner_data
            .keys
            .get_mut(&key_id)
            .ok_or_else(|| unauthorized("The API key is not valid."))?;
        if !record.active {
            return Err(unauthorized(
                "This API key is inactive. A key that may manage it (one of the same account, or of the parent account) can set it active again.",
            ));
        }
        record.last_used = Some(now);
        let account_id = record.account_id;
        let caller = PartnerCaller {
            account_id,
            is_parent: self
                .partner
                .get(&account_id)
                .is_some_and(|a| a.parent.is_none()),
        };
        check_scope(caller, scope, operation)?;
        Ok(caller)
    }

    fn account(&self, caller: PartnerCaller) -> Result<&PartnerAccount, Refusal> {
        // A key always belongs to a seeded or created account; this only keeps us total.
        self.partner
            .get(&caller.account_id)
            .ok_or_else(|| Refusal::new(RefusalKind::Unauthorized, "The API key is not valid."))
    }

    fn next_credential_id(&mut self) -> i64 {
        self.partner_data.next_credential_id += 1;
        self.partner_data.next_credential_id
    }

    /// `POST /account/subaccount` (parent keys): `new_key` is a fresh key no account
    /// uses. The subaccount starts with the given emails and the default settings.
    pub(crate) fn create_subaccount(
        &mut self,
        caller: PartnerCaller,
        request: pt::CreateSubaccountRequest,
        new_key: String,
    ) -> Result<pt::CreateSubaccountResponse, Refusal> {
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
        let api_key = new_api_key(new_key)?;
        let account_id = self.next_partner_account_id;
        self.next_partner_account_id += 1;
        let key_name: String = request.api_key_name.into();
        let key_id = self.add_key(account_id, key_name.clone(), &api_key);
        self.partner.insert(
            account_id,
            PartnerAccount {
                parent: Some(caller.account_id),
                emails: emails.clone(),
                keys: BTreeSet::from([key_id]),
                ..PartnerAccount::default()
            },
        );
        if let Some(parent) = self.partner.get_mut(&caller.account_id) {
            parent.children.insert(account_id);
        }
        Ok(pt::CreateSubaccountResponse {
            account_id,
            name: Some(request.name.into()),
            emergency_contact_emails: emails,
            api_key: pt::CreatedApiKey {
                api_key,
                id: Some(key_id),
                name: Some(key_name),
            },
        })
    }

    /// Records a new active key of `account_id` (not yet in the account's index) and
    /// returns its ID.
    fn add_key(&mut self, account_id: i64, name: String, key: &ApiKey) -> i64 {
        let key_id = self.next_partner_key_id;
        self.next_partner_key_id += 1;
        let now = self.clock.now();
        self.partner_keys.insert(key.expose().to_owned(), key_id);
        self.partner_data
            .keys
            .insert(key_id, KeyRecord::new(account_id, name, key, now));
        key_id
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

    /// `GET /account/settings`: `auto_renew_subscription` with its value and default
    /// flag, and, once the account has linked a billing account, the read-only
    /// [`BILLING_LINK`] with the CertCentral account ID.
    pub(crate) fn settings(&self, caller: PartnerCaller) -> Result<pt::AccountSettings, Refusal> {
        let account = self.account(caller)?;
        let mut settings = vec![pt::AccountSetting {
            name: AUTO_RENEW.to_owned(),
            value: account
                .auto_renew
                .clone()
                .unwrap_or_else(|| AUTO_RENEW_DEFAULT.to_owned()),
            is_default: account.auto_renew.is_none(),
        }];
        if let Some(billing) = account.billing_link {
            settings.push(pt::AccountSetting {
                name: BILLING_LINK.to_owned(),
                value: billing.to_string(),
                is_default: false,
            });
        }
        Ok(pt::AccountSettings { settings })
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

    /// `GET /account/reporting` (parent keys): the caller's subaccounts that have at least
    /// one ACME contract (canceled ones count), by account ID, each with its contracts by
    /// contract ID.
    pub(crate) fn acme_reporting(
        &self,
        caller: PartnerCaller,
    ) -> Result<pt::AcmeReporting, Refusal> {
        let now = self.clock.now();
        let accounts = self
            .account(caller)?
            .children
            .iter()
            .filter_map(|&account_id| {
                let account = self.partner.get(&account_id)?;
                let acme: Vec<_> = account
                    .contracts
                    .iter()
                    .filter_map(|id| Some(self.partner_data.contracts.get(id)?.summary(*id, now)))
                    .collect();
                (!acme.is_empty()).then_some(pt::SubaccountAcmeReport { account_id, acme })
            })
            .collect();
        Ok(pt::AcmeReporting { accounts })
    }

    /// Whether `caller` may see and manage the keys of `account_id`: its own account's, and
    /// for a parent key also its subaccounts'.
    fn manages(&self, caller: PartnerCaller, account_id: i64) -> bool {
        account_id == caller.account_id
            || (caller.is_parent
                && self
                    .partner
                    .get(&account_id)
                    .is_some_and(|a| a.parent == Some(caller.account_id)))
    }

    /// The record of key `id` if `caller` manages it: 404 for no such key, 403 for a key
    /// of another account.
    fn managed_key(&self, caller: PartnerCaller, id: i64) -> Result<&KeyRecord, Refusal> {
        let record = self
            .partner_data
            .keys
            .get(&id)
            .ok_or_else(|| not_found(format!("API key {id} was not found.")))?;
        if self.manages(caller, record.account_id) {
            Ok(record)
        } else {
            Err(forbidden(format!(
                "API key {id} belongs to an account this key may not manage (its own account{}).",
                if caller.is_parent {
                    " and its subaccounts"
                } else {
                    " only"
                }
            )))
        }
    }

    /// `GET /api-key`: the caller's account's keys and, for a parent key, every
    /// subaccount's keys, by key ID.
    pub(crate) fn list_api_keys(&self, caller: PartnerCaller) -> Result<pt::ApiKeyList, Refusal> {
        let account = self.account(caller)?;
        let mut ids: Vec<i64> = account.keys.iter().copied().collect();
        if caller.is_parent {
            for child in &account.children {
                if let Some(child) = self.partner.get(child) {
                    ids.extend(child.keys.iter().copied());
                }
            }
        }
        ids.sort_unstable();
        let api_keys = ids
            .into_iter()
            .filter_map(|id| Some(self.partner_data.keys.get(&id)?.details(id)))
            .collect();
        Ok(pt::ApiKeyList { api_keys })
    }

    /// `GET /api-key/{api_key_id}`.
    pub(crate) fn api_key(
        &self,
        caller: PartnerCaller,
        id: i64,
    ) -> Result<pt::ApiKeyDetails, Refusal> {
        Ok(self.managed_key(caller, id)?.details(id))
    }

    /// `POST /api-key/account/{account_id}` (parent keys): a new active key for one of the
    /// caller's subaccounts; `new_key` is a fresh key no account uses.
    pub(crate) fn create_api_key(
        &mut self,
        caller: PartnerCaller,
        account_id: i64,
        request: pt::CreateApiKeyRequest,
        new_key: String,
    ) -> Result<pt::CreatedApiKey, Refusal> {
        if request.name.trim().is_empty() {
            return Err(Refusal::invalid("name: must not be empty"));
        }
        let account = self
            .partner
            .get(&account_id)
            .ok_or_else(|| not_found(format!("Account {account_id} was not found.")))?;
        if account_id == caller.account_id {
            return Err(Refusal::invalid(format!(
                "account_id: {account_id} is the parent account itself; create_api_key makes keys for its subaccounts"
            )));
        }
        if account.parent != Some(caller.account_id) {
            return Err(forbidden(format!(
                "Account {account_id} is not a subaccount of this key's account."
            )));
        }
        let api_key = new_api_key(new_key)?;
        let name: String = request.name.into();
        let key_id = self.add_key(account_id, name.clone(), &api_key);
        if let Some(account) = self.partner.get_mut(&account_id) {
            account.keys.insert(key_id);
        }
        Ok(pt::CreatedApiKey {
            api_key,
            id: Some(key_id),
            name: Some(name),
        })
    }

    /// `PUT /api-key/{api_key_id}/status`: `active` or `inactive`, for a key the caller
    /// manages (its own included). Setting the current status again changes nothing.
    pub(crate) fn set_api_key_status(
        &mut self,
        caller: PartnerCaller,
        id: i64,
        update: pt::ApiKeyStatusUpdate,
    ) -> Result<(), Refusal> {
        let active = match &update.status {
            pt::ApiKeyStatus::Active => true,
            pt::ApiKeyStatus::Inactive => false,
            other => {
                return Err(Refusal::invalid(format!(
                    "status: \"{other}\" is not a status a key can be set to; use \"active\" or \"inactive\""
                )));
            }
        };
        self.managed_key(caller, id)?;
        if let Some(record) = self.partner_data.keys.get_mut(&id) {
            record.active = active;
        }
        Ok(())
    }

    /// `PUT /finance/account-link`: links the CertCentral account that owns
    /// `certcentral_key` (the `X-DC-DEVKEY` header) to the caller's account; 400 when it
    /// is missing or no CertCentral key the sandbox knows. A new link replaces the old.
    pub(crate) fn link_finance_account(
        &mut self,
        caller: PartnerCaller,
        certcentral_key: Option<&str>,
    ) -> Result<(), Refusal> {
        let key = certcentral_key.ok_or_else(|| {
            Refusal::invalid(
                "The X-DC-DEVKEY header is missing: linking a billing account needs the CertCentral API key of that account.",
            )
        })?;
        let billing = self.certcentral_caller(Some(key)).map_err(|_| {
            Refusal::invalid(
                "The CertCentral API key in X-DC-DEVKEY does not resolve to a CertCentral account.",
            )
        })?;
        self.account(caller)?;
        if let Some(account) = self.partner.get_mut(&caller.account_id) {
            account.billing_link = Some(billing);
        }
        Ok(())
    }
}

/// 403 unless the caller's kind of key is the one the operation's `x-key-scope` names.
fn check_scope(caller: PartnerCaller, scope: KeyScope, operation: &str) -> Result<(), Refusal> {
    match scope {
        KeyScope::Parent if !caller.is_parent => Err(forbidden(format!(
            "{operation} needs a parent account key; this is a subaccount key."
        ))),
        KeyScope::Subaccount if caller.is_parent => Err(forbidden(format!(
            "{operation} needs a subaccount key; this is a parent account key (ACME contracts belong to subaccounts)."
        ))),
        KeyScope::Parent | KeyScope::Subaccount | KeyScope::Any => Ok(()),
        other => Err(Refusal::new(
            RefusalKind::Internal,
            format!(
                "{operation} has the key scope `{}`, which the sandbox does not know",
                other.as_str()
            ),
        )),
    }
}

/// A fresh key as an `ApiKey` (500 if it is somehow not one).
fn new_api_key(new_key: String) -> Result<ApiKey, Refusal> {
    ApiKey::new(new_key).map_err(|_| {
        Refusal::new(
            RefusalKind::Internal,
            "The sandbox could not make an API key.",
        )
    })
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
            if after.len() > MAX_EMERGENCY_EMAILS {
                return Err(Refusal::invalid(format!(
                    "emergency_contact_emails: an account may have at most {MAX_EMERGENCY_EMAILS} emergency contact emails; this would make {}",
                    after.len()
                )));
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
    if out.len() > MAX_EMERGENCY_EMAILS {
        return Err(Refusal::invalid(format!(
            "{field}: at most {MAX_EMERGENCY_EMAILS} addresses; {} were sent",
            out.len()
        )));
    }
    Ok(out)
}

/// Appends `address` unless the list has it already (compared as [`email::comparable`]
/// does, without allocating).
fn add_unique(list: &mut Vec<String>, address: &str) {
    if !list.iter().any(|a| a.eq_ignore_ascii_case(address)) {
        list.push(address.to_owned());
    }
}

fn check_setting(name: &str, value: &str) -> Result<(), Refusal> {
    if name == BILLING_LINK {
        return Err(Refusal::invalid(format!(
            "name: {BILLING_LINK} is read-only; link a billing account with PUT /finance/account-link"
        )));
    }
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
