//! Request scenarios of the Partner Subscriptions operations.

use serde_json::json;

use super::{Scenario, scenario};
use crate::Family::Partner;

/// The Partner family's scenarios.
pub(super) fn scenarios() -> Vec<Scenario> {
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
    ]
}
