//! Every operation of both specs, through the binary against the sandbox: one call that
//! succeeds and one documented refusal each, as a table (`ROWS`). A test fails when an
//! operation of either spec has no row, or two.

use std::collections::BTreeSet;

use digicert_cli::app::Api;
use digicert_cli::output::REDACTED;
use digicert_sandbox::KeyKind;

use crate::common::{Key, Lab, Run, values_at};

const PARENT: Key = Key::Seeded(KeyKind::PartnerParent);
const SUBACCOUNT: Key = Key::Seeded(KeyKind::PartnerSubaccount);
const CERTCENTRAL: Key = Key::Seeded(KeyKind::CertCentral);
const UNKNOWN: Key = Key::Unknown;

/// The body a step sends besides its flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Body {
    /// Flags only.
    Flags,
    /// The spec's example body (`--json-body-template`) as `--json-body FILE`.
    Template,
}

/// One call of an operation.
#[derive(Debug, Clone, Copy)]
struct Step {
    key: Key,
    /// The second key, for `link_finance_account` (in `DIGICERT_API_KEY`).
    second_key: Key,
    args: &'static [&'static str],
    body: Body,
    exit: u8,
    /// A success: text stdout contains ("" for an empty stdout). A refusal: the error code
    /// stderr must name.
    expect: &'static str,
}

/// `step(key, args, exit, expect)`.
const fn step(key: Key, args: &'static [&'static str], exit: u8, expect: &'static str) -> Step {
    Step {
        key,
        second_key: Key::None,
        args,
        body: Body::Flags,
        exit,
        expect,
    }
}

const fn with_template(mut step: Step) -> Step {
    step.body = Body::Template;
    step
}

const fn with_second_key(mut step: Step, key: Key) -> Step {
    step.second_key = key;
    step
}

/// An operation's row: calls that set the state up, a success, a documented refusal.
struct Row {
    api: Api,
    op: &'static str,
    /// `(operationId, step)` calls made first, each expected to succeed.
    setup: &'static [(&'static str, Step)],
    ok: Step,
    refused: Step,
}

const fn row(api: Api, op: &'static str, ok: Step, refused: Step) -> Row {
    Row {
        api,
        op,
        setup: &[],
        ok,
        refused,
    }
}

