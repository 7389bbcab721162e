//! The image pipeline every upload goes through: accepted by its content
//! (magic bytes: JPEG, PNG, WebP, GIF; never by name or declared type),
//! decoded within limits (a decompression bomb is a 422, never an
//! out-of-memory), turned upright from its EXIF orientation and re-encoded,
//! which drops every metadata (EXIF, GPS included), in display sizes plus the
//! re-encoded original. Decoding runs off the async executor, at most
//! `concurrency` at once, so uploads cannot starve other requests.

use std::io::{BufRead, Cursor, Read, Seek, SeekFrom};
use std::sync::Arc;

use actix_web::http::StatusCode;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits};
use tokio::sync::Semaphore;

use crate::media::{MediaError, MediaFolder, MediaKey, MediaStore, MediaType};
use crate::ApiError;

/// The largest image upload, in bytes (nginx refuses larger bodies first).
pub const MAX_IMAGE_BYTES: usize = 20 * 1024 * 1024;
/// The widest or tallest image decoded, in pixels.
pub const MAX_SIDE: u32 = 16_384;
/// The most memory one decode may allocate (a 12-megapixel photo needs 36 MB).
pub const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;
/// The display widths stored besides the original (never wider than it).
pub const DISPLAY_WIDTHS: [u32; 2] = [320, 1280];
const JPEG_QUALITY: u8 = 85;

/// What the accepted types are, for the 415 answer.
const ACCEPTED: &str = "JPEG, PNG, WebP or GIF";

/// Why an upload is not an image the platform keeps.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImageError {
    /// Not one of the accepted types (what it looks like, if known).
    #[error("not an accepted image ({0}): send {ACCEPTED}")]
    Unsupported(&'static str),
    #[error("the file is larger than {} MB", MAX_IMAGE_BYTES / 1024 / 1024)]
    TooLarge,
    /// Declares more pixels or needs more memory than allowed.
    #[error(
        "the image is too large to decode: at most {MAX_SIDE} pixels a side and {} megapixels",
        MAX_DECODE_BYTES / 4 / 1_000_000
    )]
    TooManyPixels,
    /// Its type is right but its content is broken or truncated.
    #[error("the image cannot be read: {0}")]
    Broken(String),
}

impl From<ImageError> for ApiError {
    fn from(e: ImageError) -> Self {
        let status = match e {
            ImageError::Unsupported(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ImageError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ImageError::TooManyPixels | ImageError::Broken(_) => StatusCode::UNPROCESSABLE_ENTITY,
        };
        ApiError::new(status, e.to_string())
    }
}

/// The type an upload's first bytes show, or what it seems to be instead.
pub fn sniff(head: &[u8]) -> Result<MediaType, ImageError> {
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(MediaType::Jpeg);
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(MediaType::Png);
    }
    if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        return Ok(MediaType::Gif);
    }
    if head.len() >= 12 && head.starts_with(b"RIFF") && &head[8..12] == b"WEBP" {
        return Ok(MediaType::Webp);
    }
    let text = String::from_utf8_lossy(&head[..head.len().min(512)]).to_ascii_lowercase();
    let seems = if text.contains("<svg") {
        "SVG"
    } else if text.contains("<html") || text.contains("<!doctype") || text.contains("<script") {
        "HTML"
    } else if head.starts_with(b"%PDF") {
        "PDF"
    } else if head.is_empty() {
        "empty"
    } else {
        "unknown type"
    };
    Err(ImageError::Unsupported(seems))
}

/// One stored size of an image.
#[derive(Debug, Clone)]
pub struct Rendition {
    /// `original`, `w320`, `w1280`.
    pub name: String,
    pub width: u32,
    pub height: u32,
    pub kind: MediaType,
    pub bytes: Vec<u8>,
}

/// An upload turned into what is stored: the upright, re-encoded original
/// and its display sizes.
#[derive(Debug, Clone)]
pub struct Processed {
    pub renditions: Vec<Rendition>,
}

/// Decodes, turns upright and re-encodes `bytes` (CPU work: call it off the
/// executor, as [`ImagePipeline::process_file`] does).
pub fn process(bytes: &[u8]) -> Result<Processed, ImageError> {
    process_from(Cursor::new(bytes), bytes.len() as u64)
}

/// [`process`] of a file on disk, read as it is decoded (never whole).
pub fn process_file(path: &std::path::Path) -> Result<Processed, ImageError> {
    let unreadable = |e: std::io::Error| ImageError::Broken(format!("cannot read the upload: {e}"));
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let len = file.metadata().map_err(unreadable)?.len();
    process_from(std::io::BufReader::new(file), len)
}

