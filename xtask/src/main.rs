//! `cargo xtask`: maintainer tasks for digicert-rs (see <https://github.com/matklad/cargo-xtask>).
//!
//! The alias in `.cargo/config.toml` runs this binary. Commands:
//! - `codegen`: render both generated clients into their checked-in, reviewable files;
//! - `codegen --check`: change nothing, print a unified diff and fail when a checked-in
//!   file is out of date with its spec.

mod codegen;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  codegen            regenerate crates/digicert/generated/*.rs from spec/*.yaml
  codegen --check    fail (with a diff) if a generated file is out of date; writes nothing
  help               show this text";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen"] => codegen::run(&project_root(), codegen::Mode::Write),
        ["codegen", "--check"] => codegen::run(&project_root(), codegen::Mode::Check),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: xtask lives one level below it.
fn project_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}
