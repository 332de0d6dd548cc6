//! With feature `codegen` (the workspace's own builds and tests): generates the
//! `digicert partner|certcentral` commands from `spec/*.yaml` into `OUT_DIR` with
//! `digicert-codegen`, the same function `cargo xtask codegen` uses for the checked-in
//! copies in `generated/`. Without it (an installed or published build) it does nothing,
//! and `src/generated.rs` compiles `generated/`.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    // Each family's commands, under the file name of its checked-in copy.
    #[cfg(feature = "codegen")]
    digicert_codegen::build_script::run("the commands", |root, family| {
        let code = digicert_codegen::generate_cli(root, family).map_err(|e| e.to_string())?;
        let name = std::path::Path::new(family.generated_cli)
            .file_name()
            .and_then(|name| name.to_str())
            .ok_or_else(|| format!("`{}` has no file name", family.generated_cli))?;
        Ok(vec![(name.to_owned(), code)])
    });
}
