//! Property tests of decoding: any bytes, any JSON, and near-miss JSON (an operation's own
//! documented example with one place changed) as every operation's response body, with any
//! status from 200 to 599. The client never panics, and every outcome is what its status
//! says: a documented success status decodes or is a `Decode` error with that status; a
//! redirect is `Redirect`; anything else is `Api` with the status and DigiCert's errors
//! when the body has them.

use std::sync::OnceLock;

use digicert::ErrorKind;
use digicert_tests::script::{ScriptServer, Step};
use digicert_tests::spec::{self, SpecOperation};
use digicert_tests::{Clients, Family, Input, OPERATIONS, Operation};
use proptest::prelude::*;
use serde_json::{Value, json};

/// Every operation with its spec facts, once.
fn operations() -> &'static [(Operation, SpecOperation)] {
    static OPS: OnceLock<Vec<(Operation, SpecOperation)>> = OnceLock::new();
    OPS.get_or_init(|| {
        Family::ALL
            .into_iter()
            .flat_map(spec::operations)
            .map(|op| {
                let harness = *OPERATIONS
                    .iter()
                    .find(|h| h.family == op.family && h.id == op.id)
                    .expect("every spec operation is in the harness");
                (harness, op)
            })
            .collect()
    })
}

/// One runtime, one server whose answer each case sets, and one set of clients: building
/// a client loads TLS roots, which would dominate the test's time.
struct World {
    runtime: tokio::runtime::Runtime,
    server: ScriptServer,
    clients: Clients,
}

fn world() -> &'static std::sync::Mutex<World> {
    static WORLD: OnceLock<std::sync::Mutex<World>> = OnceLock::new();
    WORLD.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let server = runtime.block_on(ScriptServer::start(vec![], Step::status(500)));
        let clients = Clients::new(&server.url());
        std::sync::Mutex::new(World {
            runtime,
            server,
            clients,
        })
    })
}

/// Any JSON value, nested a few levels.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,40}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// JSON pointers of every place below the root.
fn places(value: &Value, at: &str, out: &mut Vec<String>) {
    match value {
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| {
            let here = format!("{at}/{i}");
            out.push(here.clone());
            places(v, &here, out);
        }),
        Value::Object(map) => map.iter().for_each(|(k, v)| {
            let here = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
            out.push(here.clone());
            places(v, &here, out);
        }),
        _ => {}
    }
}

/// The operation's first documented example body with one place replaced (or removed).
fn near_miss(op: &SpecOperation, pick: usize, replacement: Value, remove: bool) -> Value {
    let mut example = op
        .responses
        .iter()
        .find_map(|r| r.example.clone())
        .unwrap_or(json!({}));
    let mut all = Vec::new();
    places(&example, "", &mut all);
    let Some(place) = all.get(pick % all.len().max(1)) else {
        return replacement;
    };
    let (parent, last) = place.rsplit_once('/').expect("a pointer has a slash");
    if remove && let Some(Value::Object(map)) = example.pointer_mut(parent) {
        map.remove(&last.replace("~1", "/").replace("~0", "~"));
        return example;
    }
    if let Some(target) = example.pointer_mut(place) {
        *target = replacement;
    }
    example
}

#[derive(Debug, Clone)]
enum Body {
    Bytes(Vec<u8>),
    Json(Value),
    NearMiss(usize, Value, bool),
}

fn any_body() -> impl Strategy<Value = Body> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512).prop_map(Body::Bytes),
        any_json().prop_map(Body::Json),
        (any::<usize>(), any_json(), any::<bool>())
            .prop_map(|(pick, v, remove)| Body::NearMiss(pick, v, remove)),
    ]
}

/// Sends `op` once against a server answering `status` with `body`, and checks the outcome.
fn check(op_index: usize, status: u16, body: Body) -> Result<(), TestCaseError> {
    let (harness, op) = &operations()[op_index % operations().len()];
    let bytes = match &body {
        Body::Bytes(bytes) => bytes.clone(),
        Body::Json(value) => value.to_string().into_bytes(),
        Body::NearMiss(pick, value, remove) => near_miss(op, *pick, value.clone(), *remove)
            .to_string()
            .into_bytes(),
    };
    let label = format!("{}::{} {status}", op.family.name(), op.id);
    let world = world()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    world.server.set_fallback(Step::Reply(
        status,
        vec![("content-type", "application/json".to_owned())],
        bytes.clone(),
    ));
    let input: Input = op.example_input.clone();
    let outcome = world
        .runtime
        .block_on((harness.call)(&world.clients, &input));
    drop(world);
    let documented = op.responses.iter().any(|r| r.status == status);
    match outcome {
        Ok(decoded) => {
            prop_assert!(
                (200..300).contains(&status) && documented,
                "{label}: {decoded:?}"
            );
            prop_assert_eq!(decoded.status, status);
        }
        Err(err) => {
            prop_assert_eq!(
                err.status().map(|s| s.as_u16()),
                Some(status),
                "{}: {}",
                label,
                err
            );
            let expected = if (200..300).contains(&status) && documented {
                ErrorKind::Decode
            } else if (300..400).contains(&status) {
                ErrorKind::Redirect
            } else {
                ErrorKind::Api
            };
            prop_assert_eq!(err.kind(), expected, "{}: {}", label, err);
            prop_assert_eq!(err.attempts(), 1);
            // Display and Debug never hold the body: no value from it is ever quoted.
            let shown = format!("{err} {err:?}");
            if let Ok(text) = std::str::from_utf8(&bytes) {
                let text = text.trim();
                if text.len() >= 12 {
                    prop_assert!(
                        !shown.contains(text),
                        "{}: the body shows in {}",
                        label,
                        shown
                    );
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn any_answer_to_any_operation_is_handled(
        op in any::<usize>(),
        status in prop_oneof![200u16..=599, Just(200u16), Just(201), Just(204)],
        body in any_body(),
    ) {
        check(op, status, body)?;
    }
}

/// Every operation's documented success status with a near miss of its own example, one
/// place at a time: exhaustive where the property test samples.
#[test]
fn every_one_place_change_of_every_example_is_handled() {
    let mut checked = 0;
    for (index, (_, op)) in operations().iter().enumerate() {
        let Some(success) = op.responses.iter().find(|r| (200..300).contains(&r.status)) else {
            continue;
        };
        let Some(example) = &success.example else {
            continue;
        };
        let mut all = Vec::new();
        places(example, "", &mut all);
        for pick in 0..all.len() {
            for (replacement, remove) in [
                (json!(null), false),
                (json!("x"), false),
                (json!(-1), false),
                (json!(null), true),
            ] {
                check(
                    index,
                    success.status,
                    Body::NearMiss(pick, replacement, remove),
                )
                .unwrap_or_else(|e| panic!("{}::{} place {pick}: {e}", op.family.name(), op.id));
                checked += 1;
            }
        }
    }
    assert!(checked > 500, "only {checked} near misses");
}
