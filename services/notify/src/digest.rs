//! The daily digest: at `NOTIFY_DIGEST_HOUR` (12:00) in `NOTIFY_DIGEST_TIMEZONE`
//! (Europe/Oslo), one mail per user who keeps it on and has unread
//! notifications. Exactly once per day across instances and restarts: the
//! instance whose transaction inserts the day's `digest_runs` row queues the
//! mails in that same transaction; everyone else finds the row and does
//! nothing. An instance that was down at noon sends it when it starts, the
//! same day.

use std::sync::Arc;

use chrono::{NaiveDate, Timelike};
use common::db::{self, DbError};
use common::report::Chain;
use common::Infra;
use diesel::Connection;
use tokio::sync::{watch, Notify};

use crate::clock::Clock;
use crate::db::digest;
use crate::db::mail::{self, NewMail};
use crate::db::notifications;
use crate::domain::templates::{self, MailContext};
use crate::settings::NotifySettings;

/// Notifications listed in one digest.
const LISTED: i64 = 20;

pub struct DigestScheduler {
    pub infra: Infra,
    pub settings: NotifySettings,
    pub ctx: MailContext,
    pub clock: Arc<dyn Clock>,
    pub instance: String,
    pub mail_wake: Arc<Notify>,
}

impl DigestScheduler {
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let mut done_for: Option<NaiveDate> = None;
        loop {
            let local = self
                .clock
                .now()
                .with_timezone(&self.settings.digest_timezone);
            let day = local.date_naive();
            if local.hour() >= self.settings.digest_hour && done_for != Some(day) {
                match self.run_once(day).await {
                    Ok(Some(mails)) => {
                        tracing::info!(%day, mails, "daily digest queued");
                        self.mail_wake.notify_one();
                        done_for = Some(day);
                    }
                    Ok(None) => done_for = Some(day),
                    Err(error) => {
                        tracing::warn!(error = %Chain(&error), %day, "daily digest failed; will try again")
                    }
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(self.settings.digest_check_every) => {}
                _ = shutdown.changed() => return,
            }
        }
    }

    /// Queues `day`'s digest unless some instance already did; how many mails.
    pub async fn run_once(&self, day: NaiveDate) -> Result<Option<i32>, DbError> {
        let ctx = self.ctx.clone();
        let instance = self.instance.clone();
        db::run_background(&self.infra.pool, move |conn| {
            conn.transaction(|conn| {
                if !digest::claim_day(conn, day, &instance)? {
                    return Ok(None);
                }
                let mut mails = 0;
                for (user, username, email) in digest::readers(conn)? {
                    let total = notifications::unread_count(conn, user)?;
                    let unread = notifications::unread_of(conn, user, LISTED)?;
                    let rendered = templates::digest(&ctx, &username, &unread, total);
                    mails += mail::enqueue(
                        conn,
                        &NewMail {
                            message_id: format!("<digest-{day}-{user}@{}>", ctx.base_domain),
                            recipient: email,
                            subject: rendered.subject,
                            text_body: rendered.text,
                            html_body: rendered.html,
                            sensitive: false,
                        },
                    )? as i32;
                }
                digest::record_mails(conn, day, mails)?;
                Ok(Some(mails))
            })
        })
        .await
    }
}
