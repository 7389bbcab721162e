//! Subcommands of the auth binary besides `serve`.

use std::io::Read;

use common::list::to_csv;
use common::ApiError;
use diesel::{Connection, PgConnection};
use secrecy::ExposeSecret;

use crate::db::models::{status, UserView};
use crate::domain::accounts::{self, NewAccount};
use crate::domain::validate::PasswordPolicy;
use crate::settings::AuthSettings;

type CliResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

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
/// the secret is shown).
pub fn create_client(settings: AuthSettings, name: String, scopes: Vec<String>) -> CliResult {
    let client = crate::domain::clients::NewClient { name, scopes }
        .validated()
        .map_err(describe)?;
    let mut conn = connect(&settings)?;
    let created = crate::domain::clients::create(&mut conn, &client, None).map_err(describe)?;
    println!("{}", serde_json::to_string_pretty(&created)?);
    Ok(())
}

/// Writes every user to stdout as CSV or JSON.
pub fn export_users(settings: AuthSettings, format: &str) -> CliResult {
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
        "csv" => print!("{}", to_csv(&rows)),
        _ => println!("{}", serde_json::to_string_pretty(&rows)?),
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
