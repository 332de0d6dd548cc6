//! The CertCentral half of the sandbox's state: keys, the account tree (top-level accounts,
//! subaccounts and theirs), products and prices, orders, account emails, and the rules
//! DigiCert documents for them.
//!
//! Every account has one entry in a map by ID with its parent and its direct subaccounts;
//! orders are indexed by the account that placed them and by every account above it; and
//! each subaccount's row in the list is rendered as JSON when its record is written. So
//! lookups and writes cost the same however many accounts there are, and a list costs
//! what it filters, sorts and copies, never a walk of the tree or a serialisation per row.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use digicert::services::types::{
    AccountEmailsChange, AccountType, BalanceNegativeLimit, CreatedSubaccount, OrganizationStatus,
    Page, Price, PricingMethod, ProductPrice, Subaccount, SubaccountBillingContact,
    SubaccountContainer, SubaccountCreate, SubaccountMasterUser, SubaccountOrder,
    SubaccountOrganization, SubaccountProduct, SubaccountProducts, SubaccountProductsChange,
    SubaccountReport, SubaccountSummary, SubaccountUpdate,
};
use digicert::{ApiKey, DigicertDateTime, EmailList};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::{Refusal, RefusalKind, State};
use crate::email;
use crate::seed::CertCentralSeed;

/// The API string of a managed (API-only) subaccount. DigiCert documents managed
/// subaccounts but not their string; `managed` is the sandbox's choice.
pub(crate) const MANAGED: &str = "managed";
/// The account types the sandbox knows: the spec's known values (DigiCert's documented
/// strings) and [`MANAGED`]. Any other `account_type` is refused.
fn account_types() -> impl Iterator<Item = &'static str> {
    AccountType::KNOWN.iter().copied().chain([MANAGED])
}
/// The most items one page holds, and the page size when `limit` is left out: the spec's
/// `maximum` for both lists (a test checks that they agree).
pub(crate) const MAX_LIMIT: i64 = 1000;
/// The most characters `admin_email` may have, as sent (DigiCert documents 255).
const ADMIN_EMAIL_MAX: usize = 255;
/// The display currency of a subaccount that never set one.
const DEFAULT_CURRENCY: &str = "USD";
/// The products the sandbox knows, with their display names (the IDs and names of
/// DigiCert's examples, plus the two Basic products). A new subaccount has all of them.
pub(crate) const PRODUCTS: [(&str, &str); 7] = [
    ("ssl_plus", "Standard SSL"),
    ("ssl_multi_domain", "Multi-Domain SSL"),
    ("ssl_wildcard", "WildCard"),
    ("ssl_ev_plus", "EV SSL"),
    ("ssl_ev_multi_domain", "EV Multi-Domain"),
    ("ssl_basic", "Basic OV"),
    ("ssl_ev_basic", "Basic EV"),
];
/// What `GET /account/subaccount` sorts by (DigiCert's list).
pub(crate) const SUBACCOUNT_SORT_KEYS: &[&str] = &[
    "account_id",
    "account_type",
    "organization_name",
    "date_created",
    "account_manager",
];
/// What `GET /account/subaccount/order` sorts by (DigiCert's list).
pub(crate) const ORDER_SORT_KEYS: &[&str] = &[
    "id",
    "common_name",
    "product_name_id",
    "date_created",
    "validity_years",
];

/// One CertCentral account: a top-level account (it owns keys or parents seeded
/// subaccounts, and has no record of its own) or a subaccount (with its record).
#[derive(Debug, Clone)]
struct Account {
    parent: Option<i64>,
    /// The record `GET /account/subaccount/{id}` shows; `None` for a top-level account.
    /// Set only through [`Account::set_info`] and [`CertCentral::update_info`], which keep
    /// `row` in step with it.
    info: Option<Subaccount>,
    /// The record's row in `GET /account/subaccount`, rendered when the record is written,
    /// so that a list copies rows instead of building and serialising each one again.
    row: Option<Box<RawValue>>,
    /// Direct subaccounts.
    children: BTreeSet<i64>,
    /// The types it may create subaccounts of (`allowed_grandchildren` of its creation).
    allowed_types: BTreeSet<String>,
    /// Whether subaccounts are enabled for it at all.
    may_create_subaccounts: bool,
    /// A top-level account's name, for the billing account of the subaccounts it creates.
    name: Option<String>,
    /// `admin_email` and `emergency_emails`, as last set.
    emails: AccountEmailsChange,
    products: SubaccountProducts,
    /// Orders it placed, by ID.
    orders: Vec<i64>,
    /// Orders placed anywhere below it, by ID, each with whether a direct subaccount placed
    /// it: what its order list shows, without walking the tree on every request (orders
    /// come only from the seed, so this is built once).
    orders_below: Vec<(i64, bool)>,
}

impl Account {
    /// Sets the subaccount record, and renders its list row.
    fn set_info(&mut self, info: Subaccount) {
        self.row = render_row(&info);
        self.info = Some(info);
    }

    fn new() -> Self {
        Self {
            parent: None,
            info: None,
            row: None,
            children: BTreeSet::new(),
            allowed_types: account_types().map(str::to_owned).collect(),
            may_create_subaccounts: true,
            name: None,
            emails: AccountEmailsChange::default(),
            products: default_products(),
            orders: Vec::new(),
            orders_below: Vec::new(),
        }
    }
}

/// One seeded order and what its subaccount was charged.
#[derive(Debug, Clone)]
struct Order {
    order: SubaccountOrder,
    subaccount_price: Option<Price>,
    /// The order as an account above its subaccount's parent sees it (no certificate or
    /// organization details).
    from_above: SubaccountOrder,
    /// `order` and `from_above` as rows of the order list, rendered once.
    rows: Option<(Box<RawValue>, Box<RawValue>)>,
}

impl Order {
    fn new(order: SubaccountOrder, subaccount_price: Option<Price>) -> Self {
        let mut from_above = order.clone();
        from_above.certificate = None;
        from_above.organization = None;
        let rows = serde_json::value::to_raw_value(&order)
            .ok()
            .zip(serde_json::value::to_raw_value(&from_above).ok());
        Self {
            order,
            subaccount_price,
            from_above,
            rows,
        }
    }

    /// The order as the parent of its subaccount (`direct`) or an account further up sees
    /// it, and that view's list row.
    fn seen(&self, direct: bool) -> Option<(&SubaccountOrder, &RawValue)> {
        let (full, partial) = self.rows.as_ref()?;
        Some(if direct {
            (&self.order, full)
        } else {
            (&self.from_above, partial)
        })
    }
}

