//! The sandbox misbehaving on demand (fault injection, CertCentral's rate limits), its
//! hardening (oversized heads, short bodies), and the client keeping calls alive through
//! it: a bounded soak test. All on tokio's paused clock: delays and waits cost no real time.

use std::time::Duration;

use digicert::{ApiKey, ErrorKind, RetryPolicy, partner, services};
use digicert_sandbox::{KeyKind, QueuedFault, RandomFaults, RateLimits, Sandbox};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::time::Instant;

use crate::common::{emails, first_error, http, key, raw};

async fn with_faults() -> Sandbox {
    Sandbox::builder()
        .faults(true)
        .start()
        .await
        .expect("the sandbox starts")
}

fn partner_client(sandbox: &Sandbox, retry: RetryPolicy) -> partner::Client {
    partner::Client::builder(key(sandbox, KeyKind::PartnerSubaccount))
        .base_url(sandbox.partner_url())
        .retry(retry)
        .build()
        .expect("client")
}

fn emails_url(sandbox: &Sandbox) -> String {
    format!("{}/account/emergency-emails", sandbox.partner_url())
}

#[tokio::test(start_paused = true)]
async fn faults_are_off_unless_asked_for() {
    let sandbox = Sandbox::start().await.expect("starts");
    let (status, _) = raw(http()
        .get(emails_url(&sandbox))
        .header(
            "x-partner-apikey",
            key(&sandbox, KeyKind::PartnerSubaccount).expose(),
        )
        .header("x-sandbox-fault", "503")
        .send()
        .await
        .expect("answered"))
    .await;
    assert_eq!(
        status, 200,
        "the fault header is ignored when faults are off"
    );
    let (status, body) = raw(http()
        .get(format!("{}/_sandbox/faults", sandbox.url()))
        .send()
        .await
        .expect("answered"))
    .await;
    assert_eq!(status, 404);
    assert!(first_error(&body).1.contains("--faults"), "{body}");
    assert!(
        sandbox
            .queue_fault(queued("get_emergency_emails", "503", 1))
            .is_err()
    );
    sandbox.shutdown().await.expect("stops");
}

fn queued(operation: &str, fault: &str, times: u32) -> QueuedFault {
    serde_json::from_value(json!({
        "family": "partner", "operation": operation, "fault": fault, "times": times
    }))
    .expect("a queued fault")
}

#[tokio::test(start_paused = true)]
async fn the_fault_header_answers_delays_cuts_and_drops() {
    let sandbox = with_faults().await;
    let sub_key = key(&sandbox, KeyKind::PartnerSubaccount);
    let get = |fault: &'static str| {
        http()
            .get(emails_url(&sandbox))
            .header("x-partner-apikey", sub_key.expose())
            .header("x-sandbox-fault", fault)
            .send()
    };

    let response = get("429;retry-after=2").await.expect("answered");
    assert_eq!(response.headers()["retry-after"], "2");
    let (status, body) = raw(response).await;
    assert_eq!((status, first_error(&body).0), (429, "rate_limit_exceeded"));

    let (status, body) = raw(get("503").await.expect("answered")).await;
    assert_eq!((status, first_error(&body).0), (503, "service_unavailable"));

    let started = Instant::now();
    let (status, _) = raw(get("delay=1500ms").await.expect("answered")).await;
    assert_eq!(status, 200);
    assert!(started.elapsed() >= Duration::from_millis(1500));

    let err = get("drop").await.expect_err("no answer at all");
    assert!(!err.is_timeout(), "{err}");

    let response = get("truncate").await.expect("a head");
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.bytes().await.is_err(), "the body is cut off");

    let (status, body) = raw(get("teapot").await.expect("answered")).await;
    assert_eq!(status, 400);
    assert!(
        first_error(&body).1.contains("`teapot` is not a fault"),
        "{body}"
    );

    // `drop` processes the request first: the address below was added although the
    // caller never heard back.
    let err = http()
        .put(emails_url(&sandbox))
        .header("x-partner-apikey", sub_key.expose())
        .header("x-sandbox-fault", "drop")
        .json(&json!({"emergency_contact_emails": ["dropped@acme.example"]}))
        .send()
        .await
        .expect_err("dropped");
    assert!(
        err.is_request() || err.is_connect() || err.is_body(),
        "{err}"
    );
    let listed = partner_client(&sandbox, RetryPolicy::disabled())
        .get_emergency_emails()
        .send()
        .await
        .expect("listed")
        .into_inner()
        .emergency_contact_emails;
    assert!(
        listed.contains(&"dropped@acme.example".to_owned()),
        "{listed:?}"
    );
    sandbox.shutdown().await.expect("stops");
}

