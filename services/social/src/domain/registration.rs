//! MiniTwit registration (the simulator's `POST /register` and the web page's
//! form): MiniTwit's checks and messages, then a real platform account in auth
//! and the local copy, in one request.

use common::{db, ApiError, Infra};

use crate::auth_client::ProvisionError;
use crate::db::users::{self, User};
use crate::state::SocialState;

/// Why a registration was refused.
#[derive(Debug)]
pub enum Refused {
    /// Bad or taken input, in MiniTwit's words.
    Invalid(&'static str),
    /// Auth refused a field for its own reasons; its words.
    Rejected(String),
    /// Auth or the database could not be reached.
    Failed(ApiError),
}

impl From<ApiError> for Refused {
    fn from(error: ApiError) -> Self {
        Refused::Failed(error)
    }
}

/// The checks of MiniTwit, in MiniTwit's order. `password2` is `None` where
/// the client does not send a confirmation (the simulator API).
pub fn check(
    username: &str,
    email: &str,
    password: &str,
    password2: Option<&str>,
) -> Result<(), Refused> {
    if [username, email, password, password2.unwrap_or_default()]
        .iter()
        .any(|text| text.contains('\0'))
    {
        return Err(Refused::Invalid(common::error::NUL_REFUSED));
    }
    if username.is_empty() {
        return Err(Refused::Invalid("You have to enter a username"));
    }
    if !email.contains('@') {
        return Err(Refused::Invalid("You have to enter a valid email address"));
    }
    if password.is_empty() {
        return Err(Refused::Invalid("You have to enter a password"));
    }
    if password2.is_some_and(|p| p != password) {
        return Err(Refused::Invalid("The two passwords do not match"));
    }
    Ok(())
}

/// Where a registration came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The MiniTwit simulator API: the simulator may later act for this account.
    Simulator,
    /// The web pages' form.
    WebPage,
}

/// Creates the account in auth (MiniTwit's password rule: non-empty) and the
/// local copy. Call after [`check`].
pub async fn register(
    infra: &Infra,
    state: &SocialState,
    username: &str,
    email: &str,
    password: &str,
    origin: Origin,
) -> Result<User, Refused> {
    let lookup = username.to_owned();
    let known = db::run(&infra.pool, move |conn| {
        Ok(users::by_username(conn, &lookup)?)
    })
    .await?;
    if known.is_some() {
        return Err(Refused::Invalid("The username is already taken"));
    }
    match state.auth.provision(username, email, password).await {
        Ok(created) => {
            let simulator = origin == Origin::Simulator;
            let user = User {
                id: created.id,
                username: created.username.clone(),
                simulator,
            };
            db::transaction(&infra.pool, move |conn| {
                users::remember(
                    conn,
                    created.id,
                    &created.username,
                    &created.email,
                    &created.status,
                )?;
                if simulator {
                    users::mark_simulator(conn, created.id)?;
                }
                Ok(())
            })
            .await?;
            infra.metrics.count("minitwit_registered");
            Ok(user)
        }
        Err(ProvisionError::Rejected { code, .. }) if code == "username_taken" => {
            Err(Refused::Invalid("The username is already taken"))
        }
        Err(ProvisionError::Rejected { code, .. }) if code == "email_taken" => {
            Err(Refused::Invalid("The email address is already taken"))
        }
        Err(ProvisionError::Rejected { detail, .. }) => Err(Refused::Rejected(detail)),
        Err(ProvisionError::Unavailable(cause)) => {
            tracing::warn!(%cause, "cannot provision a MiniTwit account");
            Err(Refused::Failed(ApiError::unavailable(
                "the identity service cannot be reached; try again shortly",
            )))
        }
    }
}
