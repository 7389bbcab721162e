//! The one file store every service shares: local disk, Azure Blob Storage or
//! S3 behind `object_store`, chosen by `MEDIA_STORE`. Keys are made here
//! (random, never a client's file name) and end in the file's true type, so
//! whoever serves them (nginx for local disk, the store or a CDN otherwise)
//! can send the right `Content-Type`.

use std::fmt;
use std::sync::Arc;

use object_store::path::Path;
use object_store::{Attribute, Attributes, ObjectStore, ObjectStoreExt, PutOptions, PutPayload};
use secrecy::{ExposeSecret, SecretString};

use crate::settings::{maybe, optional, secret, SettingsError};
use crate::ApiError;

/// Where files are kept and from where they are served.
#[derive(Debug, Clone)]
pub struct MediaSettings {
    /// `MEDIA_STORE`: `file:///var/lib/platform/media`, `az://container` or
    /// `s3://bucket`.
    pub store: String,
    /// `MEDIA_PUBLIC_URL`: the base URL files are served from (nginx's
    /// `media.<BASE_DOMAIN>`, the store's own URL or a CDN in front of it).
    pub public_url: String,
    /// `MEDIA_AZURE_ACCOUNT`, `MEDIA_AZURE_ACCESS_KEY` (or `_FILE`) and,
    /// optionally, `MEDIA_AZURE_ENDPOINT` (Azurite, or another cloud).
    pub azure_account: Option<String>,
    pub azure_access_key: Option<SecretString>,
    pub azure_endpoint: Option<String>,
    /// `MEDIA_S3_REGION`, `MEDIA_S3_ENDPOINT` (optional, for S3-compatible
    /// stores), `MEDIA_S3_ACCESS_KEY_ID` and `MEDIA_S3_SECRET_ACCESS_KEY`
    /// (or `_FILE`).
    pub s3_region: Option<String>,
    pub s3_endpoint: Option<String>,
    pub s3_access_key_id: Option<String>,
    pub s3_secret_access_key: Option<SecretString>,
    /// `MEDIA_UPLOAD_DIR`: where uploads wait on disk while they are
    /// received and decoded (default: the system's temporary folder).
    pub upload_dir: std::path::PathBuf,
    /// `MEDIA_DECODE_CONCURRENCY`: images decoded at once (default: one per
    /// core), so uploads cannot starve other requests.
    pub decode_concurrency: usize,
    /// `MEDIA_SWEEP_EVERY_SECS` (default an hour): how often files nothing
    /// refers to are looked for, and `MEDIA_SWEEP_GRACE_SECS` (default an
    /// hour): how old they must be, so uploads in progress are never taken.
    pub sweep_every: std::time::Duration,
    pub sweep_grace: std::time::Duration,
}

/// The local folder of a fresh install (the compose files mount a volume there).
pub const DEFAULT_STORE: &str = "file:///var/lib/platform/media";

impl MediaSettings {
    pub fn from_env() -> Result<Self, SettingsError> {
        Ok(Self {
            store: optional("MEDIA_STORE", DEFAULT_STORE.to_owned())?,
            public_url: optional("MEDIA_PUBLIC_URL", "http://media.localhost:8080".to_owned())?,
            azure_account: maybe("MEDIA_AZURE_ACCOUNT")?,
            azure_access_key: secret("MEDIA_AZURE_ACCESS_KEY")?,
            azure_endpoint: maybe("MEDIA_AZURE_ENDPOINT")?,
            s3_region: maybe("MEDIA_S3_REGION")?,
            s3_endpoint: maybe("MEDIA_S3_ENDPOINT")?,
            s3_access_key_id: maybe("MEDIA_S3_ACCESS_KEY_ID")?,
            s3_secret_access_key: secret("MEDIA_S3_SECRET_ACCESS_KEY")?,
            upload_dir: optional("MEDIA_UPLOAD_DIR", std::env::temp_dir())?,
            decode_concurrency: optional(
                "MEDIA_DECODE_CONCURRENCY",
                crate::settings::cores() as usize,
            )?,
            sweep_every: std::time::Duration::from_secs(optional("MEDIA_SWEEP_EVERY_SECS", 3600)?),
            sweep_grace: std::time::Duration::from_secs(optional("MEDIA_SWEEP_GRACE_SECS", 3600)?),
        })
    }

