//! One way to define a service. A service says its name, its settings, its
//! migrations, how it builds (routes, consumers, background tasks) and any
//! extra commands; [`main`] gives every binary `serve` (the default),
//! `migrate` and `--help`, and testkit spawns any service the same way.

use std::future::Future;
use std::process::ExitCode;

use clap::{ArgMatches, FromArgMatches, Subcommand};

use crate::migrations::Migrations;
use crate::server::{self, Running, StartError};
use crate::settings::{self, CommonSettings, SettingsError};

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What makes a service a service.
pub trait Service: 'static {
    /// The binary's and the settings' name (`auth`, `social`, ...).
    const NAME: &'static str;
    /// What `serve` runs, for `--help`.
    const SERVES: &'static str;
    type Settings: Send + 'static;
    /// Commands beside `serve` and `migrate`; [`NoCommands`] when there are none.
    type Commands: ExtraCommands<Self::Settings>;

    /// Reads the settings from the environment.
    fn settings() -> Result<Self::Settings, SettingsError>;
    /// The part of the settings every service has.
    fn common(settings: &Self::Settings) -> &CommonSettings;
    /// The service's database: its own migrations and the common tables it uses.
    fn migrations() -> Migrations;
    /// Migrates, starts consumers and background tasks, and binds the server;
    /// await [`server::serve`] on the result to run it.
    fn build(settings: Self::Settings) -> impl Future<Output = Result<Running, StartError>>;
}

/// A service's extra subcommands (a clap `Subcommand` enum) and how to run them.
pub trait ExtraCommands<S>: Subcommand {
    /// Runs the command; `settings` reads the service's settings for commands
    /// that need them (some, like generating a key, must work without).
    fn run(self, settings: impl FnOnce() -> Result<S, SettingsError>) -> Result<(), BoxError>;
}

/// For services without extra commands.
pub enum NoCommands {}

impl FromArgMatches for NoCommands {
    fn from_arg_matches(_: &ArgMatches) -> Result<Self, clap::Error> {
        Err(clap::Error::new(clap::error::ErrorKind::InvalidSubcommand))
    }
    fn update_from_arg_matches(&mut self, _: &ArgMatches) -> Result<(), clap::Error> {
        match *self {}
    }
}

impl Subcommand for NoCommands {
    fn augment_subcommands(cmd: clap::Command) -> clap::Command {
        cmd
    }
    fn augment_subcommands_for_update(cmd: clap::Command) -> clap::Command {
        cmd
    }
    fn has_subcommand(_: &str) -> bool {
        false
    }
}

impl<S> ExtraCommands<S> for NoCommands {
    fn run(self, _: impl FnOnce() -> Result<S, SettingsError>) -> Result<(), BoxError> {
        match self {}
    }
}

/// The command line every service binary understands.
fn command_line<S: Service>() -> clap::Command {
    let cli = clap::Command::new(S::NAME)
        .about(format!("The platform's {} service.", S::NAME))
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand(clap::Command::new("serve").about(format!("Run {} (the default)", S::SERVES)))
        .subcommand(clap::Command::new("migrate").about("Apply pending migrations and exit"))
        .subcommand(clap::Command::new("healthcheck").about(
            "Exit 0 when the service on this machine's listen address answers /healthz (for container health checks)",
        ))
        .subcommand(
            clap::Command::new("replay-dead-letters")
                .about("Move the messages waiting in a consumer's dead-letter queue back to it (once their cause is fixed)")
                .arg(
                    clap::Arg::new("queue")
                        .long("queue")
                        .required(true)
                        .help("The consumer's queue, e.g. notify.events (the DeadLetters alert names it)"),
                ),
        );
    S::Commands::augment_subcommands(cli)
}

