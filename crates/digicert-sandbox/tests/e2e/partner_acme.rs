//! ACME contract management through the generated client: the auto-renew default, the
//! create response's EAB credentials, full and partial updates, organization validation,
//! the 30-day cancellation window (moved past with the sandbox's clock), the 250-SAN cap,
//! certificates, credentials, and reporting built from the real contracts.

use std::time::Duration;

use chrono::{DateTime, Datelike, Months, TimeDelta, Timelike, Utc};
use digicert::partner::types as pt;
use digicert::{ApiKey, partner};
use digicert_sandbox::{Error, KeyKind};
use serde_json::json;

use crate::common::{assert_refused, finish, first_error, http, partner, raw, start};
use crate::partner_support::{
    contract, create, dv, new_subaccount, organization, organization_request, sans,
    with_organization,
};

const DAY: u64 = 86_400;

async fn credentials(client: &partner::Client, id: i64) -> Vec<pt::AcmeCredential> {
    client
        .list_acme_credentials()
        .acme_contract_id(id)
        .send()
        .await
        .expect("list_acme_credentials")
        .into_inner()
        .credentials
}

/// `(credential_id, status)` of every credential.
async fn statuses(client: &partner::Client, id: i64) -> Vec<(i64, pt::AcmeCredentialStatus)> {
    credentials(client, id)
        .await
        .into_iter()
        .map(|c| (c.credential_id, c.status))
        .collect()
}

async fn patch(client: &partner::Client, id: i64, update: pt::AcmeContractUpdate) {
    client
        .update_acme_contract()
        .acme_contract_id(id)
        .body(update)
        .send()
        .await
        .expect("update_acme_contract");
}

async fn put(client: &partner::Client, id: i64, replacement: pt::AcmeContractReplacement) {
    client
        .replace_acme_contract()
        .acme_contract_id(id)
        .body(replacement)
        .send()
        .await
        .expect("replace_acme_contract");
}

#[tokio::test]
async fn auto_renew_defaults_to_the_accounts_setting_unless_the_request_says() {
    let sandbox = start().await;
    // (the account's auto_renew_subscription, the request's auto_renew, expected)
    let cases = [
        (None, None, false),
        (Some("0"), None, false),
        (Some("1"), None, true),
        (Some("1"), Some(false), false),
        (None, Some(true), true),
        (Some("0"), Some(true), true),
    ];
    for (index, (setting, explicit, expected)) in cases.into_iter().enumerate() {
        let (_, sub) = new_subaccount(&sandbox, &format!("Renew{index}"), setting).await;
        let created = create(&sub, dv(&["renew.example"], explicit)).await;
        let got = contract(&sub, created.acme_contract_id).await;
        assert_eq!(
            got.auto_renew, expected,
            "setting {setting:?}, auto_renew {explicit:?}"
        );
    }
    // Changing the setting later does not touch existing contracts.
    let (_, sub) = new_subaccount(&sandbox, "Later", Some("1")).await;
    let id = create(&sub, dv(&["later.example"], None))
        .await
        .acme_contract_id;
    sub.update_account_setting()
        .body_map(|b| b.name("auto_renew_subscription").value("0"))
        .send()
        .await
        .expect("setting");
    assert!(contract(&sub, id).await.auto_renew);
    finish(sandbox).await;
}

