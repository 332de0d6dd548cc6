//! `cargo xtask codegen [--check]`: writes, or checks, the checked-in copies of the
//! generated clients. They are byte-identical to what the `digicert` crate's build.rs
//! compiles, because both call `digicert_codegen::generate`.

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
    let mut stale = Vec::new();
    for family in digicert_codegen::FAMILIES {
        let generated = digicert_codegen::generate(root, family)
            .with_context(|| format!("generating the {} client", family.name))?;
        let target = root.join(family.generated);
        let current = match std::fs::read_to_string(&target) {
            Ok(text) => Some(text.replace("\r\n", "\n")),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
            Err(err) => return Err(err).with_context(|| format!("reading {}", target.display())),
        };
        let fresh = current.as_deref() == Some(generated.code.as_str());
        println!(
            "{:<9} {} -> {}: {} operations, {} types, {}",
            family.name,
            family.spec,
            family.generated,
            generated.operations,
            generated.types,
            match (fresh, mode) {
                (true, _) => "up to date",
                (false, Mode::Write) => "written",
                (false, Mode::Check) => "OUT OF DATE",
            }
        );
        if fresh {
            continue;
        }
        match mode {
            Mode::Write => {
                if let Some(dir) = target.parent() {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("creating {}", dir.display()))?;
                }
                std::fs::write(&target, &generated.code)
                    .with_context(|| format!("writing {}", target.display()))?;
            }
            Mode::Check => {
                let old = current.unwrap_or_default();
                let diff = similar::TextDiff::from_lines(old.as_str(), generated.code.as_str());
                print!(
                    "{}",
                    diff.unified_diff().context_radius(3).header(
                        family.generated,
                        &format!("{} (from {})", family.generated, family.spec)
                    )
                );
                stale.push(family.generated);
            }
        }
    }
    if !stale.is_empty() {
        bail!(
            "{} out of date with its spec; run `cargo xtask codegen`, review the diff and commit it",
            stale.join(" and ")
        );
    }
    Ok(())
}
