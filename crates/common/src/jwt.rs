//! Access tokens: EdDSA (Ed25519) JWTs signed by auth and verified everywhere
//! from auth's JWKS.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use ring::signature::{Ed25519KeyPair, KeyPair};
use serde::{Deserialize, Serialize};
use tokio::sync::RwLock;

use crate::error::ApiError;
use crate::report::Chain;

/// Who a token speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// A person who logged in.
    User,
    /// A third-party API client (client credentials grant).
    Client,
}

/// A group the user belongs to, with their role in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupClaim {
    pub slug: String,
    /// `leader` or `member`.
    pub role: String,
    /// The group's kind (`committee`, `board`, ...), for rules such as
    /// "leaders of committees may publish news".
    #[serde(default)]
    pub kind: String,
}

/// The claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// User id, or API client id for client tokens.
    pub sub: String,
    pub username: String,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub groups: Vec<GroupClaim>,
    pub exp: i64,
    pub iat: i64,
    pub jti: String,
    pub iss: String,
    pub aud: String,
    pub kind: TokenKind,
    /// The login session (refresh-token family) a user token belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// Space-separated scopes of a client token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Why a user token is good for the microblog only (see
    /// `auth_user::MICROBLOG_ONLY`); empty for a full platform account.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub limits: Vec<String>,
}

/// An Ed25519 key pair that signs tokens.
pub struct SigningKey {
    pub kid: String,
    encoding: EncodingKey,
    /// The raw 32-byte public key.
    public: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
#[error("invalid Ed25519 key: {0}")]
pub struct KeyError(String);

/// Why auth's key set could not be fetched.
#[derive(Debug, thiserror::Error)]
enum JwksError {
    #[error("auth's JWKS did not answer")]
    Http(#[from] reqwest::Error),
    #[error("auth's JWKS holds a key that cannot be used")]
    Key(#[from] KeyError),
}

impl SigningKey {
    /// Reads a PKCS#8 DER key, given base64-encoded (as `openssl genpkey
    /// -algorithm ed25519 -outform DER | base64 -w0` prints it).
    pub fn from_base64_pkcs8(encoded: &str) -> Result<Self, KeyError> {
        let der = STANDARD
            .decode(encoded.trim())
            .map_err(|e| KeyError(format!("not base64: {e}")))?;
        let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(&der)
            .map_err(|e| KeyError(format!("not a PKCS#8 Ed25519 key: {e}")))?;
        let public = pair.public_key().as_ref().to_vec();
        let digest = ring::digest::digest(&ring::digest::SHA256, &public);
        Ok(Self {
            kid: URL_SAFE_NO_PAD.encode(&digest.as_ref()[..12]),
            encoding: EncodingKey::from_ed_der(&der),
            public,
        })
    }

    /// A fresh key, base64 PKCS#8 encoded.
    pub fn generate_base64_pkcs8() -> Result<String, KeyError> {
        let rng = ring::rand::SystemRandom::new();
        let doc = Ed25519KeyPair::generate_pkcs8(&rng).map_err(|e| KeyError(e.to_string()))?;
        Ok(STANDARD.encode(doc.as_ref()))
    }

    pub fn sign(&self, claims: &Claims) -> Result<String, ApiError> {
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.encoding).map_err(ApiError::internal)
    }

    /// This key as a JWK.
    pub fn jwk(&self) -> Jwk {
        Jwk {
            kty: "OKP".into(),
            crv: "Ed25519".into(),
            alg: "EdDSA".into(),
            key_use: "sig".into(),
            kid: self.kid.clone(),
            x: URL_SAFE_NO_PAD.encode(&self.public),
        }
    }
}

/// One public key in a JWKS document.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Jwk {
    pub kty: String,
    pub crv: String,
    pub alg: String,
    #[serde(rename = "use")]
    pub key_use: String,
    pub kid: String,
    pub x: String,
}

/// `/.well-known/jwks.json`.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct JwkSet {
    pub keys: Vec<Jwk>,
}

/// Verifies access tokens from a set of public keys, fetched from auth's JWKS
/// (cached; fetched again when a token names an unknown key id).
pub struct Verifier {
    keys: RwLock<HashMap<String, DecodingKey>>,
    jwks_url: Option<String>,
    http: reqwest::Client,
    last_fetch: Mutex<Option<Instant>>,
    validation: Validation,
}

