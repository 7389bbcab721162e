//! How mails leave: SMTP (`SMTP_URL`) or files in a folder.

use common::report::Chain;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::response::Code;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret;

use super::smtp;
use crate::db::mail::Mail;
use crate::settings::NotifySettings;

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

/// Why a mail was not sent.
#[derive(Debug)]
pub struct SendError {
    /// Retrying will not help (the server refused this mail for good).
    pub permanent: bool,
    pub reason: String,
}

impl Transport {
    pub fn from_settings(settings: &NotifySettings) -> Result<Self, String> {
        match &settings.smtp_url {
            Some(url) => smtp::transport(url.expose_secret(), settings.smtp_ca_file.as_deref())
                .map(Transport::Smtp),
            None => {
                std::fs::create_dir_all(&settings.mail_dir).map_err(|e| {
                    format!("cannot create NOTIFY_MAIL_DIR {}: {e}", settings.mail_dir)
                })?;
                Ok(Transport::Files(AsyncFileTransport::new(
                    &settings.mail_dir,
                )))
            }
        }
    }

    pub async fn send(&self, from: &Mailbox, mail: &Mail) -> Result<(), SendError> {
        let message = build(from, mail).map_err(|reason| SendError {
            permanent: true,
            reason,
        })?;
        match self {
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| SendError {
                permanent: e.is_permanent() && !e.status().is_some_and(is_about_the_session),
                reason: Chain(&e).to_string(),
            }),
            Transport::Files(files) => {
                files
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| SendError {
                        permanent: false,
                        reason: Chain(&e).to_string(),
                    })
            }
        }
    }
}

/// Permanent replies that refuse the session, not the mail (authentication
/// required, too weak or failed; encryption required): fixing the relay or its
/// credentials lets the mail go, so it is retried rather than given up.
fn is_about_the_session(code: Code) -> bool {
    matches!(u16::from(code), 530 | 534 | 535 | 538)
}

/// A multipart/alternative message (plain text, then HTML) with the queue's
/// stable Message-ID.
fn build(from: &Mailbox, mail: &Mail) -> Result<Message, String> {
    let to: Mailbox = mail
        .recipient
        .parse()
        .map_err(|e| format!("{:?} is not a mail address: {e}", mail.recipient))?;
    let mut message = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .multipart(MultiPart::alternative_plain_html(
            mail.text_body.clone(),
            mail.html_body.clone(),
        ))
        .map_err(|e| e.to_string())?;
    message.headers_mut().insert_raw(HeaderValue::new(
        HeaderName::new_from_ascii_str("Message-ID"),
        mail.message_id.clone(),
    ));
    Ok(message)
}