/// Every operation, grouped as the specs are.
const ROWS: &[Row] = &[
    row(
        Api::Partner,
        "create_subaccount",
        step(
            PARENT,
            &[
                "--name",
                "ACME Tools",
                "--api-key-name",
                "Production",
                "--emergency-contact-emails",
                "ops@tools.example",
            ],
            0,
            "\"account_id\"",
        ),
        step(
            SUBACCOUNT,
            &["--name", "ACME Tools", "--api-key-name", "Production"],
            3,
            "access_denied",
        ),
    ),
    row(
        Api::Partner,
        "get_emergency_emails",
        step(SUBACCOUNT, &[], 0, "security@acme.example"),
        step(UNKNOWN, &[], 3, "invalid_api_key"),
    ),
    row(
        Api::Partner,
        "add_emergency_emails",
        step(
            SUBACCOUNT,
            &["--emergency-contact-emails", "new@acme.example"],
            0,
            "",
        ),
        step(
            SUBACCOUNT,
            &["--emergency-contact-emails", "not-an-email"],
            5,
            "invalid_request",
        ),
    ),
    row(
        Api::Partner,
        "delete_emergency_emails",
        step(
            SUBACCOUNT,
            &["--emergency-contact-emails", "emergency@acme.example"],
            0,
            "",
        ),
        // The last address stays.
        step(
            SUBACCOUNT,
            &["--emergency-contact-emails", "security@acme.example"],
            5,
            "invalid_request",
        ),
    ),
    row(
        Api::Partner,
        "get_acme_reporting",
        step(PARENT, &[], 0, "\"acme_contract_id\":5678"),
        step(SUBACCOUNT, &[], 3, "access_denied"),
    ),
    row(
        Api::Partner,
        "list_account_settings",
        step(SUBACCOUNT, &[], 0, "auto_renew_subscription"),
        step(UNKNOWN, &[], 3, "invalid_api_key"),
    ),
    row(
        Api::Partner,
        "update_account_setting",
        step(
            SUBACCOUNT,
            &["--name", "auto_renew_subscription", "--value", "1"],
            0,
            "",
        ),
        step(
            SUBACCOUNT,
            &["--name", "auto_renew_subscription", "--value", "7"],
            5,
            "invalid_request",
        ),
    ),
    row(
        Api::CertCentral,
        "get_subaccount",
        step(
            CERTCENTRAL,
            &["--subaccount-id", "1122340"],
            0,
            "Northwind Traders GmbH",
        ),
        step(CERTCENTRAL, &["--subaccount-id", "999"], 4, "not_found"),
    ),
    // API key management.
    row(
        Api::Partner,
        "list_api_keys",
        step(PARENT, &[], 0, "api_key_last4"),
        step(UNKNOWN, &[], 3, "invalid_api_key"),
    ),
    row(
        Api::Partner,
        "get_api_key",
        step(PARENT, &["--api-key-id", "2"], 0, "\"account_id\":67891"),
        step(PARENT, &["--api-key-id", "999"], 4, "resource_not_found"),
    ),
    row(
        Api::Partner,
        "create_api_key",
        step(
            PARENT,
            &["--account-id", "67891", "--name", "CI deploy key"],
            0,
            "\"name\":\"CI deploy key\"",
        ),
        step(
            SUBACCOUNT,
            &["--account-id", "67891", "--name", "CI deploy key"],
            3,
            "access_denied",
        ),
    ),
    row(
        Api::Partner,
        "update_api_key_status",
        step(
            PARENT,
            &["--api-key-id", "2", "--status", "inactive"],
            0,
            "",
        ),
        step(
            PARENT,
            &["--api-key-id", "999", "--status", "inactive"],
            4,
            "resource_not_found",
        ),
    ),
    // ACME contract management.
    row(
        Api::Partner,
        "create_acme_contract",
        step(
            SUBACCOUNT,
            &[
                "--product-name-id",
                "ssl_dv_rapidssl",
                "--sans",
                "new.acme.example",
            ],
            0,
            "acme_directory_url",
        ),
        step(
            PARENT,
            &[
                "--product-name-id",
                "ssl_dv_rapidssl",
                "--sans",
                "new.acme.example",
            ],
            3,
            "access_denied",
        ),
    ),
    row(
        Api::Partner,
        "get_acme_contract",
        step(
            SUBACCOUNT,
            &["--acme-contract-id", "5678"],
            0,
            "\"acme_contract_id\":5678",
        ),
        step(
            SUBACCOUNT,
            &["--acme-contract-id", "999999"],
            4,
            "resource_not_found",
        ),
    ),
    row(
        Api::Partner,
        "replace_acme_contract",
        step(
            SUBACCOUNT,
            &["--acme-contract-id", "5678", "--auto-renew", "true"],
            0,
            "",
        ),
        step(
            PARENT,
            &["--acme-contract-id", "5678", "--auto-renew", "true"],
            3,
            "access_denied",
        ),
    ),
    row(
        Api::Partner,
        "update_acme_contract",
        step(
            SUBACCOUNT,
            &["--acme-contract-id", "5678", "--auto-renew", "false"],
            0,
            "",
        ),
        step(
            SUBACCOUNT,
            &["--acme-contract-id", "999999", "--auto-renew", "false"],
            4,
            "resource_not_found",
        ),
    ),
    Row {
        api: Api::Partner,
        op: "cancel_acme_contract",
        // A contract of today, inside the 30-day window (the seeded ones are older).
        setup: &[(
            "create_acme_contract",
            step(
                SUBACCOUNT,
                &[
                    "--product-name-id",
                    "ssl_dv_rapidssl",
                    "--sans",
                    "fresh.acme.example",
                ],
                0,
                "\"acme_contract_id\":5702",
            ),
        )],
        ok: step(SUBACCOUNT, &["--acme-contract-id", "5702"], 0, ""),
        // Created more than 30 days ago.
        refused: step(
            SUBACCOUNT,
            &["--acme-contract-id", "5678"],
            5,
            "invalid_request",
        ),
    },
    row(
        Api::Partner,
        "add_acme_sans",
        step(
            SUBACCOUNT,
            &[
                "--acme-contract-id",
                "5678",
                "--sans",
                "api.acme.example,cdn.acme.example",
            ],
            0,
            "",
        ),
        // 5679 is canceled.
        step(
            SUBACCOUNT,
            &["--acme-contract-id", "5679", "--sans", "api.acme.example"],
            5,
            "invalid_request",
        ),
    ),
    row(
        Api::Partner,
        "remove_acme_sans",
        step(
            SUBACCOUNT,
            &["--acme-contract-id", "5678", "--sans", "www.acme.example"],
            0,
            "",
        ),
        step(
            SUBACCOUNT,
            &["--acme-contract-id", "5679", "--sans", "shop.acme.example"],
            5,
            "invalid_request",
        ),
    ),
    row(
        Api::Partner,
        "list_acme_certificates",
        step(
            SUBACCOUNT,
            &["--acme-contract-id", "5678"],
            0,
            "0A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D",
        ),
        step(PARENT, &["--acme-contract-id", "5678"], 3, "access_denied"),
    ),
    row(
        Api::Partner,
        "list_acme_credentials",
        step(SUBACCOUNT, &["--acme-contract-id", "5678"], 0, "kid_hint"),
        step(
            SUBACCOUNT,
            &["--acme-contract-id", "999999"],
            4,
            "resource_not_found",
        ),
    ),
    row(
        Api::Partner,
        "regenerate_acme_credentials",
        step(
            SUBACCOUNT,
            &["--acme-contract-id", "5678", "--revoke-existing", "false"],
            0,
            "\"eab_set\"",
        ),
        step(PARENT, &["--acme-contract-id", "5678"], 3, "access_denied"),
    ),
    row(
        Api::Partner,
        "revoke_acme_credentials",
        step(SUBACCOUNT, &["--acme-contract-id", "5678"], 0, ""),
        step(PARENT, &["--acme-contract-id", "5678"], 3, "access_denied"),
    ),
    row(
        Api::Partner,
        "revoke_acme_credential",
        step(
            SUBACCOUNT,
            &["--acme-contract-id", "5678", "--credential-id", "1"],
            0,
            "",
        ),
        step(
            SUBACCOUNT,
            &["--acme-contract-id", "5678", "--credential-id", "999"],
            4,
            "resource_not_found",
        ),
    ),
    // Finance management.
    row(
        Api::Partner,
        "link_finance_account",
        with_second_key(step(PARENT, &[], 0, ""), CERTCENTRAL),
        // A CertCentral key the sandbox does not know: 400.
        with_second_key(step(PARENT, &[], 5, "invalid_request"), UNKNOWN),
    ),
    // CertCentral.
    row(
        Api::CertCentral,
        "create_subaccount",
        // Managed: the only kind whose key comes back, so the secrets file is exercised.
        with_template(step(
            CERTCENTRAL,
            &["--account-type", "managed"],
            0,
            "\"id\"",
        )),
        with_template(step(UNKNOWN, &[], 3, "invalid_api_key")),
    ),
    row(
        Api::CertCentral,
        "update_account_emails",
        step(
            CERTCENTRAL,
            &[
                "--admin-email",
                "admin@example.com",
                "--emergency-emails",
                "sec@example.com",
            ],
            0,
            "",
        ),
        step(
            UNKNOWN,
            &["--admin-email", "admin@example.com"],
            3,
            "invalid_api_key",
        ),
    ),
    row(
        Api::CertCentral,
        "list_subaccounts",
        step(
            CERTCENTRAL,
            &["--filters-search", "%Northwind"],
            0,
            "\"account_id\":1122340",
        ),
        step(UNKNOWN, &[], 3, "invalid_api_key"),
    ),
    row(
        Api::CertCentral,
        "list_subaccount_orders",
        step(CERTCENTRAL, &[], 0, "\"orders\""),
        step(UNKNOWN, &[], 3, "invalid_api_key"),
    ),
    row(
        Api::CertCentral,
        "update_subaccount",
        step(
            CERTCENTRAL,
            &["--subaccount-id", "1122340", "--bill-parent", "true"],
            0,
            "",
        ),
        // Outside the key's hierarchy.
        step(
            CERTCENTRAL,
            &["--subaccount-id", "2233445", "--bill-parent", "true"],
            3,
            "access_denied",
        ),
    ),
    row(
        Api::CertCentral,
        "list_subaccount_products",
        step(
            CERTCENTRAL,
            &["--subaccount-id", "1122340"],
            0,
            "\"products\"",
        ),
        step(CERTCENTRAL, &["--subaccount-id", "999"], 4, "not_found"),
    ),
    row(
        Api::CertCentral,
        "set_subaccount_products",
        with_template(step(CERTCENTRAL, &["--subaccount-id", "1122340"], 0, "")),
        with_template(step(
            CERTCENTRAL,
            &["--subaccount-id", "999"],
            4,
            "not_found",
        )),
    ),
    row(
        Api::CertCentral,
        "get_subaccount_report",
        step(
            CERTCENTRAL,
            &["--subaccount-id", "1122340"],
            0,
            "\"subaccount_price\"",
        ),
        step(
            CERTCENTRAL,
            &["--subaccount-id", "2233445"],
            3,
            "access_denied",
        ),
    ),
];