/// Every CertCentral account, order and account manager.
#[derive(Debug, Clone, Default)]
pub(super) struct CertCentral {
    accounts: HashMap<i64, Account>,
    orders: HashMap<i64, Order>,
    /// User ID -> the name `account_manager` shows.
    managers: HashMap<i64, String>,
    next_account_id: i64,
    next_organization_id: i64,
    next_container_id: i64,
}

impl CertCentral {
    /// Checks the CertCentral part of a seed and builds it. `key_owners` are the accounts
    /// of the seeded keys (each becomes an account if nothing else makes it one).
    pub(super) fn from_seed(
        seed: &CertCentralSeed,
        key_owners: impl IntoIterator<Item = i64>,
    ) -> Result<Self, String> {
        let mut cc = CertCentral {
            next_account_id: 1,
            next_organization_id: 1,
            next_container_id: 1,
            ..CertCentral::default()
        };
        for subaccount in &seed.subaccounts {
            let id = subaccount.account_id;
            let whose = format!("certcentral subaccount {id}");
            if cc.accounts.get(&id).is_some_and(|a| a.info.is_some()) {
                return Err(format!("{whose} is seeded twice"));
            }
            let parent = parse_account_id(&subaccount.parent_account_id).ok_or_else(|| {
                format!(
                    "{whose}: parent_account_id \"{}\" is not an account ID (digits only)",
                    subaccount.parent_account_id
                )
            })?;
            let account = cc.account_entry(id);
            account.parent = Some(parent);
            account.set_info(subaccount.clone());
            cc.account_entry(parent).children.insert(id);
            cc.next_organization_id = cc
                .next_organization_id
                .max(subaccount.organization.id.saturating_add(1));
            cc.next_container_id = cc
                .next_container_id
                .max(subaccount.organization.container.id.saturating_add(1));
        }
        let ids: Vec<i64> = cc.accounts.keys().copied().collect();
        for id in ids {
            if cc.ancestors(id).any(|ancestor| ancestor == id) {
                return Err(format!(
                    "certcentral subaccount {id} is its own ancestor (parent_account_id cycle)"
                ));
            }
        }
        for owner in key_owners {
            cc.account_entry(owner);
        }

        let mut configured = HashSet::new();
        for settings in &seed.accounts {
            let id = settings.account_id;
            let whose = format!("certcentral account {id}");
            if !configured.insert(id) {
                return Err(format!("{whose} has two entries in accounts"));
            }
            let Some(account) = cc.accounts.get_mut(&id) else {
                return Err(format!(
                    "{whose} in accounts is not a seeded subaccount, a parent of one or the owner of a key"
                ));
            };
            if let Some(types) = &settings.allowed_subaccount_types {
                let mut allowed = BTreeSet::new();
                for (index, kind) in types.iter().enumerate() {
                    let field = format!("allowed_subaccount_types[{index}]");
                    allowed.insert(known_type(kind, &field).map_err(|r| r.message)?);
                }
                account.allowed_types = allowed;
            }
            account.may_create_subaccounts = settings.may_create_subaccounts;
            account.name.clone_from(&settings.name);
            let emails = AccountEmailsChange {
                admin_email: settings.admin_email.clone(),
                emergency_emails: settings.emergency_emails.clone(),
            };
            let written = WrittenEmails {
                admin_email: emails.admin_email.as_ref().map(ToString::to_string),
            };
            account.emails = checked_emails(&written, &emails, &AccountEmailsChange::default())
                .map_err(|r| format!("{whose}: {}", r.message))?;
            if let Some(products) = &settings.products {
                if account.info.is_none() {
                    return Err(format!(
                        "{whose}: products belong to subaccounts, and this is a top-level account"
                    ));
                }
                account.products = products.clone();
            }
        }

        for manager in &seed.account_managers {
            if manager.name.trim().is_empty() {
                return Err(format!(
                    "certcentral account manager {}: the name is empty",
                    manager.user_id
                ));
            }
            if cc
                .managers
                .insert(manager.user_id, manager.name.clone())
                .is_some()
            {
                return Err(format!(
                    "certcentral account manager {} is seeded twice",
                    manager.user_id
                ));
            }
        }

        for seeded in &seed.orders {
            let order = &seeded.order;
            let whose = format!("certcentral order {}", order.id);
            if cc.orders.contains_key(&order.id) {
                return Err(format!("{whose} is seeded twice"));
            }
            let placed_by = order.subaccount.account_id;
            let Some(info) = cc.accounts.get(&placed_by).and_then(|a| a.info.as_ref()) else {
                return Err(format!(
                    "{whose}: subaccount {placed_by} is not a seeded subaccount"
                ));
            };
            if info.account_type != order.subaccount.account_type
                || info.organization_name != order.subaccount.organization_name
            {
                return Err(format!(
                    "{whose}: subaccount.account_type and organization_name must be those of subaccount {placed_by} ({}, \"{}\")",
                    info.account_type, info.organization_name
                ));
            }
            cc.account_entry(placed_by).orders.push(order.id);
            let ancestors: Vec<i64> = cc.ancestors(placed_by).collect();
            for (depth, ancestor) in ancestors.into_iter().enumerate() {
                cc.account_entry(ancestor)
                    .orders_below
                    .push((order.id, depth == 0));
            }
            cc.orders.insert(
                order.id,
                Order::new(order.clone(), seeded.subaccount_price.clone()),
            );
        }
        Ok(cc)
    }

    /// How many subaccounts there are (for `Debug`).
    pub(super) fn subaccount_count(&self) -> usize {
        self.accounts.values().filter(|a| a.info.is_some()).count()
    }

    /// The account `id`, made a (top-level) account if it was none; keeps new IDs above it.
    fn account_entry(&mut self, id: i64) -> &mut Account {
        self.next_account_id = self.next_account_id.max(id.saturating_add(1));
        self.accounts.entry(id).or_insert_with(Account::new)
    }

