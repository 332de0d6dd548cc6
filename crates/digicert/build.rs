//! Generates both API families from `spec/*.yaml` into `OUT_DIR` with `digicert-codegen`,
//! the same function `cargo xtask codegen` uses for the checked-in copies.

use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let root = manifest_dir.join("../..");
    let mut failed = false;
    for family in digicert_codegen::FAMILIES {
        println!(
            "cargo::rerun-if-changed={}",
            root.join(family.spec).display()
        );
        if let Err(message) = generate(&root, &out_dir, family) {
            failed = true;
            for line in message.lines() {
                println!("cargo::error={line}");
            }
        }
    }
    if failed {
        std::process::exit(1);
    }
}

/// Writes `<family>.rs` and `<family>_mock.rs`. The mocks are small; generating them
/// always keeps this script simple, and lib.rs compiles them only with feature `mock`.
fn generate(root: &Path, out_dir: &Path, family: &digicert_codegen::Family) -> Result<(), String> {
    let generated = digicert_codegen::generate(root, family).map_err(|e| e.to_string())?;
    for (file, code) in [
        (format!("{}.rs", family.name), generated.code),
        (format!("{}_mock.rs", family.name), generated.mock),
    ] {
        let target = out_dir.join(file);
        std::fs::write(&target, code)
            .map_err(|e| format!("{}: cannot write: {e}", target.display()))?;
    }
    Ok(())
}
