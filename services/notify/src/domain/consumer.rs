//! The `notify.notifications` consumer: keeps the copy of users, stores the
//! notifications each event asks for, queues their mails (in the same
//! transaction), and pushes them once that transaction has committed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use common::consumer::{Handler, HandlerError};
use common::outbox::Envelope;
use diesel::PgConnection;
use uuid::Uuid;

use super::kinds;
use contracts::auth::{UserRegistered, UserUpdated};
use contracts::{AuthEvent, Event};

use super::plan::{self, Planned};
use super::templates::{self, MailContext};
use crate::db::mail::{self, NewMail};
use crate::db::notifications::{self, NewNotification, Notification};
use crate::db::recipients;
use crate::push::hub::Hub;

pub const QUEUE: &str = "notify.notifications";

pub struct NotificationHandler {
    pub ctx: MailContext,
    pub hub: Arc<Hub>,
    /// Tells the mail worker that mails were queued.
    pub mail_wake: Arc<tokio::sync::Notify>,
    /// Pushes waiting for their event's transaction to commit.
    pending: Mutex<HashMap<Uuid, Vec<(Uuid, String)>>>,
}

impl NotificationHandler {
    pub fn new(ctx: MailContext, hub: Arc<Hub>, mail_wake: Arc<tokio::sync::Notify>) -> Self {
        Self {
            ctx,
            hub,
            mail_wake,
            pending: Mutex::new(HashMap::new()),
        }
    }

    fn store(
        &self,
        conn: &mut PgConnection,
        event: &Envelope,
        planned: Planned,
    ) -> Result<Option<(Uuid, String)>, HandlerError> {
        let kind = kinds::find(planned.kind)
            .ok_or_else(|| HandlerError::refused(format!("unknown kind {}", planned.kind)))?;
        // The user's choice for this kind (or its defaults) is read in the same statement.
        let stored = notifications::insert_with_channels(
            conn,
            &NewNotification {
                user_id: planned.user_id,
                kind: kind.name.to_owned(),
                title: planned.title,
                body: planned.body,
                link: planned.link,
                data: planned.data,
                in_app: kind.defaults.in_app,
                event_id: event.id,
            },
            kind.defaults,
        )?;
        let Some((stored, email, push)) = stored else {
            return Ok(None);
        };
        let channels = kinds::Channels {
            email,
            in_app: true,
            push,
        };
        if channels.email {
            let address = match planned.email_to {
                Some(address) => Some(address),
                None => match recipients::find(conn, planned.user_id)? {
                    Some(r) if r.status == "active" => Some(r.email),
                    Some(_) => None,
                    // Their registration event may still be on its way: try again later.
                    None => {
                        return Err(HandlerError::refused(format!(
                            "recipient {} is not known yet",
                            planned.user_id
                        )))
                    }
                },
            };
            if let Some(address) = address {
                self.queue_mail(conn, &stored, address)?;
            }
        }
        Ok(channels.push.then(|| {
            let message = serde_json::json!({"type": "notification", "notification": stored});
            (stored.user_id, message.to_string())
        }))
    }

    fn queue_mail(
        &self,
        conn: &mut PgConnection,
        n: &Notification,
        to: String,
    ) -> Result<(), HandlerError> {
        let rendered = templates::notification(&self.ctx, n);
        mail::enqueue(
            conn,
            &NewMail {
                message_id: format!("<notification-{}@{}>", n.id, self.ctx.base_domain),
                recipient: to,
                subject: rendered.subject,
                text_body: rendered.text,
                html_body: rendered.html,
                sensitive: kinds::find(&n.kind).is_some_and(|k| k.secret),
            },
        )?;
        Ok(())
    }
}

impl Handler for NotificationHandler {
    fn handle(&self, conn: &mut PgConnection, event: &Envelope) -> Result<(), HandlerError> {
        let parsed = event.parse()?;
        if let Event::Auth(
            AuthEvent::UserRegistered(UserRegistered(user))
            | AuthEvent::UserUpdated(UserUpdated(user)),
        ) = &parsed
        {
            recipients::upsert(
                conn,
                user.user_id,
                &user.username,
                &user.email,
                &user.status,
                event.occurred_at,
            )?;
        }
        let mut pushes = Vec::new();
        for planned in plan::plan(&self.ctx, &parsed, &event.data) {
            if kinds::find(planned.kind).is_some_and(|k| k.mandatory_email) {
                self.store_security_mail(conn, event, planned)?;
            } else if let Some(push) = self.store(conn, event, planned)? {
                pushes.push(push);
            }
        }
        if let Ok(mut pending) = self.pending.lock() {
            pending.insert(event.id, pushes);
        }
        Ok(())
    }

    fn committed(&self, event: &Envelope) {
        let pushes = self
            .pending
            .lock()
            .ok()
            .and_then(|mut pending| pending.remove(&event.id))
            .unwrap_or_default();
        self.mail_wake.notify_one();
        for (user, payload) in pushes {
            let hub = self.hub.clone();
            tokio::spawn(async move { hub.publish(user, payload).await });
        }
    }
}

impl NotificationHandler {
    /// Security mail (a password reset, an email change): always mailed, to
    /// the address the event names, never listed, and stored without its
    /// link, which is a secret.
    fn store_security_mail(
        &self,
        conn: &mut PgConnection,
        event: &Envelope,
        mut planned: Planned,
    ) -> Result<(), HandlerError> {
        let link = planned.link.take();
        let Some(address) = planned.email_to.take() else {
            return Err(HandlerError::refused("security mail without an address"));
        };
        let stored = notifications::insert(
            conn,
            &NewNotification {
                user_id: planned.user_id,
                kind: planned.kind.to_owned(),
                title: planned.title,
                body: planned.body,
                link: None,
                data: planned.data,
                in_app: false,
                event_id: event.id,
            },
        )?;
        if let Some(mut stored) = stored {
            stored.link = link;
            self.queue_mail(conn, &stored, address)?;
        }
        Ok(())
    }
}
