//! Retries, deadlines and the rate limiter, each rule against a scripted server on tokio's
//! paused clock: waits cost no real time, and the virtual time between attempts is exact.

use std::time::Duration;

use digicert::{ApiKey, ErrorKind, RateLimit, RetryPolicy, partner, services};
use digicert_tests::script::{ScriptServer, Step, refusing_address};
use serde_json::json;
use tokio::time::Instant;

const SECOND: Duration = Duration::from_secs(1);

fn partner_client(url: &str, retry: RetryPolicy) -> partner::Client {
    partner::Client::builder(ApiKey::new("resilience-partner-key").unwrap())
        .base_url(url)
        .retry(retry)
        .build()
        .unwrap()
}

fn services_client(url: &str, retry: RetryPolicy) -> services::Client {
    services::Client::builder(ApiKey::new("resilience-certcentral-key").unwrap())
        .base_url(url)
        .retry(retry)
        .no_rate_limit()
        .build()
        .unwrap()
}

fn emails() -> Step {
    Step::json(
        200,
        &json!({"emergency_contact_emails": ["ops@example.com"]}),
    )
}

fn created() -> Step {
    Step::json(
        201,
        &json!({"account_id": 7, "api_key": {"id": 1, "name": "k", "api_key": "new-key-123"}}),
    )
}

/// A POST that is not safe to repeat: create_subaccount.
async fn create(client: &partner::Client) -> digicert::Result<digicert::Response<()>> {
    client
        .create_subaccount()
        .body_map(|b| b.name("Acme").api_key_name("Prod"))
        .send()
        .await
        .map(|r| r.map(drop))
}

/// A GET.
async fn list(client: &partner::Client) -> digicert::Result<digicert::Response<()>> {
    client
        .get_emergency_emails()
        .send()
        .await
        .map(|r| r.map(drop))
}

#[tokio::test(start_paused = true)]
async fn overload_answers_are_retried_for_every_method() {
    for status in [429u16, 502, 503, 504] {
        for post in [false, true] {
            let success = if post { created() } else { emails() };
            let server = ScriptServer::start(vec![Step::status(status)], success).await;
            let client = partner_client(&server.url(), RetryPolicy::default());
            let result = if post {
                create(&client).await
            } else {
                list(&client).await
            };
            let label = format!("{status} on {}", if post { "POST" } else { "GET" });
            result.unwrap_or_else(|e| panic!("{label}: {e}"));
            assert_eq!(server.arrivals().len(), 2, "{label}");
        }
    }
}

#[tokio::test(start_paused = true)]
async fn refused_connections_are_retried_for_every_method_and_say_so() {
    let url = refusing_address().await;
    let client = partner_client(&url, RetryPolicy::default().max_attempts(3));
    let err = create(&client).await.expect_err("nothing listens");
    assert_eq!(err.kind(), ErrorKind::Connect, "{err}");
    assert!(err.is_connect() && err.is_retryable());
    assert_eq!(err.attempts(), 3);
    let text = err.to_string();
    assert!(
        text.starts_with("create_subaccount: could not connect to DigiCert")
            && text.ends_with("(after 3 attempts)"),
        "{text}"
    );
}