fn process_from<R: BufRead + Seek>(mut input: R, len: u64) -> Result<Processed, ImageError> {
    if len > MAX_IMAGE_BYTES as u64 {
        return Err(ImageError::TooLarge);
    }
    let unreadable = |e: std::io::Error| ImageError::Broken(format!("cannot read the upload: {e}"));
    let mut head = Vec::with_capacity(512);
    input
        .by_ref()
        .take(512)
        .read_to_end(&mut head)
        .map_err(unreadable)?;
    input.seek(SeekFrom::Start(0)).map_err(unreadable)?;
    let source = sniff(&head)?;
    let mut reader = ImageReader::new(input);
    reader.set_format(match source {
        MediaType::Jpeg => image::ImageFormat::Jpeg,
        MediaType::Png => image::ImageFormat::Png,
        MediaType::Gif => image::ImageFormat::Gif,
        MediaType::Webp => image::ImageFormat::WebP,
    });
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(decode_error)?;
    // The decoder's own limits check sides; the whole buffer is checked here,
    // before a byte of it is allocated.
    if decoder.total_bytes() > MAX_DECODE_BYTES {
        return Err(ImageError::TooManyPixels);
    }
    let orientation = decoder.orientation().map_err(decode_error)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(decode_error)?;
    image.apply_orientation(orientation);
    // Transparency needs PNG; everything else is a photo as far as we know.
    let kind = if image.color().has_alpha() {
        MediaType::Png
    } else {
        MediaType::Jpeg
    };
    let mut renditions = vec![encode("original", &image, kind)?];
    for width in DISPLAY_WIDTHS {
        if width < image.width() {
            let smaller = image.thumbnail(width, MAX_SIDE);
            renditions.push(encode(&format!("w{width}"), &smaller, kind)?);
        }
    }
    Ok(Processed { renditions })
}

fn decode_error(e: image::ImageError) -> ImageError {
    match e {
        image::ImageError::Limits(_) => ImageError::TooManyPixels,
        image::ImageError::Unsupported(u) => ImageError::Broken(u.to_string()),
        other => ImageError::Broken(other.to_string()),
    }
}

fn encode(name: &str, image: &DynamicImage, kind: MediaType) -> Result<Rendition, ImageError> {
    let mut bytes = Vec::new();
    let written = match kind {
        MediaType::Png => image.write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png),
        _ => {
            let rgb = image.to_rgb8();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY)
                .encode_image(&rgb)
        }
    };
    written.map_err(|e| ImageError::Broken(format!("cannot re-encode: {e}")))?;
    Ok(Rendition {
        name: name.to_owned(),
        width: image.width(),
        height: image.height(),
        kind,
        bytes,
    })
}

/// The pipeline with its bound on concurrent decoding.
#[derive(Clone)]
pub struct ImagePipeline {
    permits: Arc<Semaphore>,
    /// Where uploads wait on disk while they are received and decoded.
    scratch: std::path::PathBuf,
}

impl ImagePipeline {
    /// At most `concurrency` (at least 1) decodes at once; uploads wait in
    /// the system's temporary folder.
    pub fn new(concurrency: usize) -> Self {
        Self::with_scratch(concurrency, std::env::temp_dir())
    }

    /// [`ImagePipeline::new`] with uploads waiting in `scratch`.
    pub fn with_scratch(concurrency: usize, scratch: std::path::PathBuf) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            scratch,
        }
    }

    /// Where uploads wait while received and decoded.
    pub fn scratch(&self) -> &std::path::Path {
        &self.scratch
    }

    /// [`process`], on the blocking pool, waiting for a free decoding slot.
    pub async fn process(&self, bytes: Vec<u8>) -> Result<Processed, ApiError> {
        self.off_the_executor(move || process(&bytes)).await
    }

    /// [`process_file`], on the blocking pool, waiting for a free slot.
    pub async fn process_file(&self, path: std::path::PathBuf) -> Result<Processed, ApiError> {
        self.off_the_executor(move || process_file(&path)).await
    }

    async fn off_the_executor(
        &self,
        work: impl FnOnce() -> Result<Processed, ImageError> + Send + 'static,
    ) -> Result<Processed, ApiError> {
        let _permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| ApiError::unavailable("image processing is shutting down"))?;
        let done = tokio::task::spawn_blocking(work)
            .await
            .map_err(ApiError::internal)?;
        Ok(done?)
    }
}