    /// The parent, grandparent, ... of an account; after as many steps as there are
    /// accounts it stops, so a cycle cannot loop forever (and yields the account itself,
    /// which is how the seed check finds one).
    fn ancestors(&self, id: i64) -> impl Iterator<Item = i64> + '_ {
        // The seed refuses cycles; the step bound only keeps a bug from looping forever,
        // without allocating on every request as a visited set would.
        let mut steps = self.accounts.len();
        let mut current = id;
        std::iter::from_fn(move || {
            steps = steps.checked_sub(1)?;
            let parent = self.accounts.get(&current)?.parent?;
            current = parent;
            Some(parent)
        })
    }

    /// The caller's account. Every key belongs to an account (seeded or created), so this
    /// only keeps the code total.
    fn caller(&self, caller: i64) -> Result<&Account, Refusal> {
        self.accounts
            .get(&caller)
            .ok_or_else(|| Refusal::new(RefusalKind::Unauthorized, "The API key is not valid."))
    }

    /// A subaccount the caller may act on, from the raw path segment: 400 for an ID that
    /// is not an integer, 404 for no such subaccount, 403 for one outside the caller's
    /// hierarchy (not below the caller's account, at any depth).
    fn in_scope(&self, caller: i64, raw_id: &str) -> Result<i64, Refusal> {
        let id = subaccount_id(raw_id)?;
        if self
            .accounts
            .get(&id)
            .and_then(|a| a.info.as_ref())
            .is_none()
        {
            return Err(Refusal::new(
                RefusalKind::NotFound,
                format!("Subaccount {id} was not found."),
            ));
        }
        if !self.ancestors(id).any(|ancestor| ancestor == caller) {
            return Err(Refusal::new(
                RefusalKind::Forbidden,
                format!("Subaccount {id} is not in your account's hierarchy."),
            ));
        }
        Ok(id)
    }

    /// Changes the record of a subaccount [`CertCentral::in_scope`] returned with
    /// `change`, and renders its list row again.
    fn update_info(
        &mut self,
        id: i64,
        change: impl FnOnce(&mut Subaccount),
    ) -> Result<(), Refusal> {
        let account = self
            .accounts
            .get_mut(&id)
            .filter(|a| a.info.is_some())
            .ok_or_else(|| {
                Refusal::new(
                    RefusalKind::NotFound,
                    format!("Subaccount {id} was not found."),
                )
            })?;
        if let Some(info) = account.info.as_mut() {
            change(info);
            account.row = render_row(info);
        }
        Ok(())
    }

    /// The name of account manager `user_id`: 400 for a user the sandbox does not know.
    fn manager(&self, user_id: i64, field: &str) -> Result<String, Refusal> {
        self.managers.get(&user_id).cloned().ok_or_else(|| {
            Refusal::invalid(format!(
                "{field}: there is no user {user_id} who can manage subaccounts"
            ))
        })
    }

    /// Whether account `parent` makes its subaccounts bill it (`enforce_bill_parent`).
    fn parent_enforces_billing(&self, parent: i64) -> bool {
        self.accounts
            .get(&parent)
            .and_then(|a| a.info.as_ref())
            .and_then(|info| info.enforce_bill_parent)
            .unwrap_or(false)
    }
}

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

    /// `GET /account/subaccount/{id}`: the record of a subaccount below the caller.
    pub(crate) fn subaccount(&self, caller: i64, raw_id: &str) -> Result<&Subaccount, Refusal> {
        let id = self.certcentral.in_scope(caller, raw_id)?;
        let account = &self.certcentral.accounts[&id];
        account.info.as_ref().ok_or_else(|| {
            Refusal::new(
                RefusalKind::NotFound,
                format!("Subaccount {id} was not found."),
            )
        })
    }

    /// `GET /account/subaccount`: the caller's direct subaccounts, filtered, sorted, paged.
    ///
    /// The rows are the ones rendered when each record was written (see
    /// [`SubaccountRows`]).
    pub(crate) fn list_subaccounts(
        &self,
        caller: i64,
        query: &ListQuery,
    ) -> Result<SubaccountRows<'_>, Refusal> {
        let account = self.certcentral.caller(caller)?;
        let mut rows: Vec<(&Subaccount, &RawValue)> = Vec::with_capacity(account.children.len());
        for id in &account.children {
            let Some(child) = self.certcentral.accounts.get(id) else {
                continue;
            };
            let Some(info) = &child.info else {
                continue;
            };
            let row = child.row.as_deref().ok_or_else(|| {
                Refusal::new(
                    RefusalKind::Internal,
                    format!("The sandbox could not render subaccount {id} as a list row."),
                )
            })?;
            if query.matches(&info.organization_name) {
                rows.push((info, row));
            }
        }
        if !query.sort.is_empty() {
            rows.sort_by(|(a, _), (b, _)| {
                query
                    .compare(|key| compare_subaccounts(key, a, b))
                    .then(a.account_id.cmp(&b.account_id))
            });
        }
        // Without `sort`, `children` already holds them by account ID.
        let (items, page) = query.page(rows);
        Ok(SubaccountRows {
            subaccounts: items.into_iter().map(|(_, row)| row).collect(),
            page,
        })
    }

    /// `GET /account/subaccount/order`: the orders of every subaccount below the caller,
    /// at any depth, sorted and paged; certificate and organization details only for
    /// orders of the caller's direct subaccounts.
    pub(crate) fn list_subaccount_orders(
        &self,
        caller: i64,
        query: &ListQuery,
    ) -> Result<OrderRows<'_>, Refusal> {
        let cc = &self.certcentral;
        // The orders as the caller sees them, which is also what they sort by.
        let below = &cc.caller(caller)?.orders_below;
        let mut rows: Vec<(&SubaccountOrder, &RawValue)> = Vec::with_capacity(below.len());
        for (id, direct) in below {
            let Some(order) = cc.orders.get(id) else {
                continue;
            };
            rows.push(order.seen(*direct).ok_or_else(|| {
                Refusal::new(
                    RefusalKind::Internal,
                    format!("The sandbox could not render order {id} as a list row."),
                )
            })?);
        }
        rows.sort_by(|(a, _), (b, _)| {
            query
                .compare(|key| compare_orders(key, a, b))
                .then(a.id.cmp(&b.id))
        });
        let (items, page) = query.page(rows);
        Ok(OrderRows {
            orders: items.into_iter().map(|(_, row)| row).collect(),
            page,
        })
    }

    /// Refuses with 403 `access_denied|missing_permission` when subaccounts are not
    /// enabled for the caller's account (checked before the body is read).
    pub(crate) fn require_subaccount_creation(&self, caller: i64) -> Result<(), Refusal> {
        if self.certcentral.caller(caller)?.may_create_subaccounts {
            Ok(())
        } else {
            Err(Refusal::new(
                RefusalKind::Forbidden,
                "Subaccounts are not enabled for your account; ask your account representative to enable them.",
            ))
        }
    }

    /// `POST /account`: a new direct subaccount of the caller. `new_key` is a fresh key no
    /// account uses; it becomes the subaccount's key only if the type is `managed`.
    pub(crate) fn certcentral_create_subaccount(
        &mut self,
        caller: i64,
        request: SubaccountCreate,
        new_key: String,
    ) -> Result<CreatedSubaccount, Refusal> {
        self.require_subaccount_creation(caller)?;
        let cc = &self.certcentral;
        // 400: what is wrong with the request itself.
        let account_type = known_type(&request.account_type, "account_type")?;
        let mut allowed = BTreeSet::new();
        for (index, kind) in request.allowed_grandchildren.iter().enumerate() {
            allowed.insert(known_type(
                kind,
                &format!("allowed_grandchildren[{index}]"),
            )?);
        }
        let user = &request.user;
        let organization = &request.organization;
        for (field, value) in [
            ("user.first_name", user.first_name.as_str()),
            ("user.last_name", user.last_name.as_str()),
            ("organization.name", organization.name.as_str()),
            ("organization.address", organization.address.as_str()),
            ("organization.zip", organization.zip.as_str()),
            ("organization.city", organization.city.as_str()),
            ("organization.state", organization.state.as_str()),
            ("organization.telephone", organization.telephone.as_str()),
        ] {
            if value.trim().is_empty() {
                return Err(Refusal::invalid(format!("{field}: must not be blank")));
            }
        }
        if !email::is_valid(&user.email) {
            return Err(Refusal::invalid(format!(
                "user.email: \"{}\" is not a valid email address",
                user.email
            )));
        }
        let country = organization.country.as_str();
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(Refusal::invalid(format!(
                "organization.country: \"{country}\" is not a two-letter country code"
            )));
        }
        if let Some(years) = request.max_allowed_multi_year_plan_length
            && years < 1
        {
            return Err(Refusal::invalid(
                "max_allowed_multi_year_plan_length: must be 1 or more (years)",
            ));
        }
        let manager = request
            .account_manager_user_id
            .map(|id| cc.manager(id, "account_manager_user_id"))
            .transpose()?;
        // 403: what the caller's account may not do.
        let creator = cc.caller(caller)?;
        if !creator.allowed_types.contains(&account_type) {
            let may: Vec<&str> = creator.allowed_types.iter().map(String::as_str).collect();
            return Err(Refusal::new(
                RefusalKind::Forbidden,
                format!(
                    "Your account may not create {account_type} subaccounts; it may create: {}.",
                    if may.is_empty() {
                        "none".to_owned()
                    } else {
                        may.join(", ")
                    }
                ),
            ));
        }
        let enforced = cc.parent_enforces_billing(caller);
        let bill_parent = match request.bill_parent {
            Some(false) if enforced => {
                return Err(Refusal::new(
                    RefusalKind::Forbidden,
                    "Your account may only create subaccounts that bill their parent (enforce_bill_parent); send bill_parent true or leave it out.",
                ));
            }
            Some(bill) => bill,
            None => enforced,
        };
        let api_key = if account_type == MANAGED {
            Some(ApiKey::new(new_key).map_err(|_| {
                Refusal::new(
                    RefusalKind::Internal,
                    "The sandbox could not make an API key.",
                )
            })?)
        } else {
            None
        };

        // Apply.
        let (billing_account_id, billing_account_name) = match &creator.info {
            Some(info) => (info.billing_account_id, info.billing_account_name.clone()),
            None => (
                caller,
                creator
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("Account {caller}")),
            ),
        };
        let parent_container = creator
            .info
            .as_ref()
            .map_or(0, |info| info.organization.container.id);
        let date_created = DigicertDateTime::from(self.clock.now().naive_utc());
        let cc = &mut self.certcentral;
        let id = cc.next_account_id;
        let organization_id = cc.next_organization_id;
        let container_id = cc.next_container_id;
        let exhausted = |what: &str| {
            Refusal::new(
                RefusalKind::Internal,
                format!("The sandbox has no {what} IDs left (the seed uses the largest ones)."),
            )
        };
        if cc.accounts.contains_key(&id) {
            return Err(exhausted("account"));
        }
        let next_organization_id = organization_id
            .checked_add(1)
            .ok_or_else(|| exhausted("organization"))?;
        let next_container_id = container_id
            .checked_add(1)
            .ok_or_else(|| exhausted("container"))?;
        cc.next_organization_id = next_organization_id;
        cc.next_container_id = next_container_id;
        let country = country.to_ascii_lowercase();
        let info = Subaccount {
            account_id: id,
            account_type: AccountType::from(account_type.as_str()),
            organization_name: organization.name.to_string(),
            child_name: request.child_name.as_ref().map(|name| name.to_string()),
            date_created,
            parent_account_id: caller.to_string(),
            billing_account_name,
            billing_account_id,
            account_manager: manager,
            bill_parent,
            enforce_bill_parent: request.enforce_bill_parent,
            master_user: SubaccountMasterUser {
                first_name: user.first_name.to_string(),
                last_name: user.last_name.to_string(),
                email: user.email.clone(),
                job_title: user.job_title.clone().unwrap_or_default(),
                telephone: user.telephone.clone().unwrap_or_default(),
                i18n_language_id: "1".to_owned(),
                container_id: container_id.to_string(),
            },
            organization: SubaccountOrganization {
                id: organization_id,
                status: OrganizationStatus::Active,
                name: organization.name.to_string(),
                address: organization.address.to_string(),
                zip: organization.zip.to_string(),
                city: organization.city.to_string(),
                state: organization.state.to_string(),
                country: country.clone(),
                telephone: organization.telephone.to_string(),
                is_active: true,
                container: SubaccountContainer {
                    id: container_id,
                    parent_id: parent_container,
                    name: organization.name.to_string(),
                    is_active: true,
                },
            },
            billing_contact: SubaccountBillingContact {
                name: format!("{} {}", &*user.first_name, &*user.last_name),
                address: organization.address.to_string(),
                city: organization.city.to_string(),
                state: organization.state.to_string(),
                zip: organization.zip.to_string(),
                country,
                email: user.email.clone(),
                phone: organization.telephone.to_string(),
            },
            max_allowed_multi_year_plan_length: request.max_allowed_multi_year_plan_length,
            allow_parent_order_renewal: false,
        };
        let account = cc.account_entry(id);
        account.parent = Some(caller);
        account.set_info(info);
        account.allowed_types = allowed;
        cc.account_entry(caller).children.insert(id);
        if let Some(key) = &api_key {
            self.certcentral_keys.insert(key.expose().to_owned(), id);
        }
        Ok(CreatedSubaccount { id, api_key })
    }

    /// `PUT /account/subaccount/{id}`: changes the fields sent; with
    /// `allow_removing_account_manager` true and no `account_manager_user_id`, removes
    /// the account manager.
    pub(crate) fn update_subaccount(
        &mut self,
        caller: i64,
        raw_id: &str,
        change: SubaccountUpdate,
    ) -> Result<(), Refusal> {
        let cc = &self.certcentral;
        let id = cc.in_scope(caller, raw_id)?;
        let manager = match (
            change.account_manager_user_id,
            change.allow_removing_account_manager,
        ) {
            (Some(user), _) => Some(Some(cc.manager(user, "account_manager_user_id")?)),
            (None, Some(true)) => Some(None),
            (None, _) => None,
        };
        let parent = cc
            .accounts
            .get(&id)
            .and_then(|a| a.parent)
            .unwrap_or(caller);
        if change.bill_parent == Some(false) && cc.parent_enforces_billing(parent) {
            return Err(Refusal::new(
                RefusalKind::Forbidden,
                format!(
                    "Subaccount {id} must bill its parent: account {parent} enforces bill_parent for its subaccounts."
                ),
            ));
        }
        self.certcentral.update_info(id, |info| {
            if let Some(manager) = manager {
                info.account_manager = manager;
            }
            if let Some(bill) = change.bill_parent {
                info.bill_parent = bill;
            }
            if let Some(name) = change.child_name {
                info.child_name = Some(name.to_string());
            }
            if let Some(renew) = change.allow_parent_order_renewal {
                info.allow_parent_order_renewal = renew;
            }
        })
    }

    /// `GET /account/subaccount/{id}/products`.
    pub(crate) fn subaccount_products(
        &self,
        caller: i64,
        raw_id: &str,
    ) -> Result<&SubaccountProducts, Refusal> {
        let id = self.certcentral.in_scope(caller, raw_id)?;
        Ok(&self.certcentral.accounts[&id].products)
    }

    /// `PUT /account/subaccount/{id}/products`: replaces the whole product list (an empty
    /// list disables every product) and sets the pricing settings sent. The currency
    /// changes only for a subaccount that bills its parent.
    pub(crate) fn set_subaccount_products(
        &mut self,
        caller: i64,
        raw_id: &str,
        change: SubaccountProductsChange,
    ) -> Result<(), Refusal> {
        let id = self.certcentral.in_scope(caller, raw_id)?;
        let mut products = Vec::with_capacity(change.products.len());
        let mut seen = HashSet::new();
        for (index, product) in change.products.iter().enumerate() {
            let field = format!("products[{index}]");
            let wanted = product.product_name_id.as_str();
            let Some((product_id, name)) = PRODUCTS.iter().find(|(known, _)| *known == wanted)
            else {
                let known: Vec<&str> = PRODUCTS.iter().map(|(id, _)| *id).collect();
                return Err(Refusal::invalid(format!(
                    "{field}.product_name_id: unknown product \"{wanted}\"; the sandbox knows {}",
                    known.join(", ")
                )));
            };
            if !seen.insert(*product_id) {
                return Err(Refusal::invalid(format!(
                    "{field}.product_name_id: \"{wanted}\" is listed twice"
                )));
            }
            let mut lifetimes = HashSet::new();
            let mut prices = Vec::with_capacity(product.prices.len());
            for (at, price) in product.prices.iter().enumerate() {
                let field = format!("{field}.prices[{at}]");
                if price.lifetime < 1 {
                    return Err(Refusal::invalid(format!(
                        "{field}.lifetime: must be 1 or more (years)"
                    )));
                }
                if !lifetimes.insert(price.lifetime) {
                    return Err(Refusal::invalid(format!(
                        "{field}.lifetime: {} years is priced twice",
                        price.lifetime
                    )));
                }
                for (name, cost) in [
                    ("cost", Some(price.cost)),
                    ("additional_fqdn_cost", price.additional_fqdn_cost),
                    ("additional_wildcard_cost", price.additional_wildcard_cost),
                ] {
                    if cost.is_some_and(|c| c < 0.0) {
                        return Err(Refusal::invalid(format!(
                            "{field}.{name}: must not be negative"
                        )));
                    }
                }
                prices.push(ProductPrice {
                    lifetime: price.lifetime,
                    cost: price.cost,
                    additional_fqdn_cost: price.additional_fqdn_cost,
                    additional_wildcard_cost: price.additional_wildcard_cost,
                });
            }
            products.push(SubaccountProduct {
                product_name_id: (*product_id).to_owned(),
                product_name: (*name).to_owned(),
                product_shim_map: Vec::new(),
                prices,
                unit: None,
            });
        }
        if let Some(method) = &change.pricing_method
            && !PricingMethod::KNOWN.contains(&method.as_str())
        {
            return Err(Refusal::invalid(format!(
                "pricing_method: unknown method \"{method}\"; use one of {}",
                PricingMethod::KNOWN.join(", ")
            )));
        }
        if change.balance_negative_limit.is_some_and(|limit| limit < 0) {
            return Err(Refusal::invalid(
                "balance_negative_limit: must not be negative",
            ));
        }
        let currency = change.currency.as_ref().map(|c| c.as_str());
        if let Some(code) = currency
            && (code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()))
        {
            return Err(Refusal::invalid(format!(
                "currency: \"{code}\" is not a three-letter currency code such as USD"
            )));
        }
        let bills_parent = self
            .certcentral
            .accounts
            .get(&id)
            .and_then(|a| a.info.as_ref())
            .is_some_and(|info| info.bill_parent);
        let account = self.certcentral.account_entry(id);
        account.products.products = products;
        if let Some(method) = change.pricing_method {
            account.products.pricing_method = method;
        }
        if let Some(limit) = change.balance_negative_limit {
            account.products.balance_negative_limit = BalanceNegativeLimit::Integer(limit);
        }
        if let Some(code) = currency
            && bills_parent
        {
            code.clone_into(&mut account.products.currency);
        }
        Ok(())
    }

    /// `GET /account/subaccount/{id}/report`: the cost totals of the subaccount's own
    /// orders (not its subaccounts'). `order_price` sums what the parent was billed; when
    /// the orders were billed in more than one currency, `order_prices` has the total in
    /// each and `order_price` the total in the newest order's currency. `subaccount_price`
    /// sums what the subaccount was charged in its current display currency.
    pub(crate) fn subaccount_report(
        &self,
        caller: i64,
        raw_id: &str,
    ) -> Result<SubaccountReport, Refusal> {
        let id = self.certcentral.in_scope(caller, raw_id)?;
        let account = &self.certcentral.accounts[&id];
        let orders: Vec<&Order> = account
            .orders
            .iter()
            .filter_map(|order| self.certcentral.orders.get(order))
            .collect();
        let mut billed: BTreeMap<&str, f64> = BTreeMap::new();
        let mut newest: Option<&SubaccountOrder> = None;
        let mut charged: Option<f64> = None;
        let display = account.products.currency.as_str();
        for order in &orders {
            if let Some(price) = &order.order.order_price {
                *billed.entry(price.currency.as_str()).or_default() += price.cost;
                if newest.is_none_or(|n| {
                    (n.date_created, n.id) < (order.order.date_created, order.order.id)
                }) {
                    newest = Some(&order.order);
                }
            }
            if let Some(price) = &order.subaccount_price
                && price.currency == display
            {
                *charged.get_or_insert(0.0) += price.cost;
            }
        }
        let total_in = |currency: &str| Price {
            cost: billed.get(currency).copied().unwrap_or_default(),
            currency: currency.to_owned(),
        };
        Ok(SubaccountReport {
            subaccount_price: charged.map(|cost| Price {
                cost,
                currency: display.to_owned(),
            }),
            order_price: newest
                .and_then(|order| order.order_price.as_ref())
                .map(|price| total_in(&price.currency)),
            order_prices: if billed.len() > 1 {
                billed.keys().map(|currency| total_in(currency)).collect()
            } else {
                Vec::new()
            },
        })
    }

    /// `PUT /account`: replaces the caller's own admin and emergency email lists (each
    /// one sent; one left out stays). `written` is the body's strings as sent.
    pub(crate) fn update_account_emails(
        &mut self,
        caller: i64,
        written: &WrittenEmails,
        change: AccountEmailsChange,
    ) -> Result<(), Refusal> {
        let current = &self.certcentral.caller(caller)?.emails;
        if change.admin_email.is_none() && change.emergency_emails.is_none() {
            return Err(Refusal::invalid(
                "the body changes nothing; send admin_email, emergency_emails or both",
            ));
        }
        let emails = checked_emails(written, &change, current)?;
        self.certcentral.account_entry(caller).emails = emails;
        Ok(())
    }

    /// The account emails of CertCentral account `account_id` as last set (`None` for an
    /// account the sandbox does not have).
    pub(crate) fn account_emails(&self, account_id: i64) -> Option<AccountEmailsChange> {
        self.certcentral
            .accounts
            .get(&account_id)
            .map(|account| account.emails.clone())
    }
}

