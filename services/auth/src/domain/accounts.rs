//! Creating accounts, shared by self-registration, provisioning and the CLI.

use common::{ApiError, Infra, Validator};
use diesel::PgConnection;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::models::{status, NewUser, User};
use crate::db::users;
use crate::domain::events;
use crate::domain::refusal::Refusal;
use crate::domain::validate::{self, PasswordPolicy};
use crate::state::AuthState;

/// A request to create an account.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewAccount {
    /// Letters, digits, spaces and `._-`, no space at either end or twice.
    #[schema(min_length = 1, max_length = 64, pattern = r"^[\w.-]+( [\w.-]+)*$")]
    pub username: String,
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    /// At least 8 characters (at most 1,024 bytes).
    #[schema(format = Password, min_length = 8, max_length = 256)]
    pub password: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub full_name: String,
}

impl NewAccount {
    /// Trims what people don't mean to type and checks every field at once.
    pub fn validated(mut self, policy: PasswordPolicy) -> Result<Self, ApiError> {
        self.email = self.email.trim().to_owned();
        self.full_name = self.full_name.trim().to_owned();
        let mut v = Validator::new();
        validate::username(&mut v, &self.username);
        validate::email(&mut v, &self.email);
        validate::password(&mut v, "password", &self.password, policy);
        v.check(
            self.full_name.chars().count() <= 200,
            "full_name",
            "must be at most 200 characters",
        );
        v.finish()?;
        Ok(self)
    }
}

/// 409 naming the field that is taken.
pub fn ensure_free(
    conn: &mut PgConnection,
    username: &str,
    email: &str,
    except: Option<Uuid>,
) -> Result<(), ApiError> {
    match users::taken(conn, username, email, except)? {
        (true, _) => Err(Refusal::UsernameTaken {
            username: username.to_owned(),
        }
        .into()),
        (_, true) => Err(Refusal::EmailTaken.into()),
        _ => Ok(()),
    }
}

/// Where a new account stands: full, or (made by the microblog's own rules)
/// limited to the microblog until its password and approval are in order.
#[derive(Debug, Clone, Copy)]
pub struct Standing {
    pub password_meets_policy: bool,
    pub approved: bool,
}

impl Standing {
    pub const FULL: Self = Self {
        password_meets_policy: true,
        approved: true,
    };

    /// An account a provisioning client (the microblog) creates with its own
    /// password rules.
    pub fn provisioned(password: &str, approval_required: bool) -> Self {
        Self {
            password_meets_policy: validate::new_password(password).is_ok(),
            approved: !approval_required,
        }
    }
}

/// Inserts a full account and its `auth.user.registered` event (call inside a transaction).
pub fn create(
    conn: &mut PgConnection,
    account: &NewAccount,
    password_hash: &str,
    status: &str,
    roles: Vec<String>,
) -> Result<User, ApiError> {
    create_with(conn, account, password_hash, status, roles, Standing::FULL)
}

/// Inserts an account standing as `standing` and its `auth.user.registered` event.
pub fn create_with(
    conn: &mut PgConnection,
    account: &NewAccount,
    password_hash: &str,
    status: &str,
    roles: Vec<String>,
    standing: Standing,
) -> Result<User, ApiError> {
    ensure_free(conn, &account.username, &account.email, None)?;
    let user = users::insert(
        conn,
        &NewUser {
            id: Uuid::new_v4(),
            username: &account.username,
            email: &account.email,
            password_hash,
            full_name: &account.full_name,
            status,
            roles,
            password_meets_policy: standing.password_meets_policy,
            approved: standing.approved,
        },
    )
    .map_err(|error| taken_meanwhile(error, account))?;
    common::outbox::publish(conn, &events::registered(&user))?;
    Ok(user)
}

/// The same name or address registered at the same moment passes
/// `ensure_free` twice; the unique index then says which was taken.
fn taken_meanwhile(error: diesel::result::Error, account: &NewAccount) -> ApiError {
    use diesel::result::{DatabaseErrorKind, Error};
    match &error {
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
            match info.constraint_name() {
                Some("users_username_key") => Refusal::UsernameTaken {
                    username: account.username.clone(),
                }
                .into(),
                Some("users_email_key") => Refusal::EmailTaken.into(),
                _ => error.into(),
            }
        }
        _ => error.into(),
    }
}

/// Someone registers themselves (the standard password policy): active at
/// once, or pending an administrator's approval where approval is on.
pub async fn register(
    infra: &Infra,
    state: &AuthState,
    account: NewAccount,
) -> Result<User, ApiError> {
    let account = account.validated(PasswordPolicy::Standard)?;
    let initial = if state.settings.require_approval {
        status::PENDING
    } else {
        status::ACTIVE
    };
    let hash = state.hasher.hash_blocking(account.password.clone()).await?;
    let user = infra
        .transaction(move |conn| create(conn, &account, &hash, initial, vec![]))
        .await?;
    infra.metrics.count("user_registered");
    Ok(user)
}
