//! The mail worker: takes due mails from the queue (a lease keeps other
//! workers off them), sends them, and records the outcome; failures are
//! retried with exponential backoff until `NOTIFY_MAIL_MAX_ATTEMPTS`.
//!
//! Guarantee: at least once, never lost. A mail leaves the queue only after
//! the SMTP server accepted it. On shutdown the worker finishes the mail in
//! hand and records it before stopping, so a restart never sends it again;
//! only a crash in the moment between the server's acceptance and the
//! database update can send a mail twice, and then with the same Message-ID.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use common::report::Chain;
use common::{db, Infra};
use lettre::message::Mailbox;
use tokio::sync::{watch, Notify};

use super::transport::Transport;
use crate::db::mail::{self, Mail};

/// How long a taken mail stays reserved for its worker.
const LEASE_SECS: i64 = 120;
/// Mails taken at once.
const BATCH: i64 = 20;

pub struct MailWorker {
    pub infra: Infra,
    pub transport: Transport,
    pub from: Mailbox,
    pub max_attempts: i32,
    pub retry_base: Duration,
    /// Delivered and failed mail older than this many days is deleted.
    pub retention_days: i64,
    pub wake: Arc<Notify>,
}

/// How often an idle worker prunes old mail.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

impl MailWorker {
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let mut pruned_at: Option<std::time::Instant> = None;
        loop {
            if *shutdown.borrow() {
                return;
            }
            self.measure_queue().await;
            if pruned_at.is_none_or(|at| at.elapsed() >= PRUNE_EVERY) {
                pruned_at = Some(std::time::Instant::now());
                let days = self.retention_days;
                if let Err(error) =
                    db::run_background(&self.infra.pool, move |conn| mail::prune(conn, days)).await
                {
                    tracing::warn!(error = %Chain(&error), "cannot prune old mail");
                }
            }
            let batch = db::run_background(&self.infra.pool, |conn| {
                mail::claim(conn, BATCH, LEASE_SECS)
            })
            .await;
            let batch = match batch {
                Ok(batch) => batch,
                Err(error) => {
                    tracing::warn!(error = %Chain(&error), "cannot read the mail queue");
                    Vec::new()
                }
            };
            if batch.is_empty() {
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(500)) => {}
                    _ = self.wake.notified() => {}
                    _ = shutdown.changed() => return,
                }
                continue;
            }
            let mut batch = batch.into_iter();
            while let Some(item) = batch.next() {
                // Shutdown is looked at between mails, never during one.
                if *shutdown.borrow() {
                    let untried: Vec<i64> = std::iter::once(item.id)
                        .chain(batch.map(|m| m.id))
                        .collect();
                    let _ = db::run_background(&self.infra.pool, move |conn| {
                        mail::release(conn, untried)
                    })
                    .await;
                    return;
                }
                self.deliver(item).await;
            }
        }
    }

    /// Sets `platform_gauge{name="mail_queue_pending"}` and
    /// `{name="mail_queue_oldest_seconds"}` (alert: the mail queue is stuck).
    async fn measure_queue(&self) {
        if let Ok((pending, oldest)) =
            db::run_background(&self.infra.pool, |conn| mail::queue_levels(conn)).await
        {
            let gauges = &self.infra.metrics.gauges;
            gauges
                .with_label_values(&["mail_queue_pending"])
                .set(pending);
            gauges
                .with_label_values(&["mail_queue_oldest_seconds"])
                .set(oldest);
        }
    }

    async fn deliver(&self, item: Mail) {
        let outcome = self.transport.send(&self.from, &item).await;
        let id = item.id;
        let result = match outcome {
            Ok(()) => {
                self.infra.metrics.count("mail_sent");
                db::run_background(&self.infra.pool, move |conn| mail::mark_sent(conn, id)).await
            }
            Err(error) => {
                let give_up = error.permanent || item.attempts >= self.max_attempts;
                let next = (!give_up).then(|| {
                    let factor =
                        2u32.saturating_pow(u32::try_from(item.attempts - 1).unwrap_or(0).min(12));
                    Utc::now()
                        + chrono::Duration::from_std(self.retry_base.saturating_mul(factor))
                            .unwrap_or_else(|_| chrono::Duration::hours(1))
                });
                if give_up {
                    self.infra.metrics.count("mail_failed");
                    tracing::error!(mail = id, attempts = item.attempts, reason = %error.reason, "giving up on a mail");
                } else {
                    self.infra.metrics.count("mail_retried");
                    tracing::warn!(mail = id, attempts = item.attempts, reason = %error.reason, "mail not sent; will retry");
                }
                let reason = error.reason;
                db::run_background(&self.infra.pool, move |conn| {
                    mail::record_failure(conn, id, &reason, next)
                })
                .await
            }
        };
        if let Err(error) = result {
            // The lease runs out and the mail is tried again.
            tracing::error!(error = %Chain(&error), mail = id, "cannot record a mail's outcome");
        }
    }
}
