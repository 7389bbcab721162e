//! Extractors for the caller of a request, verified from the bearer token.

use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpRequest};
use uuid::Uuid;

use crate::error::ApiError;
use crate::jwt::{Claims, GroupClaim, TokenKind, Verifier};

/// The role that may do anything.
pub const ADMIN: &str = "admin";

/// Limits of an account made by the microblog's own rules (MiniTwit
/// registration): its tokens work in the microblog only until lifted.
pub mod limits {
    /// The password is below the platform's policy; setting a compliant one
    /// through auth (`POST /v1/me/password`) lifts it.
    pub const WEAK_PASSWORD: &str = "weak_password";
    /// Approval is on and no administrator approved the account yet.
    pub const AWAITING_APPROVAL: &str = "awaiting_approval";
}

/// Put `web::Data::new(AcceptsMicroblogOnlyTokens)` in a service's app data
/// (the microblog) to let limited accounts use it; every other service
/// answers their tokens 403, saying how to lift the limit.
pub struct AcceptsMicroblogOnlyTokens;

/// An authenticated caller: a user, or an API client acting with scopes.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: Uuid,
    pub username: String,
    pub roles: Vec<String>,
    pub groups: Vec<GroupClaim>,
    pub kind: TokenKind,
    pub scopes: Vec<String>,
    /// Login session id of a user token.
    pub session: Option<Uuid>,
    /// Why this account may use the microblog only (empty: everywhere).
    pub limits: Vec<String>,
}

impl AuthUser {
    pub fn is_admin(&self) -> bool {
        self.kind == TokenKind::User && self.has_role(ADMIN)
    }
    pub fn has_role(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }
    pub fn has_scope(&self, scope: &str) -> bool {
        self.kind == TokenKind::Client && self.scopes.iter().any(|s| s == scope)
    }
    /// The caller's role in a group, if a member.
    pub fn group_role(&self, slug: &str) -> Option<&str> {
        self.groups
            .iter()
            .find(|g| g.slug == slug)
            .map(|g| g.role.as_str())
    }
    /// 403 unless an administrator.
    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(ApiError::refused(
                actix_web::http::StatusCode::FORBIDDEN,
                "not_admin",
                "only administrators may do this",
            ))
        }
    }
    /// 403 unless a person (not an API client) is calling.
    pub fn require_user(&self) -> Result<(), ApiError> {
        if self.kind == TokenKind::User {
            Ok(())
        } else {
            Err(ApiError::refused(
                actix_web::http::StatusCode::FORBIDDEN,
                "users_only",
                "this endpoint is for users, not API clients",
            ))
        }
    }

    fn from_claims(claims: Claims) -> Result<Self, ApiError> {
        let id = Uuid::parse_str(&claims.sub)
            .map_err(|_| ApiError::unauthorized("the access token has an invalid subject"))?;
        Ok(Self {
            id,
            username: claims.username,
            roles: claims.roles,
            groups: claims.groups,
            kind: claims.kind,
            scopes: claims
                .scope
                .map(|s| s.split_whitespace().map(str::to_owned).collect())
                .unwrap_or_default(),
            session: claims.sid.and_then(|s| Uuid::parse_str(&s).ok()),
            limits: claims.limits,
        })
    }

    /// The 403 for a limited account outside the microblog, saying what lifts it.
    fn microblog_only(&self) -> ApiError {
        let mut steps = Vec::new();
        if self.limits.iter().any(|l| l == limits::WEAK_PASSWORD) {
            steps.push(
                "set a password of at least 8 characters with POST /v1/me/password on auth \
                 (then log in again)",
            );
        }
        if self.limits.iter().any(|l| l == limits::AWAITING_APPROVAL) {
            steps.push("wait until an administrator approves the account");
        }
        if steps.is_empty() {
            steps.push("log in to auth again");
        }
        ApiError::forbidden(format!(
            "this account was made through the microblog and can use the microblog only; \
             to use the rest of the platform, {}",
            steps.join(", and ")
        ))
    }
}

fn bearer(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| ApiError::unauthorized("the Authorization header is not valid text"))?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(Some(token.trim().to_owned()))
        }
        _ => Err(ApiError::unauthorized(
            "expected Authorization: Bearer <access token>",
        )),
    }
}

/// The caller an access token names, verified (for a service that receives
/// a token from auth on someone's behalf, as the web pages' login does).
pub async fn verified_caller(verifier: &Verifier, token: &str) -> Result<AuthUser, ApiError> {
    AuthUser::from_claims(verifier.verify(token).await?)
}

/// Whether a limited (microblog-only) account may be served here.
#[derive(Clone, Copy)]
enum Limited {
    /// As the service decides (`AcceptsMicroblogOnlyTokens`).
    AsTheServiceSays,
    /// Always: what a limited account needs to lift its limit.
    Allowed,
}

async fn authenticate(req: HttpRequest, limited: Limited) -> Result<Option<AuthUser>, ApiError> {
    let Some(token) = bearer(&req)? else {
        return Ok(None);
    };
    let verifier = req
        .app_data::<web::Data<Verifier>>()
        .ok_or_else(|| ApiError::internal("no token verifier configured"))?;
    let claims = verifier.verify(&token).await?;
    let user = AuthUser::from_claims(claims)?;
    let served = matches!(limited, Limited::Allowed)
        || req
            .app_data::<web::Data<AcceptsMicroblogOnlyTokens>>()
            .is_some();
    if !user.limits.is_empty() && !served {
        return Err(user.microblog_only());
    }
    Ok(Some(user))
}

fn needs_token() -> ApiError {
    ApiError::unauthorized("this endpoint needs Authorization: Bearer <access token>")
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            authenticate(req, Limited::AsTheServiceSays)
                .await?
                .ok_or_else(needs_token)
        })
    }
}

/// An administrator calling: 401 without a valid token, 403 `not_admin`
/// for anyone else.
#[derive(Debug, Clone)]
pub struct Admin(pub AuthUser);

impl FromRequest for Admin {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let caller = authenticate(req, Limited::AsTheServiceSays)
                .await?
                .ok_or_else(needs_token)?;
            caller.require_admin()?;
            Ok(Admin(caller))
        })
    }
}

/// Like [`AuthUser`], but serving microblog-only accounts everywhere: for
/// the few endpoints they need to lift their limit (reading their account,
/// changing their password).
#[derive(Debug, Clone)]
pub struct AnyAuthUser(pub AuthUser);

impl FromRequest for AnyAuthUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            authenticate(req, Limited::Allowed)
                .await?
                .map(AnyAuthUser)
                .ok_or_else(needs_token)
        })
    }
}

/// The caller if a token was sent (and valid), or `None` for anonymous requests.
/// An invalid token is still an error: clients should learn their token is bad.
#[derive(Debug, Clone)]
pub struct MaybeAuthUser(pub Option<AuthUser>);

impl FromRequest for MaybeAuthUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            authenticate(req, Limited::AsTheServiceSays)
                .await
                .map(MaybeAuthUser)
        })
    }
}
