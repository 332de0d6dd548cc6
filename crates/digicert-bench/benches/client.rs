//! `cargo bench -p digicert-bench --bench client`: the client's cost over raw reqwest.
//!
//! Both sides call `GET /account/subaccount/{id}` on the same in-process HTTP/1.1 server
//! (keep-alive, answering DigiCert's documented example bytes) and decode the answer into
//! the same generated `services::types::Subaccount`. Our side has everything on: retries
//! (none happen), a rate limiter (a limit it never reaches, so its bookkeeping runs),
//! tracing compiled in (no subscriber, as in a library user's process without one), the
//! per-attempt timeout and the deadline. The raw side is `reqwest::Client::get(..).send()`,
//! `.bytes()`, `serde_json::from_slice`.
//!
//! Rounds interleave the two sides (which goes first alternates), each round a fixed number
//! of requests, sequentially and with 64 in flight; the result is the median of per-round
//! throughput ratios (ours / raw), and CPU time per request from /proc/self/stat.

use std::sync::Arc;
use std::time::{Duration, Instant};

use digicert::reqwest;
use digicert::{ApiKey, RateLimit, RetryPolicy, services};
use digicert_bench::{median, runtime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const ROUNDS: usize = 41;
/// Requests per round and mode, so that a round lasts about 0.1 s in either mode: with
/// 64 in flight a round of 2,000 lasted ~25 ms, short enough for start and end effects
/// (64 tasks spawned and drained) and the VM's jitter to swing single rounds by ±30%.
const MODES: [(&str, usize, usize); 2] = [("sequential", 1, 2000), ("64 in flight", 64, 10_000)];
const KEY: &str = "bench-certcentral-key";

/// A keep-alive server answering every request with the same bytes.
async fn serve(body: Arc<Vec<u8>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let mut answer = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    answer.extend_from_slice(&body);
    let answer = Arc::new(answer);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let _ = stream.set_nodelay(true);
            let answer = Arc::clone(&answer);
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let mut pending = Vec::new();
                loop {
                    let Ok(n) = stream.read(&mut buf).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    pending.extend_from_slice(&buf[..n]);
                    // GET requests have no body: one head per `\r\n\r\n`.
                    while let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                        pending.drain(..end + 4);
                        if stream.write_all(&answer).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

/// CPU time of this process (user + system), from /proc/self/stat.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // Fields 14 and 15 of the file (utime, stime) are 12 and 13 after the name.
    let total = ticks(11) + ticks(12);
    Duration::from_secs_f64(total as f64 / 100.0)
}

/// The two sides. Each spawned worker runs one side's calls only, so neither side's task
/// carries the other's future state (an enum dispatched per call made every task as large
/// as the larger side, and the result depended on how the compiler inlined that dispatch).
enum Side {
    Ours(services::Client),
    Raw(reqwest::Client, String),
}

impl Side {
    /// One round of `n` calls, `in_flight` at a time; returns (wall, cpu).
    async fn round(&self, n: usize, in_flight: usize) -> (Duration, Duration) {
        match self {
            Side::Ours(client) => round(|count| ours(client.clone(), count), n, in_flight).await,
            Side::Raw(client, url) => {
                round(
                    |count| raw(client.clone(), url.clone(), count),
                    n,
                    in_flight,
                )
                .await
            }
        }
    }
}

/// `count` calls through our client.
async fn ours(client: services::Client, count: usize) {
    for _ in 0..count {
        let got = client
            .get_subaccount()
            .subaccount_id(1122339)
            .send()
            .await
            .expect("ours");
        std::hint::black_box(got);
    }
}

/// `count` calls through raw reqwest.
async fn raw(client: reqwest::Client, url: String, count: usize) {
    for _ in 0..count {
        let response = client
            .get(&url)
            .header("x-dc-devkey", KEY)
            .header("content-type", "application/json")
            .send()
            .await
            .expect("raw");
        let bytes = response.bytes().await.expect("raw body");
        let got: services::types::Subaccount = serde_json::from_slice(&bytes).expect("raw decode");
        std::hint::black_box(got);
    }
}

/// Runs `n` calls with `in_flight` workers, each running `worker(its share)`; returns
/// (wall, cpu).
async fn round<F>(worker: impl Fn(usize) -> F, n: usize, in_flight: usize) -> (Duration, Duration)
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let cpu = cpu_time();
    let started = Instant::now();
    if in_flight == 1 {
        worker(n).await;
    } else {
        let mut tasks = tokio::task::JoinSet::new();
        for w in 0..in_flight {
            tasks.spawn(worker(n / in_flight + usize::from(w < n % in_flight)));
        }
        while tasks.join_next().await.is_some() {}
    }
    (started.elapsed(), cpu_time().saturating_sub(cpu))
}

fn main() {
    let runtime = runtime();
    let fixture = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/certcentral-subaccount-info.200.json"),
    )
    .expect("the documented example");
    runtime.block_on(async {
        let base = serve(Arc::new(fixture)).await;
        let ours = services::Client::builder(ApiKey::new(KEY).expect("key"))
            .base_url(format!("{base}/services/v2"))
            .retry(RetryPolicy::default())
            .rate_limit(RateLimit::new().window(u32::MAX, Duration::from_secs(1)))
            .build()
            .expect("client");
        let raw = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("bench")
            .build()
            .expect("raw client");
        let ours = Side::Ours(ours);
        let raw = Side::Raw(raw, format!("{base}/services/v2/account/subaccount/1122339"));
        // Warm up connections and caches.
        ours.round(500, 64).await;
        raw.round(500, 64).await;
        println!(
            "{ROUNDS} rounds per side and mode, of {} requests sequentially and {} with 64 in flight",
            MODES[0].2, MODES[1].2
        );
        println!("| mode | ours req/s | raw req/s | throughput ratio (median) | CPU per request, ours / raw |");
        println!("|---|---|---|---|---|");
        for (mode, in_flight, per_round) in MODES {
            let mut ratios = Vec::new();
            let (mut ours_rps, mut raw_rps) = (Vec::new(), Vec::new());
            let (mut ours_cpu, mut raw_cpu) = (Duration::ZERO, Duration::ZERO);
            for r in 0..ROUNDS {
                let order = if r % 2 == 0 { [&ours, &raw] } else { [&raw, &ours] };
                let mut times = Vec::new();
                for side in order {
                    times.push((matches!(side, Side::Ours(_)), side.round(per_round, in_flight).await));
                }
                let ours_t = times.iter().find(|t| t.0).map(|t| t.1).expect("ours ran");
                let raw_t = times.iter().find(|t| !t.0).map(|t| t.1).expect("raw ran");
                ratios.push(raw_t.0.as_secs_f64() / ours_t.0.as_secs_f64());
                ours_rps.push(per_round as f64 / ours_t.0.as_secs_f64());
                raw_rps.push(per_round as f64 / raw_t.0.as_secs_f64());
                ours_cpu += ours_t.1;
                raw_cpu += raw_t.1;
            }
            let cpu_ratio = ours_cpu.as_secs_f64() / raw_cpu.as_secs_f64().max(f64::EPSILON);
            println!(
                "| {mode} | {:.0} | {:.0} | {:.3}x (min {:.3}, max {:.3}) | {:+.1}% |",
                median(ours_rps),
                median(raw_rps),
                median(ratios.clone()),
                ratios.iter().copied().fold(f64::INFINITY, f64::min),
                ratios.iter().copied().fold(0.0, f64::max),
                (cpu_ratio - 1.0) * 100.0
            );
        }
    });
}
