//! `digicert` as a user runs it: the binary against the sandbox (and a scripted server for
//! answers the sandbox never gives), one test binary.

mod behaviour;
mod common;
mod help;
mod operations;
mod scripted;
