//! Prometheus metrics: per-route HTTP figures (labelled by route template, never
//! the raw path), database pool gauges and business counters.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
    TextEncoder,
};

use crate::db::PgPool;

/// The registry of one service with its standard metrics.
#[derive(Clone)]
pub struct Metrics {
    pub registry: Registry,
    pub requests: IntCounterVec,
    pub durations: HistogramVec,
    pub pool: IntGaugeVec,
    pub outbox_backlog: IntGauge,
    /// Domain events a service counts (`kind` label), e.g. registrations.
    pub business: IntCounterVec,
    /// Consumed messages by queue and outcome: handled, duplicate, retried, dead_lettered.
    pub consumer_messages: IntCounterVec,
    /// Messages waiting in a consumer's queue.
    pub consumer_lag: IntGaugeVec,
    /// Messages in each consumer's dead-letter queue (they need a person).
    pub dead_letters: IntGaugeVec,
    /// Named gauges a service sets itself (`mail_queue_pending`, ...).
    pub gauges: IntGaugeVec,
    /// From an event's `occurred_at` (in the producer's transaction) to the
    /// commit of the consumer's transaction that handled it.
    pub consumer_delay: HistogramVec,
}

impl Metrics {
    pub fn new(service: &str) -> Self {
        let registry = Registry::new_custom(
            None,
            Some(
                [("service".to_owned(), service.to_owned())]
                    .into_iter()
                    .collect(),
            ),
        )
        .unwrap_or_default();
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests by route template, method and status",
            ),
            &["route", "method", "status"],
        );
        let durations = HistogramVec::new(
            HistogramOpts::new("http_request_duration_seconds", "HTTP request latency").buckets(
                vec![
                    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                ],
            ),
            &["route", "method"],
        );
        let pool = IntGaugeVec::new(
            Opts::new("db_pool_connections", "Database pool connections by state"),
            &["state"],
        );
        let outbox_backlog = IntGauge::new("outbox_backlog", "Outbox events not yet published");
        let business = IntCounterVec::new(
            Opts::new("business_events_total", "Domain events by kind"),
            &["kind"],
        );
        let consumer_messages = IntCounterVec::new(
            Opts::new(
                "consumer_messages_total",
                "Consumed events by queue and outcome",
            ),
            &["queue", "outcome"],
        );
        let consumer_lag = IntGaugeVec::new(
            Opts::new("consumer_lag", "Events waiting in a consumer's queue"),
            &["queue"],
        );
        let dead_letters = IntGaugeVec::new(
            Opts::new(
                "dead_letter_depth",
                "Events in a consumer's dead-letter queue",
            ),
            &["queue"],
        );
        let gauges = IntGaugeVec::new(
            Opts::new(
                "platform_gauge",
                "Service-specific levels, by name (e.g. mail_queue_pending)",
            ),
            &["name"],
        );
        let consumer_delay = HistogramVec::new(
            HistogramOpts::new(
                "consumer_event_delay_seconds",
                "From an event's occurred_at to the commit that handled it",
            )
            .buckets(vec![
                0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.25, 0.5, 1.0, 5.0, 30.0,
            ]),
            &["queue"],
        );
        // The names and labels are constants, so construction cannot fail.
        #[allow(clippy::expect_used)]
        let metrics = Self {
            requests: requests.expect("valid metric"),
            durations: durations.expect("valid metric"),
            pool: pool.expect("valid metric"),
            outbox_backlog: outbox_backlog.expect("valid metric"),
            business: business.expect("valid metric"),
            consumer_messages: consumer_messages.expect("valid metric"),
            consumer_lag: consumer_lag.expect("valid metric"),
            dead_letters: dead_letters.expect("valid metric"),
            gauges: gauges.expect("valid metric"),
            consumer_delay: consumer_delay.expect("valid metric"),
            registry,
        };
        for collector in [
            Box::new(metrics.requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(metrics.durations.clone()),
            Box::new(metrics.pool.clone()),
            Box::new(metrics.outbox_backlog.clone()),
            Box::new(metrics.business.clone()),
            Box::new(metrics.consumer_messages.clone()),
            Box::new(metrics.consumer_lag.clone()),
            Box::new(metrics.dead_letters.clone()),
            Box::new(metrics.gauges.clone()),
            Box::new(metrics.consumer_delay.clone()),
        ] {
            let _ = metrics.registry.register(collector);
        }
        metrics
    }

    /// Counts one domain event.
    pub fn count(&self, kind: &str) {
        self.business.with_label_values(&[kind]).inc();
    }

    /// The Prometheus text exposition, with pool gauges refreshed.
    pub fn render(&self, pool: &PgPool) -> String {
        let state = pool.state();
        self.pool
            .with_label_values(&["open"])
            .set(i64::from(state.connections));
        self.pool
            .with_label_values(&["idle"])
            .set(i64::from(state.idle_connections));
        self.pool
            .with_label_values(&["max"])
            .set(i64::from(pool.max_size()));
        let mut buffer = Vec::new();
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut buffer);
        String::from_utf8(buffer).unwrap_or_default()
    }
}

/// Requests slower than this are logged (the SlowResponses alert's p99 bound).
pub const SLOW_REQUEST: std::time::Duration = std::time::Duration::from_millis(500);

/// Records count and latency per route template, and logs slow requests.
pub async fn metrics_middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();
    let method = req.method().to_string();
    let started = Instant::now();
    let response = next.call(req).await?;
    if let Some(metrics) = metrics {
        let route = response
            .request()
            .match_pattern()
            .unwrap_or_else(|| "unmatched".to_owned());
        let status = response.status().as_u16().to_string();
        metrics
            .requests
            .with_label_values(&[&route, &method, &status])
            .inc();
        let elapsed = started.elapsed();
        metrics
            .durations
            .with_label_values(&[&route, &method])
            .observe(elapsed.as_secs_f64());
        if elapsed >= SLOW_REQUEST {
            // With the request's id (also when RUST_LOG hides the request
            // span): the latency dashboard links a slow route to these lines.
            let request_id = response
                .request()
                .extensions()
                .get::<crate::telemetry::RequestId>()
                .map(|id| id.0.clone())
                .unwrap_or_default();
            tracing::warn!(
                request_id = %request_id,
                route = %route,
                method = %method,
                status = %status,
                duration_ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
                "slow request"
            );
        }
    }
    Ok(response)
}