/// The stored files of one image.
#[derive(Debug, Clone)]
pub struct StoredImage {
    /// (name, key, width, height) per rendition, original first.
    pub files: Vec<(String, MediaKey, u32, u32)>,
}

impl StoredImage {
    pub fn keys(&self) -> impl Iterator<Item = &MediaKey> {
        self.files.iter().map(|(_, key, _, _)| key)
    }
}

/// Stores every rendition under a fresh folder of `kind`; if one fails, the
/// ones already stored are deleted again, so nothing is left behind.
pub async fn store(
    store: &MediaStore,
    kind: &str,
    processed: Processed,
) -> Result<StoredImage, MediaError> {
    let folder: MediaFolder = MediaKey::folder(kind);
    let mut files = Vec::new();
    for rendition in processed.renditions {
        let key = folder.file(&rendition.name, rendition.kind);
        if let Err(e) = store.put(&key, rendition.bytes).await {
            for (_, stored, _, _) in &files {
                let _ = store.delete(stored).await;
            }
            return Err(e);
        }
        files.push((rendition.name, key, rendition.width, rendition.height));
    }
    Ok(StoredImage { files })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_told_by_their_bytes() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest"), Ok(MediaType::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Ok(MediaType::Png));
        assert_eq!(sniff(b"GIF89a...."), Ok(MediaType::Gif));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Ok(MediaType::Webp));
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?><svg onload=\"alert(1)\">"),
            Err(ImageError::Unsupported("SVG"))
        );
        assert_eq!(
            sniff(b"<!DOCTYPE html><script>alert(1)</script>"),
            Err(ImageError::Unsupported("HTML"))
        );
        assert_eq!(sniff(b""), Err(ImageError::Unsupported("empty")));
        assert_eq!(
            sniff(b"RIFF\0\0\0\0WAVE"),
            Err(ImageError::Unsupported("unknown type"))
        );
    }
}

/// One stored size of an image, as a resource keeps it (JSON in its row).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ImageFile {
    /// `original`, `w320`, `w1280`.
    pub name: String,
    /// Its key in the store (never shown).
    pub key: String,
    pub url: String,
    pub width: u32,
    pub height: u32,
}

/// The image a resource (an event, an article) has.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ImageRecord {
    pub files: Vec<ImageFile>,
}

impl ImageRecord {
    /// The record of what `stored` put into `media`.
    pub fn of(media: &MediaStore, stored: &StoredImage) -> Self {
        Self {
            files: stored
                .files
                .iter()
                .map(|(name, key, width, height)| ImageFile {
                    name: name.clone(),
                    key: key.as_str().to_owned(),
                    url: media.url(key),
                    width: *width,
                    height: *height,
                })
                .collect(),
        }
    }

    /// A record read back from a row (none if absent or malformed).
    pub fn from_json(value: Option<&serde_json::Value>) -> Option<Self> {
        value.and_then(|v| serde_json::from_value(v.clone()).ok())
    }

