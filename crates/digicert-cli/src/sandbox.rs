//! `--sandbox` (feature `sandbox`): an in-process digicert-sandbox for the duration of one
//! command, with its built-in seed, and the seeded key each operation should use when the
//! command line names none.

use digicert::{KeyScope, Operation, partner, services};
use digicert_sandbox::{KeyKind, Sandbox};

use crate::app::Api;
use crate::exit::CliError;
use crate::output::Fallbacks;

/// A sandbox started for this command.
pub struct Running {
    sandbox: Sandbox,
}

impl Running {
    /// Starts the sandbox on a free port of 127.0.0.1 and says so on stderr.
    pub async fn start() -> Result<Self, CliError> {
        let sandbox = Sandbox::start().await.map_err(|e| {
            CliError::internal(format!("--sandbox: the sandbox did not start: {e}"))
        })?;
        eprintln!(
            "digicert: --sandbox: serving DigiCert's APIs from an in-process sandbox at {} (built-in seed) until this command ends",
            sandbox.url()
        );
        Ok(Self { sandbox })
    }

    /// The base URL of `api` on this sandbox.
    pub fn base_url(&self, api: Api) -> String {
        match api {
            Api::Partner => self.sandbox.partner_url(),
            Api::CertCentral => self.sandbox.services_url(),
        }
    }

    /// The seeded keys a command may fall back on, by header: for the family's own header
    /// the key that fits the operation's key scope (a parent-account key for `parent` and
    /// `any`, the subaccount key for `subaccount`), and the CertCentral key for a second
    /// `X-DC-DEVKEY`.
    pub fn fallbacks(&self, api: Api, operation: &Operation) -> Fallbacks {
        let own = match (api, operation.key_scope) {
            (Api::CertCentral, _) => KeyKind::CertCentral,
            (Api::Partner, KeyScope::Subaccount) => KeyKind::PartnerSubaccount,
            (Api::Partner, _) => KeyKind::PartnerParent,
        };
        let mut fallbacks = Vec::new();
        let mut add = |header: &'static str, kind: KeyKind| {
            if let Some(seeded) = self.sandbox.keys().iter().find(|k| k.kind == kind) {
                fallbacks.push((
                    header,
                    seeded.key.clone(),
                    format!(
                        "the sandbox's seeded key \"{}\" of account {}",
                        seeded.name, seeded.account_id
                    ),
                ));
            }
        };
        add(api.key_header(), own);
        if api == Api::Partner {
            add(services::Client::API_KEY_HEADER, KeyKind::CertCentral);
        } else {
            add(partner::Client::API_KEY_HEADER, KeyKind::PartnerParent);
        }
        fallbacks
    }

    /// Stops the sandbox.
    pub async fn stop(self) {
        // A sandbox that fails to stop cleanly changes nothing for the command's result.
        let _ = self.sandbox.shutdown().await;
    }
}
