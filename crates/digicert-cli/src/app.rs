//! The command tree: `digicert [global flags] partner|certcentral <operation> [flags]` and
//! `digicert completions <shell>`. The operations' commands are generated from the specs
//! (`crate::generated`); this file adds what the specs cannot say: where keys come from,
//! where requests go, the dry run, timeouts and retries.

use clap::{Arg, ArgAction, Command, value_parser};
use digicert::{partner, services};

use crate::exit::Exit;
use crate::generated;
use crate::output::Output;

/// The binary's name.
pub const BIN: &str = "digicert";

/// The help heading of the flags every operation takes.
const GLOBAL: &str = "Global options";

/// The ids (and long names) of the flags every operation takes.
pub mod flags {
    /// `--api-key-file PATH`.
    pub const API_KEY_FILE: &str = "api-key-file";
    /// `--api-key-stdin`.
    pub const API_KEY_STDIN: &str = "api-key-stdin";
    /// `--base-url URL`.
    pub const BASE_URL: &str = "base-url";
    /// `--eu` (CertCentral only).
    pub const EU: &str = "eu";
    /// `--sandbox` (feature `sandbox`).
    pub const SANDBOX: &str = "sandbox";
    /// `--dry-run`.
    pub const DRY_RUN: &str = "dry-run";
    /// `--timeout SECONDS`.
    pub const TIMEOUT: &str = "timeout";
    /// `--no-retries`.
    pub const NO_RETRIES: &str = "no-retries";
}

/// The two API families, as commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// `digicert partner ...`: Partner Subscriptions API v1.
    Partner,
    /// `digicert certcentral ...`: CertCentral Services API v2.
    CertCentral,
}

impl Api {
    /// Both, in the order the help lists them.
    pub const ALL: [Api; 2] = [Api::Partner, Api::CertCentral];

    /// The subcommand.
    pub fn command_name(self) -> &'static str {
        match self {
            Api::Partner => "partner",
            Api::CertCentral => "certcentral",
        }
    }

    /// The API's name in messages.
    pub fn title(self) -> &'static str {
        match self {
            Api::Partner => "Partner Subscriptions API v1",
            Api::CertCentral => "CertCentral Services API v2",
        }
    }

    /// The environment variable of its key.
    pub fn key_var(self) -> &'static str {
        match self {
            Api::Partner => partner::Client::API_KEY_VAR,
            Api::CertCentral => services::Client::API_KEY_VAR,
        }
    }

    /// The environment variable of its base URL.
    pub fn url_var(self) -> &'static str {
        match self {
            Api::Partner => partner::Client::BASE_URL_VAR,
            Api::CertCentral => services::Client::BASE_URL_VAR,
        }
    }

    /// The header its key goes in.
    pub fn key_header(self) -> &'static str {
        match self {
            Api::Partner => partner::Client::API_KEY_HEADER,
            Api::CertCentral => services::Client::API_KEY_HEADER,
        }
    }

    /// By subcommand name.
    pub fn from_command(name: &str) -> Option<Api> {
        Api::ALL.into_iter().find(|api| api.command_name() == name)
    }

    fn command(self) -> Command {
        let (production, operations): (String, Vec<Command>) = match self {
            Api::Partner => (
                partner::Client::PRODUCTION_URL.to_owned(),
                generated::partner::CliCommand::iter()
                    .map(generated::partner::Cli::<Output>::get_command)
                    .collect(),
            ),
            Api::CertCentral => (
                format!(
                    "{} (--eu: {})",
                    services::Client::PRODUCTION_URL,
                    services::Client::EU_URL
                ),
                generated::services::CliCommand::iter()
                    .map(generated::services::Cli::<Output>::get_command)
                    .collect(),
            ),
        };
        let about = format!("{} (key: ${})", self.title(), self.key_var());
        let long_about = format!(
            "{}: one command per operation, named after its operationId. The key goes in the {} header; it comes from {}, --api-key-file or --api-key-stdin. Requests go to {} unless --base-url{} or {} says otherwise.",
            self.title(),
            self.key_header(),
            self.key_var(),
            production,
            if self == Api::CertCentral {
                ", --eu"
            } else {
                ""
            },
            self.url_var(),
        );
        let mut command = Command::new(self.command_name())
            .about(about)
            .long_about(long_about)
            .subcommand_required(true)
            .arg_required_else_help(true)
            .subcommands(operations);
        if self == Api::CertCentral {
            command = command.arg(
                Arg::new(flags::EU)
                    .long(flags::EU)
                    .global(true)
                .help_heading(GLOBAL)
                    .action(ArgAction::SetTrue)
                    .help(format!(
                        "Send the request to CertCentral Europe ({}), for accounts in the EU instance",
                        services::Client::EU_URL
                    )),
            );
        }
        command
    }
}

