//! `cargo xtask package`: packages every publishable crate of the workspace (those whose
//! manifest does not say `publish = false`), dry-runs their publication, then builds a
//! throwaway consumer of the packaged `digicert` outside the workspace and fails if the
//! consumer compiles the code generator or its dependencies.
//!
//! The crates are packaged together (`cargo package -p a -p b`): `digicert`'s optional
//! build-time generation names `digicert-codegen`, which must be published first, and
//! multi-package packaging resolves it from the packages being made.
//!
//! A publishable crate that depends (even optionally) on a workspace crate that is not
//! publishable cannot be packaged that way: cargo resolves every dependency for the
//! package's lock file, and the unpublishable one is on no registry. Such a crate is
//! packaged on its own without verification or lock file (its manifest, metadata and file
//! list are still checked), and the output says which dependency holds it back. (None
//! does today: `digicert-cli`'s `--sandbox` needs `digicert-sandbox`, which is publishable.)

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

/// A workspace member that may be published.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Publishable {
    name: String,
    version: String,
    /// Workspace members it depends on (normal or build, optional included) that may not
    /// be published.
    held_back_by: Vec<String>,
}

/// Every workspace member that may be published, dependencies first (in the order
/// `cargo metadata` lists members, which follows the workspace's `members`; cargo orders
/// multi-package packaging itself).
fn publishable(root: &Path) -> anyhow::Result<(Vec<Publishable>, PathBuf)> {
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
    // Where cargo puts packages: `target/`, or wherever CARGO_TARGET_DIR says.
    let target = metadata["target_directory"]
        .as_str()
        .map_or_else(|| root.join("target"), PathBuf::from);
    Ok((publishable_in(&metadata), target))
}

fn publishable_in(metadata: &Value) -> Vec<Publishable> {
    let packages: &[Value] = metadata["packages"].as_array().map_or(&[], Vec::as_slice);
    let may_publish = |p: &Value| {
        p["publish"]
            .as_array()
            .is_none_or(|registries| !registries.is_empty())
    };
    let unpublishable: Vec<&str> = packages
        .iter()
        .filter(|p| !may_publish(p))
        .filter_map(|p| p["name"].as_str())
        .collect();
    packages
        .iter()
        .filter(|p| may_publish(p))
        .filter_map(|p| {
            let held_back_by = p["dependencies"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|d| d["kind"].as_str() != Some("dev"))
                .filter_map(|d| d["name"].as_str())
                .filter(|name| unpublishable.contains(name))
                .map(str::to_owned)
                .collect();
            Some(Publishable {
                name: p["name"].as_str()?.to_owned(),
                version: p["version"].as_str()?.to_owned(),
                held_back_by,
            })
        })
        .collect()
}

pub(crate) fn run_package(root: &Path) -> anyhow::Result<()> {
    let (all, target) = publishable(root)?;
    let (held, crates): (Vec<Publishable>, Vec<Publishable>) =
        all.into_iter().partition(|c| !c.held_back_by.is_empty());
    ensure!(
        crates.iter().any(|c| c.name == "digicert"),
        "the digicert crate is not publishable (publish = false, or a dependency that is?)"
    );
    let names: Vec<&str> = crates.iter().map(|c| c.name.as_str()).collect();
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
    for crate_ in &held {
        println!(
            "note: {} depends on {}, which may not be published yet: packaged alone, without verification or lock file",
            crate_.name,
            crate_.held_back_by.join(", ")
        );
        let mut alone = cargo(root);
        alone.args([
            "package",
            "--no-verify",
            "--locked",
            "--exclude-lockfile",
            "-p",
            &crate_.name,
        ]);
        run(
            alone,
            &format!(
                "cargo package --no-verify --locked --exclude-lockfile -p {}",
                crate_.name
            ),
        )?;
    }
    consumer_check(root, &target, &crates)
}

/// Builds a consumer of the packaged `digicert` outside the workspace and checks its tree.
fn consumer_check(root: &Path, target: &Path, crates: &[Publishable]) -> anyhow::Result<()> {
    let packaged = |name: &str| -> anyhow::Result<PathBuf> {
        let version = crates
            .iter()
            .find(|c| c.name == name)
            .map(|c| &c.version)
            .with_context(|| format!("{name} was not packaged"))?;
        let dir = target.join("package").join(format!("{name}-{version}"));
        ensure!(dir.is_dir(), "{} is missing", dir.display());
        Ok(dir)
    };
    let dir = target.join("consumer-check");
    std::fs::create_dir_all(dir.join("src")).context("creating the consumer")?;
    // Unpublished workspace crates resolve from their packages, as they would from
    // crates.io once published.
    let patches: String = crates
        .iter()
        .filter(|c| c.name != "digicert")
        .map(|c| {
            packaged(&c.name).map(|path| {
                format!(
                    "{} = {{ path = {:?} }}\n",
                    c.name,
                    path.display().to_string()
                )
            })
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
    fn a_crate_that_needs_an_unpublishable_one_is_held_back() {
        let metadata = serde_json::json!({"packages": [
            {"name": "lib", "version": "1.0.0", "publish": null, "dependencies": []},
            {"name": "tool", "version": "1.0.0", "publish": null, "dependencies": [
                {"name": "lib", "kind": null},
                {"name": "internal", "kind": null, "optional": true},
                {"name": "tests-only", "kind": "dev"}
            ]},
            {"name": "internal", "version": "1.0.0", "publish": [], "dependencies": []},
            {"name": "tests-only", "version": "1.0.0", "publish": [], "dependencies": []}
        ]});
        let found = publishable_in(&metadata);
        assert_eq!(
            found,
            [
                Publishable {
                    name: "lib".into(),
                    version: "1.0.0".into(),
                    held_back_by: vec![],
                },
                Publishable {
                    name: "tool".into(),
                    version: "1.0.0".into(),
                    held_back_by: vec!["internal".into()],
                },
            ]
        );
    }

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
