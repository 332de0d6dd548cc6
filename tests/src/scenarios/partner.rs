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
        // API key management.
        scenario(
            Partner,
            "list_api_keys",
            "plain",
            "GET without body or parameters (DigiCert documents no query parameters)",
            json!({}),
        ),
        scenario(
            Partner,
            "get_api_key",
            "documented_id",
            "GET with the documented key ID in the path",
            json!({"params": {"api_key_id": 12345}}),
        ),
        scenario(
            Partner,
            "get_api_key",
            "largest_id",
            "the largest int64 ID is written in full, digits only",
            json!({"params": {"api_key_id": i64::MAX}}),
        ),
        scenario(
            Partner,
            "create_api_key",
            "minimal",
            "POST with the body's one field, name (so minimal and full are the same), for subaccount 67891",
            json!({"params": {"account_id": 67891}, "body": {"name": "Subaccount Production Key"}}),
        ),
        scenario(
            Partner,
            "update_api_key_status",
            "deactivate",
            "PUT {\"status\": \"inactive\"} to key 12345",
            json!({"params": {"api_key_id": 12345}, "body": {"status": "inactive"}}),
        ),
        scenario(
            Partner,
            "update_api_key_status",
            "activate",
            "PUT {\"status\": \"active\"}: turning a key back on",
            json!({"params": {"api_key_id": 12345}, "body": {"status": "active"}}),
        ),
        // ACME contract management.
        scenario(
            Partner,
            "create_acme_contract",
            "minimal",
            "a DV contract: product and SANs only; auto_renew is absent, so DigiCert applies the account's auto_renew_subscription",
            json!({"body": {"product_name_id": "ssl_dv_rapidssl", "sans": ["example.com"]}}),
        ),
        scenario(
            Partner,
            "create_acme_contract",
            "full",
            "an OV contract with every field: auto_renew, the organization with every field and both contacts",
            json!({"body": {
                "product_name_id": "ssl_basic",
                "sans": ["example.com", "www.example.com"],
                "auto_renew": true,
                "organization": {
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
                        "first_name": "Jane", "last_name": "Smith", "email": "jane.smith@example.com",
                        "telephone": "+1-555-0200", "job_title": "DevOps Lead"
                    }
                }
            }}),
        ),
        scenario(
            Partner,
            "create_acme_contract",
            "ev_with_verified_contact",
            "an EV contract: the organization's required fields and one verified contact",
            json!({"body": {
                "product_name_id": "ssl_ev_basic",
                "sans": ["example.com"],
                "organization": {
                    "name": "Example Corporation",
                    "address": "123 Main Street",
                    "city": "San Francisco",
                    "state": "CA",
                    "zip": "94105",
                    "country": "US",
                    "organization_contact": {"first_name": "John", "last_name": "Doe", "email": "john.doe@example.com"},
                    "verified_contacts": [{"first_name": "Vera", "last_name": "Fied", "email": "vera@example.com"}]
                }
            }}),
        ),
        scenario(
            Partner,
            "create_acme_contract",
            "auto_renew_false",
            "an explicit auto_renew false must reach DigiCert (it overrides the account's setting), not be dropped",
            json!({"body": {"product_name_id": "ssl_dv_rapidssl", "sans": ["example.com"], "auto_renew": false}}),
        ),
        scenario(
            Partner,
            "get_acme_contract",
            "plain",
            "GET with the contract ID in the path",
            json!({"params": {"acme_contract_id": 5678}}),
        ),
        scenario(
            Partner,
            "replace_acme_contract",
            "minimal",
            "PUT with an empty object: a full replacement, so DigiCert resets auto_renew to false",
            json!({"params": {"acme_contract_id": 5678}, "body": {}}),
        ),
        scenario(
            Partner,
            "replace_acme_contract",
            "full",
            "PUT with auto_renew and the organization (required for OV and EV)",
            json!({"params": {"acme_contract_id": 5678}, "body": {
                "auto_renew": true,
                "organization": {
                    "name": "Example Corporation",
                    "address": "123 Main Street",
                    "city": "San Francisco",
                    "state": "CA",
                    "zip": "94105",
                    "country": "US",
                    "organization_contact": {"first_name": "John", "last_name": "Doe", "email": "john.doe@example.com"}
                }
            }}),
        ),
        scenario(
            Partner,
            "update_acme_contract",
            "minimal",
            "PATCH {\"auto_renew\": false} alone: the way to stop renewal after 30 days",
            json!({"params": {"acme_contract_id": 5678}, "body": {"auto_renew": false}}),
        ),
        scenario(
            Partner,
            "update_acme_contract",
            "full",
            "PATCH with auto_renew and a new organization contact",
            json!({"params": {"acme_contract_id": 5678}, "body": {
                "auto_renew": true,
                "organization": {
                    "name": "Example Corporation",
                    "address": "123 Main Street",
                    "city": "San Francisco",
                    "state": "CA",
                    "zip": "94105",
                    "country": "US",
                    "organization_contact": {"first_name": "Nina", "last_name": "New", "email": "nina.new@example.com"}
                }
            }}),
        ),
        scenario(
            Partner,
            "cancel_acme_contract",
            "plain",
            "DELETE with the contract ID and no body",
            json!({"params": {"acme_contract_id": 5678}}),
        ),
        scenario(
            Partner,
            "add_acme_sans",
            "minimal",
            "PUT with one SAN",
            json!({"params": {"acme_contract_id": 5678}, "body": {"sans": ["api.example.com"]}}),
        ),
        scenario(
            Partner,
            "add_acme_sans",
            "full",
            "PUT with several SANs, a wildcard among them, sent as given",
            json!({"params": {"acme_contract_id": 5678}, "body": {"sans": ["api.example.com", "admin.example.com", "*.example.com"]}}),
        ),
        scenario(
            Partner,
            "remove_acme_sans",
            "minimal",
            "DELETE carrying a JSON body with one SAN",
            json!({"params": {"acme_contract_id": 5678}, "body": {"sans": ["old.example.com"]}}),
        ),
        scenario(
            Partner,
            "remove_acme_sans",
            "full",
            "DELETE carrying a JSON body with two SANs",
            json!({"params": {"acme_contract_id": 5678}, "body": {"sans": ["old.example.com", "legacy.example.com"]}}),
        ),
        scenario(
            Partner,
            "list_acme_certificates",
            "plain",
            "GET with the contract ID in the path",
            json!({"params": {"acme_contract_id": 5678}}),
        ),
        scenario(
            Partner,
            "list_acme_credentials",
            "plain",
            "GET with the contract ID in the path",
            json!({"params": {"acme_contract_id": 5678}}),
        ),
        scenario(
            Partner,
            "regenerate_acme_credentials",
            "minimal",
            "POST with an empty object: the client writes the default revoke_existing true",
            json!({"params": {"acme_contract_id": 5678}, "body": {}}),
        ),
        scenario(
            Partner,
            "regenerate_acme_credentials",
            "keep_existing",
            "POST {\"revoke_existing\": false}: the old credentials stay active",
            json!({"params": {"acme_contract_id": 5678}, "body": {"revoke_existing": false}}),
        ),
        scenario(
            Partner,
            "revoke_acme_credentials",
            "plain",
            "POST with the contract ID and no body",
            json!({"params": {"acme_contract_id": 5678}}),
        ),
        scenario(
            Partner,
            "revoke_acme_credential",
            "plain",
            "POST with the contract ID and the credential ID in the path, no body",
            json!({"params": {"acme_contract_id": 5678, "credential_id": 4821}}),
        ),
        // Finance management.
        scenario(
            Partner,
            "link_finance_account",
            "plain",
            "PUT without body: the Partner key and the CertCentral key, each in its header, both redacted",
            json!({}),
        ),
    ]
}
