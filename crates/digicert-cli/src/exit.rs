//! Exit codes by class of failure, the one table they are documented from (`--help`, the
//! README), and [`CliError`], the command's own failures (everything that is not an answer
//! from DigiCert).

use std::fmt;
use std::process::ExitCode;

use digicert::{ErrorKind, StatusCode};

/// A class of outcome and its exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The call succeeded (or help, a template, completions were printed).
    Success,
    /// Something the command did not expect: a bug, or output that could not be written.
    Internal,
    /// The command line or its input is wrong: unknown flags, a missing or unreadable key,
    /// a body that does not parse, a bad base URL. Nothing was sent.
    Usage,
    /// DigiCert refused the key: 401 (unknown, inactive) or 403 (the wrong kind of key, or
    /// someone else's resource).
    Auth,
    /// 404: nothing with that ID.
    NotFound,
    /// Another 4xx: DigiCert rejected the request as it is (a rule, a missing field).
    Rejected,
    /// 429, 408 or a 5xx, still so after the client's retries: try again later.
    Unavailable,
    /// No answer: no connection, a broken connection, or a timeout.
    Transport,
    /// An answer the spec does not describe: a body that does not decode, an undocumented
    /// success status, a redirect.
    Unexpected,
}

impl Exit {
    /// Every class, in code order (the documented table).
    pub const ALL: [Exit; 9] = [
        Exit::Success,
        Exit::Internal,
        Exit::Usage,
        Exit::Auth,
        Exit::NotFound,
        Exit::Rejected,
        Exit::Unavailable,
        Exit::Transport,
        Exit::Unexpected,
    ];

    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Internal => 1,
            Exit::Usage => 2,
            Exit::Auth => 3,
            Exit::NotFound => 4,
            Exit::Rejected => 5,
            Exit::Unavailable => 6,
            Exit::Transport => 7,
            Exit::Unexpected => 8,
        }
    }

    /// The class's name in the table.
    pub fn name(self) -> &'static str {
        match self {
            Exit::Success => "success",
            Exit::Internal => "internal",
            Exit::Usage => "usage",
            Exit::Auth => "auth",
            Exit::NotFound => "not found",
            Exit::Rejected => "rejected request",
            Exit::Unavailable => "rate limited / unavailable",
            Exit::Transport => "transport",
            Exit::Unexpected => "unexpected answer",
        }
    }

    /// When it happens.
    pub fn meaning(self) -> &'static str {
        match self {
            Exit::Success => {
                "the call succeeded, or help, a body template or completions were printed"
            }
            Exit::Internal => "a failure the command did not expect, such as stdout closed early",
            Exit::Usage => {
                "bad flags or input: an unknown flag, a missing or unreadable key, a --json-body \
                 that does not parse, a bad base URL; nothing was sent"
            }
            Exit::Auth => {
                "DigiCert refused the key: 401 (unknown or inactive key) or 403 (the wrong kind \
                 of key, or another account's resource)"
            }
            Exit::NotFound => "404: nothing with that ID",
            Exit::Rejected => "another 4xx: DigiCert rejected the request as it is",
            Exit::Unavailable => "429, 408 or 5xx, still so after the client's retries",
            Exit::Transport => {
                "no answer: no connection, a connection broken mid-call, or a timeout"
            }
            Exit::Unexpected => {
                "an answer the spec does not describe: a body that does not decode, an \
                 undocumented success status, a redirect"
            }
        }
    }

    /// The class of a failed call.
    pub fn of(err: &digicert::Error) -> Exit {
        match err.kind() {
            ErrorKind::Api => match err.status() {
                Some(StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) => Exit::Auth,
                Some(StatusCode::NOT_FOUND) => Exit::NotFound,
                Some(StatusCode::TOO_MANY_REQUESTS | StatusCode::REQUEST_TIMEOUT) => {
                    Exit::Unavailable
                }
                Some(status) if status.is_server_error() => Exit::Unavailable,
                Some(status) if status.is_client_error() => Exit::Rejected,
                _ => Exit::Unexpected,
            },
            ErrorKind::Redirect | ErrorKind::Decode => Exit::Unexpected,
            ErrorKind::Timeout | ErrorKind::Connect | ErrorKind::Transport => Exit::Transport,
            ErrorKind::InvalidRequest | ErrorKind::Config => Exit::Usage,
            _ => Exit::Internal,
        }
    }

    /// The table as Markdown (the README carries a copy; a test keeps them equal).
    pub fn markdown_table() -> String {
        let mut out = String::from("| code | class | when |\n|---|---|---|\n");
        for exit in Exit::ALL {
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                exit.code(),
                exit.name(),
                exit.meaning()
            ));
        }
        out
    }

    /// The table as plain text, for `--help`.
    pub fn text_table() -> String {
        let mut out = String::from("Exit codes:\n");
        for exit in Exit::ALL {
            out.push_str(&format!(
                "  {}  {:<27} {}\n",
                exit.code(),
                exit.name(),
                exit.meaning()
            ));
        }
        out
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit.code())
    }
}

/// A failure of the command itself, with its class. Its message never holds a key.
#[derive(Debug)]
pub struct CliError {
    exit: Exit,
    message: String,
}

impl CliError {
    /// Bad flags or input.
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            exit: Exit::Usage,
            message: message.into(),
        }
    }

    /// Something the command did not expect.
    pub fn internal(message: impl Into<String>) -> Self {
        Self {
            exit: Exit::Internal,
            message: message.into(),
        }
    }

    /// The exit class.
    pub fn exit(&self) -> Exit {
        self.exit
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_in_order() {
        let codes: Vec<u8> = Exit::ALL.iter().map(|e| e.code()).collect();
        assert_eq!(codes, (0..9).collect::<Vec<u8>>());
    }

    #[test]
    fn the_issue_fixes_the_first_codes() {
        assert_eq!(Exit::Usage.code(), 2);
        assert_eq!(Exit::Auth.code(), 3);
        assert_eq!(Exit::NotFound.code(), 4);
        assert_eq!(Exit::Rejected.code(), 5);
        assert_eq!(Exit::Unavailable.code(), 6);
        assert_eq!(Exit::Transport.code(), 7);
    }
}
