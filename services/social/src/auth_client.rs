//! Talking to the auth service as an API client (client-credentials grant):
//! provisioning MiniTwit accounts and looking up users whose registration
//! event has not reached us yet.

use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::json;
use tokio::sync::Mutex;
use uuid::Uuid;

/// A user as auth returns it (the fields social keeps).
#[derive(Debug, Clone, Deserialize)]
pub struct AuthUser {
    pub id: Uuid,
    pub username: String,
    pub email: String,
    pub status: String,
}

#[derive(Debug)]
pub enum ProvisionError {
    /// Auth refused the account: its problem `code` (`username_taken`,
    /// `email_taken`, `invalid_fields`, ...) and the text saying why.
    Rejected { code: String, detail: String },
    /// Auth could not be reached or failed.
    Unavailable(String),
}

pub struct AuthClient {
    base: String,
    client_id: String,
    client_secret: SecretString,
    http: reqwest::Client,
    token: Mutex<Option<(String, Instant)>>,
}

#[derive(Deserialize)]
struct Token {
    access_token: String,
    expires_in: u64,
}

#[derive(Deserialize)]
struct Problem {
    #[serde(default)]
    code: String,
    #[serde(default)]
    detail: String,
    #[serde(default)]
    errors: Option<std::collections::BTreeMap<String, Vec<String>>>,
}

#[derive(Deserialize)]
struct Page {
    items: Vec<AuthUser>,
}

impl AuthClient {
    pub fn new(base: &str, client_id: &str, client_secret: SecretString) -> Self {
        Self {
            base: base.trim_end_matches('/').to_owned(),
            client_id: client_id.to_owned(),
            client_secret,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(5))
                .build()
                .unwrap_or_default(),
            token: Mutex::new(None),
        }
    }

    /// A client token, reused until a minute before it expires.
    async fn token(&self) -> Result<String, String> {
        let mut cached = self.token.lock().await;
        if let Some((token, renew_at)) = cached.as_ref() {
            if Instant::now() < *renew_at {
                return Ok(token.clone());
            }
        }
        let response = self
            .http
            .post(format!("{}/v1/token", self.base))
            .basic_auth(&self.client_id, Some(self.client_secret.expose_secret()))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .map_err(|e| format!("auth unreachable: {e}"))?;
        if !response.status().is_success() {
            return Err(format!(
                "auth refused our client credentials ({})",
                response.status()
            ));
        }
        let token: Token = response
            .json()
            .await
            .map_err(|e| format!("unexpected token answer: {e}"))?;
        let renew_at =
            Instant::now() + Duration::from_secs(token.expires_in.saturating_sub(60).max(1));
        *cached = Some((token.access_token.clone(), renew_at));
        Ok(token.access_token)
    }

    /// Creates a platform account with the provisioned password policy.
    pub async fn provision(
        &self,
        username: &str,
        email: &str,
        password: &str,
    ) -> Result<AuthUser, ProvisionError> {
        let token = self.token().await.map_err(ProvisionError::Unavailable)?;
        let response = self
            .http
            .post(format!("{}/v1/users", self.base))
            .bearer_auth(token)
            .json(&json!({"username": username, "email": email, "password": password}))
            .send()
            .await
            .map_err(|e| ProvisionError::Unavailable(format!("auth unreachable: {e}")))?;
        let status = response.status();
        if status.is_success() {
            return response.json().await.map_err(|e| {
                ProvisionError::Unavailable(format!("unexpected answer from auth: {e}"))
            });
        }
        if status.is_client_error()
            && status != reqwest::StatusCode::UNAUTHORIZED
            && status != reqwest::StatusCode::FORBIDDEN
        {
            let problem: Problem = response.json().await.unwrap_or(Problem {
                code: String::new(),
                detail: String::new(),
                errors: None,
            });
            let detail = match problem.errors {
                Some(errors) => errors
                    .iter()
                    .map(|(field, messages)| format!("{field} {}", messages.join(", ")))
                    .collect::<Vec<_>>()
                    .join("; "),
                None => problem.detail,
            };
            return Err(ProvisionError::Rejected {
                code: problem.code,
                detail,
            });
        }
        Err(ProvisionError::Unavailable(format!(
            "auth answered {status}"
        )))
    }

    /// The account with exactly this username (ignoring case), if auth has one.
    pub async fn find_by_username(&self, username: &str) -> Result<Option<AuthUser>, String> {
        let token = self.token().await?;
        let response = self
            .http
            .get(format!("{}/v1/users", self.base))
            .bearer_auth(token)
            .query(&[("username", username), ("per_page", "1")])
            .send()
            .await
            .map_err(|e| format!("auth unreachable: {e}"))?;
        if !response.status().is_success() {
            return Err(format!(
                "auth answered {} to a user lookup",
                response.status()
            ));
        }
        let page: Page = response
            .json()
            .await
            .map_err(|e| format!("unexpected answer from auth: {e}"))?;
        Ok(page.items.into_iter().next())
    }

    /// Checks a person's password with auth (`POST /v1/login`) as this API
    /// client, naming the address the person connected from (so auth
    /// throttles them, not this service) and the device token of their
    /// browser. Returns what auth issued.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        client_address: Option<&str>,
        device_token: Option<&str>,
    ) -> Result<LoggedIn, LoginError> {
        let token = self.token().await.map_err(LoginError::Unavailable)?;
        let mut request = self
            .http
            .post(format!("{}/v1/login", self.base))
            .bearer_auth(token)
            .json(
                &json!({"username": username, "password": password, "device_token": device_token}),
            );
        if let Some(address) = client_address {
            request = request.header("x-client-address", address);
        }
        let response = request
            .send()
            .await
            .map_err(|e| LoginError::Unavailable(format!("auth unreachable: {e}")))?;
        let status = response.status();
        if status.is_success() {
            return response
                .json::<LoggedIn>()
                .await
                .map_err(|e| LoginError::Unavailable(format!("unexpected answer from auth: {e}")));
        }
        if status.is_client_error() {
            let retry_after = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse().ok());
            let problem: Problem = response.json().await.unwrap_or(Problem {
                code: String::new(),
                detail: String::new(),
                errors: None,
            });
            return Err(match status {
                reqwest::StatusCode::UNAUTHORIZED | reqwest::StatusCode::BAD_REQUEST => {
                    LoginError::WrongPassword
                }
                reqwest::StatusCode::TOO_MANY_REQUESTS => {
                    LoginError::Throttled(retry_after.unwrap_or(60))
                }
                _ => LoginError::Refused(problem.detail),
            });
        }
        Err(LoginError::Unavailable(format!("auth answered {status}")))
    }
}