    /// Local disk under `folder`, served from `public_url` (tests, development).
    pub fn local(folder: &std::path::Path, public_url: &str) -> Self {
        Self {
            store: format!("file://{}", folder.display()),
            public_url: public_url.to_owned(),
            azure_account: None,
            azure_access_key: None,
            azure_endpoint: None,
            s3_region: None,
            s3_endpoint: None,
            s3_access_key_id: None,
            s3_secret_access_key: None,
            upload_dir: std::env::temp_dir(),
            decode_concurrency: 2,
            sweep_every: std::time::Duration::from_secs(3600),
            sweep_grace: std::time::Duration::from_secs(3600),
        }
    }

    /// A store of a test's own in the temporary folder (`<root>/store`),
    /// with its own folder for uploads waiting (`<root>/uploads`).
    pub fn for_tests(service: &str) -> Self {
        let root =
            std::env::temp_dir().join(format!("{service}-media-{}", uuid::Uuid::new_v4().simple()));
        let mut media = Self::local(&root.join("store"), "http://media.localhost");
        media.upload_dir = root.join("uploads");
        media
    }

    /// The image pipeline these settings ask for.
    pub fn pipeline(&self) -> crate::images::ImagePipeline {
        crate::images::ImagePipeline::with_scratch(self.decode_concurrency, self.upload_dir.clone())
    }
}

/// The kinds of file the platform keeps, each with its one true type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaType {
    Jpeg,
    Png,
    Webp,
    Gif,
}

impl MediaType {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Webp => "webp",
            Self::Gif => "gif",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
            Self::Gif => "image/gif",
        }
    }

    fn from_extension(extension: &str) -> Option<Self> {
        [Self::Jpeg, Self::Png, Self::Webp, Self::Gif]
            .into_iter()
            .find(|t| t.extension() == extension)
    }
}

/// A file's key in the store: `<owner kind>/<random>/<name>.<extension>`,
/// made only here, so no client's file name or path ever reaches the store.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MediaKey(String);

impl MediaKey {
    /// A fresh folder for one upload's files under `kind` (`events`, `news`, ...).
    pub fn folder(kind: &str) -> MediaFolder {
        MediaFolder(format!("{kind}/{}", uuid::Uuid::new_v4().simple()))
    }

    /// A key read back from the database: refused unless it is one this
    /// module could have made.
    pub fn parse(key: &str) -> Option<Self> {
        let mut parts = key.split('/');
        let (kind, folder, file) = (parts.next()?, parts.next()?, parts.next()?);
        let (name, extension) = file.rsplit_once('.')?;
        let plain = |s: &str| {
            !s.is_empty()
                && s.len() <= 64
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        };
        let valid = parts.next().is_none()
            && plain(kind)
            && folder.len() == 32
            && folder.bytes().all(|b| b.is_ascii_hexdigit())
            && plain(name)
            && MediaType::from_extension(extension).is_some();
        valid.then(|| Self(key.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn media_type(&self) -> Option<MediaType> {
        let (_, extension) = self.0.rsplit_once('.')?;
        MediaType::from_extension(extension)
    }
}

impl fmt::Display for MediaKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One upload's folder: its files (the sizes of one image) share it.
#[derive(Debug, Clone)]
pub struct MediaFolder(String);

impl MediaFolder {
    /// The key of the file `name` (lowercase letters, digits, `_`) of `kind`.
    pub fn file(&self, name: &str, kind: MediaType) -> MediaKey {
        MediaKey(format!("{}/{name}.{}", self.0, kind.extension()))
    }
}

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("no such file")]
    NotFound,
    /// The store did not answer or refused: 503 to the client, the cause logged.
    #[error("the file store is unavailable: {0}")]
    Unavailable(String),
}

impl From<MediaError> for ApiError {
    fn from(e: MediaError) -> Self {
        match e {
            MediaError::NotFound => ApiError::not_found("no such file"),
            MediaError::Unavailable(cause) => {
                tracing::warn!(%cause, "file store unavailable");
                ApiError::unavailable("the file store is unavailable; try again shortly")
            }
        }
    }
}

fn store_error(e: object_store::Error) -> MediaError {
    match e {
        object_store::Error::NotFound { .. } => MediaError::NotFound,
        other => MediaError::Unavailable(other.to_string()),
    }
}

/// The file store, cheap to clone.
#[derive(Clone)]
pub struct MediaStore {
    store: Arc<dyn ObjectStore>,
    public_url: String,
    /// Whether the store keeps a `Content-Type` per object (cloud stores);
    /// local files get theirs from the extension when nginx serves them.
    keeps_types: bool,
}

impl fmt::Debug for MediaStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MediaStore")
            .field("store", &self.store.to_string())
            .field("public_url", &self.public_url)
            .finish()
    }
}

