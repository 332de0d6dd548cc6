//! What the Partner end-to-end tests share: typed request bodies, a subaccount made on the
//! spot, and a way to call any Partner operation by its ID through the generated client.

use digicert::partner::types as pt;
use digicert::{ApiKey, partner};
use digicert_sandbox::{KeyKind, Sandbox};
use serde_json::{Value, json};

use crate::common::{emails, key};

/// A DV contract request for `sans`, with `auto_renew` as given (None: left out).
pub(crate) fn dv(sans: &[&str], auto_renew: Option<bool>) -> pt::CreateAcmeContractRequest {
    pt::CreateAcmeContractRequest {
        product_name_id: "ssl_dv_rapidssl".parse().expect("a product"),
        sans: sans
            .iter()
            .map(|s| s.parse().expect("a non-empty SAN"))
            .collect(),
        auto_renew,
        organization: None,
    }
}

/// A contract request for `product` with `organization`.
pub(crate) fn with_organization(
    product: &str,
    sans: &[&str],
    organization: Value,
) -> pt::CreateAcmeContractRequest {
    pt::CreateAcmeContractRequest {
        product_name_id: product.parse().expect("a product"),
        organization: Some(organization_request(organization)),
        ..dv(sans, None)
    }
}

/// An organization request from JSON.
#[track_caller]
pub(crate) fn organization_request(organization: Value) -> pt::AcmeOrganizationRequest {
    serde_json::from_value(organization).expect("an organization request")
}

/// A complete OV organization, as DigiCert's example shows it.
pub(crate) fn organization() -> Value {
    json!({
        "name": "Example Corporation",
        "assumed_name": "Example Corp",
        "address": "123 Main Street",
        "address2": "Suite 500",
        "city": "San Francisco",
        "state": "CA",
        "zip": "94105",
        "country": "US",
        "telephone": "+1-555-0100",
        "organization_contact": {
            "first_name": "John", "last_name": "Doe", "email": "john.doe@example.com",
            "telephone": "+1-555-0100", "job_title": "IT Director"
        },
        "technical_contact": {
            "first_name": "Jane", "last_name": "Smith", "email": "jane.smith@example.com"
        }
    })
}

/// A SAN change.
pub(crate) fn sans(names: &[&str]) -> pt::AcmeSansChange {
    pt::AcmeSansChange {
        sans: names
            .iter()
            .map(|s| s.parse().expect("a non-empty SAN"))
            .collect(),
    }
}

/// A new subaccount of the seeded parent, with `setting` as its auto_renew_subscription
/// when given; returns its ID and a client with its key.
pub(crate) async fn new_subaccount(
    sandbox: &Sandbox,
    name: &str,
    setting: Option<&str>,
) -> (i64, partner::Client) {
    let parent = sandbox
        .partner_client(key(sandbox, KeyKind::PartnerParent))
        .expect("client");
    let created = parent
        .create_subaccount()
        .body_map(|b| {
            b.name(name)
                .api_key_name(format!("{name} key"))
                .emergency_contact_emails(vec![format!("ops@{}.example", name.to_lowercase())])
        })
        .send()
        .await
        .expect("create_subaccount")
        .into_inner();
    let client = sandbox
        .partner_client(created.api_key.api_key)
        .expect("client");
    if let Some(value) = setting {
        client
            .update_account_setting()
            .body_map(|b| b.name("auto_renew_subscription").value(value))
            .send()
            .await
            .expect("update_account_setting");
    }
    (created.account_id, client)
}

/// Creates a DV contract and returns its ID and what the 201 held.
pub(crate) async fn create(
    client: &partner::Client,
    request: pt::CreateAcmeContractRequest,
) -> pt::AcmeContractCreated {
    let created = client
        .create_acme_contract()
        .body(request)
        .send()
        .await
        .expect("create_acme_contract");
    assert_eq!(created.status().as_u16(), 201);
    created.into_inner()
}

/// Reads a contract.
pub(crate) async fn contract(client: &partner::Client, id: i64) -> pt::AcmeContract {
    client
        .get_acme_contract()
        .acme_contract_id(id)
        .send()
        .await
        .expect("get_acme_contract")
        .into_inner()
}

