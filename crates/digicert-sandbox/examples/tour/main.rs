//! The tour: starts the sandbox in-process and walks through both DigiCert API families
//! with the generated `digicert` client, checking at every step that the answer is what
//! DigiCert documents. Exits 0 only if every step behaved as documented.
//!
//! ```text
//! cargo run --example tour
//! ```

use std::fmt::Debug;
use std::process::ExitCode;

use anyhow::{Context, bail, ensure};
use digicert::ApiKey;
use digicert_sandbox::{KeyKind, Sandbox};

mod certcentral;
mod partner;

#[tokio::main]
async fn main() -> ExitCode {
    match tour().await {
        Ok(steps) => {
            println!("\nTour complete: all {steps} steps behaved as documented.");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("\nTOUR FAILED: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Numbers and prints the steps.
pub(crate) struct Steps(usize);

impl Steps {
    pub(crate) fn start(&mut self, what: &str) {
        self.0 += 1;
        println!("\n[{:>2}] {what}", self.0);
    }
}

/// Prints one result line of a step.
pub(crate) fn show(text: impl AsRef<str>) {
    println!("     -> {}", text.as_ref());
}

/// How the tour shows a key: never its value.
pub(crate) fn redacted(key: &ApiKey) -> String {
    format!("{key} ({} characters)", key.expose().len())
}

/// The refusal of a call that DigiCert documents as refused, with its status checked.
pub(crate) fn refusal<T: Debug>(
    result: digicert::Result<T>,
    status: u16,
) -> anyhow::Result<digicert::Error> {
    match result {
        Ok(value) => bail!("expected a {status} refusal, but the call succeeded: {value:?}"),
        Err(err) => {
            ensure!(
                err.status().map(|s| s.as_u16()) == Some(status),
                "expected {status}, got: {err}"
            );
            Ok(err)
        }
    }
}
async fn tour() -> anyhow::Result<usize> {
    let mut steps = Steps(0);
    steps.start("Start the sandbox in-process (built-in seed, free port on 127.0.0.1)");
    let sandbox = Sandbox::start().await?;
    show(format!(
        "Partner Subscriptions API v1: {}",
        sandbox.partner_url()
    ));
    show(format!(
        "CertCentral Services API v2:  {}",
        sandbox.services_url()
    ));
    let key_of = |kind| {
        sandbox
            .key(kind)
            .cloned()
            .with_context(|| format!("the built-in seed has no {kind:?} key"))
    };
    let parent_key = key_of(KeyKind::PartnerParent)?;
    let certcentral_key = key_of(KeyKind::CertCentral)?;
    show(format!("parent account key:  {}", redacted(&parent_key)));
    show(format!(
        "CertCentral key:     {}",
        redacted(&certcentral_key)
    ));
    let new_subaccount_key =
        partner::tour(&sandbox, &mut steps, parent_key, certcentral_key.clone()).await?;
    certcentral::tour(&sandbox, &mut steps, certcentral_key, new_subaccount_key).await?;

    steps.start("Stop the sandbox");
    sandbox.shutdown().await?;
    show("stopped");
    Ok(steps.0)
}
