//! `cargo xtask codegen [--check]`: lints the specs, then writes (or checks) the checked-in
//! copies of the generated clients, mocks and CLI commands, and `docs/api-surface.md`. The
//! code is byte-identical to what the `digicert` and `digicert-cli` crates' build scripts
//! compile: they call `digicert_codegen::render` and `render_cli` too.

use std::path::Path;

use anyhow::{Context, bail};

/// Whether to write the generated files or only compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Rewrite every file that differs.
    Write,
    /// Write nothing; fail with a diff when a file differs.
    Check,
}

pub(crate) fn run(root: &Path, mode: Mode) -> anyhow::Result<()> {
    // Lint first, every spec: no code is written for a spec that fails it.
    let specs = crate::lint::load_and_lint(root)?;
    let mut stale = Vec::new();
    for (family, spec) in &specs {
        let generated = digicert_codegen::render(spec, family)
            .with_context(|| format!("generating the {} client", family.name))?;
        println!(
            "{:<9} {}: {} operations, {} types",
            family.name, family.spec, generated.operations, generated.types
        );
        let cli = digicert_codegen::render_cli(spec, family)
            .with_context(|| format!("generating the `digicert {}` commands", family.name))?;
        for (path, code) in [
            (family.generated, &generated.code),
            (family.generated_mock, &generated.mock),
            (family.generated_cli, &cli),
        ] {
            if !sync_file(root, path, code, mode)? {
                stale.push(path);
            }
        }
    }
    let pairs: Vec<_> = specs.iter().map(|(family, spec)| (*family, spec)).collect();
    let surface = digicert_codegen::render_surface(&pairs);
    if !sync_file(root, digicert_codegen::SURFACE_PAGE, &surface, mode)? {
        stale.push(digicert_codegen::SURFACE_PAGE);
    }
    if !stale.is_empty() {
        bail!(
            "out of date with the specs: {}; run `cargo xtask codegen`, review the diff and commit it",
            stale.join(", ")
        );
    }
    Ok(())
}

/// Brings the checked-in file at `path` (relative to `root`) in line with `code`, or in
/// check mode prints the diff. Returns whether the file was (or now is) up to date.
fn sync_file(root: &Path, path: &str, code: &str, mode: Mode) -> anyhow::Result<bool> {
    let target = root.join(path);
    let current = match std::fs::read_to_string(&target) {
        Ok(text) => Some(text.replace("\r\n", "\n")),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => return Err(err).with_context(|| format!("reading {}", target.display())),
    };
    if current.as_deref() == Some(code) {
        println!("          {path}: up to date");
        return Ok(true);
    }
    match mode {
        Mode::Write => {
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("creating {}", dir.display()))?;
            }
            std::fs::write(&target, code)
                .with_context(|| format!("writing {}", target.display()))?;
            println!("          {path}: written");
            Ok(true)
        }
        Mode::Check => {
            let old = current.unwrap_or_default();
            let diff = similar::TextDiff::from_lines(old.as_str(), code);
            println!("          {path}: OUT OF DATE");
            print!(
                "{}",
                diff.unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{path}"), &format!("b/{path} (regenerated)"))
            );
            Ok(false)
        }
    }
}