#[tokio::test(start_paused = true)]
async fn other_5xx_and_timeouts_are_retried_only_when_the_operation_is_idempotent() {
    // 500: a GET is retried, a create is not.
    let server = ScriptServer::start(vec![Step::status(500)], emails()).await;
    list(&partner_client(&server.url(), RetryPolicy::default()))
        .await
        .expect("the GET is retried");
    assert_eq!(server.arrivals().len(), 2);

    let server = ScriptServer::start(vec![Step::status(500)], created()).await;
    let err = create(&partner_client(&server.url(), RetryPolicy::default()))
        .await
        .expect_err("a create is not repeated after a 500");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!((err.attempts(), err.is_retryable()), (1, false));
    assert_eq!(server.arrivals().len(), 1);

    // A timeout: likewise.
    let slow = Step::Delay(Duration::from_secs(60), Box::new(emails()));
    let server = ScriptServer::start(vec![slow], emails()).await;
    let client = partner::Client::builder(ApiKey::new("k-timeout").unwrap())
        .base_url(server.url())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let started = Instant::now();
    list(&client)
        .await
        .expect("the GET is retried after its timeout");
    assert_eq!(server.arrivals().len(), 2);
    assert!(started.elapsed() >= Duration::from_secs(10));

    let slow = Step::Delay(Duration::from_secs(60), Box::new(created()));
    let server = ScriptServer::start(vec![slow], created()).await;
    let client = partner::Client::builder(ApiKey::new("k-timeout-2").unwrap())
        .base_url(server.url())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let err = create(&client)
        .await
        .expect_err("a create is not repeated after a timeout");
    assert!(err.is_timeout(), "{err}");
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.arrivals().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_create_is_never_sent_twice_once_digicert_may_have_processed_it() {
    // The server reads (processes) the request, then drops the connection.
    let server = ScriptServer::start(vec![Step::Drop], created()).await;
    let err = create(&partner_client(&server.url(), RetryPolicy::default()))
        .await
        .expect_err("the connection broke after sending");
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert_eq!((err.attempts(), err.is_retryable()), (1, false));
    assert_eq!(server.arrivals().len(), 1, "the create was sent twice");

    // The same for a truncated answer.
    let server = ScriptServer::start(vec![Step::Truncate(201)], created()).await;
    let err = create(&partner_client(&server.url(), RetryPolicy::default()))
        .await
        .expect_err("the answer was cut off");
    assert_eq!(err.attempts(), 1, "{err}");
    assert_eq!(server.arrivals().len(), 1);

    // A GET that meets both is retried; so is a POST the spec marks safe to repeat.
    let server = ScriptServer::start(vec![Step::Drop, Step::Truncate(200)], emails()).await;
    list(&partner_client(&server.url(), RetryPolicy::default()))
        .await
        .expect("retried");
    assert_eq!(server.arrivals().len(), 3);
    let server = ScriptServer::start(vec![Step::Drop], Step::status(204)).await;
    partner_client(&server.url(), RetryPolicy::default())
        .revoke_acme_credentials()
        .acme_contract_id(5678)
        .send()
        .await
        .expect("revoking every credential twice is harmless (x-idempotent: true)");
    assert_eq!(server.arrivals().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn backoff_doubles_with_full_jitter_under_a_cap() {
    let policy = RetryPolicy::default()
        .max_attempts(6)
        .initial_delay(SECOND)
        .max_delay(Duration::from_secs(4));
    let server = ScriptServer::start(vec![], Step::status(503)).await;
    let client = services_client(&server.url(), policy);
    let err = client
        .get_subaccount()
        .subaccount_id(1)
        .send()
        .await
        .expect_err("always 503");
    assert_eq!(err.attempts(), 6);
    let gaps = server.gaps();
    assert_eq!(gaps.len(), 5);
    for (retry, gap) in gaps.iter().enumerate() {
        let bound = Duration::from_secs(1 << retry).min(Duration::from_secs(4));
        assert!(
            *gap <= bound,
            "retry {}: waited {gap:?}, bound {bound:?}",
            retry + 1
        );
    }
    // Full jitter draws each wait from 0 up to its bound (7.5 s in all, on average): a
    // client that retried at once would pass every bound above.
    assert!(
        gaps.iter().sum::<Duration>() > Duration::ZERO,
        "the client never waited between retries: {gaps:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn retry_after_is_honoured_in_seconds_and_as_a_date_up_to_a_cap() {
    let server = ScriptServer::start(
        vec![Step::status(503).header("retry-after", "7")],
        Step::status(200).header("content-type", "application/json"),
    )
    .await;
    let client = partner_client(&server.url(), RetryPolicy::default());
    let _ = list(&client).await;
    assert_eq!(server.gaps(), [Duration::from_secs(7)]);

    // An HTTP date 10 s ahead (whole seconds, so 9 to 10 s from now).
    let at = std::time::SystemTime::now() + Duration::from_secs(10);
    let server = ScriptServer::start(
        vec![Step::status(429).header("retry-after", httpdate::fmt_http_date(at))],
        emails(),
    )
    .await;
    list(&partner_client(&server.url(), RetryPolicy::default()))
        .await
        .expect("retried after the date");
    let gap = server.gaps()[0];
    assert!(
        gap > Duration::from_secs(8) && gap <= Duration::from_secs(10),
        "{gap:?}"
    );

    // Longer than the policy waits: the call ends at once, saying why.
    let server = ScriptServer::start(vec![], Step::status(503).header("retry-after", "3600")).await;
    let err = list(&partner_client(&server.url(), RetryPolicy::default()))
        .await
        .expect_err("not waited for");
    assert_eq!(err.attempts(), 1);
    assert!(err.is_retryable());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert!(err.to_string().contains("asked to wait 3600 s"), "{err}");
    assert_eq!(server.arrivals().len(), 1);

    // The largest Retry-After there is, with no cap: the deadline ends the call (no
    // overflow adding the wait to the time spent).
    let huge = Step::status(503).header("retry-after", u64::MAX.to_string());
    let server =
        ScriptServer::start(vec![], Step::Delay(Duration::from_secs(1), Box::new(huge))).await;
    let err = list(&partner_client(
        &server.url(),
        RetryPolicy::default().max_retry_after(Duration::MAX),
    ))
    .await
    .expect_err("never waited for");
    assert_eq!(err.attempts(), 1);
    assert!(err.to_string().contains("deadline"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn request_limit_exceeded_waits_at_least_the_five_second_window() {
    let limited = Step::json(
        429,
        &json!({"errors": [{"code": "request_limit_exceeded", "message": "Service unavailable, please limit request volume"}]}),
    );
    let server = ScriptServer::start(vec![limited], Step::json(200, &json!({}))).await;
    let client = services_client(&server.url(), RetryPolicy::default());
    let _ = client.get_subaccount().subaccount_id(1).send().await;
    let gaps = server.gaps();
    assert_eq!(gaps.len(), 1);
    assert!(gaps[0] >= Duration::from_secs(5), "{gaps:?}");
}

#[tokio::test(start_paused = true)]
async fn the_deadline_bounds_a_call_and_its_retries() {
    let slow = Step::Delay(Duration::from_secs(600), Box::new(emails()));
    let server = ScriptServer::start(vec![], slow).await;
    let client = partner::Client::builder(ApiKey::new("k-deadline").unwrap())
        .base_url(server.url())
        .timeout(Duration::from_secs(4))
        .deadline(Duration::from_secs(10))
        .retry(
            RetryPolicy::default()
                .max_attempts(10)
                .initial_delay(Duration::from_millis(100)),
        )
        .build()
        .unwrap();
    let started = Instant::now();
    let err = list(&client).await.expect_err("never answered in time");
    assert!(
        started.elapsed() <= Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert!(err.is_timeout(), "{err}");
    assert!(
        err.attempts() >= 2 && err.attempts() < 10,
        "{}",
        err.attempts()
    );
    assert!(
        started.elapsed() >= Duration::from_secs(9),
        "{:?}",
        started.elapsed()
    );
    assert!(
        err.to_string().contains("no complete answer within")
            && err.to_string().contains("deadline"),
        "{err}"
    );
}

#[tokio::test(start_paused = true)]
async fn retries_can_be_turned_off() {
    let server = ScriptServer::start(vec![], Step::status(503)).await;
    let err = list(&partner_client(&server.url(), RetryPolicy::disabled()))
        .await
        .expect_err("503");
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.arrivals().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn certcentral_keys_share_one_limiter_that_waits() {
    let server = ScriptServer::start(vec![], Step::json(200, &json!({}))).await;
    let key = ApiKey::new("limited-certcentral-key").unwrap();
    let build = || {
        services::Client::builder(key.clone())
            .base_url(server.url())
            .retry(RetryPolicy::disabled())
            .build()
            .unwrap()
    };
    // Two clients with the same key, and a clone: one budget of 100 per 5 s.
    let (a, b) = (build(), build());
    let c = a.clone();
    let started = Instant::now();
    let calls = (0..150).map(|i| {
        let client = [&a, &b, &c][i % 3].clone();
        async move {
            let _ = client.get_subaccount().subaccount_id(1).send().await;
        }
    });
    futures_join(calls).await;
    assert!(
        started.elapsed() >= Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let times: Vec<Instant> = server.arrivals().iter().map(|a| a.at).collect();
    assert_eq!(times.len(), 150);
    for (i, t) in times.iter().enumerate() {
        let within = times[i..]
            .iter()
            .filter(|u| **u - *t < Duration::from_secs(5))
            .count();
        assert!(within <= 100, "{within} requests within 5 s");
    }

    // Another key has its own budget; no limiter at all waits for nothing.
    let other = services::Client::builder(ApiKey::new("another-certcentral-key").unwrap())
        .base_url(server.url())
        .build()
        .unwrap();
    let unlimited = services::Client::builder(key.clone())
        .base_url(server.url())
        .no_rate_limit()
        .build()
        .unwrap();
    let started = Instant::now();
    for client in [&other, &unlimited] {
        for _ in 0..50 {
            let _ = client.get_subaccount().subaccount_id(1).send().await;
        }
    }
    assert_eq!(started.elapsed(), Duration::ZERO);
    // A custom limit applies as configured.
    let strict = services::Client::builder(ApiKey::new("strict-key").unwrap())
        .base_url(server.url())
        .rate_limit(RateLimit::new().window(2, SECOND))
        .build()
        .unwrap();
    let started = Instant::now();
    for _ in 0..5 {
        let _ = strict.get_subaccount().subaccount_id(1).send().await;
    }
    assert_eq!(started.elapsed(), Duration::from_secs(2));
}

#[tokio::test(start_paused = true)]
async fn every_attempt_sends_the_same_request() {
    // Each attempt builds its request afresh from the operation's builder: a retried create
    // must carry the same line, key and body as the first attempt.
    let server = ScriptServer::start(vec![Step::status(503), Step::status(429)], created()).await;
    create(&partner_client(&server.url(), RetryPolicy::default()))
        .await
        .expect("the third attempt succeeds");
    let arrivals = server.arrivals();
    assert_eq!(arrivals.len(), 3);
    let first = &arrivals[0];
    assert!(first.line.starts_with("POST /"), "{}", first.line);
    assert!(
        first
            .headers
            .iter()
            .any(|(name, value)| name == "x-partner-apikey" && value == "resilience-partner-key")
    );
    let body: serde_json::Value = serde_json::from_slice(&first.body).expect("a JSON body");
    assert_eq!(body["name"], "Acme");
    for again in &arrivals[1..] {
        assert_eq!(again.line, first.line);
        assert_eq!(again.headers, first.headers);
        assert_eq!(again.body, first.body);
    }
}

#[tokio::test(start_paused = true)]
async fn a_request_that_cannot_be_built_costs_no_rate_limit_budget() {
    let server = ScriptServer::start(vec![], Step::json(200, &json!({}))).await;
    let client = services::Client::builder(ApiKey::new("budget-certcentral-key").unwrap())
        .base_url(server.url())
        .rate_limit(RateLimit::new().window(1, Duration::from_secs(60)))
        .build()
        .unwrap();
    let started = Instant::now();
    for _ in 0..3 {
        // No subaccount id: refused before anything is sent.
        let err = client.get_subaccount().send().await.expect_err("no id");
        assert_eq!(err.kind(), ErrorKind::InvalidRequest, "{err}");
    }
    // The one request the window allows goes out at once (its `{}` answer does not decode:
    // only its arrival matters here).
    let _ = client.get_subaccount().subaccount_id(1).send().await;
    assert_eq!(started.elapsed(), Duration::ZERO, "nothing waited");
    assert_eq!(server.arrivals().len(), 1);
}

/// Runs the futures concurrently.
async fn futures_join<F>(futures: impl Iterator<Item = F>)
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let mut set = tokio::task::JoinSet::new();
    for f in futures {
        set.spawn(f);
    }
    while set.join_next().await.is_some() {}
}
