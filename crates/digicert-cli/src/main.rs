//! `digicert`: the command-line client (see the crate README, or `digicert --help`).

fn main() -> std::process::ExitCode {
    digicert_cli::main()
}
