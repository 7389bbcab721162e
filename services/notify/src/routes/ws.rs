//! `GET /ws`: live push over a WebSocket. Authenticate with an access token
//! (`?access_token=` for browsers, or `Authorization: Bearer`). The server
//! sends `{"type":"ready","unread":n}` once subscribed, then
//! `{"type":"notification","notification":{...}}` as each is stored. It pings
//! every heartbeat and closes a socket that has not answered for three.
//!
//! A socket lives as long as its token: when the token expires the server
//! sends `{"type":"expired"}` and closes, unless the client has sent a fresh
//! token first as `{"type":"token","access_token":"..."}` (answered with
//! `{"type":"token_accepted"}`, or `{"type":"error","detail":...}`).

use std::time::{Duration, Instant};

use actix_web::{web, HttpRequest, HttpResponse};
use actix_ws::Message;
use common::jwt::{TokenKind, Verifier};
use common::{db, ApiError, Infra};
use futures_util::StreamExt;
use serde_json::json;
use uuid::Uuid;

use crate::db::notifications;
use crate::state::NotifyState;

fn token(req: &HttpRequest) -> Option<String> {
    if let Some(header) = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
    {
        if let Some(token) = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
        {
            return Some(token.trim().to_owned());
        }
    }
    web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.get("access_token").cloned())
}

pub async fn connect(
    req: HttpRequest,
    body: web::Payload,
    infra: web::Data<Infra>,
    state: web::Data<NotifyState>,
    verifier: web::Data<Verifier>,
) -> Result<HttpResponse, ApiError> {
    let token = token(&req).ok_or_else(|| {
        ApiError::unauthorized("connect with ?access_token=<access token> or Authorization: Bearer")
    })?;
    let claims = verifier.verify(&token).await?;
    if claims.kind != TokenKind::User {
        return Err(ApiError::forbidden(
            "live push is for users, not API clients",
        ));
    }
    let user = Uuid::parse_str(&claims.sub)
        .map_err(|_| ApiError::unauthorized("the access token has an invalid subject"))?;
    let (response, session, messages) = actix_ws::handle(&req, body)
        .map_err(|e| ApiError::bad_request(format!("not a WebSocket upgrade: {e}")))?;
    let unread = db::run(&infra.pool, move |conn| {
        Ok(notifications::unread_count(conn, user)?)
    })
    .await?;
    let state = state.into_inner();
    let verifier = verifier.into_inner();
    let expires_at = claims.exp;
    // Sockets open on this instance, for the business dashboard.
    let open_sockets = infra
        .metrics
        .gauges
        .with_label_values(&["websocket_connections"]);
    actix_web::rt::spawn(async move {
        let socket = Socket {
            user,
            verifier,
            expires_at,
        };
        open_sockets.inc();
        serve(state, socket, unread, session, messages).await;
        open_sockets.dec();
    });
    Ok(response)
}

/// Who a socket serves, and until when.
struct Socket {
    user: Uuid,
    verifier: std::sync::Arc<Verifier>,
    /// The `exp` of the newest token the client gave (seconds since the epoch).
    expires_at: i64,
}

impl Socket {
    /// When the socket's token runs out, on tokio's clock.
    fn deadline(&self) -> tokio::time::Instant {
        let left = self.expires_at - chrono::Utc::now().timestamp();
        tokio::time::Instant::now() + Duration::from_secs(u64::try_from(left).unwrap_or(0))
    }

    /// A client's message: a fresh token extends the socket's life.
    async fn answer(&mut self, text: &str) -> String {
        #[derive(serde::Deserialize)]
        struct Renewal {
            r#type: String,
            access_token: String,
        }
        let renewal = match serde_json::from_str::<Renewal>(text) {
            Ok(renewal) if renewal.r#type == "token" => renewal,
            _ => {
                return json!({"type": "error", "detail": "send {\"type\":\"token\",\"access_token\":\"...\"} to renew the socket"})
                    .to_string()
            }
        };
        match self.verifier.verify(&renewal.access_token).await {
            Ok(claims) if claims.kind == TokenKind::User && claims.sub == self.user.to_string() => {
                self.expires_at = self.expires_at.max(claims.exp);
                json!({"type": "token_accepted"}).to_string()
            }
            Ok(_) => json!({"type": "error", "detail": "that token is not this socket's user's"})
                .to_string(),
            Err(error) => json!({"type": "error", "detail": error.detail}).to_string(),
        }
    }
}

async fn serve(
    state: std::sync::Arc<NotifyState>,
    mut socket: Socket,
    unread: i64,
    mut session: actix_ws::Session,
    mut messages: actix_ws::MessageStream,
) {
    let user = socket.user;
    let (id, mut pushes) = state.hub.register(user);
    let expiry = tokio::time::sleep_until(socket.deadline());
    tokio::pin!(expiry);
    let heartbeat: Duration = state.heartbeat;
    let mut ticker = tokio::time::interval(heartbeat);
    let mut last_heard = Instant::now();
    let hello = json!({"type": "ready", "unread": unread}).to_string();
    let mut open = session.text(hello).await.is_ok();
    while open {
        tokio::select! {
            push = pushes.recv() => match push {
                Some(payload) => open = session.text(payload.to_string()).await.is_ok(),
                None => open = false,
            },
            message = messages.next() => match message {
                Some(Ok(Message::Ping(bytes))) => {
                    last_heard = Instant::now();
                    open = session.pong(&bytes).await.is_ok();
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => open = false,
                Some(Ok(Message::Text(text))) => {
                    last_heard = Instant::now();
                    let reply = socket.answer(&text).await;
                    expiry.as_mut().reset(socket.deadline());
                    open = session.text(reply).await.is_ok();
                }
                Some(Ok(_)) => last_heard = Instant::now(),
            },
            _ = &mut expiry => {
                let expired = json!({"type": "expired", "detail": "the access token expired; connect again with a fresh one"});
                let _ = session.text(expired.to_string()).await;
                open = false;
            },
            _ = ticker.tick() => {
                if last_heard.elapsed() > heartbeat * 3 {
                    tracing::debug!(%user, "closing a WebSocket that stopped answering");
                    open = false;
                } else {
                    open = session.ping(b"").await.is_ok();
                }
            }
        }
    }
    state.hub.unregister(user, id);
    let _ = session.close(None).await;
}
