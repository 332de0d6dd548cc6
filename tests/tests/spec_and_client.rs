//! The specs, the generated code and the hand-written client agree: the documented
//! subaccount example round-trips through the generated type, and the checked-in generated
//! files (what consumers of the published crate compile) are byte-identical to what the
//! build script generates from the specs.

use digicert::services;
use digicert_tests::Family;
use digicert_tests::spec::{self, workspace_root};
use serde_json::Value;

/// DigiCert's documented subaccount-info example, as shipped in `tests/fixtures/`.
fn seed_subaccount() -> Value {
    let path = workspace_root().join("tests/fixtures/certcentral-subaccount-info.200.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("the fixture is JSON")
}

/// Counts every field, nested ones included.
fn count_fields(value: &Value) -> usize {
    match value {
        Value::Object(map) => map.values().map(|v| 1 + count_fields(v)).sum(),
        _ => 0,
    }
}

#[test]
fn seed_subaccount_round_trips_through_the_generated_type() {
    let seed = seed_subaccount();
    let typed: services::types::Subaccount =
        serde_json::from_value(seed.clone()).expect("the seed decodes");
    assert_eq!(
        serde_json::to_value(&typed).expect("serialises"),
        seed,
        "a field was lost or changed"
    );

    // Spot-check the typing the docs call for.
    assert_eq!(typed.parent_account_id, "1122331");
    assert_eq!(typed.master_user.i18n_language_id, "1");
    assert_eq!(typed.master_user.container_id, "11223");
    assert_eq!(typed.account_type, services::types::AccountType::Reseller);
    assert_eq!(
        typed.organization.status,
        services::types::OrganizationStatus::Active
    );
    assert_eq!(typed.date_created.to_string(), "2018-11-29 18:25:04");
    assert_eq!(typed.child_name, None);
    assert_eq!(typed.enforce_bill_parent, None);
    assert_eq!(typed.max_allowed_multi_year_plan_length, None);
}

#[test]
fn every_documented_subaccount_field_is_kept_including_the_optional_ones() {
    let mut full = seed_subaccount();
    full["child_name"] = "Real Org (EU)".into();
    full["enforce_bill_parent"] = true.into();
    full["max_allowed_multi_year_plan_length"] = 3.into();
    full["account_type"] = "managed".into();
    // 16 top-level fields, 7 of master_user, 11 of organization, 4 of its container,
    // 8 of billing_contact: the 46 the docs list.
    assert_eq!(count_fields(&full), 46);
    let typed: services::types::Subaccount = serde_json::from_value(full.clone()).expect("decodes");
    assert_eq!(
        typed.account_type,
        services::types::AccountType::Other("managed".into())
    );
    assert_eq!(serde_json::to_value(&typed).expect("serialises"), full);
}

#[test]
fn malformed_subaccount_dates_are_refused_naming_the_layout_not_the_value() {
    let mut seed = seed_subaccount();
    seed["date_created"] = "2018-11-29T18:25:04Z".into();
    let err = serde_json::from_value::<services::types::Subaccount>(seed)
        .expect_err("RFC 3339 is not DigiCert's layout");
    let text = err.to_string();
    assert!(
        text.contains("not a DigiCert timestamp (`YYYY-MM-DD hh:mm:ss`)"),
        "{text}"
    );
    // Error messages never repeat a value of the body (it could be a secret).
    assert!(!text.contains("2018-11-29T18:25:04Z"), "{text}");
}

#[test]
fn the_spec_example_is_the_documented_seed() {
    let op = spec::operations(Family::Services)
        .into_iter()
        .find(|op| op.id == "get_subaccount")
        .expect("get_subaccount");
    let example = op
        .responses
        .iter()
        .find(|r| r.status == 200)
        .and_then(|r| r.example.clone());
    assert_eq!(example, Some(seed_subaccount()));
}

#[test]
fn checked_in_generated_files_match_the_specs() {
    let root = workspace_root();
    for family in digicert_codegen::FAMILIES {
        let generated = digicert_codegen::generate(&root, family).unwrap_or_else(|e| panic!("{e}"));
        let cli = digicert_codegen::generate_cli(&root, family).unwrap_or_else(|e| panic!("{e}"));
        for (file, code) in [
            (family.generated, &generated.code),
            (family.generated_mock, &generated.mock),
            (family.generated_cli, &cli),
        ] {
            let checked_in = std::fs::read_to_string(root.join(file))
                .unwrap_or_default()
                .replace("\r\n", "\n");
            assert!(
                checked_in == *code,
                "{file} is out of date with {}: run `cargo xtask codegen` and review the diff",
                family.spec
            );
        }
    }
}
