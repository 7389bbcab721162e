//! The SMTP transport `SMTP_URL` and `SMTP_CA_FILE` describe, checked at start-up.
//!
//! Errors name the variables, never the URL: it may hold a password.

use std::time::Duration;

use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, Tokio1Executor};

/// How the URL asks for encryption.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encryption {
    /// `smtp://host`
    None,
    /// `smtp://host?tls=opportunistic`: STARTTLS when offered (can be stripped).
    Opportunistic,
    /// `smtp://host?tls=required`: STARTTLS or no mail.
    Required,
    /// `smtps://host`: TLS from the first byte.
    Wrapper,
}

pub fn transport(
    url: &str,
    ca_file: Option<&str>,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .map_err(|e| format!("SMTP_URL is not usable: {e}"))?;
    let parsed = url::Url::parse(url).map_err(|e| format!("SMTP_URL is not usable: {e}"))?;
    let encryption = encryption(&parsed);
    let has_credentials = !parsed.username().is_empty() || parsed.password().is_some();
    if has_credentials && !matches!(encryption, Encryption::Required | Encryption::Wrapper) {
        return Err(
            "SMTP_URL holds a login but does not require TLS, so the password could cross \
                    the network in the clear: use smtps://user:pass@host:465 or add ?tls=required"
                .into(),
        );
    }
    if let Some(path) = ca_file {
        builder = builder.tls(trusting(&parsed, encryption, path)?);
    }
    Ok(builder.timeout(Some(Duration::from_secs(15))).build())
}

fn encryption(url: &url::Url) -> Encryption {
    let mode = url
        .query_pairs()
        .find(|(key, _)| key == "tls")
        .map(|(_, value)| value.into_owned());
    match (url.scheme(), mode.as_deref()) {
        ("smtps", _) => Encryption::Wrapper,
        (_, Some("required")) => Encryption::Required,
        (_, Some("opportunistic")) => Encryption::Opportunistic,
        _ => Encryption::None,
    }
}

const CERTIFICATE_MARK: &[u8] = b"-----BEGIN CERTIFICATE-----";

/// TLS in the URL's mode, trusting the certificates in `ca_file` besides the public roots.
fn trusting(url: &url::Url, encryption: Encryption, ca_file: &str) -> Result<Tls, String> {
    if encryption == Encryption::None {
        return Err(
            "SMTP_CA_FILE is set but SMTP_URL uses no TLS: use smtps://host:465 or \
                    smtp://host:587?tls=required"
                .into(),
        );
    }
    let host = url
        .host_str()
        .ok_or("SMTP_URL names no host")?
        .trim_matches(['[', ']'])
        .to_owned();
    let pem =
        std::fs::read(ca_file).map_err(|e| format!("cannot read SMTP_CA_FILE {ca_file}: {e}"))?;
    if !pem
        .windows(CERTIFICATE_MARK.len())
        .any(|window| window == CERTIFICATE_MARK)
    {
        return Err(format!("SMTP_CA_FILE {ca_file} holds no PEM certificate"));
    }
    let certificate = Certificate::from_pem(&pem)
        .map_err(|e| format!("SMTP_CA_FILE {ca_file} holds no PEM certificate: {e}"))?;
    let parameters = TlsParameters::builder(host)
        .add_root_certificate(certificate)
        .build_rustls()
        .map_err(|e| format!("SMTP_CA_FILE {ca_file} is not usable: {e}"))?;
    Ok(match encryption {
        Encryption::Wrapper => Tls::Wrapper(parameters),
        Encryption::Opportunistic => Tls::Opportunistic(parameters),
        Encryption::Required | Encryption::None => Tls::Required(parameters),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn refusal(url: &str, ca_file: Option<&str>) -> String {
        transport(url, ca_file).err().unwrap()
    }

    // The pool behind the transport lives on a Tokio runtime.
    #[tokio::test]
    async fn plain_and_encrypted_urls_are_accepted() {
        for url in [
            "smtp://127.0.0.1:25",
            "smtp://relay.example.org:587?tls=opportunistic",
            "smtp://user:pass@relay.example.org:587?tls=required",
            "smtps://user:pass@relay.example.org",
        ] {
            assert!(transport(url, None).is_ok(), "{url}");
        }
    }

    #[tokio::test]
    async fn a_login_without_required_tls_is_refused_without_showing_the_password() {
        for url in [
            "smtp://user:hunter22@relay.example.org:25",
            "smtp://user:hunter22@relay.example.org:587?tls=opportunistic",
        ] {
            let error = refusal(url, None);
            assert!(error.contains("does not require TLS"), "{error}");
            assert!(!error.contains("hunter22"), "{error}");
        }
    }

    #[tokio::test]
    async fn a_ca_file_needs_tls_and_a_readable_pem_file() {
        let error = refusal("smtp://127.0.0.1:25", Some("/etc/hostname"));
        assert!(error.contains("uses no TLS"), "{error}");
        let error = refusal("smtps://127.0.0.1", Some("/nonexistent/ca.pem"));
        assert!(
            error.contains("cannot read SMTP_CA_FILE /nonexistent/ca.pem"),
            "{error}"
        );
        let junk = std::env::temp_dir().join(format!("not-a-ca-{}.pem", std::process::id()));
        std::fs::write(&junk, "not a certificate").unwrap();
        let error = refusal("smtps://127.0.0.1", Some(junk.to_str().unwrap()));
        std::fs::remove_file(&junk).unwrap();
        assert!(error.contains("holds no PEM certificate"), "{error}");
    }

    #[tokio::test]
    async fn an_unusable_url_is_named_without_its_value() {
        let error = refusal("smtp//user:hunter22@relay", None);
        assert!(error.starts_with("SMTP_URL is not usable"), "{error}");
        assert!(!error.contains("hunter22"), "{error}");
        let error = refusal("imap://user:hunter22@relay", None);
        assert!(!error.contains("hunter22"), "{error}");
    }
}
