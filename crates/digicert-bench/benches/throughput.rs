//! `cargo bench -p digicert-bench --bench throughput`: the sandbox under load, measured
//! against a minimal hyper server (see `docs/benchmarks.md`).
//!
//! Reads: for every GET of both specs, the sandbox's answer is captured once, and a
//! minimal hyper HTTP/1.1 server (keep-alive, no routing) answers every request with those
//! same bytes; 64 connections then hammer each in interleaved rounds, and the result is the
//! median of the per-round ratios (sandbox / minimal). Writes: 100,000 requests that grow
//! the state (new Partner and CertCentral subaccounts, new emergency addresses added and
//! removed), in windows of 10,000; throughput must stay flat from the first window to the
//! last. Every answer must be a success, or the benchmark stops.
//!
//! The load generator runs in the same process on the same 2-core machine as the servers,
//! for both sides alike.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use digicert::reqwest;
use digicert_sandbox::{Family, KeyKind, Sandbox};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

const CONNECTIONS: usize = 64;
const ROUNDS: usize = 7;
const READS_PER_ROUND: usize = 10_000;
const WRITES: usize = 100_000;
const WINDOW: usize = 10_000;

/// A minimal hyper server answering every request with `status`, `content-type: json` and
/// `body`.
async fn minimal(status: u16, body: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let body = bytes::Bytes::from(body);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let _ = stream.set_nodelay(true);
            let body = body.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |_: hyper::Request<Incoming>| {
                    let body = body.clone();
                    async move {
                        hyper::Response::builder()
                            .status(status)
                            .header("content-type", "application/json")
                            .body(http_body_util::Full::new(body))
                    }
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    format!("http://{addr}")
}

/// Builds request `i` of a load.
type MakeCall = Arc<dyn Fn(usize) -> Call + Send + Sync>;

/// One request of a load: method, URL, headers and body.
#[derive(Clone)]
struct Call {
    method: reqwest::Method,
    url: String,
    headers: Vec<(&'static str, String)>,
    body: Option<String>,
}

/// Sends `total` requests over `CONNECTIONS` tasks; `make(i)` builds request `i`. Returns
/// requests per second.
async fn load(client: &reqwest::Client, total: usize, make: MakeCall) -> f64 {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..CONNECTIONS {
        let (client, next, make) = (client.clone(), Arc::clone(&next), Arc::clone(&make));
        tasks.spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    return;
                }
                let call = make(i);
                let mut request = client.request(call.method, &call.url);
                for (name, value) in &call.headers {
                    request = request.header(*name, value);
                }
                if let Some(body) = call.body {
                    request = request
                        .header("content-type", "application/json")
                        .body(body);
                }
                let response = request.send().await.expect("an answer");
                let status = response.status();
                let _ = response.bytes().await.expect("a body");
                assert!(status.is_success(), "request {i} was answered {status}");
            }
        });
    }
    while let Some(finished) = tasks.join_next().await {
        if let Err(e) = finished {
            std::panic::resume_unwind(e.into_panic());
        }
    }
    total as f64 / started.elapsed().as_secs_f64()
}

