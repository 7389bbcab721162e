//! Administering accounts: list and export, provision, approve, decline,
//! deactivate, and set platform roles.

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use common::list::{ListParams, ListRequest};
use common::{Admin, ApiError, AuthUser, Infra};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::db::models::{status, UserView};
use crate::db::users as user_queries;
use crate::domain::accounts::NewAccount;
use crate::domain::refusal::Refusal;
use crate::domain::users;
use crate::domain::validate::PasswordPolicy;
use crate::state::AuthState;

/// The scope that lets an API client create accounts (the MiniTwit simulator
/// API in the social service uses it).
pub const PROVISION_SCOPE: &str = "users:provision";
/// Platform-wide roles an administrator can grant.

#[derive(Debug, Deserialize, IntoParams)]
pub struct UserFilter {
    /// Only users in this state: active, pending, declined or deactivated.
    #[param(pattern = "^(active|pending|declined|deactivated)$")]
    pub status: Option<String>,
    /// Only the user with exactly this username (ignoring case).
    pub username: Option<String>,
}

/// The scope that lets an API client look users up (the social service finds
/// accounts whose registration event has not reached it yet).
pub const READ_SCOPE: &str = "users:read";

fn require_reader(caller: &AuthUser) -> Result<(), ApiError> {
    if caller.is_admin() || caller.has_scope(READ_SCOPE) {
        Ok(())
    } else {
        Err(Refusal::NotUserReader.into())
    }
}

#[utoipa::path(tag = "users", params(ListParams, UserFilter, ("sort" = Option<String>, Query, pattern = "^([-+]?(username|email|status|created_at|last_login_at)(,[-+]?(username|email|status|created_at|last_login_at))*)?$", description = "Comma-separated sort fields, `-` first for descending: username, email, status, created_at, last_login_at.")), security(("bearer" = [])),
    responses((status = 200, description = "a page of users, or CSV"), (status = 403)))]
#[get("/v1/users")]
pub async fn list_users(
    req: HttpRequest,
    infra: web::Data<Infra>,
    caller: AuthUser,
    params: web::Query<ListParams>,
    filter: web::Query<UserFilter>,
) -> Result<HttpResponse, ApiError> {
    require_reader(&caller)?;
    let request = ListRequest::parse(
        params.into_inner(),
        user_queries::SORT_FIELDS,
        "created_at",
        &req,
    )?;
    request.authorize_export(Some(&caller))?;
    let UserFilter { status, username } = filter.into_inner();
    if let Some(s) = &status {
        if ![
            status::ACTIVE,
            status::PENDING,
            status::DECLINED,
            status::DEACTIVATED,
        ]
        .contains(&s.as_str())
        {
            return Err(ApiError::bad_request(
                "status must be active, pending, declined or deactivated",
            ));
        }
    }
    let (rows, total) = users::list_users(&infra, status, username, request.clone()).await?;
    Ok(request.respond(rows.into_iter().map(UserView::from).collect(), total))
}

#[utoipa::path(tag = "users", security(("bearer" = [])),
    responses((status = 200, body = UserView), (status = 403), (status = 404)))]
#[get("/v1/users/{id}")]
pub async fn get_user(
    infra: web::Data<Infra>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    if caller.id != id {
        require_reader(&caller).map_err(|_| ApiError::from(Refusal::OwnAccountOnly))?;
    }
    let user = users::get_user(&infra, id).await?;
    Ok(HttpResponse::Ok().json(UserView::from(user)))
}

#[utoipa::path(tag = "users", request_body = NewAccount, security(("bearer" = [])),
    responses((status = 201, body = UserView), (status = 403), (status = 409), (status = 422)))]