#[tokio::test]
async fn create_returns_the_directory_and_fresh_eab_credentials_once() {
    let sandbox = start().await;
    let (account, sub) = new_subaccount(&sandbox, "Eab", None).await;
    let before = sandbox.now();
    let first = create(&sub, dv(&["eab.example", "www.eab.example"], None)).await;
    let second = create(&sub, dv(&["other.eab.example"], None)).await;
    assert_ne!(first.acme_contract_id, second.acme_contract_id);
    assert_eq!(
        first.acme_directory_url,
        "https://acme.digicert.com/v2/acme/directory/"
    );
    let (a, b) = (&first.eab_set, &second.eab_set);
    assert_ne!(a.hmac_key.expose(), b.hmac_key.expose());
    assert_ne!(a.kid, b.kid);
    assert!(a.hmac_key.expose().len() >= 43, "32 random bytes");
    assert!(!format!("{first:?}").contains(a.hmac_key.expose()));

    // The new credential is listed by its hint, never with its HMAC key.
    let listed = credentials(&sub, first.acme_contract_id).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(Some(listed[0].credential_id), a.credential_id);
    assert_eq!(listed[0].kid_hint, a.kid[a.kid.len() - 4..]);
    assert_eq!(listed[0].status, pt::AcmeCredentialStatus::Active);

    // The contract as created.
    let got = contract(&sub, first.acme_contract_id).await;
    assert_eq!(got.account_id, account);
    assert_eq!(got.product_name_id, "ssl_dv_rapidssl");
    assert_eq!(got.sans, ["eab.example", "www.eab.example"]);
    assert!(got.created_at >= before && got.created_at - before < TimeDelta::seconds(5));
    assert_eq!(got.valid_till, got.created_at + Months::new(12));
    assert!(got.organization.is_none());
    assert!(!got.is_organization_validated);
    assert_eq!(got.date_canceled, None);

    // Each HMAC key went over the wire exactly once: in its 201.
    for secret in [a.hmac_key.expose(), b.hmac_key.expose()] {
        let showing: Vec<_> = sandbox
            .exchanges()
            .into_iter()
            .filter(|e| {
                e.body
                    .as_ref()
                    .is_some_and(|b| b.to_string().contains(secret))
            })
            .collect();
        assert_eq!(showing.len(), 1, "{showing:?}");
        assert_eq!(showing[0].status, 201);
    }
    finish(sandbox).await;
}

#[tokio::test]
async fn create_refuses_bad_requests_and_creates_nothing() {
    let sandbox = start().await;
    let (_, sub) = new_subaccount(&sandbox, "Picky", None).await;
    let ev_without_verified = with_organization("ssl_ev_basic", &["ev.example"], organization());
    let too_many: Vec<String> = (0..251).map(|i| format!("host{i}.example")).collect();
    let too_many: Vec<&str> = too_many.iter().map(String::as_str).collect();
    let mut blank_city = organization();
    blank_city["city"] = json!("  ");
    let mut bad_contact = organization();
    bad_contact["organization_contact"]["email"] = json!("not-an-email");
    let cases = [
        (
            pt::CreateAcmeContractRequest {
                product_name_id: "ssl_gold".parse().unwrap(),
                ..dv(&["a.example"], None)
            },
            "\"ssl_gold\" is not a product the sandbox knows",
        ),
        (dv(&[], None), "sans: must list at least one SAN"),
        (
            dv(&["a.example", "not a name"], None),
            "sans[1]: \"not a name\" is not a DNS name",
        ),
        (dv(&["192.0.2.1"], None), "sans[0]"),
        (dv(&too_many, None), "at most 250"),
        (
            pt::CreateAcmeContractRequest {
                organization: Some(organization_request(organization())),
                ..dv(&["a.example"], None)
            },
            "DV products take no organization",
        ),
        (
            pt::CreateAcmeContractRequest {
                product_name_id: "ssl_basic".parse().unwrap(),
                ..dv(&["a.example"], None)
            },
            "OV and EV products need the organization",
        ),
        (ev_without_verified, "at least one verified contact"),
        (
            with_organization("ssl_basic", &["a.example"], blank_city),
            "organization.city: must not be blank",
        ),
        (
            with_organization("ssl_basic", &["a.example"], bad_contact),
            "organization.organization_contact.email: \"not-an-email\"",
        ),
    ];
    for (request, says) in cases {
        assert_refused(
            sub.create_acme_contract().body(request).send().await,
            400,
            "invalid_request",
            says,
        );
    }
    // Nothing was created: reporting does not list the subaccount.
    let parent = partner(&sandbox, KeyKind::PartnerParent);
    let report = parent
        .get_acme_reporting()
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        report
            .accounts
            .iter()
            .map(|a| a.account_id)
            .collect::<Vec<_>>(),
        [67_891, 67_893]
    );
    finish(sandbox).await;
}

