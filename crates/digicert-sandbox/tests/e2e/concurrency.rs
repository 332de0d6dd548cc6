//! 1,000 emergency-email PUT/DELETE operations from 16 concurrent tasks (through the
//! generated client) never leave the account without an email, and the sandbox's
//! decisions equal a sequential replay of its operation log.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use digicert_sandbox::{EmailChange, EmailOperation, KeyKind};

use crate::common::{emails, finish, partner, start};

const TASKS: usize = 16;
const OPERATIONS: usize = 1_000;
/// The addresses operations pick from; the first two are the account's seeded ones.
const POOL: [&str; 5] = [
    "security@acme.example",
    "emergency@acme.example",
    "oncall@acme.example",
    "noc@acme.example",
    "ciso@acme.example",
];

/// A small deterministic generator (xorshift64*), so a failure can be rerun as it was.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The rules as a sequential model, written independently of the sandbox: add appends
/// what is missing; remove refuses to leave nothing. `None` means refused.
fn model(current: &[String], change: EmailChange, requested: &[String]) -> Option<Vec<String>> {
    let mut after = current.to_vec();
    match change {
        EmailChange::Add => {
            for address in requested {
                if !after.contains(address) {
                    after.push(address.clone());
                }
            }
        }
        EmailChange::Remove => after.retain(|a| !requested.contains(a)),
    }
    (!after.is_empty()).then_some(after)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_changes_never_leave_zero_emails_and_replay_sequentially() {
    let sandbox = start().await;
    let client = partner(&sandbox, KeyKind::PartnerSubaccount);
    let initial = client
        .get_emergency_emails()
        .send()
        .await
        .expect("initial emails")
        .into_inner()
        .emergency_contact_emails;
    assert_eq!(initial, POOL[..2]);

    let accepted = Arc::new(AtomicUsize::new(0));
    let writers_done = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for task in 0..TASKS {
        let client = client.clone();
        let accepted = Arc::clone(&accepted);
        // 1,000 over 16 tasks: the first 8 do 63, the others 62.
        let count = OPERATIONS / TASKS + usize::from(task < OPERATIONS % TASKS);
        writers.push(tokio::spawn(async move {
            let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (task as u64 + 1));
            for _ in 0..count {
                let picked: Vec<&str> = (0..1 + rng.below(2))
                    .map(|_| POOL[rng.below(POOL.len())])
                    .collect();
                let result = if rng.below(2) == 0 {
                    client
                        .add_emergency_emails()
                        .body(emails(&picked))
                        .send()
                        .await
                } else {
                    client
                        .delete_emergency_emails()
                        .body(emails(&picked))
                        .send()
                        .await
                };
                match result {
                    Ok(answer) => {
                        assert_eq!(answer.status().as_u16(), 204);
                        accepted.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(err) => {
                        assert_eq!(err.status().map(|s| s.as_u16()), Some(400), "{err}");
                        assert!(err.errors()[0].message.contains("at least one"), "{err}");
                    }
                }
            }
        }));
    }
    // A reader watches the list while the writers run: it must never be empty.
    let reader = {
        let client = client.clone();
        let writers_done = Arc::clone(&writers_done);
        tokio::spawn(async move {
            let mut reads = 0;
            while !writers_done.load(Ordering::Relaxed) && reads < 500 {
                let seen = client
                    .get_emergency_emails()
                    .send()
                    .await
                    .expect("read during writes")
                    .into_inner()
                    .emergency_contact_emails;
                assert!(!seen.is_empty(), "a reader saw zero emails");
                reads += 1;
            }
        })
    };
    for writer in writers {
        writer.await.expect("writer task");
    }
    writers_done.store(true, Ordering::Relaxed);
    reader.await.expect("reader task");

    let log: Vec<EmailOperation> = sandbox.email_operations();
    assert_eq!(log.len(), OPERATIONS);
    let accepted_in_log = log.iter().filter(|op| op.accepted).count();
    assert_eq!(accepted_in_log, accepted.load(Ordering::Relaxed));
    assert!(
        accepted_in_log > 0 && accepted_in_log < OPERATIONS,
        "both outcomes should occur ({accepted_in_log} accepted)"
    );

    // Replay every decision in lock order: same decision, same list, never empty.
    let mut state = initial.clone();
    for (position, op) in log.iter().enumerate() {
        assert_eq!(op.sequence, position as u64);
        let decided = model(&state, op.change, &op.emails);
        assert_eq!(decided.is_some(), op.accepted, "decision of {op:?}");
        if let Some(after) = decided {
            state = after;
        }
        assert_eq!(state, op.emails_after, "list after {op:?}");
        assert!(!state.is_empty());
    }
    // The final state is the sequential replay of the accepted operations alone.
    let replayed = log
        .iter()
        .filter(|op| op.accepted)
        .try_fold(initial, |list, op| model(&list, op.change, &op.emails))
        .expect("every accepted operation replays");
    let fin = client
        .get_emergency_emails()
        .send()
        .await
        .expect("final emails")
        .into_inner()
        .emergency_contact_emails;
    assert_eq!(fin, replayed);
    finish(sandbox).await;
}
