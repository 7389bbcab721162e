//! The real `auth` binary: settings from the environment, subcommands,
//! graceful shutdown and Sentry reporting.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::{web, App, HttpServer};
use reqwest::StatusCode;
use serde_json::{json, Value};
use testkit::process::{exit_within, free_port, sigterm};
use testkit::Isolation;

/// The binary with a clean environment (no developer `.env`) pointed at `iso`.
fn auth(iso: &Isolation, port: u16) -> Command {
    let dir = std::env::temp_dir();
    let mut command = Command::new(env!("CARGO_BIN_EXE_auth"));
    command
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("AUTH_DATABASE_URL", &iso.db.url)
        .env("AUTH_LISTEN", format!("127.0.0.1:{port}"))
        .env("AUTH_AMQP_URL", testkit::amqp_url_as("auth"))
        .env("AMQP_EXCHANGE", &iso.exchange)
        .env("REDIS_URL", testkit::redis_url())
        .env("REDIS_PREFIX", &iso.redis_prefix)
        .env(
            "AUTH_SIGNING_KEYS",
            common::jwt::SigningKey::generate_base64_pkcs8().unwrap(),
        )
        .env("AUTH_ARGON2_MEMORY_KIB", "4096")
        .env("AUTH_ARGON2_ITERATIONS", "1")
        .env("SHUTDOWN_TIMEOUT_SECS", "10");
    command
}

fn isolation() -> Isolation {
    Isolation::of::<auth::Auth>()
}

/// `auth migrate` on the test's database, which must succeed.
fn migrate(iso: &Isolation) {
    let migrated = auth(iso, free_port()).arg("migrate").output().unwrap();
    assert!(migrated.status.success(), "{}", stderr(&migrated));
}

async fn wait_until_up(port: u16) {
    let started = Instant::now();
    while reqwest::get(format!("http://127.0.0.1:{port}/healthz"))
        .await
        .is_err()
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "auth did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A folder removed when the test ends.
struct DropDir(std::path::PathBuf);

impl Drop for DropDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test]
async fn a_missing_or_invalid_setting_stops_start_up_naming_it() {
    let iso = isolation();
    let missing = auth(&iso, free_port())
        .env_remove("AUTH_SIGNING_KEYS")
        .output()
        .unwrap();
    assert!(!missing.status.success());
    assert!(
        stderr(&missing).contains("AUTH_SIGNING_KEYS"),
        "{}",
        stderr(&missing)
    );

    let invalid = auth(&iso, free_port())
        .env("AUTH_ARGON2_ITERATIONS", "lots")
        .output()
        .unwrap();
    assert!(!invalid.status.success());
    assert!(
        stderr(&invalid).contains("AUTH_ARGON2_ITERATIONS"),
        "{}",
        stderr(&invalid)
    );

    let bad_key = auth(&iso, free_port())
        .env("AUTH_SIGNING_KEYS", "bm90IGEga2V5")
        .output()
        .unwrap();
    assert!(!bad_key.status.success());
    assert!(
        stderr(&bad_key).contains("AUTH_SIGNING_KEYS"),
        "{}",
        stderr(&bad_key)
    );
}