/// What auth answers a successful login.
#[derive(Debug, Deserialize)]
pub struct LoggedIn {
    pub access_token: String,
    /// The browser's device token, for its next login (kept in a cookie).
    #[serde(default)]
    pub device_token: Option<String>,
}

/// Why auth did not log a person in.
#[derive(Debug)]
pub enum LoginError {
    WrongPassword,
    /// Too many failures; seconds to wait.
    Throttled(u64),
    /// The account may not log in (pending, declined, deactivated); auth's words.
    Refused(String),
    Unavailable(String),
}

impl AuthClient {
    /// Follows a link auth mailed (password reset, email change): POSTs
    /// `body` to `path` on auth. `Err(Some(detail))` when auth refused it
    /// with a reason to show; `Err(None)` when auth could not answer.
    pub async fn follow_link(
        &self,
        path: &str,
        body: serde_json::Value,
    ) -> Result<serde_json::Value, Option<String>> {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .map_err(|e| {
                tracing::warn!(error = %e, "auth unreachable");
                None
            })?;
        let status = response.status();
        if status.is_success() {
            return Ok(response.json().await.unwrap_or(serde_json::Value::Null));
        }
        if status.is_client_error() {
            let problem: Problem = response.json().await.unwrap_or(Problem {
                code: String::new(),
                detail: String::new(),
                errors: None,
            });
            let fields = problem
                .errors
                .map(|errors| {
                    errors
                        .into_values()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .filter(|m| !m.is_empty());
            return Err(Some(fields.unwrap_or(problem.detail)));
        }
        tracing::warn!(%status, "auth failed a link");
        Err(None)
    }
}
