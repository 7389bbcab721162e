//! Issuing access and refresh tokens.

use chrono::{Duration, Utc};
use common::jwt::{Claims, GroupClaim, TokenKind};
use common::ApiError;
use diesel::PgConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::models::User;
use crate::db::{groups, tokens};
use crate::domain::secret;
use crate::state::AuthState;

/// What a successful login or refresh returns.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TokenPair {
    pub access_token: String,
    /// Opaque; single use: every refresh returns a new one.
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// From a password login: present it as `device_token` on later logins
    /// from this browser or app, which are then not held back by throttling
    /// that others caused. Keep it like a password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_token: Option<String>,
}

/// Signs an access token for a user in login session `session`.
pub fn user_access_token(
    state: &AuthState,
    user: &User,
    groups: Vec<GroupClaim>,
    session: Uuid,
) -> Result<String, ApiError> {
    let now = Utc::now().timestamp();
    let settings = &state.settings;
    state.signer.sign(&Claims {
        sub: user.id.to_string(),
        username: user.username.clone(),
        roles: user.roles.clone(),
        groups,
        exp: now + settings.access_ttl_secs,
        iat: now,
        jti: Uuid::new_v4().to_string(),
        iss: settings.common.jwt_issuer.clone(),
        aud: settings.common.jwt_audience.clone(),
        kind: TokenKind::User,
        sid: Some(session.to_string()),
        scope: None,
        limits: user.limits(),
    })
}

/// Stores a new refresh token (a new session when `family` is `None`) and signs
/// a matching access token.
pub fn issue(
    conn: &mut PgConnection,
    state: &AuthState,
    user: &User,
    family: Option<Uuid>,
) -> Result<TokenPair, ApiError> {
    let family = family.unwrap_or_else(Uuid::new_v4);
    let refresh = secret::generate()?;
    let expires = Utc::now() + Duration::days(state.settings.refresh_ttl_days);
    tokens::insert_refresh(conn, family, user.id, &secret::digest(&refresh), expires)?;
    let groups = groups::claims_for(conn, user.id)?;
    Ok(TokenPair {
        access_token: user_access_token(state, user, groups, family)?,
        refresh_token: refresh,
        token_type: "Bearer".into(),
        expires_in: state.settings.access_ttl_secs,
        device_token: None,
    })
}
