use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::jwt::{Claims, SigningKey, TokenKind};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::{problem, spawn_app, Session};
use testkit::refused_with;

fn claims_for(id: uuid::Uuid, exp_offset: i64) -> Claims {
    let now = chrono::Utc::now().timestamp();
    Claims {
        sub: id.to_string(),
        username: "x".into(),
        roles: vec!["admin".into()],
        groups: vec![],
        exp: now + exp_offset,
        iat: now - 1000,
        jti: "j".into(),
        iss: "platform-auth".into(),
        aud: "platform".into(),
        kind: TokenKind::User,
        sid: None,
        scope: None,
        limits: vec![],
    }
}

#[tokio::test]
async fn me_needs_a_valid_bearer_token() {
    let app = spawn_app().await;
    let person = app.person("Tess").await;
    let me: Value = app
        .get("/v1/me", Some(&person.session.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "Tess");
    assert_eq!(me["id"], person.id.to_string());

    let missing = app.get("/v1/me", None).await;
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    refused_with(missing, 401, "unauthorized").await;
    let garbage = app.get("/v1/me", Some("not.a.token")).await;
    assert_eq!(garbage.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn expired_tampered_foreign_and_unsigned_tokens_are_rejected() {
    let app = spawn_app().await;
    let person = app.person("Victim").await;
    let own_key = SigningKey::from_base64_pkcs8(&app.settings.signing_keys[0]).unwrap();

    let expired = own_key.sign(&claims_for(person.id, -120)).unwrap();
    let response = app.get("/v1/me", Some(&expired)).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(problem(response).await["detail"]
        .as_str()
        .unwrap()
        .contains("expired"));

    // Same header and signature, payload changed to claim admin.
    let parts: Vec<&str> = person.session.access_token.split('.').collect();
    let mut payload: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    payload["roles"] = json!(["admin"]);
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(payload.to_string()),
        parts[2]
    );
    let response = app.get("/v1/users", Some(&tampered)).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    // A key of our own making, claiming the real key id.
    let foreign =
        SigningKey::from_base64_pkcs8(&SigningKey::generate_base64_pkcs8().unwrap()).unwrap();
    let forged = foreign.sign(&claims_for(person.id, 600)).unwrap();
    let forged_parts: Vec<&str> = forged.split('.').collect();
    let own_header = URL_SAFE_NO_PAD
        .encode(json!({"alg": "EdDSA", "typ": "JWT", "kid": own_key.kid}).to_string());
    let with_real_kid = format!("{own_header}.{}.{}", forged_parts[1], forged_parts[2]);
    assert_eq!(
        app.get("/v1/me", Some(&forged)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/v1/me", Some(&with_real_kid)).await.status(),
        StatusCode::UNAUTHORIZED
    );

    // alg: none, no signature.
    let none_header = URL_SAFE_NO_PAD.encode(json!({"alg": "none", "typ": "JWT"}).to_string());
    let unsigned = format!(
        "{none_header}.{}.",
        URL_SAFE_NO_PAD.encode(payload.to_string())
    );
    assert_eq!(
        app.get("/v1/me", Some(&unsigned)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // HS256 with the public key as secret (the classic confusion attack).
    let hs_header = URL_SAFE_NO_PAD
        .encode(json!({"alg": "HS256", "typ": "JWT", "kid": own_key.kid}).to_string());
    let confused = format!("{hs_header}.{}.{}", parts[1], parts[2]);
    assert_eq!(
        app.get("/v1/me", Some(&confused)).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn jwks_publishes_every_configured_key_so_keys_can_rotate() {
    let old = SigningKey::generate_base64_pkcs8().unwrap();
    let new = SigningKey::generate_base64_pkcs8().unwrap();
    let app =
        crate::support::spawn_app_with(|s| s.signing_keys = vec![new.clone(), old.clone()]).await;
    let person = app.person("Rotator").await;
    let jwks: Value = app
        .get("/.well-known/jwks.json", None)
        .await
        .json()
        .await
        .unwrap();
    let kids: Vec<&str> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    let old_key = SigningKey::from_base64_pkcs8(&old).unwrap();
    assert_eq!(
        kids,
        vec![
            SigningKey::from_base64_pkcs8(&new).unwrap().kid.as_str(),
            old_key.kid.as_str()
        ]
    );
    assert_eq!(jwks["keys"][0]["kty"], "OKP");
    assert_eq!(jwks["keys"][0]["crv"], "Ed25519");
    // A token from the retiring key still works.
    let from_old = old_key.sign(&claims_for(person.id, 600)).unwrap();
    assert_eq!(
        app.get("/v1/me", Some(&from_old)).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn changing_the_password_needs_the_old_one_and_ends_other_sessions() {
    let app = spawn_app().await;
    let person = app.person("Paula").await;
    let other: Session = app
        .login("Paula", &person.password)
        .await
        .json()
        .await
        .unwrap();
    let token = &person.session.access_token;

    let wrong = app
        .post(
            "/v1/me/password",
            json!({"old_password": "nope", "new_password": "new password 1"}),
            Some(token),
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    let weak = app
        .post(
            "/v1/me/password",
            json!({"old_password": person.password, "new_password": "x"}),
            Some(token),
        )
        .await;
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let ok = app
        .post(
            "/v1/me/password",
            json!({"old_password": person.password, "new_password": "new password 1"}),
            Some(token),
        )
        .await;
    assert_eq!(ok.status(), StatusCode::NO_CONTENT);

    let other_refresh = app
        .post(
            "/v1/refresh",
            json!({"refresh_token": other.refresh_token}),
            None,
        )
        .await;
    assert_eq!(other_refresh.status(), StatusCode::UNAUTHORIZED);
    let own_refresh = app
        .post(
            "/v1/refresh",
            json!({"refresh_token": person.session.refresh_token}),
            None,
        )
        .await;
    assert_eq!(own_refresh.status(), StatusCode::OK);
    assert_eq!(
        app.login("Paula", "new password 1").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn profile_updates_are_validated_and_kept_unique() {
    let app = spawn_app().await;
    app.person("Taken").await;
    let person = app.person("Quinn").await;
    let token = &person.session.access_token;
    let updated: Value = app
        .patch("/v1/me", json!({"full_name": "Quinn Q"}), token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(updated["full_name"], "Quinn Q");
    assert_eq!(updated["pending_email"], Value::Null);
    assert_eq!(
        app.patch("/v1/me", json!({"username": "taken"}), token)
            .await
            .status(),
        StatusCode::CONFLICT
    );
    assert_eq!(
        app.patch("/v1/me", json!({"email": "bad"}), token)
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.patch("/v1/me", json!({"roles": ["admin"]}), token)
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
    let me: Value = app.get("/v1/me", Some(token)).await.json().await.unwrap();
    assert_eq!(me["roles"], json!([]));
}

#[tokio::test]
async fn permissions_tell_clients_what_to_show() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let person = app.person("Plain").await;
    let mine: Value = app
        .get("/v1/me/permissions", Some(&person.session.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["is_admin"], false);
    assert!(!mine["can"]
        .as_array()
        .unwrap()
        .contains(&json!("users.manage")));
    let theirs: Value = app
        .get("/v1/me/permissions", Some(&admin.session.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["is_admin"], true);
    assert!(theirs["can"]
        .as_array()
        .unwrap()
        .contains(&json!("users.manage")));
}
