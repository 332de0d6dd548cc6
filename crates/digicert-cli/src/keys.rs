//! Where API keys come from: a file (`--api-key-file PATH`), standard input
//! (`--api-key-stdin`), the family's environment variable, or, with `--sandbox`, the
//! sandbox's seeded keys. Never a plain command-line value: that would show in `ps` and in
//! shell history. Errors name the file, flag or variable, never the key.

use std::io::Read;
use std::path::{Path, PathBuf};

use digicert::ApiKey;

use crate::exit::CliError;

/// Where one key may come from, as the command line and the environment say.
#[derive(Debug, Clone)]
pub struct KeyFlags {
    /// The `--…-file` flag's name and value.
    pub file: (String, Option<PathBuf>),
    /// The `--…-stdin` flag's name and whether it was given.
    pub stdin: (String, bool),
    /// The environment variable to read when neither flag is given (`None` with
    /// `--sandbox`, which never reads production keys from the environment).
    pub env_var: Option<&'static str>,
}

/// Where a key came from, for the stderr note (never the key itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// `--…-file PATH`.
    File(PathBuf),
    /// `--…-stdin`.
    Stdin,
    /// An environment variable.
    Env(&'static str),
    /// A key the caller supplied otherwise (the sandbox's seed).
    Other(String),
}

impl KeyFlags {
    /// The key from the first source that has one; `fallback` (the sandbox's seeded key)
    /// when none does, else an error that says what to set.
    pub fn resolve(
        &self,
        what: &str,
        fallback: Option<(ApiKey, String)>,
    ) -> Result<(ApiKey, KeySource), CliError> {
        let (file_flag, file) = &self.file;
        let (stdin_flag, stdin) = &self.stdin;
        if let Some(path) = file {
            return Ok((
                read_key_file(path, file_flag)?,
                KeySource::File(path.clone()),
            ));
        }
        if *stdin {
            return Ok((read_key_stdin(stdin_flag)?, KeySource::Stdin));
        }
        if let Some(var) = self.env_var {
            match std::env::var(var) {
                Ok(value) => {
                    let key = checked(value.trim(), &format!("{var}: "))
                        .map_err(|e| CliError::usage(format!("{e}; set {var} to the API key")))?;
                    return Ok((key, KeySource::Env(var)));
                }
                Err(std::env::VarError::NotUnicode(_)) => {
                    return Err(CliError::usage(format!("{var} is not valid UTF-8")));
                }
                Err(std::env::VarError::NotPresent) => {}
            }
        }
        if let Some((key, from)) = fallback {
            return Ok((key, KeySource::Other(from)));
        }
        let env = match self.env_var {
            Some(var) => format!("set {var}, or "),
            None => String::new(),
        };
        Err(CliError::usage(format!(
            "no {what}: {env}pass --{file_flag} PATH or --{stdin_flag}"
        )))
    }
}

/// A key as the client takes it; the error says where it came from, never what it is.
fn checked(text: &str, origin: &str) -> Result<ApiKey, CliError> {
    if text.is_empty() {
        return Err(CliError::usage(format!("{origin}the API key is empty")));
    }
    ApiKey::new(text).map_err(|e| {
        let message = e.to_string();
        let message = message
            .strip_prefix("client configuration: ")
            .unwrap_or(&message);
        CliError::usage(format!("{origin}{message}"))
    })
}

/// Reads a key file: the key, surrounding whitespace (a trailing newline) ignored.
fn read_key_file(path: &Path, flag: &str) -> Result<ApiKey, CliError> {
    let origin = format!("--{flag} {}: ", path.display());
    let bytes =
        std::fs::read(path).map_err(|e| CliError::usage(format!("{origin}cannot read it: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| CliError::usage(format!("{origin}the file is not UTF-8 text")))?;
    checked(text.trim(), &origin)
}

/// Reads a key from standard input, up to its end.
fn read_key_stdin(flag: &str) -> Result<ApiKey, CliError> {
    let origin = format!("--{flag}: ");
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| CliError::usage(format!("{origin}cannot read standard input: {e}")))?;
    checked(text.trim(), &origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(file: Option<PathBuf>) -> KeyFlags {
        KeyFlags {
            file: ("api-key-file".into(), file),
            stdin: ("api-key-stdin".into(), false),
            env_var: None,
        }
    }

    #[test]
    fn a_missing_key_says_what_to_pass() {
        let err = flags(None).resolve("Partner API key", None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no Partner API key: pass --api-key-file PATH or --api-key-stdin"
        );
    }

    #[test]
    fn key_files_are_trimmed_and_their_errors_never_show_the_key() {
        let dir = std::env::temp_dir().join(format!("digicert-cli-keys-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("good");
        std::fs::write(&good, "  key-123\n").unwrap();
        let (key, source) = flags(Some(good.clone())).resolve("key", None).unwrap();
        assert_eq!(key.expose(), "key-123");
        assert_eq!(source, KeySource::File(good));

        let bad = dir.join("bad");
        std::fs::write(&bad, "two secret-words\n").unwrap();
        let err = flags(Some(bad))
            .resolve("key", None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("--api-key-file"), "{err}");
        assert!(err.contains("cannot be sent in an HTTP header"), "{err}");
        assert!(!err.contains("secret-words"), "{err}");

        let empty = dir.join("empty");
        std::fs::write(&empty, "\n").unwrap();
        let err = flags(Some(empty))
            .resolve("key", None)
            .unwrap_err()
            .to_string();
        assert!(err.ends_with("the API key is empty"), "{err}");

        let missing = dir.join("missing");
        let err = flags(Some(missing))
            .resolve("key", None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("cannot read it"), "{err}");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn the_fallback_comes_last() {
        let key = ApiKey::new("seeded").unwrap();
        let (got, source) = flags(None)
            .resolve("key", Some((key, "the sandbox's seed".into())))
            .unwrap();
        assert_eq!(got.expose(), "seeded");
        assert_eq!(source, KeySource::Other("the sandbox's seed".into()));
    }
}
