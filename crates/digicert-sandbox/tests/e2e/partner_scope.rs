//! Every Partner operation through the generated client: its documented success status
//! with the right kind of key, 403 with the wrong kind (read from
//! `digicert::partner::OPERATIONS`, the spec's `x-key-scope`), 401 with an unknown or an
//! inactive key, and the order of those refusals.

use std::collections::BTreeSet;

use digicert::partner::types as pt;
use digicert::{ApiKey, KeyScope, partner};
use digicert_sandbox::KeyKind;

use crate::common::{finish, first_error, http, key, partner, raw, refused, start};
use crate::partner_support::{Args, call, create, new_subaccount};

/// A contract of subaccount 67891 (the seeded subaccount key's) made for the test, with
/// the ID of its first credential; the other IDs are the seed's.
async fn args_with_new_contract(client: &partner::Client) -> Args {
    let created = create(
        client,
        crate::partner_support::dv(&["scope.acme.example"], None),
    )
    .await;
    Args {
        contract: created.acme_contract_id,
        credential: created.eab_set.credential_id.expect("a credential ID"),
        // The seeded subaccount key (key IDs count from 1 in seed order).
        api_key: 2,
        account: 67_892,
        certcentral: ApiKey::new("sandbox-certcentral-key").unwrap(),
    }
}

#[tokio::test]
async fn every_operation_answers_its_documented_success_status() {
    let sandbox = start().await;
    let parent = partner(&sandbox, KeyKind::PartnerParent);
    let sub = partner(&sandbox, KeyKind::PartnerSubaccount);
    let args = args_with_new_contract(&sub).await;
    // Cancel last: a canceled contract refuses changes.
    let mut order: Vec<&digicert::Operation> = partner::OPERATIONS
        .iter()
        .filter(|op| op.id != "cancel_acme_contract")
        .collect();
    order.extend(
        partner::OPERATIONS
            .iter()
            .filter(|op| op.id == "cancel_acme_contract"),
    );
    let mut called = BTreeSet::new();
    for op in order {
        let client = match op.key_scope {
            KeyScope::Parent => &parent,
            _ => &sub,
        };
        let status = call(client, op.id, &args)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", op.id));
        assert!(
            op.success.contains(&status),
            "{} answered {status}, documented {:?}",
            op.id,
            op.success
        );
        called.insert(op.id);
    }
    assert_eq!(called.len(), partner::OPERATIONS.len());
    finish(sandbox).await;
}

#[tokio::test]
async fn the_wrong_kind_of_key_gets_403_on_every_scoped_operation() {
    let sandbox = start().await;
    let parent = partner(&sandbox, KeyKind::PartnerParent);
    let sub = partner(&sandbox, KeyKind::PartnerSubaccount);
    let args = args_with_new_contract(&sub).await;
    let mut scoped = 0;
    for op in partner::OPERATIONS {
        let (wrong, says) = match op.key_scope {
            KeyScope::Parent => (&sub, "needs a parent account key"),
            KeyScope::Subaccount => (&parent, "needs a subaccount key"),
            _ => continue,
        };
        scoped += 1;
        let err = refused(call(wrong, op.id, &args).await);
        assert_eq!(err.status().map(|s| s.as_u16()), Some(403), "{}", op.id);
        assert_eq!(err.code(), Some("access_denied"), "{}", op.id);
        let message = &err.errors()[0].message;
        assert!(
            message.contains(op.id) && message.contains(says),
            "{}: {message}",
            op.id
        );
    }
    // 3 parent-only operations and 12 ACME contract operations.
    assert_eq!(scoped, 15);
    // Nothing changed: the contract still has its SANs and is active.
    let contract = sub
        .get_acme_contract()
        .acme_contract_id(args.contract)
        .send()
        .await
        .expect("get")
        .into_inner();
    assert_eq!(contract.sans, ["scope.acme.example"]);
    assert_eq!(contract.date_canceled, None);
    finish(sandbox).await;
}

