//! Writes a photo-like JPEG of WIDTH x HEIGHT to stdout (gradients with
//! noise, so it compresses and decodes like a camera's picture, not like a
//! flat colour): the upload of bench/media.sh.
//! Usage: photo WIDTH HEIGHT > photo.jpg
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;

fn main() {
    let args: Vec<u32> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("WIDTH HEIGHT"))
        .collect();
    let (width, height) = (args[0], args[1]);
    let mut seed: u32 = 0x9E37_79B9;
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let noise = (seed % 24) as i32 - 12;
        let channel = |base: u32| (base as i32 + noise).clamp(0, 255) as u8;
        image::Rgb([
            channel(x * 255 / width),
            channel(y * 255 / height),
            channel(((x + y) / 7) % 256),
        ])
    });
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 92)
        .encode_image(&image)
        .unwrap();
    std::io::stdout().write_all(&bytes).unwrap();
}
