//! CertCentral `GET /account/subaccount/{id}` through the generated client: the documented
//! example, the hierarchy (403 outside it), unknown IDs (404) and keys (401).

use digicert::ApiKey;
use digicert::services::types::AccountType;
use digicert_sandbox::Seed;
use serde_json::Value;

use crate::common::{assert_refused, finish, services, start, start_seeded};

#[tokio::test]
async fn the_documented_example_comes_back_exactly() {
    let sandbox = start().await;
    let client = services(&sandbox);
    let response = client
        .get_subaccount()
        .subaccount_id(1_122_339)
        .send()
        .await
        .expect("get_subaccount");
    assert_eq!(response.status().as_u16(), 200);
    let got = serde_json::to_value(response.into_inner()).unwrap();
    let documented: Value = serde_json::from_str(include_str!(
        "../../../../tests/fixtures/certcentral-subaccount-info.200.json"
    ))
    .unwrap();
    assert_eq!(got, documented);
    finish(sandbox).await;
}

#[tokio::test]
async fn subaccounts_anywhere_below_the_callers_account_are_readable() {
    let sandbox = start().await;
    let client = services(&sandbox);
    // A direct subaccount with every optional field set.
    let direct = client
        .get_subaccount()
        .subaccount_id(1_122_340)
        .send()
        .await
        .expect("direct subaccount")
        .into_inner();
    assert_eq!(direct.account_type, AccountType::Enterprise);
    assert_eq!(direct.child_name.as_deref(), Some("EU branch"));
    assert_eq!(direct.enforce_bill_parent, Some(true));
    assert_eq!(direct.max_allowed_multi_year_plan_length, Some(3));
    assert_eq!(direct.date_created.to_string(), "2020-03-02 09:12:44");
    // A subaccount of subaccount 1122339.
    let nested = client
        .get_subaccount()
        .subaccount_id(1_122_345)
        .send()
        .await
        .expect("sub-subaccount")
        .into_inner();
    assert_eq!(nested.parent_account_id, "1122339");
    assert_eq!(nested.account_type, AccountType::Retail);
    finish(sandbox).await;
}

#[tokio::test]
async fn outside_the_hierarchy_is_403_and_unknown_is_404() {
    let sandbox = start().await;
    let client = services(&sandbox);
    assert_refused(
        client
            .get_subaccount()
            .subaccount_id(2_233_445)
            .send()
            .await,
        403,
        "access_denied|missing_permission",
        "not in your account's hierarchy",
    );
    assert_refused(
        client.get_subaccount().subaccount_id(999).send().await,
        404,
        "not_found",
        "Subaccount 999 was not found",
    );
    // The caller's own account is not one of its subaccounts.
    assert_refused(
        client
            .get_subaccount()
            .subaccount_id(1_122_331)
            .send()
            .await,
        404,
        "not_found",
        "was not found",
    );
    finish(sandbox).await;
}

#[tokio::test]
async fn a_subaccount_key_reads_only_below_itself() {
    let mut seed = Seed::builtin();
    seed.certcentral
        .api_keys
        .push(digicert_sandbox::CertCentralKeySeed::new(
            1_122_339,
            "key of subaccount 1122339",
            ApiKey::new("key-of-1122339").unwrap(),
        ));
    let sandbox = start_seeded(seed).await;
    let client = sandbox
        .services_client(ApiKey::new("key-of-1122339").unwrap())
        .unwrap();
    client
        .get_subaccount()
        .subaccount_id(1_122_345)
        .send()
        .await
        .expect("its own subaccount");
    // Neither itself nor its sibling: both are outside its hierarchy.
    for id in [1_122_339, 1_122_340] {
        assert_refused(
            client.get_subaccount().subaccount_id(id).send().await,
            403,
            "access_denied|missing_permission",
            "not in your account's hierarchy",
        );
    }
    finish(sandbox).await;
}

#[tokio::test]
async fn unknown_keys_get_401() {
    let sandbox = start().await;
    let stranger = sandbox
        .services_client(ApiKey::new("no-such-certcentral-key").unwrap())
        .unwrap();
    // 401 comes before anything about the ID.
    for id in [1_122_339, 999] {
        assert_refused(
            stranger.get_subaccount().subaccount_id(id).send().await,
            401,
            "invalid_api_key",
            "not valid",
        );
    }
    finish(sandbox).await;
}
