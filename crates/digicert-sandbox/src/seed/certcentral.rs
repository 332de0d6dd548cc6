//! The CertCentral parts of a [`Seed`](crate::Seed) beyond keys and subaccount records:
//! account settings, account managers and orders, and the 250 generated subaccounts of the
//! built-in seed (so that a list really has more than one page).

use chrono::{Duration, NaiveDate};
use digicert::services::types::{
    AccountType, OrganizationStatus, Price, Subaccount, SubaccountBillingContact,
    SubaccountContainer, SubaccountMasterUser, SubaccountOrder, SubaccountOrganization,
    SubaccountProducts,
};
use digicert::{DigicertDateTime, EmailList};
use serde::{Deserialize, Serialize};

/// What the sandbox keeps about one CertCentral account beyond its subaccount record.
/// The account may be a subaccount (seeded in `subaccounts`) or a top-level account (one
/// that owns keys or is the parent of seeded subaccounts, and has no record of its own).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CertCentralAccountSeed {
    /// The account.
    pub account_id: i64,
    /// A top-level account's name: the `billing_account_name` of subaccounts it creates
    /// (a subaccount's own record names its billing account). Default `Account <id>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Whether subaccounts are enabled for the account; `false` makes `POST /account`
    /// answer 403 `access_denied|missing_permission`. Default `true`.
    #[serde(default = "enabled")]
    pub may_create_subaccounts: bool,
    /// The account types it may create subaccounts of: what `allowed_grandchildren` said
    /// when its parent created it. Default: all four (`retail`, `enterprise`, `reseller`,
    /// `managed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_subaccount_types: Option<Vec<AccountType>>,
    /// Its `admin_email` list (`PUT /account`); none by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_email: Option<EmailList>,
    /// Its `emergency_emails` list (`PUT /account`); none by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emergency_emails: Option<EmailList>,
    /// A subaccount's products and prices, exactly as `GET .../products` serves them.
    /// Default: every product the sandbox knows, without prices, priced `default` in USD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub products: Option<SubaccountProducts>,
}

fn enabled() -> bool {
    true
}

impl CertCentralAccountSeed {
    /// An account with the defaults: subaccounts enabled, all four types allowed, no
    /// account emails, the default products.
    pub fn new(account_id: i64) -> Self {
        Self {
            account_id,
            name: None,
            may_create_subaccounts: true,
            allowed_subaccount_types: None,
            admin_email: None,
            emergency_emails: None,
            products: None,
        }
    }
}

/// A user that `account_manager_user_id` may name, and the name `account_manager` shows.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AccountManagerSeed {
    /// The user ID requests send.
    pub user_id: i64,
    /// The name subaccount info and the list show.
    pub name: String,
}

impl AccountManagerSeed {
    /// User `user_id`, shown as `name`.
    pub fn new(user_id: i64, name: impl Into<String>) -> Self {
        Self {
            user_id,
            name: name.into(),
        }
    }
}

/// One certificate order of a subaccount.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CertCentralOrderSeed {
    /// The order as `GET /account/subaccount/order` shows it to the subaccount's parent;
    /// `subaccount` names the seeded subaccount that placed it (its type and organization
    /// name must match that subaccount's record).
    pub order: SubaccountOrder,
    /// What the subaccount itself was charged, in its display currency (the report's
    /// `subaccount_price`); `order.order_price` is what its parent was billed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subaccount_price: Option<Price>,
}

impl CertCentralOrderSeed {
    /// An order without a subaccount price.
    pub fn new(order: SubaccountOrder) -> Self {
        Self {
            order,
            subaccount_price: None,
        }
    }
}

/// How many subaccounts [`generated_subaccounts`] makes.
const GENERATED: i64 = 250;
/// The first generated account ID.
const FIRST_GENERATED_ID: i64 = 1_130_000;
/// Their parent: the built-in seed's CertCentral account with a key.
const GENERATED_PARENT: &str = "1122331";

