//! CertCentral's two lists through the generated client: `GET /account/subaccount` (direct
//! subaccounts, `filters[search]`, `sort`, `offset`/`limit`, `page`) and
//! `GET /account/subaccount/order` (the whole subtree's orders), and the literal `order`
//! segment beside `{subaccount_id}`.

use std::cmp::Ordering;
use std::collections::HashSet;

use digicert::services::types::{SubaccountOrder, SubaccountSummary};
use serde_json::Value;

use crate::common::{
    assert_refused, finish, key_of, seed_with_keys, services, services_with, spec, start,
    start_seeded,
};

/// Every direct subaccount of the seeded key's account, in one page.
async fn everything(client: &digicert::services::Client) -> Vec<SubaccountSummary> {
    let list = client
        .list_subaccounts()
        .send()
        .await
        .expect("list")
        .into_inner();
    assert_eq!(list.page.total as usize, list.subaccounts.len());
    list.subaccounts
}

fn ids(items: &[SubaccountSummary]) -> Vec<i64> {
    items.iter().map(|s| s.account_id).collect()
}

fn caseless(a: &str, b: &str) -> Ordering {
    a.to_lowercase().cmp(&b.to_lowercase()).then(a.cmp(b))
}

#[tokio::test]
async fn the_list_holds_the_direct_subaccounts_in_one_page_by_default() {
    let sandbox = start().await;
    let client = services(&sandbox);
    let list = client
        .list_subaccounts()
        .send()
        .await
        .expect("list")
        .into_inner();
    // Without offset and limit: the first page, as large as the spec's maximum.
    assert_eq!((list.page.offset, list.page.limit), (0, 1000));
    assert_eq!(list.page.total, 252);
    let got = ids(&list.subaccounts);
    // Ascending account ID by default; direct subaccounts only.
    let mut sorted = got.clone();
    sorted.sort_unstable();
    assert_eq!(got, sorted);
    assert!(got.contains(&1_122_339) && got.contains(&1_122_340));
    assert!(!got.contains(&1_122_345), "a sub-subaccount is not listed");
    assert!(
        !got.contains(&2_233_445),
        "another account's subaccount is not listed"
    );
    // The list shows what info shows.
    let documented = &list.subaccounts[0];
    let info = client
        .get_subaccount()
        .subaccount_id(documented.account_id)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(documented.account_id, 1_122_339);
    assert_eq!(documented.account_type, info.account_type);
    assert_eq!(documented.organization_name, info.organization_name);
    assert_eq!(documented.date_created, info.date_created);
    assert_eq!(documented.account_manager, info.account_manager);
    finish(sandbox).await;
}

#[tokio::test]
async fn the_sandbox_pages_by_the_specs_maximum() {
    // One fact, one place: the sandbox's default and largest page is the spec's maximum.
    let spec = &spec(digicert_sandbox::Family::CertCentral).raw;
    for path in ["/account/subaccount", "/account/subaccount/order"] {
        let limit = spec["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "limit")
            .unwrap();
        assert_eq!(limit["schema"]["maximum"], Value::from(1000), "{path}");
    }
    let sandbox = start().await;
    let client = services(&sandbox);
    let page = client.list_subaccounts().limit(1000).send().await.unwrap();
    assert_eq!(page.page.limit, 1000);
    for limit in [0, -1, 1001] {
        assert_refused(
            client.list_subaccounts().limit(limit).send().await,
            400,
            "bad_request_format",
            "limit",
        );
        assert_refused(
            client.list_subaccount_orders().limit(limit).send().await,
            400,
            "bad_request_format",
            "is outside 1 to 1000",
        );
    }
    assert_refused(
        client.list_subaccounts().offset(-1).send().await,
        400,
        "bad_request_format",
        "offset: must be 0 or more",
    );
    finish(sandbox).await;
}

#[tokio::test]
async fn offset_and_limit_cut_the_sorted_list_and_page_says_where() {
    let sandbox = start().await;
    let client = services(&sandbox);
    let all = everything(&client).await;
    let page = client
        .list_subaccounts()
        .offset(245)
        .limit(10)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (page.page.total, page.page.limit, page.page.offset),
        (252, 10, 245)
    );
    assert_eq!(ids(&page.subaccounts), ids(&all[245..]));
    let beyond = client
        .list_subaccounts()
        .offset(400)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(beyond.subaccounts.is_empty());
    assert_eq!((beyond.page.total, beyond.page.offset), (252, 400));
    finish(sandbox).await;
}

