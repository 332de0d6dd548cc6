//! The tour's CertCentral part: subaccount info inside and outside the key's hierarchy, a
//! filtered and sorted list, a managed subaccount and its new key, an edit, every page of
//! the list as a stream, and keys that belong to the other family.
//!
//! The clients keep the client's default rate limit (100 requests per 5 seconds per key):
//! the tour sends about a dozen CertCentral requests, so it never waits for it.

use std::collections::HashSet;

use anyhow::{Context, ensure};
use digicert::services::types::{
    AccountEmailsChange, AccountType, SubaccountCreate, SubaccountOrganizationCreate,
    SubaccountUpdate, SubaccountUserCreate,
};
use digicert::{ApiKey, EmailList};
use digicert_sandbox::Sandbox;

use crate::{Steps, redacted, refusal, show};

/// A managed subaccount with one administrator, managed by user 12345 (Jim James).
fn managed_subaccount() -> anyhow::Result<SubaccountCreate> {
    Ok(SubaccountCreate {
        account_type: AccountType::from("managed"),
        allowed_grandchildren: vec![AccountType::Retail],
        account_manager_user_id: Some(12345),
        bill_parent: Some(true),
        enforce_bill_parent: None,
        child_name: None,
        max_allowed_multi_year_plan_length: None,
        user: SubaccountUserCreate {
            first_name: "Tour".parse()?,
            last_name: "Robot".parse()?,
            email: "robot@tour.example".to_owned(),
            username: None,
            job_title: Some("Automation".to_owned()),
            telephone: None,
            disable_renewal_notifications: None,
        },
        organization: SubaccountOrganizationCreate {
            name: "Tour Automation Ltd".parse()?,
            address: "1 Tour Street".parse()?,
            address2: None,
            zip: "43604".parse()?,
            city: "Toledo".parse()?,
            state: "Ohio".parse()?,
            country: "US".parse()?,
            telephone: "555-0142".parse()?,
        },
    })
}

/// Walks the CertCentral API with its key; `partner_key` shows that keys are per family.
pub(crate) async fn tour(
    sandbox: &Sandbox,
    steps: &mut Steps,
    certcentral_key: ApiKey,
    partner_key: ApiKey,
) -> anyhow::Result<()> {
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

    steps.start(
        "CertCentral: list the subaccounts whose name contains \"bakery\", newest first \
         (GET /account/subaccount?filters[search]=%25bakery&sort=-date_created&limit=5)",
    );
    let bakeries = certcentral
        .list_subaccounts()
        .filters_search("%bakery")
        .sort("-date_created")
        .limit(5)
        .send()
        .await?
        .into_inner();
    show(format!(
        "page {{total: {}, limit: {}, offset: {}}}",
        bakeries.page.total, bakeries.page.limit, bakeries.page.offset
    ));
    for subaccount in &bakeries.subaccounts {
        show(format!(
            "{}  {}  created {}",
            subaccount.account_id, subaccount.organization_name, subaccount.date_created
        ));
    }
    ensure!(
        bakeries.subaccounts.len() == 5 && bakeries.page.total > 5,
        "a first page of 5 out of more"
    );
    ensure!(
        bakeries
            .subaccounts
            .iter()
            .all(|s| s.organization_name.to_lowercase().contains("bakery")),
        "every name contains \"bakery\""
    );
    ensure!(
        bakeries
            .subaccounts
            .windows(2)
            .all(|w| w[0].date_created >= w[1].date_created),
        "newest first"
    );

    steps.start(
        "CertCentral: create a managed subaccount (POST /account); its API key comes back once",
    );
    let created = certcentral
        .create_subaccount()
        .body(managed_subaccount()?)
        .send()
        .await?;
    ensure!(created.status().as_u16() == 201, "201 Created");
    let created = created.into_inner();
    let managed_key = created
        .api_key
        .clone()
        .context("a managed subaccount's response carries its API key")?;
    show(format!(
        "201 Created: subaccount {}, API key {}",
        created.id,
        redacted(&managed_key)
    ));

    steps.start(
        "CertCentral: use the new key at once: set its account emails (PUT /account) and list its subaccounts",
    );
    let managed = sandbox.services_client(managed_key)?;
    managed
        .update_account_emails()
        .body(AccountEmailsChange {
            admin_email: Some(EmailList::new(["robot@tour.example", "ops@tour.example"])?),
            emergency_emails: Some(EmailList::new(["security@tour.example"])?),
        })
        .send()
        .await?;
    let emails = sandbox
        .certcentral_account_emails(created.id)
        .context("the new account is in the sandbox")?;
    let admin = emails
        .admin_email
        .map(|l| l.to_string())
        .unwrap_or_default();
    show(format!(
        "204 No Content; the sandbox now has admin_email \"{admin}\" for account {}",
        created.id
    ));
    ensure!(
        admin == "robot@tour.example, ops@tour.example",
        "the new key set its own account's emails"
    );
    let own = managed.list_subaccounts().send().await?.into_inner();
    show(format!(
        "its own subaccounts: {} (page.total {})",
        own.subaccounts.len(),
        own.page.total
    ));
    ensure!(own.page.total == 0, "a new account has no subaccounts");

    steps.start(
        "CertCentral: edit the new subaccount (PUT /account/subaccount/{id}): a child name, and remove its account manager",
    );
    let before = certcentral
        .get_subaccount()
        .subaccount_id(created.id)
        .send()
        .await?
        .into_inner();
    let edited = certcentral
        .update_subaccount()
        .subaccount_id(created.id)
        .body(SubaccountUpdate {
            child_name: Some("Tour robots".parse()?),
            allow_removing_account_manager: Some(true),
            ..SubaccountUpdate::default()
        })
        .send()
        .await?;
    ensure!(edited.status().as_u16() == 204, "204 No Content");
    let after = certcentral
        .get_subaccount()
        .subaccount_id(created.id)
        .send()
        .await?
        .into_inner();
    show(format!(
        "account manager {:?} -> {:?}; child name {:?}",
        before.account_manager, after.account_manager, after.child_name
    ));
    ensure!(
        before.account_manager.as_deref() == Some("Jim James")
            && after.account_manager.is_none()
            && after.child_name.as_deref() == Some("Tour robots"),
        "the manager is gone and the child name is set"
    );

    steps.start(
        "CertCentral: stream every subaccount, 100 per page; each page is fetched only when the stream gets to it",
    );
    let mut stream = certcentral.list_subaccounts().limit(100).stream();
    let mut seen = HashSet::new();
    let mut first_page_pulled = None;
    while let Some(subaccount) = stream.next_item().await {
        seen.insert(subaccount?.account_id);
        if seen.len() == 1 {
            first_page_pulled = Some(stream.pages_fetched());
        }
    }
    let total = stream.total().context("the stream read a page")?;
    show(format!(
        "{} subaccounts in {} pages (page.total {total}); after the first item only {} page had been requested",
        seen.len(),
        stream.pages_fetched(),
        first_page_pulled.unwrap_or_default()
    ));
    ensure!(
        i64::try_from(seen.len())? == total && seen.contains(&created.id),
        "every subaccount exactly once, the new one included"
    );
    ensure!(
        stream.pages_fetched() == 3 && first_page_pulled == Some(1),
        "three pages, fetched as the stream was pulled"
    );

    steps.start("Keys are per family: the Partner key means nothing to CertCentral");
    let wrong = sandbox.services_client(partner_key)?;
    let err = refusal(
        wrong.get_subaccount().subaccount_id(1_122_339).send().await,
        401,
    )?;
    show(format!("refused: {err}"));

    Ok(())
}