/// `template` with every path parameter replaced by an ID of the built-in seed (a new
/// GET with a new parameter fails here by name until it is added).
fn seeded_path(template: &str) -> String {
    template
        .split('/')
        .map(|segment| match segment {
            "{subaccount_id}" => "1122339",
            // The subaccount key's own key and its first ACME contract.
            "{api_key_id}" => "2",
            "{acme_contract_id}" => "5678",
            other if other.starts_with('{') => panic!("no seeded value for {other} in {template}"),
            other => other,
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn main() {
    let runtime = digicert_bench::runtime();
    // `cargo bench -p digicert-bench --bench throughput -- <text>`: only the loads whose name contains it
    // (cargo passes `--bench` itself; flags are skipped).
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let wanted = |name: &str| filter.as_deref().is_none_or(|f| name.contains(f));
    runtime.block_on(async {
        let sandbox = Sandbox::start().await.expect("the sandbox starts");
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(CONNECTIONS)
            .build()
            .expect("client");
        let sub = sandbox.key(KeyKind::PartnerSubaccount).expect("a key").expose().to_owned();
        let parent = sandbox.key(KeyKind::PartnerParent).expect("a key").expose().to_owned();
        let certcentral = sandbox.key(KeyKind::CertCentral).expect("a key").expose().to_owned();

        println!("## Reads: {CONNECTIONS} connections, {ROUNDS} interleaved rounds of {READS_PER_ROUND} requests\n");
        println!("| GET | sandbox req/s | minimal hyper req/s | ratio (median of rounds) |");
        println!("|---|---|---|---|");
        // Every GET of both specs, with seeded IDs in its path and the key its scope needs.
        let mut reads = Vec::new();
        for (family, operations) in [
            (Family::Partner, digicert::partner::OPERATIONS),
            (Family::CertCentral, digicert::services::OPERATIONS),
        ] {
            for op in operations.iter().filter(|op| op.method == "GET") {
                let path = seeded_path(op.path);
                let key = match (family, op.key_scope) {
                    (Family::CertCentral, _) => certcentral.clone(),
                    (_, digicert::KeyScope::Parent) => parent.clone(),
                    _ => sub.clone(),
                };
                reads.push((
                    format!("`{}` (`{}`)", op.id, path),
                    format!("{}{path}", sandbox.base_url(family)),
                    (family.key_header(), key),
                ));
            }
        }
        for (name, url, key) in reads {
            if !wanted(&name) {
                continue;
            }
            let response = client
                .get(&url)
                .header(key.0, &key.1)
                .send()
                .await
                .expect("the sandbox answers");
            let status = response.status().as_u16();
            assert_eq!(status, 200, "{name} must succeed on the built-in seed");
            let body = response.bytes().await.expect("a body").to_vec();
            let plain = minimal(status, body).await;
            let (mut ours, mut theirs, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
            for round in 0..ROUNDS {
                let sandbox_call = {
                    let (url, key) = (url.clone(), key.clone());
                    Arc::new(move |_| Call {
                        method: reqwest::Method::GET,
                        url: url.clone(),
                        headers: vec![(key.0, key.1.clone())],
                        body: None,
                    }) as MakeCall
                };
                let plain_call = {
                    let url = plain.clone();
                    Arc::new(move |_| Call {
                        method: reqwest::Method::GET,
                        url: url.clone(),
                        headers: Vec::new(),
                        body: None,
                    }) as MakeCall
                };
                let (a, b) = if round % 2 == 0 {
                    let a = load(&client, READS_PER_ROUND, sandbox_call).await;
                    (a, load(&client, READS_PER_ROUND, plain_call).await)
                } else {
                    let b = load(&client, READS_PER_ROUND, plain_call).await;
                    (load(&client, READS_PER_ROUND, sandbox_call).await, b)
                };
                ours.push(a);
                theirs.push(b);
                ratios.push(a / b);
            }
            println!(
                "| {name} | {:.0} | {:.0} | {:.2}x |",
                digicert_bench::median(ours),
                digicert_bench::median(theirs),
                digicert_bench::median(ratios)
            );
        }

        println!("\n## Writes: {WRITES} requests that grow the state, throughput per {WINDOW}\n");
        let writes: [(&str, MakeCall); 3] = [
            (
                "create_subaccount (a new account and key each)",
                {
                    let (url, parent) = (format!("{}/account/subaccount", sandbox.partner_url()), parent.clone());
                    Arc::new(move |i| Call {
                        method: reqwest::Method::POST,
                        url: url.clone(),
                        headers: vec![("x-partner-apikey", parent.clone())],
                        body: Some(format!(r#"{{"name": "Bench {i}", "api_key_name": "k"}}"#)),
                    })
                },
            ),
            (
                "CertCentral create_subaccount (a new subaccount below 1122331 each)",
                {
                    let (url, key) = (format!("{}/account", sandbox.services_url()), certcentral.clone());
                    Arc::new(move |i| Call {
                        method: reqwest::Method::POST,
                        url: url.clone(),
                        headers: vec![("x-dc-devkey", key.clone())],
                        body: Some(format!(
                            r#"{{"account_type": "retail", "allowed_grandchildren": [],
                                "user": {{"first_name": "Ada", "last_name": "Bench", "email": "ada{i}@bench.example"}},
                                "organization": {{"name": "Bench {i} Ltd", "address": "1 Main St", "zip": "43604",
                                    "city": "Toledo", "state": "Ohio", "country": "US", "telephone": "555-0100"}}}}"#
                        )),
                    })
                },
            ),
            (
                "emergency emails: add an address, then remove it (90 addresses in turn, under the cap of 100)",
                {
                    let (url, sub) = (format!("{}/account/emergency-emails", sandbox.partner_url()), sub.clone());
                    Arc::new(move |i| Call {
                        method: if i % 2 == 0 { reqwest::Method::PUT } else { reqwest::Method::DELETE },
                        url: url.clone(),
                        headers: vec![("x-partner-apikey", sub.clone())],
                        body: Some(format!(r#"{{"emergency_contact_emails": ["bench{}@acme.example"]}}"#, (i / 2) % 90)),
                    })
                },
            ),
        ];
        for (name, make) in writes {
            if !wanted(name) {
                continue;
            }
            let mut windows = Vec::new();
            for window in 0..WRITES / WINDOW {
                let offset = window * WINDOW;
                let inner = Arc::clone(&make);
                let shifted = Arc::new(move |i| inner(offset + i)) as MakeCall;
                windows.push(load(&client, WINDOW, shifted).await);
            }
            let first = windows[0];
            let last = windows[windows.len() - 1];
            println!(
                "| {name} | first {:.0} req/s | last {:.0} req/s | last/first {:.2} | min {:.0} |",
                first,
                last,
                last / first,
                windows.iter().copied().fold(f64::INFINITY, f64::min)
            );
        }
        sandbox.shutdown().await.expect("stops");
    });
}
