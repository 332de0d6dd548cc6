//! `cargo xtask`: maintainer tasks for digicert-rs (see <https://github.com/matklad/cargo-xtask>).
//!
//! The alias in `.cargo/config.toml` runs this binary; `main` only dispatches, each command
//! lives in its own module.

mod codegen;
mod diff;
mod docs_check;
mod lint;
mod package;
mod tidy;

use std::path::PathBuf;
use std::process::ExitCode;

/// Every command, as the README must spell it after `cargo xtask ` (checked by tidy).
const COMMANDS: [&str; 7] = [
    "codegen",
    "codegen --check",
    "lint",
    "docs-check",
    "diff",
    "package",
    "tidy",
];

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  codegen            lint the specs, then regenerate crates/digicert/generated/*.rs,
                     crates/digicert-cli/generated/*.rs and docs/api-surface.md
                     from spec/*.yaml
  codegen --check    the same, but write nothing: print a diff and fail if anything is stale
  lint               every spec rule, examples against schemas, unused schemas, path
                     parameters, 4xx responses, provenance; counts inferred items
  docs-check         compare the saved DigiCert pages in spec/docs/<family>/ with the
                     specs: one line per difference; exit 1 on any not acknowledged
                     with x-docs-deviation
  diff [--base REV] [--format text|markdown|json] [--allow-breaking]
                     classify every spec change since REV (default: merge base with
                     main, else HEAD) for users of the crate; exit 1 if breaking
  package            package and dry-run-publish every publishable crate, then build a
                     consumer of the packaged digicert outside the workspace and fail
                     if it compiles the code generator
  tidy               house rules: //! on every file, generated headers, no ignored tests,
                     README lists every command, no trailing whitespace
  help               show this text";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let root = project_root();
    let result = match args.as_slice() {
        ["codegen"] => codegen::run(&root, codegen::Mode::Write),
        ["codegen", "--check"] => codegen::run(&root, codegen::Mode::Check),
        ["lint"] => lint::run(&root),
        ["docs-check"] => docs_check::run(&root),
        ["diff", rest @ ..] => {
            diff::Options::parse(rest).and_then(|options| diff::run(&root, &options))
        }
        ["package"] => package::run_package(&root),
        ["tidy"] => tidy::run(&root),
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
