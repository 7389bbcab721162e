//! How other services verify tokens: from auth's JWKS over HTTP.

use common::jwt::{SigningKey, Verifier};

use crate::support::spawn_app;

#[tokio::test]
async fn remote_verifier_fetches_jwks_and_rejects_unknown_keys() {
    let app = spawn_app().await;
    let person = app.person("Remote").await;
    let verifier = Verifier::remote(
        app.url("/.well-known/jwks.json"),
        "platform-auth",
        "platform",
    );
    let claims = verifier
        .verify(&person.session.access_token)
        .await
        .expect("verified from fetched keys");
    assert_eq!(claims.sub, person.id.to_string());
    assert_eq!(claims.username, "Remote");

    let stranger =
        SigningKey::from_base64_pkcs8(&SigningKey::generate_base64_pkcs8().unwrap()).unwrap();
    let mut forged = claims.clone();
    forged.roles = vec!["admin".into()];
    let error = verifier
        .verify(&stranger.sign(&forged).unwrap())
        .await
        .unwrap_err();
    assert_eq!(error.status, 401);
    assert!(error.detail.contains("unknown key"), "{}", error.detail);

    let other_audience = Verifier::remote(
        app.url("/.well-known/jwks.json"),
        "platform-auth",
        "elsewhere",
    );
    assert_eq!(
        other_audience
            .verify(&person.session.access_token)
            .await
            .unwrap_err()
            .status,
        401
    );

    let prefetched = Verifier::remote(
        app.url("/.well-known/jwks.json"),
        "platform-auth",
        "platform",
    );
    prefetched.prefetch().await;
    assert!(prefetched
        .verify(&person.session.access_token)
        .await
        .is_ok());
}
