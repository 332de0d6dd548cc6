//! `cargo xtask diff [--base REV] [--format text|markdown|json] [--allow-breaking]`:
//! compares each spec at a git revision with the working tree, classifies every change for
//! users of the generated crate (`digicert_codegen::diff`), and names the version bump the
//! client crate needs. Exits 1 on a breaking change unless `--allow-breaking`.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};
use digicert_codegen::diff::{Report, diff};

/// How the report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// For a terminal or a CI log.
    Text,
    /// For a pull-request comment.
    Markdown,
    /// For tools.
    Json,
}

/// The parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Options {
    /// The git revision to compare with; `None` picks the default.
    pub(crate) base: Option<String>,
    pub(crate) format: Format,
    pub(crate) allow_breaking: bool,
}

impl Options {
    /// Parses the arguments after `diff`.
    pub(crate) fn parse(args: &[&str]) -> anyhow::Result<Options> {
        let mut options = Options {
            base: None,
            format: Format::Text,
            allow_breaking: false,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match *arg {
                "--base" => {
                    let rev = args.next().context("--base needs a git revision")?;
                    options.base = Some((*rev).to_owned());
                }
                "--format" => {
                    options.format = match args.next().copied() {
                        Some("text") => Format::Text,
                        Some("markdown") => Format::Markdown,
                        Some("json") => Format::Json,
                        other => bail!("--format takes text, markdown or json, not {other:?}"),
                    }
                }
                "--allow-breaking" => options.allow_breaking = true,
                other => bail!("unknown argument `{other}` for `cargo xtask diff`"),
            }
        }
        Ok(options)
    }
}

fn git(root: &Path, args: &[&str]) -> anyhow::Result<Option<String>> {
    let output = Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .context("running git (is it installed?)")?;
    Ok(output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned()))
}

/// The default base: where this branch left `main`, or `HEAD` when that is unknown.
fn default_base(root: &Path) -> anyhow::Result<String> {
    if let Some(base) = git(root, &["merge-base", "HEAD", "main"])? {
        return Ok(base.trim().to_owned());
    }
    Ok("HEAD".to_owned())
}

/// The spec as it was at `rev`; a spec that did not exist yet is an empty one, so that
/// every operation reads as added.
fn spec_at(root: &Path, rev: &str, path: &str) -> anyhow::Result<digicert_codegen::Spec> {
    let shown = git(root, &["show", &format!("{rev}:{path}")])?;
    let text = shown.unwrap_or_else(|| {
        "openapi: 3.0.3\ninfo: {title: (none), version: '0'}\npaths: {}\n".to_owned()
    });
    digicert_codegen::parse(format!("{path} at {rev}"), &text).map_err(Into::into)
}

/// The `[workspace.package] version` of the root manifest.
fn workspace_version(root: &Path) -> anyhow::Result<String> {
    let manifest =
        std::fs::read_to_string(root.join("Cargo.toml")).context("reading Cargo.toml")?;
    version_in(&manifest)
}

/// `MAJOR.MINOR.PATCH` as numbers, for comparing.
fn version_parts(version: &str) -> Option<(u64, u64, u64)> {
    let core = version.trim().split(['+', '-']).next()?;
    let parts: Vec<u64> = core
        .split('.')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    match parts[..] {
        [major, minor, patch] => Some((major, minor, patch)),
        _ => None,
    }
}

/// The `[workspace.package] version` in a manifest's text.
fn version_in(manifest: &str) -> anyhow::Result<String> {
    let mut in_package = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[workspace.package]";
        } else if in_package && let Some(value) = line.strip_prefix("version") {
            let value = value
                .trim_start()
                .trim_start_matches('=')
                .trim()
                .trim_matches('"');
            return Ok(value.to_owned());
        }
    }
    bail!("Cargo.toml has no [workspace.package] version")
}

pub(crate) fn run(root: &Path, options: &Options) -> anyhow::Result<()> {
    if git(root, &["rev-parse", "--git-dir"])?.is_none() {
        bail!("`cargo xtask diff` needs a git checkout");
    }
    let base = match &options.base {
        Some(base) => base.clone(),
        None => default_base(root)?,
    };
    if git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{base}^{{commit}}"),
        ],
    )?
    .is_none()
    {
        bail!("`{base}` is not a git revision here");
    }
    let mut reports: Vec<(&str, Report)> = Vec::new();
    for family in digicert_codegen::FAMILIES {
        let old = spec_at(root, &base, family.spec)?;
        let mut new = digicert_codegen::load(&root.join(family.spec))?;
        new.path = family.spec.into();
        reports.push((family.spec, diff(&old, &new)));
    }
    let all = Report {
        changes: reports
            .iter()
            .flat_map(|(_, r)| r.changes.clone())
            .collect(),
    };
    let version = workspace_version(root)?;
    // What the version was at the base: a change that already bumped it (breaking changes
    // and 0.1.0 -> 0.2.0) needs nothing more.
    let base_version = git(root, &["show", &format!("{base}:Cargo.toml")])?
        .and_then(|manifest| version_in(&manifest).ok())
        .unwrap_or_else(|| version.clone());
    let bump = all.semver_bump(&base_version);
    let covered = match (&bump, version_parts(&version)) {
        (Some(next), Some(now)) => version_parts(next).is_some_and(|next| now >= next),
        _ => false,
    };
    let bump_text = match &bump {
        Some(next) if covered => format!(
            "{}: needs {next} or later from {base_version}; the crate is at {version}, which covers it",
            all.verdict()
        ),
        Some(next) => format!(
            "the client crate needs {next} (from {base_version}; now {version}): {}",
            all.verdict()
        ),
        None => format!("no release needed (now {version})"),
    };
    let short = git(root, &["rev-parse", "--short", &base])?.unwrap_or_else(|| base.clone());
    match options.format {
        Format::Text => {
            for (spec, report) in &reports {
                println!("== {spec}: {} .. working tree", short.trim());
                print!("{}", report.to_text());
            }
            println!("semver: {bump_text}");
        }
        Format::Markdown => {
            println!("### Spec changes since `{}`\n", short.trim());
            for (spec, report) in &reports {
                println!("#### `{spec}`\n\n{}", report.to_markdown());
            }
            println!("**Semver:** {bump_text}");
        }
        Format::Json => {
            let specs: serde_json::Map<String, serde_json::Value> = reports
                .iter()
                .map(|(spec, report)| ((*spec).to_owned(), report.to_json()))
                .collect();
            let out = serde_json::json!({
                "base": short.trim(),
                "specs": specs,
                "breaking": all.is_breaking(),
                "verdict": all.verdict(),
                "current_version": version,
                "next_version": bump,
                "base_version": base_version,
                "version_covers_changes": covered,
            });
            println!("{}", serde_json::to_string_pretty(&out)?);
        }
    }
    if all.is_breaking() && !options.allow_breaking && !covered {
        bail!(
            "breaking changes to the generated client (pass --allow-breaking once the version bump is planned)"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_command_line() {
        assert_eq!(
            Options::parse(&["--base", "v1", "--format", "markdown", "--allow-breaking"]).unwrap(),
            Options {
                base: Some("v1".into()),
                format: Format::Markdown,
                allow_breaking: true
            }
        );
        assert_eq!(Options::parse(&[]).unwrap().format, Format::Text);
        for bad in [&["--format", "yaml"][..], &["--base"], &["--frobnicate"]] {
            assert!(Options::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn reads_the_workspace_version() {
        let version = workspace_version(&crate::project_root()).unwrap();
        assert_eq!(version.split('.').count(), 3, "{version}");
    }
}
