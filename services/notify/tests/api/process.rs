//! The real `notify` binary: its command line, settings from the environment,
//! and a run that consumes, mails and stops on SIGTERM.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;
use testkit::process::{exit_within, free_port, sigterm};

use crate::support::Stack;

/// The binary with a clean environment (no developer `.env`) pointed at the stack.
fn notify(stack: &Stack, port: u16, mail_dir: &Path) -> Command {
    let iso = &stack.notify_iso;
    let mut command = Command::new(env!("CARGO_BIN_EXE_notify"));
    command
        .current_dir(std::env::temp_dir())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("NOTIFY_DATABASE_URL", &iso.db.url)
        .env("NOTIFY_LISTEN", format!("127.0.0.1:{port}"))
        .env("NOTIFY_AMQP_URL", testkit::amqp_url_as("notify"))
        .env("AMQP_EXCHANGE", &iso.exchange)
        .env("AMQP_QUEUE_PREFIX", iso.queue_prefix())
        .env("REDIS_URL", testkit::redis_url())
        .env("REDIS_PREFIX", &iso.redis_prefix)
        .env(
            "AUTH_JWKS_URL",
            format!("{}/.well-known/jwks.json", stack.auth),
        )
        .env("NOTIFY_MAIL_DIR", mail_dir)
        .env("SHUTDOWN_TIMEOUT_SECS", "10");
    command
}

fn run(command: &mut Command) -> Output {
    command.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A mail folder for the binary, removed when the test ends, passed or not.
struct MailDir(PathBuf);

impl MailDir {
    fn new() -> Self {
        Self(std::env::temp_dir().join(format!("notify-process-{}", uuid::Uuid::new_v4().simple())))
    }
}

impl Drop for MailDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl std::ops::Deref for MailDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

#[tokio::test]
async fn the_command_line_explains_itself_and_names_a_bad_setting() {
    let stack = Stack::new(None).await;
    let mails = MailDir::new();

    let help = run(notify(&stack, free_port(), &mails).arg("--help"));
    assert!(help.status.success());
    let usage = text(&help.stdout);
    assert!(usage.contains("Usage: notify [COMMAND]"), "{usage}");
    assert!(usage.contains("serve"), "{usage}");
    assert!(usage.contains("migrate"), "{usage}");
    assert!(usage.contains("mail worker and digest"), "{usage}");
    assert!(usage.contains("replay-dead-letters"), "{usage}");

    // Replaying names the queue; one that does not exist (nothing consumed
    // yet) is an error naming the broker, not a silent nothing.
    let no_queue = run(notify(&stack, free_port(), &mails).arg("replay-dead-letters"));
    assert_eq!(no_queue.status.code(), Some(2));
    assert!(text(&no_queue.stderr).contains("--queue"));
    let queue = format!("{}notify.events", stack.notify_iso.queue_prefix());
    let absent =
        run(notify(&stack, free_port(), &mails).args(["replay-dead-letters", "--queue", &queue]));
    assert_eq!(absent.status.code(), Some(1));
    assert!(
        text(&absent.stderr).contains("the broker failed"),
        "{}",
        text(&absent.stderr)
    );

    let unknown = run(notify(&stack, free_port(), &mails).arg("frobnicate"));
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("frobnicate"));

    let missing = run(notify(&stack, free_port(), &mails).env_remove("NOTIFY_DATABASE_URL"));
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        text(&missing.stderr).contains("NOTIFY_DATABASE_URL"),
        "{}",
        text(&missing.stderr)
    );

    let zone =
        run(notify(&stack, free_port(), &mails).env("NOTIFY_DIGEST_TIMEZONE", "Mars/Olympus"));
    assert_eq!(zone.status.code(), Some(1));
    let complaint = text(&zone.stderr);
    assert!(complaint.contains("NOTIFY_DIGEST_TIMEZONE"), "{complaint}");
    assert!(complaint.contains("Europe/Oslo"), "{complaint}");

    // The test database is migrated from its template: nothing is left to apply.
    let migrate = run(notify(&stack, free_port(), &mails).arg("migrate"));
    assert!(migrate.status.success(), "{}", text(&migrate.stderr));
    assert!(text(&migrate.stdout).contains("applied 0 migration(s)"));
}

#[tokio::test]
async fn the_binary_notifies_mails_and_stops_cleanly_on_sigterm() {
    let stack = Stack::new(None).await;
    let mails = MailDir::new();
    let port = free_port();
    let mut child = notify(&stack, port, &mails)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    testkit::bus::wait_for_consumer(&format!(
        "{}{}",
        stack.notify_iso.queue_prefix(),
        notify::domain::consumer::QUEUE
    ))
    .await;

    let person = stack.person("binary_ada").await;
    let url = format!("http://127.0.0.1:{port}/v1/notifications");
    testkit::eventually("a welcome notification", || async {
        let page: Value = match stack.http.get(&url).bearer_auth(&person.token).send().await {
            Ok(response) => response.json().await.unwrap_or(Value::Null),
            Err(_) => Value::Null,
        };
        page["items"][0]["kind"] == "welcome"
    })
    .await;
    testkit::eventually("a welcome mail written to the mail folder", || async {
        std::fs::read_dir(&*mails)
            .map(|entries| {
                entries.flatten().any(|entry| {
                    std::fs::read_to_string(entry.path())
                        .is_ok_and(|mail| mail.contains(&person.email))
                })
            })
            .unwrap_or(false)
    })
    .await;

    sigterm(&child);
    let status = exit_within(&mut child, Duration::from_secs(15)).await;
    assert!(status.success(), "notify exited with {status}");
}