/// `admin_email` of a `PUT /account` body as sent, for its length limit (the typed body
/// holds it split into addresses).
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct WrittenEmails {
    admin_email: Option<String>,
}

/// The lists after a change: each list sent must be non-empty, valid addresses (duplicates
/// dropped, case-insensitively, first spelling kept), `admin_email` at most 255 characters
/// as sent; a list left out keeps `current`.
fn checked_emails(
    written: &WrittenEmails,
    change: &AccountEmailsChange,
    current: &AccountEmailsChange,
) -> Result<AccountEmailsChange, Refusal> {
    if let Some(text) = &written.admin_email
        && text.chars().count() > ADMIN_EMAIL_MAX
    {
        return Err(Refusal::invalid(format!(
            "admin_email: {} characters; at most {ADMIN_EMAIL_MAX} are allowed",
            text.chars().count()
        )));
    }
    let check = |list: &Option<EmailList>, field: &str, current: &Option<EmailList>| {
        let Some(list) = list else {
            return Ok(current.clone());
        };
        if list.is_empty() {
            return Err(Refusal::invalid(format!(
                "{field}: give at least one email address"
            )));
        }
        let mut kept: Vec<&str> = Vec::new();
        for (index, address) in list.as_slice().iter().enumerate() {
            if !email::is_valid(address) {
                return Err(Refusal::invalid(format!(
                    "{field}[{index}]: \"{address}\" is not a valid email address"
                )));
            }
            if !kept.iter().any(|k| k.eq_ignore_ascii_case(address)) {
                kept.push(address);
            }
        }
        EmailList::new(kept)
            .map(Some)
            .map_err(|e| Refusal::invalid(format!("{field}: {e}")))
    };
    Ok(AccountEmailsChange {
        admin_email: check(&change.admin_email, "admin_email", &current.admin_email)?,
        emergency_emails: check(
            &change.emergency_emails,
            "emergency_emails",
            &current.emergency_emails,
        )?,
    })
}

