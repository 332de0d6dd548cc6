//! The client's `stream()` against the sandbox: every item of more pages than one exactly
//! once, the next page requested only when pulled, and what happens when the total
//! changes while a stream runs.

use std::collections::HashSet;

use digicert::services::Client;

use crate::common::{calls, finish, new_subaccount, services, start};

const LIST: &str = "list_subaccounts";

async fn create(client: &Client, name: &str) -> i64 {
    client
        .create_subaccount()
        .body(new_subaccount("retail", &[], name))
        .send()
        .await
        .expect("create")
        .into_inner()
        .id
}

/// Every ID of the list, in its default order, from one page.
async fn all_ids(client: &Client) -> Vec<i64> {
    client
        .list_subaccounts()
        .send()
        .await
        .expect("list")
        .into_inner()
        .subaccounts
        .iter()
        .map(|s| s.account_id)
        .collect()
}

#[tokio::test]
async fn every_subaccount_comes_once_and_a_page_is_requested_only_when_pulled() {
    let sandbox = start().await;
    let client = services(&sandbox);
    let all = all_ids(&client).await;
    assert_eq!(all.len(), 252);
    let before = calls(&sandbox, LIST);
    let mut stream = client.list_subaccounts().limit(25).stream();
    assert_eq!(
        calls(&sandbox, LIST),
        before,
        "a stream sends nothing until pulled"
    );
    assert_eq!((stream.pages_fetched(), stream.total()), (0, None));
    let mut seen = Vec::new();
    for pulled in 1..=all.len() {
        let item = stream
            .next_item()
            .await
            .expect("an item")
            .expect("no error");
        seen.push(item.account_id);
        // Page k is requested when item 25(k-1)+1 is pulled, not before.
        let pages = pulled.div_ceil(25);
        assert_eq!(
            calls(&sandbox, LIST) - before,
            pages,
            "after {pulled} items"
        );
        assert_eq!(stream.pages_fetched() as usize, pages);
    }
    assert!(stream.next_item().await.is_none());
    // 11 pages, the last with 2 items; the stream stops at page.total without asking
    // for a 12th, empty page.
    assert_eq!(calls(&sandbox, LIST) - before, 11);
    assert_eq!(stream.total(), Some(252));
    assert_eq!(seen, all);
    finish(sandbox).await;
}

#[tokio::test]
async fn a_page_size_that_divides_the_total_asks_for_no_empty_page() {
    let sandbox = start().await;
    let client = services(&sandbox);
    for (limit, pages) in [(21, 12), (252, 1), (1000, 1)] {
        let before = calls(&sandbox, LIST);
        let items = client
            .list_subaccounts()
            .limit(limit)
            .stream()
            .collect_all()
            .await
            .expect("all pages");
        assert_eq!(items.len(), 252, "limit {limit}");
        assert_eq!(calls(&sandbox, LIST) - before, pages, "limit {limit}");
    }
    finish(sandbox).await;
}

#[tokio::test]
async fn filters_sort_and_a_starting_offset_apply_to_every_page() {
    let sandbox = start().await;
    let client = services(&sandbox);
    let one_page: Vec<i64> = client
        .list_subaccounts()
        .filters_search("%bakery")
        .sort("-organization_name")
        .send()
        .await
        .unwrap()
        .into_inner()
        .subaccounts
        .iter()
        .map(|s| s.account_id)
        .collect();
    let before = calls(&sandbox, LIST);
    let streamed: Vec<i64> = client
        .list_subaccounts()
        .filters_search("%bakery")
        .sort("-organization_name")
        .limit(7)
        .stream()
        .collect_all()
        .await
        .unwrap()
        .iter()
        .map(|s| s.account_id)
        .collect();
    assert_eq!(streamed, one_page);
    assert_eq!(calls(&sandbox, LIST) - before, one_page.len().div_ceil(7));
    // offset(..) is where the stream starts.
    let all = all_ids(&client).await;
    let before = calls(&sandbox, LIST);
    let tail: Vec<i64> = client
        .list_subaccounts()
        .offset(240)
        .limit(5)
        .stream()
        .collect_all()
        .await
        .unwrap()
        .iter()
        .map(|s| s.account_id)
        .collect();
    assert_eq!(tail, all[240..]);
    assert_eq!(calls(&sandbox, LIST) - before, 3);
    finish(sandbox).await;
}

#[tokio::test]
async fn subaccounts_added_behind_the_stream_are_picked_up_as_the_total_grows() {
    let sandbox = start().await;
    let client = services(&sandbox);
    let mut stream = client.list_subaccounts().limit(100).stream();
    let mut seen = Vec::new();
    for _ in 0..150 {
        seen.push(stream.next_item().await.unwrap().unwrap().account_id);
    }
    assert_eq!(stream.total(), Some(252));
    // New subaccounts get the highest IDs: the end of the default order.
    let first = create(&client, "Late Arrival One").await;
    let second = create(&client, "Late Arrival Two").await;
    while let Some(item) = stream.next_item().await {
        seen.push(item.unwrap().account_id);
    }
    // The third page reports the new total, and the stream follows it.
    assert_eq!(stream.total(), Some(254));
    assert_eq!(stream.pages_fetched(), 3);
    assert_eq!(seen.len(), 254);
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 254, "no repeats");
    assert_eq!(seen[252..], [first, second]);
    finish(sandbox).await;
}

#[tokio::test]
async fn a_subaccount_added_ahead_of_the_stream_shifts_the_pages() {
    let sandbox = start().await;
    let client = services(&sandbox);
    // Newest first: a new subaccount lands on page 1, which the stream has already read.
    let mut stream = client
        .list_subaccounts()
        .sort("-date_created")
        .limit(100)
        .stream();
    let mut seen = Vec::new();
    for _ in 0..100 {
        seen.push(stream.next_item().await.unwrap().unwrap().account_id);
    }
    let newcomer = create(&client, "Early Bird").await;
    while let Some(item) = stream.next_item().await {
        seen.push(item.unwrap().account_id);
    }
    // Offset paging cannot tell: everything moved one place back, so page 2 starts with
    // the last item of page 1 again, and the new subaccount is never seen. The stream
    // still ends at the new total (253 items yielded, 252 distinct).
    assert_eq!(stream.total(), Some(253));
    assert_eq!(seen.len(), 253);
    assert_eq!(seen[100], seen[99], "the last item of page 1 comes again");
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 252);
    assert!(!seen.contains(&newcomer));
    finish(sandbox).await;
}

#[tokio::test]
async fn the_order_list_streams_too_and_an_error_ends_a_stream() {
    let sandbox = start().await;
    let client = services(&sandbox);
    let before = calls(&sandbox, "list_subaccount_orders");
    let orders = client
        .list_subaccount_orders()
        .sort("-date_created")
        .limit(3)
        .stream()
        .collect_all()
        .await
        .expect("every order");
    assert_eq!(orders.len(), 10);
    assert!(
        orders
            .windows(2)
            .all(|w| w[0].date_created >= w[1].date_created)
    );
    assert_eq!(calls(&sandbox, "list_subaccount_orders") - before, 4);

    // A refused page is the stream's last item.
    let before = calls(&sandbox, LIST);
    let mut broken = client.list_subaccounts().sort("nope").limit(10).stream();
    let err = broken.next_item().await.expect("an item").unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert!(broken.next_item().await.is_none());
    assert_eq!(calls(&sandbox, LIST) - before, 1);
    finish(sandbox).await;
}