#[tokio::test]
async fn put_replaces_everything_and_patch_only_what_it_sends() {
    let sandbox = start().await;
    let (_, sub) = new_subaccount(&sandbox, "Updates", Some("1")).await;
    let id = create(&sub, dv(&["updates.example"], None))
        .await
        .acme_contract_id;
    assert!(contract(&sub, id).await.auto_renew);

    // PUT without auto_renew resets it to false.
    put(&sub, id, pt::AcmeContractReplacement::default()).await;
    assert!(!contract(&sub, id).await.auto_renew);
    put(
        &sub,
        id,
        pt::AcmeContractReplacement {
            auto_renew: Some(true),
            organization: None,
        },
    )
    .await;
    assert!(contract(&sub, id).await.auto_renew);

    // PATCH without auto_renew keeps it; with it, sets it.
    patch(&sub, id, pt::AcmeContractUpdate::default()).await;
    assert!(contract(&sub, id).await.auto_renew);
    patch(
        &sub,
        id,
        pt::AcmeContractUpdate {
            auto_renew: Some(false),
            organization: None,
        },
    )
    .await;
    let got = contract(&sub, id).await;
    assert!(!got.auto_renew);
    assert_eq!(got.sans, ["updates.example"], "nothing else changed");
    // A DV contract takes no organization, in PUT or PATCH.
    assert_refused(
        sub.update_acme_contract()
            .acme_contract_id(id)
            .body(pt::AcmeContractUpdate {
                auto_renew: None,
                organization: Some(organization_request(organization())),
            })
            .send()
            .await,
        400,
        "invalid_request",
        "DV products take no organization",
    );
    finish(sandbox).await;
}

#[tokio::test]
async fn an_organization_name_or_address_change_voids_validation_a_contact_change_does_not() {
    let sandbox = start().await;
    let (_, sub) = new_subaccount(&sandbox, "Org", None).await;
    let id = create(
        &sub,
        with_organization("ssl_basic", &["org.example"], organization()),
    )
    .await
    .acme_contract_id;
    let got = contract(&sub, id).await;
    let org = got
        .organization
        .expect("an OV contract has its organization");
    assert_eq!(org.name, "Example Corporation");
    assert_eq!(org.address2.as_deref(), Some("Suite 500"));
    assert_eq!(
        org.organization_contact.map(|c| c.email).as_deref(),
        Some("john.doe@example.com")
    );
    assert!(
        !got.is_organization_validated,
        "new organizations await validation"
    );
    sandbox.validate_organization(id).expect("validate");
    assert!(contract(&sub, id).await.is_organization_validated);

    // Contacts change: still validated (PATCH and PUT alike).
    let mut contacts = organization();
    contacts["organization_contact"]["email"] = json!("new.contact@example.com");
    contacts["technical_contact"] =
        json!({"first_name": "Tom", "last_name": "Tech", "email": "tom@example.com"});
    patch(
        &sub,
        id,
        pt::AcmeContractUpdate {
            auto_renew: None,
            organization: Some(organization_request(contacts.clone())),
        },
    )
    .await;
    let got = contract(&sub, id).await;
    assert!(got.is_organization_validated);
    assert_eq!(
        got.organization
            .and_then(|o| o.organization_contact)
            .map(|c| c.email)
            .as_deref(),
        Some("new.contact@example.com")
    );
    put(
        &sub,
        id,
        pt::AcmeContractReplacement {
            auto_renew: Some(true),
            organization: Some(organization_request(contacts.clone())),
        },
    )
    .await;
    assert!(contract(&sub, id).await.is_organization_validated);

    // A change of any one of these voids it.
    let set_organization = |organization| pt::AcmeContractUpdate {
        auto_renew: None,
        organization: Some(organization_request(organization)),
    };
    for (field, value) in [
        ("name", "Example Holdings"),
        ("address", "1 Other Street"),
        ("address2", "Floor 2"),
        ("city", "Oakland"),
        ("zip", "94607"),
        ("assumed_name", "Ex Corp"),
        ("telephone", "+1-555-0199"),
    ] {
        // Back to the organization as it was, validated.
        patch(&sub, id, set_organization(contacts.clone())).await;
        sandbox.validate_organization(id).expect("validate");
        let mut changed = contacts.clone();
        changed[field] = json!(value);
        patch(&sub, id, set_organization(changed)).await;
        let got = contract(&sub, id).await;
        assert!(!got.is_organization_validated, "{field}");
        assert!(got.auto_renew, "PATCH left auto_renew alone ({field})");
    }
    // PUT voids it the same way.
    patch(&sub, id, set_organization(contacts.clone())).await;
    sandbox.validate_organization(id).expect("validate");
    let mut renamed = contacts.clone();
    renamed["name"] = json!("Renamed Inc.");
    put(
        &sub,
        id,
        pt::AcmeContractReplacement {
            auto_renew: Some(true),
            organization: Some(organization_request(renamed)),
        },
    )
    .await;
    assert!(!contract(&sub, id).await.is_organization_validated);
    // PUT: an OV contract must send its organization.
    assert_refused(
        sub.replace_acme_contract()
            .acme_contract_id(id)
            .body(pt::AcmeContractReplacement {
                auto_renew: Some(true),
                organization: None,
            })
            .send()
            .await,
        400,
        "invalid_request",
        "need the organization",
    );
    // Validation of a DV or unknown contract is refused.
    let dv_id = create(&sub, dv(&["dv.example"], None))
        .await
        .acme_contract_id;
    for (id, says) in [(dv_id, "DV contract"), (424_242, "not found")] {
        match sandbox.validate_organization(id) {
            Err(Error::Control { message }) => assert!(message.contains(says), "{message}"),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
    finish(sandbox).await;
}

#[tokio::test]
async fn validate_organization_is_also_a_control_endpoint() {
    let sandbox = start().await;
    let (_, sub) = new_subaccount(&sandbox, "Control", None).await;
    let ev = {
        let mut o = organization();
        o["verified_contacts"] =
            json!([{"first_name": "Vera", "last_name": "Fied", "email": "vera@example.com"}]);
        o
    };
    let id = create(&sub, with_organization("ssl_ev_basic", &["ev.example"], ev))
        .await
        .acme_contract_id;
    let dv_id = create(&sub, dv(&["dv.example"], None))
        .await
        .acme_contract_id;
    let url = |id: &str| {
        format!(
            "{}/_sandbox/partner/acme/{id}/validate-organization",
            sandbox.url()
        )
    };
    let (status, body) = raw(http().post(url(&id.to_string())).send().await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"acme_contract_id": id, "is_organization_validated": true})
    );
    assert!(contract(&sub, id).await.is_organization_validated);
    for (raw_id, expected, says) in [
        (dv_id.to_string(), 400, "DV contract"),
        ("999".to_owned(), 404, "not found"),
        ("x1".to_owned(), 404, "not a valid ID"),
    ] {
        let (status, body) = raw(http().post(url(&raw_id)).send().await.unwrap()).await;
        assert_eq!(status, expected, "{raw_id}: {body}");
        assert!(first_error(&body).1.contains(says), "{body}");
    }
    let response = http().get(url(&id.to_string())).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 405);
    assert_eq!(
        response
            .headers()
            .get("allow")
            .and_then(|a| a.to_str().ok()),
        Some("POST")
    );
    finish(sandbox).await;
}

