//! CertCentral's writes through the generated client: create (managed subaccounts and
//! their key, `allowed_grandchildren`, subaccounts not enabled, `enforce_bill_parent`),
//! edit (and removing the account manager), products and prices, the cost report, and the
//! account's admin and emergency emails.

use std::collections::BTreeMap;

use digicert::EmailList;
use digicert::services::types::{
    AccountEmailsChange, AccountType, BalanceNegativeLimit, PricingMethod, SubaccountCreate,
    SubaccountProductsChange, SubaccountUpdate,
};
use digicert_sandbox::KeyKind;
use serde_json::{Value, json};

use crate::common::{
    assert_refused, finish, http, key, key_of, new_subaccount, raw, seed_with_keys, services,
    services_with, spec, start, start_seeded,
};

#[tokio::test]
async fn a_new_subaccount_is_created_below_the_key_and_shows_everywhere() {
    let sandbox = start().await;
    let client = services(&sandbox);
    let mut request = new_subaccount("retail", &["retail"], "Toledo Widgets LLC");
    request.child_name = Some("Toledo office".parse().unwrap());
    request.account_manager_user_id = Some(12345);
    request.max_allowed_multi_year_plan_length = Some(2);
    let response = client
        .create_subaccount()
        .body(request)
        .send()
        .await
        .expect("create");
    assert_eq!(response.status().as_u16(), 201);
    let created = response.into_inner();
    assert!(
        created.api_key.is_none(),
        "only managed subaccounts get a key"
    );
    assert!(created.id > 2_233_445, "a new ID above every existing one");

    let info = client
        .get_subaccount()
        .subaccount_id(created.id)
        .send()
        .await
        .expect("info")
        .into_inner();
    assert_eq!(info.account_type, AccountType::Retail);
    assert_eq!(info.organization_name, "Toledo Widgets LLC");
    assert_eq!(info.parent_account_id, "1122331");
    assert_eq!(info.child_name.as_deref(), Some("Toledo office"));
    assert_eq!(info.account_manager.as_deref(), Some("Jim James"));
    assert_eq!(info.max_allowed_multi_year_plan_length, Some(2));
    assert!(!info.bill_parent && !info.allow_parent_order_renewal);
    assert_eq!(info.enforce_bill_parent, None);
    assert_eq!(
        (info.billing_account_id, info.billing_account_name.as_str()),
        (1_122_331, "Example CertCentral Reseller")
    );
    assert_eq!(
        (
            info.master_user.first_name.as_str(),
            info.master_user.email.as_str()
        ),
        ("Ada", "ada@new.example")
    );
    assert_eq!(info.organization.country, "us");
    assert_eq!(
        info.master_user.container_id,
        info.organization.container.id.to_string()
    );
    assert_eq!(info.billing_contact.name, "Ada Lovelace");

    // The newest subaccount, first by -date_created; one more in the list.
    let newest = client
        .list_subaccounts()
        .sort("-date_created")
        .limit(1)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(newest.page.total, 253);
    assert_eq!(newest.subaccounts[0].account_id, created.id);
    assert_eq!(newest.subaccounts[0].date_created, info.date_created);

    // Every product the sandbox knows, priced by default; no orders, no totals.
    let products = client
        .list_subaccount_products()
        .subaccount_id(created.id)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(products.currency, "USD");
    assert_eq!(products.pricing_method, PricingMethod::Default);
    assert!(products.products.len() >= 5);
    assert!(products.products.iter().all(|p| p.prices.is_empty()));
    let report = client
        .get_subaccount_report()
        .subaccount_id(created.id)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(report.order_price.is_none() && report.subaccount_price.is_none());
    assert!(report.order_prices.is_empty());
    finish(sandbox).await;
}

