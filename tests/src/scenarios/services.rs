//! Request scenarios of the CertCentral operations.

use serde_json::json;

use super::{Scenario, scenario};
use crate::Family::Services;

/// The Services family's scenarios.
pub(super) fn scenarios() -> Vec<Scenario> {
    vec![
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
        scenario(
            Services,
            "create_subaccount",
            "minimal",
            "POST /account with only the required fields; allowed_grandchildren is sent even when empty",
            json!({"body": {
                "account_type": "retail",
                "allowed_grandchildren": [],
                "user": {"first_name": "John", "last_name": "Smith", "email": "john.smith@example.com"},
                "organization": {
                    "name": "Example Company, LLC", "address": "123 Fake Street", "zip": "93090",
                    "city": "Toledo", "state": "Ohio", "country": "US", "telephone": "111-222-333-4445"
                }
            }}),
        ),
        scenario(
            Services,
            "create_subaccount",
            "full",
            "POST /account with every field: DigiCert's example plus child_name, billing and the multi-year plan",
            json!({"body": {
                "account_type": "reseller",
                "allowed_grandchildren": ["retail", "enterprise", "reseller"],
                "account_manager_user_id": 12345,
                "bill_parent": true,
                "enforce_bill_parent": true,
                "child_name": "Toledo office",
                "max_allowed_multi_year_plan_length": 3,
                "user": {
                    "first_name": "John", "last_name": "Smith", "email": "john.smith@example.com",
                    "username": "john.smith@example.com", "job_title": "Statistician",
                    "telephone": "111-222-333-4444", "disable_renewal_notifications": true
                },
                "organization": {
                    "name": "Example Company, LLC", "address": "123 Fake Street", "address2": "Suite 321",
                    "zip": "93090", "city": "Toledo", "state": "Ohio", "country": "US",
                    "telephone": "111-222-333-4445"
                }
            }}),
        ),
        scenario(
            Services,
            "create_subaccount",
            "managed",
            "a managed subaccount: the type DigiCert does not spell in its docs goes out as given (\"managed\")",
            json!({"body": {
                "account_type": "managed",
                "allowed_grandchildren": ["retail"],
                "user": {"first_name": "Api", "last_name": "Only", "email": "api@example.com"},
                "organization": {
                    "name": "Managed Robotics Inc.", "address": "1 Robot Way", "zip": "84043",
                    "city": "Lehi", "state": "Utah", "country": "US", "telephone": "801-555-0100"
                }
            }}),
        ),
        scenario(
            Services,
            "update_account_emails",
            "admin_only",
            "PUT /account with one list; the other is left out of the body (and stays as it is)",
            json!({"body": {"admin_email": "ops@example.com"}}),
        ),
        scenario(
            Services,
            "update_account_emails",
            "both_lists",
            "PUT /account with both lists; the client writes each as \"a, b\" (DigiCert's spelling) however it was given",
            json!({"body": {
                "admin_email": "will.smith@digicert.com,carlton.banks@digicert.com",
                "emergency_emails": "bob.smith@digicert.com, alice.pope@digicert.com"
            }}),
        ),
        scenario(
            Services,
            "list_subaccounts",
            "plain",
            "GET without a query: DigiCert's defaults (first page, largest page size)",
            json!({}),
        ),
        scenario(
            Services,
            "list_subaccounts",
            "full",
            "every query parameter, decoded; a contains-search (leading %) with a space, & and comma, which tests/services_query.rs checks percent-encoded on the wire",
            json!({"params": {
                "filters[search]": "%Bakery & Sons, Inc.",
                "sort": "-date_created,organization_name",
                "offset": 100,
                "limit": 50
            }}),
        ),
        scenario(
            Services,
            "list_subaccounts",
            "exact_search",
            "an exact search: the value as given, without a leading %",
            json!({"params": {"filters[search]": "Number one organization"}}),
        ),
        scenario(
            Services,
            "list_subaccount_orders",
            "plain",
            "GET /account/subaccount/order: the literal order segment, no query",
            json!({}),
        ),
        scenario(
            Services,
            "list_subaccount_orders",
            "full",
            "every query parameter: two sort keys, offset and limit",
            json!({"params": {"sort": "-date_created,id", "offset": 3, "limit": 3}}),
        ),
        scenario(
            Services,
            "update_subaccount",
            "minimal",
            "PUT with one field; fields left out are not sent (and keep their value)",
            json!({"params": {"subaccount_id": 1122339}, "body": {"bill_parent": true}}),
        ),
        scenario(
            Services,
            "update_subaccount",
            "full",
            "PUT with every field",
            json!({"params": {"subaccount_id": 1122339}, "body": {
                "account_manager_user_id": 1234567,
                "bill_parent": false,
                "child_name": "Toledo office",
                "allow_parent_order_renewal": true,
                "allow_removing_account_manager": false
            }}),
        ),
        scenario(
            Services,
            "update_subaccount",
            "remove_account_manager",
            "allow_removing_account_manager true and no account_manager_user_id: removes the manager",
            json!({"params": {"subaccount_id": 1122339}, "body": {"allow_removing_account_manager": true}}),
        ),
        scenario(
            Services,
            "list_subaccount_products",
            "documented_id",
            "GET the products of the documented example subaccount",
            json!({"params": {"subaccount_id": 1122339}}),
        ),
        scenario(
            Services,
            "set_subaccount_products",
            "disable_all",
            "PUT with an empty products list, which DigiCert reads as: disable every product",
            json!({"params": {"subaccount_id": 1122339}, "body": {"products": []}}),
        ),
        scenario(
            Services,
            "set_subaccount_products",
            "full",
            "PUT with every field: currency, pricing method, balance limit, products with and without prices",
            json!({"params": {"subaccount_id": 1122339}, "body": {
                "currency": "USD",
                "pricing_method": "custom",
                "balance_negative_limit": 222,
                "products": [
                    {"product_name_id": "ssl_plus"},
                    {"product_name_id": "ssl_multi_domain", "product_name": "Multi-Domain SSL", "prices": [
                        {"lifetime": 1, "cost": 412, "additional_fqdn_cost": 135},
                        {"lifetime": 2, "cost": 782.5, "additional_fqdn_cost": 257}
                    ]},
                    {"product_name_id": "ssl_wildcard", "prices": [
                        {"lifetime": 1, "cost": 688, "additional_wildcard_cost": 658}
                    ]}
                ]
            }}),
        ),
        scenario(
            Services,
            "get_subaccount_report",
            "documented_id",
            "GET the cost report of the documented example subaccount",
            json!({"params": {"subaccount_id": 1122339}}),
        ),
    ]
}
