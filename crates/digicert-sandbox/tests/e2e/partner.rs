//! The Partner Subscriptions API through the generated client: every operation, and each
//! rule from DigiCert's docs (key scopes, new keys, emergency emails, settings, reporting).

use digicert::partner::types::{AccountSettingUpdate, CreateSubaccountRequest};
use digicert::{ApiKey, partner};
use digicert_sandbox::{KeyKind, Seed};

use crate::common::{
    assert_refused, emails, finish, key, partner, refused, spec, start, start_seeded,
};

fn create_request(name: &str, addresses: &[&str]) -> CreateSubaccountRequest {
    CreateSubaccountRequest {
        name: name.parse().expect("a non-empty name"),
        api_key_name: format!("{name} key").parse().expect("a non-empty key name"),
        emergency_contact_emails: addresses.iter().map(|a| (*a).to_owned()).collect(),
    }
}

async fn list_emails(client: &partner::Client) -> Vec<String> {
    client
        .get_emergency_emails()
        .send()
        .await
        .expect("get_emergency_emails")
        .into_inner()
        .emergency_contact_emails
}

/// `(value, is_default)` of auto_renew_subscription.
async fn auto_renew(client: &partner::Client) -> (String, bool) {
    let settings = client
        .list_account_settings()
        .send()
        .await
        .expect("list_account_settings")
        .into_inner()
        .settings;
    assert_eq!(settings.len(), 1, "one documented setting");
    assert_eq!(settings[0].name, "auto_renew_subscription");
    (settings[0].value.clone(), settings[0].is_default)
}

/// Sets auto_renew_subscription to `value` and expects success.
async fn set_auto_renew(client: &partner::Client, value: &str) {
    client
        .update_account_setting()
        .body(setting(value))
        .send()
        .await
        .unwrap_or_else(|e| panic!("set auto_renew_subscription to {value}: {e}"));
}

fn setting(value: &str) -> AccountSettingUpdate {
    AccountSettingUpdate {
        name: "auto_renew_subscription".parse().expect("a setting name"),
        value: value.to_owned(),
    }
}

#[tokio::test]
async fn every_operation_answers_with_its_documented_success_status() {
    let sandbox = start().await;
    let parent = partner(&sandbox, KeyKind::PartnerParent);
    let sub = partner(&sandbox, KeyKind::PartnerSubaccount);

    let created = parent
        .create_subaccount()
        .body(create_request("Tour", &["tour@example.com"]))
        .send()
        .await
        .expect("create_subaccount");
    assert_eq!(created.status().as_u16(), 201);

    let got = sub.get_emergency_emails().send().await.expect("get");
    assert_eq!(got.status().as_u16(), 200);
    let added = sub
        .add_emergency_emails()
        .body(emails(&["oncall@acme.example"]))
        .send()
        .await
        .expect("add");
    assert_eq!(added.status().as_u16(), 204);
    let deleted = sub
        .delete_emergency_emails()
        .body(emails(&["oncall@acme.example"]))
        .send()
        .await
        .expect("delete");
    assert_eq!(deleted.status().as_u16(), 204);

    let report = parent.get_acme_reporting().send().await.expect("reporting");
    assert_eq!(report.status().as_u16(), 200);
    let settings = sub.list_account_settings().send().await.expect("settings");
    assert_eq!(settings.status().as_u16(), 200);
    let updated = sub
        .update_account_setting()
        .body(setting("1"))
        .send()
        .await
        .expect("update setting");
    assert_eq!(updated.status().as_u16(), 204);
    finish(sandbox).await;
}

