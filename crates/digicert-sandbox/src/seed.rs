//! [`Seed`]: the accounts, keys, contracts and subaccounts a sandbox starts with, as Rust
//! values or as JSON (the format of `--seed FILE`; `seed/default.json` is an example).

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use digicert::ApiKey;
use digicert::partner::types::{AcmeCertificate, AcmeOrganization};
use digicert::services::types::Subaccount;
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::state::State;

mod certcentral;

pub use certcentral::{AccountManagerSeed, CertCentralAccountSeed, CertCentralOrderSeed};

/// The built-in seed, apart from DigiCert's documented example subaccount.
const BUILTIN: &str = include_str!("../seed/default.json");
/// DigiCert's documented example of `GET /account/subaccount/{id}` (account 1122339 under
/// parent 1122331): the repository's test fixture, so the sandbox serves exactly it.
const DOCUMENTED_SUBACCOUNT: &str = include_str!("../seed/documented-subaccount.json");

/// Everything a sandbox starts with. Unknown fields are refused, so a typo in a seed file
/// is an error instead of silently missing data.
///
/// ```
/// use digicert_sandbox::Seed;
///
/// let seed = Seed::from_json(
///     r#"{"partner": {"accounts": [{
///         "account_id": 1, "name": "Parent",
///         "emergency_contact_emails": ["ops@parent.example"],
///         "api_keys": [{"name": "k", "key": "my-parent-key"}]
///     }]}}"#,
///     "example",
/// )?;
/// assert_eq!(seed.partner.accounts[0].name, "Parent");
/// # Ok::<(), digicert_sandbox::Error>(())
/// ```
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Seed {
    /// Partner Subscriptions API data.
    #[serde(default)]
    pub partner: PartnerSeed,
    /// CertCentral Services API data.
    #[serde(default)]
    pub certcentral: CertCentralSeed,
}

/// Partner Subscriptions accounts: parent accounts and their subaccounts.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PartnerSeed {
    /// The accounts, parents and subaccounts alike.
    #[serde(default)]
    pub accounts: Vec<PartnerAccountSeed>,
}

/// One Partner Subscriptions account.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PartnerAccountSeed {
    /// Account ID, unique among Partner accounts.
    pub account_id: i64,
    /// The parent account, for a subaccount; absent for a parent account. Subaccounts
    /// cannot have subaccounts (DigiCert: subaccounts cannot create subaccounts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_account_id: Option<i64>,
    /// Account name.
    pub name: String,
    /// Emergency contact emails; each must be a valid address.
    #[serde(default)]
    pub emergency_contact_emails: Vec<String>,
    /// Setting overrides by name (only `auto_renew_subscription`, `"0"` or `"1"`). A value
    /// equal to the system default is no override.
    #[serde(default)]
    pub settings: BTreeMap<String, String>,
    /// API keys of this account; a key of a parent account is a parent key.
    #[serde(default)]
    pub api_keys: Vec<ApiKeySeed>,
    /// ACME contracts (subaccounts only: ACME contracts belong to subaccounts).
    #[serde(default)]
    pub acme_contracts: Vec<AcmeContractSeed>,
}

impl PartnerAccountSeed {
    /// An account with a name and nothing else; set the other fields as needed.
    pub fn new(account_id: i64, name: impl Into<String>) -> Self {
        Self {
            account_id,
            parent_account_id: None,
            name: name.into(),
            emergency_contact_emails: Vec::new(),
            settings: BTreeMap::new(),
            api_keys: Vec::new(),
            acme_contracts: Vec::new(),
        }
    }
}

