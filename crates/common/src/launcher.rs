//! `main` for service binaries that serve and migrate.

use std::future::Future;
use std::process::ExitCode;

use actix_web::web;
use diesel_migrations::EmbeddedMigrations;

use crate::server::{self, Running, ServiceSpec, StartError};
use crate::settings::{self, CommonSettings};

/// What a simple service is made of.
pub struct ServiceDef {
    pub name: &'static str,
    pub default_port: u16,
    pub migrations: fn() -> EmbeddedMigrations,
    pub openapi: fn() -> serde_json::Value,
    pub configure: fn(&mut web::ServiceConfig),
    /// Event consumers the service runs.
    pub consumers: fn() -> Vec<crate::consumer::ConsumerSpec>,
}

impl ServiceDef {
    pub fn settings(&self) -> Result<CommonSettings, settings::SettingsError> {
        CommonSettings::from_env(self.name, self.default_port)
    }

    /// Migrates and binds; await the result's `server` to run it.
    pub async fn build(&self, settings: CommonSettings) -> Result<Running, StartError> {
        server::start(
            settings,
            ServiceSpec {
                migrations: (self.migrations)(),
                openapi: (self.openapi)(),
                verifier: None,
                configure: self.configure,
                consumers: (self.consumers)(),
            },
        )
        .await
    }

    /// `serve` (default) or `migrate`, from the command line.
    pub async fn main(&self) -> ExitCode {
        run(
            Binary {
                name: self.name,
                serves: "the HTTP service",
                migrations: (self.migrations)(),
            },
            || self.settings(),
            |settings| settings,
            |settings| self.build(settings),
        )
        .await
    }
}

/// What `main` needs to know of a service binary beyond its settings.
pub struct Binary {
    pub name: &'static str,
    /// What `serve` runs, for `--help`.
    pub serves: &'static str,
    pub migrations: EmbeddedMigrations,
}

/// The `main` of a service binary: `serve` (default) or `migrate`, from the
/// command line, with settings read by `load` and the service started by `build`.
pub async fn run<S, Build>(
    binary: Binary,
    load: impl FnOnce() -> Result<S, settings::SettingsError>,
    common_of: impl Fn(&S) -> &CommonSettings,
    build: impl FnOnce(S) -> Build,
) -> ExitCode
where
    Build: Future<Output = Result<Running, StartError>>,
{
    let name = binary.name;
    settings::load_dotenv();
    let command = std::env::args().nth(1).unwrap_or_else(|| "serve".into());
    if matches!(command.as_str(), "-h" | "--help" | "help") {
        println!(
            "usage: {name} [serve|migrate]\n  serve    run {} (default)\n  migrate  apply pending migrations and exit",
            binary.serves
        );
        return ExitCode::SUCCESS;
    }
    let settings = match load() {
        Ok(settings) => settings,
        Err(error) => return fail(name, error),
    };
    let _telemetry = crate::telemetry::init(common_of(&settings));
    match command.as_str() {
        "serve" => match build(settings).await {
            Ok(running) => match server::serve(running).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => fail(name, error),
            },
            Err(error) => fail(name, error),
        },
        "migrate" => match server::migrate(common_of(&settings), binary.migrations) {
            Ok(applied) => {
                println!("applied {} migration(s)", applied.len());
                ExitCode::SUCCESS
            }
            Err(error) => fail(name, error),
        },
        other => fail(
            name,
            format!("unknown command {other:?}; use serve or migrate"),
        ),
    }
}

fn fail(service: &str, error: impl std::fmt::Display) -> ExitCode {
    eprintln!("{service}: {error}");
    ExitCode::FAILURE
}

/// The OpenAPI document of a service that has no routes of its own yet.
pub fn empty_openapi(title: &str) -> serde_json::Value {
    serde_json::json!({
        "openapi": "3.1.0",
        "info": {"title": title, "version": env!("CARGO_PKG_VERSION")},
        "paths": {}
    })
}
