//! `cargo xtask package`: packages every publishable crate of the workspace (those whose
//! manifest does not say `publish = false`), dry-runs their publication, then builds a
//! throwaway consumer of the packaged `digicert` outside the workspace and fails if the
//! consumer compiles the code generator or its dependencies.
//!
//! The crates are packaged together (`cargo package -p a -p b`): `digicert`'s optional
//! build-time generation names `digicert-codegen`, which must be published first, and
//! multi-package packaging resolves it from the packages being made.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail, ensure};
use serde_json::Value;

/// Crates a consumer of `digicert` must never compile: the generator and what only it
/// needs. A second major version of `syn` is refused too: the generator chain
/// (typify) brings `syn` 2 beside the `syn` 3 that serde's, thiserror's and tokio's
/// derives, and url's ICU crates, use.
const FORBIDDEN: [&str; 6] = [
    "digicert-codegen",
    "progenitor-impl",
    "typify",
    "typify-impl",
    "openapiv3",
    "serde_norway",
];

/// What the consumer compiles: the client as a user would call it.
const CONSUMER_MAIN: &str = r#"//! A consumer of the packaged `digicert` crate (made by `cargo xtask package`).

#[tokio::main(flavor = "current_thread")]
async fn main() -> digicert::Result<()> {
    let key = digicert::ApiKey::new("consumer-check-key")?;
    let client = digicert::services::Client::builder(key)
        .base_url("http://127.0.0.1:9/services/v2")
        .retry(digicert::RetryPolicy::disabled())
        .build()?;
    let preview = client.get_subaccount().subaccount_id(1).preview()?;
    println!("{}", preview.method());
    Ok(())
}
"#;

fn cargo(root: &Path) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(root);
    command
}