#[tokio::test]
async fn unknown_keys_get_401_on_every_operation() {
    let sandbox = start().await;
    let stranger = sandbox
        .partner_client(ApiKey::new("not-a-sandbox-key").unwrap())
        .unwrap();
    let says = "not valid";
    assert_refused(
        stranger
            .create_subaccount()
            .body(create_request("x", &[]))
            .send()
            .await,
        401,
        "invalid_api_key",
        says,
    );
    assert_refused(
        stranger.get_emergency_emails().send().await,
        401,
        "invalid_api_key",
        says,
    );
    assert_refused(
        stranger
            .add_emergency_emails()
            .body(emails(&["a@example.com"]))
            .send()
            .await,
        401,
        "invalid_api_key",
        says,
    );
    assert_refused(
        stranger
            .delete_emergency_emails()
            .body(emails(&["a@example.com"]))
            .send()
            .await,
        401,
        "invalid_api_key",
        says,
    );
    assert_refused(
        stranger.get_acme_reporting().send().await,
        401,
        "invalid_api_key",
        says,
    );
    assert_refused(
        stranger.list_account_settings().send().await,
        401,
        "invalid_api_key",
        says,
    );
    assert_refused(
        stranger
            .update_account_setting()
            .body(setting("1"))
            .send()
            .await,
        401,
        "invalid_api_key",
        says,
    );
    finish(sandbox).await;
}

#[tokio::test]
async fn subaccount_keys_get_403_on_parent_only_operations() {
    let sandbox = start().await;
    let sub = partner(&sandbox, KeyKind::PartnerSubaccount);
    assert_refused(
        sub.create_subaccount()
            .body(create_request("Nested", &["n@example.com"]))
            .send()
            .await,
        403,
        "access_denied",
        "parent account key",
    );
    assert_refused(
        sub.get_acme_reporting().send().await,
        403,
        "access_denied",
        "parent account key",
    );
    // Scope is checked before the body: a subaccount key with a bad body (a blank name)
    // is still 403.
    assert_refused(
        sub.create_subaccount()
            .body(create_request("  ", &[]))
            .send()
            .await,
        403,
        "access_denied",
        "parent account key",
    );
    finish(sandbox).await;
}

#[tokio::test]
async fn keys_of_the_other_family_get_401() {
    let sandbox = start().await;
    let certcentral_key = key(&sandbox, KeyKind::CertCentral);
    let wrong = sandbox.partner_client(certcentral_key).unwrap();
    assert_refused(
        wrong.get_emergency_emails().send().await,
        401,
        "invalid_api_key",
        "CertCentral API key",
    );
    for kind in [KeyKind::PartnerParent, KeyKind::PartnerSubaccount] {
        let wrong = sandbox.services_client(key(&sandbox, kind)).unwrap();
        assert_refused(
            wrong.get_subaccount().subaccount_id(1_122_339).send().await,
            401,
            "invalid_api_key",
            "Partner Subscriptions API key",
        );
    }
    finish(sandbox).await;
}

#[tokio::test]
async fn a_new_subaccount_key_works_at_once_as_a_subaccount_key_and_is_shown_once() {
    let sandbox = start().await;
    let parent = partner(&sandbox, KeyKind::PartnerParent);
    let created = parent
        .create_subaccount()
        .body(create_request(
            "Umbrella",
            &[
                "sec@umbrella.example",
                "SEC@umbrella.example",
                "ops@umbrella.example",
            ],
        ))
        .send()
        .await
        .expect("create_subaccount")
        .into_inner();
    assert_eq!(created.name.as_deref(), Some("Umbrella"));
    assert_eq!(created.api_key.name.as_deref(), Some("Umbrella key"));
    assert!(created.api_key.id.is_some());
    // Duplicates are dropped on creation too.
    assert_eq!(
        created.emergency_contact_emails,
        ["sec@umbrella.example", "ops@umbrella.example"]
    );
    let new_key = created.api_key.api_key.clone();
    assert!(!sandbox.keys().iter().any(|k| k.key == new_key));

    let sub = sandbox.partner_client(new_key.clone()).unwrap();
    assert_eq!(
        list_emails(&sub).await,
        ["sec@umbrella.example", "ops@umbrella.example"]
    );
    assert_eq!(auto_renew(&sub).await, ("0".to_owned(), true));
    assert_refused(
        sub.get_acme_reporting().send().await,
        403,
        "access_denied",
        "subaccount key",
    );
    assert_refused(
        sub.create_subaccount()
            .body(create_request("Grandchild", &[]))
            .send()
            .await,
        403,
        "access_denied",
        "subaccount key",
    );

    // A second subaccount gets another ID and another key.
    let second = parent
        .create_subaccount()
        .body(create_request("Second", &[]))
        .send()
        .await
        .expect("second create")
        .into_inner();
    assert_ne!(second.account_id, created.account_id);
    assert_ne!(second.api_key.api_key, new_key);

    // The key was in exactly one response: the 201 that created it.
    let showing: Vec<_> = sandbox
        .exchanges()
        .into_iter()
        .filter(|e| {
            e.body
                .as_ref()
                .is_some_and(|b| b.to_string().contains(new_key.expose()))
        })
        .collect();
    assert_eq!(showing.len(), 1, "{showing:?}");
    assert_eq!(showing[0].status, 201);
    finish(sandbox).await;
}