#[tokio::test]
async fn cancel_works_within_30_days_once_and_a_canceled_contract_refuses_changes() {
    let sandbox = start().await;
    let (_, sub) = new_subaccount(&sandbox, "Cancel", None).await;
    let id = create(&sub, dv(&["cancel.example"], Some(true)))
        .await
        .acme_contract_id;
    let late = create(&sub, dv(&["late.example"], Some(true)))
        .await
        .acme_contract_id;
    let created = contract(&sub, id).await.created_at;

    // 30 days less a minute later, canceling still works.
    sandbox
        .advance_clock(Duration::from_secs(30 * DAY - 60))
        .expect("advance");
    let answer = sub
        .cancel_acme_contract()
        .acme_contract_id(id)
        .send()
        .await
        .expect("cancel");
    assert_eq!(answer.status().as_u16(), 204);
    let got = contract(&sub, id).await;
    let canceled = got.date_canceled.expect("canceled");
    assert!(canceled - created >= TimeDelta::days(30) - TimeDelta::seconds(60));
    assert!(got.auto_renew, "canceling leaves the setting as it was");

    // A second cancel, SAN changes, updates and new credentials are refused.
    assert_refused(
        sub.cancel_acme_contract().acme_contract_id(id).send().await,
        400,
        "invalid_request",
        "canceling is irreversible",
    );
    assert_refused(
        sub.add_acme_sans()
            .acme_contract_id(id)
            .body(sans(&["more.example"]))
            .send()
            .await,
        400,
        "invalid_request",
        "SANs cannot be changed on a canceled ACME contract",
    );
    assert_refused(
        sub.remove_acme_sans()
            .acme_contract_id(id)
            .body(sans(&["cancel.example"]))
            .send()
            .await,
        400,
        "invalid_request",
        "SANs cannot be changed on a canceled ACME contract",
    );
    assert_refused(
        sub.update_acme_contract()
            .acme_contract_id(id)
            .body(pt::AcmeContractUpdate::default())
            .send()
            .await,
        400,
        "invalid_request",
        "cannot be changed",
    );
    assert_refused(
        sub.replace_acme_contract()
            .acme_contract_id(id)
            .body(pt::AcmeContractReplacement::default())
            .send()
            .await,
        400,
        "invalid_request",
        "cannot be changed",
    );
    assert_refused(
        sub.regenerate_acme_credentials()
            .acme_contract_id(id)
            .body(pt::AcmeCredentialsRegenerateRequest::default())
            .send()
            .await,
        400,
        "invalid_request",
        "no new credentials",
    );
    // Its credentials went with it; revoking again is harmless.
    assert!(
        statuses(&sub, id)
            .await
            .iter()
            .all(|(_, s)| *s == pt::AcmeCredentialStatus::Revoked)
    );
    sub.revoke_acme_credentials()
        .acme_contract_id(id)
        .send()
        .await
        .expect("revoke all, again");
    assert_eq!(contract(&sub, id).await.sans, ["cancel.example"]);

    // Two minutes later the other contract is past its 30 days: 400, and the way out is
    // turning auto_renew off.
    sandbox
        .advance_clock(Duration::from_secs(120))
        .expect("advance");
    assert_refused(
        sub.cancel_acme_contract()
            .acme_contract_id(late)
            .send()
            .await,
        400,
        "invalid_request",
        "30 days after its creation",
    );
    assert_eq!(contract(&sub, late).await.date_canceled, None);
    patch(
        &sub,
        late,
        pt::AcmeContractUpdate {
            auto_renew: Some(false),
            organization: None,
        },
    )
    .await;
    assert!(!contract(&sub, late).await.auto_renew);
    // The seeded contract 5678 was created in January 2025: far too old.
    let seeded = partner(&sandbox, KeyKind::PartnerSubaccount);
    assert_refused(
        seeded
            .cancel_acme_contract()
            .acme_contract_id(5678)
            .send()
            .await,
        400,
        "invalid_request",
        "2025-01-29T10:30:00Z",
    );
    finish(sandbox).await;
}

