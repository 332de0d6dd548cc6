//! The CertCentral half of the sandbox's state: keys, the subaccount hierarchy and the
//! rules DigiCert documents for them.

use std::collections::HashSet;

use digicert::services::types::Subaccount;

use super::{Refusal, RefusalKind, State};

impl State {
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
    pub(super) fn ancestors(&self, id: i64) -> impl Iterator<Item = i64> + '_ {
        let mut seen = HashSet::new();
        let mut current = id;
        std::iter::from_fn(move || {
            let parent = *self.certcentral_parent.get(&current)?;
            current = parent;
            seen.insert(parent).then_some(parent)
        })
    }
}

/// A CertCentral account ID: ASCII digits only, fitting an `i64`.
pub(super) fn parse_account_id(text: &str) -> Option<i64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}