/// What the generated commands say about an operation.
struct Facts {
    name: &'static str,
    template: Option<&'static str>,
    secrets: &'static [&'static str],
}

fn facts(api: Api, op: &str) -> Facts {
    use digicert_cli::generated::{partner, services};
    let found = match api {
        Api::Partner => partner::CliCommand::iter()
            .find(|c| c.operation().id == op)
            .map(|c| (c.name(), c.json_body_template(), c.secret_fields())),
        Api::CertCentral => services::CliCommand::iter()
            .find(|c| c.operation().id == op)
            .map(|c| (c.name(), c.json_body_template(), c.secret_fields())),
    };
    let (name, template, secrets) = found.unwrap_or_else(|| panic!("no command for {op}"));
    Facts {
        name,
        template,
        secrets,
    }
}

/// Runs one step of `op` in `lab`: the key in the API's variable, the second key in
/// CertCentral's, the template as `--json-body`, and `--secrets-file` where the response
/// holds a secret.
fn call(
    lab: &Lab,
    api: Api,
    op: &str,
    step: &Step,
    label: &str,
) -> (Run, Option<std::path::PathBuf>) {
    let facts = facts(api, op);
    let mut args: Vec<String> = step.args.iter().map(|a| (*a).to_owned()).collect();
    if step.body == Body::Template {
        let template = facts
            .template
            .unwrap_or_else(|| panic!("{op} takes no body"));
        let file = lab.file(&format!("{op}-{label}-body.json"), template);
        args.extend(["--json-body".to_owned(), file.display().to_string()]);
    }
    let secrets_file =
        (!facts.secrets.is_empty()).then(|| lab.path(&format!("{op}-{label}-secrets.json")));
    if let Some(file) = &secrets_file {
        args.extend(["--secrets-file".to_owned(), file.display().to_string()]);
    }
    let mut command = crate::common::command();
    command
        .arg(api.command_name())
        .arg(facts.name)
        .args(["--base-url", &lab.base_url(api)])
        .args(&args);
    match step.key {
        Key::Seeded(kind) => {
            command.env(api.key_var(), lab.key(kind));
        }
        Key::Unknown => {
            command.env(api.key_var(), "not-a-key-the-sandbox-knows");
        }
        Key::None => {}
    }
    match step.second_key {
        Key::Seeded(kind) => {
            command.env(Api::CertCentral.key_var(), lab.key(kind));
        }
        Key::Unknown => {
            command.env(Api::CertCentral.key_var(), "not-a-certcentral-key");
        }
        Key::None => {}
    }
    (lab.run(command, None), secrets_file)
}