#[tokio::test]
async fn sans_are_added_and_removed_up_to_250_and_never_down_to_none() {
    let sandbox = start().await;
    let (_, sub) = new_subaccount(&sandbox, "Sans", None).await;
    let names: Vec<String> = (0..249).map(|i| format!("h{i}.sans.example")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let id = create(&sub, dv(&names, None)).await.acme_contract_id;
    let add = |names: &'static [&'static str]| {
        sub.add_acme_sans()
            .acme_contract_id(id)
            .body(sans(names))
            .send()
    };
    let remove = |names: &'static [&'static str]| {
        sub.remove_acme_sans()
            .acme_contract_id(id)
            .body(sans(names))
            .send()
    };
    // The 250th, with a duplicate in another case and one already covered.
    let answer = add(&["*.sans.example", "*.SANS.example", "h0.sans.example"])
        .await
        .expect("add");
    assert_eq!(answer.status().as_u16(), 204);
    let got = contract(&sub, id).await.sans;
    assert_eq!(got.len(), 250);
    assert_eq!(got.last().map(String::as_str), Some("*.sans.example"));
    // The 251st is refused and changes nothing; an already covered one is still fine.
    assert_refused(
        add(&["one-too-many.example"]).await,
        400,
        "invalid_request",
        "would cover 251 SANs; an ACME contract covers at most 250",
    );
    assert_eq!(contract(&sub, id).await.sans.len(), 250);
    add(&["H1.sans.example"]).await.expect("nothing new");
    assert_eq!(contract(&sub, id).await.sans.len(), 250);

    // Removing: case-insensitive, unknown names ignored.
    remove(&["H0.SANS.example", "nowhere.example"])
        .await
        .expect("remove");
    let got = contract(&sub, id).await.sans;
    assert_eq!(got.len(), 249);
    assert!(!got.iter().any(|s| s == "h0.sans.example"));
    assert_refused(
        add(&["ok.example", "bad_name.example"]).await,
        400,
        "invalid_request",
        "sans[1]: \"bad_name.example\" is not a DNS name",
    );
    assert_refused(add(&[]).await, 400, "invalid_request", "at least one SAN");

    // A contract keeps at least one SAN.
    let small = create(&sub, dv(&["a.small.example", "b.small.example"], None))
        .await
        .acme_contract_id;
    assert_refused(
        sub.remove_acme_sans()
            .acme_contract_id(small)
            .body(sans(&["a.small.example", "B.small.example"]))
            .send()
            .await,
        400,
        "invalid_request",
        "at least one SAN",
    );
    assert_eq!(contract(&sub, small).await.sans.len(), 2);
    finish(sandbox).await;
}

