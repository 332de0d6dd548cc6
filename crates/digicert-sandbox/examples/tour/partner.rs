//! The tour's Partner Subscriptions part, DigiCert's partner workflow end to end: the
//! parent creates a subaccount; the subaccount manages its emergency emails, sets
//! `auto_renew_subscription`, creates an ACME contract that takes its auto-renewal from
//! that setting, adds SANs, reads and regenerates its EAB credentials; the parent's
//! reporting lists the contract; the contract is canceled, and then refuses a second
//! cancel and SAN changes. Then the 30-day cancel window (on the sandbox's clock, without
//! waiting), API keys turned off and on, and the finance link.

use std::time::Duration;

use anyhow::{Context, ensure};
use digicert::partner::types::{
    AccountSettingUpdate, AcmeContractUpdate, AcmeCredentialStatus,
    AcmeCredentialsRegenerateRequest, AcmeSansChange, ApiKeyStatus, CreateAcmeContractRequest,
    CreateSubaccountRequest, EmergencyContactEmailsChange,
};
use digicert::{ApiKey, Secret, partner};
use digicert_sandbox::Sandbox;

use crate::{Steps, redacted, refusal, show};

fn emails(addresses: &[&str]) -> EmergencyContactEmailsChange {
    EmergencyContactEmailsChange {
        emergency_contact_emails: addresses.iter().map(|a| (*a).to_owned()).collect(),
    }
}

async fn list_emails(client: &partner::Client) -> anyhow::Result<Vec<String>> {
    Ok(client
        .get_emergency_emails()
        .send()
        .await?
        .into_inner()
        .emergency_contact_emails)
}

async fn setting(client: &partner::Client, name: &str) -> anyhow::Result<Option<(String, bool)>> {
    let settings = client.list_account_settings().send().await?.into_inner();
    Ok(settings
        .settings
        .into_iter()
        .find(|s| s.name == name)
        .map(|s| (s.value, s.is_default)))
}

async fn auto_renew(client: &partner::Client) -> anyhow::Result<(String, bool)> {
    setting(client, "auto_renew_subscription")
        .await?
        .context("auto_renew_subscription is not listed")
}

fn auto_renew_update(value: &str) -> anyhow::Result<AccountSettingUpdate> {
    Ok(AccountSettingUpdate {
        name: "auto_renew_subscription".parse()?,
        value: value.to_owned(),
    })
}

fn sans(names: &[&str]) -> anyhow::Result<AcmeSansChange> {
    Ok(AcmeSansChange {
        sans: names.iter().map(|n| n.parse()).collect::<Result<_, _>>()?,
    })
}

fn dv_contract(names: &[&str]) -> anyhow::Result<CreateAcmeContractRequest> {
    Ok(CreateAcmeContractRequest {
        product_name_id: "ssl_dv_rapidssl".parse()?,
        sans: names.iter().map(|n| n.parse()).collect::<Result<_, _>>()?,
        auto_renew: None,
        organization: None,
    })
}

/// How the tour shows a secret: never its value.
fn secret(value: &Secret) -> String {
    format!("{value} ({} characters)", value.expose().len())
}