/// The IDs the scope tests pass to every operation.
pub(crate) struct Args {
    /// An ACME contract ID.
    pub(crate) contract: i64,
    /// A credential ID of that contract.
    pub(crate) credential: i64,
    /// An API key ID.
    pub(crate) api_key: i64,
    /// An account ID for `create_api_key`.
    pub(crate) account: i64,
    /// The CertCentral key for `link_finance_account`.
    pub(crate) certcentral: ApiKey,
}

/// Sends `$call` and gives its status.
macro_rules! status {
    ($call:expr) => {
        $call.send().await.map(|r| r.status().as_u16())
    };
}

/// Calls the Partner operation `id` through the generated client with `args` and valid
/// bodies; the answer's status, or the client's error.
pub(crate) async fn call(client: &partner::Client, id: &str, args: &Args) -> digicert::Result<u16> {
    let contract = args.contract;
    match id {
        "create_subaccount" => status!(
            client
                .create_subaccount()
                .body_map(|b| b.name("Scope").api_key_name("Scope key"))
        ),
        "get_emergency_emails" => status!(client.get_emergency_emails()),
        "add_emergency_emails" => status!(
            client
                .add_emergency_emails()
                .body(emails(&["scope@scope.example"]))
        ),
        "delete_emergency_emails" => status!(
            client
                .delete_emergency_emails()
                .body(emails(&["scope@scope.example"]))
        ),
        "get_acme_reporting" => status!(client.get_acme_reporting()),
        "list_account_settings" => status!(client.list_account_settings()),
        "update_account_setting" => status!(
            client
                .update_account_setting()
                .body_map(|b| b.name("auto_renew_subscription").value("1"))
        ),
        "list_api_keys" => status!(client.list_api_keys()),
        "get_api_key" => status!(client.get_api_key().api_key_id(args.api_key)),
        "create_api_key" => status!(
            client
                .create_api_key()
                .account_id(args.account)
                .body_map(|b| b.name("Scope key"))
        ),
        "update_api_key_status" => status!(
            client
                .update_api_key_status()
                .api_key_id(args.api_key)
                .body_map(|b| b.status(pt::ApiKeyStatus::Active))
        ),
        "create_acme_contract" => status!(
            client
                .create_acme_contract()
                .body(dv(&["scope.example"], None))
        ),
        "get_acme_contract" => status!(client.get_acme_contract().acme_contract_id(contract)),
        "replace_acme_contract" => status!(
            client
                .replace_acme_contract()
                .acme_contract_id(contract)
                .body(pt::AcmeContractReplacement {
                    auto_renew: Some(true),
                    organization: None,
                })
        ),
        "update_acme_contract" => status!(
            client
                .update_acme_contract()
                .acme_contract_id(contract)
                .body(pt::AcmeContractUpdate {
                    auto_renew: Some(true),
                    organization: None,
                })
        ),
        "cancel_acme_contract" => status!(client.cancel_acme_contract().acme_contract_id(contract)),
        "add_acme_sans" => status!(
            client
                .add_acme_sans()
                .acme_contract_id(contract)
                .body(sans(&["more.scope.example"]))
        ),
        "remove_acme_sans" => status!(
            client
                .remove_acme_sans()
                .acme_contract_id(contract)
                .body(sans(&["more.scope.example"]))
        ),
        "list_acme_certificates" => {
            status!(client.list_acme_certificates().acme_contract_id(contract))
        }
        "list_acme_credentials" => {
            status!(client.list_acme_credentials().acme_contract_id(contract))
        }
        "regenerate_acme_credentials" => status!(
            client
                .regenerate_acme_credentials()
                .acme_contract_id(contract)
                .body(pt::AcmeCredentialsRegenerateRequest {
                    revoke_existing: false
                })
        ),
        "revoke_acme_credentials" => {
            status!(client.revoke_acme_credentials().acme_contract_id(contract))
        }
        "revoke_acme_credential" => status!(
            client
                .revoke_acme_credential()
                .acme_contract_id(contract)
                .credential_id(args.credential)
        ),
        "link_finance_account" => status!(
            client
                .link_finance_account()
                .cert_central_api_key(args.certcentral.clone())
        ),
        other => panic!("the Partner tests do not know how to call {other}: add it here"),
    }
}
