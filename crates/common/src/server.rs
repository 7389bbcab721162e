//! Builds and starts a service: pool, migrations, relay, Redis, metrics, and the
//! actix server with the standard middleware and operational routes. `main` and
//! the tests run exactly this code.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use crate::migrations::Migrations;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use diesel::{Connection, PgConnection};
use secrecy::ExposeSecret;
use serde_json::json;

use tokio::sync::watch;

use crate::cache::Redis;
use crate::consumer::{Consumer, ConsumerConfig, ConsumerSpec};
use crate::db::{self, PgPool};
use crate::error::ApiError;
use crate::jwt::Verifier;
use crate::metrics::{metrics_middleware, Metrics};
use crate::openapi::ApiConfig;
use crate::outbox::{self, BrokerStatus, OutboxWaker, RelayConfig};
use crate::settings::CommonSettings;
use crate::telemetry::request_id_middleware;
use utoipa_actix_web::AppExt;

/// Shared infrastructure every handler can reach as `web::Data<Infra>`.
#[derive(Clone)]
pub struct Infra {
    pub settings: CommonSettings,
    pub pool: PgPool,
    pub metrics: Metrics,
    /// Redis, for services that asked for it.
    pub redis: Option<Arc<Redis>>,
    /// Whether the relay reaches RabbitMQ, for services that publish.
    pub broker: Option<Arc<BrokerStatus>>,
    pub outbox: OutboxWaker,
}

impl Infra {
    /// An `Infra` on `settings`' database alone: no Redis, and no relay, so
    /// what the work publishes waits in the outbox. For calling a service's
    /// use cases without HTTP (their tests).
    pub fn detached(settings: CommonSettings) -> Self {
        let pool = db::build_pool(&settings.database_url, settings.db_pool_size);
        Self {
            redis: None,
            broker: None,
            outbox: OutboxWaker::default(),
            metrics: Metrics::new(settings.service),
            pool,
            settings,
        }
    }

    /// Runs `work` in one transaction on the request queue (see [`db::run`]);
    /// the events it wrote to the outbox go out as soon as it commits.
    pub async fn transaction<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut db::PgConn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let result = db::transaction(&self.pool, work).await?;
        self.outbox.wake();
        Ok(result)
    }

    /// Like [`Infra::transaction`] for `work` that is one statement writing its
    /// rows and outbox events together (atomic without a transaction block,
    /// which saves the hot paths two round trips).
    pub async fn write_publishing<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut db::PgConn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let result = db::run(&self.pool, work).await?;
        self.outbox.wake();
        Ok(result)
    }
}

/// What makes one service different from another.
pub struct ServiceSpec<F> {
    /// The OpenAPI document's title, description and security schemes; the
    /// operations come from the routes `configure` registers.
    /// The service's tables; with the outbox, the relay runs too.
    pub migrations: Migrations,
    /// Redis, for services that use it (rate limits, fan-out); `/readyz` reports it.
    pub redis: Option<Arc<Redis>>,
    pub openapi: utoipa::openapi::OpenApi,
    /// How tokens are verified; `None` fetches keys from `AUTH_JWKS_URL`.
    pub verifier: Option<Verifier>,
    /// Registers the service's own routes and data (see [`crate::openapi::ApiConfig`]).
    pub configure: F,
    /// Event consumers to run beside the HTTP server.
    pub consumers: Vec<ConsumerSpec>,
}