#[tokio::test]
async fn a_managed_subaccount_gets_a_key_once_and_the_key_works_at_once() {
    let sandbox = start().await;
    let client = services(&sandbox);
    let created = client
        .create_subaccount()
        .body(new_subaccount(
            "managed",
            &["retail"],
            "Managed Robotics Inc.",
        ))
        .send()
        .await
        .expect("create")
        .into_inner();
    let new_key = created.api_key.clone().expect("a managed subaccount's key");
    let shown = format!("{created:?}");
    assert!(!shown.contains(new_key.expose()), "{shown}");
    assert!(
        sandbox.keys().iter().all(|k| k.key != new_key),
        "the sandbox never lists a created key"
    );

    // The key is a CertCentral key of the new account, right away.
    let managed = services_with(&sandbox, new_key.clone());
    let own = managed
        .list_subaccounts()
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(own.page.total, 0);
    let emails = AccountEmailsChange {
        admin_email: Some(EmailList::new(["ops@managed.example"]).unwrap()),
        emergency_emails: None,
    };
    managed
        .update_account_emails()
        .body(emails)
        .send()
        .await
        .expect("its own account emails");
    let stored = sandbox.certcentral_account_emails(created.id).unwrap();
    assert_eq!(
        stored.admin_email.map(|l| l.to_string()).as_deref(),
        Some("ops@managed.example")
    );
    // Its own record is not one of its subaccounts.
    assert_refused(
        managed
            .get_subaccount()
            .subaccount_id(created.id)
            .send()
            .await,
        403,
        "access_denied|missing_permission",
        "not in your account's hierarchy",
    );
    // allowed_grandchildren decides what it may create.
    let grandchild = managed
        .create_subaccount()
        .body(new_subaccount("retail", &[], "Managed Robotics Retail"))
        .send()
        .await
        .expect("an allowed type")
        .into_inner();
    assert_refused(
        managed
            .create_subaccount()
            .body(new_subaccount("reseller", &[], "Not Allowed"))
            .send()
            .await,
        403,
        "access_denied|missing_permission",
        "may not create reseller subaccounts; it may create: retail.",
    );
    // The grandchild is below the seeded key too (info at any depth), but its list
    // holds direct subaccounts only; the managed one shows as "managed".
    let info = client
        .get_subaccount()
        .subaccount_id(grandchild.id)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(info.parent_account_id, created.id.to_string());
    let listed = client
        .list_subaccounts()
        .filters_search("%Managed Robotics")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(listed.subaccounts.len(), 1);
    assert_eq!(listed.subaccounts[0].account_id, created.id);
    assert_eq!(listed.subaccounts[0].account_type.as_str(), "managed");
    // A CertCentral key means nothing to the Partner API.
    let wrong = sandbox.partner_client(new_key).unwrap();
    assert_refused(
        wrong.get_emergency_emails().send().await,
        401,
        "invalid_api_key",
        "CertCentral API key",
    );
    finish(sandbox).await;
}

#[tokio::test]
async fn creating_needs_subaccounts_enabled_an_allowed_type_and_billing_the_parent_where_enforced()
{
    let sandbox = start_seeded(seed_with_keys(&[1_122_340, 1_122_345])).await;
    // 1122345 may not create subaccounts at all.
    let retail = services_with(&sandbox, key_of(1_122_345));
    assert_refused(
        retail
            .create_subaccount()
            .body(new_subaccount("retail", &[], "Nope"))
            .send()
            .await,
        403,
        "access_denied|missing_permission",
        "Subaccounts are not enabled for your account",
    );
    // 1122340 may create retail and enterprise subaccounts, each billing it.
    let northwind = services_with(&sandbox, key_of(1_122_340));
    assert_refused(
        northwind
            .create_subaccount()
            .body(new_subaccount("reseller", &[], "Nope"))
            .send()
            .await,
        403,
        "access_denied|missing_permission",
        "it may create: enterprise, retail.",
    );
    let mut not_billing = new_subaccount("retail", &[], "Nope");
    not_billing.bill_parent = Some(false);
    assert_refused(
        northwind.create_subaccount().body(not_billing).send().await,
        403,
        "access_denied|missing_permission",
        "only create subaccounts that bill their parent",
    );
    let child = northwind
        .create_subaccount()
        .body(new_subaccount("retail", &[], "Northwind Retail"))
        .send()
        .await
        .expect("bill_parent left out")
        .into_inner();
    let info = northwind
        .get_subaccount()
        .subaccount_id(child.id)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(
        info.bill_parent,
        "left out, bill_parent follows the enforcement"
    );
    assert_eq!(
        info.billing_account_id, 1_122_340,
        "its parent's billing account"
    );
    assert_eq!(info.organization.container.parent_id, 11_230);
    // Editing cannot undo it either, from any key above.
    let top = services(&sandbox);
    let stop_billing = SubaccountUpdate {
        bill_parent: Some(false),
        ..SubaccountUpdate::default()
    };
    assert_refused(
        top.update_subaccount()
            .subaccount_id(child.id)
            .body(stop_billing)
            .send()
            .await,
        403,
        "access_denied|missing_permission",
        "enforces bill_parent",
    );
    // Nothing was created by the refused calls.
    let list = northwind
        .list_subaccounts()
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(list.page.total, 1);
    finish(sandbox).await;
}

