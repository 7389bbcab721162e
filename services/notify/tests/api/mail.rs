//! The mail queue: nothing lost while SMTP is down, nothing sent twice when
//! the worker restarts mid-send, and `.eml` files without an SMTP server.

use std::time::Duration;

use diesel::RunQueryDsl;

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
