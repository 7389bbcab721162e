//! Event cover images through nginx: uploaded by whoever edits the event,
//! accepted by content, stored in sizes, replaced and deleted with their
//! files; every refusal leaves nothing in the store.

use std::io::Cursor;

use common::clock::SharedClock;
use image::{Rgb, RgbImage};
use reqwest::Method;
use serde_json::json;
use testkit::azurite::AzureContainer;

use crate::support::{json, multipart, open_event, refused, Edge, Stack};

fn photo(width: u32, height: u32) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
        .unwrap();
    bytes
}

#[tokio::test]
async fn organizers_upload_replace_and_delete_an_events_image() {
    let stack = Stack::start().await;
    stack.group("cabin", "board").await;
    let organizer = stack.person("olga").await;
    stack.join(organizer.id, "cabin", "member").await;
    let member = stack.person("mia").await;
    let edge = Edge::start(&stack);
    let event = stack.event(&organizer.token, open_event("cabin", 10)).await;
    let id = event["id"].as_str().unwrap();
    let path = format!("/events/{id}/image");

    // Someone who may not edit the event uploads nothing.
    let bytes = photo(1600, 1200);
    json(
        edge.upload(&path, &member.token, "cover.jpg", "image/jpeg", &bytes)
            .await,
        403,
    )
    .await;
    assert!(stack.stored_files().is_empty());

    let image = json(
        edge.upload(
            &path,
            &organizer.token,
            "../../etc/cover.jpg",
            "image/jpeg",
            &bytes,
        )
        .await,
        200,
    )
    .await;
    let sizes: Vec<(&str, u64, u64)> = image["sizes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap(),
                s["width"].as_u64().unwrap(),
                s["height"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        sizes,
        [
            ("original", 1600, 1200),
            ("w320", 320, 240),
            ("w1280", 1280, 960)
        ]
    );
    let files = stack.stored_files();
    assert_eq!(files.len(), 3, "{files:?}");
    assert_eq!(stack.waiting_uploads(), 0);
    // Keys are made by the platform, never from the client's file name.
    assert!(files
        .iter()
        .all(|f| f.starts_with("events/") && !f.contains("cover") && !f.contains("..")));
    let shown = json(
        edge.api(Method::GET, &format!("/events/{id}"), &member.token)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(shown["image"], image);
    let display = shown["image_url"].as_str().unwrap();
    assert!(display.ends_with("/w1280.jpg"), "{shown}");

    // nginx serves the local store at media.<domain>: the true type, a
    // year's caching, never sniffed, sandboxed if opened.
    let served_path = display.strip_prefix("http://media.localhost").unwrap();
    let served = edge.media(served_path).await;
    assert_eq!(served.status(), 200);
    let headers = served.headers().clone();
    assert_eq!(headers["content-type"], "image/jpeg");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(headers["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    assert!(headers["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("sandbox"));
    let body = served.bytes().await.unwrap();
    assert_eq!(image::load_from_memory(&body).unwrap().width(), 1280);
    for probe in [
        "/",
        "/../settings",
        "/events/x/w1280.jpg",
        "/events/../../etc/passwd",
    ] {
        assert_eq!(edge.media(probe).await.status(), 404, "{probe}");
    }

    // Replacing deletes the files before.
    let second = json(
        edge.upload(
            &path,
            &organizer.token,
            "new.png",
            "image/png",
            &photo(200, 100),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        second["sizes"].as_array().unwrap().len(),
        1,
        "nothing wider than the original"
    );
    let now = stack.stored_files();
    assert_eq!(now.len(), 1, "{now:?}");
    assert!(files.iter().all(|f| !now.contains(f)));

    // Links to anywhere are not taken any more.
    let linked = json(
        edge.send(
            Method::PATCH,
            &format!("/events/{id}"),
            &organizer.token,
            json!({"image_url": "https://tracker.example/pixel.gif"}),
        )
        .await,
        422,
    )
    .await;
    assert!(
        linked["errors"]["image_url"][0]
            .as_str()
            .unwrap()
            .contains("uploaded"),
        "{linked}"
    );

    json(
        edge.api(Method::DELETE, &path, &member.token)
            .send()
            .await
            .unwrap(),
        403,
    )
    .await;
    json(
        edge.api(Method::DELETE, &path, &organizer.token)
            .send()
            .await
            .unwrap(),
        204,
    )
    .await;
    assert!(stack.stored_files().is_empty());
    json(
        edge.api(Method::DELETE, &path, &organizer.token)
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    let shown = json(
        edge.api(Method::GET, &format!("/events/{id}"), &member.token)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert!(
        shown["image"].is_null() && shown["image_url"] == "",
        "{shown}"
    );

    // Deleting the event deletes its image.
    json(
        edge.upload(&path, &organizer.token, "cover.jpg", "image/jpeg", &bytes)
            .await,
        200,
    )
    .await;
    assert_eq!(stack.stored_files().len(), 3);
    json(
        edge.api(Method::DELETE, &format!("/events/{id}"), &organizer.token)
            .send()
            .await
            .unwrap(),
        204,
    )
    .await;
    assert!(stack.stored_files().is_empty());
    stack.stop().await;
}

/// Each attack gets its precise 4xx and leaves nothing in the store.
#[tokio::test]
async fn hostile_uploads_are_refused_and_leave_nothing_behind() {
    let stack = Stack::start().await;
    stack.group("cabin", "board").await;
    let organizer = stack.person("olga").await;
    stack.join(organizer.id, "cabin", "member").await;
    let edge = Edge::start(&stack);
    let event = stack.event(&organizer.token, open_event("cabin", 10)).await;
    let path = format!("/events/{}/image", event["id"].as_str().unwrap());
    let token = &organizer.token;

    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" onload="fetch('/v1/me')"><script>alert(1)</script></svg>"#;
    let detail = refused(
        edge.upload(&path, token, "cover.svg", "image/svg+xml", svg)
            .await,
        415,
    )
    .await;
    assert!(
        detail.contains("SVG") && detail.contains("JPEG, PNG, WebP or GIF"),
        "{detail}"
    );
    let html = b"<!DOCTYPE html><html><script>document.cookie</script></html>";
    let detail = refused(
        edge.upload(&path, token, "photo.jpg", "image/jpeg", html)
            .await,
        415,
    )
    .await;
    assert!(detail.contains("HTML"), "{detail}");

    // A bomb: a few hundred bytes declaring 100,000 x 100,000 pixels.
    let mut bomb = photo(8, 8);
    let sof = bomb.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    bomb[sof + 5..sof + 7].copy_from_slice(&50_000u16.to_be_bytes());
    bomb[sof + 7..sof + 9].copy_from_slice(&50_000u16.to_be_bytes());
    let detail = refused(
        edge.upload(&path, token, "bomb.jpg", "image/jpeg", &bomb)
            .await,
        422,
    )
    .await;
    assert!(detail.contains("too large to decode"), "{detail}");

    // 60 MB: nginx refuses it before the service reads it.
    let huge = vec![0xFFu8; 60 * 1024 * 1024];
    let answer = edge
        .upload(&path, token, "huge.jpg", "image/jpeg", &huge)
        .await;
    assert_eq!(answer.status(), 413);
    assert_eq!(answer.headers()["content-type"], "application/problem+json");

    // A body cut off before its end.
    let (content_type, mut body) = multipart("cut.jpg", "image/jpeg", &photo(300, 300));
    body.truncate(body.len() / 2);
    let cut = edge
        .api(Method::POST, &path, token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let detail = refused(cut, 400).await;
    assert!(detail.contains("multipart"), "{detail}");

    // Not multipart at all, and no file in it.
    let detail = refused(
        edge.send(Method::POST, &path, token, json!({"file": "x"}))
            .await,
        400,
    )
    .await;
    assert!(detail.contains("multipart"), "{detail}");
    let caption = edge
        .api(Method::POST, &path, token)
        .header("content-type", "multipart/form-data; boundary=b")
        .body("--b\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\nhi\r\n--b--\r\n")
        .send()
        .await
        .unwrap();
    let detail = refused(caption, 400).await;
    assert!(detail.contains("\"caption\""), "{detail}");

    assert!(
        stack.stored_files().is_empty(),
        "{:?}",
        stack.stored_files()
    );
    assert_eq!(stack.waiting_uploads(), 0, "temporary files are removed");
    stack.stop().await;
}

/// On Azure Blob Storage (Azurite): the image lands in the container; with
/// the store down, 503 with Retry-After and the event keeps its image.
#[tokio::test]
async fn images_go_to_azure_and_a_store_that_is_down_changes_nothing() {
    let container = AzureContainer::create();
    let media = container.settings("https://media.example.org");
    let stack = Stack::start_with(SharedClock::system(), |s| s.media = media).await;
    stack.group("cabin", "board").await;
    let organizer = stack.person("olga").await;
    stack.join(organizer.id, "cabin", "member").await;
    let edge = Edge::start(&stack);
    let event = stack.event(&organizer.token, open_event("cabin", 10)).await;
    let id = event["id"].as_str().unwrap();
    let path = format!("/events/{id}/image");
    let image = json(
        edge.upload(
            &path,
            &organizer.token,
            "c.jpg",
            "image/jpeg",
            &photo(1400, 700),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(container.blob_count(), 3);
    assert!(image["sizes"][0]["url"]
        .as_str()
        .unwrap()
        .starts_with("https://media.example.org/events/"));
    stack.stop().await;

    let mut down = container.settings("https://media.example.org");
    down.azure_endpoint = Some("http://127.0.0.1:9/devstoreaccount1".into());
    let stack = Stack::start_with(SharedClock::system(), |s| s.media = down).await;
    stack.group("cabin", "board").await;
    let organizer = stack.person("olga").await;
    stack.join(organizer.id, "cabin", "member").await;
    let edge = Edge::start(&stack);
    let event = stack.event(&organizer.token, open_event("cabin", 10)).await;
    let path = format!("/events/{}/image", event["id"].as_str().unwrap());
    let answer = edge
        .upload(
            &path,
            &organizer.token,
            "c.jpg",
            "image/jpeg",
            &photo(400, 300),
        )
        .await;
    assert_eq!(answer.status(), 503);
    assert!(answer.headers().contains_key("retry-after"));
    let shown = json(
        edge.api(
            Method::GET,
            &format!("/events/{}", event["id"].as_str().unwrap()),
            &organizer.token,
        )
        .send()
        .await
        .unwrap(),
        200,
    )
    .await;
    assert!(shown["image"].is_null(), "{shown}");
    assert_eq!(container.blob_count(), 3, "the first stack's files only");
    stack.stop().await;
}

/// events sweeps its kind of the store: a file nothing refers to goes (here
/// after a second's grace, long enough for an upload to write its row), an
/// event's image stays.
#[tokio::test]
async fn files_nothing_refers_to_are_swept() {
    let stack = Stack::start_with(SharedClock::system(), |s| {
        s.media.sweep_every = std::time::Duration::from_millis(100);
        s.media.sweep_grace = std::time::Duration::from_secs(1);
    })
    .await;
    stack.group("cabin", "board").await;
    let organizer = stack.person("olga").await;
    stack.join(organizer.id, "cabin", "member").await;
    let edge = Edge::start(&stack);
    let event = stack.event(&organizer.token, open_event("cabin", 10)).await;
    let path = format!("/events/{}/image", event["id"].as_str().unwrap());
    json(
        edge.upload(
            &path,
            &organizer.token,
            "c.jpg",
            "image/jpeg",
            &photo(500, 300),
        )
        .await,
        200,
    )
    .await;
    let store = common::media::MediaStore::open(&stack.settings.media).unwrap();
    let orphan =
        common::media::MediaKey::folder("events").file("original", common::media::MediaType::Jpeg);
    store.put(&orphan, photo(10, 10)).await.unwrap();
    assert_eq!(stack.stored_files().len(), 3);
    let folder = stack.media_folder().unwrap();
    let orphan_path = folder.join(orphan.as_str());
    testkit::eventually("the sweep deletes the orphan", move || {
        let gone = !orphan_path.exists();
        async move { gone }
    })
    .await;
    assert_eq!(stack.stored_files().len(), 2, "the event's image stays");
    stack.stop().await;
}