#[tokio::test]
async fn unknown_and_inactive_keys_get_401_on_every_operation() {
    let sandbox = start().await;
    let parent = partner(&sandbox, KeyKind::PartnerParent);
    let sub = partner(&sandbox, KeyKind::PartnerSubaccount);
    let args = args_with_new_contract(&sub).await;
    let stranger = sandbox
        .partner_client(ApiKey::new("not-a-sandbox-key").unwrap())
        .unwrap();
    for op in partner::OPERATIONS {
        let err = refused(call(&stranger, op.id, &args).await);
        assert_eq!(err.status().map(|s| s.as_u16()), Some(401), "{}", op.id);
        assert_eq!(err.code(), Some("invalid_api_key"), "{}", op.id);
    }
    // The parent turns the subaccount's key off: it is refused everywhere, even where a
    // subaccount key would otherwise be 403.
    parent
        .update_api_key_status()
        .api_key_id(args.api_key)
        .body_map(|b| b.status(pt::ApiKeyStatus::Inactive))
        .send()
        .await
        .expect("deactivate");
    for op in partner::OPERATIONS {
        let err = refused(call(&sub, op.id, &args).await);
        assert_eq!(err.status().map(|s| s.as_u16()), Some(401), "{}", op.id);
        assert!(err.errors()[0].message.contains("inactive"), "{err}");
    }
    finish(sandbox).await;
}

#[tokio::test]
async fn refusals_come_in_order_key_scope_path_body_rule() {
    let sandbox = start().await;
    let base = sandbox.partner_url();
    let send = |method: &str, path: &str, key: ApiKey, body: &'static str| {
        http()
            .request(method.parse().unwrap(), format!("{base}{path}"))
            .header("X-PARTNER-APIKEY", key.expose())
            .header("Content-Type", "application/json")
            .body(body)
            .send()
    };
    let parent = key(&sandbox, KeyKind::PartnerParent);
    let sub = key(&sandbox, KeyKind::PartnerSubaccount);
    let cases = [
        // A parent key on an ACME operation: 403 before the malformed ID or body.
        (
            "PUT",
            "/acme/abc/sans",
            parent.clone(),
            "{",
            403,
            "access_denied",
        ),
        // A subaccount key on create_api_key: 403 before the unknown account.
        (
            "POST",
            "/api-key/account/999",
            sub.clone(),
            "{}",
            403,
            "access_denied",
        ),
        // The right key: an ID that is not an integer names nothing (404), before the body.
        (
            "PUT",
            "/acme/12a/sans",
            sub.clone(),
            "{",
            404,
            "resource_not_found",
        ),
        (
            "GET",
            "/api-key/%31",
            sub.clone(),
            "",
            404,
            "resource_not_found",
        ),
        (
            "GET",
            "/acme/99999999999999999999",
            sub.clone(),
            "",
            404,
            "resource_not_found",
        ),
        // Then the body, before the lookup.
        (
            "PUT",
            "/acme/999/sans",
            sub.clone(),
            "{\"sans\": 5}",
            400,
            "invalid_request",
        ),
        // Then the lookup.
        (
            "PUT",
            "/acme/999/sans",
            sub.clone(),
            "{\"sans\": [\"a.example\"]}",
            404,
            "resource_not_found",
        ),
        (
            "POST",
            "/acme/999/credentials/revoke/1",
            sub.clone(),
            "",
            404,
            "resource_not_found",
        ),
        (
            "POST",
            "/api-key/account/999",
            parent.clone(),
            "{\"name\": \"k\"}",
            404,
            "resource_not_found",
        ),
        ("GET", "/api-key/999", parent, "", 404, "resource_not_found"),
    ];
    for (method, path, key, body, status, code) in cases {
        let (got, answer) = raw(send(method, path, key, body).await.unwrap()).await;
        assert_eq!(got, status, "{method} {path}: {answer}");
        assert_eq!(first_error(&answer).0, code, "{method} {path}");
    }
    finish(sandbox).await;
}

#[tokio::test]
async fn a_new_subaccount_key_is_a_subaccount_key_for_acme_and_key_operations() {
    let sandbox = start().await;
    let (account, sub) = new_subaccount(&sandbox, "Fresh", None).await;
    let created = create(&sub, crate::partner_support::dv(&["fresh.example"], None)).await;
    let got = sub
        .get_acme_contract()
        .acme_contract_id(created.acme_contract_id)
        .send()
        .await
        .expect("get")
        .into_inner();
    assert_eq!(got.account_id, account);
    let err = refused(
        sub.create_api_key()
            .account_id(account)
            .body_map(|b| b.name("mine"))
            .send()
            .await,
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
    finish(sandbox).await;
}
