//! [`Sandbox`]: a running sandbox server and its handle; [`SandboxBuilder`] to choose the
//! seed, the address and recording.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use digicert::{ApiKey, partner, services};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::faults::{Faults, QueuedFault, RandomFaults};
use crate::limits::{Limits, RateLimits};
use crate::log::{EmailOperation, Exchange};
use crate::seed::Seed;
use crate::serve;
use crate::server::{self, PARTNER_BASE, SERVICES_BASE, Shared};
use crate::state::State;
use crate::{Error, Family};

/// How long [`Sandbox::shutdown`] waits for open requests to finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// What a seeded key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyKind {
    /// A Partner key of a parent account: the operations whose key scope is `parent` or
    /// `any` (403 for ACME contract operations).
    PartnerParent,
    /// A Partner key of a subaccount: the operations whose key scope is `subaccount` or
    /// `any`, on its own account (403 for `create_subaccount`, `get_acme_reporting` and
    /// `create_api_key`).
    PartnerSubaccount,
    /// A CertCentral key: acts on its own account and the subaccounts below it.
    CertCentral,
}

impl KeyKind {
    /// The family that accepts the key.
    pub fn family(self) -> Family {
        match self {
            KeyKind::PartnerParent | KeyKind::PartnerSubaccount => Family::Partner,
            KeyKind::CertCentral => Family::CertCentral,
        }
    }
}

/// A key from the seed. `Debug` shows it as `<redacted>`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SeededKey {
    /// What it may do.
    pub kind: KeyKind,
    /// The account that owns it.
    pub account_id: i64,
    /// Its name in the seed.
    pub name: String,
    /// The key.
    pub key: ApiKey,
}

/// Chooses what a sandbox starts with; [`SandboxBuilder::start`] starts it.
#[derive(Debug, Clone)]
#[must_use]
pub struct SandboxBuilder {
    seed: Option<Seed>,
    listen: SocketAddr,
    record: bool,
    faults: bool,
    rate_limits: Option<RateLimits>,
}

impl Default for SandboxBuilder {
    fn default() -> Self {
        Self {
            seed: None,
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            record: false,
            faults: false,
            rate_limits: None,
        }
    }
}

impl SandboxBuilder {
    /// Starts with `seed` instead of [`Seed::builtin`].
    pub fn seed(mut self, seed: Seed) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Listens on `addr` instead of a free port on 127.0.0.1. Port 0 picks a free port.
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }

    /// Keeps every response sent ([`Sandbox::exchanges`]) and every emergency-email
    /// decision ([`Sandbox::email_operations`]), for tests. Off by default: the logs grow
    /// with every request.
    pub fn record_exchanges(mut self, record: bool) -> Self {
        self.record = record;
        self
    }

    /// Turns on fault injection: the `X-Sandbox-Fault` request header, and faults queued
    /// or randomised through `/_sandbox/faults` or [`Sandbox::queue_fault`] /
    /// [`Sandbox::random_faults`]. Off by default.
    pub fn faults(mut self, on: bool) -> Self {
        self.faults = on;
        self
    }

    /// Emulates CertCentral's rate limits per API key (`None`, the default: no limits).
    pub fn rate_limits(mut self, limits: Option<RateLimits>) -> Self {
        self.rate_limits = limits;
        self
    }

    /// Checks the seed, binds the address and serves on the current tokio runtime until
    /// [`Sandbox::shutdown`] (or until the handle is dropped).
    pub async fn start(self) -> Result<Sandbox, Error> {
        let seed = self.seed.unwrap_or_else(Seed::builtin);
        let (state, keys) =
            State::from_seed(&seed, self.record).map_err(|message| Error::Seed {
                origin: "seed".to_owned(),
                message,
            })?;
        let bind_error = |source| Error::Bind {
            addr: self.listen,
            source,
        };
        let listener = tokio::net::TcpListener::bind(self.listen)
            .await
            .map_err(bind_error)?;
        let addr = listener.local_addr().map_err(bind_error)?;
        let shared = Shared {
            state: Arc::new(Mutex::new(state)),
            exchanges: self.record.then(|| Arc::new(Mutex::new(Vec::new()))),
            faults: self.faults.then(|| Arc::new(Mutex::new(Faults::default()))),
            limits: self
                .rate_limits
                .map(|limits| Arc::new(Mutex::new(Limits::new(limits)))),
        };
        let (stop, stopped) = oneshot::channel::<()>();
        let app = server::router(shared.clone());
        let task = tokio::spawn(async move {
            // A send or a dropped handle both mean stop.
            let stop = async move {
                let _ = stopped.await;
            };
            serve::serve(listener, app, stop, SHUTDOWN_GRACE).await
        });
        Ok(Sandbox {
            addr,
            shared,
            keys,
            stop: Some(stop),
            task: Some(task),
        })
    }
}