/// What a list operation was asked for: its filter, sort order and page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ListQuery {
    /// `filters[search]`, lower case: `(text, contains)`.
    search: Option<(String, bool)>,
    /// Sort keys in order, each with whether it is descending.
    sort: Vec<(&'static str, bool)>,
    offset: i64,
    limit: i64,
}

impl ListQuery {
    /// Reads the decoded query pairs of a list operation. `sort_keys` are the properties
    /// it sorts by; `filters[search]` counts only where `searchable`. Unknown parameters
    /// are ignored; a known one given twice, a sort property it does not know, an offset
    /// below 0 or a limit outside 1 to [`MAX_LIMIT`] is a 400 naming the parameter.
    pub(crate) fn parse(
        pairs: &[(String, String)],
        sort_keys: &'static [&'static str],
        searchable: bool,
    ) -> Result<Self, Refusal> {
        let mut query = ListQuery {
            search: None,
            sort: Vec::new(),
            offset: 0,
            limit: MAX_LIMIT,
        };
        let mut given = HashSet::new();
        for (name, value) in pairs {
            let name = name.as_str();
            let known = matches!(name, "sort" | "offset" | "limit")
                || (searchable && name == "filters[search]");
            if !known {
                continue;
            }
            if !given.insert(name) {
                return Err(Refusal::invalid(format!("{name}: given more than once")));
            }
            match name {
                "sort" => query.sort = parse_sort(value, sort_keys)?,
                "offset" => {
                    query.offset = parse_integer(name, value)?;
                    if query.offset < 0 {
                        return Err(Refusal::invalid("offset: must be 0 or more"));
                    }
                }
                "limit" => {
                    query.limit = parse_integer(name, value)?;
                    if !(1..=MAX_LIMIT).contains(&query.limit) {
                        return Err(Refusal::invalid(format!(
                            "limit: {} is outside 1 to {MAX_LIMIT}",
                            query.limit
                        )));
                    }
                }
                _ => {
                    query.search = match value.strip_prefix('%') {
                        Some(rest) => Some((rest.to_lowercase(), true)),
                        None if value.is_empty() => None,
                        None => Some((value.to_lowercase(), false)),
                    };
                }
            }
        }
        Ok(query)
    }

    /// Whether `name` passes `filters[search]` (case-insensitively).
    fn matches(&self, name: &str) -> bool {
        match &self.search {
            None => true,
            Some((text, true)) => name.to_lowercase().contains(text.as_str()),
            Some((text, false)) => name.to_lowercase() == *text,
        }
    }

    /// Compares two rows by the sort keys in order; `by(key)` compares them ascending.
    fn compare(&self, by: impl Fn(&str) -> Ordering) -> Ordering {
        self.sort
            .iter()
            .map(|&(key, descending)| {
                let order = by(key);
                if descending { order.reverse() } else { order }
            })
            .find(|order| order.is_ne())
            .unwrap_or(Ordering::Equal)
    }

    /// The rows of the requested page, and its `page` object.
    fn page<T>(&self, rows: Vec<T>) -> (Vec<T>, Page) {
        let total = i64::try_from(rows.len()).unwrap_or(i64::MAX);
        let skip = usize::try_from(self.offset).unwrap_or(usize::MAX);
        let take = usize::try_from(self.limit).unwrap_or(0);
        let items = rows.into_iter().skip(skip).take(take).collect();
        (
            items,
            Page {
                total,
                limit: self.limit,
                offset: self.offset,
            },
        )
    }
}