impl MediaStore {
    /// Opens the store `settings` name; a wrong or incomplete setting is
    /// refused naming the variable. Nothing is contacted yet.
    pub fn open(settings: &MediaSettings) -> Result<Self, SettingsError> {
        let invalid = |name: &str, reason: String| SettingsError::Invalid {
            name: name.to_owned(),
            reason,
        };
        let missing = |name: &str| SettingsError::Missing(name.to_owned());
        std::fs::create_dir_all(&settings.upload_dir).map_err(|e| {
            invalid(
                "MEDIA_UPLOAD_DIR",
                format!("cannot create {}: {e}", settings.upload_dir.display()),
            )
        })?;
        let (scheme, rest) = settings.store.split_once("://").ok_or_else(|| {
            invalid(
                "MEDIA_STORE",
                "must be file:///folder, az://container or s3://bucket".into(),
            )
        })?;
        let (store, keeps_types): (Arc<dyn ObjectStore>, bool) = match scheme {
            "file" => {
                // file:///abs/path, or file://relative/path from the working
                // folder (development: file://.dev/media).
                let folder = std::path::absolute(rest)
                    .map_err(|e| invalid("MEDIA_STORE", format!("cannot use {rest}: {e}")))?;
                let folder = folder.as_path();
                std::fs::create_dir_all(folder)
                    .map_err(|e| invalid("MEDIA_STORE", format!("cannot create {rest}: {e}")))?;
                let local = object_store::local::LocalFileSystem::new_with_prefix(folder)
                    .map_err(|e| invalid("MEDIA_STORE", e.to_string()))?;
                (Arc::new(local), false)
            }
            "az" => {
                let account = settings
                    .azure_account
                    .clone()
                    .ok_or_else(|| missing("MEDIA_AZURE_ACCOUNT"))?;
                let key = settings
                    .azure_access_key
                    .as_ref()
                    .ok_or_else(|| missing("MEDIA_AZURE_ACCESS_KEY"))?;
                let mut builder = object_store::azure::MicrosoftAzureBuilder::new()
                    .with_account(account)
                    .with_access_key(key.expose_secret())
                    .with_container_name(rest);
                if let Some(endpoint) = &settings.azure_endpoint {
                    builder = builder
                        .with_allow_http(endpoint.starts_with("http://"))
                        .with_endpoint(endpoint.clone());
                }
                let azure = builder
                    .with_retry(few_retries())
                    .build()
                    .map_err(|e| invalid("MEDIA_STORE", e.to_string()))?;
                (Arc::new(azure), true)
            }
            "s3" => {
                let mut builder = object_store::aws::AmazonS3Builder::new()
                    .with_bucket_name(rest)
                    .with_region(
                        settings
                            .s3_region
                            .clone()
                            .ok_or_else(|| missing("MEDIA_S3_REGION"))?,
                    )
                    .with_access_key_id(
                        settings
                            .s3_access_key_id
                            .clone()
                            .ok_or_else(|| missing("MEDIA_S3_ACCESS_KEY_ID"))?,
                    )
                    .with_secret_access_key(
                        settings
                            .s3_secret_access_key
                            .as_ref()
                            .ok_or_else(|| missing("MEDIA_S3_SECRET_ACCESS_KEY"))?
                            .expose_secret(),
                    );
                if let Some(endpoint) = &settings.s3_endpoint {
                    builder = builder
                        .with_allow_http(endpoint.starts_with("http://"))
                        .with_endpoint(endpoint.clone());
                }
                let s3 = builder
                    .with_retry(few_retries())
                    .build()
                    .map_err(|e| invalid("MEDIA_STORE", e.to_string()))?;
                (Arc::new(s3), true)
            }
            other => {
                return Err(invalid(
                    "MEDIA_STORE",
                    format!("unknown store {other:?}: use file://, az:// or s3://"),
                ))
            }
        };
        Ok(Self {
            store,
            public_url: settings.public_url.trim_end_matches('/').to_owned(),
            keeps_types,
        })
    }

