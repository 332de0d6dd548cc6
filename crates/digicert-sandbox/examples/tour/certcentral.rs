//! The tour's CertCentral part: subaccount info inside and outside the key's hierarchy, and
//! keys that belong to the other family.

use anyhow::ensure;
use digicert::ApiKey;
use digicert_sandbox::Sandbox;

use crate::{Steps, refusal, show};

/// Walks the CertCentral API with its key; `partner_key` shows that keys are per family.
pub(crate) async fn tour(
    sandbox: &Sandbox,
    steps: &mut Steps,
    certcentral_key: ApiKey,
    partner_key: ApiKey,
) -> anyhow::Result<()> {
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
    let wrong = sandbox.services_client(partner_key)?;
    let err = refusal(
        wrong.get_subaccount().subaccount_id(1_122_339).send().await,
        401,
    )?;
    show(format!("refused: {err}"));

    Ok(())
}
