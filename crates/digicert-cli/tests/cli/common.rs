//! The harness: a sandbox per test (its own runtime, on worker threads), the `digicert`
//! binary pointed at it, and a check on every run that no key (seeded, or one a response
//! handed out) shows in stdout or stderr.

use std::cell::RefCell;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use digicert_cli::app::Api;
use digicert_sandbox::{KeyKind, Sandbox, SandboxBuilder};
use serde_json::Value;

/// The binary under test.
pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_digicert");

/// Every environment variable the binary reads: cleared for every run, so that the
/// machine's own settings never leak into a test.
pub(crate) const ENV_VARS: [&str; 4] = [
    "DIGICERT_PARTNER_API_KEY",
    "DIGICERT_PARTNER_BASE_URL",
    "DIGICERT_API_KEY",
    "DIGICERT_BASE_URL",
];

/// Which key a run uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    /// A seeded key, in the API's environment variable.
    Seeded(KeyKind),
    /// A key the sandbox does not know.
    Unknown,
    /// No key at all.
    None,
}

/// One run of the binary.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    /// What was run, for messages.
    pub(crate) what: String,
}

impl Run {
    /// stdout as JSON.
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("{}: stdout is not JSON ({e}):\n{}", self.what, self.stdout))
    }

    /// Panics with the whole run unless it exited with `code`.
    pub(crate) fn expect_code(&self, code: u8) -> &Self {
        assert_eq!(
            self.code,
            i32::from(code),
            "{}: exit code\nstdout:\n{}\nstderr:\n{}",
            self.what,
            self.stdout,
            self.stderr
        );
        self
    }
}

/// A running sandbox and the means to call it through the binary.
pub(crate) struct Lab {
    runtime: tokio::runtime::Runtime,
    sandbox: Option<Sandbox>,
    dir: PathBuf,
    /// Every key a run must never print: the seed's, and those responses handed out.
    secrets: RefCell<Vec<String>>,
}

impl Lab {
    /// A sandbox with the built-in seed.
    pub(crate) fn new() -> Self {
        Self::with(Sandbox::builder())
    }

    /// A sandbox from `builder`.
    pub(crate) fn with(builder: SandboxBuilder) -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let sandbox = runtime
            .block_on(builder.start())
            .expect("the sandbox starts");
        let secrets = sandbox
            .keys()
            .iter()
            .map(|k| k.key.expose().to_owned())
            .collect();
        let dir = std::env::temp_dir().join(format!(
            "digicert-cli-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        Self {
            runtime,
            sandbox: Some(sandbox),
            dir,
            secrets: RefCell::new(secrets),
        }
    }

    pub(crate) fn sandbox(&self) -> &Sandbox {
        self.sandbox.as_ref().expect("running")
    }

    /// A seeded key.
    pub(crate) fn key(&self, kind: KeyKind) -> String {
        self.sandbox()
            .key(kind)
            .expect("seeded")
            .expose()
            .to_owned()
    }

    /// A new path in this lab's scratch directory (nothing is written there).
    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Writes a file in the scratch directory.
    pub(crate) fn file(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, contents).expect("write");
        path
    }

    /// Adds a key a response handed out to the ones no output may show.
    pub(crate) fn learn_secret(&self, secret: &str) {
        self.secrets.borrow_mut().push(secret.to_owned());
    }

    /// The API's base URL on this sandbox.
    pub(crate) fn base_url(&self, api: Api) -> String {
        match api {
            Api::Partner => self.sandbox().partner_url(),
            Api::CertCentral => self.sandbox().services_url(),
        }
    }

    /// `digicert <api> <op> --base-url <sandbox> <args>` with `key` in the API's variable.
    pub(crate) fn call(&self, api: Api, op: &str, key: Key, args: &[&str]) -> Run {
        let mut command = command();
        command
            .arg(api.command_name())
            .arg(op)
            .args(["--base-url", &self.base_url(api)])
            .args(args);
        match key {
            Key::Seeded(kind) => {
                command.env(api.key_var(), self.key(kind));
            }
            Key::Unknown => {
                command.env(api.key_var(), "not-a-key-the-sandbox-knows");
            }
            Key::None => {}
        }
        self.run(command, None)
    }

    /// Runs `command` (with `stdin`), and checks that no secret shows in its output.
    pub(crate) fn run(&self, mut command: assert_cmd::Command, stdin: Option<&str>) -> Run {
        let what = format!("{command:?}");
        if let Some(input) = stdin {
            command.write_stdin(input.to_owned());
        }
        let output = command.output().expect("the binary runs");
        let run = Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
            what,
        };
        for secret in self.secrets.borrow().iter() {
            assert!(
                !run.stdout.contains(secret.as_str()) && !run.stderr.contains(secret.as_str()),
                "{}: a key shows in the output:\nstdout:\n{}\nstderr:\n{}",
                run.what,
                run.stdout,
                run.stderr
            );
        }
        run
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        if let Some(sandbox) = self.sandbox.take() {
            let _ = self.runtime.block_on(sandbox.shutdown());
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The binary with every variable it reads removed.
pub(crate) fn command() -> assert_cmd::Command {
    let mut command = assert_cmd::Command::new(BIN);
    for var in ENV_VARS {
        command.env_remove(var);
    }
    command
}

/// The value at a JSON pointer with `*` for every array element (the first match).
pub(crate) fn values_at<'a>(value: &'a Value, pointer: &str) -> Vec<&'a Value> {
    fn walk<'a>(value: &'a Value, segments: &[&str], out: &mut Vec<&'a Value>) {
        let Some((first, rest)) = segments.split_first() else {
            out.push(value);
            return;
        };
        match (value, *first) {
            (Value::Array(items), "*") => items.iter().for_each(|i| walk(i, rest, out)),
            (Value::Object(map), key) => {
                if let Some(member) = map.get(key) {
                    walk(member, rest, out);
                }
            }
            _ => {}
        }
    }
    let segments: Vec<&str> = pointer.split('/').skip(1).collect();
    let mut out = Vec::new();
    walk(value, &segments, &mut out);
    out
}
