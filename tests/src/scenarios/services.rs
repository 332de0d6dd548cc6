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
    ]
}