#[tokio::test]
async fn create_subaccount_refuses_invalid_input_and_creates_nothing() {
    let sandbox = start().await;
    let parent = partner(&sandbox, KeyKind::PartnerParent);
    assert_refused(
        parent
            .create_subaccount()
            .body(create_request("Bad", &["ok@example.com", "not an email"]))
            .send()
            .await,
        400,
        "invalid_request",
        "emergency_contact_emails[1]: \"not an email\" is not a valid email address",
    );
    assert_refused(
        parent
            .create_subaccount()
            .body(create_request("  ", &[]))
            .send()
            .await,
        400,
        "invalid_request",
        "name: must not be empty",
    );
    let mut no_key_name = create_request("No key name", &[]);
    // An empty name never leaves the client (the spec says `minLength: 1`); a blank one
    // reaches the sandbox, which refuses it.
    no_key_name.api_key_name = "   ".parse().expect("three spaces are not empty");
    assert_refused(
        parent.create_subaccount().body(no_key_name).send().await,
        400,
        "invalid_request",
        "api_key_name: must not be empty",
    );
    // Nothing was created: the next subaccount gets the first free ID after the seed's.
    let created = parent
        .create_subaccount()
        .body(create_request("Good", &[]))
        .send()
        .await
        .expect("create")
        .into_inner();
    assert_eq!(created.account_id, 67_894);
    finish(sandbox).await;
}

#[tokio::test]
async fn emergency_emails_belong_to_the_keys_account() {
    let sandbox = start().await;
    let parent = partner(&sandbox, KeyKind::PartnerParent);
    let sub = partner(&sandbox, KeyKind::PartnerSubaccount);
    assert_eq!(list_emails(&parent).await, ["security@partner.example"]);
    assert_eq!(
        list_emails(&sub).await,
        ["security@acme.example", "emergency@acme.example"]
    );
    parent
        .add_emergency_emails()
        .body(emails(&["noc@partner.example"]))
        .send()
        .await
        .expect("add");
    assert_eq!(
        list_emails(&sub).await,
        ["security@acme.example", "emergency@acme.example"]
    );
    finish(sandbox).await;
}

#[tokio::test]
async fn adding_emails_keeps_existing_ones_and_drops_duplicates() {
    let sandbox = start().await;
    let sub = partner(&sandbox, KeyKind::PartnerSubaccount);
    let answer = sub
        .add_emergency_emails()
        .body(emails(&[
            "security@acme.example",
            "Security@ACME.example",
            "oncall@acme.example",
            "oncall@acme.example",
        ]))
        .send()
        .await
        .expect("add");
    assert_eq!(answer.status().as_u16(), 204);
    assert_eq!(
        list_emails(&sub).await,
        [
            "security@acme.example",
            "emergency@acme.example",
            "oncall@acme.example"
        ]
    );
    finish(sandbox).await;
}

#[tokio::test]
async fn an_invalid_address_is_refused_by_name_and_changes_nothing() {
    let sandbox = start().await;
    let sub = partner(&sandbox, KeyKind::PartnerSubaccount);
    let before = list_emails(&sub).await;
    assert_refused(
        sub.add_emergency_emails()
            .body(emails(&["fine@acme.example", "broken@"]))
            .send()
            .await,
        400,
        "invalid_request",
        "\"broken@\" is not a valid email address",
    );
    assert_refused(
        sub.delete_emergency_emails()
            .body(emails(&["security@acme.example", "@nope"]))
            .send()
            .await,
        400,
        "invalid_request",
        "\"@nope\" is not a valid email address",
    );
    assert_refused(
        sub.add_emergency_emails().body(emails(&[])).send().await,
        400,
        "invalid_request",
        "at least one address",
    );
    assert_eq!(list_emails(&sub).await, before);
    finish(sandbox).await;
}