/// The `main` of a service binary.
pub async fn main<S: Service>() -> ExitCode {
    settings::load_dotenv();
    let matches = match command_line::<S>().try_get_matches() {
        Ok(matches) => matches,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match matches.subcommand_name() {
        None | Some("serve") => serve::<S>().await,
        Some("migrate") => migrate::<S>(),
        Some("healthcheck") => healthcheck::<S>(),
        Some("replay-dead-letters") => {
            let queue = matches
                .subcommand_matches("replay-dead-letters")
                .and_then(|sub| sub.get_one::<String>("queue"))
                .cloned()
                .unwrap_or_default();
            replay_dead_letters::<S>(&queue).await
        }
        Some(_) => match S::Commands::from_arg_matches(&matches) {
            Ok(command) => match command.run(S::settings) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => fail(S::NAME, error),
            },
            Err(error) => {
                let _ = error.print();
                ExitCode::from(2)
            }
        },
    }
}

async fn serve<S: Service>() -> ExitCode {
    let settings = match S::settings() {
        Ok(settings) => settings,
        Err(error) => return fail(S::NAME, error),
    };
    let _telemetry = crate::telemetry::init(S::common(&settings));
    let running = match S::build(settings).await {
        Ok(running) => running,
        Err(error) => return fail(S::NAME, error),
    };
    match server::serve(running).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(S::NAME, error),
    }
}

/// Asks the running service's `/healthz` on its listen address (loopback
/// when it listens on every interface); no curl needed in the image.
fn healthcheck<S: Service>() -> ExitCode {
    let settings = match S::settings() {
        Ok(settings) => settings,
        Err(error) => return fail(S::NAME, error),
    };
    let mut address = S::common(&settings).listen;
    if address.ip().is_unspecified() {
        address.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    match probe(address) {
        Ok(()) => ExitCode::SUCCESS,
        Err(why) => {
            eprintln!("{} at {address} is not healthy: {why}", S::NAME);
            ExitCode::FAILURE
        }
    }
}

/// One `GET /healthz`; Ok on a 200.
fn probe(address: std::net::SocketAddr) -> Result<(), String> {
    use std::io::{Read, Write};
    let timeout = std::time::Duration::from_secs(3);
    let mut stream =
        std::net::TcpStream::connect_timeout(&address, timeout).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(timeout))
        .map_err(|e| e.to_string())?;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .map_err(|e| e.to_string())?;
    let mut head = [0u8; 64];
    let read = stream.read(&mut head).map_err(|e| e.to_string())?;
    let status_line = String::from_utf8_lossy(&head[..read]);
    let status = status_line.split_whitespace().nth(1).unwrap_or("no answer");
    if status == "200" {
        Ok(())
    } else {
        Err(format!("/healthz answered {status}"))
    }
}

async fn replay_dead_letters<S: Service>(queue: &str) -> ExitCode {
    let settings = match S::settings() {
        Ok(settings) => settings,
        Err(error) => return fail(S::NAME, error),
    };
    let amqp_url = &S::common(&settings).amqp_url;
    match crate::dead_letters::replay(amqp_url, queue).await {
        Ok(moved) => {
            println!("moved {moved} message(s) from {queue}.dead back to {queue}");
            ExitCode::SUCCESS
        }
        Err(error) => fail(S::NAME, error),
    }
}

fn migrate<S: Service>() -> ExitCode {
    let settings = match S::settings() {
        Ok(settings) => settings,
        Err(error) => return fail(S::NAME, error),
    };
    let _telemetry = crate::telemetry::init(S::common(&settings));
    match server::migrate(S::common(&settings), S::migrations()) {
        Ok(applied) => {
            println!("applied {} migration(s)", applied.len());
            ExitCode::SUCCESS
        }
        Err(error) => fail(S::NAME, error),
    }
}

/// Logs and prints the error with its whole chain of causes.
fn fail<E: Into<BoxError>>(service: &str, error: E) -> ExitCode {
    let error: BoxError = error.into();
    let chain = crate::report::Chain(error.as_ref());
    tracing::error!(error = %chain, "{service} stopped");
    eprintln!("{service}: {chain}");
    ExitCode::FAILURE
}

/// The start of a service's OpenAPI document: its title and version.
pub fn openapi_base(title: &str) -> utoipa::openapi::OpenApi {
    utoipa::openapi::OpenApiBuilder::new()
        .info(
            utoipa::openapi::InfoBuilder::new()
                .title(title)
                .version(env!("CARGO_PKG_VERSION"))
                .build(),
        )
        .build()
}
