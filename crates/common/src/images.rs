//! The image pipeline every upload goes through: accepted by its content
//! (magic bytes: JPEG, PNG, WebP, GIF; never by name or declared type),
//! decoded within limits (a decompression bomb is a 422, never an
//! out-of-memory), turned upright from its EXIF orientation and re-encoded,
//! which drops every metadata (EXIF, GPS included), in display sizes plus the
//! re-encoded original. Decoding runs off the async executor, at most
//! `concurrency` at once, so uploads cannot starve other requests.

use std::io::Cursor;
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
/// executor, as [`ImagePipeline::process`] does).
pub fn process(bytes: &[u8]) -> Result<Processed, ImageError> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(ImageError::TooLarge);
    }
    let source = sniff(bytes)?;
    let mut reader = ImageReader::new(Cursor::new(bytes));
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
}

impl ImagePipeline {
    /// At most `concurrency` (at least 1) decodes at once.
    pub fn new(concurrency: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
        }
    }

    /// [`process`], on the blocking pool, waiting for a free decoding slot.
    pub async fn process(&self, bytes: Vec<u8>) -> Result<Processed, ApiError> {
        let _permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| ApiError::unavailable("image processing is shutting down"))?;
        let done = tokio::task::spawn_blocking(move || process(&bytes))
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