#[post("/v1/users")]
/// Creates an active account. Administrators follow the standard password
/// policy; API clients with the `users:provision` scope may set any non-empty
/// password (their own API's rules apply), but such an account can use the
/// microblog only until its password meets the policy and, where approval is
/// on, an administrator approved it.
pub async fn create_user(
    infra: web::Data<Infra>,
    state: web::Data<AuthState>,
    caller: AuthUser,
    body: common::Json<NewAccount>,
) -> Result<HttpResponse, ApiError> {
    let policy = if caller.has_scope(PROVISION_SCOPE) {
        PasswordPolicy::Provisioned
    } else if caller.is_admin() {
        PasswordPolicy::Standard
    } else {
        return Err(Refusal::NotProvisioner.into());
    };
    let user = users::create_user(&infra, &state, body.into_inner(), policy).await?;
    Ok(HttpResponse::Created().json(UserView::from(user)))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct Reason {
    /// Shown to the person; required when declining.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Moves a user to `to` (if `from` allows it); administrators only, and not
/// themselves out of an active account.
async fn transition(
    infra: &Infra,
    caller: &AuthUser,
    id: Uuid,
    from: &'static [&'static str],
    to: &'static str,
    reason: Option<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let user = users::transition(infra, caller.id, id, from, to, reason).await?;
    Ok(HttpResponse::Ok().json(UserView::from(user)))
}

#[utoipa::path(tag = "users", security(("bearer" = [])),
    responses((status = 200, body = UserView), (status = 403), (status = 404), (status = 409)))]
#[post("/v1/users/{id}/activate")]
pub async fn activate(
    infra: web::Data<Infra>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let from = &[status::PENDING, status::DECLINED, status::DEACTIVATED];
    transition(&infra, &caller, id.into_inner(), from, status::ACTIVE, None).await
}

/// A platform role (documentation of `UpdateUser::roles`).
#[derive(ToSchema)]
#[schema(as = PlatformRole, value_type = String, pattern = "^(admin|moderator|strike_manager)$")]
#[allow(dead_code)]
pub struct PlatformRole(String);

/// Why a registration is declined: required, shown to the person.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct DeclineReason {
    /// Not blank.
    #[serde(default)]
    #[schema(value_type = String, required = true, min_length = 1, pattern = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$")]
    pub reason: Option<String>,
}

#[utoipa::path(tag = "users", request_body = DeclineReason, security(("bearer" = [])),
    responses((status = 200, body = UserView), (status = 403), (status = 409), (status = 422)))]
#[post("/v1/users/{id}/decline")]
pub async fn decline(
    infra: web::Data<Infra>,
    caller: AuthUser,
    id: web::Path<Uuid>,
    body: common::Json<DeclineReason>,
) -> Result<HttpResponse, ApiError> {
    let reason = body
        .into_inner()
        .reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    let Some(reason) = reason else {
        return Err(ApiError::field(
            "reason",
            "say why the registration is declined",
        ));
    };
    transition(
        &infra,
        &caller,
        id.into_inner(),
        &[status::PENDING],
        status::DECLINED,
        Some(reason),
    )
    .await
}

#[utoipa::path(tag = "users", request_body(content = Option<Reason>, description = "optional"), security(("bearer" = [])),
    responses((status = 200, body = UserView), (status = 403), (status = 409)))]
#[post("/v1/users/{id}/deactivate")]
pub async fn deactivate(
    infra: web::Data<Infra>,
    caller: AuthUser,
    id: web::Path<Uuid>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    // No body means no reason; a body must be a readable `Reason`.
    let reason = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        common::json::parse::<Option<Reason>>(&body)?.and_then(|reason| reason.reason)
    };
    transition(
        &infra,
        &caller,
        id.into_inner(),
        &[status::ACTIVE, status::PENDING],
        status::DEACTIVATED,
        reason,
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    /// Platform roles: admin, moderator, strike_manager.
    #[schema(inline = false)]
    #[schema(value_type = Vec<PlatformRole>)]
    pub roles: Vec<String>,
}

#[utoipa::path(tag = "users", request_body = UpdateUser, security(("bearer" = [])),
    responses((status = 200, body = UserView), (status = 403), (status = 422)))]
#[patch("/v1/users/{id}")]
pub async fn update_user(
    infra: web::Data<Infra>,
    Admin(caller): Admin,
    id: web::Path<Uuid>,
    body: common::Json<UpdateUser>,
) -> Result<HttpResponse, ApiError> {
    let roles = body.into_inner().roles;
    let user = users::set_roles(&infra, caller.id, id.into_inner(), roles).await?;
    Ok(HttpResponse::Ok().json(UserView::from(user)))
}
