//! The whole `--help` tree as one golden file, so that every change to a command or flag
//! shows in review; and every operationId of both specs has its command.

use digicert_cli::app::Api;

use crate::common::command;

fn help(path: &[&str]) -> String {
    let output = command()
        .args(path)
        .arg("--help")
        .output()
        .expect("the binary runs");
    assert!(output.status.success(), "{path:?} --help failed");
    assert!(output.stderr.is_empty(), "{path:?} --help wrote to stderr");
    String::from_utf8(output.stdout).expect("UTF-8")
}

fn operations(api: Api) -> Vec<&'static str> {
    match api {
        Api::Partner => digicert::partner::OPERATIONS
            .iter()
            .map(|op| op.id)
            .collect(),
        Api::CertCentral => digicert::services::OPERATIONS
            .iter()
            .map(|op| op.id)
            .collect(),
    }
}

fn kebab(id: &str) -> String {
    id.replace('_', "-")
}

#[test]
fn every_operation_id_has_a_command() {
    for api in Api::ALL {
        let listing = help(&[api.command_name()]);
        for id in operations(api) {
            let name = kebab(id);
            assert!(
                listing
                    .lines()
                    .any(|line| line.trim_start().starts_with(&format!("{name} "))),
                "`digicert {}` lists no `{name}` for operationId {id}",
                api.command_name()
            );
            let page = help(&[api.command_name(), &name]);
            assert!(
                page.contains(&format!("Usage: digicert {} {name}", api.command_name())),
                "no command `digicert {} {name}`:\n{page}",
                api.command_name()
            );
        }
    }
}

#[test]
fn the_help_tree() {
    let mut tree = String::new();
    // clap pads the line before `[possible values: ...]` with spaces; the snapshot does not
    // keep trailing whitespace (the repository's tidy rule).
    let mut add = |path: &[&str]| {
        let mut words = vec!["digicert"];
        words.extend(path);
        words.push("--help");
        tree.push_str(&format!("==== {}\n", words.join(" ")));
        for line in help(path).lines() {
            tree.push_str(line.trim_end());
            tree.push('\n');
        }
        tree.push('\n');
    };
    add(&[]);
    add(&["completions"]);
    for api in Api::ALL {
        add(&[api.command_name()]);
        for id in operations(api) {
            add(&[api.command_name(), &kebab(id)]);
        }
    }
    insta::assert_snapshot!("help_tree", tree);
}

#[test]
fn version_and_completions() {
    let output = command().arg("--version").output().expect("runs");
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("digicert {}\n", env!("CARGO_PKG_VERSION"))
    );
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = command()
            .args(["completions", shell])
            .output()
            .expect("runs");
        assert!(output.status.success(), "completions {shell}");
        let script = String::from_utf8_lossy(&output.stdout);
        for word in [
            "digicert",
            "partner",
            "certcentral",
            "create-acme-contract",
            "get-subaccount",
        ] {
            assert!(
                script.contains(word),
                "the {shell} script does not know {word}"
            );
        }
    }
    let output = command()
        .args(["completions", "tcsh"])
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
}