#[tokio::test(start_paused = true)]
async fn queued_faults_hit_the_next_requests_of_an_operation() {
    let sandbox = with_faults().await;
    let control = format!("{}/_sandbox/faults", sandbox.url());
    let (status, view) = raw(
        http()
            .post(&control)
            .json(&json!({"family": "partner", "operation": "get_emergency_emails", "fault": "503", "times": 2}))
            .send()
            .await
            .expect("answered"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(view["queued"][0]["times"], 2);
    let client = partner_client(&sandbox, RetryPolicy::disabled());
    // Another operation is not affected while the faults are queued.
    client
        .list_account_settings()
        .send()
        .await
        .expect("not the faulted operation");
    for _ in 0..2 {
        let err = client.get_emergency_emails().send().await.expect_err("503");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    }
    client
        .get_emergency_emails()
        .send()
        .await
        .expect("the queue is empty");
    // Unknown operations are refused.
    let (status, body) = raw(http()
        .post(&control)
        .json(&json!({"family": "partner", "operation": "nope", "fault": "503", "times": 1}))
        .send()
        .await
        .expect("answered"))
    .await;
    assert_eq!(status, 400);
    assert!(
        first_error(&body).1.contains("no operation `nope`"),
        "{body}"
    );
    // The client retries through queued faults.
    sandbox
        .queue_fault(queued("get_emergency_emails", "429", 3))
        .expect("queued");
    let patient = partner_client(&sandbox, RetryPolicy::default().max_attempts(4));
    patient
        .get_emergency_emails()
        .send()
        .await
        .expect("the fourth attempt");
    let (status, _) = raw(http().delete(&control).send().await.expect("answered")).await;
    assert_eq!(status, 204);
    sandbox.shutdown().await.expect("stops");
}

#[tokio::test(start_paused = true)]
async fn certcentral_rate_limits_block_a_key_then_let_it_go() {
    let sandbox = Sandbox::builder()
        .rate_limits(Some(RateLimits::certcentral()))
        .start()
        .await
        .expect("starts");
    let no_limiter = services::Client::builder(key(&sandbox, KeyKind::CertCentral))
        .base_url(sandbox.services_url())
        .retry(RetryPolicy::disabled())
        .no_rate_limit()
        .build()
        .expect("client");
    for i in 0..100 {
        no_limiter
            .get_subaccount()
            .subaccount_id(1122339)
            .send()
            .await
            .unwrap_or_else(|e| panic!("request {i}: {e}"));
    }
    let err = no_limiter
        .get_subaccount()
        .subaccount_id(1122339)
        .send()
        .await
        .expect_err("the 101st within 5 s");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(err.code(), Some("request_limit_exceeded"));
    // Blocked: even after the window would allow it, until the block ends.
    tokio::time::advance(Duration::from_secs(3)).await;
    assert!(
        no_limiter
            .get_subaccount()
            .subaccount_id(1122339)
            .send()
            .await
            .is_err()
    );
    // The Partner API is not limited.
    let partner = partner_client(&sandbox, RetryPolicy::disabled());
    partner
        .get_emergency_emails()
        .send()
        .await
        .expect("not limited");
    tokio::time::advance(Duration::from_secs(6)).await;
    no_limiter
        .get_subaccount()
        .subaccount_id(1122339)
        .send()
        .await
        .expect("the block is over");

    // The client's own limiter keeps the key under the limit: no 429 at all.
    let limited = services::Client::builder(key(&sandbox, KeyKind::CertCentral))
        .base_url(sandbox.services_url())
        .retry(RetryPolicy::disabled())
        .build()
        .expect("client");
    tokio::time::advance(Duration::from_secs(10)).await;
    for i in 0..250 {
        limited
            .get_subaccount()
            .subaccount_id(1122339)
            .send()
            .await
            .unwrap_or_else(|e| panic!("request {i}: {e}"));
    }
    sandbox.shutdown().await.expect("stops");
}

#[tokio::test(start_paused = true)]
async fn oversized_heads_and_short_bodies_get_json_errors() {
    let sandbox = Sandbox::start().await.expect("starts");
    let long = format!(
        "{}/account/emergency-emails?x={}",
        sandbox.partner_url(),
        "a".repeat(9000)
    );
    let (status, body) = raw(http().get(long).send().await.expect("answered")).await;
    assert_eq!((status, first_error(&body).0), (414, "invalid_request"));
    let (status, body) = raw(http()
        .get(emails_url(&sandbox))
        .header("x-padding", "b".repeat(40 * 1024))
        .send()
        .await
        .expect("answered"))
    .await;
    assert_eq!((status, first_error(&body).0), (431, "invalid_request"));

    // A body shorter than its Content-Length: refused after 10 s instead of hanging.
    let mut stream = tokio::net::TcpStream::connect(sandbox.addr())
        .await
        .expect("connect");
    let head = format!(
        "PUT /partner-subscription/api/v1/account/emergency-emails HTTP/1.1\r\nhost: x\r\nx-partner-apikey: {}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{{\"emer",
        key(&sandbox, KeyKind::PartnerSubaccount).expose()
    );
    stream.write_all(head.as_bytes()).await.expect("sent");
    let started = Instant::now();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("did not arrive within 10 s"), "{answer}");
    assert!(started.elapsed() >= Duration::from_secs(10));
    sandbox.shutdown().await.expect("stops");
}

/// Bounded soak: 10,000 idempotent calls with 30% transient faults (429, 503, and
/// connections dropped after processing) reach the caller without an error; 1,000 creates
/// with faults after processing are never processed twice.
#[tokio::test(start_paused = true)]
async fn soak_the_client_rides_out_transient_faults_and_never_duplicates_a_create() {
    let sandbox = Sandbox::builder()
        .faults(true)
        .record_exchanges(true)
        .start()
        .await
        .expect("starts");
    let random: RandomFaults = serde_json::from_value(json!({
        "rate": 0.3, "faults": ["429", "503", "drop"], "seed": 20261127
    }))
    .expect("random faults");
    sandbox.random_faults(random.clone()).expect("faults on");
    let policy = RetryPolicy::default()
        .max_attempts(12)
        .initial_delay(Duration::from_millis(50))
        .max_delay(Duration::from_secs(1));
    let sub = partner_client(&sandbox, policy.clone());
    let mut errors = Vec::new();
    for i in 0..10_000 {
        let result = if i % 2 == 0 {
            sub.get_emergency_emails().send().await.map(drop)
        } else {
            // PUT of an address already listed: idempotent, and the state stays small.
            sub.add_emergency_emails()
                .body(emails(&["security@acme.example"]))
                .send()
                .await
                .map(drop)
        };
        if let Err(err) = result {
            errors.push(format!("call {i}: {err}"));
        }
    }
    assert_eq!(errors, Vec::<String>::new(), "{} errors", errors.len());

    // Creates: a dropped one was processed, so it is an error for the caller, never a
    // second subaccount.
    sandbox.clear_faults();
    sandbox
        .random_faults(RandomFaults {
            rate: 0.3,
            ..random
        })
        .expect("faults on");
    let parent = partner::Client::builder(key(&sandbox, KeyKind::PartnerParent))
        .base_url(sandbox.partner_url())
        .retry(policy)
        .build()
        .expect("client");
    let mut dropped = 0;
    for i in 0..1_000 {
        let name = format!("Soak {i}");
        match parent
            .create_subaccount()
            .body_map(|b| b.name(name.clone()).api_key_name("k"))
            .send()
            .await
        {
            Ok(_) => {}
            Err(err) if err.kind() == ErrorKind::Transport => dropped += 1,
            Err(err) => panic!("create {i}: {err}"),
        }
    }
    let created: Vec<String> = sandbox
        .exchanges()
        .into_iter()
        .filter(|e| e.operation_id == Some("create_subaccount") && e.status == 201)
        .filter_map(|e| e.body.and_then(|b| b["name"].as_str().map(str::to_owned)))
        .collect();
    let mut unique = created.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), created.len(), "a create was processed twice");
    assert_eq!(created.len(), 1_000, "every create was processed once");
    assert!(dropped > 0, "no create met a dropped connection");
    sandbox.shutdown().await.expect("stops");
}

