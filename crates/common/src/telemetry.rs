//! Logs, request ids and Sentry.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::HttpMessage;
use secrecy::ExposeSecret;
use tracing::Instrument;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::settings::{CommonSettings, LogFormat};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Keeps Sentry flushing until dropped at the end of `main`.
pub struct TelemetryGuard {
    _sentry: Option<sentry::ClientInitGuard>,
}

/// Installs the global subscriber (JSON or readable) and Sentry when a DSN is set.
/// Safe to call more than once: later calls keep the first subscriber.
pub fn init(settings: &CommonSettings) -> TelemetryGuard {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let fmt = match settings.log_format {
        LogFormat::Json => tracing_subscriber::fmt::layer()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .boxed(),
        LogFormat::Pretty => tracing_subscriber::fmt::layer().with_target(false).boxed(),
    };
    let sentry_guard = settings.sentry_dsn.as_ref().map(|dsn| {
        sentry::init((
            dsn.expose_secret(),
            sentry::ClientOptions {
                release: Some(format!("{}@{}", settings.service, env!("CARGO_PKG_VERSION")).into()),
                send_default_pii: false,
                before_send: Some(std::sync::Arc::new(|event| Some(scrub(event)))),
                ..Default::default()
            },
        ))
    });
    let sentry_layer = sentry_guard
        .as_ref()
        .map(|_| sentry::integrations::tracing::layer());
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(fmt)
        .with(sentry_layer)
        .try_init();
    TelemetryGuard {
        _sentry: sentry_guard,
    }
}

/// Readable logs captured by the test runner (shown for failing tests).
pub fn init_test_logs() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_test_writer()
        .try_init();
}

/// Removes credentials from anything Sentry would send.
fn scrub(mut event: sentry::protocol::Event<'static>) -> sentry::protocol::Event<'static> {
    if let Some(request) = event.request.as_mut() {
        request.headers.retain(|name, _| {
            !matches!(
                name.to_ascii_lowercase().as_str(),
                "authorization" | "cookie" | "set-cookie"
            )
        });
        request.cookies = None;
    }
    event
}

/// The id of the request being served, for handlers that put it in events.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// Paths whose rest is a credential (a calendar feed's secret link).
const SECRET_PATHS: &[&str] = &["/v1/calendar/"];

/// The path as logs may show it: a credential in it replaced by `[hidden]`.
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    match SECRET_PATHS
        .iter()
        .find(|prefix| path.starts_with(**prefix))
    {
        Some(prefix) => format!("{prefix}[hidden]").into(),
        None => path.into(),
    }
}

/// Takes `X-Request-Id` from nginx (or makes one), puts it on every log line of
/// the request and echoes it on the response.
pub async fn request_id_middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!("request", request_id = %id, method = %req.method(), path = %loggable_path(req.path()));
    let mut response = next.call(req).instrument(span).await?;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_calendar_secret_never_reaches_the_logs() {
        assert_eq!(
            loggable_path("/v1/calendar/0123abcd.ics"),
            "/v1/calendar/[hidden]"
        );
        assert_eq!(loggable_path("/v1/events/1"), "/v1/events/1");
        assert_eq!(loggable_path("/v1/me/calendar"), "/v1/me/calendar");
    }
}