    /// Stores `bytes` under `key` (replacing what was there).
    pub async fn put(&self, key: &MediaKey, bytes: Vec<u8>) -> Result<(), MediaError> {
        let mut attributes = Attributes::new();
        if self.keeps_types {
            if let Some(kind) = key.media_type() {
                attributes.insert(Attribute::ContentType, kind.content_type().into());
            }
            attributes.insert(
                Attribute::CacheControl,
                "public, max-age=31536000, immutable".into(),
            );
        }
        let options = PutOptions {
            attributes,
            ..PutOptions::default()
        };
        self.store
            .put_opts(&path(key), PutPayload::from(bytes), options)
            .await
            .map(|_| ())
            .map_err(store_error)
    }

    /// The bytes stored under `key`.
    pub async fn get(&self, key: &MediaKey) -> Result<Vec<u8>, MediaError> {
        let found = self.store.get(&path(key)).await.map_err(store_error)?;
        let bytes = found.bytes().await.map_err(store_error)?;
        Ok(bytes.to_vec())
    }

    /// The `Content-Type` the store keeps for `key`, where it keeps one.
    pub async fn content_type(&self, key: &MediaKey) -> Result<Option<String>, MediaError> {
        let found = self.store.get(&path(key)).await.map_err(store_error)?;
        Ok(found
            .attributes
            .get(&Attribute::ContentType)
            .map(|v| v.to_string()))
    }

    /// Deletes `key`; a file already gone is no error.
    pub async fn delete(&self, key: &MediaKey) -> Result<(), MediaError> {
        match self.store.delete(&path(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(other) => Err(store_error(other)),
        }
    }

    /// Every file under `prefix` (a kind, `events`) with when it was written.
    pub async fn list(
        &self,
        prefix: &str,
    ) -> Result<Vec<(String, chrono::DateTime<chrono::Utc>)>, MediaError> {
        use futures_util::TryStreamExt;
        let prefix = Path::from(prefix);
        self.store
            .list(Some(&prefix))
            .map_ok(|meta| (meta.location.to_string(), meta.last_modified))
            .try_collect()
            .await
            .map_err(store_error)
    }

    /// Where clients fetch `key`.
    pub fn url(&self, key: &MediaKey) -> String {
        format!("{}/{}", self.public_url, key.as_str())
    }
}

fn path(key: &MediaKey) -> Path {
    Path::from(key.as_str())
}

/// A store that does not answer fails the request within seconds (503), not
/// after object_store's default minutes of retrying.
fn few_retries() -> object_store::RetryConfig {
    object_store::RetryConfig {
        max_retries: 2,
        retry_timeout: std::time::Duration::from_secs(5),
        ..object_store::RetryConfig::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_made_here_and_only_such_keys_are_read_back() {
        let folder = MediaKey::folder("events");
        let key = folder.file("w1280", MediaType::Webp);
        assert!(key.as_str().starts_with("events/"));
        assert!(key.as_str().ends_with("/w1280.webp"));
        assert_eq!(MediaKey::parse(key.as_str()), Some(key.clone()));
        assert_eq!(key.media_type(), Some(MediaType::Webp));
        for bad in [
            "../etc/passwd",
            "events/../../x.jpg",
            "events/0123456789abcdef0123456789abcdef/evil.svg",
            "events/0123456789abcdef0123456789abcdef/a.jpg/b.jpg",
            "Events/0123456789abcdef0123456789abcdef/a.jpg",
            "events/short/a.jpg",
            "events/0123456789abcdef0123456789abcdef/.jpg",
            "",
        ] {
            assert_eq!(MediaKey::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_store_setting_names_what_is_wrong() {
        let mut settings = MediaSettings::local(std::path::Path::new("/tmp"), "http://x");
        for (store, variable) in [
            ("ftp://x", "MEDIA_STORE"),
            ("nothing", "MEDIA_STORE"),
            ("az://container", "MEDIA_AZURE_ACCOUNT"),
            ("s3://bucket", "MEDIA_S3_REGION"),
        ] {
            settings.store = store.to_owned();
            let refused = MediaStore::open(&settings);
            let named = match refused {
                Err(SettingsError::Invalid { name, .. }) | Err(SettingsError::Missing(name)) => {
                    name
                }
                Ok(_) => String::from("(opened)"),
            };
            assert_eq!(named, variable, "{store}");
        }
    }
}