/// An ACME contract of a seeded subaccount: a real contract, served by every ACME operation
/// and counted in reporting, exactly like one created with `POST /acme`. It starts with
/// one EAB credential, issued at `created_at` (revoked if the contract is canceled).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AcmeContractSeed {
    /// Contract ID, unique among the seed's contracts.
    pub acme_contract_id: i64,
    /// A product the sandbox knows: `ssl_dv_rapidssl` (DV), `ssl_basic` (OV) or
    /// `ssl_ev_basic` (EV).
    pub product_name_id: String,
    /// The SANs it covers: 1 to 250 DNS names (`*.` wildcards allowed).
    pub sans: Vec<String>,
    /// When it was created; absent: when the sandbox starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    /// When its current term ends; absent: a year after `created_at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_till: Option<DateTime<Utc>>,
    /// When it was canceled; absent: it is active.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_canceled: Option<DateTime<Utc>>,
    /// Whether it renews automatically (default false).
    #[serde(default)]
    pub auto_renew: bool,
    /// The organization: required for OV and EV products, refused for DV.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<AcmeOrganization>,
    /// Whether DigiCert has validated the organization (default false; OV and EV only).
    #[serde(default)]
    pub is_organization_validated: bool,
    /// Certificates issued under it (the sandbox runs no ACME server, so these are the
    /// only certificates `GET /acme/{id}/certificates` ever lists).
    #[serde(default)]
    pub certificates: Vec<AcmeCertificate>,
}

impl AcmeContractSeed {
    /// An active contract for `product_name_id` covering `sans`, created when the sandbox
    /// starts; set the other fields as needed.
    pub fn new(
        acme_contract_id: i64,
        product_name_id: impl Into<String>,
        sans: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        Self {
            acme_contract_id,
            product_name_id: product_name_id.into(),
            sans: sans.into_iter().map(Into::into).collect(),
            created_at: None,
            valid_till: None,
            date_canceled: None,
            auto_renew: false,
            organization: None,
            is_organization_validated: false,
            certificates: Vec::new(),
        }
    }
}

/// A Partner API key of a seeded account.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ApiKeySeed {
    /// Key name.
    pub name: String,
    /// The key; unique across both families.
    pub key: ApiKey,
}

impl ApiKeySeed {
    /// A named key.
    pub fn new(name: impl Into<String>, key: ApiKey) -> Self {
        Self {
            name: name.into(),
            key,
        }
    }
}

/// CertCentral data: keys (each owned by an account) and subaccounts.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CertCentralSeed {
    /// CertCentral API keys and the accounts that own them.
    #[serde(default)]
    pub api_keys: Vec<CertCentralKeySeed>,
    /// Subaccounts, in the full shape of `GET /account/subaccount/{id}`; their
    /// `parent_account_id` (a string of digits) builds the account hierarchy.
    #[serde(default)]
    pub subaccounts: Vec<Subaccount>,
    /// What the sandbox keeps about an account beyond its subaccount record: whether it
    /// may create subaccounts and of which types, its account emails, its products. An
    /// account not listed here gets the defaults of [`CertCentralAccountSeed::new`].
    #[serde(default)]
    pub accounts: Vec<CertCentralAccountSeed>,
    /// The users that `account_manager_user_id` may name, and the `account_manager` name
    /// each one shows as.
    #[serde(default)]
    pub account_managers: Vec<AccountManagerSeed>,
    /// Certificate orders placed by subaccounts (`GET /account/subaccount/order` and the
    /// cost report).
    #[serde(default)]
    pub orders: Vec<CertCentralOrderSeed>,
}

/// A CertCentral API key and the account it belongs to.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CertCentralKeySeed {
    /// The account that owns the key; it acts on that account and every subaccount below.
    pub account_id: i64,
    /// Key name.
    pub name: String,
    /// The key; unique across both families.
    pub key: ApiKey,
}

impl CertCentralKeySeed {
    /// A named key of `account_id`.
    pub fn new(account_id: i64, name: impl Into<String>, key: ApiKey) -> Self {
        Self {
            account_id,
            name: name.into(),
            key,
        }
    }
}

impl Seed {
    /// No accounts, no keys: every request answers 401.
    pub fn empty() -> Self {
        Self::default()
    }

