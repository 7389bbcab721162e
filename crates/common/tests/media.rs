//! The file store against real backends: a folder on local disk and Azure
//! Blob Storage (Azurite, a container per test). Each test leaves nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use common::media::{MediaError, MediaKey, MediaSettings, MediaStore, MediaType};
use testkit::azurite::AzureContainer;

/// What every backend must do: keep bytes under made keys, give them back,
/// say a missing one is missing, delete (twice is fine), name public URLs.
async fn behaves_as_a_store(store: &MediaStore) {
    let folder = MediaKey::folder("events");
    let original = folder.file("original", MediaType::Jpeg);
    let small = folder.file("w320", MediaType::Webp);
    let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    store.put(&original, bytes.clone()).await.unwrap();
    store.put(&small, b"small".to_vec()).await.unwrap();
    assert_eq!(store.get(&original).await.unwrap(), bytes);
    assert_eq!(store.get(&small).await.unwrap(), b"small");
    // Replacing keeps one file.
    store.put(&small, b"smaller".to_vec()).await.unwrap();
    assert_eq!(store.get(&small).await.unwrap(), b"smaller");
    assert_eq!(
        store.url(&small),
        format!("https://media.example.org/{}", small.as_str())
    );
    store.delete(&original).await.unwrap();
    store.delete(&small).await.unwrap();
    store.delete(&small).await.unwrap();
    assert!(matches!(
        store.get(&original).await,
        Err(MediaError::NotFound)
    ));
}

#[tokio::test]
async fn local_disk_keeps_files_under_its_folder() {
    let folder = std::env::temp_dir().join(format!("media-test-{}", uuid::Uuid::new_v4()));
    let store =
        MediaStore::open(&MediaSettings::local(&folder, "https://media.example.org/")).unwrap();
    behaves_as_a_store(&store).await;
    let key = MediaKey::folder("news").file("w1280", MediaType::Png);
    store.put(&key, b"png".to_vec()).await.unwrap();
    // nginx serves the folder as it is: the key is the path.
    assert_eq!(std::fs::read(folder.join(key.as_str())).unwrap(), b"png");
    std::fs::remove_dir_all(&folder).unwrap();
}

#[tokio::test]
async fn azure_blob_storage_keeps_files_with_their_type() {
    let container = AzureContainer::create();
    let store = MediaStore::open(&container.settings("https://media.example.org")).unwrap();
    behaves_as_a_store(&store).await;
    let key = MediaKey::folder("events").file("w1280", MediaType::Webp);
    store.put(&key, b"webp".to_vec()).await.unwrap();
    // Served straight from the store (or a CDN), so the store keeps the type.
    assert_eq!(
        store.content_type(&key).await.unwrap().as_deref(),
        Some("image/webp")
    );
    assert_eq!(container.blob_count(), 1);
    store.delete(&key).await.unwrap();
    assert_eq!(container.blob_count(), 0);
}

/// A store that does not answer is `Unavailable` (503 with Retry-After to the
/// client) within seconds, not a hang and not a 500.
#[tokio::test]
async fn a_store_that_is_down_is_unavailable_soon() {
    let container = AzureContainer::create();
    let mut settings = container.settings("https://media.example.org");
    settings.azure_endpoint = Some("http://127.0.0.1:9/devstoreaccount1".to_owned());
    let store = MediaStore::open(&settings).unwrap();
    let key = MediaKey::folder("events").file("original", MediaType::Jpeg);
    let started = std::time::Instant::now();
    let refused = store.put(&key, b"x".to_vec()).await.unwrap_err();
    assert!(matches!(refused, MediaError::Unavailable(_)), "{refused:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(15));
    let answer = common::ApiError::from(refused);
    assert_eq!(answer.status.as_u16(), 503);
    assert_eq!(answer.retry_after, Some(1));
    assert!(
        !answer.detail.contains("127.0.0.1"),
        "nothing internal: {}",
        answer.detail
    );
}

/// A processed photo goes into one fresh folder of the store, every size.
#[tokio::test]
async fn an_image_is_stored_in_all_its_sizes_under_one_folder() {
    let container = AzureContainer::create();
    let store = MediaStore::open(&container.settings("https://media.example.org")).unwrap();
    let photo = image::RgbImage::from_fn(1600, 900, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 0])
    });
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new(&mut bytes)
        .encode_image(&photo)
        .unwrap();
    let processed = common::images::process(&bytes).unwrap();
    let stored = common::images::store(&store, "events", processed)
        .await
        .unwrap();
    let names: Vec<&str> = stored
        .files
        .iter()
        .map(|(name, ..)| name.as_str())
        .collect();
    assert_eq!(names, ["original", "w320", "w1280"]);
    let folders: std::collections::HashSet<&str> = stored
        .keys()
        .map(|k| k.as_str().rsplit_once('/').unwrap().0)
        .collect();
    assert_eq!(folders.len(), 1);
    assert_eq!(container.blob_count(), 3);
    for key in stored.keys() {
        assert_eq!(
            store.content_type(key).await.unwrap().as_deref(),
            Some("image/jpeg")
        );
        store.delete(key).await.unwrap();
    }
    assert_eq!(container.blob_count(), 0);
}

/// The sweep deletes only files whose folder no row refers to, only once
/// they are older than the grace period.
#[tokio::test]
async fn the_sweep_takes_only_old_files_nothing_refers_to() {
    use common::images::{folders_in_use, sweep, ImageRecord, StoredImage};
    let container = AzureContainer::create();
    let store = MediaStore::open(&container.settings("https://media.example.org")).unwrap();
    let photo = image::RgbImage::from_fn(700, 400, |x, _| image::Rgb([(x % 256) as u8, 0, 0]));
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new(&mut bytes)
        .encode_image(&photo)
        .unwrap();
    let kept: StoredImage =
        common::images::store(&store, "events", common::images::process(&bytes).unwrap())
            .await
            .unwrap();
    let orphan = common::images::store(&store, "events", common::images::process(&bytes).unwrap())
        .await
        .unwrap();
    let other_kind = MediaKey::folder("news").file("original", MediaType::Jpeg);
    store.put(&other_kind, b"x".to_vec()).await.unwrap();
    assert_eq!(container.blob_count(), 5);
    let in_use = folders_in_use([&ImageRecord::of(&store, &kept)]);
    let now = chrono::Utc::now();
    // Fresh files are an upload in progress: left alone.
    let hour = std::time::Duration::from_secs(3600);
    assert_eq!(
        sweep(&store, "events", &in_use, hour, now).await.unwrap(),
        0
    );
    // Past the grace period, only the orphan's files go; news is not ours.
    let later = now + chrono::Duration::hours(2);
    assert_eq!(
        sweep(&store, "events", &in_use, hour, later).await.unwrap(),
        2
    );
    assert_eq!(container.blob_count(), 3);
    for key in orphan.keys() {
        assert!(matches!(store.get(key).await, Err(MediaError::NotFound)));
    }
    for key in kept.keys() {
        store.get(key).await.unwrap();
        store.delete(key).await.unwrap();
    }
    store.delete(&other_kind).await.unwrap();
}
