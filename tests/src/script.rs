//! A scripted HTTP/1.1 server for the resilience tests: it runs as a task on the test's own
//! tokio runtime, so that with a paused clock its delays cost no real time, and it answers
//! each request with the next step of a script: a status with headers and body, a delay, a
//! dropped connection after reading the request, or a truncated answer. It records what
//! arrived and when (on tokio's clock).

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Step {
    /// Answer with a status, headers and a body.
    Reply(u16, Vec<(&'static str, String)>, Vec<u8>),
    /// Wait (on tokio's clock), then take the next step for the same request.
    Delay(Duration, Box<Step>),
    /// Read the request, then close the connection without answering: the request may
    /// have been processed.
    Drop,
    /// Answer with a status line and a `content-length` longer than what follows, then
    /// close.
    Truncate(u16),
}

impl Step {
    /// `Reply(status, [], "")`.
    pub fn status(status: u16) -> Step {
        Step::Reply(status, Vec::new(), Vec::new())
    }

    /// A JSON answer.
    pub fn json(status: u16, body: &serde_json::Value) -> Step {
        Step::Reply(
            status,
            vec![("content-type", "application/json".to_owned())],
            body.to_string().into_bytes(),
        )
    }

    /// This step with one more header (only for `Reply`).
    pub fn header(self, name: &'static str, value: impl Into<String>) -> Step {
        match self {
            Step::Reply(status, mut headers, body) => {
                headers.push((name, value.into()));
                Step::Reply(status, headers, body)
            }
            other => other,
        }
    }
}

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Arrival {
    /// When, on tokio's clock.
    pub at: Instant,
    /// `METHOD /path?query`.
    pub line: String,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

/// A running scripted server.
#[derive(Debug, Clone)]
pub struct ScriptServer {
    addr: SocketAddr,
    script: Arc<Mutex<VecDeque<Step>>>,
    /// The step taken when the script has run out.
    fallback: Arc<Mutex<Step>>,
    arrivals: Arc<Mutex<Vec<Arrival>>>,
}

impl ScriptServer {
    /// Starts a server on 127.0.0.1 that takes `steps` in order, then `fallback` forever.
    pub async fn start(steps: Vec<Step>, fallback: Step) -> ScriptServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let server = ScriptServer {
            addr: listener.local_addr().expect("local addr"),
            script: Arc::new(Mutex::new(steps.into())),
            fallback: Arc::new(Mutex::new(fallback)),
            arrivals: Arc::default(),
        };
        let this = server.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let this = this.clone();
                tokio::spawn(async move { this.serve(stream).await });
            }
        });
        server
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Replaces the step taken once the script has run out (e.g. the next answer).
    pub fn set_fallback(&self, step: Step) {
        *self.fallback.lock().expect("lock") = step;
    }

    /// Every request so far.
    pub fn arrivals(&self) -> Vec<Arrival> {
        self.arrivals.lock().expect("lock").clone()
    }

    /// The gaps between consecutive arrivals.
    pub fn gaps(&self) -> Vec<Duration> {
        let arrivals = self.arrivals();
        arrivals.windows(2).map(|w| w[1].at - w[0].at).collect()
    }

    async fn serve(&self, mut stream: TcpStream) {
        let Some(arrival) = read_request(&mut stream).await else {
            return;
        };
        self.arrivals.lock().expect("lock").push(arrival);
        let step = {
            let next = self.script.lock().expect("lock").pop_front();
            next.unwrap_or_else(|| self.fallback.lock().expect("lock").clone())
        };
        let mut step = step;
        loop {
            match step {
                Step::Delay(wait, then) => {
                    tokio::time::sleep(wait).await;
                    step = *then;
                }
                Step::Drop => return,
                Step::Truncate(status) => {
                    let head = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: 100\r\nconnection: close\r\n\r\n{{\"partial\":"
                    );
                    let _ = stream.write_all(head.as_bytes()).await;
                    return;
                }
                Step::Reply(status, headers, body) => {
                    let mut head = format!(
                        "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n",
                        body.len()
                    );
                    for (name, value) in headers {
                        head.push_str(&format!("{name}: {value}\r\n"));
                    }
                    head.push_str("\r\n");
                    let _ = stream.write_all(head.as_bytes()).await;
                    let _ = stream.write_all(&body).await;
                    let _ = stream.shutdown().await;
                    return;
                }
            }
        }
    }
}

/// Reads one request (head and a `content-length` body).
async fn read_request(stream: &mut TcpStream) -> Option<Arrival> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let line = request_line
        .rsplit_once(' ')
        .map_or(request_line, |(l, _)| l)
        .to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = data[head_end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&buf[..n]);
    }
    Some(Arrival {
        at: Instant::now(),
        line,
        headers,
        body,
    })
}

/// A loopback address where nothing listens: connecting is refused, so the request is
/// never sent.
pub async fn refusing_address() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("local addr");
    drop(listener);
    format!("http://{addr}")
}
