//! The tour's Partner Subscriptions part: subaccounts and their keys, emergency emails,
//! settings and reporting.

use anyhow::{Context, ensure};
use digicert::partner::types::{
    AccountSettingUpdate, CreateSubaccountRequest, EmergencyContactEmailsChange,
};
use digicert::{ApiKey, partner};
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

async fn auto_renew(client: &partner::Client) -> anyhow::Result<(String, bool)> {
    let settings = client.list_account_settings().send().await?.into_inner();
    let setting = settings
        .settings
        .iter()
        .find(|s| s.name == "auto_renew_subscription")
        .context("auto_renew_subscription is not listed")?;
    Ok((setting.value.clone(), setting.is_default))
}

fn auto_renew_update(value: &str) -> anyhow::Result<AccountSettingUpdate> {
    Ok(AccountSettingUpdate {
        name: "auto_renew_subscription".parse()?,
        value: value.to_owned(),
    })
}

/// Walks the Partner API with the parent key; returns the key of the subaccount it made.
pub(crate) async fn tour(
    sandbox: &Sandbox,
    steps: &mut Steps,
    parent_key: ApiKey,
) -> anyhow::Result<ApiKey> {
    let parent = sandbox.partner_client(parent_key)?;

    // Partner Subscriptions: subaccounts and their keys.
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
    show(format!(
        "201 Created: subaccount {} \"{}\"",
        created.account_id,
        created.name.as_deref().unwrap_or_default()
    ));
    show(format!(
        "its new API key, shown by DigiCert this once: {}",
        redacted(&created.api_key.api_key)
    ));
    let sub = sandbox.partner_client(created.api_key.api_key.clone())?;

    steps.start(
        "Use the new key right away: list its emergency emails (GET /account/emergency-emails)",
    );
    let listed = list_emails(&sub).await?;
    show(format!("200 OK: {listed:?}"));
    ensure!(
        listed == ["security@tour.example", "emergency@tour.example"],
        "the new subaccount should start with the emails it was created with"
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

    steps.start("Turn it on (PATCH /account/settings {\"value\": \"1\"})");
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

    steps.start("Set it back to the default value \"0\": the override goes away");
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

    // Reporting.
    steps.start("Read ACME reporting with the parent key (GET /account/reporting)");
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
    ensure!(!report.accounts.is_empty(), "the seed has ACME contracts");
    ensure!(
        report.accounts.iter().all(|a| !a.acme.is_empty()),
        "only subaccounts with contracts may appear"
    );
    ensure!(
        report
            .accounts
            .iter()
            .all(|a| a.account_id != created.account_id),
        "the new subaccount has no contracts, so it must not appear"
    );
    show("subaccounts without ACME contracts (like the new one) are left out");

    steps.start("Read ACME reporting with the subaccount key: parent keys only");
    let err = refusal(sub.get_acme_reporting().send().await, 403)?;
    show(format!("refused as documented: {err}"));

    Ok(created.api_key.api_key)
}