/// 250 direct subaccounts of account 1122331 (IDs 1130000 to 1130249), the same on every
/// run. Names, dates, types and managers vary so that no two sort orders agree: the names
/// are `<word> <word> <nnn>` from two short lists, the dates a permutation of the IDs over
/// 2019-2021, every seventh has no account manager.
pub(super) fn generated_subaccounts() -> Vec<Subaccount> {
    const FIRST: [&str; 10] = [
        "Acme",
        "Blue Harbor",
        "Cedar",
        "Delta",
        "Evergreen",
        "Fjord",
        "Granite",
        "Harbor Light",
        "Ironwood",
        "Juniper",
    ];
    const SECOND: [&str; 8] = [
        "Bakery",
        "Clinic",
        "Logistics",
        "Media",
        "Robotics",
        "Solar",
        "Textiles",
        "Vineyards",
    ];
    const TYPES: [&str; 4] = ["enterprise", "retail", "reseller", "enterprise"];
    const MANAGERS: [&str; 3] = ["Jim James", "Jill Valentine", "Rick Roll"];
    const CITIES: [(&str, &str); 4] = [
        ("Lehi", "Utah"),
        ("Toledo", "Ohio"),
        ("Austin", "Texas"),
        ("Portland", "Oregon"),
    ];
    let start = NaiveDate::from_ymd_opt(2019, 1, 1)
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .unwrap_or_default();
    (0..GENERATED)
        .map(|i| {
            let index = usize::try_from(i).unwrap_or_default();
            let account_id = FIRST_GENERATED_ID + i;
            let name = format!(
                "{} {} {i:03}",
                FIRST[index % FIRST.len()],
                SECOND[(index / FIRST.len()) % SECOND.len()]
            );
            // 97 and 250 are coprime: every generated account gets its own day.
            let created = start
                + Duration::days((i * 97) % GENERATED * 4)
                + Duration::hours((i * 37) % 24)
                + Duration::minutes((i * 13) % 60)
                + Duration::seconds((i * 7) % 60);
            let (city, state) = CITIES[index % CITIES.len()];
            let bill_parent = i % 4 == 0;
            let container_id = 20_000 + i;
            let first_name = format!("Admin{i:03}");
            let email = format!("admin{i:03}@sub{i:03}.example");
            let telephone = format!("555-01{:02}", i % 100);
            let active = i % 50 != 49;
            Subaccount {
                account_id,
                account_type: AccountType::from(TYPES[index % TYPES.len()]),
                organization_name: name.clone(),
                child_name: (i % 6 == 0).then(|| format!("Branch {i:03}")),
                date_created: DigicertDateTime::from(created),
                parent_account_id: GENERATED_PARENT.to_owned(),
                billing_account_name: if bill_parent {
                    "Billing Account, Inc.".to_owned()
                } else {
                    name.clone()
                },
                billing_account_id: if bill_parent { 1_122_328 } else { account_id },
                account_manager: (i % 7 != 6).then(|| MANAGERS[index % MANAGERS.len()].to_owned()),
                bill_parent,
                enforce_bill_parent: None,
                master_user: SubaccountMasterUser {
                    first_name: first_name.clone(),
                    last_name: "Example".to_owned(),
                    email: email.clone(),
                    job_title: "Administrator".to_owned(),
                    telephone: telephone.clone(),
                    i18n_language_id: "1".to_owned(),
                    container_id: container_id.to_string(),
                },
                organization: SubaccountOrganization {
                    id: 300_000 + i,
                    status: if active {
                        OrganizationStatus::Active
                    } else {
                        OrganizationStatus::Inactive
                    },
                    name: name.clone(),
                    address: format!("{} Example Street", i + 1),
                    zip: format!("{:05}", 10_000 + i),
                    city: city.to_owned(),
                    state: state.to_owned(),
                    country: "us".to_owned(),
                    telephone: telephone.clone(),
                    is_active: active,
                    container: SubaccountContainer {
                        id: container_id,
                        parent_id: 0,
                        name,
                        is_active: true,
                    },
                },
                billing_contact: SubaccountBillingContact {
                    name: format!("{first_name} Example"),
                    address: format!("{} Example Street", i + 1),
                    city: city.to_owned(),
                    state: state.to_owned(),
                    zip: format!("{:05}", 10_000 + i),
                    country: "us".to_owned(),
                    email,
                    phone: telephone,
                },
                max_allowed_multi_year_plan_length: (i % 10 == 0).then_some(3),
                allow_parent_order_renewal: i % 5 == 0,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn generated_subaccounts_are_distinct_where_sorting_needs_it() {
        let all = generated_subaccounts();
        assert_eq!(all.len(), 250);
        let ids: HashSet<i64> = all.iter().map(|s| s.account_id).collect();
        let names: HashSet<&str> = all.iter().map(|s| s.organization_name.as_str()).collect();
        let dates: HashSet<String> = all.iter().map(|s| s.date_created.to_string()).collect();
        assert_eq!((ids.len(), names.len(), dates.len()), (250, 250, 250));
        assert!(all.iter().any(|s| s.account_manager.is_none()));
        // Date order is not ID order, so a sort on the wrong key shows.
        assert!(
            !all.windows(2)
                .all(|pair| pair[0].date_created < pair[1].date_created)
        );
        // The same on every call.
        let again = generated_subaccounts();
        assert_eq!(
            serde_json::to_value(&all).unwrap(),
            serde_json::to_value(&again).unwrap()
        );
    }
}
