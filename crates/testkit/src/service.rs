//! Spawning any service the chassis defines, in-process on port 0.

use std::path::PathBuf;

use common::service::Service;

use crate::Isolation;

/// A service running for one test.
pub struct Spawned {
    pub port: u16,
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    handle: actix_web::dev::ServerHandle,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Spawned {
    /// Stops like SIGTERM does: no new requests, work in hand finished.
    pub async fn stop(self) {
        self.handle.stop(true).await;
        let _ = self.task.await;
    }
}

/// Builds `S` with `settings` and serves it in the background. Its consumer
/// queues are deleted with `iso`; each consumer is listening when this returns.
#[allow(clippy::expect_used)]
pub async fn spawn<S: Service>(iso: &Isolation, settings: S::Settings) -> Spawned {
    let running = S::build(settings).await.expect("service starts");
    iso.track_queues(running.queues.iter().cloned());
    let listening = running.listening.clone();
    let port = running.port;
    let handle = running.server.handle();
    let task = tokio::spawn(common::server::serve(running));
    for queue in listening {
        crate::bus::wait_for_consumer(&queue).await;
    }
    Spawned {
        port,
        url: format!("http://127.0.0.1:{port}"),
        handle,
        task,
    }
}

/// The workspace's root folder, found from the running test's package, so
/// files are read from this checkout (not from where the binary was built).
#[allow(clippy::expect_used)]
pub fn workspace_root() -> PathBuf {
    let start = std::env::var("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .or_else(|_| std::env::current_dir())
        .expect("a working directory");
    start
        .ancestors()
        .find(|dir| {
            std::fs::read_to_string(dir.join("Cargo.toml"))
                .is_ok_and(|manifest| manifest.contains("[workspace]"))
        })
        .map(PathBuf::from)
        .expect("the test runs inside the workspace")
}

/// Checks the routes every service answers: health, readiness with its
/// dependencies, Prometheus metrics and an OpenAPI document.
#[allow(clippy::unwrap_used, clippy::expect_used)]
pub async fn assert_operational_routes(port: u16) {
    let http = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let health = http
        .get(format!("{base}/healthz"))
        .send()
        .await
        .expect("healthz");
    assert_eq!(health.status(), 200);
    let ready: serde_json::Value = http
        .get(format!("{base}/readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["status"], "ready", "{ready}");
    assert_eq!(ready["database"], "up");
    if !ready["redis"].is_null() {
        assert_eq!(ready["redis"], "up", "{ready}");
    }
    let openapi: serde_json::Value = http
        .get(format!("{base}/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        openapi["openapi"].as_str().unwrap().starts_with("3."),
        "{openapi}"
    );
    let metrics = metrics(&base).await;
    assert!(metrics.contains(r#"route="/healthz""#), "{metrics}");
}

/// The Prometheus text a service at `base` serves on `/metrics`.
#[allow(clippy::unwrap_used)]
pub async fn metrics(base: &str) -> String {
    reqwest::get(format!("{base}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Spawns a service with the settings `settings` makes of a test's common
/// ones and checks it migrated its own database (a publisher's outbox exists
/// and is empty) and answers the operational routes.
#[allow(clippy::unwrap_used)]
pub async fn assert_service_starts<S: Service>(
    settings: impl FnOnce(common::settings::CommonSettings) -> S::Settings,
) {
    let iso = Isolation::of::<S>();
    let spawned = spawn::<S>(&iso, settings(iso.settings(S::NAME))).await;
    assert_operational_routes(spawned.port).await;
    let mut conn = iso.db.connect();
    let outbox =
        diesel::RunQueryDsl::execute(diesel::sql_query("SELECT id FROM outbox"), &mut conn);
    assert_eq!(outbox.is_ok(), S::migrations().outbox, "{outbox:?}");
    if let Ok(rows) = outbox {
        assert_eq!(rows, 0);
    }
    spawned.stop().await;
}

/// Sends a request for every operation in the service's OpenAPI document and
/// checks none of them falls through to "no route": the document and the
/// route table are one list.
#[allow(clippy::unwrap_used, clippy::expect_used)]
pub async fn assert_documented_routes_exist(port: u16) {
    let http = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let document: serde_json::Value = http
        .get(format!("{base}/openapi.json"))
        .send()
        .await
        .expect("openapi.json")
        .json()
        .await
        .unwrap();
    let paths = document["paths"].as_object().expect("paths");
    assert!(!paths.is_empty(), "the document lists no operation");
    for (path, item) in paths {
        let concrete = path
            .split('/')
            .map(|segment| {
                if segment.starts_with('{') {
                    "00000000-0000-0000-0000-000000000000"
                } else {
                    segment
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        for method in item.as_object().unwrap().keys() {
            let Ok(method) = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()) else {
                continue;
            };
            let response = http
                .request(method.clone(), format!("{base}{concrete}"))
                .send()
                .await
                .unwrap();
            let body = response.text().await.unwrap();
            assert!(
                !body.contains("no route for"),
                "{method} {path} is documented but not routed: {body}"
            );
        }
    }
}
