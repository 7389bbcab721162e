//! Receiving a file upload: a `multipart/form-data` body whose one field
//! `file` is streamed to a temporary file as it arrives (never held whole in
//! memory), up to a limit. A body cut off midway, a second file or an
//! unknown field is refused and leaves nothing behind: the temporary file is
//! removed when the upload is dropped.

use std::path::{Path, PathBuf};

use actix_multipart::Multipart;
use futures_util::TryStreamExt;
use tokio::io::AsyncWriteExt;

use crate::ApiError;

/// The one form field an upload carries.
pub const FILE_FIELD: &str = "file";

/// A received file, on disk until dropped.
#[derive(Debug)]
pub struct Upload {
    path: PathBuf,
    pub len: u64,
}

impl Upload {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Streams the `file` field of `form` to a temporary file; 413 past
/// `max_bytes`, 400 for a broken or cut-off body or a field other than
/// `file`, 422 without a file.
pub async fn receive(
    mut form: Multipart,
    max_bytes: usize,
    scratch: &Path,
) -> Result<Upload, ApiError> {
    let mut upload: Option<Upload> = None;
    while let Some(mut field) = form.try_next().await.map_err(broken)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name != FILE_FIELD {
            return Err(ApiError::bad_request(format!(
                "unknown form field {name:?}: send the image as the one field {FILE_FIELD:?}"
            )));
        }
        if upload.is_some() {
            return Err(ApiError::bad_request(format!(
                "more than one {FILE_FIELD:?} field: send one image"
            )));
        }
        let received = Upload {
            path: scratch.join(format!("upload-{}", uuid::Uuid::new_v4().simple())),
            len: 0,
        };
        let mut file = tokio::fs::File::create(&received.path)
            .await
            .map_err(ApiError::internal)?;
        let mut received = received;
        while let Some(chunk) = field.try_next().await.map_err(broken)? {
            received.len += chunk.len() as u64;
            if received.len > max_bytes as u64 {
                return Err(ApiError::new(
                    actix_web::http::StatusCode::PAYLOAD_TOO_LARGE,
                    format!("the file is larger than {} MB", max_bytes / 1024 / 1024),
                ));
            }
            file.write_all(&chunk).await.map_err(ApiError::internal)?;
        }
        file.flush().await.map_err(ApiError::internal)?;
        upload = Some(received);
    }
    upload.ok_or_else(|| {
        ApiError::field(
            FILE_FIELD,
            "no file: send the image as multipart/form-data field \"file\"",
        )
    })
}

fn broken(e: actix_multipart::MultipartError) -> ApiError {
    ApiError::bad_request(format!(
        "the upload is not complete multipart/form-data ({e}); send it again"
    ))
}