/// Walks the Partner API, starting with the parent key; returns the key of the
/// subaccount it made.
pub(crate) async fn tour(
    sandbox: &Sandbox,
    steps: &mut Steps,
    parent_key: ApiKey,
    certcentral_key: ApiKey,
) -> anyhow::Result<ApiKey> {
    let parent = sandbox.partner_client(parent_key)?;

    // Subaccounts and their keys.
    steps.start("Create a subaccount with the parent key (POST /account/subaccount)");
    let created = parent
        .create_subaccount()
        .body(CreateSubaccountRequest {
            name: "ACME Tour Subaccount".parse()?,
            api_key_name: "Tour key".parse()?,
            emergency_contact_emails: vec![
                "security@tour.example".to_owned(),
                "emergency@tour.example".to_owned(),
            ],
        })
        .send()
        .await?;
    ensure!(created.status().as_u16() == 201, "expected 201 Created");
    let created = created.into_inner();
    let account_id = created.account_id;
    show(format!(
        "201 Created: subaccount {account_id} \"{}\"",
        created.name.as_deref().unwrap_or_default()
    ));
    show(format!(
        "its new API key, shown by DigiCert this once: {}",
        redacted(&created.api_key.api_key)
    ));
    let sub_key = created.api_key.api_key.clone();
    let sub_key_id = created.api_key.id.context("the new key has no ID")?;
    let sub = sandbox.partner_client(sub_key.clone())?;

    steps.start(
        "Use the new key right away: list its emergency emails (GET /account/emergency-emails)",
    );
    let listed = list_emails(&sub).await?;
    show(format!("200 OK: {listed:?}"));
    ensure!(
        listed == ["security@tour.example", "emergency@tour.example"],
        "the new subaccount should start with the emails it was created with"
    );

    steps.start("List API keys (GET /api-key): the parent sees its subaccounts' keys too");
    let keys = parent.list_api_keys().send().await?.into_inner().api_keys;
    for key in &keys {
        show(format!(
            "key {} \"{}\" of account {}: {}, ends in …{}",
            key.id, key.name, key.account_id, key.status, key.api_key_last4
        ));
    }
    let new_key = keys
        .iter()
        .find(|k| k.id == sub_key_id)
        .context("the parent should see the new subaccount's key")?;
    ensure!(
        new_key.account_id == account_id && sub_key.expose().ends_with(&new_key.api_key_last4),
        "the listed key should be the new subaccount's, by its last four characters"
    );
    let own = sub.list_api_keys().send().await?.into_inner().api_keys;
    show(format!(
        "the subaccount's own key sees {} key(s): only its own",
        own.len()
    ));
    ensure!(
        own.len() == 1 && own[0].id == sub_key_id,
        "a subaccount key should see only its own account's keys"
    );

    // Emergency emails.
    steps.start("Add two addresses, one of them already listed (PUT /account/emergency-emails)");
    let added = sub
        .add_emergency_emails()
        .body(emails(&["oncall@tour.example", "security@tour.example"]))
        .send()
        .await?;
    ensure!(added.status().as_u16() == 204, "expected 204 No Content");
    let listed = list_emails(&sub).await?;
    show(format!(
        "204 No Content; now {listed:?} (the duplicate was dropped)"
    ));
    ensure!(
        listed
            == [
                "security@tour.example",
                "emergency@tour.example",
                "oncall@tour.example"
            ],
        "PUT should add and drop duplicates"
    );

    steps.start("Remove two of the three (DELETE /account/emergency-emails)");
    let deleted = sub
        .delete_emergency_emails()
        .body(emails(&["oncall@tour.example", "emergency@tour.example"]))
        .send()
        .await?;
    ensure!(deleted.status().as_u16() == 204, "expected 204 No Content");
    let listed = list_emails(&sub).await?;
    show(format!("204 No Content; now {listed:?}"));
    ensure!(listed == ["security@tour.example"], "DELETE should remove");

    steps.start("Try to remove the last one: DigiCert keeps at least one emergency email");
    let err = refusal(
        sub.delete_emergency_emails()
            .body(emails(&["security@tour.example"]))
            .send()
            .await,
        400,
    )?;
    show(format!("refused as documented: {err}"));
    let listed = list_emails(&sub).await?;
    show(format!("unchanged: {listed:?}"));
    ensure!(
        listed == ["security@tour.example"],
        "a refused DELETE must change nothing"
    );

    // Settings.
    steps.start("Read auto_renew_subscription (GET /account/settings)");
    let (value, is_default) = auto_renew(&sub).await?;
    show(format!("value \"{value}\", is_default {is_default}"));
    ensure!(
        (value.as_str(), is_default) == ("0", true),
        "a new subaccount should use the system default \"0\""
    );

    steps.start("The subaccount turns it on (PATCH /account/settings {\"value\": \"1\"})");
    let patched = sub
        .update_account_setting()
        .body(auto_renew_update("1")?)
        .send()
        .await?;
    let (value, is_default) = auto_renew(&sub).await?;
    show(format!(
        "{}; now value \"{value}\", is_default {is_default} (an override)",
        patched.status()
    ));
    ensure!(
        (value.as_str(), is_default) == ("1", false),
        "the override should be listed"
    );

    // ACME contracts.
    steps.start("Create an ACME contract without auto_renew (POST /acme, subaccount key)");
    let contract = sub
        .create_acme_contract()
        .body(dv_contract(&["tour.example"])?)
        .send()
        .await?;
    ensure!(contract.status().as_u16() == 201, "expected 201 Created");
    let contract = contract.into_inner();
    let id = contract.acme_contract_id;
    show(format!(
        "201 Created: contract {id}, ACME directory {}",
        contract.acme_directory_url
    ));
    show(format!(
        "EAB credentials, shown this once: KID {}, HMAC key {}",
        contract.eab_set.kid,
        secret(&contract.eab_set.hmac_key)
    ));
    let first_credential = contract.eab_set.credential_id.context("no credential ID")?;
    let got = sub
        .get_acme_contract()
        .acme_contract_id(id)
        .send()
        .await?
        .into_inner();
    show(format!(
        "GET /acme/{id}: {} for {:?}, created {}, valid till {}, auto_renew {}",
        got.product_name_id, got.sans, got.created_at, got.valid_till, got.auto_renew
    ));
    ensure!(
        got.auto_renew,
        "auto_renew should default from auto_renew_subscription \"1\""
    );
    show("auto_renew is true: the request left it out, so the account's setting \"1\" decided");

    steps.start("ACME contracts belong to subaccounts: the parent key is refused");
    let err = refusal(
        parent.get_acme_contract().acme_contract_id(id).send().await,
        403,
    )?;
    show(format!("refused as documented: {err}"));

    steps.start("Add SANs (PUT /acme/{id}/sans)");
    let added = sub
        .add_acme_sans()
        .acme_contract_id(id)
        .body(sans(&["www.tour.example", "api.tour.example"])?)
        .send()
        .await?;
    ensure!(added.status().as_u16() == 204, "expected 204 No Content");
    let got = sub
        .get_acme_contract()
        .acme_contract_id(id)
        .send()
        .await?
        .into_inner();
    show(format!(
        "204 No Content; the contract covers {:?}",
        got.sans
    ));
    ensure!(
        got.sans == ["tour.example", "www.tour.example", "api.tour.example"],
        "the SANs should be added"
    );

    steps.start("Read the EAB credentials (GET /acme/{id}/credentials)");
    let credentials = sub
        .list_acme_credentials()
        .acme_contract_id(id)
        .send()
        .await?
        .into_inner()
        .credentials;
    for c in &credentials {
        show(format!(
            "credential {} (KID …{}): {}, issued {}",
            c.credential_id, c.kid_hint, c.status, c.created_at
        ));
    }
    ensure!(
        credentials.len() == 1
            && credentials[0].credential_id == first_credential
            && credentials[0].status == AcmeCredentialStatus::Active
            && contract.eab_set.kid.ends_with(&credentials[0].kid_hint),
        "the contract should have its one active credential, hinted by its KID"
    );

    steps.start("Regenerate them (POST /acme/{id}/credentials/regenerate): the old set is revoked");
    let regenerated = sub
        .regenerate_acme_credentials()
        .acme_contract_id(id)
        .body(AcmeCredentialsRegenerateRequest::default())
        .send()
        .await?
        .into_inner();
    show(format!(
        "new KID {}, HMAC key {}",
        regenerated.eab_set.kid,
        secret(&regenerated.eab_set.hmac_key)
    ));
    ensure!(
        regenerated.eab_set.hmac_key.expose() != contract.eab_set.hmac_key.expose(),
        "a new HMAC key should be issued"
    );
    let statuses: Vec<(i64, AcmeCredentialStatus)> = sub
        .list_acme_credentials()
        .acme_contract_id(id)
        .send()
        .await?
        .into_inner()
        .credentials
        .into_iter()
        .map(|c| (c.credential_id, c.status))
        .collect();
    show(format!("credentials now: {statuses:?}"));
    ensure!(
        statuses
            == [
                (first_credential, AcmeCredentialStatus::Revoked),
                (
                    regenerated.eab_set.credential_id.context("no ID")?,
                    AcmeCredentialStatus::Active
                )
            ],
        "regenerating should revoke the old credential and add an active one"
    );

    // Reporting.
    steps.start("The parent's ACME reporting now lists the subaccount (GET /account/reporting)");
    let report = parent.get_acme_reporting().send().await?.into_inner();
    for account in &report.accounts {
        let contracts: Vec<String> = account
            .acme
            .iter()
            .map(|c| {
                format!(
                    "#{} {}{}",
                    c.acme_contract_id.unwrap_or_default(),
                    c.product_name_id.as_deref().unwrap_or("?"),
                    if c.date_canceled.is_some() {
                        " (canceled)"
                    } else {
                        ""
                    }
                )
            })
            .collect();
        show(format!(
            "subaccount {}: {}",
            account.account_id,
            contracts.join(", ")
        ));
    }
    let ours = report
        .accounts
        .iter()
        .find(|a| a.account_id == account_id)
        .context("the subaccount has a contract now, so it must appear")?;
    ensure!(
        ours.acme.len() == 1 && ours.acme[0].acme_contract_id == Some(id),
        "reporting should list the new contract"
    );
    ensure!(
        report.accounts.iter().all(|a| !a.acme.is_empty()) && report.accounts.len() == 3,
        "only subaccounts with contracts appear (the seed's two, and ours)"
    );
    show("subaccounts without ACME contracts (like seeded 67892) are left out");

    steps.start("Read ACME reporting with the subaccount key: parent keys only");
    let err = refusal(sub.get_acme_reporting().send().await, 403)?;
    show(format!("refused as documented: {err}"));

    // Cancel.
    steps.start("Cancel the contract, within 30 days of its creation (DELETE /acme/{id})");
    let canceled = sub
        .cancel_acme_contract()
        .acme_contract_id(id)
        .send()
        .await?;
    ensure!(canceled.status().as_u16() == 204, "expected 204 No Content");
    let got = sub
        .get_acme_contract()
        .acme_contract_id(id)
        .send()
        .await?
        .into_inner();
    let when = got.date_canceled.context("date_canceled should be set")?;
    show(format!("204 No Content; date_canceled {when}"));
    let report = parent.get_acme_reporting().send().await?.into_inner();
    let reported = report
        .accounts
        .iter()
        .find(|a| a.account_id == account_id)
        .and_then(|a| a.acme.first())
        .context("the canceled contract stays in reporting")?;
    show(format!(
        "reporting shows it canceled on {}",
        reported.date_canceled.context("no cancellation date")?
    ));

    steps.start("A second cancel and a SAN change are refused: the contract is canceled");
    let err = refusal(
        sub.cancel_acme_contract().acme_contract_id(id).send().await,
        400,
    )?;
    show(format!("second cancel: {err}"));
    let err = refusal(
        sub.add_acme_sans()
            .acme_contract_id(id)
            .body(sans(&["late.tour.example"])?)
            .send()
            .await,
        400,
    )?;
    show(format!("SAN change: {err}"));

    steps.start(
        "The 30-day window: a new contract, then the sandbox clock 31 days ahead (no waiting)",
    );
    let second = sub
        .create_acme_contract()
        .body(dv_contract(&["second.tour.example"])?)
        .send()
        .await?
        .into_inner()
        .acme_contract_id;
    let now = sandbox.advance_clock(Duration::from_secs(31 * 24 * 3600))?;
    show(format!(
        "contract {second} created; the sandbox's clock now reads {now}"
    ));
    let err = refusal(
        sub.cancel_acme_contract()
            .acme_contract_id(second)
            .send()
            .await,
        400,
    )?;
    show(format!("cancel refused as documented: {err}"));
    sub.update_acme_contract()
        .acme_contract_id(second)
        .body(AcmeContractUpdate {
            auto_renew: Some(false),
            organization: None,
        })
        .send()
        .await?;
    let got = sub
        .get_acme_contract()
        .acme_contract_id(second)
        .send()
        .await?
        .into_inner();
    show(format!(
        "the documented way out, PATCH /acme/{second} {{\"auto_renew\": false}}: auto_renew is now {}",
        got.auto_renew
    ));
    ensure!(
        !got.auto_renew && got.date_canceled.is_none(),
        "PATCH should stop renewal without canceling"
    );

    steps.start("Set auto_renew_subscription back to the default \"0\": the override goes away");
    sub.update_account_setting()
        .body(auto_renew_update("0")?)
        .send()
        .await?;
    let (value, is_default) = auto_renew(&sub).await?;
    show(format!("now value \"{value}\", is_default {is_default}"));
    ensure!(
        (value.as_str(), is_default) == ("0", true),
        "setting the default value should remove the override"
    );

    // API keys on and off.
    steps.start("The parent turns the subaccount's key off (PUT /api-key/{id}/status)");
    parent
        .update_api_key_status()
        .api_key_id(sub_key_id)
        .body_map(|b| b.status(ApiKeyStatus::Inactive))
        .send()
        .await?;
    let err = refusal(sub.get_emergency_emails().send().await, 401)?;
    show(format!("the subaccount key is refused now: {err}"));
    parent
        .update_api_key_status()
        .api_key_id(sub_key_id)
        .body_map(|b| b.status(ApiKeyStatus::Active))
        .send()
        .await?;
    let listed = list_emails(&sub).await?;
    show(format!("set active again, it works: {listed:?}"));

    // Finance.
    steps.start("Link a CertCentral billing account (PUT /finance/account-link, with X-DC-DEVKEY)");
    let linked = parent
        .link_finance_account()
        .cert_central_api_key(certcentral_key)
        .send()
        .await?;
    ensure!(linked.status().as_u16() == 204, "expected 204 No Content");
    let (billing, is_default) = setting(&parent, "linked_billing_account_id")
        .await?
        .context("the link should be reported")?;
    show(format!(
        "204 No Content; the parent's settings report linked_billing_account_id {billing} (read-only, the sandbox's way to show the link)"
    ));
    ensure!(
        billing == "1122331" && !is_default,
        "the link should name the CertCentral account of the key"
    );

    Ok(sub_key)
}