#[tokio::test]
async fn search_is_exact_or_contains_with_a_leading_percent_sign() {
    let sandbox = start().await;
    let client = services(&sandbox);
    let all = everything(&client).await;
    let search = |value: &'static str| {
        let client = &client;
        async move {
            client
                .list_subaccounts()
                .filters_search(value)
                .send()
                .await
                .expect("search")
                .into_inner()
        }
    };
    // Exact: the whole name, ignoring case.
    let exact = search("northwind traders gmbh").await;
    assert_eq!(ids(&exact.subaccounts), [1_122_340]);
    assert_eq!(exact.page.total, 1);
    assert_eq!(search("Northwind").await.page.total, 0);
    // "Contains": the client sends the % as %25, as DigiCert's docs show.
    let bakeries = search("%Bakery").await;
    let expected: Vec<i64> = all
        .iter()
        .filter(|s| s.organization_name.to_lowercase().contains("bakery"))
        .map(|s| s.account_id)
        .collect();
    assert!(expected.len() > 1);
    assert_eq!(ids(&bakeries.subaccounts), expected);
    assert_eq!(bakeries.page.total as usize, expected.len());
    // A value with spaces and a percent sign inside is still one value.
    let spaced = search("%Traders GmbH").await;
    assert_eq!(ids(&spaced.subaccounts), [1_122_340]);
    assert_eq!(search("Northwind%").await.page.total, 0);
    // Only names of direct subaccounts are searched.
    let real = search("%Real Organization").await;
    assert_eq!(ids(&real.subaccounts), [1_122_339]);
    finish(sandbox).await;
}

#[tokio::test]
async fn every_documented_sort_key_sorts_both_ways_and_unknown_keys_are_400() {
    let sandbox = start().await;
    let client = services(&sandbox);
    let all = everything(&client).await;
    type Compare = fn(&SubaccountSummary, &SubaccountSummary) -> Ordering;
    let keys: [(&str, Compare); 5] = [
        ("account_id", |a, b| a.account_id.cmp(&b.account_id)),
        ("account_type", |a, b| {
            a.account_type.as_str().cmp(b.account_type.as_str())
        }),
        ("organization_name", |a, b| {
            caseless(&a.organization_name, &b.organization_name)
        }),
        ("date_created", |a, b| a.date_created.cmp(&b.date_created)),
        // An absent manager sorts first.
        ("account_manager", |a, b| {
            match (&a.account_manager, &b.account_manager) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Less,
                (Some(_), None) => Ordering::Greater,
                (Some(x), Some(y)) => caseless(x, y),
            }
        }),
    ];
    for (key, compare) in keys {
        for descending in [false, true] {
            let sort = if descending {
                format!("-{key}")
            } else {
                key.to_owned()
            };
            let got = client
                .list_subaccounts()
                .sort(sort.clone())
                .send()
                .await
                .unwrap()
                .into_inner()
                .subaccounts;
            let mut expected = all.clone();
            // Ties by ascending account ID, whatever the direction.
            expected.sort_by(|a, b| {
                let order = compare(a, b);
                let order = if descending { order.reverse() } else { order };
                order.then(a.account_id.cmp(&b.account_id))
            });
            assert_eq!(ids(&got), ids(&expected), "sort={sort}");
        }
    }
    // Several keys: earlier ones first.
    let got = client
        .list_subaccounts()
        .sort("account_type,-date_created")
        .send()
        .await
        .unwrap()
        .into_inner()
        .subaccounts;
    let mut expected = all.clone();
    expected.sort_by(|a, b| {
        a.account_type
            .as_str()
            .cmp(b.account_type.as_str())
            .then(b.date_created.cmp(&a.date_created))
    });
    assert_eq!(ids(&got), ids(&expected));
    assert_refused(
        client.list_subaccounts().sort("name").send().await,
        400,
        "bad_request_format",
        "sort: unknown property \"name\"; sort by account_id, account_type",
    );
    finish(sandbox).await;
}

#[tokio::test]
async fn a_subaccount_key_lists_its_own_subaccounts() {
    let sandbox = start_seeded(seed_with_keys(&[1_122_339])).await;
    let client = services_with(&sandbox, key_of(1_122_339));
    let list = client.list_subaccounts().send().await.unwrap().into_inner();
    assert_eq!(ids(&list.subaccounts), [1_122_345]);
    assert_eq!(list.page.total, 1);
    finish(sandbox).await;
}

fn order_ids(orders: &[SubaccountOrder]) -> Vec<i64> {
    orders.iter().map(|o| o.id).collect()
}

#[tokio::test]
async fn orders_come_from_the_whole_subtree_with_details_for_direct_subaccounts_only() {
    let sandbox = start().await;
    let client = services(&sandbox);
    let list = client
        .list_subaccount_orders()
        .send()
        .await
        .expect("orders")
        .into_inner();
    assert_eq!(
        (list.page.total, list.page.limit, list.page.offset),
        (10, 1000, 0)
    );
    let by_subaccount: HashSet<i64> = list
        .orders
        .iter()
        .map(|o| o.subaccount.account_id)
        .collect();
    // Direct subaccounts, the sub-subaccount 1122345, never the unrelated 2233445.
    for id in [1_122_339, 1_122_340, 1_122_345, 1_130_000, 1_130_001] {
        assert!(by_subaccount.contains(&id), "{id}");
    }
    assert!(!by_subaccount.contains(&2_233_445));
    // Default order: ascending ID.
    let got = order_ids(&list.orders);
    let mut sorted = got.clone();
    sorted.sort_unstable();
    assert_eq!(got, sorted);
    for order in &list.orders {
        let direct = order.subaccount.account_id != 1_122_345;
        if direct && order.subaccount.account_id == 1_122_339 {
            assert!(order.certificate.is_some() && order.organization.is_some());
        }
        if !direct {
            assert!(
                order.certificate.is_none() && order.organization.is_none(),
                "order {} of a sub-subaccount shows details",
                order.id
            );
        }
    }
    finish(sandbox).await;
}

