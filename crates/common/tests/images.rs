//! The image pipeline against what an attacker (or a careless phone) sends:
//! script in SVG, HTML named .jpg, decompression bombs, EXIF with GPS,
//! truncated files, a 60 MB body; and what a member sends, a 12-megapixel
//! photo taken sideways.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Cursor;

use common::images::{process, sniff, ImageError, ImagePipeline, MAX_SIDE};
use common::media::MediaType;
use image::{DynamicImage, ImageDecoder, ImageReader, Rgb, RgbImage, Rgba, RgbaImage};

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    });
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90)
        .encode_image(&image)
        .unwrap();
    bytes
}

fn png_with_alpha(width: u32, height: u32) -> Vec<u8> {
    let image = RgbaImage::from_fn(width, height, |x, _| Rgba([200, 10, 10, (x % 256) as u8]));
    let mut bytes = Vec::new();
    DynamicImage::ImageRgba8(image)
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    bytes
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
    out
}

/// A few hundred bytes that declare a `width` x `height` RGBA image.
fn png_declaring(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &ihdr));
    // A tiny deflate stream of zeros (all a bomb needs to start inflating).
    png.extend(chunk(
        b"IDAT",
        &[0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01],
    ));
    png.extend(chunk(b"IEND", &[]));
    png
}

/// An APP1 EXIF segment: orientation 6 (turn 90° clockwise) and a GPS
/// latitude reference with a marker string.
fn exif_segment() -> Vec<u8> {
    let mut tiff = b"II\x2A\x00\x08\x00\x00\x00".to_vec();
    // IFD0: two entries.
    tiff.extend_from_slice(&2u16.to_le_bytes());
    tiff.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]);
    let gps_at: u32 = 8 + 2 + 2 * 12 + 4;
    tiff.extend_from_slice(&[0x25, 0x88, 4, 0, 1, 0, 0, 0]);
    tiff.extend_from_slice(&gps_at.to_le_bytes());
    tiff.extend_from_slice(&0u32.to_le_bytes());
    // GPS IFD: GPSLatitudeRef, pointing at "SECRET-GPS-59N".
    let text = b"SECRET-GPS-59N\0";
    let text_at: u32 = gps_at + 2 + 12 + 4;
    tiff.extend_from_slice(&1u16.to_le_bytes());
    tiff.extend_from_slice(&[0x01, 0x00, 2, 0]);
    tiff.extend_from_slice(&(text.len() as u32).to_le_bytes());
    tiff.extend_from_slice(&text_at.to_le_bytes());
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(text);
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend(tiff);
    let mut segment = vec![0xFF, 0xE1];
    segment.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    segment.extend(payload);
    segment
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn dimensions(bytes: &[u8]) -> (u32, u32) {
    ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .unwrap()
        .into_dimensions()
        .unwrap()
}

#[test]
fn svg_with_script_and_html_named_jpg_are_refused_by_content() {
    let svg = br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="fetch('/v1/me')"><script>alert(1)</script></svg>"#;
    assert_eq!(process(svg).unwrap_err(), ImageError::Unsupported("SVG"));
    // A page saved as photo.jpg and declared image/jpeg: its bytes tell.
    let html = b"<!DOCTYPE html><html><body><script>document.cookie</script></body></html>";
    let refused = process(html).unwrap_err();
    assert_eq!(refused, ImageError::Unsupported("HTML"));
    let answer = common::ApiError::from(refused);
    assert_eq!(answer.status.as_u16(), 415);
    assert!(
        answer.detail.contains("JPEG, PNG, WebP or GIF"),
        "{}",
        answer.detail
    );
}

#[test]
fn decompression_bombs_are_a_422_before_any_allocation() {
    for (width, height) in [(100_000, 100_000), (MAX_SIDE + 1, 10), (16_000, 16_000)] {
        let bomb = png_declaring(width, height);
        assert!(bomb.len() < 200);
        let refused = process(&bomb).unwrap_err();
        assert_eq!(refused, ImageError::TooManyPixels, "{width}x{height}");
        assert_eq!(common::ApiError::from(refused).status.as_u16(), 422);
    }
}

#[test]
fn exif_is_dropped_gps_included_and_the_photo_turned_upright() {
    let plain = jpeg(400, 200);
    let mut with_exif = plain[..2].to_vec();
    with_exif.extend(exif_segment());
    with_exif.extend_from_slice(&plain[2..]);
    assert!(contains(&with_exif, b"SECRET-GPS-59N"));
    let processed = process(&with_exif).unwrap();
    let original = &processed.renditions[0];
    assert_eq!(original.name, "original");
    // Orientation 6: the sideways 400x200 photo stands upright as 200x400.
    assert_eq!((original.width, original.height), (200, 400));
    for rendition in &processed.renditions {
        assert!(!contains(&rendition.bytes, b"Exif"), "{}", rendition.name);
        assert!(
            !contains(&rendition.bytes, b"SECRET-GPS"),
            "{}",
            rendition.name
        );
        let mut decoder = ImageReader::new(Cursor::new(&rendition.bytes))
            .with_guessed_format()
            .unwrap()
            .into_decoder()
            .unwrap();
        assert_eq!(
            decoder.orientation().unwrap(),
            image::metadata::Orientation::NoTransforms
        );
    }
}

#[test]
fn truncated_and_oversized_files_are_refused_whole() {
    let png = png_with_alpha(300, 300);
    let refused = process(&png[..png.len() / 2]).unwrap_err();
    assert!(matches!(refused, ImageError::Broken(_)), "{refused:?}");
    assert_eq!(common::ApiError::from(refused).status.as_u16(), 422);
    let mut sixty = jpeg(16, 16);
    sixty.resize(60 * 1024 * 1024, 0);
    let refused = process(&sixty).unwrap_err();
    assert_eq!(refused, ImageError::TooLarge);
    assert_eq!(common::ApiError::from(refused).status.as_u16(), 413);
}

#[tokio::test]
async fn a_12_megapixel_photo_is_stored_in_display_sizes_off_the_executor() {
    let pipeline = ImagePipeline::new(1);
    let photo = jpeg(4000, 3000);
    let processed = pipeline.process(photo).await.unwrap();
    let sizes: Vec<(&str, u32, u32, MediaType)> = processed
        .renditions
        .iter()
        .map(|r| (r.name.as_str(), r.width, r.height, r.kind))
        .collect();
    assert_eq!(
        sizes,
        [
            ("original", 4000, 3000, MediaType::Jpeg),
            ("w320", 320, 240, MediaType::Jpeg),
            ("w1280", 1280, 960, MediaType::Jpeg),
        ]
    );
    for rendition in &processed.renditions {
        assert_eq!(sniff(&rendition.bytes), Ok(MediaType::Jpeg));
        assert_eq!(
            dimensions(&rendition.bytes),
            (rendition.width, rendition.height)
        );
    }
    // Transparency stays: PNG; and nothing is made wider than the original.
    let logo = pipeline.process(png_with_alpha(600, 300)).await.unwrap();
    let names: Vec<(&str, MediaType)> = logo
        .renditions
        .iter()
        .map(|r| (r.name.as_str(), r.kind))
        .collect();
    assert_eq!(
        names,
        [("original", MediaType::Png), ("w320", MediaType::Png)]
    );
}