#[tokio::test]
async fn deleting_removes_but_never_the_last_email() {
    let sandbox = start().await;
    let sub = partner(&sandbox, KeyKind::PartnerSubaccount);
    // Removing every address is refused and changes nothing.
    assert_refused(
        sub.delete_emergency_emails()
            .body(emails(&["security@acme.example", "EMERGENCY@acme.example"]))
            .send()
            .await,
        400,
        "invalid_request",
        "at least one emergency contact email",
    );
    assert_eq!(
        list_emails(&sub).await,
        ["security@acme.example", "emergency@acme.example"]
    );
    // Removing one works; an address not on the list is ignored.
    let answer = sub
        .delete_emergency_emails()
        .body(emails(&["emergency@acme.example", "nobody@acme.example"]))
        .send()
        .await
        .expect("delete");
    assert_eq!(answer.status().as_u16(), 204);
    assert_eq!(list_emails(&sub).await, ["security@acme.example"]);
    // Now the last one cannot go.
    assert_refused(
        sub.delete_emergency_emails()
            .body(emails(&["security@acme.example"]))
            .send()
            .await,
        400,
        "invalid_request",
        "at least one emergency contact email",
    );
    assert_eq!(list_emails(&sub).await, ["security@acme.example"]);
    finish(sandbox).await;
}

#[tokio::test]
async fn setting_the_default_value_removes_the_override() {
    let sandbox = start().await;
    let sub = partner(&sandbox, KeyKind::PartnerSubaccount);
    assert_eq!(auto_renew(&sub).await, ("0".to_owned(), true));

    set_auto_renew(&sub, "1").await;
    assert_eq!(auto_renew(&sub).await, ("1".to_owned(), false));
    // Setting it again changes nothing.
    set_auto_renew(&sub, "1").await;
    assert_eq!(auto_renew(&sub).await, ("1".to_owned(), false));

    set_auto_renew(&sub, "0").await;
    assert_eq!(auto_renew(&sub).await, ("0".to_owned(), true));

    // The parent's settings are its own.
    let parent = partner(&sandbox, KeyKind::PartnerParent);
    assert_eq!(auto_renew(&parent).await, ("0".to_owned(), true));
    finish(sandbox).await;
}

#[tokio::test]
async fn unknown_settings_and_bad_values_are_refused_and_change_nothing() {
    let sandbox = start().await;
    let sub = partner(&sandbox, KeyKind::PartnerSubaccount);
    assert_refused(
        sub.update_account_setting()
            .body(AccountSettingUpdate {
                name: "auto_renew".parse().expect("a setting name"),
                value: "1".to_owned(),
            })
            .send()
            .await,
        400,
        "invalid_request",
        "unknown setting \"auto_renew\"",
    );
    for bad in ["2", "true", "", " 1"] {
        assert_refused(
            sub.update_account_setting().body(setting(bad)).send().await,
            400,
            "invalid_request",
            "is not a value of auto_renew_subscription",
        );
    }
    assert_eq!(auto_renew(&sub).await, ("0".to_owned(), true));
    finish(sandbox).await;
}

#[tokio::test]
async fn reporting_lists_only_subaccounts_with_contracts() {
    let sandbox = start().await;
    let parent = partner(&sandbox, KeyKind::PartnerParent);
    // A new subaccount has no contracts, so it must not show up either.
    parent
        .create_subaccount()
        .body(create_request("Empty", &[]))
        .send()
        .await
        .expect("create");
    let report = parent
        .get_acme_reporting()
        .send()
        .await
        .expect("reporting")
        .into_inner();
    let ids: Vec<i64> = report.accounts.iter().map(|a| a.account_id).collect();
    // 67892 (no contracts) and the new subaccount are left out.
    assert_eq!(ids, [67_891, 67_893]);
    let acme = &report.accounts[0].acme;
    let contracts: Vec<Option<i64>> = acme.iter().map(|c| c.acme_contract_id).collect();
    assert_eq!(contracts, [Some(5678), Some(5679)]);
    assert_eq!(acme[0].product_name_id.as_deref(), Some("ssl_dv_rapidssl"));
    assert_eq!(acme[0].sans, ["acme.example", "www.acme.example"]);
    assert_eq!(acme[0].date_canceled, None);
    assert_eq!(
        acme[1].date_canceled.map(|d| serde_json::json!(d)),
        Some(serde_json::json!("2025-02-10T09:15:00Z"))
    );
    assert!(report.accounts.iter().all(|a| !a.acme.is_empty()));
    finish(sandbox).await;
}