#[tokio::test]
async fn credentials_regenerate_and_revoke_as_documented() {
    let sandbox = start().await;
    let (_, sub) = new_subaccount(&sandbox, "Creds", None).await;
    let created = create(&sub, dv(&["creds.example"], None)).await;
    let id = created.acme_contract_id;
    let first = created.eab_set.credential_id.expect("an ID");
    use pt::AcmeCredentialStatus::{Active, Revoked};

    // Regenerate (default: revoke the existing ones first).
    let regenerated = sub
        .regenerate_acme_credentials()
        .acme_contract_id(id)
        .body(pt::AcmeCredentialsRegenerateRequest::default())
        .send()
        .await
        .expect("regenerate");
    assert_eq!(regenerated.status().as_u16(), 200);
    let regenerated = regenerated.into_inner();
    assert_eq!(
        regenerated.acme_directory_url,
        "https://acme.digicert.com/v2/acme/directory/"
    );
    let second = regenerated.eab_set.credential_id.expect("an ID");
    assert_ne!(
        regenerated.eab_set.hmac_key.expose(),
        created.eab_set.hmac_key.expose()
    );
    assert_eq!(
        statuses(&sub, id).await,
        [(first, Revoked), (second, Active)]
    );

    // revoke_existing false keeps the others active.
    let third = sub
        .regenerate_acme_credentials()
        .acme_contract_id(id)
        .body(pt::AcmeCredentialsRegenerateRequest {
            revoke_existing: false,
        })
        .send()
        .await
        .expect("regenerate, keeping")
        .into_inner()
        .eab_set
        .credential_id
        .expect("an ID");
    assert_eq!(
        statuses(&sub, id).await,
        [(first, Revoked), (second, Active), (third, Active)]
    );

    // Revoke one: the others stay; again: still fine.
    for _ in 0..2 {
        sub.revoke_acme_credential()
            .acme_contract_id(id)
            .credential_id(second)
            .send()
            .await
            .expect("revoke one");
    }
    assert_eq!(
        statuses(&sub, id).await,
        [(first, Revoked), (second, Revoked), (third, Active)]
    );
    assert_refused(
        sub.revoke_acme_credential()
            .acme_contract_id(id)
            .credential_id(999)
            .send()
            .await,
        404,
        "resource_not_found",
        "no credential 999",
    );
    // A credential of another contract is not this contract's.
    let other = create(&sub, dv(&["other.creds.example"], None)).await;
    assert_refused(
        sub.revoke_acme_credential()
            .acme_contract_id(id)
            .credential_id(other.eab_set.credential_id.unwrap())
            .send()
            .await,
        404,
        "resource_not_found",
        "has no credential",
    );

    // Revoke all: every credential, but the contract stays active.
    let answer = sub
        .revoke_acme_credentials()
        .acme_contract_id(id)
        .send()
        .await
        .expect("revoke all");
    assert_eq!(answer.status().as_u16(), 204);
    assert!(statuses(&sub, id).await.iter().all(|(_, s)| *s == Revoked));
    let got = contract(&sub, id).await;
    assert_eq!(got.date_canceled, None);
    sub.add_acme_sans()
        .acme_contract_id(id)
        .body(sans(&["still.creds.example"]))
        .send()
        .await
        .expect("the contract still works");
    assert_eq!(
        statuses(&sub, other.acme_contract_id).await[0].1,
        Active,
        "another contract's credentials are untouched"
    );
    finish(sandbox).await;
}

