//! [`Output`]: the generated commands' host (`CliConfig` of both families). JSON goes to
//! stdout (pretty on a terminal, compact otherwise) and nothing else does; diagnostics go
//! to stderr. Keys and secrets in a response are redacted on stdout and written whole to
//! `--secrets-file` only.

use std::cell::{Cell, RefCell};
use std::fs::File;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use clap::ArgMatches;
use digicert::{ApiKey, Operation, RequestPreview, Response};
use serde_json::Value;

use crate::exit::CliError;
use crate::generated::partner::args;
use crate::keys::KeyFlags;

/// What a redacted value shows instead.
pub const REDACTED: &str = "<redacted>";

/// The file a response with a key or secret is written to. It is created (new, readable
/// by the owner alone) before the request is sent, so that a bad path fails before
/// anything happens; it is removed again if the call does not succeed.
#[derive(Debug)]
pub struct SecretsFile {
    path: PathBuf,
    file: RefCell<Option<File>>,
    written: Cell<bool>,
}

impl SecretsFile {
    /// Creates `path`, which must not exist yet.
    pub fn create(path: &Path) -> Result<Self, CliError> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(path).map_err(|e| {
            CliError::usage(format!(
                "--{} {}: cannot create it: {e} (it must not exist yet)",
                args::SECRETS_FILE,
                path.display()
            ))
        })?;
        Ok(Self {
            path: path.to_owned(),
            file: RefCell::new(Some(file)),
            written: Cell::new(false),
        })
    }

    fn write(&self, value: &Value) -> Result<(), CliError> {
        let failed = |e: &dyn std::fmt::Display| {
            CliError::internal(format!(
                "the response holds a key or secret DigiCert shows only once, and writing it to {} failed: {e}",
                self.path.display()
            ))
        };
        let mut file = self
            .file
            .borrow_mut()
            .take()
            .ok_or_else(|| failed(&"it was written already"))?;
        let mut text = serde_json::to_string_pretty(value).map_err(|e| failed(&e))?;
        text.push('\n');
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| failed(&e))?;
        self.written.set(true);
        Ok(())
    }
}