    /// The built-in seed (`seed/default.json`, DigiCert's documented example subaccount
    /// 1122339, and 250 generated subaccounts): a Partner parent account 67890 with three
    /// subaccounts (two with ACME contracts, one with an `auto_renew_subscription`
    /// override), one Partner key for the parent and one for subaccount 67891, and
    /// CertCentral account 1122331 with a key, 252 direct subaccounts (1122339, 1122340
    /// and the generated 1130000 to 1130249), a sub-subaccount (1122345), orders of
    /// several of them, and an unrelated subaccount (2233445).
    pub fn builtin() -> Self {
        // Both texts are compiled in and covered by this crate's tests; failing here is a
        // bug in this crate, never a problem with anyone's input.
        // The seed's orders name generated subaccounts, so the rules are checked once
        // everything is in.
        let mut seed = Self::parse(BUILTIN, "built-in").expect("the built-in seed parses");
        let documented: Subaccount = serde_json::from_str(DOCUMENTED_SUBACCOUNT)
            .expect("the documented example subaccount parses");
        seed.certcentral.subaccounts.insert(0, documented);
        seed.certcentral
            .subaccounts
            .extend(certcentral::generated_subaccounts());
        seed.check("built-in")
            .expect("the built-in seed follows the seed rules");
        seed
    }

    /// Seed data from JSON text, checked with [`Seed::validate`]; `origin` names it in
    /// errors (a file name, say).
    pub fn from_json(text: &str, origin: &str) -> Result<Self, Error> {
        let seed = Self::parse(text, origin)?;
        seed.check(origin)?;
        Ok(seed)
    }

    /// Seed data from JSON text, not yet checked against the seed rules.
    fn parse(text: &str, origin: &str) -> Result<Self, Error> {
        let deserializer = &mut serde_json::Deserializer::from_str(text);
        let seed: Self = serde_path_to_error::deserialize(deserializer).map_err(|err| {
            let path = err.path().to_string();
            Error::Seed {
                origin: origin.to_owned(),
                message: if path == "." {
                    err.inner().to_string()
                } else {
                    format!("{path}: {}", err.inner())
                },
            }
        })?;
        Ok(seed)
    }

    /// Checks the seed's rules (also done when a sandbox starts): valid email addresses,
    /// unique account IDs and keys, known parents, known settings and values, ACME
    /// contracts only on subaccounts, CertCentral parent IDs that are digits and form
    /// no cycle, CertCentral account settings for known accounts (once each, known
    /// account types, products only on subaccounts), unique account managers and orders,
    /// orders placed by seeded subaccounts. The error names the account, field or value at
    /// fault.
    pub fn validate(&self) -> Result<(), Error> {
        self.check("seed")
    }

    fn check(&self, origin: &str) -> Result<(), Error> {
        State::from_seed(self, false)
            .map(|_| ())
            .map_err(|message| Error::Seed {
                origin: origin.to_owned(),
                message,
            })
    }

    /// Seed data from a JSON file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| Error::SeedFile {
            path: path.to_owned(),
            source,
        })?;
        Self::from_json(&text, &path.display().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_seed_parses_and_holds_the_documented_example() {
        let seed = Seed::builtin();
        assert_eq!(seed.partner.accounts.len(), 4);
        let documented = &seed.certcentral.subaccounts[0];
        assert_eq!(documented.account_id, 1_122_339);
        assert_eq!(documented.parent_account_id, "1122331");
    }

    #[test]
    fn errors_name_the_field_and_never_the_key() {
        let err = Seed::from_json(
            r#"{"partner": {"accounts": [{"account_id": "x", "name": "n"}]}}"#,
            "test.json",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("test.json"), "{err}");
        assert!(err.contains("partner.accounts[0].account_id"), "{err}");

        let err = Seed::from_json(r#"{"partnr": {}}"#, "t")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `partnr`"), "{err}");

        let err = Seed::from_json(
            r#"{"certcentral": {"api_keys": [{"account_id": 1, "name": "n", "key": "has secret space"}]}}"#,
            "t",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("certcentral.api_keys[0].key"), "{err}");
        assert!(!err.contains("secret"), "{err}");
    }
}
