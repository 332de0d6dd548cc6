//! The standalone binary: it prints the base URLs and the seeded keys, serves requests,
//! and stops cleanly (exit 0) on Ctrl-C (SIGINT).

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{assert_conforms, http, raw};
use digicert_sandbox::Family;

#[tokio::test]
async fn prints_urls_and_keys_serves_and_stops_on_ctrl_c() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_digicert-sandbox"))
        .args(["--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut banner = String::new();
    while !banner.contains("Press Ctrl-C to stop.") {
        let mut line = String::new();
        if stdout.read_line(&mut line).expect("read the banner") == 0 {
            break;
        }
        banner.push_str(&line);
    }
    let url = banner
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:") && w.ends_with("/partner-subscription/api/v1"))
        .unwrap_or_else(|| panic!("no Partner base URL in the banner:\n{banner}"))
        .to_owned();
    assert!(banner.contains("/services/v2"), "{banner}");
    // The banner is the one place that shows the seeded keys in full.
    for key in [
        "sandbox-partner-parent-key",
        "sandbox-partner-subaccount-key",
        "sandbox-certcentral-key",
    ] {
        assert!(banner.contains(key), "{key} missing from:\n{banner}");
    }

    let (status, body) = raw(http()
        .get(format!("{url}/account/reporting"))
        .header("X-PARTNER-APIKEY", "sandbox-partner-parent-key")
        .send()
        .await
        .expect("request"))
    .await;
    assert_eq!(status, 200, "{body}");
    assert_conforms(Family::Partner, "get_acme_reporting", status, Some(&body));

    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "no exit within 10 s of Ctrl-C");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).expect("rest of stdout");
    let mut stderr = String::new();
    if let Some(mut err) = child.stderr.take() {
        err.read_to_string(&mut stderr).expect("stderr");
    }
    assert!(status.success(), "exit {status}; stderr: {stderr}");
    assert!(rest.contains("Stopped."), "{rest}");
}
