//! With feature `codegen` (the workspace's own builds and tests): generates the
//! `digicert partner|certcentral` commands from `spec/*.yaml` into `OUT_DIR` with
//! `digicert-codegen`, the same function `cargo xtask codegen` uses for the checked-in
//! copies in `generated/`. Without it (an installed or published build) it does nothing,
//! and `src/generated.rs` compiles `generated/`.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    #[cfg(feature = "codegen")]
    codegen::run();
}

#[cfg(feature = "codegen")]
mod codegen {
    use std::path::{Path, PathBuf};

    pub(super) fn run() {
        let manifest_dir =
            PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
        let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
        let root = manifest_dir.join("../..");
        let mut failed = false;
        for family in digicert_codegen::FAMILIES {
            let spec = root.join(family.spec);
            println!("cargo::rerun-if-changed={}", spec.display());
            let result = if spec.is_file() {
                generate(&root, &out_dir, family)
            } else {
                Err(format!(
                    "feature `codegen` regenerates the commands from the repository's `{}`, which is not here; \
                     build without it to compile the checked-in `generated/` code",
                    family.spec
                ))
            };
            if let Err(message) = result {
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

    /// Writes the family's commands under the file name of its checked-in copy.
    fn generate(
        root: &Path,
        out_dir: &Path,
        family: &digicert_codegen::Family,
    ) -> Result<(), String> {
        let code = digicert_codegen::generate_cli(root, family).map_err(|e| e.to_string())?;
        let name = Path::new(family.generated_cli)
            .file_name()
            .ok_or_else(|| format!("`{}` has no file name", family.generated_cli))?;
        let target = out_dir.join(name);
        std::fs::write(&target, code)
            .map_err(|e| format!("{}: cannot write: {e}", target.display()))
    }
}
