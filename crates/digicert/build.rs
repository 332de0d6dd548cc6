//! Generates both API families from `spec/*.yaml` into `OUT_DIR` with `digicert-codegen`,
//! the same function `cargo xtask codegen` uses for the checked-in copies.

use std::path::PathBuf;

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
        let result = digicert_codegen::generate(&root, family).and_then(|generated| {
            let target = out_dir.join(format!("{}.rs", family.name));
            std::fs::write(&target, generated.code).map_err(|source| {
                digicert_codegen::Error::Read {
                    path: target,
                    source,
                }
            })
        });
        if let Err(err) = result {
            failed = true;
            for line in err.to_string().lines() {
                println!("cargo::error={line}");
            }
        }
    }
    if failed {
        std::process::exit(1);
    }
}