#[tokio::test]
async fn invalid_creations_are_400_naming_the_field_and_create_nothing() {
    let sandbox = start().await;
    let client = services(&sandbox);
    type Change = fn(&mut SubaccountCreate);
    let cases: [(Change, &str); 7] = [
        (
            |r| r.account_type = AccountType::from("partner"),
            "account_type: unknown account type \"partner\"",
        ),
        (
            |r| r.allowed_grandchildren.push(AccountType::from("wholesale")),
            "allowed_grandchildren[1]: unknown account type \"wholesale\"",
        ),
        (
            |r| r.user.email = "not-an-email".into(),
            "user.email: \"not-an-email\" is not a valid email address",
        ),
        (
            |r| r.organization.country = "USA".parse().unwrap(),
            "organization.country: \"USA\" is not a two-letter country code",
        ),
        (
            |r| r.organization.name = "   ".parse().unwrap(),
            "organization.name: must not be blank",
        ),
        (
            |r| r.max_allowed_multi_year_plan_length = Some(0),
            "max_allowed_multi_year_plan_length: must be 1 or more",
        ),
        (
            |r| r.account_manager_user_id = Some(999),
            "account_manager_user_id: there is no user 999",
        ),
    ];
    for (change, says) in cases {
        let mut request = new_subaccount("retail", &["retail"], "Invalid Inc.");
        change(&mut request);
        assert_refused(
            client.create_subaccount().body(request).send().await,
            400,
            "bad_request_format",
            says,
        );
    }
    let list = client.list_subaccounts().limit(1).send().await.unwrap();
    assert_eq!(list.page.total, 252);
    finish(sandbox).await;
}

#[tokio::test]
async fn editing_changes_what_is_sent_and_can_remove_the_account_manager() {
    let sandbox = start().await;
    let client = services(&sandbox);
    let info = |id: i64| {
        let client = &client;
        async move {
            client
                .get_subaccount()
                .subaccount_id(id)
                .send()
                .await
                .expect("info")
                .into_inner()
        }
    };
    let edit = |id: i64, change: Value| {
        let client = &client;
        async move {
            let change: SubaccountUpdate = serde_json::from_value(change).unwrap();
            client
                .update_subaccount()
                .subaccount_id(id)
                .body(change)
                .send()
                .await
        }
    };
    let listed_manager = |name: &'static str| {
        let client = &client;
        async move {
            let list = client
                .list_subaccounts()
                .filters_search(name)
                .send()
                .await
                .unwrap()
                .into_inner();
            list.subaccounts[0].account_manager.clone()
        }
    };
    let before = serde_json::to_value(info(1_122_340).await).unwrap();
    let response = edit(1_122_340, json!({})).await.expect("an empty edit");
    assert_eq!(response.status().as_u16(), 204);
    assert_eq!(serde_json::to_value(info(1_122_340).await).unwrap(), before);

    edit(
        1_122_340,
        json!({"account_manager_user_id": 1234567, "child_name": "Berlin",
               "allow_parent_order_renewal": false}),
    )
    .await
    .expect("edit");
    let after = info(1_122_340).await;
    assert_eq!(after.account_manager.as_deref(), Some("Jill Valentine"));
    assert_eq!(after.child_name.as_deref(), Some("Berlin"));
    assert!(!after.allow_parent_order_renewal);
    assert!(!after.bill_parent, "left out, so unchanged");
    assert_eq!(
        listed_manager("Northwind Traders GmbH").await.as_deref(),
        Some("Jill Valentine")
    );

    // false (the default) keeps the manager; true without a user removes it.
    edit(1_122_340, json!({"allow_removing_account_manager": false}))
        .await
        .unwrap();
    assert!(info(1_122_340).await.account_manager.is_some());
    edit(1_122_340, json!({"allow_removing_account_manager": true}))
        .await
        .unwrap();
    assert_eq!(info(1_122_340).await.account_manager, None);
    assert_eq!(listed_manager("Northwind Traders GmbH").await, None);
    // With a user as well, the user becomes the manager.
    edit(
        1_122_340,
        json!({"allow_removing_account_manager": true, "account_manager_user_id": 7654321}),
    )
    .await
    .unwrap();
    assert_eq!(
        info(1_122_340).await.account_manager.as_deref(),
        Some("Rick Roll")
    );
    edit(1_122_340, json!({"bill_parent": true})).await.unwrap();
    assert!(info(1_122_340).await.bill_parent);

    assert_refused(
        edit(1_122_340, json!({"account_manager_user_id": 5})).await,
        400,
        "bad_request_format",
        "account_manager_user_id: there is no user 5",
    );
    assert_refused(
        edit(2_233_445, json!({"bill_parent": true})).await,
        403,
        "access_denied|missing_permission",
        "not in your account's hierarchy",
    );
    assert_refused(
        edit(999, json!({"bill_parent": true})).await,
        404,
        "not_found",
        "Subaccount 999 was not found",
    );
    // A sub-subaccount can be edited from above, like its info read.
    edit(1_122_345, json!({"child_name": "Retail arm"}))
        .await
        .unwrap();
    assert_eq!(
        info(1_122_345).await.child_name.as_deref(),
        Some("Retail arm")
    );
    finish(sandbox).await;
}