fn run(mut command: Command, what: &str) -> anyhow::Result<String> {
    println!("$ {what}");
    let output = command
        .output()
        .with_context(|| format!("running `{what}`"))?;
    if !output.status.success() {
        bail!(
            "`{what}` failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// `(name, version)` of every workspace member that may be published, dependencies first
/// (in the order `cargo metadata` lists members, which follows the workspace's `members`;
/// cargo orders multi-package packaging itself).
fn publishable(root: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let mut command = cargo(root);
    command.args([
        "metadata",
        "--no-deps",
        "--format-version",
        "1",
        "--offline",
    ]);
    let metadata: Value = serde_json::from_str(&run(command, "cargo metadata --no-deps")?)
        .context("reading cargo metadata")?;
    let packages = metadata["packages"]
        .as_array()
        .context("cargo metadata has no packages")?;
    Ok(packages
        .iter()
        .filter(|p| {
            p["publish"]
                .as_array()
                .is_none_or(|registries| !registries.is_empty())
        })
        .filter_map(|p| {
            Some((
                p["name"].as_str()?.to_owned(),
                p["version"].as_str()?.to_owned(),
            ))
        })
        .collect())
}

pub(crate) fn run_package(root: &Path) -> anyhow::Result<()> {
    let crates = publishable(root)?;
    ensure!(
        crates.iter().any(|(name, _)| name == "digicert"),
        "the digicert crate is not publishable (publish = false?)"
    );
    let names: Vec<&str> = crates.iter().map(|(name, _)| name.as_str()).collect();
    println!("publishable crates: {}", names.join(", "));
    let mut package = cargo(root);
    package.arg("package").arg("--locked");
    let mut publish = cargo(root);
    publish
        .args(["publish", "--dry-run", "--no-verify", "--locked"])
        .env_remove("CARGO_REGISTRY_TOKEN");
    for name in &names {
        package.args(["-p", name]);
        publish.args(["-p", name]);
    }
    run(
        package,
        &format!("cargo package --locked -p {}", names.join(" -p ")),
    )?;
    run(
        publish,
        &format!(
            "cargo publish --dry-run --no-verify --locked -p {}",
            names.join(" -p ")
        ),
    )?;
    consumer_check(root, &crates)
}

/// Builds a consumer of the packaged `digicert` outside the workspace and checks its tree.
fn consumer_check(root: &Path, crates: &[(String, String)]) -> anyhow::Result<()> {
    let packaged = |name: &str| -> anyhow::Result<PathBuf> {
        let version = crates
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
            .with_context(|| format!("{name} was not packaged"))?;
        let dir = root
            .join("target/package")
            .join(format!("{name}-{version}"));
        ensure!(dir.is_dir(), "{} is missing", dir.display());
        Ok(dir)
    };
    let dir = root.join("target/consumer-check");
    std::fs::create_dir_all(dir.join("src")).context("creating the consumer")?;
    // Unpublished workspace crates resolve from their packages, as they would from
    // crates.io once published.
    let patches: String = crates
        .iter()
        .filter(|(name, _)| name != "digicert")
        .map(|(name, _)| {
            packaged(name)
                .map(|path| format!("{name} = {{ path = {:?} }}\n", path.display().to_string()))
        })
        .collect::<anyhow::Result<_>>()?;
    let manifest = format!(
        "[package]\nname = \"digicert-consumer-check\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\ndigicert = {{ path = {:?} }}\ntokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n\n\
         [patch.crates-io]\n{patches}\n[workspace]\n",
        packaged("digicert")?.display().to_string(),
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).context("writing the consumer")?;
    std::fs::write(dir.join("src/main.rs"), CONSUMER_MAIN).context("writing the consumer")?;
    // The workspace's versions, so that the check measures this crate, not a newer release.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).context("copying Cargo.lock")?;

    let mut tree = cargo(&dir);
    tree.args(["tree", "-e", "normal,build", "--prefix", "none"]);
    let tree = run(tree, "cargo tree -e normal,build (consumer)")?;
    let (packages, problems) = check_tree(&tree);
    println!("the consumer compiles {packages} packages");
    ensure!(
        problems.is_empty(),
        "a consumer of the packaged digicert compiles the code generator: {}",
        problems.join("; ")
    );
    let mut build = cargo(&dir);
    build
        .args(["build", "--quiet"])
        .env("CARGO_TARGET_DIR", dir.join("target"));
    run(build, "cargo build (consumer)")?;
    println!("consumer check: the packaged crate builds and pulls in no generator");
    Ok(())
}

/// The number of distinct packages in a `cargo tree --prefix none` listing, and what in
/// it a consumer must not compile.
fn check_tree(tree: &str) -> (usize, Vec<String>) {
    let mut lines: Vec<&str> = tree
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines.sort_unstable();
    lines.dedup();
    let name = |line: &str| {
        line.split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    let mut problems: Vec<String> = lines
        .iter()
        .filter(|line| FORBIDDEN.contains(&name(line).as_str()))
        .map(|line| line.trim_end_matches(" (*)").to_owned())
        .collect();
    problems.dedup();
    let syn_majors: std::collections::BTreeSet<&str> = lines
        .iter()
        .filter(|line| name(line) == "syn")
        .filter_map(|line| line.split_whitespace().nth(1)?.split('.').next())
        .collect();
    if syn_majors.len() > 1 {
        problems.push(format!(
            "more than one syn ({})",
            syn_majors.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    let packages: std::collections::BTreeSet<String> = lines.iter().map(|l| name(l)).collect();
    (packages.len(), problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_check_finds_the_generator_and_a_second_syn() {
        let clean = "digicert v0.2.0 (/x)\nreqwest v0.13.5\nsyn v3.0.10\nsyn v3.0.10 (*)\n";
        assert_eq!(check_tree(clean), (3, Vec::<String>::new()));
        let dirty = "digicert v0.2.0 (/x)\ndigicert-codegen v0.2.0\ntypify v0.8.0\nsyn v2.0.119\nsyn v3.0.10\n";
        let (_, problems) = check_tree(dirty);
        assert_eq!(
            problems,
            [
                "digicert-codegen v0.2.0",
                "typify v0.8.0",
                "more than one syn (v2, v3)"
            ]
        );
    }
}