#[tokio::test]
async fn reporting_shows_only_the_callers_own_subaccounts() {
    let seed = Seed::from_json(
        r#"{"partner": {"accounts": [
            {"account_id": 1, "name": "Parent A", "emergency_contact_emails": ["a@a.example"],
             "api_keys": [{"name": "a", "key": "key-of-parent-a"}]},
            {"account_id": 2, "name": "Parent B", "emergency_contact_emails": ["b@b.example"],
             "api_keys": [{"name": "b", "key": "key-of-parent-b"}]},
            {"account_id": 11, "parent_account_id": 1, "name": "A's sub",
             "acme_contracts": [{"acme_contract_id": 100, "product_name_id": "ssl_dv_rapidssl", "sans": ["a.example"]}]},
            {"account_id": 21, "parent_account_id": 2, "name": "B's sub",
             "acme_contracts": [{"acme_contract_id": 200, "product_name_id": "ssl_dv_rapidssl", "sans": ["b.example"]}]}
        ]}}"#,
        "test",
    )
    .expect("seed");
    let sandbox = start_seeded(seed).await;
    for (key, account, contract) in [("key-of-parent-a", 11, 100), ("key-of-parent-b", 21, 200)] {
        let client = sandbox.partner_client(ApiKey::new(key).unwrap()).unwrap();
        let report = client
            .get_acme_reporting()
            .send()
            .await
            .expect("reporting")
            .into_inner();
        assert_eq!(report.accounts.len(), 1);
        assert_eq!(report.accounts[0].account_id, account);
        assert_eq!(report.accounts[0].acme[0].acme_contract_id, Some(contract));
    }
    finish(sandbox).await;
}

#[tokio::test]
async fn a_new_subaccount_without_emails_cannot_delete_anything() {
    let sandbox = start().await;
    let parent = partner(&sandbox, KeyKind::PartnerParent);
    let created = parent
        .create_subaccount()
        .body(create_request("Quiet", &[]))
        .send()
        .await
        .expect("create")
        .into_inner();
    let sub = sandbox.partner_client(created.api_key.api_key).unwrap();
    assert!(list_emails(&sub).await.is_empty());
    let err = refused(
        sub.delete_emergency_emails()
            .body(emails(&["x@quiet.example"]))
            .send()
            .await,
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    sub.add_emergency_emails()
        .body(emails(&["x@quiet.example"]))
        .send()
        .await
        .expect("add");
    assert_eq!(list_emails(&sub).await, ["x@quiet.example"]);
    finish(sandbox).await;
}

#[tokio::test]
async fn an_account_keeps_at_most_the_specs_number_of_emails() {
    let sandbox = start().await;
    let sub = partner(&sandbox, KeyKind::PartnerSubaccount);
    // The cap is the spec's maxItems (x-inferred: DigiCert documents none).
    let cap = spec(digicert_sandbox::Family::Partner).raw["components"]["schemas"]["EmergencyContactEmails"]["properties"]
        ["emergency_contact_emails"]["maxItems"]
        .as_u64()
        .expect("the spec caps the list") as usize;
    let have = list_emails(&sub).await.len();
    let fill: Vec<String> = (have..cap)
        .map(|i| format!("fill{i}@acme.example"))
        .collect();
    let fill: Vec<&str> = fill.iter().map(String::as_str).collect();
    sub.add_emergency_emails()
        .body(emails(&fill))
        .send()
        .await
        .expect("filling the list up to the cap");
    assert_eq!(list_emails(&sub).await.len(), cap);
    let err = refused(
        sub.add_emergency_emails()
            .body(emails(&["one-more@acme.example"]))
            .send()
            .await,
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert!(err.to_string().contains(&format!("at most {cap}")), "{err}");
    assert_eq!(
        list_emails(&sub).await.len(),
        cap,
        "a refusal changes nothing"
    );
    finish(sandbox).await;
}
