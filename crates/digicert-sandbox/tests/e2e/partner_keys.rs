//! API key management through the generated client: who sees and manages which keys,
//! new keys for subaccounts (shown once), the key record (last four characters, dates),
//! and turning keys off and on again.

use std::time::Duration;

use digicert::partner::types as pt;
use digicert::{ApiKey, partner};
use digicert_sandbox::{KeyKind, Seed};

use crate::common::{assert_refused, finish, key, partner, refused, start, start_seeded};
use crate::partner_support::new_subaccount;

async fn list(client: &partner::Client) -> Vec<pt::ApiKeyDetails> {
    client
        .list_api_keys()
        .send()
        .await
        .expect("list_api_keys")
        .into_inner()
        .api_keys
}

async fn set_status(client: &partner::Client, id: i64, status: pt::ApiKeyStatus) {
    let answer = client
        .update_api_key_status()
        .api_key_id(id)
        .body_map(|b| b.status(status))
        .send()
        .await
        .expect("update_api_key_status");
    assert_eq!(answer.status().as_u16(), 204);
}

/// The last four characters of a key.
fn last4(key: &ApiKey) -> String {
    let value = key.expose();
    value[value.len() - 4..].to_owned()
}

/// Two parents, each with a subaccount; every account has one key.
fn two_partners() -> Seed {
    Seed::from_json(
        r#"{"partner": {"accounts": [
            {"account_id": 1, "name": "Parent A", "api_keys": [{"name": "a", "key": "key-of-parent-a"}]},
            {"account_id": 2, "name": "Parent B", "api_keys": [{"name": "b", "key": "key-of-parent-b"}]},
            {"account_id": 11, "parent_account_id": 1, "name": "A's sub",
             "api_keys": [{"name": "a1", "key": "key-of-sub-a1"}]},
            {"account_id": 21, "parent_account_id": 2, "name": "B's sub",
             "api_keys": [{"name": "b1", "key": "key-of-sub-b1"}]}
        ]}}"#,
        "test",
    )
    .expect("seed")
}

#[tokio::test]
async fn a_parent_sees_its_own_and_its_subaccounts_keys_a_subaccount_only_its_own() {
    let sandbox = start().await;
    let parent = partner(&sandbox, KeyKind::PartnerParent);
    let sub = partner(&sandbox, KeyKind::PartnerSubaccount);
    let (new_account, _) = new_subaccount(&sandbox, "Listed", None).await;

    let keys = list(&parent).await;
    let owners: Vec<(i64, i64)> = keys.iter().map(|k| (k.id, k.account_id)).collect();
    assert_eq!(owners, [(1, 67_890), (2, 67_891), (3, new_account)]);
    assert_eq!(keys[0].name, "Parent account key");
    assert_eq!(keys[1].name, "Production API Key");
    assert_eq!(keys[2].name, "Listed key");
    assert_eq!(
        keys[0].api_key_last4,
        last4(&key(&sandbox, KeyKind::PartnerParent))
    );
    assert_eq!(
        keys[1].api_key_last4,
        last4(&key(&sandbox, KeyKind::PartnerSubaccount))
    );
    assert!(keys.iter().all(|k| k.status == pt::ApiKeyStatus::Active));

    let own = list(&sub).await;
    assert_eq!(own.len(), 1);
    assert_eq!((own[0].id, own[0].account_id), (2, 67_891));

    // Reading one key: the parent may read its subaccount's; the subaccount may not read
    // the parent's, nor another subaccount's.
    let read = parent
        .get_api_key()
        .api_key_id(2)
        .send()
        .await
        .expect("get_api_key")
        .into_inner();
    assert_eq!((read.id, read.account_id), (2, 67_891));
    for other in [1, 3] {
        assert_refused(
            sub.get_api_key().api_key_id(other).send().await,
            403,
            "access_denied",
            "may not manage",
        );
    }
    assert_refused(
        parent.get_api_key().api_key_id(99).send().await,
        404,
        "resource_not_found",
        "API key 99",
    );
    finish(sandbox).await;
}