    /// The records of rows' image columns (malformed ones left out).
    pub fn from_rows(rows: &[serde_json::Value]) -> Vec<Self> {
        rows.iter()
            .filter_map(|row| Self::from_json(Some(row)))
            .collect()
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    /// The size pages show: 1280 wide, or the original when it is smaller.
    pub fn display_url(&self) -> String {
        self.files
            .iter()
            .find(|f| f.name == "w1280")
            .or_else(|| self.files.first())
            .map(|f| f.url.clone())
            .unwrap_or_default()
    }

    /// The keys of its files (only well-formed ones: a row never names
    /// anything else to delete).
    pub fn keys(&self) -> Vec<MediaKey> {
        self.files
            .iter()
            .filter_map(|f| MediaKey::parse(&f.key))
            .collect()
    }

    pub fn view(&self) -> ImageView {
        ImageView {
            sizes: self
                .files
                .iter()
                .map(|f| ImageSize {
                    name: f.name.clone(),
                    url: f.url.clone(),
                    width: f.width,
                    height: f.height,
                })
                .collect(),
        }
    }
}

/// An image as clients see it: its sizes with their URLs.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ImageView {
    /// The re-encoded original first, then display widths (320, 1280) up
    /// to the original's.
    pub sizes: Vec<ImageSize>,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ImageSize {
    /// `original`, `w320` or `w1280`.
    pub name: String,
    pub url: String,
    pub width: u32,
    pub height: u32,
}

/// Deletes the files of `record`, logging (not failing on) what the store
/// refuses: the sweep job finds what is left.
pub async fn delete_files(media: &MediaStore, record: &ImageRecord) {
    for key in record.keys() {
        if let Err(e) = media.delete(&key).await {
            tracing::warn!(key = %key, error = %e, "could not delete an image file");
        }
    }
}

/// Receives, processes and stores an uploaded image under `kind`: the
/// whole upload pipeline of one request. Nothing is left in the store when
/// it fails.
pub async fn upload(
    form: actix_multipart::Multipart,
    pipeline: &ImagePipeline,
    media: &MediaStore,
    kind: &str,
) -> Result<ImageRecord, ApiError> {
    let received = crate::upload::receive(form, MAX_IMAGE_BYTES, pipeline.scratch()).await?;
    let processed = pipeline.process_file(received.path().to_path_buf()).await?;
    drop(received);
    let stored = store(media, kind, processed).await?;
    Ok(ImageRecord::of(media, &stored))
}

/// A `multipart/form-data` upload of one image, for the API documents
/// (`deny_unknown_fields` says no other field is taken, as `upload` refuses).
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ImageUpload {
    /// JPEG, PNG, WebP or GIF, at most 20 MB.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// Serializes a row's image record as its [`ImageView`] (for `serde(serialize_with)`).
pub fn serialize_view<S: serde::Serializer>(
    value: &Option<serde_json::Value>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::Serialize;
    ImageRecord::from_json(value.as_ref())
        .map(|r| r.view())
        .serialize(serializer)
}

/// The folder (`<kind>/<random>`) of a stored file's key.
fn folder_of(key: &str) -> &str {
    key.rsplit_once('/').map_or(key, |(folder, _)| folder)
}

/// The folders of `records`' files: what a sweep must keep.
pub fn folders_in_use<'a>(
    records: impl IntoIterator<Item = &'a ImageRecord>,
) -> std::collections::HashSet<String> {
    records
        .into_iter()
        .flat_map(|r| r.files.iter().map(|f| folder_of(&f.key).to_owned()))
        .collect()
}

/// Deletes the files of `kind` whose folder no row refers to (`in_use`) and
/// that are older than `grace` (an upload writes its files before its row):
/// what a crash or a store that refused a delete left behind. How many.
pub async fn sweep(
    media: &MediaStore,
    kind: &str,
    in_use: &std::collections::HashSet<String>,
    grace: std::time::Duration,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<usize, MediaError> {
    let cutoff = now - chrono::Duration::from_std(grace).unwrap_or(chrono::Duration::hours(1));
    let mut swept = 0;
    for (key, written) in media.list(kind).await? {
        if written >= cutoff || in_use.contains(folder_of(&key)) {
            continue;
        }
        // Only keys of the platform's shape are ever deleted.
        if let Some(key) = MediaKey::parse(&key) {
            media.delete(&key).await?;
            swept += 1;
        }
    }
    Ok(swept)
}

/// Sweeps `kind` every `every` until `shutdown`; `in_use` reads the records
/// the service's rows hold. Several instances may sweep at once: deleting a
/// file twice is no error.
pub async fn run_sweeper<F, Fut>(
    media: MediaStore,
    kind: &'static str,
    every: std::time::Duration,
    grace: std::time::Duration,
    in_use: F,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<Vec<ImageRecord>, ApiError>>,
{
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => return,
        }
        let records = match in_use().await {
            Ok(records) => records,
            Err(e) => {
                tracing::warn!(kind, error = %e.detail, "media sweep: cannot read the images in use");
                continue;
            }
        };
        let folders = folders_in_use(&records);
        match sweep(&media, kind, &folders, grace, chrono::Utc::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(
                kind,
                swept = n,
                "media sweep: deleted files nothing refers to"
            ),
            Err(e) => tracing::warn!(kind, error = %e, "media sweep failed"),
        }
    }
}

/// Ends an upload once its row was saved (or not): on success the image it
/// replaced (`saved` holds the row's record before) loses its files; on
/// failure the new files go again, so the store holds only what rows name.
pub async fn settle(
    media: &MediaStore,
    uploaded: &ImageRecord,
    saved: Result<Option<serde_json::Value>, ApiError>,
) -> Result<(), ApiError> {
    match saved {
        Ok(before) => {
            if let Some(before) = ImageRecord::from_json(before.as_ref()) {
                delete_files(media, &before).await;
            }
            Ok(())
        }
        Err(e) => {
            delete_files(media, uploaded).await;
            Err(e)
        }
    }
}
