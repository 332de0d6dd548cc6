//! Benchmarks of the `digicert` client against raw reqwest (`benches/client.rs`) and of the
//! sandbox against a minimal hyper server (`benches/throughput.rs`). Method and numbers:
//! `docs/benchmarks.md`. This crate has no library code; it exists so that the benchmarks
//! build with the features a user's build has, and no test-only ones.