/// Don't ask auth more often than this for keys, whatever tokens arrive.
const REFETCH_INTERVAL: Duration = Duration::from_secs(5);

impl Verifier {
    fn with(jwks_url: Option<String>, issuer: &str, audience: &str) -> Self {
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[audience]);
        validation.leeway = 5;
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        Self {
            keys: RwLock::new(HashMap::new()),
            jwks_url,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(3))
                .build()
                .unwrap_or_default(),
            last_fetch: Mutex::new(None),
            validation,
        }
    }

    /// A verifier that fetches keys from auth's JWKS URL.
    pub fn remote(jwks_url: String, issuer: &str, audience: &str) -> Self {
        Self::with(Some(jwks_url), issuer, audience)
    }

    /// A verifier with fixed keys (auth itself).
    pub fn local(jwks: &JwkSet, issuer: &str, audience: &str) -> Result<Self, KeyError> {
        let verifier = Self::with(None, issuer, audience);
        let decoded = decode_jwks(jwks)?;
        if let Ok(mut keys) = verifier.keys.try_write() {
            *keys = decoded;
        }
        Ok(verifier)
    }

    /// Checks signature, algorithm, issuer, audience and expiry.
    pub async fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        let header = jsonwebtoken::decode_header(token)
            .map_err(|_| ApiError::unauthorized("the access token is malformed"))?;
        if header.alg != Algorithm::EdDSA {
            return Err(ApiError::unauthorized(
                "the access token uses an unsupported algorithm",
            ));
        }
        let kid = header
            .kid
            .ok_or_else(|| ApiError::unauthorized("the access token names no key"))?;
        if let Some(claims) = self.verify_with_known(&kid, token).await? {
            return Ok(claims);
        }
        if self.refetch().await {
            if let Some(claims) = self.verify_with_known(&kid, token).await? {
                return Ok(claims);
            }
        }
        Err(ApiError::unauthorized(
            "the access token was signed by an unknown key",
        ))
    }

    async fn verify_with_known(&self, kid: &str, token: &str) -> Result<Option<Claims>, ApiError> {
        let keys = self.keys.read().await;
        let Some(key) = keys.get(kid) else {
            return Ok(None);
        };
        match jsonwebtoken::decode::<Claims>(token, key, &self.validation) {
            Ok(data) => Ok(Some(data.claims)),
            Err(error) => {
                use jsonwebtoken::errors::ErrorKind;
                let detail = match error.kind() {
                    ErrorKind::ExpiredSignature => "the access token has expired; refresh it",
                    ErrorKind::InvalidSignature => "the access token signature is invalid",
                    ErrorKind::InvalidAudience => "the access token is for another audience",
                    ErrorKind::InvalidIssuer => "the access token has an unknown issuer",
                    _ => "the access token is invalid",
                };
                Err(ApiError::unauthorized(detail))
            }
        }
    }

    /// Fetches the keys at start-up, retrying every second until auth answers
    /// (it may start after this service). A no-op for local verifiers.
    pub async fn prefetch(&self) {
        let Some(url) = &self.jwks_url else {
            return;
        };
        let mut warned = false;
        loop {
            match self.fetch(url).await {
                Ok(keys) => {
                    *self.keys.write().await = keys;
                    if let Ok(mut last) = self.last_fetch.lock() {
                        *last = Some(Instant::now());
                    }
                    return;
                }
                Err(error) if !warned => {
                    warned = true;
                    tracing::warn!(error = %Chain(&error), %url, "auth's JWKS is not reachable yet; retrying every second");
                }
                Err(_) => {}
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }

    async fn fetch(&self, url: &str) -> Result<HashMap<String, DecodingKey>, JwksError> {
        let response = self.http.get(url).send().await?;
        let jwks: JwkSet = response.error_for_status()?.json().await?;
        Ok(decode_jwks(&jwks)?)
    }

    /// Fetches the JWKS again unless that happened moments ago. True if keys changed.
    pub async fn refetch(&self) -> bool {
        let Some(url) = &self.jwks_url else {
            return false;
        };
        {
            let Ok(mut last) = self.last_fetch.lock() else {
                return false;
            };
            if last.is_some_and(|at| at.elapsed() < REFETCH_INTERVAL) {
                return false;
            }
            *last = Some(Instant::now());
        }
        let fetched = self.fetch(url).await;
        match fetched {
            Ok(keys) => {
                *self.keys.write().await = keys;
                true
            }
            Err(error) => {
                tracing::warn!(error = %Chain(&error), %url, "could not fetch the auth service's JWKS");
                false
            }
        }
    }
}

fn decode_jwks(jwks: &JwkSet) -> Result<HashMap<String, DecodingKey>, KeyError> {
    jwks.keys
        .iter()
        .filter(|k| k.kty == "OKP" && k.crv == "Ed25519")
        .map(|k| {
            DecodingKey::from_ed_components(&k.x)
                .map(|key| (k.kid.clone(), key))
                .map_err(|e| KeyError(e.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(audience: &str, expires_in: i64) -> Claims {
        let now = chrono::Utc::now().timestamp();
        Claims {
            sub: uuid::Uuid::new_v4().to_string(),
            username: "ann".into(),
            roles: vec!["moderator".into()],
            groups: vec![GroupClaim {
                slug: "party".into(),
                role: "leader".into(),
                kind: "committee".into(),
            }],
            exp: now + expires_in,
            iat: now,
            jti: uuid::Uuid::new_v4().to_string(),
            iss: "platform-auth".into(),
            aud: audience.into(),
            kind: TokenKind::User,
            sid: Some(uuid::Uuid::new_v4().to_string()),
            scope: None,
            limits: vec![],
        }
    }

    fn key() -> SigningKey {
        let encoded = SigningKey::generate_base64_pkcs8().unwrap_or_else(|e| panic!("{e}"));
        SigningKey::from_base64_pkcs8(&encoded).unwrap_or_else(|e| panic!("{e}"))
    }

    fn verifier(keys: &[&SigningKey]) -> Verifier {
        let jwks = JwkSet {
            keys: keys.iter().map(|k| k.jwk()).collect(),
        };
        Verifier::local(&jwks, "platform-auth", "platform").unwrap_or_else(|e| panic!("{e}"))
    }

    #[tokio::test]
    async fn a_signed_token_verifies_with_its_public_key_and_keeps_its_claims() {
        let key = key();
        let sent = claims("platform", 900);
        let token = key.sign(&sent).unwrap_or_else(|e| panic!("{e:?}"));
        let got = verifier(&[&key])
            .verify(&token)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(got.sub, sent.sub);
        assert_eq!(got.groups[0].kind, "committee");
        assert_eq!(got.sid, sent.sid);
        assert_eq!(got.kind, TokenKind::User);
    }

    #[tokio::test]
    async fn expired_foreign_and_tampered_tokens_are_refused_with_the_reason() {
        let (key, other) = (key(), key());
        let verifier = verifier(&[&key]);
        let refused = |token: String| {
            let verifier = &verifier;
            async move {
                verifier
                    .verify(&token)
                    .await
                    .map(|_| ())
                    .unwrap_err()
                    .detail
            }
        };
        let expired = key.sign(&claims("platform", -120)).unwrap_or_default();
        assert!(refused(expired).await.contains("expired"));
        let elsewhere = key
            .sign(&claims("another-platform", 900))
            .unwrap_or_default();
        assert!(refused(elsewhere).await.contains("audience"));
        let foreign = other.sign(&claims("platform", 900)).unwrap_or_default();
        assert!(refused(foreign).await.contains("unknown key"));
        let genuine = key.sign(&claims("platform", 900)).unwrap_or_default();
        let (head, rest) = genuine.split_once('.').unwrap_or_default();
        let (_, signature) = rest.split_once('.').unwrap_or_default();
        let forged_claims = URL_SAFE_NO_PAD.encode(
            serde_json::to_vec(&Claims {
                roles: vec!["admin".into()],
                ..claims("platform", 900)
            })
            .unwrap_or_default(),
        );
        let tampered = format!("{head}.{forged_claims}.{signature}");
        assert!(refused(tampered).await.contains("signature"));
        assert!(refused("not a token".into()).await.contains("malformed"));
        let unsigned = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
            URL_SAFE_NO_PAD
                .encode(serde_json::to_vec(&claims("platform", 900)).unwrap_or_default())
        );
        assert!(!refused(unsigned).await.is_empty());
    }
}