#[tokio::test]
async fn last_used_date_follows_the_sandbox_clock_on_every_use() {
    let sandbox = start().await;
    let parent = partner(&sandbox, KeyKind::PartnerParent);
    let sub = partner(&sandbox, KeyKind::PartnerSubaccount);
    let started = sandbox.now();

    let keys = list(&parent).await;
    // The listing key was used by this very call; the subaccount key never was.
    assert!(keys[0].last_used_date.is_some_and(|d| d >= started));
    assert_eq!(keys[1].last_used_date, None);
    assert!(keys[1].created_at >= started - chrono::TimeDelta::seconds(5));

    let moved = sandbox
        .advance_clock(Duration::from_secs(3 * 86_400))
        .expect("advance");
    sub.get_emergency_emails().send().await.expect("a use");
    let keys = list(&parent).await;
    let sub_used = keys[1].last_used_date.expect("used now");
    assert!(sub_used >= moved && sub_used - moved < chrono::TimeDelta::seconds(5));
    // A refused request still used the key (it authenticated).
    sandbox
        .advance_clock(Duration::from_secs(86_400))
        .expect("advance");
    refused(sub.get_acme_reporting().send().await);
    let keys = list(&parent).await;
    assert!(keys[1].last_used_date.expect("used") - sub_used >= chrono::TimeDelta::days(1));
    finish(sandbox).await;
}

#[tokio::test]
async fn create_api_key_makes_a_working_key_for_a_subaccount_shown_once() {
    let sandbox = start().await;
    let parent = partner(&sandbox, KeyKind::PartnerParent);
    // Globex (67892) is seeded with auto_renew_subscription "1" and no key.
    let created = parent
        .create_api_key()
        .account_id(67_892)
        .body_map(|b| b.name("Globex automation"))
        .send()
        .await
        .expect("create_api_key");
    assert_eq!(created.status().as_u16(), 201);
    let created = created.into_inner();
    assert_eq!(created.name.as_deref(), Some("Globex automation"));
    let id = created.id.expect("an ID");
    let new_key = created.api_key.clone();
    assert_eq!(format!("{created:?}").matches(new_key.expose()).count(), 0);

    let globex = sandbox.partner_client(new_key.clone()).unwrap();
    let settings = globex
        .list_account_settings()
        .send()
        .await
        .expect("the new key works")
        .into_inner();
    assert_eq!(settings.settings[0].value, "1", "it is Globex's key");
    let record = parent
        .get_api_key()
        .api_key_id(id)
        .send()
        .await
        .expect("get")
        .into_inner();
    assert_eq!(record.account_id, 67_892);
    assert_eq!(record.api_key_last4, last4(&new_key));
    // It is a subaccount key.
    assert_refused(
        globex.get_acme_reporting().send().await,
        403,
        "access_denied",
        "subaccount key",
    );
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
async fn create_api_key_is_only_for_the_callers_subaccounts() {
    let sandbox = start_seeded(two_partners()).await;
    let a = sandbox
        .partner_client(ApiKey::new("key-of-parent-a").unwrap())
        .unwrap();
    let create = |account: i64, name: &'static str| {
        a.create_api_key()
            .account_id(account)
            .body_map(move |b| b.name(name))
            .send()
    };
    assert_refused(
        create(21, "k").await,
        403,
        "access_denied",
        "not a subaccount",
    );
    assert_refused(
        create(2, "k").await,
        403,
        "access_denied",
        "not a subaccount",
    );
    assert_refused(
        create(1, "k").await,
        400,
        "invalid_request",
        "parent account itself",
    );
    assert_refused(
        create(77, "k").await,
        404,
        "resource_not_found",
        "Account 77",
    );
    assert_refused(
        create(11, "  ").await,
        400,
        "invalid_request",
        "name: must not be empty",
    );
    // Nothing was created by any of that.
    let keys = list(&a).await;
    assert_eq!(keys.iter().map(|k| k.id).collect::<Vec<_>>(), [1, 3]);
    create(11, "second").await.expect("create for A's sub");
    assert_eq!(list(&a).await.len(), 3);
    finish(sandbox).await;
}