/// A running sandbox: both DigiCert API families on one local port.
///
/// Dropping the handle stops the server too; [`Sandbox::shutdown`] also waits for it.
pub struct Sandbox {
    addr: SocketAddr,
    shared: Shared,
    keys: Vec<SeededKey>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("addr", &self.addr)
            .field("keys", &self.keys)
            .finish_non_exhaustive()
    }
}

impl Sandbox {
    /// Starts a sandbox with the built-in seed on a free port of 127.0.0.1.
    pub async fn start() -> Result<Sandbox, Error> {
        Self::builder().start().await
    }

    /// A builder, to seed custom data, pick the address or record exchanges.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }

    /// The address the sandbox listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<addr>`, without a base path.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The Partner Subscriptions API v1 base URL: `http://<addr>/partner-subscription/api/v1`.
    pub fn partner_url(&self) -> String {
        format!("{}{PARTNER_BASE}", self.url())
    }

    /// The CertCentral Services API v2 base URL: `http://<addr>/services/v2`.
    pub fn services_url(&self) -> String {
        format!("{}{SERVICES_BASE}", self.url())
    }

    /// The base URL of `family`.
    pub fn base_url(&self, family: Family) -> String {
        match family {
            Family::Partner => self.partner_url(),
            Family::CertCentral => self.services_url(),
        }
    }

    /// Every key of the seed, in seed order (keys made by `create_subaccount` are not
    /// here: DigiCert returns those once, in the response).
    pub fn keys(&self) -> &[SeededKey] {
        &self.keys
    }

    /// The first seeded key of `kind`. The built-in seed has one of each.
    pub fn key(&self, kind: KeyKind) -> Option<&ApiKey> {
        self.keys.iter().find(|k| k.kind == kind).map(|k| &k.key)
    }

    /// A Partner Subscriptions client for this sandbox with `key`.
    pub fn partner_client(&self, key: ApiKey) -> Result<partner::Client, digicert::Error> {
        partner::Client::with_base_url(&self.partner_url(), key)
    }

    /// A CertCentral client for this sandbox with `key`.
    pub fn services_client(&self, key: ApiKey) -> Result<services::Client, digicert::Error> {
        services::Client::with_base_url(&self.services_url(), key)
    }

    /// Every response sent so far, in order (empty unless built with
    /// [`SandboxBuilder::record_exchanges`]).
    pub fn exchanges(&self) -> Vec<Exchange> {
        self.shared.exchanges()
    }

    /// Queues a fault for the next `times` requests of an operation. Refused when the
    /// sandbox was not built with [`SandboxBuilder::faults`].
    pub fn queue_fault(&self, fault: QueuedFault) -> Result<(), Error> {
        let mut faults = self.shared.faults().ok_or_else(faults_off)?;
        faults
            .queue(fault)
            .map_err(|message| Error::Faults { message })
    }

    /// Faults a share of every request at random (seeded). Refused when the sandbox was
    /// not built with [`SandboxBuilder::faults`].
    pub fn random_faults(&self, random: RandomFaults) -> Result<(), Error> {
        let mut faults = self.shared.faults().ok_or_else(faults_off)?;
        faults
            .randomly(random)
            .map_err(|message| Error::Faults { message })
    }

    /// Removes every queued and random fault.
    pub fn clear_faults(&self) {
        if let Some(mut faults) = self.shared.faults() {
            faults.clear();
        }
    }