/// Checks a successful step, and what it wrote to `--secrets-file`.
fn check_success(
    lab: &Lab,
    api: Api,
    op: &str,
    step: &Step,
    run: &Run,
    secrets_file: Option<std::path::PathBuf>,
) {
    run.expect_code(step.exit);
    if step.expect.is_empty() {
        assert_eq!(
            run.stdout, "",
            "{}: a success without a body prints nothing",
            run.what
        );
    } else {
        assert!(
            run.stdout.contains(step.expect),
            "{}: stdout lacks {:?}:\n{}",
            run.what,
            step.expect,
            run.stdout
        );
        assert!(
            run.stdout.ends_with('\n') && run.stdout.trim_end().lines().count() == 1,
            "{}: compact JSON on one line when stdout is not a terminal",
            run.what
        );
    }
    let facts = facts(api, op);
    if let Some(file) = secrets_file {
        let written: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("{}: {}: {e}", run.what, file.display())),
        )
        .expect("the secrets file is JSON");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file)
                .expect("metadata")
                .permissions()
                .mode()
                & 0o777;
            assert_eq!(
                mode, 0o600,
                "{}: the secrets file is readable by its owner only",
                run.what
            );
        }
        let shown = run.json();
        let mut secrets_seen = 0;
        for pointer in facts.secrets {
            for secret in values_at(&written, pointer)
                .into_iter()
                .filter_map(|v| v.as_str())
            {
                secrets_seen += 1;
                assert_ne!(
                    secret, REDACTED,
                    "{}: the secrets file holds the real value",
                    run.what
                );
                lab.learn_secret(secret);
            }
            for value in values_at(&shown, pointer) {
                assert!(
                    value.is_null() || value == REDACTED,
                    "{}: {pointer} is not redacted on stdout",
                    run.what
                );
            }
        }
        assert!(
            secrets_seen > 0,
            "{}: the response carried none of its secret fields, so their redaction went untested",
            run.what
        );
        let mut unredacted = written.clone();
        for pointer in facts.secrets {
            digicert_cli::output::redact(&mut unredacted, pointer);
        }
        assert_eq!(
            unredacted, shown,
            "{}: stdout is the whole response, redacted",
            run.what
        );
    }
}