#[tokio::test]
async fn products_start_as_documented_and_a_put_replaces_the_whole_list() {
    let sandbox = start().await;
    let client = services(&sandbox);
    // 1122339 has DigiCert's documented products example, exactly.
    let documented = &spec(digicert_sandbox::Family::CertCentral).raw["paths"]["/account/subaccount/{subaccount_id}/products"]
        ["get"]["responses"]["200"]["content"]["application/json"]["example"];
    let got = client
        .list_subaccount_products()
        .subaccount_id(1_122_339)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        numbers_as_floats(&serde_json::to_value(&got).unwrap()),
        numbers_as_floats(documented)
    );

    // 1130000 bills its parent: its currency may change.
    let set = |id: i64, change: Value| {
        let client = &client;
        async move {
            let change: SubaccountProductsChange = serde_json::from_value(change).unwrap();
            client
                .set_subaccount_products()
                .subaccount_id(id)
                .body(change)
                .send()
                .await
        }
    };
    let get = |id: i64| {
        let client = &client;
        async move {
            client
                .list_subaccount_products()
                .subaccount_id(id)
                .send()
                .await
                .unwrap()
                .into_inner()
        }
    };
    let response = set(
        1_130_000,
        json!({
            "currency": "EUR", "pricing_method": "custom", "balance_negative_limit": 500,
            "products": [
                {"product_name_id": "ssl_plus", "prices": [{"lifetime": 1, "cost": 199.5},
                                                          {"lifetime": 2, "cost": 380}]},
                {"product_name_id": "ssl_wildcard", "product_name": "my own name"}
            ]
        }),
    )
    .await
    .expect("set");
    assert_eq!(response.status().as_u16(), 204);
    let after = get(1_130_000).await;
    assert_eq!(after.currency, "EUR");
    assert_eq!(after.pricing_method, PricingMethod::Custom);
    assert!(matches!(
        after.balance_negative_limit,
        BalanceNegativeLimit::Integer(500)
    ));
    let names: Vec<(&str, &str, usize)> = after
        .products
        .iter()
        .map(|p| {
            (
                p.product_name_id.as_str(),
                p.product_name.as_str(),
                p.prices.len(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("ssl_plus", "Standard SSL", 2),
            ("ssl_wildcard", "WildCard", 0)
        ]
    );
    assert!((after.products[0].prices[0].cost - 199.5).abs() < f64::EPSILON);

    // An empty list disables every product; what is left out keeps its value.
    set(1_130_000, json!({"products": []})).await.unwrap();
    let emptied = get(1_130_000).await;
    assert!(emptied.products.is_empty());
    assert_eq!(
        (emptied.currency.as_str(), emptied.pricing_method.as_str()),
        ("EUR", "custom")
    );

    // 1130001 bills itself: a currency is ignored.
    set(1_130_001, json!({"currency": "EUR", "products": []}))
        .await
        .unwrap();
    assert_eq!(get(1_130_001).await.currency, "USD");

    let refused = [
        (
            json!({"products": [{"product_name_id": "ssl_gold"}]}),
            "products[0].product_name_id: unknown product \"ssl_gold\"",
        ),
        (
            json!({"products": [{"product_name_id": "ssl_plus"}, {"product_name_id": "ssl_plus"}]}),
            "products[1].product_name_id: \"ssl_plus\" is listed twice",
        ),
        (
            json!({"products": [{"product_name_id": "ssl_plus", "prices": [{"lifetime": 1, "cost": -1}]}]}),
            "products[0].prices[0].cost: must not be negative",
        ),
        (
            json!({"products": [{"product_name_id": "ssl_plus", "prices": [{"lifetime": 0, "cost": 1}]}]}),
            "products[0].prices[0].lifetime: must be 1 or more",
        ),
        (
            json!({"products": [{"product_name_id": "ssl_plus", "prices": [
                {"lifetime": 1, "cost": 1}, {"lifetime": 1, "cost": 2}]}]}),
            "products[0].prices[1].lifetime: 1 years is priced twice",
        ),
        (
            json!({"currency": "euro", "products": []}),
            "currency: \"euro\" is not a three-letter currency code",
        ),
        (
            json!({"pricing_method": "wholesale", "products": []}),
            "pricing_method: unknown method \"wholesale\"",
        ),
        (
            json!({"balance_negative_limit": -1, "products": []}),
            "balance_negative_limit: must not be negative",
        ),
    ];
    let before = serde_json::to_value(get(1_122_339).await).unwrap();
    for (change, says) in refused {
        assert_refused(
            set(1_122_339, change).await,
            400,
            "bad_request_format",
            says,
        );
    }
    assert_eq!(serde_json::to_value(get(1_122_339).await).unwrap(), before);
    assert_refused(
        set(2_233_445, json!({"products": []})).await,
        403,
        "access_denied|missing_permission",
        "not in your account's hierarchy",
    );
    assert_refused(
        client
            .list_subaccount_products()
            .subaccount_id(999)
            .send()
            .await,
        404,
        "not_found",
        "was not found",
    );
    finish(sandbox).await;
}

/// Numbers as floats, so that the documented `218` and the typed `218.0` compare equal.
fn numbers_as_floats(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), numbers_as_floats(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(numbers_as_floats).collect()),
        Value::Number(n) => n.as_f64().map_or_else(|| value.clone(), Value::from),
        other => other.clone(),
    }
}

