//! A person in headless Chromium, through nginx: registers, logs in, posts,
//! follows someone and sees both people's messages on the home timeline.
//! Drives Debian's chromium through chromedriver's W3C WebDriver protocol
//! (`./scripts/test` installs both).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::support::spawn;

/// The W3C name of an element reference in WebDriver answers.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

struct Driver {
    child: Child,
    http: reqwest::Client,
    session: String,
    /// Chromium's profile folder, unique to this test: it also names the
    /// browser's processes, so they can be ended even if the test fails.
    profile: std::path::PathBuf,
}

impl Driver {
    async fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let binary = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())
            .unwrap_or("chromedriver");
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {binary}: {e}; ./scripts/test installs chromium-driver")
            });
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        loop {
            if let Ok(status) = http.get(format!("{base}/status")).send().await {
                if status
                    .json::<Value>()
                    .await
                    .is_ok_and(|s| s["value"]["ready"] == true)
                {
                    break;
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile =
            std::env::temp_dir().join(format!("browser-test-{}", uuid::Uuid::new_v4().simple()));
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1024,900", format!("--user-data-dir={}", profile.display())]
            }
        }}});
        let created: Value = http
            .post(format!("{base}/session"))
            .json(&capabilities)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let session = created["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no WebDriver session: {created}"))
            .to_owned();
        Self {
            child,
            http,
            session: format!("{base}/session/{session}"),
            profile,
        }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self.http.request(method, format!("{}{path}", self.session));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let answer: Value = request.send().await.unwrap().json().await.unwrap();
        assert!(
            answer["value"].get("error").is_none(),
            "WebDriver {path}: {answer}"
        );
        answer["value"].clone()
    }

    async fn open(&self, url: &str) {
        self.call(reqwest::Method::POST, "/url", Some(json!({"url": url})))
            .await;
    }

    async fn all(&self, css: &str) -> Vec<String> {
        let found = self
            .call(
                reqwest::Method::POST,
                "/elements",
                Some(json!({"using": "css selector", "value": css})),
            )
            .await;
        found
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e[ELEMENT].as_str().unwrap().to_owned())
            .collect()
    }

    async fn type_into(&self, element: &str, text: &str) {
        self.call(
            reqwest::Method::POST,
            &format!("/element/{element}/value"),
            Some(json!({"text": text})),
        )
        .await;
    }

    async fn click(&self, element: &str) {
        self.call(
            reqwest::Method::POST,
            &format!("/element/{element}/click"),
            Some(json!({})),
        )
        .await;
    }

    async fn script(&self, script: &str) -> Value {
        self.call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
        .await
    }

    /// Clicks something that loads a new page, and waits until it has loaded.
    async fn click_and_wait(&self, element: &str) {
        self.script("window.__before_click = true").await;
        self.click(element).await;
        let started = Instant::now();
        loop {
            let loaded = self
                .script("return window.__before_click === undefined && document.readyState === 'complete'")
                .await;
            if loaded == true {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the next page did not load"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn text(&self, css: &str) -> String {
        let mut texts = Vec::new();
        for element in self.all(css).await {
            let text = self
                .call(
                    reqwest::Method::GET,
                    &format!("/element/{element}/text"),
                    None,
                )
                .await;
            texts.push(text.as_str().unwrap_or_default().to_owned());
        }
        texts.join("\n")
    }

    /// Fills a form's inputs by position (as MiniTwit's browser tests do) and submits it.
    async fn fill_and_submit(&self, values: &[&str]) {
        let inputs = self.all("form input").await;
        assert!(
            inputs.len() > values.len(),
            "the form has {} inputs",
            inputs.len()
        );
        for (input, value) in inputs.iter().zip(values) {
            self.type_into(input, value).await;
        }
        self.click_and_wait(&inputs[values.len()]).await;
    }

    async fn source(&self) -> String {
        self.call(reqwest::Method::GET, "/source", None)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    async fn quit(self) {
        let _ = self.http.delete(&self.session).send().await;
    }
}

impl Drop for Driver {
    /// Ends chromedriver and every browser process of this test, pass or fail.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = Command::new("pkill")
            .args(["-f", &format!("user-data-dir={}", self.profile.display())])
            .status();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

#[tokio::test]
async fn a_person_in_chromium_registers_posts_follows_and_reads_their_timeline() {
    let p = spawn(false).await;
    let nginx = testkit::Nginx::start([p.auth_port, p.social_port, 0, 0]);
    let site = format!("http://localhost:{}", nginx.port);
    let browser = Driver::start().await;

    // Bob exists and has said something.
    browser.open(&format!("{site}/register")).await;
    browser
        .fill_and_submit(&["bob", "bob@example.org", "bobs-password", "bobs-password"])
        .await;
    assert!(
        browser
            .text("ul.flashes")
            .await
            .contains("You were successfully registered"),
        "{}",
        browser.source().await
    );
    browser.fill_and_submit(&["bob", "bobs-password"]).await;
    browser.fill_and_submit(&["Hello from Bob"]).await;
    browser.open(&format!("{site}/logout")).await;

    // Alice registers, logs in, posts and follows Bob.
    browser.open(&format!("{site}/register")).await;
    browser
        .fill_and_submit(&[
            "alice",
            "alice@example.org",
            "alices-password",
            "alices-password",
        ])
        .await;
    browser.fill_and_submit(&["alice", "alices-password"]).await;
    assert!(browser
        .text("ul.flashes")
        .await
        .contains("You were logged in"));
    assert!(browser.text("h2").await.contains("My Timeline"));
    browser.fill_and_submit(&["Hello from Alice"]).await;
    assert!(browser
        .text("ul.flashes")
        .await
        .contains("Your message was recorded"));
    browser.open(&format!("{site}/bob")).await;
    let follow = browser.all("a.follow").await;
    assert_eq!(follow.len(), 1, "a follow link on Bob's page");
    browser.click_and_wait(&follow[0]).await;
    assert!(browser
        .text("ul.flashes")
        .await
        .contains("You are now following \"bob\""));

    browser.open(&format!("{site}/")).await;
    let timeline = browser.text("ul.messages").await;
    assert!(timeline.contains("Hello from Alice"), "{timeline}");
    assert!(timeline.contains("Hello from Bob"), "{timeline}");
    assert!(
        timeline.find("Hello from Alice") < timeline.find("Hello from Bob"),
        "newest first"
    );
    browser.quit().await;
    drop(nginx);
}