#[tokio::test]
async fn credential_timestamps_are_digicerts_layout_from_the_sandbox_clock() {
    let sandbox = start().await;
    let (_, sub) = new_subaccount(&sandbox, "Stamps", None).await;
    let moved = sandbox
        .advance_clock(Duration::from_secs(400 * DAY))
        .expect("advance");
    let id = create(&sub, dv(&["stamps.example"], None))
        .await
        .acme_contract_id;
    let listed = credentials(&sub, id).await;
    let stamp = listed[0].created_at.assume_utc();
    assert!(stamp >= moved && stamp - moved < TimeDelta::seconds(5));
    // On the wire: `YYYY-MM-DD hh:mm:ss`, while the contract's are RFC 3339.
    let exchanges = sandbox.exchanges();
    let body = exchanges
        .iter()
        .rev()
        .find(|e| e.operation_id == Some("list_acme_credentials"))
        .and_then(|e| e.body.clone())
        .expect("the list's body");
    let text = body["credentials"][0]["created_at"].as_str().unwrap();
    assert_eq!(text, listed[0].created_at.to_string());
    assert_eq!(text.len(), 19);
    assert_eq!(&text[10..11], " ");
    let got = contract(&sub, id).await;
    assert!(got.created_at >= moved);
    finish(sandbox).await;
}

#[tokio::test]
async fn certificates_come_from_the_seed() {
    let sandbox = start().await;
    let sub = partner(&sandbox, KeyKind::PartnerSubaccount);
    let listed = sub
        .list_acme_certificates()
        .acme_contract_id(5678)
        .send()
        .await
        .expect("certificates")
        .into_inner()
        .certificates;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].domain, "acme.example");
    assert_eq!(listed[0].status, pt::AcmeCertificateStatus::Issued);
    assert_eq!(listed[0].sans, ["acme.example", "www.acme.example"]);
    let new = create(&sub, dv(&["new.acme.example"], None)).await;
    let listed = sub
        .list_acme_certificates()
        .acme_contract_id(new.acme_contract_id)
        .send()
        .await
        .expect("certificates")
        .into_inner()
        .certificates;
    assert!(listed.is_empty(), "the sandbox issues no certificates");
    finish(sandbox).await;
}

#[tokio::test]
async fn contracts_of_other_accounts_are_403_and_unknown_ones_404() {
    let sandbox = start().await;
    let sub = partner(&sandbox, KeyKind::PartnerSubaccount);
    // 5701 belongs to subaccount 67893, a sibling.
    assert_refused(
        sub.get_acme_contract().acme_contract_id(5701).send().await,
        403,
        "access_denied",
        "belongs to another account",
    );
    assert_refused(
        sub.add_acme_sans()
            .acme_contract_id(5701)
            .body(sans(&["steal.example"]))
            .send()
            .await,
        403,
        "access_denied",
        "another account",
    );
    assert_refused(
        sub.list_acme_credentials()
            .acme_contract_id(5701)
            .send()
            .await,
        403,
        "access_denied",
        "another account",
    );
    assert_refused(
        sub.get_acme_contract().acme_contract_id(1).send().await,
        404,
        "resource_not_found",
        "ACME contract 1 was not found",
    );
    // The seeded contracts are real contracts.
    let own = contract(&sub, 5679).await;
    assert_eq!(own.product_name_id, "ssl_basic");
    assert!(own.date_canceled.is_some());
    assert!(own.is_organization_validated);
    assert_eq!(
        own.organization.map(|o| o.name).as_deref(),
        Some("ACME Corporation")
    );
    finish(sandbox).await;
}

