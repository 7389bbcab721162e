//! Helpers for tests that run a real binary (a service, nginx, an SMTP sink).

use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

/// A port nothing listens on yet.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(0)
}

/// Sends SIGTERM, as an orchestrator stopping the process would.
pub fn sigterm(child: &Child) {
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
}

/// Waits (without blocking the runtime) until the process exits; panics after `limit`.
pub async fn exit_within(child: &mut Child, limit: Duration) -> ExitStatus {
    let started = Instant::now();
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return status;
        }
        assert!(
            started.elapsed() < limit,
            "the process did not exit within {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
