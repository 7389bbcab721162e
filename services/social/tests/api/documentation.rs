//! Swagger UI at <BASE_DOMAIN>/documentation through nginx, over the services'
//! OpenAPI documents.

use reqwest::StatusCode;
use serde_json::Value;

use crate::support::spawn;

#[tokio::test]
async fn swagger_ui_shows_every_services_openapi_document() {
    let p = spawn(false).await;
    let nginx = testkit::Nginx::start([p.auth_port, p.social_port, 0, 0]);
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let get = |path: &str| {
        http.get(format!("{}{path}", nginx.url()))
            .header("host", "localhost")
            .send()
    };

    let bare = get("/documentation").await.unwrap();
    assert_eq!(bare.status(), StatusCode::MOVED_PERMANENTLY);
    let page = get("/documentation/").await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("swagger-ui-bundle.js"), "{html}");
    for asset in [
        "swagger-ui-bundle.js",
        "swagger-ui-standalone-preset.js",
        "swagger-ui.css",
        "swagger-initializer.js",
    ] {
        let response = get(&format!("/documentation/{asset}")).await.unwrap();
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "{asset} (./scripts/test assembles the Swagger UI files into DOCS_UI_DIR)"
        );
        assert!(response.bytes().await.unwrap().len() > 100, "{asset}");
    }

    let social: Value = get("/documentation/openapi/social.json")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for path in [
        "/v1/messages",
        "/v1/timeline/home",
        "/v1/users/{username}/follow",
        "/v1/news",
        "/v1/messages/{id}/flag",
    ] {
        assert!(
            social["paths"].get(path).is_some(),
            "social documents {path}"
        );
    }
    let auth: Value = get("/documentation/openapi/auth.json")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(auth["paths"].get("/v1/login").is_some());
    // Clients that accept gzip get JSON, HTML and CSS compressed (reqwest
    // here has no gzip support, so the bytes arrive as sent).
    for path in [
        "/documentation/openapi/social.json",
        "/public",
        "/documentation/swagger-ui.css",
    ] {
        let compressed = http
            .get(format!("{}{path}", nginx.url()))
            .header("host", "localhost")
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(
            compressed
                .headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap()),
            Some("gzip"),
            "{path}"
        );
        let body = compressed.bytes().await.unwrap();
        assert_eq!(&body[..2], &[0x1f, 0x8b], "{path} is gzip");
    }
    // The web pages share the host.
    assert_eq!(get("/public").await.unwrap().status(), StatusCode::OK);
}

/// Every HTML answer of the site carries the security headers: no inline or
/// foreign script, no framing, no type sniffing, no full referrer abroad.
#[tokio::test]
async fn the_sites_html_answers_carry_security_headers() {
    let p = spawn(false).await;
    let nginx = testkit::Nginx::start([p.auth_port, p.social_port, 0, 0]);
    for path in ["/public", "/login", "/documentation/", "/no-such-user"] {
        let response = p
            .http
            .get(format!("{}{path}", nginx.url()))
            .header("host", "localhost")
            .send()
            .await
            .unwrap();
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        let scripts = csp
            .split(';')
            .map(str::trim)
            .find(|directive| directive.starts_with("script-src"))
            .unwrap_or_default();
        assert_eq!(scripts, "script-src 'self'", "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        // Not in development: HSTS is for the HTTPS production setup only.
        assert!(headers.get("strict-transport-security").is_none(), "{path}");
    }
}
