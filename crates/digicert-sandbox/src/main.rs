//! `digicert-sandbox`: runs the sandbox standalone until Ctrl-C.
//!
//! ```text
//! cargo run -p digicert-sandbox -- [--listen 127.0.0.1:8080] [--seed FILE]
//! ```

use std::fmt::Write as _;
use std::io::Write as _;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use digicert_sandbox::{Family, KeyKind, RateLimits, Sandbox, Seed};

const USAGE: &str = "\
Usage: digicert-sandbox [--listen ADDR] [--seed FILE] [--faults] [--rate-limits]

Serves DigiCert's Partner Subscriptions API v1 and CertCentral Services API v2 locally,
with DigiCert's documented rules, until Ctrl-C.

Options:
  --listen ADDR   address to listen on (default 127.0.0.1:8080; port 0 picks a free one)
  --seed FILE     start with the accounts and keys in FILE (JSON, the format of
                  crates/digicert-sandbox/seed/default.json) instead of the built-in seed
  --faults        misbehave on demand: the X-Sandbox-Fault request header (503,
                  429;retry-after=2, delay=300ms, drop, truncate) and /_sandbox/faults
  --rate-limits   emulate CertCentral's rate limits per key (100 per 5 s, 1,000 per
                  5 min; then 429 request_limit_exceeded for 5 s)
  -h, --help      show this help";

/// The command line.
#[derive(Debug)]
struct Args {
    listen: SocketAddr,
    seed: Option<PathBuf>,
    faults: bool,
    rate_limits: bool,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> anyhow::Result<Option<Args>> {
    let mut parsed = Args {
        listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 8080)),
        seed: None,
        faults: false,
        rate_limits: false,
    };
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg, None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .with_context(|| format!("{name} needs a value\n\n{USAGE}"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--listen" => {
                let text = value("--listen")?;
                parsed.listen = text.parse().with_context(|| {
                    format!("--listen {text}: not an address like 127.0.0.1:8080")
                })?;
            }
            "--seed" => parsed.seed = Some(PathBuf::from(value("--seed")?)),
            "--faults" => parsed.faults = true,
            "--rate-limits" => parsed.rate_limits = true,
            other => bail!("unknown argument `{other}`\n\n{USAGE}"),
        }
    }
    Ok(Some(parsed))
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("digicert-sandbox: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> anyhow::Result<()> {
    let Some(args) = parse_args(std::env::args().skip(1))? else {
        say(&format!("{USAGE}\n"));
        return Ok(());
    };
    let seed = match &args.seed {
        Some(path) => Seed::from_file(path)?,
        None => Seed::builtin(),
    };
    let sandbox = Sandbox::builder()
        .seed(seed)
        .listen(args.listen)
        .faults(args.faults)
        .rate_limits(args.rate_limits.then(RateLimits::certcentral))
        .start()
        .await?;
    say(&banner(&sandbox, args.seed.is_some()));
    wait_for_stop().await?;
    say("\nStopping...\n");
    sandbox.shutdown().await?;
    say("Stopped.\n");
    Ok(())
}

/// Writes `text` to stdout. A closed stdout (`digicert-sandbox | head`) is not an error:
/// the server keeps running (and `println!` would panic).
fn say(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}

/// The start-up banner. It prints the seeded keys IN FULL, on purpose: they are the
/// sandbox's own made-up keys, and you need them to call it. This is the only place the
/// sandbox ever shows a key unredacted.
fn banner(sandbox: &Sandbox, custom_seed: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digicert-sandbox listening on {}", sandbox.url());
    if !sandbox.addr().ip().is_loopback() {
        let _ = writeln!(
            out,
            "WARNING: {} is not a loopback address; anyone who can reach it can use the keys below.",
            sandbox.addr().ip()
        );
    }
    out.push('\n');
    for family in [Family::Partner, Family::CertCentral] {
        let name = match family {
            Family::Partner => "Partner Subscriptions API v1",
            Family::CertCentral => "CertCentral Services API v2 ",
        };
        let _ = writeln!(
            out,
            "  {name}  {}   (key header {})",
            sandbox.base_url(family),
            family.key_header()
        );
    }
    let _ = writeln!(
        out,
        "  Sandbox control (not DigiCert's)  {}/_sandbox/clock   (no key; move the clock ahead with POST {{\"advance_seconds\": N}})",
        sandbox.url()
    );
    out.push('\n');
    let _ = writeln!(
        out,
        "Seeded API keys{} (shown in full on purpose: these are the sandbox's own fake keys):",
        if custom_seed {
            " from the seed file"
        } else {
            ""
        }
    );
    for key in sandbox.keys() {
        let kind = match key.kind {
            KeyKind::PartnerParent => "partner, parent account",
            KeyKind::PartnerSubaccount => "partner, subaccount    ",
            KeyKind::CertCentral => "certcentral            ",
            _ => "other                  ",
        };
        // Deliberately unredacted; see the function's documentation.
        let _ = writeln!(
            out,
            "  {kind}  account {:<8} {}",
            key.account_id,
            key.key.expose()
        );
    }
    if let Some(key) = sandbox.key(KeyKind::PartnerParent) {
        out.push('\n');
        let _ = writeln!(out, "Try:");
        let _ = writeln!(
            out,
            "  curl -s -H 'X-PARTNER-APIKEY: {}' {}/account/emergency-emails",
            key.expose(),
            sandbox.partner_url()
        );
    }
    if let Some(key) = sandbox.key(KeyKind::CertCentral) {
        let _ = writeln!(
            out,
            "  curl -s -H 'X-DC-DEVKEY: {}' {}/account/subaccount/1122339",
            key.expose(),
            sandbox.services_url()
        );
    }
    out.push('\n');
    let _ = writeln!(out, "Press Ctrl-C to stop.");
    out
}

/// Waits for Ctrl-C (or SIGTERM on Unix).
async fn wait_for_stop() -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .context("could not listen for SIGTERM")?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => result.context("could not listen for Ctrl-C")?,
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c()
        .await
        .context("could not listen for Ctrl-C")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> anyhow::Result<Option<Args>> {
        parse_args(args.iter().map(|s| (*s).to_owned()))
    }

    #[test]
    fn arguments() {
        let args = parse(&[]).unwrap().unwrap();
        assert_eq!(args.listen.to_string(), "127.0.0.1:8080");
        assert!(args.seed.is_none());
        let args = parse(&["--listen", "127.0.0.1:0", "--seed=s.json"])
            .unwrap()
            .unwrap();
        assert_eq!(args.listen.port(), 0);
        assert_eq!(args.seed, Some(PathBuf::from("s.json")));
        assert!(!args.faults && !args.rate_limits);
        let args = parse(&["--faults", "--rate-limits"]).unwrap().unwrap();
        assert!(args.faults && args.rate_limits);
        assert!(parse(&["--help"]).unwrap().is_none());
        let err = parse(&["--listen", "localhost"]).unwrap_err().to_string();
        assert!(err.contains("--listen localhost"), "{err}");
        let err = parse(&["--seed"]).unwrap_err().to_string();
        assert!(err.contains("--seed needs a value"), "{err}");
        let err = parse(&["--nope"]).unwrap_err().to_string();
        assert!(err.contains("unknown argument `--nope`"), "{err}");
    }
}
