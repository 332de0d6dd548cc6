//! [`Error`]: what can go wrong starting, seeding or stopping a sandbox.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Everything that can go wrong with a sandbox itself (not the answers it gives: those are
/// HTTP responses). No variant ever holds an API key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The listening socket could not be opened.
    #[error("could not listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why not.
        source: std::io::Error,
    },
    /// A seed file could not be read.
    #[error("could not read the seed file {}: {source}", path.display())]
    SeedFile {
        /// The file.
        path: PathBuf,
        /// Why not.
        source: std::io::Error,
    },
    /// Seed data is not valid JSON of the seed format, or breaks one of its rules (an
    /// invalid email address, a duplicate ID or key, an unknown parent, ...).
    #[error("invalid seed data ({origin}): {message}")]
    Seed {
        /// Where the data came from: the file name given to `Seed::from_file`, the origin
        /// given to `Seed::from_json`, or `seed` for a seed handed to the builder.
        origin: String,
        /// What is wrong, naming the account, field or value.
        message: String,
    },
    /// A fault could not be set: fault injection is off, or the fault names no operation.
    #[error("fault injection: {message}")]
    Faults {
        /// What is wrong.
        message: String,
    },
    /// A control request (the clock, organization validation) was refused: the clock
    /// cannot go back or past 9999-01-01, there is no such ACME contract, and so on.
    #[error("the sandbox refused the control request: {message}")]
    Control {
        /// Why.
        message: String,
    },
    /// The server stopped with an error, or its task failed.
    #[error("the sandbox server failed: {message}")]
    Server {
        /// What happened.
        message: String,
    },
}
