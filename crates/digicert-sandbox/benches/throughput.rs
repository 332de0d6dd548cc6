//! `cargo bench -p digicert-sandbox --bench throughput`: the sandbox under load, measured
//! against a minimal hyper server (see `docs/benchmarks.md`).
//!
//! Reads: for each GET, the sandbox's answer is captured once, and a minimal hyper
//! HTTP/1.1 server (keep-alive, no routing) answers every request with those same bytes;
//! 64 connections then hammer each in interleaved rounds, and the result is the median of
//! the per-round ratios (sandbox / minimal). Writes: 100,000 requests that grow the state
//! (new subaccounts, new emergency addresses added and removed), in windows of 10,000;
//! throughput must stay flat from the first window to the last.
//!
//! The load generator runs in the same process on the same 2-core machine as the servers,
//! for both sides alike.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use digicert::reqwest;
use digicert_sandbox::{KeyKind, Sandbox};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

const CONNECTIONS: usize = 64;
const ROUNDS: usize = 9;
const READS_PER_ROUND: usize = 20_000;
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
                let _ = response.bytes().await.expect("a body");
            }
        });
    }
    while tasks.join_next().await.is_some() {}
    total as f64 / started.elapsed().as_secs_f64()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
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
        let reads = [
            (
                "subaccount info (`/services/v2/account/subaccount/1122339`)",
                format!("{}/account/subaccount/1122339", sandbox.services_url()),
                ("x-dc-devkey", certcentral.clone()),
            ),
            (
                "emergency emails (`/partner-subscription/api/v1/account/emergency-emails`)",
                format!("{}/account/emergency-emails", sandbox.partner_url()),
                ("x-partner-apikey", sub.clone()),
            ),
            (
                "account settings (`/partner-subscription/api/v1/account/settings`)",
                format!("{}/account/settings", sandbox.partner_url()),
                ("x-partner-apikey", sub.clone()),
            ),
        ];
        for (name, url, key) in reads {
            let response = client
                .get(&url)
                .header(key.0, &key.1)
                .send()
                .await
                .expect("the sandbox answers");
            let status = response.status().as_u16();
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
                median(ours),
                median(theirs),
                median(ratios)
            );
        }

        println!("\n## Writes: {WRITES} requests that grow the state, throughput per {WINDOW}\n");
        let writes: [(&str, MakeCall); 2] = [
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
                "emergency emails: add a new address, then remove it",
                {
                    let (url, sub) = (format!("{}/account/emergency-emails", sandbox.partner_url()), sub.clone());
                    Arc::new(move |i| Call {
                        method: if i % 2 == 0 { reqwest::Method::PUT } else { reqwest::Method::DELETE },
                        url: url.clone(),
                        headers: vec![("x-partner-apikey", sub.clone())],
                        body: Some(format!(r#"{{"emergency_contact_emails": ["bench{}@acme.example"]}}"#, i / 2)),
                    })
                },
            ),
        ];
        for (name, make) in writes {
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