/// Keys are never echoed by the fault and limit answers.
#[tokio::test(start_paused = true)]
async fn fault_answers_name_no_key() {
    let sandbox = with_faults().await;
    let secret = ApiKey::new("never-echo-this-key-Zq8Jk2").expect("key");
    let (_, body) = raw(http()
        .get(emails_url(&sandbox))
        .header("x-partner-apikey", secret.expose())
        .header("x-sandbox-fault", "503")
        .send()
        .await
        .expect("answered"))
    .await;
    assert!(!body.to_string().contains(secret.expose()));
    sandbox.shutdown().await.expect("stops");
}

/// The built-in seed plus `extra` more subaccounts directly below 1122331 (copies of
/// 1122339 with their own IDs), for listings long enough to meet the rate limits.
fn seed_with_many_subaccounts(extra: i64) -> digicert_sandbox::Seed {
    let mut seed = digicert_sandbox::Seed::builtin();
    let template = seed
        .certcentral
        .subaccounts
        .iter()
        .find(|s| s.account_id == 1_122_339)
        .expect("DigiCert's documented subaccount is seeded")
        .clone();
    for i in 0..extra {
        let mut copy = template.clone();
        copy.account_id = 5_000_000 + i;
        copy.organization_name = format!("Long Listing {i:05}");
        seed.certcentral.subaccounts.push(copy);
    }
    seed
}