#[tokio::test]
async fn the_report_totals_the_subaccounts_own_orders() {
    let sandbox = start().await;
    let client = services(&sandbox);
    let orders = client
        .list_subaccount_orders()
        .send()
        .await
        .unwrap()
        .into_inner()
        .orders;
    let billed = |account: i64| {
        let mut totals: BTreeMap<String, f64> = BTreeMap::new();
        for order in orders.iter().filter(|o| o.subaccount.account_id == account) {
            let price = order
                .order_price
                .as_ref()
                .expect("seeded orders have prices");
            *totals.entry(price.currency.clone()).or_default() += price.cost;
        }
        totals
    };
    let report = |id: i64| {
        let client = &client;
        async move {
            client
                .get_subaccount_report()
                .subaccount_id(id)
                .send()
                .await
                .expect("report")
                .into_inner()
        }
    };
    // One currency: order_price is the sum of what the parent was billed.
    let real = report(1_122_339).await;
    let totals = billed(1_122_339);
    assert_eq!(totals.len(), 1);
    let price = real.order_price.expect("order_price");
    assert_eq!(price.currency, "USD");
    assert!((price.cost - totals["USD"]).abs() < 1e-9);
    assert!(real.order_prices.is_empty());
    // The seed charged 1122339 250 + 480 + 1400 USD for its three orders.
    let charged = real.subaccount_price.expect("subaccount_price");
    assert_eq!((charged.cost, charged.currency.as_str()), (2130.0, "USD"));

    // Two currencies: order_prices has both; order_price the newest order's currency.
    let northwind = report(1_122_340).await;
    let totals = billed(1_122_340);
    let listed: BTreeMap<String, f64> = northwind
        .order_prices
        .iter()
        .map(|p| (p.currency.clone(), p.cost))
        .collect();
    assert_eq!(listed, totals);
    let newest = orders
        .iter()
        .filter(|o| o.subaccount.account_id == 1_122_340)
        .max_by_key(|o| o.date_created)
        .unwrap();
    let newest_currency = &newest.order_price.as_ref().unwrap().currency;
    assert_eq!(&northwind.order_price.unwrap().currency, newest_currency);
    // Its display currency is USD: the EUR charge does not count.
    assert_eq!(northwind.subaccount_price.unwrap().currency, "USD");

    // A sub-subaccount's report is readable from above; others are not.
    report(1_122_345).await;
    assert_refused(
        client
            .get_subaccount_report()
            .subaccount_id(2_233_445)
            .send()
            .await,
        403,
        "access_denied|missing_permission",
        "not in your account's hierarchy",
    );
    finish(sandbox).await;
}

