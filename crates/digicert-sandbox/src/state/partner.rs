//! The Partner Subscriptions half of the sandbox's state: accounts, keys, emergency emails,
//! settings and ACME reporting, and the rules DigiCert documents for them.

use std::collections::HashSet;

use digicert::partner::types as pt;

use super::{
    AUTO_RENEW, AUTO_RENEW_DEFAULT, AUTO_RENEW_VALUES, PartnerAccount, PartnerCaller, Refusal,
    RefusalKind, State,
};
use crate::email;
use crate::log::{EmailChange, EmailOperation};

impl State {
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
pub(super) fn valid_list(addresses: &[String], field: &str) -> Result<Vec<String>, Refusal> {
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
pub(super) fn add_unique(list: &mut Vec<String>, address: &str) {
    let key = email::comparable(address);
    if !list.iter().any(|a| email::comparable(a) == key) {
        list.push(address.to_owned());
    }
}

pub(super) fn check_setting(name: &str, value: &str) -> Result<(), Refusal> {
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
