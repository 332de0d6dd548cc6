//! The sandbox's own control endpoints under `/_sandbox/` and their `Sandbox` methods:
//! the clock moves ahead at once, never back, and control calls are not DigiCert
//! exchanges.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, TimeDelta, Utc};
use digicert_sandbox::{Error, KeyKind};
use serde_json::{Value, json};

use crate::common::{finish, first_error, http, partner, raw, start};

/// The system time, in whole seconds.
fn system_now() -> DateTime<Utc> {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    DateTime::from_timestamp_secs(i64::try_from(secs).expect("fits")).expect("in range")
}

/// `now` of a clock answer.
fn now_of(body: &Value) -> DateTime<Utc> {
    body["now"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no RFC 3339 `now` in {body}"))
}

#[tokio::test]
async fn the_clock_moves_ahead_at_once_through_the_endpoint_and_the_handle() {
    let sandbox = start().await;
    let url = format!("{}/_sandbox/clock", sandbox.url());
    let (status, body) = raw(http().get(&url).send().await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["offset_seconds"], json!(0));
    let start = now_of(&body);
    assert!(
        (start - system_now()).abs() < TimeDelta::seconds(5),
        "{body}"
    );
    assert_eq!(
        body["now"].as_str().unwrap().len(),
        20,
        "whole seconds: {body}"
    );

    // 31 days ahead, at once.
    let (status, body) = raw(http()
        .post(&url)
        .json(&json!({"advance_seconds": 31 * 86_400}))
        .send()
        .await
        .unwrap())
    .await;
    assert_eq!(status, 200, "{body}");
    let moved = now_of(&body);
    assert!(moved - start >= TimeDelta::days(31), "{body}");
    assert!(body["offset_seconds"].as_i64().unwrap() >= 31 * 86_400);

    // The handle sees the same clock and moves it too.
    assert!(sandbox.now() >= moved);
    let later = sandbox
        .advance_clock(Duration::from_secs(3_600))
        .expect("advance");
    assert!(later - moved >= TimeDelta::hours(1));
    let (_, body) = raw(http().get(&url).send().await.unwrap()).await;
    assert!(now_of(&body) >= later);

    // Setting it works forward only.
    let target: DateTime<Utc> = "2999-01-01T00:00:00Z".parse().unwrap();
    let (status, body) = raw(http()
        .post(&url)
        .json(&json!({"set": "2999-01-01T00:00:00Z"}))
        .send()
        .await
        .unwrap())
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(now_of(&body) >= target && now_of(&body) - target < TimeDelta::seconds(5));
    match sandbox.set_clock(start) {
        Err(Error::Control { message }) => assert!(message.contains("cannot go back"), "{message}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(sandbox.now() >= target);

    // DigiCert calls are recorded; control calls are not.
    partner(&sandbox, KeyKind::PartnerSubaccount)
        .get_emergency_emails()
        .send()
        .await
        .expect("a DigiCert call");
    let exchanges = sandbox.exchanges();
    assert_eq!(exchanges.len(), 1, "{exchanges:?}");
    finish(sandbox).await;
}

#[tokio::test]
async fn bad_clock_requests_are_400_and_change_nothing() {
    let sandbox = start().await;
    let url = format!("{}/_sandbox/clock", sandbox.url());
    let cases = [
        (json!({}), "exactly one of advance_seconds and set"),
        (
            json!({"advance_seconds": 1, "set": "2999-01-01T00:00:00Z"}),
            "exactly one of advance_seconds and set",
        ),
        (
            json!({"advance_seconds": -5}),
            "advance_seconds: invalid value",
        ),
        (json!({"set": "yesterday"}), "set: "),
        (json!({"set": "2001-01-01T00:00:00Z"}), "cannot go back"),
        (
            json!({"advance_seconds": 1_000_000_000_000u64}),
            "9999-01-01",
        ),
        (json!({"advance_by": 5}), "unknown field `advance_by`"),
    ];
    for (body, says) in cases {
        let (status, answer) = raw(http().post(&url).json(&body).send().await.unwrap()).await;
        assert_eq!(status, 400, "{body}: {answer}");
        let (code, message) = first_error(&answer);
        assert_eq!(code, "invalid_request");
        assert!(message.contains(says), "{body}: `{message}` lacks `{says}`");
    }
    let (status, answer) = raw(http().post(&url).body("{oops").send().await.unwrap()).await;
    assert_eq!(status, 400, "{answer}");
    // A wrong method is 405 with the methods the path answers.
    let response = http().put(&url).send().await.unwrap();
    let allow = response.headers().get("allow").cloned();
    let (status, answer) = raw(response).await;
    assert_eq!(status, 405, "{answer}");
    assert_eq!(
        allow.as_ref().and_then(|a| a.to_str().ok()),
        Some("GET, HEAD, POST")
    );
    assert!(
        first_error(&answer).1.contains("answers GET, HEAD, POST"),
        "{answer}"
    );
    let (_, body) = raw(http().get(&url).send().await.unwrap()).await;
    assert_eq!(body["offset_seconds"], json!(0), "nothing moved: {body}");
    partner(&sandbox, KeyKind::PartnerSubaccount)
        .list_account_settings()
        .send()
        .await
        .expect("a DigiCert call");
    finish(sandbox).await;
}
