//! `cargo xtask docs-check`: compares every saved DigiCert page in `spec/docs/<family>/`
//! with its family's spec (`digicert_codegen::docs`), prints one line per unreadable page
//! line and per finding, and fails on any that no `x-docs-deviation` acknowledges.

use std::path::Path;

use anyhow::bail;

pub(crate) fn run(root: &Path) -> anyhow::Result<()> {
    let mut failures = 0;
    for (family, report) in digicert_codegen::docs::check_workspace(root)? {
        for line in report.lines() {
            println!("{line}");
        }
        println!(
            "{:<9} {}: {} page(s), {} operation(s) documented, {} failure(s), {} warning(s), {} acknowledged",
            family.name,
            digicert_codegen::docs::page_dir(family).display(),
            report.pages,
            report.operations,
            report.failures(),
            report.warnings(),
            report.acknowledged()
        );
        failures += report.failures();
    }
    if failures > 0 {
        bail!(
            "{failures} difference(s) between the saved pages and the specs: fix the spec, or acknowledge a deliberate difference with `x-docs-deviation: \"<why>\"` where it is"
        );
    }
    Ok(())
}