#[tokio::test]
async fn a_subaccount_key_sees_its_subaccounts_orders_with_details() {
    let sandbox = start_seeded(seed_with_keys(&[1_122_339])).await;
    let client = services_with(&sandbox, key_of(1_122_339));
    let list = client
        .list_subaccount_orders()
        .send()
        .await
        .unwrap()
        .into_inner();
    // Only 1122345's orders: a key's own orders are not its subaccounts' orders.
    assert!(!list.orders.is_empty());
    for order in &list.orders {
        assert_eq!(order.subaccount.account_id, 1_122_345);
        assert!(order.certificate.is_some() && order.organization.is_some());
    }
    assert_eq!(list.page.total as usize, list.orders.len());
    finish(sandbox).await;
}

#[tokio::test]
async fn orders_sort_by_every_documented_key_and_page() {
    let sandbox = start().await;
    let client = services(&sandbox);
    let all = client
        .list_subaccount_orders()
        .send()
        .await
        .unwrap()
        .into_inner()
        .orders;
    type Compare = fn(&SubaccountOrder, &SubaccountOrder) -> Ordering;
    let common_name =
        |o: &SubaccountOrder| o.certificate.as_ref().map(|c| c.common_name.to_lowercase());
    let keys: [(&str, Compare); 5] = [
        ("id", |a, b| a.id.cmp(&b.id)),
        ("common_name", |a, b| {
            let name =
                |o: &SubaccountOrder| o.certificate.as_ref().map(|c| c.common_name.to_lowercase());
            name(a).cmp(&name(b))
        }),
        ("product_name_id", |a, b| {
            a.product.name_id.cmp(&b.product.name_id)
        }),
        ("date_created", |a, b| a.date_created.cmp(&b.date_created)),
        ("validity_years", |a, b| {
            a.validity_years.cmp(&b.validity_years)
        }),
    ];
    // Some orders have no certificate: they sort first by common_name.
    assert!(all.iter().any(|o| common_name(o).is_none()));
    for (key, compare) in keys {
        for descending in [false, true] {
            let sort = if descending {
                format!("-{key}")
            } else {
                key.to_owned()
            };
            let got = client
                .list_subaccount_orders()
                .sort(sort.clone())
                .send()
                .await
                .unwrap()
                .into_inner()
                .orders;
            let mut expected = all.clone();
            expected.sort_by(|a, b| {
                let order = compare(a, b);
                let order = if descending { order.reverse() } else { order };
                order.then(a.id.cmp(&b.id))
            });
            assert_eq!(order_ids(&got), order_ids(&expected), "sort={sort}");
        }
    }
    let page = client
        .list_subaccount_orders()
        .sort("-date_created")
        .offset(3)
        .limit(3)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (page.page.total, page.page.limit, page.page.offset),
        (10, 3, 3)
    );
    let mut newest_first = all.clone();
    newest_first.sort_by_key(|o| std::cmp::Reverse(o.date_created));
    assert_eq!(order_ids(&page.orders), order_ids(&newest_first[3..6]));
    // The subaccount list's keys are not the order list's.
    assert_refused(
        client
            .list_subaccount_orders()
            .sort("account_id")
            .send()
            .await,
        400,
        "bad_request_format",
        "sort: unknown property \"account_id\"; sort by id, common_name",
    );
    finish(sandbox).await;
}

#[tokio::test]
async fn the_literal_order_segment_reaches_the_order_list_not_a_subaccount() {
    let sandbox = start().await;
    let client = services(&sandbox);
    client
        .list_subaccount_orders()
        .send()
        .await
        .expect("orders");
    client
        .get_subaccount()
        .subaccount_id(1_122_339)
        .send()
        .await
        .expect("info");
    let exchanges = sandbox.exchanges();
    let routed: Vec<(&str, Option<&str>)> = exchanges
        .iter()
        .map(|e| (e.path.as_str(), e.operation_id))
        .collect();
    assert_eq!(
        routed,
        [
            (
                "/services/v2/account/subaccount/order",
                Some("list_subaccount_orders")
            ),
            (
                "/services/v2/account/subaccount/1122339",
                Some("get_subaccount")
            ),
        ]
    );
    finish(sandbox).await;
}