    /// The admin and emergency emails of CertCentral account `account_id`, as
    /// `PUT /account` last set them (a list never set is `None`), or `None` for an
    /// account the sandbox does not have. Over HTTP, a key's own account emails are at
    /// `GET /_sandbox/certcentral/account-emails`.
    pub fn certcentral_account_emails(
        &self,
        account_id: i64,
    ) -> Option<services::types::AccountEmailsChange> {
        self.shared.lock().account_emails(account_id)
    }

    /// Every emergency-email change decided so far, in lock order (empty unless built
    /// with [`SandboxBuilder::record_exchanges`]).
    pub fn email_operations(&self) -> Vec<EmailOperation> {
        self.shared.lock().email_log()
    }

    /// The sandbox's current time, in whole seconds: the system time plus however far
    /// [`Sandbox::advance_clock`] or [`Sandbox::set_clock`] moved it ahead. Every timestamp
    /// the sandbox writes (`created_at`, `last_used_date`, `date_canceled`, ...) comes from
    /// this clock. `GET /_sandbox/clock` answers the same.
    pub fn now(&self) -> DateTime<Utc> {
        self.shared.lock().clock.now()
    }

    /// Moves the sandbox's clock `by` ahead at once (whole seconds; a fraction is dropped),
    /// so that rules about elapsed time, such as the 30 days within which an ACME contract
    /// may be canceled, can be shown without waiting. Returns the new time. The clock keeps
    /// running from there; it never goes back. `POST /_sandbox/clock
    /// {"advance_seconds": N}` does the same.
    pub fn advance_clock(&self, by: Duration) -> Result<DateTime<Utc>, Error> {
        self.shared
            .lock()
            .clock
            .advance(by.as_secs())
            .map_err(|message| Error::Control { message })
    }

    /// Sets the sandbox's clock to `to`, which must not be earlier than its current time
    /// (nor later than 9999-01-01). Returns the new time. `POST /_sandbox/clock {"set":
    /// "<RFC 3339>"}` does the same.
    pub fn set_clock(&self, to: DateTime<Utc>) -> Result<DateTime<Utc>, Error> {
        self.shared
            .lock()
            .clock
            .set(to)
            .map_err(|message| Error::Control { message })
    }

    /// Plays DigiCert's validation team: marks the organization of ACME contract
    /// `acme_contract_id` validated (`is_organization_validated: true`). New OV and EV
    /// contracts start unvalidated, and a change of their organization's name or address
    /// voids the validation again. Refused for an unknown, DV or canceled contract.
    /// `POST /_sandbox/partner/acme/{acme_contract_id}/validate-organization` does the same.
    pub fn validate_organization(&self, acme_contract_id: i64) -> Result<(), Error> {
        self.shared
            .lock()
            .validate_organization(acme_contract_id)
            .map_err(|refusal| Error::Control {
                message: refusal.message,
            })
    }

    /// Stops accepting connections, lets open requests finish (up to 5 seconds, then
    /// ends them) and waits for the server to stop.
    pub async fn shutdown(mut self) -> Result<(), Error> {
        if let Some(stop) = self.stop.take() {
            // The server may have stopped on its own already; then there is no receiver.
            let _ = stop.send(());
        }
        let Some(mut task) = self.task.take() else {
            return Ok(());
        };
        // The server itself ends open requests after the grace; a second more lets it
        // report that, so that a request still open is not a race between two timers.
        match tokio::time::timeout(SHUTDOWN_GRACE + Duration::from_secs(1), &mut task).await {
            Ok(Ok(Ok(()))) => Ok(()),
            Ok(Ok(Err(e))) => Err(Error::Server {
                message: e.to_string(),
            }),
            Ok(Err(e)) => Err(Error::Server {
                message: format!("the server task failed: {e}"),
            }),
            Err(_) => {
                task.abort();
                Err(Error::Server {
                    message: format!(
                        "requests were still open after {} s; the server was stopped",
                        SHUTDOWN_GRACE.as_secs()
                    ),
                })
            }
        }
    }
}

fn faults_off() -> Error {
    Error::Faults {
        message: "fault injection is off; build the sandbox with SandboxBuilder::faults(true)"
            .to_owned(),
    }
}