impl Drop for SecretsFile {
    fn drop(&mut self) {
        if !self.written.get() {
            self.file.borrow_mut().take();
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// A key this command may fall back on (the sandbox's seeded keys): its header and why.
pub type Fallbacks = Vec<(&'static str, ApiKey, String)>;

/// Everything a command's output depends on.
pub struct Output {
    pretty: bool,
    dry_run: bool,
    /// The command, for messages and hints (`partner get-api-key`).
    command: String,
    operation: &'static Operation,
    secrets: &'static [&'static str],
    page_items: Option<&'static str>,
    secrets_file: Option<Rc<SecretsFile>>,
    fallbacks: Fallbacks,
    read_env: bool,
    progress: bool,
    listed: Cell<u64>,
    /// Set once a failed call has been reported, so that it is not reported twice.
    reported: Rc<Cell<bool>>,
}

/// How [`Output`] is set up.
pub struct OutputSettings {
    /// `--dry-run`.
    pub dry_run: bool,
    /// `partner get-api-key`.
    pub command: String,
    /// The operation.
    pub operation: &'static Operation,
    /// JSON pointers of secrets in the success body.
    pub secrets: &'static [&'static str],
    /// The array of a paged list's items.
    pub page_items: Option<&'static str>,
    /// `--secrets-file`.
    pub secrets_file: Option<Rc<SecretsFile>>,
    /// Keys to use when no flag or variable gives one.
    pub fallbacks: Fallbacks,
    /// Whether keys may come from environment variables (not with `--sandbox`).
    pub read_env: bool,
    /// Shared with the caller: whether a failed call was reported.
    pub reported: Rc<Cell<bool>>,
}

impl Output {
    /// An output for one command.
    pub fn new(settings: OutputSettings) -> Self {
        Self {
            pretty: std::io::stdout().is_terminal(),
            dry_run: settings.dry_run,
            command: settings.command,
            operation: settings.operation,
            secrets: settings.secrets,
            page_items: settings.page_items,
            secrets_file: settings.secrets_file,
            fallbacks: settings.fallbacks,
            read_env: settings.read_env,
            progress: std::io::stderr().is_terminal(),
            listed: Cell::new(0),
            reported: settings.reported,
        }
    }

    fn json<T: serde::Serialize>(&self, value: &T) -> anyhow::Result<Value> {
        serde_json::to_value(value).map_err(|e| {
            anyhow::Error::new(CliError::internal(format!(
                "the response could not be turned into JSON: {e}"
            )))
        })
    }

    fn success<T: serde::Serialize>(&self, value: &Response<T>) -> anyhow::Result<()> {
        let mut body = self.json(&**value)?;
        if !self.secrets.is_empty() {
            match &self.secrets_file {
                Some(file) => {
                    file.write(&body)?;
                    let _ = writeln!(
                        std::io::stderr(),
                        "digicert: the whole response, with its key or secret (DigiCert shows it only once), is in {}; stdout shows it redacted",
                        file.path.display()
                    );
                }
                None => {
                    return Err(CliError::internal(
                        "a response with a key or secret arrived without --secrets-file",
                    )
                    .into());
                }
            }
            for pointer in self.secrets {
                redact(&mut body, pointer);
            }
        }
        print_json(&body, self.pretty)
    }

    fn list_item_json<T: serde::Serialize>(
        &self,
        value: &T,
        total: Option<i64>,
    ) -> anyhow::Result<()> {
        let mut item = self.json(value)?;
        if let Some(items) = self.page_items {
            let prefix = format!("/{items}/*");
            for pointer in self.secrets {
                if let Some(rest) = pointer.strip_prefix(&prefix) {
                    redact(&mut item, rest);
                }
            }
        }
        let first = self.listed.get() == 0;
        self.listed.set(self.listed.get() + 1);
        let text = render_json(&item, self.pretty, 1);
        let separator = match (first, self.pretty) {
            (true, true) => "\n  ",
            (true, false) => "",
            (false, true) => ",\n  ",
            (false, false) => ",",
        };
        write_stdout(&format!("{separator}{text}"))?;
        if self.progress {
            let of = total.map(|t| format!(" of {t}")).unwrap_or_default();
            let _ = write!(
                std::io::stderr(),
                "\r\x1b[2Kfetched {}{of}",
                self.listed.get()
            );
        }
        Ok(())
    }

    fn end_list(&self) -> anyhow::Result<()> {
        if self.progress {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
        let end = if self.pretty && self.listed.get() > 0 {
            "\n]\n"
        } else {
            "]\n"
        };
        write_stdout(end)
    }

    fn report(&self, err: &digicert::Error) {
        self.reported.set(true);
        let mut out = String::new();
        match err
            .status()
            .filter(|_| err.kind() == digicert::ErrorKind::Api)
        {
            Some(status) => {
                out.push_str(&format!(
                    "error: {}: DigiCert answered {status}",
                    self.command
                ));
                if err.attempts() > 1 {
                    out.push_str(&format!(" (after {} attempts)", err.attempts()));
                }
                out.push('\n');
                for detail in err.errors() {
                    out.push_str(&format!("  code: {}\n", detail.code));
                    out.push_str(&format!("  message: {}\n", detail.message));
                }
                if err.errors().is_empty() {
                    let size = err.body().map_or(0, <[u8]>::len);
                    if size > 0 {
                        out.push_str(&format!(
                            "  ({size} byte body without DigiCert's error list)\n"
                        ));
                    }
                }
                if matches!(status.as_u16(), 401 | 403)
                    && let Some(hint) = scope_hint(&self.command, self.operation)
                {
                    out.push_str(&format!("hint: {hint}\n"));
                }
            }
            None => {
                out.push_str(&format!("error: {}: {err}\n", self.command));
                let mut source = std::error::Error::source(err);
                while let Some(cause) = source {
                    out.push_str(&format!("  caused by: {cause}\n"));
                    source = cause.source();
                }
            }
        }
        let _ = std::io::stderr().write_all(out.as_bytes());
    }

    fn json_body_value<T: serde::de::DeserializeOwned>(
        &self,
        matches: &ArgMatches,
    ) -> anyhow::Result<Option<T>> {
        let Some(path) = matches
            .try_get_one::<PathBuf>(args::JSON_BODY)
            .ok()
            .flatten()
        else {
            return Ok(None);
        };
        let (origin, text) = if path.as_os_str() == "-" {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).map_err(|e| {
                CliError::usage(format!(
                    "--{} -: cannot read standard input: {e}",
                    args::JSON_BODY
                ))
            })?;
            (format!("--{} - (standard input)", args::JSON_BODY), text)
        } else {
            let origin = format!("--{} {}", args::JSON_BODY, path.display());
            let text = std::fs::read_to_string(path)
                .map_err(|e| CliError::usage(format!("{origin}: cannot read it: {e}")))?;
            (origin, text)
        };
        let body = serde_json::from_str(&text).map_err(|e| {
            CliError::usage(format!(
                "{origin}: not a request body of {}: {e} (--{} prints an example)",
                self.operation.id,
                args::JSON_BODY_TEMPLATE
            ))
        })?;
        Ok(Some(body))
    }

    fn preview_request(&self, preview: digicert::Result<RequestPreview>) -> anyhow::Result<()> {
        match preview {
            Ok(preview) => print_json(&preview_json(&preview), self.pretty),
            Err(err) => {
                self.report(&err);
                Err(anyhow::Error::new(err))
            }
        }
    }

    fn second_key(
        &self,
        matches: &ArgMatches,
        header: &str,
        stem: &str,
        env_var: Option<&'static str>,
    ) -> anyhow::Result<ApiKey> {
        let file = format!("{stem}-file");
        let stdin = format!("{stem}-stdin");
        let flags = KeyFlags {
            file: (
                file.clone(),
                matches
                    .try_get_one::<PathBuf>(&file)
                    .ok()
                    .flatten()
                    .cloned(),
            ),
            stdin: (
                stdin.clone(),
                matches.try_get_one::<bool>(&stdin).ok().flatten().copied() == Some(true),
            ),
            env_var: env_var.filter(|_| self.read_env),
        };
        let fallback = self
            .fallbacks
            .iter()
            .find(|(h, _, _)| h.eq_ignore_ascii_case(header))
            .map(|(_, key, why)| (key.clone(), why.clone()));
        let (key, _) = flags.resolve(
            &format!("second API key for {} (sent as {header})", self.command),
            fallback,
        )?;
        Ok(key)
    }
}

/// Why a 401/403 may have happened: which key the operation takes.
fn scope_hint(command: &str, operation: &Operation) -> Option<String> {
    match operation.key_scope {
        digicert::KeyScope::Parent => Some(format!(
            "{command} takes a parent-account key only; a subaccount key is refused"
        )),
        digicert::KeyScope::Subaccount => Some(format!(
            "{command} takes a subaccount key only; a parent-account key is refused"
        )),
        _ => None,
    }
}

/// The preview as JSON: `{method, url, headers: {name: value}, body}`.
fn preview_json(preview: &RequestPreview) -> Value {
    let mut headers = serde_json::Map::new();
    for (name, value) in preview.headers() {
        match headers.get_mut(name) {
            Some(Value::String(existing)) => {
                existing.push_str(", ");
                existing.push_str(value);
            }
            _ => {
                headers.insert(name.clone(), Value::String(value.clone()));
            }
        }
    }
    serde_json::json!({
        "operation": preview.operation().id,
        "method": preview.method(),
        "url": preview.url(),
        "headers": headers,
        "body": preview.body(),
    })
}

/// Replaces the value at `pointer` (`*` matching every array element or object member)
/// with [`REDACTED`]; absent and null values stay as they are.
pub fn redact(value: &mut Value, pointer: &str) {
    fn walk(value: &mut Value, segments: &[String]) {
        let Some((first, rest)) = segments.split_first() else {
            if !value.is_null() {
                *value = Value::String(REDACTED.to_owned());
            }
            return;
        };
        match value {
            Value::Array(items) if first == "*" => {
                items.iter_mut().for_each(|item| walk(item, rest));
            }
            Value::Object(map) if first == "*" => {
                map.values_mut().for_each(|member| walk(member, rest));
            }
            Value::Object(map) => {
                if let Some(member) = map.get_mut(first.as_str()) {
                    walk(member, rest);
                }
            }
            _ => {}
        }
    }
    let segments: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    walk(value, &segments);
}

/// JSON text, pretty (indented by `indent` levels after the first line) or compact.
fn render_json(value: &Value, pretty: bool, indent: usize) -> String {
    if !pretty {
        return value.to_string();
    }
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
    let pad = "  ".repeat(indent);
    text.replace('\n', &format!("\n{pad}"))
}

/// Prints one JSON document on stdout.
pub fn print_json(value: &Value, pretty: bool) -> anyhow::Result<()> {
    write_stdout(&format!("{}\n", render_json(value, pretty, 0)))
}

pub(crate) fn write_stdout(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| CliError::internal(format!("cannot write to standard output: {e}")).into())
}

/// Whether stdout is a terminal (JSON is then pretty-printed).
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// `CliConfig` is generated once per family; both are the same [`Output`].
macro_rules! host {
    ($family:ident) => {
        impl crate::generated::$family::CliConfig for Output {
            fn success_item<T>(&self, value: &Response<T>) -> anyhow::Result<()>
            where
                T: serde::Serialize + std::fmt::Debug,
            {
                self.success(value)
            }

            fn success_no_item(&self, value: &Response<()>) -> anyhow::Result<()> {
                if self.progress {
                    let _ = writeln!(std::io::stderr(), "done: {}", value.status());
                }
                Ok(())
            }

            fn error(&self, value: &digicert::Error) {
                self.report(value);
            }

            fn list_start<T>(&self) -> anyhow::Result<()>
            where
                T: serde::Serialize + std::fmt::Debug,
            {
                write_stdout("[")
            }

            fn list_item<T>(&self, value: &T, total: Option<i64>) -> anyhow::Result<()>
            where
                T: serde::Serialize + std::fmt::Debug,
            {
                self.list_item_json(value, total)
            }

            fn list_end_success<T>(&self) -> anyhow::Result<()>
            where
                T: serde::Serialize + std::fmt::Debug,
            {
                self.end_list()
            }

            fn list_end_error(&self, value: &digicert::Error) {
                // Keep stdout valid JSON; the exit code and stderr say the list is cut short.
                let _ = self.end_list();
                self.report(value);
                let _ = writeln!(
                    std::io::stderr(),
                    "the list above is incomplete: {} item(s) before the failure",
                    self.listed.get()
                );
            }

            fn json_body<T>(&self, matches: &ArgMatches) -> anyhow::Result<Option<T>>
            where
                T: serde::de::DeserializeOwned,
            {
                self.json_body_value(matches)
            }

            fn dry_run(&self) -> bool {
                self.dry_run
            }

            fn preview(&self, preview: digicert::Result<RequestPreview>) -> anyhow::Result<()> {
                self.preview_request(preview)
            }

            fn extra_key(
                &self,
                matches: &ArgMatches,
                header: &str,
                stem: &str,
                env_var: Option<&'static str>,
            ) -> anyhow::Result<ApiKey> {
                self.second_key(matches, header, stem, env_var)
            }
        }
    };
}

host!(partner);
host!(services);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_nested_and_array_fields_and_leaves_the_rest() {
        let mut body = serde_json::json!({
            "api_key": {"id": 1, "api_key": "the-key"},
            "eab": [{"hmac_key": "s1", "kid": "k1"}, {"hmac_key": null}],
            "name": "x"
        });
        redact(&mut body, "/api_key/api_key");
        redact(&mut body, "/eab/*/hmac_key");
        redact(&mut body, "/absent/field");
        assert_eq!(
            body,
            serde_json::json!({
                "api_key": {"id": 1, "api_key": REDACTED},
                "eab": [{"hmac_key": REDACTED, "kid": "k1"}, {"hmac_key": null}],
                "name": "x"
            })
        );
    }

    #[test]
    fn pretty_items_are_indented_inside_the_array() {
        let item = serde_json::json!({"a": 1});
        assert_eq!(render_json(&item, true, 1), "{\n    \"a\": 1\n  }");
        assert_eq!(render_json(&item, false, 1), "{\"a\":1}");
    }
}