/// A started (not yet awaited) service.
pub struct Running {
    pub port: u16,
    pub server: actix_web::dev::Server,
    pub infra: Infra,
    /// The outbox relay, for services that publish.
    pub relay: Option<tokio::task::JoinHandle<()>>,
    /// Turning this true tells the consumers and background tasks to finish and stop.
    pub shutdown: watch::Sender<bool>,
    pub consumers: Vec<tokio::task::JoinHandle<()>>,
    /// The queues the consumers listen on.
    pub listening: Vec<String>,
    /// Every broker queue the consumers declare, with retry and dead-letter
    /// queues (tests delete them afterwards).
    pub queues: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("database unreachable")]
    Connect(#[source] diesel::ConnectionError),
    #[error("migrations failed")]
    Migrate(#[source] crate::service::BoxError),
    #[error("the migration task stopped")]
    MigrationTask(#[source] tokio::task::JoinError),
    #[error("cannot listen on the configured address")]
    Bind(#[from] std::io::Error),
    #[error("{0}")]
    Config(String),
    #[error("{what}")]
    Invalid {
        what: String,
        #[source]
        source: crate::service::BoxError,
    },
}

impl StartError {
    /// A setting that cannot be used, with why.
    pub fn invalid(what: impl Into<String>, source: impl Into<crate::service::BoxError>) -> Self {
        Self::Invalid {
            what: what.into(),
            source: source.into(),
        }
    }
}

/// Connects to the service's database (retrying while it comes up) and applies
/// pending migrations under an advisory lock.
pub fn migrate(
    settings: &CommonSettings,
    migrations: Migrations,
) -> Result<Vec<String>, StartError> {
    let mut attempt = 0;
    loop {
        match PgConnection::establish(settings.database_url.expose_secret()) {
            Ok(mut conn) => {
                return db::migrate(
                    &mut conn,
                    migrations,
                    db::migration_lock_key(settings.service),
                )
                .map_err(StartError::Migrate);
            }
            Err(error) if attempt < 30 => {
                if attempt == 0 {
                    tracing::warn!(error = %error, "database not reachable yet; retrying for 30 s");
                }
                attempt += 1;
                std::thread::sleep(Duration::from_secs(1));
            }
            Err(error) => return Err(StartError::Connect(error)),
        }
    }
}

/// Migrates, builds the infrastructure and binds the server.
pub async fn start<F>(settings: CommonSettings, spec: ServiceSpec<F>) -> Result<Running, StartError>
where
    F: Fn(&mut ApiConfig) + Send + Clone + 'static,
{
    let migrations = spec.migrations;
    let migrate_settings = settings.clone();
    let applied = tokio::task::spawn_blocking(move || migrate(&migrate_settings, migrations))
        .await
        .map_err(StartError::MigrationTask)??;
    if !applied.is_empty() {
        tracing::info!(?applied, "applied migrations");
    }

    let pool = db::build_pool(&settings.database_url, settings.db_pool_size);
    let metrics = Metrics::new(settings.service);
    let infra = Infra {
        redis: spec.redis,
        broker: migrations.outbox.then(|| Arc::new(BrokerStatus::default())),
        outbox: OutboxWaker::default(),
        pool: pool.clone(),
        metrics: metrics.clone(),
        settings: settings.clone(),
    };
    let relay = infra.broker.clone().map(|broker| {
        outbox::spawn_relay(
            pool,
            RelayConfig {
                amqp_url: settings.amqp_url.clone(),
                exchange: settings.amqp_exchange.clone(),
                poll: settings.outbox_poll.0,
                batch: 100,
                lease: Duration::from_secs(30),
            },
            broker,
            infra.outbox.clone(),
            metrics.clone(),
        )
    });

    let verifier = web::Data::new(spec.verifier.unwrap_or_else(|| {
        Verifier::remote(
            settings.jwks_url.clone(),
            &settings.jwt_issuer,
            &settings.jwt_audience,
        )
    }));
    let (shutdown, stop) = watch::channel(false);
    let mut queues = Vec::new();
    let mut listening = Vec::new();
    let consumers = spec
        .consumers
        .into_iter()
        .map(|consumer| {
            let queue = format!("{}{}", settings.amqp_queue_prefix, consumer.queue);
            let config = ConsumerConfig::new(
                settings.amqp_url.clone(),
                &settings.amqp_exchange,
                &queue,
                consumer.bindings,
            );
            listening.push(queue.clone());
            queues.extend(config.queues());
            Consumer::shared(
                config,
                infra.pool.clone(),
                infra.metrics.clone(),
                consumer.handler,
            )
            .spawn(stop.clone())
        })
        .collect();

    let prefetching = verifier.clone();
    tokio::spawn(async move { prefetching.prefetch().await });
    let configure = spec.configure;
    let document = crate::openapi::document(spec.openapi, configure.clone());
    let routes = web::Data::new(crate::openapi_errors::Routes::of(&document));
    let openapi = web::Data::new(OpenApiDoc(document));
    let infra_data = web::Data::new(infra.clone());
    let metrics_data = web::Data::new(metrics);

    let listener = TcpListener::bind(settings.listen)?;
    let port = listener.local_addr()?.port();
    let workers = settings.http_workers;
    let mut server = HttpServer::new(move || {
        App::new()
            .wrap(from_fn(crate::nul_guard::refuse_nul_middleware))
            .wrap(from_fn(metrics_middleware))
            .wrap(from_fn(request_id_middleware))
            .app_data(infra_data.clone())
            .app_data(metrics_data.clone())
            .app_data(verifier.clone())
            .app_data(openapi.clone())
            .app_data(routes.clone())
            .configure(crate::error::extractor_configs)
            .configure(operational_routes)
            .into_utoipa_app()
            .configure(configure.clone())
            .into_app()
            .default_service(web::to(no_route))
    })
    // Small writes (WebSocket pushes, short answers) go out at once instead of
    // waiting behind Nagle's algorithm for the peer's delayed ACK (up to 40 ms).
    .tcp_nodelay(true)
    .listen(listener)?
    .shutdown_timeout(settings.shutdown_timeout_secs);
    if workers > 0 {
        server = server.workers(workers);
    }
    tracing::info!(service = settings.service, port, "listening");
    Ok(Running {
        port,
        server: server.run(),
        infra,
        relay,
        shutdown,
        consumers,
        listening,
        queues,
    })
}

struct OpenApiDoc(serde_json::Value);

fn operational_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz))
        .route("/readyz", web::get().to(readyz))
        .route("/metrics", web::get().to(metrics))
        .route("/openapi.json", web::get().to(openapi));
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

/// 200 while the database answers; the broker (for publishers) and Redis
/// (for services that use it) are reported but optional.
async fn readyz(infra: web::Data<Infra>) -> HttpResponse {
    let redis_ping = async {
        match &infra.redis {
            Some(redis) => Some(redis.ping().await),
            None => None,
        }
    };
    let (database, redis) = tokio::join!(db::ping(&infra.pool), redis_ping);
    let word = |up: bool| if up { "up" } else { "down" };
    let mut body = json!({
        "status": if database { "ready" } else { "unavailable" },
        "database": word(database),
    });
    if let Some(broker) = &infra.broker {
        body["broker"] = json!(word(broker.is_connected()));
    }
    if let Some(redis) = redis {
        body["redis"] = json!(word(redis));
    }
    if database {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}

async fn metrics(infra: web::Data<Infra>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(infra.metrics.render(&infra.pool))
}

async fn openapi(doc: web::Data<OpenApiDoc>) -> HttpResponse {
    HttpResponse::Ok().json(&doc.0)
}

/// 405 with `Allow` for a documented path asked with another method, else 404.
async fn no_route(
    req: HttpRequest,
    routes: web::Data<crate::openapi_errors::Routes>,
) -> HttpResponse {
    use actix_web::ResponseError;
    match routes.allowed(req.path()) {
        Some(allowed) => crate::openapi_errors::method_not_allowed(&req, &allowed),
        None => ApiError::not_found(format!("no route for {} {}", req.method(), req.path()))
            .error_response(),
    }
}

/// Waits for Ctrl-C or SIGTERM is handled by actix itself (it drains in-flight
/// requests for `SHUTDOWN_TIMEOUT_SECS`); this runs the server to completion.
pub async fn serve(running: Running) -> std::io::Result<()> {
    let result = running.server.await;
    running.shutdown.send_replace(true);
    let drain = Duration::from_secs(running.infra.settings.shutdown_timeout_secs);
    for consumer in running.consumers {
        let _ = tokio::time::timeout(drain, consumer).await;
    }
    if let Some(relay) = running.relay {
        relay.abort();
    }
    result
}
