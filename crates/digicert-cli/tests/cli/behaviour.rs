//! How `digicert` behaves around the calls: the dry run, where keys come from, exit codes
//! by class, secrets, paging with `--all`, `--sandbox`, body templates and JSON input.

use digicert_cli::app::Api;
use digicert_cli::exit::Exit;
use digicert_sandbox::{Family, KeyKind, QueuedFault, Sandbox};
use serde_json::{Value, json};

use crate::common::{Key, Lab, command};
use crate::scripted::{Answer, Scripted};

const PARENT: Key = Key::Seeded(KeyKind::PartnerParent);
const SUBACCOUNT: Key = Key::Seeded(KeyKind::PartnerSubaccount);
const CERTCENTRAL: Key = Key::Seeded(KeyKind::CertCentral);

fn recording() -> Lab {
    Lab::with(Sandbox::builder().record_exchanges(true))
}

fn with_faults() -> Lab {
    Lab::with(Sandbox::builder().faults(true))
}

fn queue(lab: &Lab, family: Family, operation: &str, fault: &str, times: u32) {
    lab.sandbox()
        .queue_fault(QueuedFault {
            family,
            operation: operation.to_owned(),
            fault: fault.parse().expect("a fault"),
            times,
        })
        .expect("queued");
}

#[test]
fn dry_runs_print_the_request_with_keys_redacted_and_send_nothing() {
    let lab = recording();
    let body = lab.file(
        "setting.json",
        r#"{"name": "auto_renew_subscription", "value": "0"}"#,
    );
    let body = body.display().to_string();
    let runs = [
        lab.call(
            Api::Partner,
            "create-subaccount",
            PARENT,
            &[
                "--dry-run",
                "--name",
                "ACME",
                "--api-key-name",
                "Production",
                "--emergency-contact-emails",
                "a@acme.example,b@acme.example",
            ],
        ),
        // Flags set their fields over the --json-body file.
        lab.call(
            Api::Partner,
            "update-account-setting",
            SUBACCOUNT,
            &["--dry-run", "--json-body", &body, "--value", "1"],
        ),
        lab.call(
            Api::CertCentral,
            "list-subaccounts",
            CERTCENTRAL,
            &[
                "--dry-run",
                "--filters-search",
                "%acme corp",
                "--limit",
                "2",
                "--all",
            ],
        ),
        lab.call(
            Api::CertCentral,
            "get-subaccount",
            CERTCENTRAL,
            &["--dry-run", "--subaccount-id", "1122340"],
        ),
    ];
    let mut shapes = Vec::new();
    for run in &runs {
        run.expect_code(0);
        assert_eq!(
            run.stderr, "",
            "{}: a dry run has nothing to say on stderr",
            run.what
        );
        let text = run
            .stdout
            .replace(
                &lab.base_url(Api::Partner),
                "<sandbox>/partner-subscription/api/v1",
            )
            .replace(&lab.base_url(Api::CertCentral), "<sandbox>/services/v2");
        shapes.push(serde_json::from_str::<Value>(&text).expect("JSON"));
    }
    // The finance link's second key is redacted too.
    let mut link = command();
    link.args(["partner", "link-finance-account", "--dry-run"])
        .env(Api::Partner.key_var(), lab.key(KeyKind::PartnerParent))
        .env(Api::CertCentral.key_var(), lab.key(KeyKind::CertCentral));
    let run = lab.run(link, None);
    run.expect_code(0);
    shapes.push(run.json());
    insta::assert_json_snapshot!("dry_runs", shapes);
    assert!(
        lab.sandbox().exchanges().is_empty(),
        "a dry run sent something: {:?}",
        lab.sandbox().exchanges()
    );
}

