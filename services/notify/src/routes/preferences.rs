//! My notification settings: channels per kind, and the daily digest.

use actix_web::{get, put, web, HttpResponse};
use common::auth_user::AuthUser;
use common::{db, ApiError, Infra};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::{preferences, recipients};
use crate::domain::kinds::{self, Channels, KINDS};

#[derive(Debug, Serialize, ToSchema)]
pub struct KindSetting {
    pub kind: &'static str,
    pub description: &'static str,
    pub channels: Channels,
    /// Security mail: always by email, cannot be changed.
    pub locked: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Settings {
    pub kinds: Vec<KindSetting>,
    pub daily_digest: bool,
}

async fn load(infra: &Infra, user: uuid::Uuid) -> Result<Settings, ApiError> {
    db::run(&infra.pool, move |conn| {
        let chosen = preferences::of_user(conn, user)?;
        let daily_digest = recipients::find(conn, user)?.is_none_or(|r| r.daily_digest);
        let kinds = KINDS
            .iter()
            .map(|kind| {
                let mine = chosen.iter().find(|(k, _)| k == kind.name).map(|(_, c)| *c);
                KindSetting {
                    kind: kind.name,
                    description: kind.description,
                    channels: kinds::effective(kind, mine),
                    locked: kind.mandatory_email,
                }
            })
            .collect();
        Ok(Settings {
            kinds,
            daily_digest,
        })
    })
    .await
}

#[utoipa::path(tag = "settings",
    security(("bearer" = [])), responses((status = 200, body = Settings)))]
#[get("/v1/notification-settings")]
pub async fn get_settings(
    infra: web::Data<Infra>,
    caller: AuthUser,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    Ok(HttpResponse::Ok().json(load(&infra, caller.id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct KindChange {
    /// A kind whose channels people choose (security mail is always sent).
    #[schema(
        pattern = "^(welcome|group_membership|new_follower|registration_confirmed|registration_waitlisted|registration_promoted|registration_demoted|event_changed|registration_unregistered|strike_given|event_message)$"
    )]
    pub kind: String,
    pub email: bool,
    pub in_app: bool,
    pub push: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SettingsChange {
    #[serde(default)]
    pub kinds: Vec<KindChange>,
    pub daily_digest: Option<bool>,
}

#[utoipa::path(tag = "settings", request_body = SettingsChange,
    security(("bearer" = [])),
    responses((status = 200, body = Settings), (status = 422, description = "unknown kind, no channel left, or a locked kind")))]
#[put("/v1/notification-settings")]
pub async fn change_settings(
    infra: web::Data<Infra>,
    caller: AuthUser,
    body: common::Json<SettingsChange>,
) -> Result<HttpResponse, ApiError> {
    caller.require_user()?;
    let change = body.into_inner();
    let mut errors = common::Validator::new();
    for (i, wanted) in change.kinds.iter().enumerate() {
        let field = format!("kinds[{i}]");
        match kinds::find(&wanted.kind) {
            None => {
                let names: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
                errors.check(
                    false,
                    &field,
                    format!(
                        "unknown kind {:?}; kinds are {}",
                        wanted.kind,
                        names.join(", ")
                    ),
                );
            }
            Some(kind) if kind.mandatory_email => {
                errors.check(
                    false,
                    &field,
                    format!("{} is security mail and always sent by email", kind.name),
                );
            }
            Some(_) => {
                errors.check(
                    wanted.email || wanted.in_app || wanted.push,
                    &field,
                    "keep at least one channel (email, in_app or push) on",
                );
            }
        }
    }
    errors.finish()?;
    let user = caller.id;
    db::transaction(&infra.pool, move |conn| {
        for wanted in &change.kinds {
            let channels = Channels {
                email: wanted.email,
                in_app: wanted.in_app,
                push: wanted.push,
            };
            preferences::store(conn, user, &wanted.kind, channels)?;
        }
        if let Some(on) = change.daily_digest {
            if recipients::set_daily_digest(conn, user, on)? == 0 {
                return Err(ApiError::conflict(
                    "your account is not known to the notification service yet; try again in a moment",
                ));
            }
        }
        Ok(())
    })
    .await?;
    Ok(HttpResponse::Ok().json(load(&infra, caller.id).await?))
}