fn run_row(row: &Row) {
    let lab = Lab::new();
    for (op, setup) in row.setup {
        let (run, secrets) = call(&lab, row.api, op, setup, "setup");
        check_success(&lab, row.api, op, setup, &run, secrets);
    }
    let (run, secrets) = call(&lab, row.api, row.op, &row.ok, "ok");
    check_success(&lab, row.api, row.op, &row.ok, &run, secrets);
    let (run, secrets) = call(&lab, row.api, row.op, &row.refused, "refused");
    run.expect_code(row.refused.exit);
    assert_eq!(
        run.stdout, "",
        "{}: a refusal prints nothing on stdout",
        run.what
    );
    assert!(
        run.stderr
            .contains(&format!("code: {}", row.refused.expect)),
        "{}: stderr does not name {:?}:\n{}",
        run.what,
        row.refused.expect,
        run.stderr
    );
    assert!(
        run.stderr.contains("message: "),
        "{}: stderr has no message:\n{}",
        run.what,
        run.stderr
    );
    if let Some(file) = secrets {
        assert!(
            !file.exists(),
            "{}: a failed call leaves no secrets file behind",
            run.what
        );
    }
}

#[test]
fn every_operation_of_both_specs_has_exactly_one_row() {
    let mut rows: Vec<(Api, &str)> = ROWS.iter().map(|r| (r.api, r.op)).collect();
    let unique: BTreeSet<(&str, &str)> = rows
        .iter()
        .map(|(api, op)| (api.command_name(), *op))
        .collect();
    assert_eq!(unique.len(), rows.len(), "an operation has two rows");
    let mut operations: Vec<(Api, &str)> = digicert::partner::OPERATIONS
        .iter()
        .map(|op| (Api::Partner, op.id))
        .chain(
            digicert::services::OPERATIONS
                .iter()
                .map(|op| (Api::CertCentral, op.id)),
        )
        .collect();
    let key = |(api, op): &(Api, &str)| (api.command_name(), op.to_string());
    rows.sort_by_key(key);
    operations.sort_by_key(key);
    assert_eq!(
        rows, operations,
        "the table and the specs' operations differ"
    );
    assert_eq!(rows.len(), 33);
}

#[test]
fn every_operation_succeeds_and_refuses_as_documented() {
    for row in ROWS {
        run_row(row);
    }
}
