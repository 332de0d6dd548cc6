//! Finance management through the generated client: linking a CertCentral billing account
//! needs a CertCentral key the sandbox knows (`X-DC-DEVKEY`, the operation's second key),
//! and the account then reports the link as a read-only setting.

use digicert::{ApiKey, partner};
use digicert_sandbox::{CertCentralKeySeed, KeyKind, Seed};

use crate::common::{
    assert_refused, finish, first_error, http, key, partner, raw, start, start_seeded,
};

/// `(name, value, is_default)` of every setting.
async fn settings(client: &partner::Client) -> Vec<(String, String, bool)> {
    client
        .list_account_settings()
        .send()
        .await
        .expect("list_account_settings")
        .into_inner()
        .settings
        .into_iter()
        .map(|s| (s.name, s.value, s.is_default))
        .collect()
}

fn auto_renew_default() -> (String, String, bool) {
    ("auto_renew_subscription".into(), "0".into(), true)
}

#[tokio::test]
async fn linking_with_a_known_certcentral_key_is_reported_as_a_read_only_setting() {
    let mut seed = Seed::builtin();
    seed.certcentral.api_keys.push(CertCentralKeySeed::new(
        2_233_441,
        "another CertCentral account",
        ApiKey::new("another-certcentral-key").unwrap(),
    ));
    let sandbox = start_seeded(seed).await;
    let parent = partner(&sandbox, KeyKind::PartnerParent);
    let sub = partner(&sandbox, KeyKind::PartnerSubaccount);
    let certcentral = key(&sandbox, KeyKind::CertCentral);
    assert_eq!(settings(&parent).await, [auto_renew_default()]);

    let answer = parent
        .link_finance_account()
        .cert_central_api_key(certcentral.clone())
        .send()
        .await
        .expect("link");
    assert_eq!(answer.status().as_u16(), 204);
    assert_eq!(
        settings(&parent).await,
        [
            auto_renew_default(),
            ("linked_billing_account_id".into(), "1122331".into(), false)
        ]
    );
    // The link is the parent's own: the subaccount is billed to the parent's account and
    // reports nothing until it links one itself.
    assert_eq!(settings(&sub).await, [auto_renew_default()]);
    sub.link_finance_account()
        .cert_central_api_key(certcentral.clone())
        .send()
        .await
        .expect("a subaccount links its own");
    assert_eq!(settings(&sub).await.len(), 2);

    // Linking again replaces the link.
    parent
        .link_finance_account()
        .cert_central_api_key(ApiKey::new("another-certcentral-key").unwrap())
        .send()
        .await
        .expect("relink");
    assert_eq!(
        settings(&parent).await[1],
        ("linked_billing_account_id".into(), "2233441".into(), false)
    );

    // The setting is read-only.
    assert_refused(
        parent
            .update_account_setting()
            .body_map(|b| b.name("linked_billing_account_id").value("1"))
            .send()
            .await,
        400,
        "invalid_request",
        "read-only",
    );
    // No answer ever holds the CertCentral key.
    assert!(sandbox.exchanges().iter().all(|e| {
        !e.body
            .as_ref()
            .is_some_and(|b| b.to_string().contains(certcentral.expose()))
    }));
    finish(sandbox).await;
}

#[tokio::test]
async fn a_certcentral_key_the_sandbox_does_not_know_is_400_and_links_nothing() {
    let sandbox = start().await;
    let parent = partner(&sandbox, KeyKind::PartnerParent);
    let partner_key = key(&sandbox, KeyKind::PartnerSubaccount);
    for wrong in [ApiKey::new("no-such-certcentral-key").unwrap(), partner_key] {
        assert_refused(
            parent
                .link_finance_account()
                .cert_central_api_key(wrong)
                .send()
                .await,
            400,
            "invalid_request",
            "does not resolve to a CertCentral account",
        );
    }
    assert_eq!(settings(&parent).await, [auto_renew_default()]);

    // Without the header at all (the client insists on it, so over plain HTTP).
    let url = format!("{}/finance/account-link", sandbox.partner_url());
    let (status, body) = raw(http()
        .put(&url)
        .header(
            "X-PARTNER-APIKEY",
            key(&sandbox, KeyKind::PartnerParent).expose(),
        )
        .send()
        .await
        .unwrap())
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(
        first_error(&body)
            .1
            .contains("X-DC-DEVKEY header is missing")
    );
    // The Partner key still comes first: a bad one is 401 whatever the CertCentral key.
    let (status, _) = raw(http()
        .put(&url)
        .header("X-PARTNER-APIKEY", "nobody")
        .header("X-DC-DEVKEY", key(&sandbox, KeyKind::CertCentral).expose())
        .send()
        .await
        .unwrap())
    .await;
    assert_eq!(status, 401);
    assert_eq!(settings(&parent).await, [auto_renew_default()]);
    finish(sandbox).await;
}
