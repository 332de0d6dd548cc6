//! `cargo xtask lint`: every spec rule plus the lint checks (examples validated against
//! their schemas, unused schemas, path parameters, 4xx, provenance), one line per problem
//! with file, location and rule; a count of inferred items per spec.

use std::path::Path;

use anyhow::bail;
use digicert_codegen::{Family, Spec};

/// Loads every family's spec and lints it; fails (after printing every problem) when any
/// spec has one. Returns the loaded specs for the caller to use.
pub(crate) fn load_and_lint(root: &Path) -> anyhow::Result<Vec<(&'static Family, Spec)>> {
    let mut specs = Vec::new();
    let mut problems = 0;
    for family in digicert_codegen::FAMILIES {
        let mut spec = match digicert_codegen::load(&root.join(family.spec)) {
            Ok(spec) => spec,
            Err(err) => {
                println!("{err}");
                problems += 1;
                continue;
            }
        };
        spec.path = family.spec.into();
        let report = digicert_codegen::lint::lint(&spec, family);
        for violation in &report.violations {
            println!("{}: {violation}", family.spec);
        }
        problems += report.violations.len();
        println!(
            "{:<9} {}: {} problem(s), {} inferred item(s) (x-inferred)",
            family.name,
            family.spec,
            report.violations.len(),
            report.inferred.len()
        );
        specs.push((family, spec));
    }
    if problems > 0 {
        bail!("{problems} problem(s) in the specs; fix them before generating code");
    }
    Ok(specs)
}

pub(crate) fn run(root: &Path) -> anyhow::Result<()> {
    load_and_lint(root).map(drop)
}
