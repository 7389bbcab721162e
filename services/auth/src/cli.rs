//! Subcommands of the auth binary besides `serve` and `migrate`.

use std::io::Read;

use clap::{Subcommand, ValueEnum};
use common::service::{BoxError, ExtraCommands};
use common::settings::SettingsError;

use common::list::to_csv;
use common::ApiError;
use diesel::{Connection, PgConnection};
use secrecy::ExposeSecret;

use crate::db::models::{status, UserView};
use crate::domain::accounts::{self, NewAccount};
use crate::domain::validate::PasswordPolicy;
use crate::saved_client::Outcome;
use crate::settings::AuthSettings;

type CliResult = Result<(), BoxError>;

#[derive(Subcommand)]
pub enum Command {
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
        /// Save the id and secret as files <DIR>/<name>_client_id and
        /// <DIR>/<name>_client_secret instead of printing the secret, and keep
        /// the client those files already prove (run it on every start).
        #[arg(long, value_name = "DIR")]
        save_to: Option<std::path::PathBuf>,
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
pub enum Format {
    Csv,
    Json,
}

impl ExtraCommands<AuthSettings> for Command {
    fn run(self, settings: impl FnOnce() -> Result<AuthSettings, SettingsError>) -> CliResult {
        match self {
            Command::GenerateKey => {
                println!("{}", common::jwt::SigningKey::generate_base64_pkcs8()?);
                Ok(())
            }
            Command::CreateAdmin { username, email } => create_admin(settings()?, username, email),
            Command::CreateClient {
                name,
                scopes,
                save_to,
            } => {
                let scopes = scopes
                    .split([' ', ','])
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect();
                create_client(settings()?, name, scopes, save_to)
            }
            Command::ExportUsers { format } => export_users(settings()?, format),
        }
    }
}

fn connect(settings: &AuthSettings) -> Result<PgConnection, diesel::ConnectionError> {
    PgConnection::establish(settings.common.database_url.expose_secret())
}

/// Reads the password from `AUTH_ADMIN_PASSWORD`, or else the first line of stdin.
fn admin_password() -> Result<String, std::io::Error> {
    if let Ok(password) = std::env::var("AUTH_ADMIN_PASSWORD") {
        if !password.is_empty() {
            return Ok(password);
        }
    }
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    Ok(input.lines().next().unwrap_or_default().to_owned())
}

/// Creates an active administrator account.
pub fn create_admin(settings: AuthSettings, username: String, email: String) -> CliResult {
    let account = NewAccount {
        username,
        email,
        password: admin_password()?,
        full_name: String::new(),
    }
    .validated(PasswordPolicy::Standard)
    .map_err(describe)?;
    let state = crate::state(settings)?;
    let hash = state.hasher.hash(&account.password).map_err(describe)?;
    let mut conn = connect(&state.settings)?;
    let user = conn
        .transaction(|conn| {
            accounts::create(conn, &account, &hash, status::ACTIVE, vec!["admin".into()])
        })
        .map_err(describe)?;
    println!("created administrator {} ({})", user.username, user.id);
    Ok(())
}

/// Creates an API client and prints its id and secret as JSON (the only time
/// the secret is shown), or saves them as files in `save_to`.
pub fn create_client(
    settings: AuthSettings,
    name: String,
    scopes: Vec<String>,
    save_to: Option<std::path::PathBuf>,
) -> CliResult {
    let client = crate::domain::clients::NewClient { name, scopes }
        .validated()
        .map_err(describe)?;
    let mut conn = connect(&settings)?;
    if let Some(dir) = save_to {
        match crate::saved_client::save(&mut conn, &client, &dir)? {
            Outcome::Kept(id) => println!("kept client {id} saved in {}", dir.display()),
            Outcome::Created(id) => println!("created client {id}, saved in {}", dir.display()),
        }
        return Ok(());
    }
    let created = crate::domain::clients::create(&mut conn, &client, None).map_err(describe)?;
    println!("{}", serde_json::to_string_pretty(&created)?);
    Ok(())
}

/// Writes every user to stdout as CSV or JSON.
pub fn export_users(settings: AuthSettings, format: Format) -> CliResult {
    use crate::db::schema::users;
    use diesel::prelude::*;
    let mut conn = connect(&settings)?;
    let rows: Vec<UserView> = users::table
        .select(crate::db::models::User::as_select())
        .order(users::created_at.asc())
        .load(&mut conn)?
        .into_iter()
        .map(UserView::from)
        .collect();
    match format {
        Format::Csv => print!("{}", to_csv(&rows)),
        Format::Json => println!("{}", serde_json::to_string_pretty(&rows)?),
    }
    Ok(())
}

fn describe(error: ApiError) -> String {
    match &error.errors {
        Some(fields) => fields
            .iter()
            .map(|(field, messages)| format!("{field}: {}", messages.join("; ")))
            .collect::<Vec<_>>()
            .join("\n"),
        None => error.detail,
    }
}
