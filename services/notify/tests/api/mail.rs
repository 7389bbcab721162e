//! The mail queue: nothing lost while SMTP is down, nothing sent twice when
//! the worker restarts mid-send, and `.eml` files without an SMTP server.

use std::time::Duration;

use diesel::RunQueryDsl;

use testkit::smtp::{SinkOptions, SinkTls};
use testkit::SmtpSink;

use crate::support::{mails, Stack};

#[derive(diesel::QueryableByName, Debug)]
struct MailRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    status: String,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    attempts: i32,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    last_error: Option<String>,
}

fn queue(stack: &Stack) -> Vec<MailRow> {
    let mut conn = stack.notify_iso.db.connect();
    diesel::sql_query("SELECT status, attempts, last_error FROM outgoing_mail ORDER BY id")
        .load(&mut conn)
        .unwrap()
}

#[tokio::test]
async fn mail_waits_while_the_smtp_server_is_down_and_goes_out_once_it_is_back() {
    let port = testkit::smtp::free_port();
    let stack = Stack::new(Some(format!("smtp://127.0.0.1:{port}"))).await;
    let notify = stack.instance().await;
    stack.person("ann").await;
    testkit::eventually("failed attempts", || async {
        queue(&stack).first().is_some_and(|m| m.attempts >= 2)
    })
    .await;
    let waiting = queue(&stack);
    assert_eq!(waiting[0].status, "pending");
    assert!(waiting[0].last_error.is_some(), "{waiting:?}");
    // Operators see the waiting mail in the metrics (alert: MailQueueStuck).
    let metrics_url = format!("{}/metrics", notify.url);
    testkit::eventually("the mail queue gauge", || {
        let url = metrics_url.clone();
        async move {
            let text = reqwest::get(url).await.unwrap().text().await.unwrap();
            text.lines().any(|l| {
                l.starts_with("platform_gauge{")
                    && l.contains("name=\"mail_queue_pending\"")
                    && l.ends_with(" 1")
            })
        }
    })
    .await;

    let sink = testkit::SmtpSink::start_on(port, 0.0);
    let received = mails(&sink, 1).await;
    assert!(received[0].contains("X-Envelope-To: ann@example.org"));
    testkit::eventually("marked sent", || async {
        queue(&stack)[0].status == "sent"
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.messages().len(), 1, "sent exactly once");
    notify.stop().await;
}

#[tokio::test]
async fn a_worker_stopped_mid_send_finishes_and_a_restart_sends_nothing_twice() {
    // The server holds each mail 1.5 s before accepting it.
    let sink = testkit::SmtpSink::start_on(testkit::smtp::free_port(), 1.5);
    let stack = Stack::new(Some(sink.url())).await;
    let first = stack.instance().await;
    stack.person("ann").await;
    testkit::eventually("the mail taken", || async {
        queue(&stack).first().is_some_and(|m| m.attempts == 1)
    })
    .await;
    // Stop while the server is still holding the mail (it holds it 1.5 s).
    tokio::time::sleep(Duration::from_millis(500)).await;
    first.stop().await;
    assert_eq!(
        queue(&stack)[0].status,
        "sent",
        "the send in hand was finished and recorded"
    );
    let second = stack.instance().await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(sink.messages().len(), 1, "the restart sent nothing again");
    assert_eq!(queue(&stack)[0].attempts, 1);
    second.stop().await;
}

#[tokio::test]
async fn without_an_smtp_server_mails_are_written_as_eml_files() {
    let stack = Stack::new(None).await;
    let settings = stack.settings();
    let folder = settings.mail_dir.clone();
    let notify = stack.instance_with(settings).await;
    stack.person("ann").await;
    testkit::eventually("an .eml file", || async {
        std::fs::read_dir(&folder).is_ok_and(|d| {
            d.filter_map(Result::ok).any(|e| {
                e.path().extension().is_some_and(|x| x == "eml")
                    && std::fs::read_to_string(e.path())
                        .is_ok_and(|t| t.contains("ann@example.org"))
            })
        })
    })
    .await;
    notify.stop().await;
    let _ = std::fs::remove_dir_all(&folder);
}

/// A sink speaking TLS with a certificate from its own test authority.
fn tls_sink(tls: SinkTls, login: Option<(&str, &str)>) -> SmtpSink {
    SmtpSink::start_with(
        testkit::smtp::free_port(),
        SinkOptions {
            tls: Some(tls),
            login: login.map(|(user, password)| (user.to_owned(), password.to_owned())),
            ..SinkOptions::default()
        },
    )
}

#[tokio::test]
async fn mail_goes_out_over_starttls_with_a_login_to_a_relay_with_a_private_authority() {
    let sink = tls_sink(SinkTls::StartTls, Some(("notify", "relay pass")));
    let url = format!(
        "smtp://notify:relay%20pass@127.0.0.1:{}?tls=required",
        sink.port
    );
    let stack = Stack::new(Some(url)).await;
    let mut settings = stack.settings();
    settings.smtp_ca_file = Some(sink.ca_file().to_string_lossy().into_owned());
    let notify = stack.instance_with(settings).await;
    stack.person("ann").await;
    let received = mails(&sink, 1).await;
    assert!(received[0].contains("X-Envelope-To: ann@example.org"));
    assert!(received[0].contains("X-Sink-TLS: yes"), "{}", received[0]);
    assert!(
        received[0].contains("X-Sink-Login: notify"),
        "{}",
        received[0]
    );
    notify.stop().await;
}

#[tokio::test]
async fn mail_goes_out_over_tls_from_the_first_byte_with_smtps() {
    let sink = tls_sink(SinkTls::Implicit, None);
    let stack = Stack::new(Some(format!("smtps://127.0.0.1:{}", sink.port))).await;
    let mut settings = stack.settings();
    settings.smtp_ca_file = Some(sink.ca_file().to_string_lossy().into_owned());
    let notify = stack.instance_with(settings).await;
    stack.person("ann").await;
    let received = mails(&sink, 1).await;
    assert!(received[0].contains("X-Envelope-To: ann@example.org"));
    assert!(received[0].contains("X-Sink-TLS: yes"), "{}", received[0]);
    notify.stop().await;
}

#[tokio::test]
async fn a_relay_whose_certificate_is_not_trusted_gets_no_mail_and_the_reason_is_kept() {
    let sink = tls_sink(SinkTls::StartTls, None);
    let url = format!("smtp://127.0.0.1:{}?tls=required", sink.port);
    // No SMTP_CA_FILE: the test authority is not among the trusted roots.
    let stack = Stack::new(Some(url)).await;
    let notify = stack.instance().await;
    stack.person("ann").await;
    // Attempts are counted when a mail is taken; the reason comes after the try.
    testkit::eventually("a failed attempt", || async {
        queue(&stack)
            .first()
            .is_some_and(|m| m.last_error.is_some())
    })
    .await;
    let waiting = queue(&stack);
    assert_eq!(
        waiting[0].status, "pending",
        "kept for a retry: {waiting:?}"
    );
    let reason = waiting[0].last_error.clone().unwrap_or_default();
    assert!(reason.to_lowercase().contains("certificate"), "{reason}");
    assert!(sink.messages().is_empty());
    notify.stop().await;
}

#[tokio::test]
async fn a_relay_refusing_the_login_keeps_the_mail_for_when_the_password_is_fixed() {
    let sink = tls_sink(SinkTls::StartTls, Some(("notify", "relay pass")));
    let url = format!("smtp://notify:wrong@127.0.0.1:{}?tls=required", sink.port);
    let stack = Stack::new(Some(url)).await;
    let mut settings = stack.settings();
    settings.smtp_ca_file = Some(sink.ca_file().to_string_lossy().into_owned());
    let notify = stack.instance_with(settings).await;
    stack.person("ann").await;
    testkit::eventually("two refused attempts", || async {
        queue(&stack)
            .first()
            .is_some_and(|m| m.attempts >= 2 && m.last_error.is_some())
    })
    .await;
    let waiting = queue(&stack);
    // A refused login is the relay's or the operator's problem, not this mail's.
    assert_eq!(waiting[0].status, "pending", "{waiting:?}");
    assert!(
        waiting[0]
            .last_error
            .as_deref()
            .unwrap_or_default()
            .contains("535"),
        "{waiting:?}"
    );
    assert!(sink.messages().is_empty());
    notify.stop().await;
}

#[tokio::test]
async fn delivered_and_failed_mail_is_pruned_after_the_retention_period() {
    let stack = Stack::new(None).await;
    let mut conn = stack.notify_iso.db.connect();
    for (id, status, days_ago) in [
        ("old-sent", "sent", 31),
        ("old-failed", "failed", 40),
        ("old-pending", "pending", 40),
        ("new-sent", "sent", 2),
    ] {
        diesel::sql_query(format!(
            "INSERT INTO outgoing_mail (message_id, recipient, subject, text_body, html_body, status, created_at, next_attempt_at) \
             VALUES ('<{id}@test>', 'a@example.org', 's', 't', 'h', '{status}', now() - interval '{days_ago} days', now() + interval '1 day')"
        ))
        .execute(&mut conn)
        .unwrap();
    }
    let notify = stack.instance().await;
    let url = stack.notify_iso.db.url.clone();
    testkit::eventually("old mail pruned", || {
        let url = url.clone();
        async move {
            let mut conn = <diesel::PgConnection as diesel::Connection>::establish(&url).unwrap();
            #[derive(diesel::QueryableByName)]
            struct Id {
                #[diesel(sql_type = diesel::sql_types::Text)]
                message_id: String,
            }
            let left: Vec<String> =
                diesel::sql_query("SELECT message_id FROM outgoing_mail ORDER BY message_id")
                    .load::<Id>(&mut conn)
                    .unwrap()
                    .into_iter()
                    .map(|r| r.message_id)
                    .collect();
            left == ["<new-sent@test>", "<old-pending@test>"]
        }
    })
    .await;
    notify.stop().await;
}
