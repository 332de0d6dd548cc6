//! One run of `digicert`: parse the command line, answer `--json-body-template` and
//! `completions` without a key, otherwise pick the base URL and key, build the client,
//! run the generated command, and turn the outcome into an exit code.

use std::cell::Cell;
use std::path::PathBuf;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Duration;

use clap::ArgMatches;
use digicert::{ClientBuilder, Operation, RetryPolicy, partner, services};

use crate::app::{self, Api, flags};
use crate::exit::{CliError, Exit};
use crate::generated;
use crate::keys::{KeyFlags, KeySource};
use crate::output::{
    Fallbacks, Output, OutputSettings, SecretsFile, print_json, stdout_is_terminal,
};

/// What the generated `CliCommand` of either family says about one command.
struct CommandFacts {
    operation: &'static Operation,
    template: Option<&'static str>,
    secrets: &'static [&'static str],
    page_items: Option<&'static str>,
}

macro_rules! command_facts {
    ($command:expr) => {
        CommandFacts {
            operation: $command.operation(),
            template: $command.json_body_template(),
            secrets: $command.secret_fields(),
            page_items: $command.page_items(),
        }
    };
}

/// Runs `digicert` with the process's arguments and returns its exit code.
pub fn main() -> ExitCode {
    let matches = match app::command().try_get_matches() {
        Ok(matches) => matches,
        Err(err) => {
            // Help and --version go to stdout with code 0; usage errors to stderr with 2.
            let _ = err.print();
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(Exit::Usage.code()));
        }
    };
    let reported = Rc::new(Cell::new(false));
    match run(&matches, &reported) {
        Ok(()) => Exit::Success.into(),
        Err(err) => {
            let exit = classify(&err);
            let already = reported.get() && err.downcast_ref::<digicert::Error>().is_some();
            if !already {
                eprintln!("error: {err:#}");
            }
            exit.into()
        }
    }
}

fn classify(err: &anyhow::Error) -> Exit {
    if let Some(err) = err.downcast_ref::<CliError>() {
        err.exit()
    } else if let Some(err) = err.downcast_ref::<digicert::Error>() {
        Exit::of(err)
    } else {
        Exit::Internal
    }
}

fn run(matches: &ArgMatches, reported: &Rc<Cell<bool>>) -> anyhow::Result<()> {
    let Some((name, family_matches)) = matches.subcommand() else {
        return Err(CliError::usage("no command given (see --help)").into());
    };
    if name == "completions" {
        return completions(family_matches);
    }
    let api = Api::from_command(name)
        .ok_or_else(|| CliError::internal(format!("no API for the command `{name}`")))?;
    let Some((op_name, op_matches)) = family_matches.subcommand() else {
        return Err(
            CliError::usage(format!("digicert {name}: no operation given (see --help)")).into(),
        );
    };
    // The two families differ only in their generated module and client type.
    macro_rules! run_operation {
        ($family:ident) => {{
            let command = generated::$family::CliCommand::iter()
                .find(|c| c.name() == op_name)
                .ok_or_else(|| CliError::internal(format!("no operation `{op_name}`")))?;
            let plan = Plan::new(api, op_name, op_matches, reported, command_facts!(command))?;
            let Some(plan) = plan else { return Ok(()) };
            runtime()?.block_on(async move {
                let (target, output, key) = plan.prepare().await?;
                let client = plan
                    .configure($family::Client::builder(key), &target)
                    .build()
                    .map_err(|e| CliError::usage(e.to_string()))?;
                let result = generated::$family::Cli::new(client, output)
                    .execute(command, op_matches)
                    .await;
                target.finish().await;
                result
            })
        }};
    }
    match api {
        Api::Partner => run_operation!(partner),
        Api::CertCentral => run_operation!(services),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::internal(format!("cannot start the async runtime: {e}")))
}

fn completions(matches: &ArgMatches) -> anyhow::Result<()> {
    let shell = *matches
        .get_one::<clap_complete::Shell>("shell")
        .ok_or_else(|| CliError::usage("completions: which shell?"))?;
    // Into memory first: clap_complete panics when stdout closes early (`| head`).
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut app::command(), app::BIN, &mut script);
    crate::output::write_stdout(&String::from_utf8_lossy(&script))
}