fn parse_integer(name: &str, value: &str) -> Result<i64, Refusal> {
    value
        .parse()
        .map_err(|_| Refusal::invalid(format!("{name}: \"{value}\" is not an integer")))
}

/// `sort=a,-b`: properties separated by commas, each optionally prefixed with `-` for
/// descending. An empty value means the default order.
fn parse_sort(
    value: &str,
    keys: &'static [&'static str],
) -> Result<Vec<(&'static str, bool)>, Refusal> {
    if value.trim().is_empty() {
        return Ok(Vec::new());
    }
    value
        .split(',')
        .map(|part| {
            let part = part.trim();
            let (name, descending) = match part.strip_prefix('-') {
                Some(name) => (name, true),
                None => (part, false),
            };
            keys.iter()
                .find(|key| **key == name)
                .map(|key| (*key, descending))
                .ok_or_else(|| {
                    Refusal::invalid(format!(
                        "sort: unknown property \"{name}\"; sort by {}",
                        keys.join(", ")
                    ))
                })
        })
        .collect()
}

/// Compares two subaccounts ascending by one sort key.
fn compare_subaccounts(key: &str, a: &Subaccount, b: &Subaccount) -> Ordering {
    match key {
        "account_type" => a.account_type.as_str().cmp(b.account_type.as_str()),
        "organization_name" => caseless(&a.organization_name, &b.organization_name),
        "date_created" => a.date_created.cmp(&b.date_created),
        "account_manager" => optional(
            a.account_manager.as_deref(),
            b.account_manager.as_deref(),
            caseless,
        ),
        _ => a.account_id.cmp(&b.account_id),
    }
}

