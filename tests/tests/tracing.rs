//! Tracing output of calls that succeed, fail and retry: one span per call with its
//! fields, one event per retry, and never a key or a body. Alone in its test binary:
//! tracing caches per call site whether anyone listens, process-wide, so a test that sets
//! a thread-local subscriber races with other tests that hit the same call sites first.

use std::sync::{Arc, Mutex};

use digicert::httpmock::MockServer;
use digicert::{ApiKey, partner};
use digicert_tests::{PARTNER_KEY, SERVICES_KEY};
use serde_json::json;

const NEW_KEY: &str = "fresh-key-shown-once-Zq8Jk2Lm9Xw4";

#[track_caller]
fn hidden(what: &str, text: &str) {
    for secret in [PARTNER_KEY, SERVICES_KEY, NEW_KEY] {
        assert!(!text.contains(secret), "{what} shows {secret}: {text}");
    }
}

mod capture {
    //! A tracing subscriber that keeps every span and event field as text.

    use std::sync::{Arc, Mutex};

    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    /// Every field of every span and event, as `name=value` lines.
    #[derive(Clone, Default)]
    pub(super) struct Captured(pub(super) Arc<Mutex<Vec<String>>>);

    struct Fields<'a>(&'a mut Vec<String>);

    impl Visit for Fields<'_> {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            self.0.push(format!("{}={value:?}", field.name()));
        }
    }

    impl Subscriber for Captured {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, span: &Attributes<'_>) -> Id {
            let mut lines = self.0.lock().unwrap();
            lines.push(format!("span {}", span.metadata().name()));
            span.record(&mut Fields(&mut lines));
            Id::from_u64(lines.len() as u64)
        }
        fn record(&self, _: &Id, values: &Record<'_>) {
            values.record(&mut Fields(&mut self.0.lock().unwrap()));
        }
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            let mut lines = self.0.lock().unwrap();
            lines.push(format!("event {}", event.metadata().level()));
            event.record(&mut Fields(&mut lines));
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }
}

#[tokio::test]
async fn tracing_shows_calls_and_retries_but_never_a_key_or_a_body() {
    let captured = capture::Captured::default();
    let _guard = tracing::subscriber::set_default(captured.clone());
    let server = MockServer::start_async().await;
    let body = json!({"emergency_contact_emails": [NEW_KEY]});
    // The first attempt meets a 503 whose error message echoes the key; the retry succeeds.
    let attempts = Arc::new(Mutex::new(0));
    let counter = Arc::clone(&attempts);
    let answer = body.clone();
    server
        .mock_async(move |_when, then| {
            then.respond_with(move |_| {
                let mut n = counter.lock().unwrap();
                *n += 1;
                let builder = digicert::httpmock::HttpMockResponse::builder();
                if *n == 1 {
                    builder
                        .status(503)
                        .header("retry-after", "0")
                        .body(format!(
                            "{{\"errors\":[{{\"code\":\"busy\",\"message\":\"{PARTNER_KEY}\"}}]}}"
                        ))
                        .build()
                } else {
                    builder
                        .status(200)
                        .header("content-type", "application/json")
                        .body(answer.to_string())
                        .build()
                }
            });
        })
        .await;
    let client = partner::Client::builder(ApiKey::new(PARTNER_KEY).unwrap())
        .base_url(server.base_url())
        .build()
        .unwrap();
    let got = client
        .get_emergency_emails()
        .send()
        .await
        .expect("the retry succeeds");
    assert_eq!(got.emergency_contact_emails, [NEW_KEY]);
    assert_eq!(*attempts.lock().unwrap(), 2);
    let lines = captured.0.lock().unwrap().join("\n");
    hidden("tracing output", &lines);
    for expected in [
        "span digicert",
        "family=\"partner\"",
        "operation_id=\"get_emergency_emails\"",
        "method=\"GET\"",
        "path=\"/account/emergency-emails\"",
        "status=200",
        "attempts=2",
        "latency_ms=",
        "event INFO",
        "message=retrying DigiCert call",
        "delay_ms=0",
    ] {
        assert!(
            lines.contains(expected),
            "`{expected}` missing from:\n{lines}"
        );
    }
}
