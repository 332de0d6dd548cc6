//! The tour: starts the sandbox in-process and walks through both DigiCert API families
//! with the generated `digicert` client, checking at every step that the answer is what
//! DigiCert documents. Exits 0 only if every step behaved as documented.
//!
//! ```text
//! cargo run --example tour
//! ```

use std::fmt::Debug;
use std::process::ExitCode;

use anyhow::{Context, bail, ensure};
use digicert::partner::types::{
    AccountSettingUpdate, CreateSubaccountRequest, EmergencyContactEmailsChange,
};
use digicert::{ApiKey, partner};
use digicert_sandbox::{KeyKind, Sandbox};

#[tokio::main]
async fn main() -> ExitCode {
    match tour().await {
        Ok(steps) => {
            println!("\nTour complete: all {steps} steps behaved as documented.");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("\nTOUR FAILED: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Numbers and prints the steps.
struct Steps(usize);

impl Steps {
    fn start(&mut self, what: &str) {
        self.0 += 1;
        println!("\n[{:>2}] {what}", self.0);
    }
}

/// Prints one result line of a step.
fn show(text: impl AsRef<str>) {
    println!("     -> {}", text.as_ref());
}

/// How the tour shows a key: never its value.
fn redacted(key: &ApiKey) -> String {
    format!("{key} ({} characters)", key.expose().len())
}

/// The refusal of a call that DigiCert documents as refused, with its status checked.
fn refusal<T: Debug>(
    result: digicert::Result<T>,
    status: u16,
) -> anyhow::Result<digicert::Error> {
    match result {
        Ok(value) => bail!("expected a {status} refusal, but the call succeeded: {value:?}"),
        Err(err) => {
            ensure!(
                err.status().map(|s| s.as_u16()) == Some(status),
                "expected {status}, got: {err}"
            );
            Ok(err)
        }
    }
}

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

async fn tour() -> anyhow::Result<usize> {
    let mut steps = Steps(0);
    steps.start("Start the sandbox in-process (built-in seed, free port on 127.0.0.1)");
    let sandbox = Sandbox::start().await?;
    show(format!(
        "Partner Subscriptions API v1: {}",
        sandbox.partner_url()
    ));
    show(format!(
        "CertCentral Services API v2:  {}",
        sandbox.services_url()
    ));
    let key_of = |kind| {
        sandbox
            .key(kind)
            .cloned()
            .with_context(|| format!("the built-in seed has no {kind:?} key"))
    };
    let parent_key = key_of(KeyKind::PartnerParent)?;
    let certcentral_key = key_of(KeyKind::CertCentral)?;
    show(format!("parent account key:  {}", redacted(&parent_key)));
    show(format!(
        "CertCentral key:     {}",
        redacted(&certcentral_key)
    ));
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

    // CertCentral.
    steps.start("CertCentral: read subaccount 1122339 (GET /account/subaccount/1122339)");
    let certcentral = sandbox.services_client(certcentral_key)?;
    let info = certcentral
        .get_subaccount()
        .subaccount_id(1_122_339)
        .send()
        .await?
        .into_inner();
    show(format!(
        "200 OK: \"{}\", type {}, created {}, parent {}, administrator {} {}",
        info.organization_name,
        info.account_type,
        info.date_created,
        info.parent_account_id,
        info.master_user.first_name,
        info.master_user.last_name
    ));
    ensure!(
        info.account_id == 1_122_339 && info.parent_account_id == "1122331",
        "this is DigiCert's documented example"
    );

    steps.start(
        "CertCentral: a subaccount outside this account's hierarchy, and one that does not exist",
    );
    let err = refusal(
        certcentral
            .get_subaccount()
            .subaccount_id(2_233_445)
            .send()
            .await,
        403,
    )?;
    show(format!("2233445: {err}"));
    let err = refusal(
        certcentral.get_subaccount().subaccount_id(999).send().await,
        404,
    )?;
    show(format!("999: {err}"));

    steps.start("Keys are per family: the Partner key means nothing to CertCentral");
    let wrong = sandbox.services_client(created.api_key.api_key)?;
    let err = refusal(
        wrong.get_subaccount().subaccount_id(1_122_339).send().await,
        401,
    )?;
    show(format!("refused: {err}"));

    steps.start("Stop the sandbox");
    sandbox.shutdown().await?;
    show("stopped");
    Ok(steps.0)
}