#[tokio::test]
async fn account_emails_replace_each_list_sent_and_read_back() {
    let sandbox = start().await;
    let client = services(&sandbox);
    let stored = |sandbox: &digicert_sandbox::Sandbox| {
        let emails = sandbox.certcentral_account_emails(1_122_331).unwrap();
        (
            emails.admin_email.map(|l| l.to_string()),
            emails.emergency_emails.map(|l| l.to_string()),
        )
    };
    assert_eq!(
        stored(&sandbox),
        (
            Some("admin@reseller.example".to_owned()),
            Some("security@reseller.example".to_owned())
        )
    );
    let send = |admin: Option<&str>, emergency: Option<&str>| {
        let client = &client;
        let change = AccountEmailsChange {
            admin_email: admin.map(|a| a.parse().unwrap()),
            emergency_emails: emergency.map(|e| e.parse().unwrap()),
        };
        async move { client.update_account_emails().body(change).send().await }
    };
    let response = send(
        Some("will.smith@example.com, carlton.banks@example.com"),
        Some("bob@example.com,ALICE@example.com, alice@example.com"),
    )
    .await
    .expect("replace both");
    assert_eq!(response.status().as_u16(), 204);
    // Duplicates dropped case-insensitively, the first spelling kept.
    assert_eq!(
        stored(&sandbox),
        (
            Some("will.smith@example.com, carlton.banks@example.com".to_owned()),
            Some("bob@example.com, ALICE@example.com".to_owned())
        )
    );
    // Over HTTP, the key's own account: the same shape as the PUT body.
    let (status, body) = raw(http()
        .get(format!(
            "{}/_sandbox/certcentral/account-emails",
            sandbox.url()
        ))
        .header("X-DC-DEVKEY", key(&sandbox, KeyKind::CertCentral).expose())
        .send()
        .await
        .unwrap())
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"admin_email": "will.smith@example.com, carlton.banks@example.com",
               "emergency_emails": "bob@example.com, ALICE@example.com"})
    );
    // A list left out stays.
    send(Some("solo@example.com"), None).await.unwrap();
    assert_eq!(
        stored(&sandbox),
        (
            Some("solo@example.com".to_owned()),
            Some("bob@example.com, ALICE@example.com".to_owned())
        )
    );
    // admin_email: at most 255 characters as sent.
    let exactly: String = {
        let mut list: Vec<String> = (0..12).map(|i| format!("user{i:02}@example.com")).collect();
        let written = list.join(", ").len();
        let pad = 255 - written - 2 - "@example.com".len();
        list.push(format!("{}@example.com", "x".repeat(pad)));
        list.join(", ")
    };
    assert_eq!(exactly.len(), 255);
    send(Some(&exactly), None).await.expect("255 characters");
    let too_long = format!("{exactly}x");
    assert_refused(
        send(Some(&too_long), None).await,
        400,
        "bad_request_format",
        "admin_email: 256 characters; at most 255 are allowed",
    );
    assert_refused(
        send(Some("ok@example.com, not-an-address"), None).await,
        400,
        "bad_request_format",
        "admin_email[1]: \"not-an-address\" is not a valid email address",
    );
    assert_refused(
        send(None, Some("")).await,
        400,
        "bad_request_format",
        "emergency_emails: give at least one email address",
    );
    assert_refused(
        send(None, None).await,
        400,
        "bad_request_format",
        "the body changes nothing",
    );
    // None of the refusals changed anything.
    assert_eq!(stored(&sandbox).0.as_deref(), Some(exactly.as_str()));
    finish(sandbox).await;
}

#[tokio::test]
async fn a_new_subaccount_is_dated_by_the_sandbox_clock() {
    let sandbox = start().await;
    let client = services(&sandbox);
    // 400 days ahead: no real clock can reach that during the test.
    sandbox
        .advance_clock(std::time::Duration::from_secs(400 * 86_400))
        .expect("advance the clock");
    let now = sandbox.now();
    let created = client
        .create_subaccount()
        .body(new_subaccount("retail", &["retail"], "Future Widgets LLC"))
        .send()
        .await
        .expect("create")
        .into_inner();
    let info = client
        .get_subaccount()
        .subaccount_id(created.id)
        .send()
        .await
        .expect("info")
        .into_inner();
    let dated = info.date_created.assume_utc();
    let drift = (dated - now).num_seconds();
    assert!(
        (0..=5).contains(&drift),
        "date_created {dated} should be the sandbox's time {now}, not the system's"
    );
    finish(sandbox).await;
}
