//! CertCentral's list queries exactly as they go on the wire. The request-shape snapshots
//! show query values decoded; DigiCert's docs are about the encoded form (a "contains"
//! search starts with `%25`), so the raw query string is checked here.

use std::sync::{Arc, Mutex};

use digicert_tests::Clients;
use httpmock::{HttpMockRequest, HttpMockResponse, MockServer};

/// The raw query strings of every request `call` makes against a server answering an
/// empty page.
async fn raw_queries<F, Fut>(call: F) -> Vec<String>
where
    F: FnOnce(Clients) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let server = MockServer::start_async().await;
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = Arc::clone(&seen);
    server
        .mock_async(move |_when, then| {
            then.respond_with(move |request: &HttpMockRequest| {
                let query = request.uri().query().unwrap_or_default().to_owned();
                sink.lock().expect("capture lock").push(query);
                HttpMockResponse::builder()
                    .status(200)
                    .header("content-type", "application/json")
                    .body(r#"{"subaccounts": [], "orders": [], "page": {"total": 0, "limit": 50, "offset": 0}}"#)
                    .build()
            });
        })
        .await;
    call(Clients::new(&server.base_url())).await;
    seen.lock().expect("capture lock").clone()
}

#[tokio::test]
async fn a_contains_search_goes_out_as_percent_25_and_every_special_character_is_encoded() {
    let queries = raw_queries(|clients| async move {
        clients
            .services
            .list_subaccounts()
            .filters_search("%Bakery & Sons, Inc.")
            .sort("-date_created,organization_name")
            .offset(100)
            .limit(50)
            .send()
            .await
            .expect("an empty page");
    })
    .await;
    // Form encoding: `%` -> %25 (DigiCert's "contains"), space -> `+`, `&` and `,` and
    // the brackets percent-encoded; `-` and `_` as they are.
    assert_eq!(
        queries,
        [
            "filters%5Bsearch%5D=%25Bakery+%26+Sons%2C+Inc.&limit=50&offset=100&sort=-date_created%2Corganization_name"
        ]
    );
}

#[tokio::test]
async fn percent_25_written_by_hand_is_encoded_again() {
    // The spec says so: pass the % itself; "%25x" searches for names containing "25x".
    let queries = raw_queries(|clients| async move {
        clients
            .services
            .list_subaccounts()
            .filters_search("%25Bakery")
            .send()
            .await
            .expect("an empty page");
    })
    .await;
    assert_eq!(queries, ["filters%5Bsearch%5D=%2525Bakery"]);
}

#[tokio::test]
async fn a_stream_starts_at_offset_0_with_the_query_and_stops_at_an_empty_page() {
    let queries = raw_queries(|clients| async move {
        let items = clients
            .services
            .list_subaccount_orders()
            .sort("-date_created")
            .limit(50)
            .stream()
            .collect_all()
            .await
            .expect("an empty list");
        assert!(items.is_empty());
    })
    .await;
    // An empty first page ends the stream: one request, from offset 0.
    assert_eq!(queries, ["limit=50&offset=0&sort=-date_created"]);
}