/// Every page of a long CertCentral listing (over 1,100 requests: past both the 100 per
/// 5 s and the 1,000 per 5 min limits), with the sandbox emulating the limits. With the
/// client's limiter and no retries, not one request meets a 429: the limiter waits
/// instead. Without the limiter, retries ride out every block (each waits out the 5 s).
#[tokio::test(start_paused = true)]
async fn a_long_listing_survives_certcentral_rate_limits() {
    const EXTRA: i64 = 2_000;
    const PAGE: i64 = 2;
    let sandbox = Sandbox::builder()
        .seed(seed_with_many_subaccounts(EXTRA))
        .rate_limits(Some(RateLimits::certcentral()))
        .start()
        .await
        .expect("starts");
    let total = 252 + EXTRA;

    // The limiter alone: retries off, so a single 429 would end the stream with an error.
    let limited = services::Client::builder(key(&sandbox, KeyKind::CertCentral))
        .base_url(sandbox.services_url())
        .retry(RetryPolicy::disabled())
        .build()
        .expect("client");
    let started = Instant::now();
    let mut stream = limited.list_subaccounts().limit(PAGE).stream();
    let mut seen = 0;
    while let Some(item) = stream.next_item().await {
        item.unwrap_or_else(|e| panic!("item {seen}: {e}"));
        seen += 1;
    }
    assert_eq!(seen, total);
    let requests = i64::from(stream.pages_fetched());
    assert!(requests > 1_000, "{requests} requests");
    // 1,127 requests at 100 per 5 s and 1,000 per 300 s: the 1,001st waits for the long
    // window.
    assert!(
        started.elapsed() >= Duration::from_secs(300),
        "{:?}",
        started.elapsed()
    );

    // Retries alone: the sandbox blocks the key again and again; every block is waited out.
    tokio::time::advance(Duration::from_secs(600)).await;
    let retrying = services::Client::builder(key(&sandbox, KeyKind::CertCentral))
        .base_url(sandbox.services_url())
        .retry(RetryPolicy::default().max_attempts(10))
        .no_rate_limit()
        .build()
        .expect("client");
    let started = Instant::now();
    let items = retrying
        .list_subaccounts()
        .limit(50)
        .stream()
        .collect_all()
        .await
        .expect("every page, despite the blocks");
    assert_eq!(items.len() as i64, total);
    // 46 pages stay under 100 requests per 5 s: no block, no wait.
    assert!(started.elapsed() < Duration::from_secs(5));
    // 200 quick requests are blocked after the 100th; the retries wait the block out.
    let started = Instant::now();
    for i in 0..200 {
        retrying
            .get_subaccount()
            .subaccount_id(1122339)
            .send()
            .await
            .unwrap_or_else(|e| panic!("request {i}: {e}"));
    }
    assert!(
        started.elapsed() >= Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    sandbox.shutdown().await.expect("stops");
}

/// Shutting down with a request still open ends it after the grace period and reports
/// success, every time (the server's grace and the handle's wait no longer race).
#[tokio::test(start_paused = true)]
async fn shutdown_with_a_request_held_open_ends_it_after_the_grace() {
    let sandbox = with_faults().await;
    let url = emails_url(&sandbox);
    let key = key(&sandbox, KeyKind::PartnerSubaccount);
    let held = tokio::spawn(async move {
        http()
            .get(url)
            .header("x-partner-apikey", key.expose())
            .header(digicert_sandbox::FAULT_HEADER, "delay=600s")
            .send()
            .await
    });
    // Let the request reach its delay.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    sandbox.shutdown().await.expect("a clean stop");
    assert!(
        started.elapsed() >= Duration::from_secs(5) && started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );
    assert!(
        held.await.expect("the task").is_err(),
        "the held request got no answer"
    );
}

/// Status faults answer with the family's code for that status; `truncate` on an answer
/// without a body closes the connection; a bad fault request names what is wrong; and the
/// sandbox's own CertCentral read-back answers a wrong method with its `Allow`.
#[tokio::test(start_paused = true)]
async fn fault_answers_use_each_familys_codes_and_never_pass_for_a_success() {
    let sandbox = with_faults().await;
    let sub = key(&sandbox, KeyKind::PartnerSubaccount);
    let devkey = key(&sandbox, KeyKind::CertCentral);
    let cases = [
        (
            emails_url(&sandbox),
            "x-partner-apikey",
            &sub,
            "401",
            "invalid_api_key",
        ),
        (
            emails_url(&sandbox),
            "x-partner-apikey",
            &sub,
            "403",
            "access_denied",
        ),
        (
            emails_url(&sandbox),
            "x-partner-apikey",
            &sub,
            "404",
            "resource_not_found",
        ),
        (
            emails_url(&sandbox),
            "x-partner-apikey",
            &sub,
            "400",
            "invalid_request",
        ),
        (
            format!("{}/account/subaccount/1122339", sandbox.services_url()),
            "x-dc-devkey",
            &devkey,
            "404",
            "not_found",
        ),
    ];
    for (url, header, key, fault, code) in cases {
        let (status, body) = raw(http()
            .get(&url)
            .header(header, key.expose())
            .header(digicert_sandbox::FAULT_HEADER, fault)
            .send()
            .await
            .expect("answered"))
        .await;
        assert_eq!(status.to_string(), fault, "{url}");
        assert_eq!(first_error(&body).0, code, "{fault} at {url}");
    }

    // A 204 has nothing to cut: the connection closes instead of a whole empty answer.
    let raw_put = http()
        .put(emails_url(&sandbox))
        .header("x-partner-apikey", sub.expose())
        .header(digicert_sandbox::FAULT_HEADER, "truncate")
        .json(&json!({"emergency_contact_emails": ["security@acme.example"]}))
        .send()
        .await;
    assert!(raw_put.is_err(), "{raw_put:?}");

    let control = format!("{}/_sandbox/faults", sandbox.url());
    let (status, body) = raw(http()
        .post(&control)
        .json(&json!({"family": "partner", "operation": "get_emergency_emails", "fault": "5O3", "times": 1}))
        .send()
        .await
        .expect("answered"))
    .await;
    assert_eq!(status, 400);
    assert!(first_error(&body).1.starts_with("fault:"), "{body}");

    let emails_path = format!("{}/_sandbox/certcentral/account-emails", sandbox.url());
    let answer = http()
        .post(&emails_path)
        .header("x-dc-devkey", devkey.expose())
        .send()
        .await
        .expect("answered");
    assert_eq!(answer.status().as_u16(), 405);
    assert_eq!(
        answer.headers().get("allow").and_then(|v| v.to_str().ok()),
        Some("GET, HEAD")
    );
    sandbox.shutdown().await.expect("stops");
}
