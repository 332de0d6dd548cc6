//! The sandbox's accept loop: HTTP/1.1 connections served by hyper with the sandbox's own
//! limits (a head must arrive within [`HEAD_TIMEOUT`]; hyper's own size limit is set far
//! above the sandbox's, so that an oversized URI or header block gets the family's JSON
//! error from the router instead of hyper's empty 414/431), graceful shutdown, and a
//! per-connection switch that closes the connection without an answer (the `drop` fault).

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tower_service::Service;

/// How long a client may take to send a request's head.
pub(crate) const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// hyper's own limit for a request head; the router refuses smaller oversized heads with
/// JSON first (see `server::check_head`).
const HYPER_HEAD_LIMIT: usize = 1024 * 1024;

/// In every request's extensions: closes the request's connection at once, without an
/// answer (after the handler ran: DigiCert may have processed the request).
#[derive(Clone, Debug)]
pub(crate) struct Connection(Arc<Notify>);

impl Connection {
    /// Closes the connection; the response being written is abandoned.
    pub(crate) fn drop_now(&self) {
        self.0.notify_one();
    }
}

/// Serves `router` on `listener` until `stop` resolves, then lets open requests finish
/// for up to `grace`.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    stop: impl Future<Output = ()>,
    grace: Duration,
) -> std::io::Result<()> {
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEAD_TIMEOUT)
        .max_buf_size(HYPER_HEAD_LIMIT);
    // Every connection's task, so that those still open after the grace can be ended.
    let mut connections = tokio::task::JoinSet::new();
    tokio::pin!(stop);
    loop {
        // Forget the connections that have ended.
        while connections.try_join_next().is_some() {}
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // A client that vanished before its connection was accepted; keep serving.
                Err(e) if is_transient(&e) => continue,
                Err(e) => return Err(e),
            },
            () = &mut stop => break,
        };
        let _ = stream.set_nodelay(true);
        let switch = Arc::new(Notify::new());
        let connection = Connection(Arc::clone(&switch));
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(connection.clone());
            let mut router = router.clone();
            async move {
                let response = router.call(request.map(Body::new)).await;
                Ok::<_, Infallible>(response.unwrap_or_else(|never| match never {}))
            }
        });
        let conn = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        connections.spawn(async move {
            tokio::select! {
                // An error here is the client's (a malformed request, a reset): hyper has
                // answered what it could; nothing to log.
                _ = conn => {}
                () = switch.notified() => {}
            }
        });
    }
    drop(listener);
    // Waits for open connections to finish their requests; after the grace period the
    // connections still open are closed without an answer.
    if tokio::time::timeout(grace, graceful.shutdown())
        .await
        .is_err()
    {
        connections.abort_all();
    }
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// Accept errors that concern one connection only.
fn is_transient(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionAborted | ConnectionReset | ConnectionRefused | Interrupted | WouldBlock
    )
}