/// The whole command tree.
pub fn command() -> Command {
    let mut command = Command::new(BIN)
        .version(env!("CARGO_PKG_VERSION"))
        .about("Call every operation of DigiCert's Partner Subscriptions API v1 and CertCentral Services API v2")
        .long_about(LONG_ABOUT.replace("{partner_var}", partner::Client::API_KEY_VAR).replace("{services_var}", services::Client::API_KEY_VAR))
        .after_long_help(Exit::text_table())
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(
            Arg::new(flags::API_KEY_FILE)
                .long(flags::API_KEY_FILE)
                .value_name("PATH")
                .global(true)
                .help_heading(GLOBAL)
                .value_parser(value_parser!(std::path::PathBuf))
                .help("Read the API key from this file (surrounding whitespace ignored) instead of the API's environment variable"),
        )
        .arg(
            Arg::new(flags::API_KEY_STDIN)
                .long(flags::API_KEY_STDIN)
                .global(true)
                .help_heading(GLOBAL)
                .action(ArgAction::SetTrue)
                .conflicts_with(flags::API_KEY_FILE)
                .help("Read the API key from standard input"),
        )
        .arg(
            Arg::new(flags::BASE_URL)
                .long(flags::BASE_URL)
                .value_name("URL")
                .global(true)
                .help_heading(GLOBAL)
                .help("Send requests to this base URL instead of DigiCert's production URL (or the API's *_BASE_URL variable)"),
        )
        .arg(
            Arg::new(flags::DRY_RUN)
                .long(flags::DRY_RUN)
                .global(true)
                .help_heading(GLOBAL)
                .action(ArgAction::SetTrue)
                .help("Print the request that would be sent (method, URL, headers with keys redacted, body) as JSON, and send nothing"),
        )
        .arg(
            Arg::new(flags::TIMEOUT)
                .long(flags::TIMEOUT)
                .value_name("SECONDS")
                .global(true)
                .help_heading(GLOBAL)
                .value_parser(value_parser!(u64).range(1..=3600))
                .help(format!(
                    "Give up on one attempt after this many seconds (default {}; a whole call with its retries may take {} seconds or this, whichever is longer)",
                    digicert::DEFAULT_TIMEOUT.as_secs(),
                    digicert::DEFAULT_DEADLINE.as_secs()
                )),
        )
        .arg(
            Arg::new(flags::NO_RETRIES)
                .long(flags::NO_RETRIES)
                .global(true)
                .help_heading(GLOBAL)
                .action(ArgAction::SetTrue)
                .help("Send every request once: no retries after a 429, a 5xx or a broken connection"),
        );
    if cfg!(feature = "sandbox") {
        command = command.arg(
            Arg::new(flags::SANDBOX)
                .long(flags::SANDBOX)
                .global(true)
                .help_heading(GLOBAL)
                .action(ArgAction::SetTrue)
                .help("Run against an in-process digicert-sandbox started for this command only (built-in seed); without a key flag, its seeded key for the operation is used and environment keys are ignored"),
        );
    }
    for api in Api::ALL {
        command = command.subcommand(api.command());
    }
    command.subcommand(
        Command::new("completions")
            .about("Print a shell completion script")
            .arg(
                Arg::new("shell")
                    .required(true)
                    .value_parser(value_parser!(clap_complete::Shell))
                    .help("The shell to complete for"),
            ),
    )
}

const LONG_ABOUT: &str = "\
Call every operation of DigiCert's Partner Subscriptions API v1 (`digicert partner ...`) and \
CertCentral Services API v2 (`digicert certcentral ...`). The commands are generated from the \
same OpenAPI specs as the `digicert` Rust client, and run through it (its retries, rate limit \
and timeouts).

Keys: from {partner_var} (Partner) or {services_var} (CertCentral), or --api-key-file PATH, \
or --api-key-stdin; never as a command-line value, which would show in `ps` and in shell \
history.

Output: the response body as JSON on stdout (pretty on a terminal, compact otherwise) and \
nothing else; operations without a body print nothing. Diagnostics go to stderr. Keys and \
secrets in a response never reach stdout: they are redacted there, and the whole response is \
written to --secrets-file.";
