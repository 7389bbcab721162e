//! argon2id password hashing.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::Arc;

use common::ApiError;
use tokio::sync::Semaphore;

use crate::settings::HashCost;

#[derive(Clone)]
pub struct Hasher {
    argon: Argon2<'static>,
    /// At most one hash per core at a time: each takes `memory_kib` of memory
    /// and a core for tens of milliseconds, so a burst of logins queues here
    /// instead of oversubscribing the CPU or the memory.
    permits: Arc<Semaphore>,
    /// A real hash of nothing useful, verified against when the account does not
    /// exist, so a failed login takes as long whether or not the user exists.
    dummy: String,
}

impl Hasher {
    pub fn new(cost: HashCost) -> Result<Self, argon2::Error> {
        let params = Params::new(cost.memory_kib, cost.iterations, cost.parallelism, None)?;
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let salt = SaltString::generate(&mut OsRng);
        let dummy = argon
            .hash_password(b"not a password anyone has", &salt)
            .map_err(|_| argon2::Error::AlgorithmInvalid)?
            .to_string();
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(Self {
            argon,
            dummy,
            permits: Arc::new(Semaphore::new(cores)),
        })
    }

    /// A PHC string (`$argon2id$v=19$m=...`).
    pub fn hash(&self, password: &str) -> Result<String, ApiError> {
        let salt = SaltString::generate(&mut OsRng);
        self.argon
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(ApiError::internal)
    }

    /// Checks `password` against `hash`, or against a dummy hash when `hash` is
    /// `None`, so both cases cost the same.
    pub fn verify(&self, password: &str, hash: Option<&str>) -> bool {
        let stored = hash.unwrap_or(&self.dummy);
        let Ok(parsed) = PasswordHash::new(stored) else {
            return false;
        };
        let ok = self
            .argon
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        ok && hash.is_some()
    }

    /// Runs hashing off the async executor.
    pub async fn hash_blocking(&self, password: String) -> Result<String, ApiError> {
        let _permit = self.permits.acquire().await.map_err(ApiError::internal)?;
        let hasher = self.clone();
        actix_web::web::block(move || hasher.hash(&password)).await?
    }

    /// Runs verification off the async executor.
    pub async fn verify_blocking(
        &self,
        password: String,
        hash: Option<String>,
    ) -> Result<bool, ApiError> {
        let hasher = self.clone();
        Ok(actix_web::web::block(move || hasher.verify(&password, hash.as_deref())).await?)
    }
}