#[test]
fn requests_go_to_production_the_eu_or_the_configured_url() {
    let dry = |args: &[&str], env: &[(&str, &str)]| -> String {
        let mut cmd = command();
        cmd.args(args)
            .arg("--dry-run")
            .env("DIGICERT_API_KEY", "k")
            .env("DIGICERT_PARTNER_API_KEY", "k");
        for (name, value) in env {
            cmd.env(name, value);
        }
        let output = cmd.output().expect("runs");
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let preview: Value = serde_json::from_slice(&output.stdout).expect("JSON");
        preview["url"].as_str().expect("a URL").to_owned()
    };
    let get = ["certcentral", "get-subaccount", "--subaccount-id", "7"];
    assert_eq!(
        dry(&get, &[]),
        format!(
            "{}/account/subaccount/7",
            digicert::services::Client::PRODUCTION_URL
        )
    );
    let eu = [
        "certcentral",
        "--eu",
        "get-subaccount",
        "--subaccount-id",
        "7",
    ];
    assert_eq!(
        dry(&eu, &[]),
        format!(
            "{}/account/subaccount/7",
            digicert::services::Client::EU_URL
        )
    );
    assert_eq!(
        dry(
            &get,
            &[("DIGICERT_BASE_URL", "https://proxy.example/services/v2")]
        ),
        "https://proxy.example/services/v2/account/subaccount/7"
    );
    let mut flagged = get.to_vec();
    flagged.extend(["--base-url", "http://127.0.0.1:9/v2"]);
    assert_eq!(
        dry(
            &flagged,
            &[("DIGICERT_BASE_URL", "https://proxy.example/services/v2")]
        ),
        "http://127.0.0.1:9/v2/account/subaccount/7",
        "the flag wins over the variable"
    );
    assert_eq!(
        dry(&["partner", "get-emergency-emails"], &[]),
        format!(
            "{}/account/emergency-emails",
            digicert::partner::Client::PRODUCTION_URL
        )
    );
}

#[test]
fn keys_come_from_a_file_or_stdin_and_a_missing_one_says_what_to_set() {
    let lab = Lab::new();
    let url = lab.base_url(Api::Partner);
    let key_file = lab.file("key", &format!("{}\n", lab.key(KeyKind::PartnerSubaccount)));

    let mut from_file = command();
    from_file
        .args([
            "partner",
            "get-emergency-emails",
            "--base-url",
            &url,
            "--api-key-file",
        ])
        .arg(&key_file);
    lab.run(from_file, None).expect_code(0);

    let mut from_stdin = command();
    from_stdin.args([
        "partner",
        "get-emergency-emails",
        "--base-url",
        &url,
        "--api-key-stdin",
    ]);
    let run = lab.run(
        from_stdin,
        Some(&format!("{}\n", lab.key(KeyKind::PartnerSubaccount))),
    );
    run.expect_code(0);
    assert!(run.stdout.contains("security@acme.example"));

    // The file wins over the variable.
    let mut both = command();
    both.args([
        "partner",
        "get-emergency-emails",
        "--base-url",
        &url,
        "--api-key-file",
    ])
    .arg(&key_file)
    .env(Api::Partner.key_var(), "not-a-key-the-sandbox-knows");
    lab.run(both, None).expect_code(0);

    let run = lab.call(Api::Partner, "get-emergency-emails", Key::None, &[]);
    run.expect_code(Exit::Usage.code());
    assert_eq!(run.stdout, "");
    for named in [
        "DIGICERT_PARTNER_API_KEY",
        "--api-key-file PATH",
        "--api-key-stdin",
    ] {
        assert!(
            run.stderr.contains(named),
            "{named} not named:\n{}",
            run.stderr
        );
    }
    let run = lab.call(
        Api::CertCentral,
        "get-subaccount",
        Key::None,
        &["--subaccount-id", "1"],
    );
    run.expect_code(Exit::Usage.code());
    assert!(run.stderr.contains("DIGICERT_API_KEY"), "{}", run.stderr);

    // The finance link's second key: nothing is sent without it.
    let run = lab.call(Api::Partner, "link-finance-account", PARENT, &[]);
    run.expect_code(Exit::Usage.code());
    for named in [
        "DIGICERT_API_KEY",
        "--certcentral-key-file PATH",
        "--certcentral-key-stdin",
        "X-DC-DEVKEY",
    ] {
        assert!(
            run.stderr.contains(named),
            "{named} not named:\n{}",
            run.stderr
        );
    }
}