/// Compares two orders ascending by one sort key.
fn compare_orders(key: &str, a: &SubaccountOrder, b: &SubaccountOrder) -> Ordering {
    let common_name = |o: &SubaccountOrder| o.certificate.as_ref().map(|c| c.common_name.clone());
    match key {
        "common_name" => optional(
            common_name(a).as_deref(),
            common_name(b).as_deref(),
            caseless,
        ),
        "product_name_id" => a.product.name_id.cmp(&b.product.name_id),
        "date_created" => a.date_created.cmp(&b.date_created),
        "validity_years" => optional(a.validity_years, b.validity_years, |x, y| x.cmp(&y)),
        _ => a.id.cmp(&b.id),
    }
}

/// Text order ignoring case (ties by exact text, so the order is total).
fn caseless(a: &str, b: &str) -> Ordering {
    a.to_lowercase()
        .cmp(&b.to_lowercase())
        .then_with(|| a.cmp(b))
}

/// An absent value sorts before any present one.
fn optional<T>(a: Option<T>, b: Option<T>, by: impl Fn(T, T) -> Ordering) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(a), Some(b)) => by(a, b),
    }
}

/// An account type the sandbox knows, as its string: 400 naming `field` otherwise.
fn known_type(kind: &AccountType, field: &str) -> Result<String, Refusal> {
    let text = kind.as_str();
    if account_types().any(|known| known == text) {
        Ok(text.to_owned())
    } else {
        Err(Refusal::invalid(format!(
            "{field}: unknown account type \"{text}\"; use one of {}",
            account_types().collect::<Vec<_>>().join(", ")
        )))
    }
}

/// The body of `GET /account/subaccount` (the spec's `SubaccountList`) with rows rendered
/// in advance. The end-to-end tests check every list the sandbox sends against the spec,
/// so this cannot drift from `SubaccountList` unnoticed.
#[derive(Serialize)]
pub(crate) struct SubaccountRows<'a> {
    subaccounts: Vec<&'a RawValue>,
    page: Page,
}

/// The body of `GET /account/subaccount/order` (the spec's `SubaccountOrderList`) with
/// rows rendered in advance; checked against the spec like [`SubaccountRows`].
#[derive(Serialize)]
pub(crate) struct OrderRows<'a> {
    orders: Vec<&'a RawValue>,
    page: Page,
}

/// A subaccount's row in the list: its `SubaccountSummary`, as JSON. `None` only if it
/// cannot be serialised (not possible for these types; a list would then answer 500).
fn render_row(info: &Subaccount) -> Option<Box<RawValue>> {
    let summary = SubaccountSummary {
        account_id: info.account_id,
        account_type: info.account_type.clone(),
        organization_name: info.organization_name.clone(),
        date_created: info.date_created,
        account_manager: info.account_manager.clone(),
    };
    serde_json::value::to_raw_value(&summary).ok()
}

/// What a subaccount without seeded products has: every product the sandbox knows,
/// without prices (DigiCert's own prices apply), priced `default` in USD.
fn default_products() -> SubaccountProducts {
    SubaccountProducts {
        currency: DEFAULT_CURRENCY.to_owned(),
        pricing_method: PricingMethod::Default,
        balance_negative_limit: BalanceNegativeLimit::Integer(0),
        products: PRODUCTS
            .iter()
            .map(|(id, name)| SubaccountProduct {
                product_name_id: (*id).to_owned(),
                product_name: (*name).to_owned(),
                product_shim_map: Vec::new(),
                prices: Vec::new(),
                unit: None,
            })
            .collect(),
    }
}

/// The `{subaccount_id}` path segment as an ID: 400 when it is not one.
pub(crate) fn subaccount_id(raw_id: &str) -> Result<i64, Refusal> {
    parse_account_id(raw_id).ok_or_else(|| {
        Refusal::invalid(format!(
            "subaccount_id: \"{raw_id}\" is not a valid account ID (an integer)"
        ))
    })
}

