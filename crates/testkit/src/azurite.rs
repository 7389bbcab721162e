//! Azure Blob Storage for tests: Microsoft's emulator Azurite, which
//! `./scripts/test` installs and starts on 127.0.0.1:10000 (`AZURITE_URL`
//! overrides), with a container of its own per test, deleted when dropped.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use base64::Engine;
use common::media::MediaSettings;
use secrecy::SecretString;

/// Azurite's well-known development account (public, in Microsoft's docs).
pub const ACCOUNT: &str = "devstoreaccount1";
const ACCOUNT_KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const VERSION: &str = "2021-08-06";

/// A container only this test uses.
pub struct AzureContainer {
    pub name: String,
    host: String,
}

fn host() -> String {
    std::env::var("AZURITE_URL")
        .unwrap_or_else(|_| "http://127.0.0.1:10000".to_owned())
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned()
}

impl AzureContainer {
    /// Creates a fresh container in Azurite.
    #[allow(clippy::panic)]
    pub fn create() -> Self {
        let name = format!("test{}", uuid::Uuid::new_v4().simple());
        let host = host();
        let status = container_request("PUT", &host, &name).unwrap_or_else(|e| {
            panic!("Azurite does not answer at {host} ({e}); ./scripts/test starts it")
        });
        assert_eq!(status, 201, "Azurite refused to create container {name}");
        Self { name, host }
    }

    /// Settings of a store in this container, served from `public_url`.
    pub fn settings(&self, public_url: &str) -> MediaSettings {
        let mut settings = MediaSettings::local(std::path::Path::new("/"), public_url);
        settings.store = format!("az://{}", self.name);
        settings.azure_account = Some(ACCOUNT.to_owned());
        settings.azure_access_key = Some(SecretString::from(ACCOUNT_KEY.to_owned()));
        settings.azure_endpoint = Some(format!("http://{}/{ACCOUNT}", self.host));
        settings
    }

    /// How many blobs the container holds (to check nothing is left behind).
    #[allow(clippy::expect_used)]
    pub fn blob_count(&self) -> usize {
        let (status, body) = signed(
            "GET",
            &self.host,
            &self.name,
            "comp:list\nrestype:container",
            "?restype=container&comp=list",
        )
        .expect("list the container");
        assert_eq!(status, 200, "{body}");
        body.matches("<Blob>").count()
    }
}

impl Drop for AzureContainer {
    fn drop(&mut self) {
        let _ = container_request("DELETE", &self.host, &self.name);
    }
}

fn container_request(verb: &str, host: &str, name: &str) -> std::io::Result<u16> {
    signed(verb, host, name, "restype:container", "?restype=container").map(|(status, _)| status)
}

/// One request signed with the account's shared key (the Blob service's
/// SharedKey scheme, path-style as the emulator serves it).
fn signed(
    verb: &str,
    host: &str,
    container: &str,
    canonical_query: &str,
    query: &str,
) -> std::io::Result<(u16, String)> {
    let date = httpdate();
    let to_sign = format!(
        "{verb}\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:{date}\nx-ms-version:{VERSION}\n/{ACCOUNT}/{ACCOUNT}/{container}\n{canonical_query}"
    );
    let key = base64::engine::general_purpose::STANDARD
        .decode(ACCOUNT_KEY)
        .map_err(std::io::Error::other)?;
    let tag = ring::hmac::sign(
        &ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &key),
        to_sign.as_bytes(),
    );
    let signature = base64::engine::general_purpose::STANDARD.encode(tag.as_ref());
    let mut stream = TcpStream::connect(host)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "{verb} /{ACCOUNT}/{container}{query} HTTP/1.1\r\nHost: {host}\r\nx-ms-date: {date}\r\n\
         x-ms-version: {VERSION}\r\nAuthorization: SharedKey {ACCOUNT}:{signature}\r\n\
         Content-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok((status, answer))
}

/// Now as an HTTP date (RFC 7231), which the signature covers.
fn httpdate() -> String {
    chrono::Utc::now()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}
