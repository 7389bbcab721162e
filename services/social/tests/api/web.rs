//! The MiniTwit web pages over HTTP (docs/minitwit-web.md): every route,
//! message and error, with cookies handled as a browser would.

use std::collections::HashMap;

use reqwest::header::{HeaderMap, HeaderValue, COOKIE, LOCATION, SET_COOKIE};
use reqwest::{redirect, Method, StatusCode};

use crate::support::{spawn, Platform};

/// A cookie-keeping client that does not follow redirects, so each step can be checked.
struct Browser {
    base: String,
    http: reqwest::Client,
    cookies: HashMap<String, String>,
}

struct Page {
    status: StatusCode,
    location: Option<String>,
    set_cookies: Vec<String>,
    html: String,
}

impl Browser {
    fn new(p: &Platform) -> Self {
        Self::at(p.social.clone())
    }

    /// A browser that reaches the site at `base` (nginx, for instance).
    fn at(base: String) -> Self {
        Self {
            base,
            http: reqwest::Client::builder()
                .redirect(redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: HashMap::new(),
        }
    }

    async fn request(
        &mut self,
        method: Method,
        path: &str,
        form: Option<&[(&str, &str)]>,
        headers: HeaderMap,
    ) -> Page {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("host", "localhost:8080")
            .headers(headers);
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            request = request.header(COOKIE, jar.join("; "));
        }
        if let Some(form) = form {
            request = request.form(form);
        }
        let response = request.send().await.unwrap();
        let set_cookies: Vec<String> = response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        for cookie in &set_cookies {
            let (pair, attributes) = cookie.split_once(';').unwrap_or((cookie, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() || attributes.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        Page {
            status: response.status(),
            location: response
                .headers()
                .get(LOCATION)
                .map(|l| l.to_str().unwrap().to_owned()),
            set_cookies,
            html: response.text().await.unwrap(),
        }
    }

    async fn get(&mut self, path: &str) -> Page {
        self.request(Method::GET, path, None, HeaderMap::new())
            .await
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        self.request(Method::POST, path, Some(form), HeaderMap::new())
            .await
    }

    /// Follows a redirect answer to the page it names.
    async fn follow(&mut self, page: Page) -> Page {
        assert_eq!(page.status, StatusCode::FOUND, "{}", page.html);
        let location = page.location.unwrap();
        self.get(&location).await
    }

    async fn register(&mut self, username: &str, password: &str) -> Page {
        let email = format!("{}@example.org", username.replace(' ', "."));
        self.post(
            "/register",
            &[
                ("username", username),
                ("email", &email),
                ("password", password),
                ("password2", password),
            ],
        )
        .await
    }

    async fn login(&mut self, username: &str, password: &str) -> Page {
        self.post("/login", &[("username", username), ("password", password)])
            .await
    }
}

fn flash(message: &str) -> String {
    format!("<ul class=\"flashes\"><li>{message}</li></ul>")
}

/// The `<input ...>` tags of a page, in order.
fn inputs(html: &str) -> Vec<String> {
    html.match_indices("<input")
        .map(|(at, _)| html[at..at + html[at..].find('>').unwrap() + 1].to_owned())
        .collect()
}

#[tokio::test]
async fn register_page_keeps_minitwit_fields_and_checks_them_in_order() {
    let p = spawn(false).await;
    let mut browser = Browser::new(&p);
    let page = browser.get("/register").await;
    assert_eq!(page.status, StatusCode::OK);
    let fields = inputs(&page.html);
    assert_eq!(fields.len(), 5, "{fields:?}");
    for (field, name) in fields
        .iter()
        .zip(["username", "email", "password", "password2"])
    {
        assert!(field.contains(&format!("name=\"{name}\"")), "{field}");
    }
    assert!(fields[4].contains("type=\"submit\""));
    assert!(page
        .html
        .contains("<div class=\"actions\"><input type=\"submit\""));

    let cases: [(&[(&str, &str)], &str); 5] = [
        (
            &[
                ("username", ""),
                ("email", "a@b"),
                ("password", "x"),
                ("password2", "x"),
            ],
            "You have to enter a username",
        ),
        (
            &[
                ("username", "meg"),
                ("email", "bad"),
                ("password", "x"),
                ("password2", "x"),
            ],
            "You have to enter a valid email address",
        ),
        (
            &[
                ("username", "meg"),
                ("email", ""),
                ("password", "x"),
                ("password2", "x"),
            ],
            "You have to enter a valid email address",
        ),
        (
            &[
                ("username", "meg"),
                ("email", "a@b"),
                ("password", ""),
                ("password2", ""),
            ],
            "You have to enter a password",
        ),
        (
            &[
                ("username", "meg"),
                ("email", "a@b"),
                ("password", "x"),
                ("password2", "y"),
            ],
            "The two passwords do not match",
        ),
    ];
    for (form, message) in cases {
        let page = browser.post("/register", form).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.html.contains(message), "{message}: {}", page.html);
    }
    // Fields the person typed are kept, escaped.
    let page = browser
        .post(
            "/register",
            &[
                ("username", "<meg>"),
                ("email", "x"),
                ("password", "x"),
                ("password2", "x"),
            ],
        )
        .await;
    assert!(page.html.contains("value=\"&lt;meg&gt;\""));

    let done = browser.register("meg", "x").await;
    assert_eq!(done.location.as_deref(), Some("/login"));
    let login = browser.follow(done).await;
    assert!(
        login
            .html
            .contains(&flash("You were successfully registered and can login now")),
        "{}",
        login.html
    );
    // A flash shows once.
    assert!(!browser
        .get("/login")
        .await
        .html
        .contains("class=\"flashes\""));
    assert!(browser
        .register("meg", "y")
        .await
        .html
        .contains("The username is already taken"));
    assert!(browser
        .register("MEG", "y")
        .await
        .html
        .contains("The username is already taken"));
    // It is a platform account: auth logs it in with the same password.
    let token = p.login("meg", "x").await;
    assert!(!token.is_empty());
}

#[tokio::test]
async fn login_and_logout_keep_a_safe_session_cookie() {
    let p = spawn(false).await;
    let mut browser = Browser::new(&p);
    browser.register("meg", "secret").await;
    let unknown = browser.login("nobody", "secret").await;
    assert!(unknown.html.contains("Invalid username"));
    let wrong = browser.login("meg", "wrong").await;
    assert!(wrong.html.contains("Invalid password"));
    assert!(wrong.html.contains("value=\"meg\""));

    let done = browser.login("meg", "secret").await;
    assert_eq!(done.location.as_deref(), Some("/"));
    let session = done
        .set_cookies
        .iter()
        .find(|c| c.starts_with("session="))
        .unwrap()
        .clone();
    assert!(session.contains("HttpOnly"), "{session}");
    assert!(session.contains("SameSite=Lax"), "{session}");
    let home = browser.follow(done).await;
    assert!(home.html.contains(&flash("You were logged in")));
    assert!(home.html.contains("<h2>My Timeline</h2>"));
    assert!(home.html.contains("What&#39;s on your mind meg?"));
    assert!(home.html.contains("sign out [meg]"));
    let stolen = browser.cookies.clone();

    let out = browser.get("/logout").await;
    assert_eq!(out.location.as_deref(), Some("/public"));
    let public = browser.follow(out).await;
    assert!(public.html.contains(&flash("You were logged out")));
    assert!(public.html.contains("<h2>Public Timeline</h2>"));
    assert!(public.html.contains("sign in"));
    // The old cookie is dead on the server too.
    browser.cookies = stolen;
    let again = browser.get("/").await;
    assert_eq!(again.location.as_deref(), Some("/public"));
}

#[tokio::test]
async fn logged_out_visitors_read_but_cannot_act() {
    let p = spawn(false).await;
    let mut browser = Browser::new(&p);
    browser.register("meg", "x").await;
    let home = browser.get("/").await;
    assert_eq!(home.status, StatusCode::FOUND);
    assert_eq!(home.location.as_deref(), Some("/public"));
    assert_eq!(
        browser.get("/meg/follow").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        browser.get("/meg/unfollow").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        browser.post("/add_message", &[("text", "hi")]).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(browser.get("/nobody").await.status, StatusCode::NOT_FOUND);
    let profile = browser.get("/meg").await;
    assert_eq!(profile.status, StatusCode::OK);
    assert!(profile.html.contains("<h2>meg&#39;s Timeline</h2>"));
    assert!(profile.html.contains("There&#39;s no message so far."));
    assert!(!profile.html.contains("class=\"followstatus\""));
}

#[tokio::test]
async fn people_post_follow_and_see_timelines() {
    let p = spawn(false).await;
    let mut jane = Browser::new(&p);
    jane.register("Jane Doe", "x").await;
    jane.login("Jane Doe", "x").await;
    let posted = jane
        .post(
            "/add_message",
            &[("text", "Jane's <b>\"first\"</b> post ☃")],
        )
        .await;
    assert_eq!(posted.location.as_deref(), Some("/"));
    let home = jane.follow(posted).await;
    assert!(home.html.contains(&flash("Your message was recorded")));
    assert!(
        home.html
            .contains("Jane&#39;s &lt;b&gt;&#34;first&#34;&lt;/b&gt; post ☃"),
        "{}",
        home.html
    );
    assert!(home.html.contains("<a href=\"/Jane%20Doe\">Jane Doe</a>"));
    assert!(home.html.contains("https://www.gravatar.com/avatar/"));
    // An empty message is not recorded.
    let empty = jane.post("/add_message", &[("text", "")]).await;
    assert!(!jane.follow(empty).await.html.contains("class=\"flashes\""));

    let mut meg = Browser::new(&p);
    meg.register("meg", "y").await;
    meg.login("meg", "y").await;
    meg.post("/add_message", &[("text", "meg was here")]).await;
    let profile = meg.get("/Jane%20Doe").await;
    assert!(profile
        .html
        .contains("You are not yet following this user."));
    assert!(profile
        .html
        .contains("<a class=\"follow\" href=\"/Jane%20Doe/follow\">"));

    let followed = meg.get("/Jane%20Doe/follow").await;
    assert_eq!(followed.location.as_deref(), Some("/Jane%20Doe"));
    let profile = meg.follow(followed).await;
    assert!(
        profile
            .html
            .contains(&flash("You are now following &#34;Jane Doe&#34;")),
        "{}",
        profile.html
    );
    assert!(profile
        .html
        .contains("You are currently following this user."));
    assert!(profile
        .html
        .contains("<a class=\"unfollow\" href=\"/Jane%20Doe/unfollow\">"));

    let home = meg.get("/").await;
    let (first, second) = (
        home.html.find("meg was here").unwrap(),
        home.html.find("first").unwrap(),
    );
    assert!(first < second, "newest first");
    let date = regex_like_date(&home.html);
    assert!(date, "dates read YYYY-MM-DD @ HH:MM: {}", home.html);
    assert!(meg.get("/meg").await.html.contains("This is you!"));

    let unfollowed = meg.get("/Jane%20Doe/unfollow").await;
    let profile = meg.follow(unfollowed).await;
    assert!(profile
        .html
        .contains(&flash("You are no longer following &#34;Jane Doe&#34;")));
    assert!(!meg.get("/").await.html.contains("first"));
    assert!(meg.get("/public").await.html.contains("first"));
    assert_eq!(
        meg.get("/nobody/follow").await.status,
        StatusCode::NOT_FOUND
    );
}

/// Whether the page shows a date as `YYYY-MM-DD @ HH:MM`.
fn regex_like_date(html: &str) -> bool {
    html.match_indices(" @ ").any(|(at, _)| {
        let (before, after) = (&html[..at], &html[at + 3..]);
        before.len() >= 10
            && before[before.len() - 10..]
                .chars()
                .enumerate()
                .all(|(i, c)| {
                    if i == 4 || i == 7 {
                        c == '-'
                    } else {
                        c.is_ascii_digit()
                    }
                })
            && after.len() >= 5
            && after[..5].chars().enumerate().all(|(i, c)| {
                if i == 2 {
                    c == ':'
                } else {
                    c.is_ascii_digit()
                }
            })
    })
}

#[tokio::test]
async fn requests_from_other_sites_cannot_change_anything() {
    let p = spawn(false).await;
    let mut meg = Browser::new(&p);
    meg.register("meg", "y").await;
    meg.register("ann", "z").await;
    meg.login("meg", "y").await;
    let header = |name: &'static str, value: &'static str| {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_static(value));
        headers
    };

    let forged = meg
        .request(
            Method::GET,
            "/ann/follow",
            None,
            header("sec-fetch-site", "cross-site"),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let forged = meg
        .request(
            Method::POST,
            "/add_message",
            Some(&[("text", "spam")]),
            header("origin", "https://evil.example"),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let forged = meg
        .request(Method::GET, "/logout", None, header("origin", "null"))
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    // Percent-encoded paths route to the same actions and are judged as them.
    for encoded in [
        "/ann/follo%77",
        "/ann/%66ollow",
        "/logou%74",
        "/%61nn/follow",
    ] {
        let forged = meg
            .request(
                Method::GET,
                encoded,
                None,
                header("sec-fetch-site", "cross-site"),
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "{encoded}");
    }
    // A subdomain that is not one of the platform's hosts is another site.
    let forged = meg
        .request(
            Method::POST,
            "/add_message",
            Some(&[("text", "spam")]),
            header("origin", "http://someones-blog.localhost"),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let page = meg.get("/ann").await;
    assert!(
        page.html.contains("You are not yet following this user."),
        "nothing changed"
    );
    assert!(!meg.get("/public").await.html.contains("spam"));
    assert!(
        meg.get("/").await.html.contains("My Timeline"),
        "still logged in"
    );

    // Our own pages (same origin, same-site subdomains) and plain clients pass.
    let own = meg
        .request(
            Method::GET,
            "/ann/follow",
            None,
            header("sec-fetch-site", "same-origin"),
        )
        .await;
    assert_eq!(own.status, StatusCode::FOUND);
    let own = meg
        .request(
            Method::POST,
            "/add_message",
            Some(&[("text", "fine")]),
            header("origin", "http://localhost:8080"),
        )
        .await;
    assert_eq!(own.status, StatusCode::FOUND);
    // Reading is never blocked.
    let read = meg
        .request(
            Method::GET,
            "/public",
            None,
            header("sec-fetch-site", "cross-site"),
        )
        .await;
    assert_eq!(read.status, StatusCode::OK);
}

#[tokio::test]
async fn a_browser_that_signed_in_before_is_not_locked_out_by_someone_elses_guessing() {
    let p = spawn(false).await;
    let mut meg = Browser::new(&p);
    meg.register("meg", "secret").await;
    let first = meg.login("meg", "secret").await;
    let device = first
        .set_cookies
        .iter()
        .find(|c| c.starts_with("device="))
        .expect("the browser is given a device cookie")
        .clone();
    assert!(device.contains("HttpOnly"), "{device}");
    assert!(device.contains("Max-Age="), "{device}");
    meg.get("/logout").await;

    // Someone at the same address guesses the passwords of five people.
    let mut attacker = Browser::new(&p);
    let people = ["ann", "bob", "cy", "dee"];
    for name in people {
        attacker.register(name, "their secret").await;
    }
    for i in 0..25 {
        let name = if i % 5 == 4 { "meg" } else { people[i % 5] };
        attacker.login(name, "a guess").await;
    }
    let refused = attacker.login("meg", "secret").await;
    assert!(
        refused.html.contains("Too many failed sign-ins"),
        "{}",
        refused.html
    );

    // Meg's own browser signs in at once, from the same address.
    let back = meg.login("meg", "secret").await;
    assert_eq!(back.location.as_deref(), Some("/"), "{}", back.html);
}

/// Through nginx as deployed: a lab class of 30 behind one campus address
/// registers, and so do more, up to the hourly allowance of the address; a
/// bot farm going on gets nothing.
#[tokio::test]
async fn the_register_page_makes_a_limited_number_of_accounts_per_address() {
    let p = spawn(false).await;
    let nginx = testkit::Nginx::start_as_deployed([p.auth_port, p.social_port, 0, 0]);
    let mut browser = Browser::at(nginx.url());
    // A mistake in the form does not count.
    let mismatch = browser
        .post(
            "/register",
            &[
                ("username", "typo"),
                ("email", "typo@example.org"),
                ("password", "a"),
                ("password2", "b"),
            ],
        )
        .await;
    assert_eq!(mismatch.status, StatusCode::OK);
    let allowance = social::settings::WEB_REGISTRATIONS_PER_HOUR;
    assert!(allowance >= 30, "a lab class of 30 registers");
    for i in 0..allowance {
        let made = browser.register(&format!("user{i}"), "secret").await;
        assert_eq!(made.location.as_deref(), Some("/login"), "{}", made.html);
    }
    let refused = browser.register("one too many", "secret").await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        refused.html.contains("Too many accounts"),
        "{}",
        refused.html
    );
    // The farm goes on: every further account is refused.
    for i in 0..100 {
        let bot = browser.register(&format!("bot{i}"), "secret").await;
        assert_eq!(bot.status, StatusCode::TOO_MANY_REQUESTS, "bot{i}");
    }
    // Nothing was made for the refused one.
    let lookup = p
        .v1(Method::GET, "/users/one%20too%20many", None)
        .send()
        .await
        .unwrap();
    assert_eq!(lookup.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_web_login_starts_the_session_of_whom_auth_logged_in() {
    // Without auth's events the local copy keeps an old name: "ann" still
    // points at the account that was renamed to "anna".
    let p = spawn(false).await;
    let mut first = Browser::new(&p);
    let made = first
        .post(
            "/register",
            &[
                ("username", "ann"),
                ("email", "first.ann@example.org"),
                ("password", "first secret"),
                ("password2", "first secret"),
            ],
        )
        .await;
    assert_eq!(made.location.as_deref(), Some("/login"), "{}", made.html);
    let renamed = p.login("ann", "first secret").await;
    let patched = p
        .http
        .patch(format!("{}/v1/me", p.auth))
        .bearer_auth(&renamed)
        .json(&serde_json::json!({"username": "anna"}))
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status(), StatusCode::OK);
    // Someone else takes the free name in auth.
    let other = p.fixture.person("ann").await;

    let mut browser = Browser::new(&p);
    let done = browser.login("ann", &other.password).await;
    assert_eq!(done.location.as_deref(), Some("/"), "{}", done.html);
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Owner {
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        user_id: uuid::Uuid,
    }
    let owners: Vec<Owner> = diesel::sql_query("SELECT user_id FROM web_sessions")
        .load(&mut p.social_iso.db.connect())
        .unwrap();
    assert_eq!(owners.len(), 1);
    assert_eq!(
        owners[0].user_id, other.id,
        "the session belongs to the account whose password was given"
    );
}

#[tokio::test]
async fn a_password_change_in_auth_ends_the_web_sessions() {
    // With auth's events: the change reaches social as auth.user.updated.
    let p = spawn(true).await;
    let mut browser = Browser::new(&p);
    browser.register("meg", "old secret").await;
    let done = browser.login("meg", "old secret").await;
    assert_eq!(done.location.as_deref(), Some("/"));
    assert!(browser.get("/").await.html.contains("My Timeline"));

    let token = p.login("meg", "old secret").await;
    let changed = p
        .http
        .post(format!("{}/v1/me/password", p.auth))
        .bearer_auth(&token)
        .json(
            &serde_json::json!({"old_password": "old secret", "new_password": "a new long secret"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    for _ in 0..300 {
        if browser.get("/").await.location.as_deref() == Some("/public") {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the web session outlived the password change");
}

#[tokio::test]
async fn the_links_auth_mails_open_pages_that_reset_the_password_and_confirm_the_email() {
    let p = spawn(true).await;
    let person = p.person("linker").await;
    let mut browser = Browser::new(&p);
    let tap = |key: &'static str| testkit::EventTap::bind(&p.fixture.iso.exchange, key);
    let mut resets = tap("auth.password_reset_requested").await;
    let asked = p
        .http
        .post(format!("{}/v1/password-reset", p.auth))
        .json(&serde_json::json!({"email": person.email}))
        .send()
        .await
        .unwrap();
    assert!(asked.status().is_success());
    let link = resets
        .next(std::time::Duration::from_secs(10))
        .await
        .unwrap()
        .data["reset_url"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = link.trim_start_matches("http://localhost:8080");
    assert!(path.starts_with("/reset-password?token="), "{link}");
    let token = path.split("token=").nth(1).unwrap().to_owned();

    let form = browser.get(path).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.html.contains("Choose a new password") && form.html.contains(&token),
        "{}",
        form.html
    );
    let incomplete = browser.get("/reset-password").await;
    assert_eq!(incomplete.status, StatusCode::BAD_REQUEST);
    let mismatch = browser
        .post(
            "/reset-password",
            &[
                ("token", &token),
                ("password", "a long password"),
                ("password2", "another"),
            ],
        )
        .await;
    assert_eq!(mismatch.status, StatusCode::BAD_REQUEST);
    assert!(mismatch.html.contains("do not match"));
    let weak = browser
        .post(
            "/reset-password",
            &[("token", &token), ("password", "x"), ("password2", "x")],
        )
        .await;
    assert_eq!(weak.status, StatusCode::BAD_REQUEST);
    assert!(
        weak.html.contains("at least"),
        "auth's reason is shown: {}",
        weak.html
    );
    let changed = browser
        .post(
            "/reset-password",
            &[
                ("token", &token),
                ("password", "brand new password"),
                ("password2", "brand new password"),
            ],
        )
        .await;
    assert_eq!(changed.location.as_deref(), Some("/login"));
    let login = browser.follow(changed).await;
    assert!(
        login.html.contains("Your password was changed"),
        "{}",
        login.html
    );
    assert!(p.login("linker", "brand new password").await.len() > 20);
    let reused = browser
        .post(
            "/reset-password",
            &[
                ("token", &token),
                ("password", "brand new password"),
                ("password2", "brand new password"),
            ],
        )
        .await;
    assert_eq!(reused.status, StatusCode::BAD_REQUEST);
    assert!(
        reused.html.contains("already used or expired"),
        "{}",
        reused.html
    );

    // The email change link: opening it only shows a button.
    let mut changes = tap("auth.email_change_requested").await;
    let access = p.login("linker", "brand new password").await;
    let requested = p
        .http
        .patch(format!("{}/v1/me", p.auth))
        .bearer_auth(&access)
        .json(&serde_json::json!({"email": "linker@moved.example.org", "current_password": "brand new password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(requested.status(), StatusCode::OK);
    let link = changes
        .next(std::time::Duration::from_secs(10))
        .await
        .unwrap()
        .data["confirm_url"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = link.trim_start_matches("http://localhost:8080").to_owned();
    let shown = browser.get(&path).await;
    assert_eq!(shown.status, StatusCode::OK);
    let me = |token: String| {
        let http = p.http.clone();
        let url = format!("{}/v1/me", p.auth);
        async move {
            http.get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    assert_eq!(
        me(access.clone()).await["email"],
        "linker@example.org",
        "opening the link changes nothing"
    );
    let token = path.split("token=").nth(1).unwrap();
    let done = browser.post("/confirm-email", &[("token", token)]).await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(
        done.html.contains("linker@moved.example.org"),
        "{}",
        done.html
    );
    assert_eq!(me(access).await["email"], "linker@moved.example.org");
    let again = browser.post("/confirm-email", &[("token", token)]).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
}
