//! News images through nginx: the author (or a leader of its committee)
//! uploads, replaces and removes; nobody else; the files are served at
//! media.<domain>; a link to anywhere is refused; deleting the article
//! deletes its files.

use std::io::Cursor;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::{spawn, Platform};

fn photo(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, 40, (y % 256) as u8])
    });
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
        .unwrap();
    bytes
}

fn files(root: &std::path::Path) -> Vec<String> {
    fn walk(dir: &std::path::Path, root: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, root, out);
            } else {
                out.push(path.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    let mut out = vec![];
    walk(root, root, &mut out);
    out.sort();
    out
}

async fn upload(
    p: &Platform,
    nginx: &testkit::Nginx,
    id: i64,
    token: &str,
    bytes: &[u8],
) -> (StatusCode, Value) {
    let boundary = "news-image-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let answer = p
        .http
        .post(format!("{}/v1/news/{id}/image", nginx.url()))
        .header("host", "social.localhost")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .bearer_auth(token)
        .body(body)
        .send()
        .await
        .unwrap();
    (answer.status(), answer.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn authors_upload_and_remove_an_articles_image() {
    let p = spawn(false).await;
    let root = p.media_root.display().to_string();
    let nginx = testkit::Nginx::start_with(
        [p.auth_port, p.social_port, 0, 0],
        &[("NGINX_MEDIA_ROOT", &root)],
    );
    let author = p
        .fixture
        .person_with("author", &[], &[("party", "committee", "leader")])
        .await;
    let other = p.fixture.person_with("other", &[], &[]).await;
    let created: Value = p
        .v1(Method::POST, "/news", Some(&author.token))
        .json(&json!({"title": "Party", "lead": "Friday", "body": "Come.", "group": "party"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_i64().unwrap();

    let (status, _) = upload(&p, &nginx, id, &other.token, &photo(800, 600)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(files(&p.media_root).is_empty());
    let (status, image) = upload(&p, &nginx, id, &author.token, &photo(2000, 1000)).await;
    assert_eq!(status, StatusCode::OK, "{image}");
    let names: Vec<&str> = image["sizes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["original", "w320", "w1280"]);
    assert_eq!(files(&p.media_root).len(), 3);
    assert!(files(&p.media_root).iter().all(|f| f.starts_with("news/")));

    let shown: Value = p
        .v1(Method::GET, &format!("/news/{id}"), None)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(shown["image"], image);
    let display = shown["image_url"].as_str().unwrap();
    let served = p
        .http
        .get(format!(
            "{}{}",
            nginx.url(),
            display.strip_prefix("http://media.localhost").unwrap()
        ))
        .header("host", "media.localhost")
        .send()
        .await
        .unwrap();
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.headers()["content-type"], "image/jpeg");

    // A link to anywhere is refused, naming the field and the upload route.
    let linked = p
        .v1(Method::PATCH, &format!("/news/{id}"), Some(&author.token))
        .json(&json!({"image_url": "https://tracker.example/p.gif"}))
        .send()
        .await
        .unwrap();
    assert_eq!(linked.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = linked.json().await.unwrap();
    assert!(
        problem["errors"]["image_url"][0]
            .as_str()
            .unwrap()
            .contains("/image"),
        "{problem}"
    );

    // Replacing deletes the files before; deleting the article deletes the rest.
    let before = files(&p.media_root);
    let (status, _) = upload(&p, &nginx, id, &author.token, &photo(300, 200)).await;
    assert_eq!(status, StatusCode::OK);
    let after = files(&p.media_root);
    assert_eq!(after.len(), 1);
    assert!(before.iter().all(|f| !after.contains(f)));
    let deleted = p
        .v1(Method::DELETE, &format!("/news/{id}"), Some(&author.token))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert!(files(&p.media_root).is_empty());
    let _ = std::fs::remove_dir_all(p.media_root.parent().unwrap());
}
