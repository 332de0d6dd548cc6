//! Benchmarks of the `digicert` client against raw reqwest (`benches/client.rs`) and of the
//! sandbox against a minimal hyper server (`benches/throughput.rs`). Method and numbers:
//! `docs/benchmarks.md`. The crate exists so that the benchmarks build with the features a
//! user's build has, and no test-only ones; the library holds what both benchmarks share.

/// The runtime both benchmarks run on: tokio's multi-threaded scheduler with 2 workers (the
/// machine's cores), timers and I/O on.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// The median of `values` (the upper one of the middle two for an even count); `NaN` for
/// none.
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}