/// A flag's value, or `None` where the command does not define the flag (`--eu` outside
/// `certcentral`, `--sandbox` without the feature).
fn flag(matches: &ArgMatches, id: &str) -> bool {
    matches.try_get_one::<bool>(id).ok().flatten().copied() == Some(true)
}

fn value<T: Clone + Send + Sync + 'static>(matches: &ArgMatches, id: &str) -> Option<T> {
    matches.try_get_one::<T>(id).ok().flatten().cloned()
}

/// Where requests go.
enum Target {
    /// A base URL (`None`: the client's default, DigiCert's production URL).
    Url(Option<String>),
    /// `--sandbox`.
    #[cfg(feature = "sandbox")]
    Sandbox(crate::sandbox::Running),
}

impl Target {
    async fn finish(self) {
        match self {
            Target::Url(_) => {}
            #[cfg(feature = "sandbox")]
            Target::Sandbox(sandbox) => sandbox.stop().await,
        }
    }
}

/// Everything decided from the command line before anything is sent.
struct Plan<'a> {
    api: Api,
    command: String,
    matches: &'a ArgMatches,
    facts: CommandFacts,
    reported: Rc<Cell<bool>>,
    dry_run: bool,
    sandbox: bool,
    base_url: Option<String>,
    eu: bool,
    timeout: Option<Duration>,
    no_retries: bool,
    secrets_file: Option<Rc<SecretsFile>>,
}

impl<'a> Plan<'a> {
    /// Reads the flags; `Ok(None)` when the command is done (`--json-body-template`).
    fn new(
        api: Api,
        op_name: &str,
        matches: &'a ArgMatches,
        reported: &Rc<Cell<bool>>,
        facts: CommandFacts,
    ) -> Result<Option<Self>, CliError> {
        let template_flag = generated::partner::args::JSON_BODY_TEMPLATE;
        if let Some(template) = facts.template
            && flag(matches, template_flag)
        {
            let value: serde_json::Value = serde_json::from_str(template).map_err(|e| {
                CliError::internal(format!("the embedded example body does not parse: {e}"))
            })?;
            print_json(&value, stdout_is_terminal())
                .map_err(|e| CliError::internal(e.to_string()))?;
            return Ok(None);
        }
        let command = format!("{} {op_name}", api.command_name());
        let sandbox = flag(matches, flags::SANDBOX);
        let base_url = value::<String>(matches, flags::BASE_URL);
        let eu = flag(matches, flags::EU);
        let where_to: Vec<&str> = [
            (sandbox, "--sandbox"),
            (base_url.is_some(), "--base-url"),
            (eu, "--eu"),
        ]
        .into_iter()
        .filter_map(|(given, name)| given.then_some(name))
        .collect();
        if where_to.len() > 1 {
            return Err(CliError::usage(format!(
                "{} each say where to send the request: give one",
                where_to.join(" and ")
            )));
        }
        // Standard input can be read once.
        let mut stdin_readers: Vec<String> = matches
            .ids()
            .map(|id| id.as_str())
            .filter(|id| id.ends_with("-stdin") && flag(matches, id))
            .map(|id| format!("--{id}"))
            .collect();
        let json_body = generated::partner::args::JSON_BODY;
        if value::<PathBuf>(matches, json_body).is_some_and(|p| p.as_os_str() == "-") {
            stdin_readers.push(format!("--{json_body} -"));
        }
        if stdin_readers.len() > 1 {
            return Err(CliError::usage(format!(
                "{} all read standard input, which can be read once: put all but one in a file",
                stdin_readers.join(" and ")
            )));
        }
        let dry_run = flag(matches, flags::DRY_RUN);
        let secrets_flag = generated::partner::args::SECRETS_FILE;
        let secrets_file = match value::<PathBuf>(matches, secrets_flag) {
            _ if facts.secrets.is_empty() || dry_run => None,
            Some(path) => Some(Rc::new(SecretsFile::create(&path)?)),
            None => {
                return Err(CliError::usage(format!(
                    "{command}: the response holds a key or secret DigiCert shows only once, and stdout never shows it: pass --{secrets_flag} PATH (a new file) to keep it"
                )));
            }
        };
        Ok(Some(Self {
            api,
            command,
            matches,
            facts,
            reported: Rc::clone(reported),
            dry_run,
            sandbox,
            base_url,
            eu,
            timeout: value::<u64>(matches, flags::TIMEOUT).map(Duration::from_secs),
            no_retries: flag(matches, flags::NO_RETRIES),
            secrets_file,
        }))
    }

