//! The request scenarios whose wire shapes are snapshotted: at least one per operation,
//! and for operations with a body or parameters a minimal and a full one, plus the edge
//! shapes users hit (DELETE with a body, empty lists, `"0"` as a string, huge ids).
//!
//! Adding an operation: add its [`crate::OPERATIONS`] line and its scenarios here, run the
//! tests, review the new `.snap` files in `tests/snapshots/`.

use serde_json::{Value, json};

use crate::{Family, Input};

/// One request to snapshot.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Which family.
    pub family: Family,
    /// The operationId.
    pub operation: &'static str,
    /// Short snake_case name; the snapshot is `<family>__<operation>__<name>`.
    pub name: &'static str,
    /// What a reviewer should expect on the wire, in a sentence.
    pub about: &'static str,
    /// `{"params": {...}, "body": ...}`; both optional.
    pub input: Value,
}

impl Scenario {
    /// The snapshot name: `<family>__<operation>__<name>`.
    pub fn snapshot_name(&self) -> String {
        format!("{}__{}__{}", self.family.name(), self.operation, self.name)
    }

    /// The input as the harness passes it to the operation.
    pub fn input(&self) -> Input {
        Input {
            params: self
                .input
                .get("params")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default(),
            body: self.input.get("body").cloned(),
        }
    }
}

/// The name of the snapshot that holds an operation's decoded responses.
pub fn responses_snapshot_name(family: Family, operation: &str) -> String {
    format!("{}__{operation}__responses", family.name())
}

fn scenario(
    family: Family,
    operation: &'static str,
    name: &'static str,
    about: &'static str,
    input: Value,
) -> Scenario {
    Scenario {
        family,
        operation,
        name,
        about,
        input,
    }
}

/// Every scenario, grouped by operation.
pub fn all() -> Vec<Scenario> {
    use Family::{Partner, Services};
    vec![
        scenario(
            Partner,
            "create_subaccount",
            "minimal",
            "POST with only the required name and api_key_name",
            json!({"body": {"name": "ACME Corporation Subaccount", "api_key_name": "Production API Key"}}),
        ),
        scenario(
            Partner,
            "create_subaccount",
            "full",
            "POST with every field, two emergency emails",
            json!({"body": {
                "name": "ACME Corporation Subaccount",
                "api_key_name": "Production API Key",
                "emergency_contact_emails": ["security@example.com", "emergency@example.com"]
            }}),
        ),
        scenario(
            Partner,
            "create_subaccount",
            "empty_email_list",
            "an empty optional email list is left out of the body entirely",
            json!({"body": {"name": "Empty", "api_key_name": "Key", "emergency_contact_emails": []}}),
        ),
        scenario(
            Partner,
            "get_emergency_emails",
            "plain",
            "GET without body or parameters",
            json!({}),
        ),
        scenario(
            Partner,
            "add_emergency_emails",
            "one_address",
            "PUT with a single address",
            json!({"body": {"emergency_contact_emails": ["new-contact@example.com"]}}),
        ),
        scenario(
            Partner,
            "add_emergency_emails",
            "duplicates_sent_as_given",
            "the client sends duplicates as given; DigiCert drops them",
            json!({"body": {"emergency_contact_emails": ["a@example.com", "a@example.com", "b@example.com"]}}),
        ),
        scenario(
            Partner,
            "add_emergency_emails",
            "empty_array",
            "an empty list is sent as given; the spec says minItems 1, so DigiCert (and the sandbox) answer 400",
            json!({"body": {"emergency_contact_emails": []}}),
        ),
        scenario(
            Partner,
            "delete_emergency_emails",
            "two_addresses",
            "DELETE carrying a JSON body with two addresses",
            json!({"body": {"emergency_contact_emails": ["security@example.com", "emergency@example.com"]}}),
        ),
        scenario(
            Partner,
            "delete_emergency_emails",
            "empty_array",
            "DELETE with an empty list is sent as given; the spec says minItems 1, so the answer is 400",
            json!({"body": {"emergency_contact_emails": []}}),
        ),
        scenario(
            Partner,
            "get_acme_reporting",
            "plain",
            "GET without body or parameters",
            json!({}),
        ),
        scenario(
            Partner,
            "list_account_settings",
            "plain",
            "GET without body or parameters",
            json!({}),
        ),
        scenario(
            Partner,
            "update_account_setting",
            "enable_auto_renew",
            "PATCH auto_renew_subscription to the string \"1\"",
            json!({"body": {"name": "auto_renew_subscription", "value": "1"}}),
        ),
        scenario(
            Partner,
            "update_account_setting",
            "disable_auto_renew",
            "PATCH with the string \"0\", which must stay a string on the wire",
            json!({"body": {"name": "auto_renew_subscription", "value": "0"}}),
        ),
        scenario(
            Services,
            "get_subaccount",
            "documented_id",
            "GET for the documented example subaccount",
            json!({"params": {"subaccount_id": 1122339}}),
        ),
        scenario(
            Services,
            "get_subaccount",
            "largest_id",
            "the largest int64 id goes into the path unchanged (integer ids need no escaping)",
            json!({"params": {"subaccount_id": i64::MAX}}),
        ),
    ]
}