/// A CertCentral account ID: ASCII digits only, fitting an `i64`.
pub(super) fn parse_account_id(text: &str) -> Option<i64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn list_queries_read_documented_parameters_and_refuse_the_rest_by_name() {
        let query = ListQuery::parse(
            &pairs(&[
                ("filters[search]", "%Bakery"),
                ("sort", "-date_created, account_id"),
                ("offset", "10"),
                ("limit", "25"),
                ("filters[status]", "ignored"),
            ]),
            SUBACCOUNT_SORT_KEYS,
            true,
        )
        .unwrap();
        assert_eq!(query.search, Some(("bakery".to_owned(), true)));
        assert_eq!(
            query.sort,
            vec![("date_created", true), ("account_id", false)]
        );
        assert_eq!((query.offset, query.limit), (10, 25));
        let defaults = ListQuery::parse(&[], SUBACCOUNT_SORT_KEYS, true).unwrap();
        assert_eq!((defaults.offset, defaults.limit), (0, MAX_LIMIT));
        assert!(defaults.matches("anything"));

        let refused = [
            (vec![("limit", "0")], "limit: 0 is outside 1 to 1000"),
            (vec![("limit", "1001")], "limit: 1001 is outside"),
            (vec![("limit", "ten")], "limit: \"ten\" is not an integer"),
            (vec![("offset", "-1")], "offset: must be 0 or more"),
            (vec![("sort", "name")], "sort: unknown property \"name\""),
            (vec![("sort", "account_id,")], "sort: unknown property \"\""),
            (
                vec![("limit", "5"), ("limit", "6")],
                "limit: given more than once",
            ),
        ];
        for (given, says) in refused {
            let err = ListQuery::parse(&pairs(&given), SUBACCOUNT_SORT_KEYS, true).unwrap_err();
            assert_eq!(err.kind, RefusalKind::Invalid);
            assert!(err.message.contains(says), "{given:?}: {}", err.message);
        }
        // The order list has no search filter and its own sort keys.
        let orders = ListQuery::parse(
            &pairs(&[("filters[search]", "x"), ("sort", "validity_years")]),
            ORDER_SORT_KEYS,
            false,
        )
        .unwrap();
        assert_eq!(orders.search, None);
        assert!(
            ListQuery::parse(&pairs(&[("sort", "account_id")]), ORDER_SORT_KEYS, false).is_err()
        );
    }

    #[test]
    fn search_is_exact_or_contains_and_ignores_case() {
        let search = |value: &str| {
            ListQuery::parse(
                &pairs(&[("filters[search]", value)]),
                SUBACCOUNT_SORT_KEYS,
                true,
            )
            .unwrap()
        };
        assert!(search("digicert").matches("DigiCert"));
        assert!(!search("digicert").matches("DigiCert Inc."));
        assert!(search("%cert").matches("DigiCert Inc."));
        assert!(!search("%certs").matches("DigiCert Inc."));
        // Only a leading % means "contains".
        assert!(!search("Digi%").matches("DigiCert"));
        assert!(search("Digi%").matches("digi%"));
        assert!(search("%").matches("anything"));
        assert!(search("").matches("anything"));
    }

    #[test]
    fn pages_report_total_limit_and_offset() {
        let query = ListQuery::parse(
            &pairs(&[("offset", "4"), ("limit", "3")]),
            ORDER_SORT_KEYS,
            false,
        )
        .unwrap();
        let (items, page) = query.page((0..9).collect::<Vec<i32>>());
        assert_eq!(items, vec![4, 5, 6]);
        assert_eq!((page.total, page.limit, page.offset), (9, 3, 4));
        let beyond = ListQuery::parse(&pairs(&[("offset", "20")]), ORDER_SORT_KEYS, false).unwrap();
        let (items, page) = beyond.page((0..9).collect::<Vec<i32>>());
        assert!(items.is_empty());
        assert_eq!((page.total, page.offset), (9, 20));
    }

    #[test]
    fn certcentral_seed_rules_name_what_is_wrong() {
        use crate::seed::{AccountManagerSeed, CertCentralAccountSeed, Seed};

        let check = |change: &dyn Fn(&mut CertCentralSeed), says: &str| {
            let mut seed = Seed::builtin();
            change(&mut seed.certcentral);
            let err = State::from_seed(&seed, false).unwrap_err();
            assert!(err.contains(says), "{says}: {err}");
        };
        check(
            &|cc| cc.accounts.push(CertCentralAccountSeed::new(999)),
            "certcentral account 999 in accounts is not a seeded subaccount",
        );
        check(
            &|cc| cc.accounts.push(CertCentralAccountSeed::new(1_122_331)),
            "certcentral account 1122331 has two entries",
        );
        check(
            &|cc| {
                let mut top = CertCentralAccountSeed::new(2_233_441);
                top.products = Some(default_products());
                cc.accounts.push(top);
            },
            "products belong to subaccounts",
        );
        check(
            &|cc| {
                let mut odd = CertCentralAccountSeed::new(2_233_441);
                odd.allowed_subaccount_types = Some(vec![AccountType::from("partner")]);
                cc.accounts.push(odd);
            },
            "allowed_subaccount_types[0]: unknown account type \"partner\"",
        );
        check(
            &|cc| {
                let mut noisy = CertCentralAccountSeed::new(2_233_441);
                noisy.admin_email = Some(EmailList::new(["not-an-address"]).unwrap());
                cc.accounts.push(noisy);
            },
            "admin_email[0]: \"not-an-address\" is not a valid email address",
        );
        check(
            &|cc| {
                cc.account_managers
                    .push(AccountManagerSeed::new(12345, "Again"))
            },
            "account manager 12345 is seeded twice",
        );
        check(
            &|cc| cc.orders[0].order.subaccount.organization_name = "Renamed".into(),
            "must be those of subaccount 1122339",
        );
        check(
            &|cc| cc.orders[0].order.subaccount.account_id = 2_233_441,
            "subaccount 2233441 is not a seeded subaccount",
        );
        check(
            &|cc| {
                let again = cc.orders[0].clone();
                cc.orders.push(again);
            },
            "certcentral order 500001 is seeded twice",
        );
    }

    #[test]
    fn the_largest_ids_in_a_seed_leave_state_whole_instead_of_overflowing() {
        let mut seed = crate::seed::Seed::builtin();
        let mut huge = seed.certcentral.subaccounts[0].clone();
        huge.account_id = i64::MAX;
        huge.organization.id = i64::MAX;
        huge.organization.container.id = i64::MAX;
        seed.certcentral.subaccounts.push(huge);
        let (mut state, _) = State::from_seed(&seed, false).unwrap();
        let request: SubaccountCreate = serde_json::from_value(serde_json::json!({
            "account_type": "retail", "allowed_grandchildren": [],
            "user": {"first_name": "A", "last_name": "B", "email": "a@b.example"},
            "organization": {"name": "N", "address": "A", "zip": "1", "city": "C",
                             "state": "S", "country": "US", "telephone": "1"}
        }))
        .unwrap();
        let before = state.certcentral.accounts.len();
        let err = state
            .certcentral_create_subaccount(1_122_331, request, "sbx_unused".into())
            .unwrap_err();
        assert_eq!(err.kind, RefusalKind::Internal);
        assert!(
            err.message.contains("no account IDs left"),
            "{}",
            err.message
        );
        assert_eq!(state.certcentral.accounts.len(), before);
        assert!(state.certcentral.accounts[&i64::MAX].info.is_some());
    }

    #[test]
    fn absent_values_sort_first_and_names_ignore_case() {
        assert_eq!(
            optional(None, Some(1), |a: i32, b| a.cmp(&b)),
            Ordering::Less
        );
        assert_eq!(caseless("apple", "Banana"), Ordering::Less);
        assert_eq!(caseless("B", "b"), Ordering::Less);
    }
}