#[tokio::test]
async fn keys_of_an_unrelated_account_are_403() {
    let sandbox = start_seeded(two_partners()).await;
    let a = sandbox
        .partner_client(ApiKey::new("key-of-parent-a").unwrap())
        .unwrap();
    let a1 = sandbox
        .partner_client(ApiKey::new("key-of-sub-a1").unwrap())
        .unwrap();
    // Parent A lists A and A's sub only (keys 1 and 3); B's keys are 2 and 4.
    let ids: Vec<i64> = list(&a).await.iter().map(|k| k.id).collect();
    assert_eq!(ids, [1, 3]);
    for (client, id) in [(&a, 2), (&a, 4), (&a1, 1), (&a1, 4)] {
        assert_refused(
            client.get_api_key().api_key_id(id).send().await,
            403,
            "access_denied",
            "may not manage",
        );
        assert_refused(
            client
                .update_api_key_status()
                .api_key_id(id)
                .body_map(|b| b.status(pt::ApiKeyStatus::Inactive))
                .send()
                .await,
            403,
            "access_denied",
            "may not manage",
        );
    }
    // B's keys still work.
    let b = sandbox
        .partner_client(ApiKey::new("key-of-parent-b").unwrap())
        .unwrap();
    let b_keys = list(&b).await;
    assert!(b_keys.iter().all(|k| k.status == pt::ApiKeyStatus::Active));
    finish(sandbox).await;
}

#[tokio::test]
async fn an_inactive_key_is_refused_until_it_is_set_active_again() {
    let sandbox = start().await;
    let parent = partner(&sandbox, KeyKind::PartnerParent);
    let sub = partner(&sandbox, KeyKind::PartnerSubaccount);
    let sub_id = 2;

    set_status(&parent, sub_id, pt::ApiKeyStatus::Inactive).await;
    assert_refused(
        sub.get_emergency_emails().send().await,
        401,
        "invalid_api_key",
        "inactive",
    );
    let record = parent
        .get_api_key()
        .api_key_id(sub_id)
        .send()
        .await
        .expect("get")
        .into_inner();
    assert_eq!(record.status, pt::ApiKeyStatus::Inactive);
    // Setting it inactive again changes nothing.
    set_status(&parent, sub_id, pt::ApiKeyStatus::Inactive).await;

    set_status(&parent, sub_id, pt::ApiKeyStatus::Active).await;
    sub.get_emergency_emails()
        .send()
        .await
        .expect("active again, it works");

    // A subaccount key may turn itself off; then only another key can turn it on.
    set_status(&sub, sub_id, pt::ApiKeyStatus::Inactive).await;
    assert_refused(
        sub.update_api_key_status()
            .api_key_id(sub_id)
            .body_map(|b| b.status(pt::ApiKeyStatus::Active))
            .send()
            .await,
        401,
        "invalid_api_key",
        "inactive",
    );
    set_status(&parent, sub_id, pt::ApiKeyStatus::Active).await;
    let own = list(&sub).await;
    assert_eq!(own[0].status, pt::ApiKeyStatus::Active);

    // A subaccount key cannot change its parent's key; statuses other than the two are 400.
    assert_refused(
        sub.update_api_key_status()
            .api_key_id(1)
            .body_map(|b| b.status(pt::ApiKeyStatus::Inactive))
            .send()
            .await,
        403,
        "access_denied",
        "may not manage",
    );
    assert_refused(
        parent
            .update_api_key_status()
            .api_key_id(sub_id)
            .body_map(|b| b.status(pt::ApiKeyStatus::Other("paused".into())))
            .send()
            .await,
        400,
        "invalid_request",
        "\"paused\" is not a status",
    );
    assert_refused(
        parent
            .update_api_key_status()
            .api_key_id(404)
            .body_map(|b| b.status(pt::ApiKeyStatus::Active))
            .send()
            .await,
        404,
        "resource_not_found",
        "API key 404",
    );
    finish(sandbox).await;
}
