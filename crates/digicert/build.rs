//! With feature `codegen` (the workspace's own builds): generates both API families from
//! `spec/*.yaml` into `OUT_DIR` with `digicert-codegen`, the same function `cargo xtask
//! codegen` uses for the checked-in copies in `generated/`. Without it (every consumer of
//! the published crate) it does nothing, and `lib.rs` compiles `generated/`.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    // `<family>.rs` and `<family>_mock.rs`. The mocks are small; generating them always
    // keeps this simple, and lib.rs compiles them only with feature `mock`.
    #[cfg(feature = "codegen")]
    digicert_codegen::build_script::run("the client", |root, family| {
        let generated = digicert_codegen::generate(root, family).map_err(|e| e.to_string())?;
        Ok(vec![
            (format!("{}.rs", family.name), generated.code),
            (format!("{}_mock.rs", family.name), generated.mock),
        ])
    });
}
