use clap::{Parser, Subcommand, ValueEnum};

use auth::settings::AuthSettings;

/// The platform's identity service.
#[derive(Parser)]
#[command(version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP service (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create an administrator. The password is read from AUTH_ADMIN_PASSWORD or stdin, never an argument.
    CreateAdmin {
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
    },
    /// Create an API client; prints its id and secret (shown only once) as JSON.
    CreateClient {
        #[arg(long)]
        name: String,
        /// Space- or comma-separated scopes, e.g. "users:provision users:read".
        #[arg(long, default_value = "")]
        scopes: String,
    },
    /// Print every user as CSV or JSON.
    ExportUsers {
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
    },
    /// Print a new Ed25519 signing key for AUTH_SIGNING_KEYS.
    GenerateKey,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Csv,
    Json,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    common::settings::load_dotenv();
    let cli = Cli::parse();
    if let Some(Command::GenerateKey) = cli.command {
        return match common::jwt::SigningKey::generate_base64_pkcs8() {
            Ok(key) => {
                println!("{key}");
                std::process::ExitCode::SUCCESS
            }
            Err(error) => fail(error),
        };
    }
    let settings = match AuthSettings::from_env() {
        Ok(settings) => settings,
        Err(error) => return fail(error),
    };
    let _telemetry = common::telemetry::init(&settings.common);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings).await,
        Command::Migrate => common::server::migrate(&settings.common, auth::MIGRATIONS)
            .map(|applied| println!("applied {} migration(s)", applied.len()))
            .map_err(Into::into),
        Command::CreateAdmin { username, email } => {
            auth::cli::create_admin(settings, username, email)
        }
        Command::CreateClient { name, scopes } => {
            let scopes = scopes
                .split([' ', ','])
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            auth::cli::create_client(settings, name, scopes)
        }
        Command::ExportUsers { format } => auth::cli::export_users(
            settings,
            if matches!(format, Format::Json) {
                "json"
            } else {
                "csv"
            },
        ),
        Command::GenerateKey => Ok(()),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => fail(error),
    }
}

async fn serve(settings: AuthSettings) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let running = auth::build(settings).await?;
    common::server::serve(running).await?;
    Ok(())
}

fn fail(error: impl std::fmt::Display) -> std::process::ExitCode {
    eprintln!("auth: {error}");
    std::process::ExitCode::FAILURE
}