#[tokio::test]
async fn reporting_follows_contracts_as_they_are_created_and_canceled() {
    let sandbox = start().await;
    let parent = partner(&sandbox, KeyKind::PartnerParent);
    let report = || async {
        parent
            .get_acme_reporting()
            .send()
            .await
            .unwrap()
            .into_inner()
    };
    let ids = |r: &pt::AcmeReporting| r.accounts.iter().map(|a| a.account_id).collect::<Vec<_>>();
    assert_eq!(ids(&report().await), [67_891, 67_893]);

    let (account, sub) = new_subaccount(&sandbox, "Reported", Some("1")).await;
    assert_eq!(ids(&report().await), [67_891, 67_893], "no contract yet");
    let id = create(&sub, dv(&["reported.example"], None))
        .await
        .acme_contract_id;
    let r = report().await;
    assert_eq!(ids(&r), [67_891, 67_893, account]);
    let mine = &r.accounts[2].acme;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].acme_contract_id, Some(id));
    assert_eq!(mine[0].product_name_id.as_deref(), Some("ssl_dv_rapidssl"));
    assert_eq!(mine[0].sans, ["reported.example"]);
    assert_eq!(mine[0].date_canceled, None);
    let full = contract(&sub, id).await;
    assert_eq!(mine[0].created_at, Some(full.created_at));
    assert_eq!(mine[0].valid_till, Some(full.valid_till));

    sub.add_acme_sans()
        .acme_contract_id(id)
        .body(sans(&["www.reported.example"]))
        .send()
        .await
        .unwrap();
    sub.cancel_acme_contract()
        .acme_contract_id(id)
        .send()
        .await
        .unwrap();
    let r = report().await;
    let mine = &r.accounts[2].acme;
    assert_eq!(mine[0].sans, ["reported.example", "www.reported.example"]);
    assert_eq!(
        mine[0].date_canceled,
        contract(&sub, id).await.date_canceled
    );
    assert!(
        mine[0].date_canceled.is_some(),
        "canceled contracts stay listed"
    );
    finish(sandbox).await;
}

#[tokio::test]
async fn an_auto_renewing_contract_renews_when_its_term_ends() {
    let sandbox = start().await;
    let (_, sub) = new_subaccount(&sandbox, "Terms", None).await;
    let renewing = create(&sub, dv(&["renewing.example"], Some(true)))
        .await
        .acme_contract_id;
    let lapsing = create(&sub, dv(&["lapsing.example"], Some(false)))
        .await
        .acme_contract_id;
    let first_end = contract(&sub, renewing).await.valid_till;
    sandbox
        .advance_clock(Duration::from_secs(400 * DAY))
        .expect("advance");
    assert_eq!(
        contract(&sub, renewing).await.valid_till,
        first_end + Months::new(12)
    );
    assert_eq!(contract(&sub, lapsing).await.valid_till, first_end);
    // Turning renewal off keeps the term it reached.
    patch(
        &sub,
        renewing,
        pt::AcmeContractUpdate {
            auto_renew: Some(false),
            organization: None,
        },
    )
    .await;
    sandbox
        .advance_clock(Duration::from_secs(400 * DAY))
        .expect("advance");
    assert_eq!(
        contract(&sub, renewing).await.valid_till,
        first_end + Months::new(12)
    );

    // Seeded 5701 renews automatically from 2026-03-14T12:00:00Z, a year at a time.
    let parent = partner(&sandbox, KeyKind::PartnerParent);
    let report = parent
        .get_acme_reporting()
        .send()
        .await
        .unwrap()
        .into_inner();
    let till: DateTime<Utc> = report.accounts[1].acme[0].valid_till.expect("valid_till");
    let now = sandbox.now();
    assert!(
        till > now && till - Months::new(12) <= now,
        "{till} at {now}"
    );
    assert_eq!((till.month(), till.day(), till.hour()), (3, 14, 12));
    finish(sandbox).await;
}

#[tokio::test]
async fn contract_and_credential_ids_that_are_not_integers_are_404() {
    let sandbox = start().await;
    let sub_key: ApiKey = crate::common::key(&sandbox, KeyKind::PartnerSubaccount);
    for path in [
        "/acme/abc",
        "/acme/-1",
        "/acme/1.5/certificates",
        "/acme/5678/credentials/revoke/x",
    ] {
        let method = if path.contains("revoke") {
            "POST"
        } else {
            "GET"
        };
        let (status, body) = raw(http()
            .request(
                method.parse().unwrap(),
                format!("{}{path}", sandbox.partner_url()),
            )
            .header("X-PARTNER-APIKEY", sub_key.expose())
            .send()
            .await
            .unwrap())
        .await;
        assert_eq!(status, 404, "{path}: {body}");
        let (code, message) = first_error(&body);
        assert_eq!(code, "resource_not_found");
        assert!(message.contains("is not a valid ID"), "{body}");
    }
    finish(sandbox).await;
}