#[test]
fn bad_key_input_is_a_usage_error_that_never_shows_the_key() {
    let lab = Lab::new();
    let url = lab.base_url(Api::Partner);
    let odd = "two-words secret-part";
    let bad = lab.file("bad-key", odd);
    let mut cmd = command();
    cmd.args([
        "partner",
        "get-emergency-emails",
        "--base-url",
        &url,
        "--api-key-file",
    ])
    .arg(&bad);
    let run = lab.run(cmd, None);
    run.expect_code(Exit::Usage.code());
    assert!(
        run.stderr.contains("cannot be sent in an HTTP header"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("secret-part"), "{}", run.stderr);

    let missing = lab.path("no-such-key-file");
    let mut cmd = command();
    cmd.args([
        "partner",
        "get-emergency-emails",
        "--base-url",
        &url,
        "--api-key-file",
    ])
    .arg(&missing);
    let run = lab.run(cmd, None);
    run.expect_code(Exit::Usage.code());
    assert!(
        run.stderr.contains(&missing.display().to_string()),
        "{}",
        run.stderr
    );

    // There is no flag that takes the key itself.
    let mut cmd = command();
    cmd.args([
        "partner",
        "get-emergency-emails",
        "--base-url",
        &url,
        "--api-key",
    ])
    .arg(lab.key(KeyKind::PartnerParent));
    lab.run(cmd, None).expect_code(Exit::Usage.code());

    // Standard input can be read once.
    let mut cmd = command();
    cmd.args([
        "partner",
        "add-emergency-emails",
        "--base-url",
        &url,
        "--api-key-stdin",
        "--json-body",
        "-",
    ]);
    let run = lab.run(cmd, Some("{}"));
    run.expect_code(Exit::Usage.code());
    assert!(run.stderr.contains("read standard input"), "{}", run.stderr);
}

#[test]
fn exit_codes_by_class() {
    let lab = Lab::new();
    // 2: flags.
    lab.call(
        Api::Partner,
        "get-emergency-emails",
        PARENT,
        &["--no-such-flag"],
    )
    .expect_code(2);
    lab.call(Api::CertCentral, "get-subaccount", CERTCENTRAL, &[])
        .expect_code(2);
    let run = lab.call(
        Api::CertCentral,
        "get-subaccount",
        CERTCENTRAL,
        &["--subaccount-id", "1", "--eu"],
    );
    run.expect_code(2);
    assert!(run.stderr.contains("--base-url and --eu"), "{}", run.stderr);
    let mut cmd = command();
    cmd.args([
        "partner",
        "get-emergency-emails",
        "--base-url",
        "ftp://example.test",
    ])
    .env(Api::Partner.key_var(), "k");
    let run = lab.run(cmd, None);
    run.expect_code(2);
    assert!(
        run.stderr.contains("must start with https://"),
        "{}",
        run.stderr
    );
    // 3, 4, 5: DigiCert's refusals, with status, code and message on stderr.
    let run = lab.call(Api::Partner, "get-acme-reporting", SUBACCOUNT, &[]);
    run.expect_code(3);
    assert!(
        run.stderr.contains("DigiCert answered 403 Forbidden"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("code: access_denied"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("hint: partner get-acme-reporting takes a parent-account key only"),
        "{}",
        run.stderr
    );
    lab.call(Api::Partner, "get-emergency-emails", Key::Unknown, &[])
        .expect_code(3);
    lab.call(
        Api::CertCentral,
        "get-subaccount",
        CERTCENTRAL,
        &["--subaccount-id", "424242"],
    )
    .expect_code(4);
    lab.call(
        Api::Partner,
        "add-emergency-emails",
        SUBACCOUNT,
        &["--emergency-contact-emails", "nope"],
    )
    .expect_code(5);
    // 7: nothing listens there.
    let mut cmd = command();
    cmd.args([
        "partner",
        "get-emergency-emails",
        "--no-retries",
        "--base-url",
        "http://127.0.0.1:1/partner-subscription/api/v1",
    ])
    .env(Api::Partner.key_var(), "k");
    let run = lab.run(cmd, None);
    run.expect_code(7);
    assert!(
        run.stderr
            .starts_with("error: partner get-emergency-emails: "),
        "{}",
        run.stderr
    );
}

#[test]
fn rate_limits_outages_and_broken_connections_after_the_clients_retries() {
    let lab = with_faults();
    // 6: a 503, sent once.
    queue(&lab, Family::Partner, "get_emergency_emails", "503", 1);
    let run = lab.call(
        Api::Partner,
        "get-emergency-emails",
        SUBACCOUNT,
        &["--no-retries"],
    );
    run.expect_code(6);
    assert!(
        run.stderr.contains("503 Service Unavailable"),
        "{}",
        run.stderr
    );
    // 6: a 429, still so after the client's four attempts.
    queue(&lab, Family::Partner, "list_account_settings", "429", 10);
    let run = lab.call(Api::Partner, "list-account-settings", SUBACCOUNT, &[]);
    run.expect_code(6);
    assert!(
        run.stderr
            .contains("429 Too Many Requests (after 4 attempts)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("code: rate_limit_exceeded"),
        "{}",
        run.stderr
    );
    lab.sandbox().clear_faults();
    // The client retries: one 503, then the answer.
    queue(&lab, Family::Partner, "get_emergency_emails", "503", 1);
    lab.call(Api::Partner, "get-emergency-emails", SUBACCOUNT, &[])
        .expect_code(0);
    // 7: the connection drops without an answer.
    queue(&lab, Family::Partner, "get_emergency_emails", "drop", 1);
    lab.call(
        Api::Partner,
        "get-emergency-emails",
        SUBACCOUNT,
        &["--no-retries"],
    )
    .expect_code(7);
    // 7: no answer within --timeout.
    queue(&lab, Family::Partner, "get_emergency_emails", "delay=5s", 1);
    let run = lab.call(
        Api::Partner,
        "get-emergency-emails",
        SUBACCOUNT,
        &["--no-retries", "--timeout", "1"],
    );
    run.expect_code(7);
}

#[test]
fn answers_the_spec_does_not_describe_exit_8() {
    let lab = Lab::new();
    let server = Scripted::start(|target| {
        if target.ends_with("/redirect/account/emergency-emails") {
            Answer {
                status: "302 Found",
                headers: vec![("location", "https://elsewhere.example/".to_owned())],
                body: String::new(),
            }
        } else {
            Answer::json(json!({"emails": "not the documented shape"}))
        }
    });
    for base in [server.url(), format!("{}/redirect", server.url())] {
        let mut cmd = command();
        cmd.args([
            "partner",
            "get-emergency-emails",
            "--no-retries",
            "--base-url",
            &base,
        ])
        .env(Api::Partner.key_var(), lab.key(KeyKind::PartnerParent));
        let run = lab.run(cmd, None);
        run.expect_code(8);
        assert_eq!(run.stdout, "");
    }
}

#[test]
fn all_pages_stream_into_one_json_array() {
    let lab = Lab::new();
    let item = |id: i64| json!({"account_id": id, "account_type": "retail", "organization_name": format!("Org {id}"), "date_created": "2020-01-02 03:04:05"});
    let server = Scripted::start(move |target| {
        let offset: i64 = target
            .split(['?', '&'])
            .find_map(|pair| pair.strip_prefix("offset="))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        if target.contains("fail=") && offset >= 2 {
            return Answer {
                status: "503 Service Unavailable",
                headers: vec![("content-type", "application/json".to_owned())],
                body: json!({"errors": [{"code": "service_unavailable", "message": "try later"}]})
                    .to_string(),
            };
        }
        let items: Vec<Value> = (offset..(offset + 2).min(5))
            .map(|i| item(1000 + i))
            .collect();
        Answer::json(
            json!({"subaccounts": items, "page": {"total": 5, "limit": 2, "offset": offset}}),
        )
    });
    let mut cmd = command();
    cmd.args([
        "certcentral",
        "list-subaccounts",
        "--all",
        "--limit",
        "2",
        "--sort",
        "account_id",
        "--base-url",
        &server.url(),
    ])
    .env(Api::CertCentral.key_var(), lab.key(KeyKind::CertCentral));
    let run = lab.run(cmd, None);
    run.expect_code(0);
    let items = run.json();
    assert_eq!(
        items,
        json!((0..5).map(|i| item(1000 + i)).collect::<Vec<_>>())
    );
    assert_eq!(
        run.stderr, "",
        "no progress line when stderr is not a terminal"
    );
    let targets = server.targets.lock().expect("targets").clone();
    assert_eq!(
        targets,
        [0, 2, 4]
            .map(|offset| format!("/account/subaccount?limit=2&offset={offset}&sort=account_id"))
    );

    // A page fails: stdout stays valid JSON with what came before, the exit code says so.
    let failing = format!("{}/fail=1", server.url());
    let mut cmd = command();
    cmd.args([
        "certcentral",
        "list-subaccounts",
        "--all",
        "--limit",
        "2",
        "--no-retries",
        "--base-url",
        &failing,
    ])
    .env(Api::CertCentral.key_var(), lab.key(KeyKind::CertCentral));
    let run = lab.run(cmd, None);
    run.expect_code(6);
    assert_eq!(run.json(), json!([item(1000), item(1001)]));
    assert!(run.stderr.contains("incomplete"), "{}", run.stderr);

    // Without --all: one page, the body as DigiCert sent it.
    let mut cmd = command();
    cmd.args([
        "certcentral",
        "list-subaccounts",
        "--limit",
        "2",
        "--base-url",
        &server.url(),
    ])
    .env(Api::CertCentral.key_var(), lab.key(KeyKind::CertCentral));
    let run = lab.run(cmd, None);
    run.expect_code(0);
    assert_eq!(run.json()["page"]["total"], 5);
}

#[test]
fn all_pages_of_the_sandbox() {
    let lab = recording();
    let page = lab.call(
        Api::CertCentral,
        "list-subaccounts",
        CERTCENTRAL,
        &["--limit", "1"],
    );
    page.expect_code(0);
    let page = page.json();
    let total = page["page"]["total"].as_u64().expect("a total");
    assert!(
        total > 100,
        "the seed has more subaccounts below 1122331 than a page of 100"
    );
    // Pages of 100: small pages would meet the client's CertCentral rate limit (100
    // requests per 5 s) and make the test wait.
    let all = lab.call(
        Api::CertCentral,
        "list-subaccounts",
        CERTCENTRAL,
        &["--limit", "100", "--all", "--sort", "account_id"],
    );
    all.expect_code(0);
    let items = all.json();
    let ids: Vec<u64> = items
        .as_array()
        .expect("an array")
        .iter()
        .map(|item| item["account_id"].as_u64().expect("an ID"))
        .collect();
    assert_eq!(ids.len() as u64, total, "{ids:?}");
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "sorted, no repeats: {ids:?}"
    );
    // The one-item page above, then a request per page of 100.
    assert_eq!(
        lab.sandbox().exchanges().len() as u64,
        1 + total.div_ceil(100)
    );
}

#[test]
fn a_response_with_a_secret_needs_a_new_secrets_file_before_anything_is_sent() {
    let lab = recording();
    let args = ["--name", "ACME", "--api-key-name", "Production"];
    let run = lab.call(Api::Partner, "create-subaccount", PARENT, &args);
    run.expect_code(2);
    assert!(run.stderr.contains("--secrets-file PATH"), "{}", run.stderr);
    let existing = lab.file("existing.json", "keep me");
    let mut with_existing = args.to_vec();
    let existing_arg = existing.display().to_string();
    with_existing.extend(["--secrets-file", &existing_arg]);
    let run = lab.call(Api::Partner, "create-subaccount", PARENT, &with_existing);
    run.expect_code(2);
    assert!(run.stderr.contains("must not exist yet"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(&existing).expect("still there"),
        "keep me"
    );
    assert!(lab.sandbox().exchanges().is_empty(), "something was sent");
}

#[test]
fn the_sandbox_flag_runs_one_command_against_a_fresh_sandbox() {
    let lab = Lab::new();
    let mut cmd = command();
    // An environment key is ignored: with --sandbox it would be a production key.
    cmd.args(["--sandbox", "partner", "get-acme-reporting"])
        .env(Api::Partner.key_var(), "a-production-key-never-sent");
    let run = lab.run(cmd, None);
    run.expect_code(0);
    assert!(
        run.stdout.contains("\"acme_contract_id\":5678"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains(
            "--sandbox: serving DigiCert's APIs from an in-process sandbox at http://127.0.0.1:"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("seeded key \"Parent account key\" of account 67890"),
        "{}",
        run.stderr
    );

    // A key flag wins over the seeded key.
    let key = lab.file("sub.key", &lab.key(KeyKind::PartnerSubaccount));
    let mut cmd = command();
    cmd.args([
        "partner",
        "get-acme-reporting",
        "--sandbox",
        "--api-key-file",
    ])
    .arg(&key);
    lab.run(cmd, None).expect_code(3);

    // A secret the sandbox hands out reaches the secrets file only.
    let secrets = lab.path("created.json");
    let mut cmd = command();
    cmd.args([
        "--sandbox",
        "partner",
        "create-subaccount",
        "--name",
        "ACME",
        "--api-key-name",
        "Prod",
        "--secrets-file",
    ])
    .arg(&secrets);
    let run = lab.run(cmd, None);
    run.expect_code(0);
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&secrets).expect("written")).expect("JSON");
    let key = written["api_key"]["api_key"].as_str().expect("the new key");
    assert!(key.starts_with("sbx_"), "{key:?}");
    assert!(!run.stdout.contains(key) && !run.stderr.contains(key));
    assert_eq!(run.json()["api_key"]["api_key"], "<redacted>");

    let mut cmd = command();
    cmd.args([
        "--sandbox",
        "--base-url",
        "http://127.0.0.1:9",
        "partner",
        "list-account-settings",
    ]);
    lab.run(cmd, None).expect_code(2);
}

#[test]
fn every_body_template_is_the_specs_example_and_needs_no_key() {
    use digicert_cli::generated::{partner, services};
    let lab = Lab::new();
    let commands: Vec<(Api, &str, Option<&str>)> = partner::CliCommand::iter()
        .map(|c| (Api::Partner, c.name(), c.json_body_template()))
        .chain(
            services::CliCommand::iter()
                .map(|c| (Api::CertCentral, c.name(), c.json_body_template())),
        )
        .collect();
    let mut with_body = 0;
    for (api, name, template) in commands {
        let Some(template) = template else { continue };
        with_body += 1;
        let mut cmd = command();
        cmd.args([api.command_name(), name, "--json-body-template"]);
        let run = lab.run(cmd, None);
        run.expect_code(0);
        let expected: Value = serde_json::from_str(template).expect("the template is JSON");
        assert_eq!(run.json(), expected, "{name}");
        // It is a body the command accepts.
        let file = lab.file(&format!("{name}.json"), &run.stdout);
        let mut cmd = command();
        cmd.args([api.command_name(), name, "--dry-run", "--json-body"])
            .arg(&file)
            .env(api.key_var(), "k");
        // Path parameters still need their flags; a dry run accepts any number.
        for id in [
            "--acme-contract-id",
            "--account-id",
            "--api-key-id",
            "--subaccount-id",
        ] {
            let help = command()
                .args([api.command_name(), name, "-h"])
                .output()
                .expect("runs");
            if String::from_utf8_lossy(&help.stdout).contains(id) {
                cmd.args([id, "1"]);
            }
        }
        let run = lab.run(cmd, None);
        run.expect_code(0);
        assert!(
            same_json(&run.json()["body"], &expected),
            "{name}: the dry run sends the template:\n{}\n{expected}",
            run.json()["body"]
        );
    }
    // 12 Partner operations and 4 CertCentral ones take a JSON body.
    assert_eq!(with_body, 16, "operations with a JSON body");
}

/// JSON equality with numbers compared by value (`412` and `412.0` are the same number: a
/// `type: number` field goes on the wire as a float).
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

#[test]
fn a_body_that_does_not_parse_is_a_usage_error_naming_the_file() {
    let lab = recording();
    let bad = lab.file("bad.json", r#"{"emergency_contact_emails": "not a list"}"#);
    let mut cmd = command();
    cmd.args([
        "partner",
        "add-emergency-emails",
        "--base-url",
        &lab.base_url(Api::Partner),
        "--json-body",
    ])
    .arg(&bad)
    .env(Api::Partner.key_var(), lab.key(KeyKind::PartnerSubaccount));
    let run = lab.run(cmd, None);
    run.expect_code(2);
    assert!(
        run.stderr.contains(&bad.display().to_string()),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("--json-body-template prints an example"),
        "{}",
        run.stderr
    );
    // From standard input.
    let mut cmd = command();
    cmd.args([
        "partner",
        "add-emergency-emails",
        "--base-url",
        &lab.base_url(Api::Partner),
        "--json-body",
        "-",
    ])
    .env(Api::Partner.key_var(), lab.key(KeyKind::PartnerSubaccount));
    lab.run(
        cmd,
        Some(r#"{"emergency_contact_emails": ["stdin@acme.example"]}"#),
    )
    .expect_code(0);
    let exchanges = lab.sandbox().exchanges();
    assert_eq!(exchanges.len(), 1, "only the good body was sent");
}

#[test]
fn the_readme_carries_the_exit_code_table() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    assert!(
        readme.contains(&Exit::markdown_table()),
        "the README's exit code table differs from digicert_cli::exit::Exit; it should read:\n{}",
        Exit::markdown_table()
    );
}