    /// Starts the sandbox if asked, finds the key and sets up the output.
    async fn prepare(&self) -> Result<(Target, Output, digicert::ApiKey), CliError> {
        let (target, fallbacks): (Target, Fallbacks) = if self.sandbox {
            self.start_sandbox().await?
        } else {
            let url = match (&self.base_url, self.eu) {
                (Some(url), _) => Some(url.clone()),
                (None, true) => Some(services::Client::EU_URL.to_owned()),
                (None, false) => match std::env::var(self.api.url_var()) {
                    Ok(url) if url.trim().is_empty() => {
                        return Err(CliError::usage(format!(
                            "{} is set but empty; unset it to use DigiCert's production URL",
                            self.api.url_var()
                        )));
                    }
                    Ok(url) => Some(url),
                    Err(std::env::VarError::NotUnicode(_)) => {
                        return Err(CliError::usage(format!(
                            "{} is not valid UTF-8",
                            self.api.url_var()
                        )));
                    }
                    Err(std::env::VarError::NotPresent) => None,
                },
            };
            (Target::Url(url), Vec::new())
        };
        let flags = KeyFlags {
            file: (
                flags::API_KEY_FILE.to_owned(),
                value::<PathBuf>(self.matches, flags::API_KEY_FILE),
            ),
            stdin: (
                flags::API_KEY_STDIN.to_owned(),
                flag(self.matches, flags::API_KEY_STDIN),
            ),
            env_var: (!self.sandbox).then(|| self.api.key_var()),
        };
        let own = fallbacks
            .iter()
            .find(|(header, _, _)| *header == self.api.key_header())
            .map(|(_, key, why)| (key.clone(), why.clone()));
        let (key, source) = flags.resolve(&format!("API key for the {}", self.api.title()), own)?;
        if let KeySource::Other(why) = &source {
            eprintln!("digicert: --sandbox: using {why}");
        }
        let output = Output::new(OutputSettings {
            dry_run: self.dry_run,
            command: self.command.clone(),
            operation: self.facts.operation,
            secrets: self.facts.secrets,
            page_items: self.facts.page_items,
            secrets_file: self.secrets_file.clone(),
            fallbacks,
            read_env: !self.sandbox,
            reported: Rc::clone(&self.reported),
        });
        Ok((target, output, key))
    }

    #[cfg(feature = "sandbox")]
    async fn start_sandbox(&self) -> Result<(Target, Fallbacks), CliError> {
        let sandbox = crate::sandbox::Running::start().await?;
        let fallbacks = sandbox.fallbacks(self.api, self.facts.operation);
        Ok((Target::Sandbox(sandbox), fallbacks))
    }

    #[cfg(not(feature = "sandbox"))]
    async fn start_sandbox(&self) -> Result<(Target, Fallbacks), CliError> {
        Err(CliError::usage(
            "--sandbox needs the `sandbox` feature, which this build of digicert lacks",
        ))
    }

    /// Base URL, timeouts and retries on the client builder.
    fn configure<C>(&self, builder: ClientBuilder<C>, target: &Target) -> ClientBuilder<C> {
        let mut builder = match target {
            Target::Url(Some(url)) => builder.base_url(url.clone()),
            Target::Url(None) => builder,
            #[cfg(feature = "sandbox")]
            Target::Sandbox(sandbox) => builder.base_url(sandbox.base_url(self.api)),
        };
        if let Some(timeout) = self.timeout {
            builder = builder
                .timeout(timeout)
                .deadline(timeout.max(digicert::DEFAULT_DEADLINE));
        }
        if self.no_retries {
            builder = builder.retry(RetryPolicy::disabled());
        }
        builder
    }
}