#[tokio::test]
async fn create_admin_reads_the_password_from_stdin_and_export_lists_users() {
    let iso = isolation();
    let run_with_stdin = |args: &[&str], input: &str| {
        let mut child = auth(&iso, free_port())
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    migrate(&iso);
    let weak = run_with_stdin(
        &[
            "create-admin",
            "--username",
            "root",
            "--email",
            "root@example.org",
        ],
        "short\n",
    );
    assert!(!weak.status.success());
    assert!(stderr(&weak).contains("password"), "{}", stderr(&weak));
    let made = run_with_stdin(
        &[
            "create-admin",
            "--username",
            "root",
            "--email",
            "root@example.org",
        ],
        "long enough password\n",
    );
    assert!(made.status.success(), "{}", stderr(&made));
    let again = run_with_stdin(
        &[
            "create-admin",
            "--username",
            "Root",
            "--email",
            "x@example.org",
        ],
        "long enough password\n",
    );
    assert!(!again.status.success(), "a taken username is refused");

    let export = auth(&iso, free_port())
        .args(["export-users", "--format", "json"])
        .output()
        .unwrap();
    let users: Value = serde_json::from_slice(&export.stdout).unwrap();
    assert_eq!(users[0]["username"], "root");
    assert_eq!(users[0]["roles"], json!(["admin"]));
    assert!(!String::from_utf8_lossy(&export.stdout).contains("argon2"));
    let csv = auth(&iso, free_port())
        .args(["export-users", "--format", "csv"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&csv.stdout).starts_with("id,username,email"));
}

#[tokio::test]
async fn create_client_prints_credentials_that_get_a_token() {
    let iso = isolation();
    migrate(&iso);
    let bad = auth(&iso, free_port())
        .args(["create-client", "--name", "x", "--scopes", "Not A Scope"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("scopes"), "{}", stderr(&bad));
    let made = auth(&iso, free_port())
        .args([
            "create-client",
            "--name",
            "social",
            "--scopes",
            "users:provision,users:read",
        ])
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", stderr(&made));
    let created: Value = serde_json::from_slice(&made.stdout).unwrap();
    assert_eq!(created["scopes"], json!(["users:provision", "users:read"]));

    let token: Value = client_token(
        &iso,
        created["client_id"].as_str().unwrap(),
        created["client_secret"].as_str().unwrap(),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(token["scope"], "users:provision users:read");
}

/// Starts auth, asks it for a client-credentials token, stops it.
async fn client_token(iso: &Isolation, id: &str, secret: &str) -> reqwest::Response {
    let port = free_port();
    let mut child = auth(iso, port).stderr(Stdio::null()).spawn().unwrap();
    wait_until_up(port).await;
    let token = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/v1/token"))
        .basic_auth(id, Some(secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    sigterm(&child);
    let _ = child.wait();
    token
}

/// The compose file's init step: `create-client --save-to` writes the id and
/// secret as private files for social's `_FILE` settings, keeps that client on
/// every later run, and replaces it once it is revoked or the files are lost.
#[tokio::test]
async fn create_client_save_to_makes_the_client_once_and_replaces_a_revoked_one() {
    use std::os::unix::fs::PermissionsExt;
    let iso = isolation();
    migrate(&iso);
    let dir = std::env::temp_dir().join(format!("saved-client-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir(&dir).unwrap();
    let dir = DropDir(dir);
    let save = || {
        auth(&iso, free_port())
            .args([
                "create-client",
                "--name",
                "social",
                "--scopes",
                "users:provision users:read",
            ])
            .arg("--save-to")
            .arg(dir.0.as_path())
            .output()
            .unwrap()
    };
    let read = |file: &str| std::fs::read_to_string(dir.0.as_path().join(file)).unwrap();

    let first = save();
    assert!(first.status.success(), "{}", stderr(&first));
    let out = String::from_utf8_lossy(&first.stdout).into_owned();
    let id = read("social_client_id");
    let secret = read("social_client_secret");
    assert!(
        out.starts_with("created client") && out.contains(&id),
        "{out}"
    );
    assert!(!out.contains(&secret), "the secret is never printed");
    let mode = std::fs::metadata(dir.0.as_path().join("social_client_secret"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);

    let again = save();
    assert!(String::from_utf8_lossy(&again.stdout).starts_with("kept client"));
    assert_eq!(
        (read("social_client_id"), read("social_client_secret")),
        (id.clone(), secret.clone())
    );

    // The saved client gets a token.
    let token = client_token(&iso, &id, &secret).await;
    assert_eq!(token.status(), StatusCode::OK);

    // Revoked (or a secret that no longer matches): a new client replaces it.
    diesel::RunQueryDsl::execute(
        diesel::sql_query(format!(
            "UPDATE api_clients SET revoked_at = now() WHERE id = '{id}'"
        )),
        &mut iso.db.connect(),
    )
    .unwrap();
    assert!(save().status.success());
    assert_ne!(read("social_client_id"), id);
    std::fs::write(
        dir.0.as_path().join("social_client_secret"),
        "not the secret",
    )
    .unwrap();
    let replaced = read("social_client_id");
    assert!(save().status.success());
    assert_ne!(read("social_client_id"), replaced);

    let odd = auth(&iso, free_port())
        .args(["create-client", "--name", "Social Client", "--save-to"])
        .arg(dir.0.as_path())
        .output()
        .unwrap();
    assert!(!odd.status.success());
    assert!(stderr(&odd).contains("--name"), "{}", stderr(&odd));
}

#[tokio::test]
async fn sigterm_lets_in_flight_requests_finish() {
    let iso = isolation();
    let port = free_port();
    // Expensive hashing makes a login take long enough to be caught in flight.
    let mut child = auth(&iso, port)
        .env("AUTH_ARGON2_ITERATIONS", "150")
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_until_up(port).await;
    let http = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let registered = http
        .post(format!("{base}/v1/register"))
        .json(&json!({"username": "Slow", "email": "slow@example.org", "password": "password1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), StatusCode::CREATED);

    let login = tokio::spawn({
        let http = http.clone();
        let base = base.clone();
        async move {
            let started = Instant::now();
            let response = http
                .post(format!("{base}/v1/login"))
                .json(&json!({"username": "Slow", "password": "password1"}))
                .send()
                .await
                .unwrap();
            (response.status(), started.elapsed())
        }
    });
    tokio::time::sleep(Duration::from_millis(150)).await;
    sigterm(&child);
    let (status, took) = login.await.unwrap();
    assert_eq!(status, StatusCode::OK, "the in-flight login finished");
    assert!(
        took > Duration::from_millis(150),
        "the login was still running at SIGTERM ({took:?})"
    );
    let exit = exit_within(&mut child, Duration::from_secs(15)).await;
    assert!(exit.success(), "clean exit: {exit:?}");
}

/// A request slower than 500 ms leaves one JSON log line with its route
/// template, status, duration and request id: what the latency dashboard's
/// link finds in Loki. Fast requests leave none.
#[tokio::test]
async fn slow_requests_are_logged_with_their_route_and_request_id() {
    let iso = isolation();
    let port = free_port();
    let child = auth(&iso, port)
        .env("LOG_FORMAT", "json")
        .env("RUST_LOG", "warn")
        .env("AUTH_ARGON2_ITERATIONS", "800")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    wait_until_up(port).await;
    let http = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    let registered = http
        .post(format!("{base}/v1/register"))
        .header("x-request-id", "slow-registration-1")
        .json(&json!({"username": "Slow", "email": "slow@example.org", "password": "password1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), StatusCode::CREATED);
    assert!(
        started.elapsed() > Duration::from_millis(500),
        "hashing made it slow"
    );
    http.get(format!("{base}/healthz"))
        .header("x-request-id", "fast-one")
        .send()
        .await
        .unwrap();
    sigterm(&child);
    let output = child.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&output.stdout);
    let slow: Vec<Value> = log
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|line| line["fields"]["message"] == "slow request")
        .collect();
    assert_eq!(slow.len(), 1, "log:\n{log}");
    let line = &slow[0];
    assert_eq!(line["level"], "WARN");
    assert_eq!(line["fields"]["route"], "/v1/register");
    assert_eq!(line["fields"]["status"], "201");
    assert!(line["fields"]["duration_ms"].as_u64().unwrap() >= 500);
    assert_eq!(line["fields"]["request_id"], "slow-registration-1");
    assert!(!log.contains("password1"));
}

#[tokio::test]
async fn sentry_gets_unexpected_errors_only_and_never_credentials() {
    let received: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = received.clone();
    let sentry = HttpServer::new(move || {
        let sink = sink.clone();
        App::new().default_service(web::to(move |body: web::Bytes| {
            let sink = sink.clone();
            async move {
                sink.lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&body).into_owned());
                actix_web::HttpResponse::Ok().json(json!({"id": "0"}))
            }
        }))
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .unwrap();
    let sentry_port = sentry.addrs()[0].port();
    tokio::spawn(sentry.run());

    let iso = isolation();
    let port = free_port();
    let mut child = auth(&iso, port)
        .env(
            "SENTRY_DSN",
            format!("http://publickey@127.0.0.1:{sentry_port}/1"),
        )
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_until_up(port).await;
    let http = reqwest::Client::new();
    let token_url = format!("http://127.0.0.1:{port}/v1/token");

    let rejected = http
        .post(&token_url)
        .json(&json!({"grant_type": "password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(rejected.status(), StatusCode::BAD_REQUEST);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(received.lock().unwrap().is_empty(), "4xx are not reported");

    // Break the database under the service to cause an unexpected error.
    diesel::RunQueryDsl::execute(
        diesel::sql_query("DROP TABLE api_clients"),
        &mut iso.db.connect(),
    )
    .unwrap();
    let failed = http
        .post(&token_url)
        .header("authorization", "Bearer very-secret-token")
        .header("cookie", "session=very-secret-cookie")
        .json(&json!({"grant_type": "client_credentials", "client_id": uuid::Uuid::new_v4(), "client_secret": "s"}))
        .send()
        .await
        .unwrap();
    assert_eq!(failed.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body = failed.text().await.unwrap();
    assert!(
        body.contains("an unexpected error occurred") && !body.contains("api_clients"),
        "opaque 500: {body}"
    );

    let started = Instant::now();
    while received.lock().unwrap().is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the 500 reached Sentry"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    sigterm(&child);
    let _ = child.wait();
    let reports = received.lock().unwrap().join("\n");
    assert!(reports.contains("request failed"), "{reports}");
    assert!(
        reports.contains("api_clients"),
        "the cause goes to Sentry: {reports}"
    );
    assert!(
        !reports.contains("very-secret"),
        "credentials never leave: {reports}"
    );
}
