//! argon2id password hashing, on a small pool of workers that reuse their
//! memory (`pool`), so memory stays bounded however many people sign in.

mod pool;

use std::sync::Arc;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, Salt, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use common::ApiError;

use crate::settings::HashCost;
use pool::{HashPool, PoolError};

/// Hashes waiting for a worker at most; more are answered 503 at once.
const QUEUE: usize = 1024;

#[derive(Clone)]
pub struct Hasher {
    params: Params,
    /// One worker per core: each hash takes a core for tens of milliseconds,
    /// so a burst of logins queues here instead of oversubscribing the CPU.
    pool: Arc<HashPool>,
    /// A real hash of nothing useful, verified against when the account does not
    /// exist, so a failed login takes as long whether or not the user exists.
    dummy: String,
}

impl Hasher {
    pub fn new(cost: HashCost) -> Result<Self, argon2::Error> {
        let params = Params::new(cost.memory_kib, cost.iterations, cost.parallelism, None)?;
        let mut memory = Vec::new();
        let dummy = hash_with(&params, b"not a password anyone has", &mut memory)
            .map_err(|_| argon2::Error::AlgorithmInvalid)?;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let pool = HashPool::new(cores, QUEUE).map_err(|_| argon2::Error::AlgorithmInvalid)?;
        Ok(Self {
            params,
            dummy,
            pool: Arc::new(pool),
        })
    }

    /// A PHC string (`$argon2id$v=19$m=...`), computed here with fresh memory
    /// (for the command line; the service uses [`Hasher::hash_blocking`]).
    pub fn hash(&self, password: &str) -> Result<String, ApiError> {
        hash_with(&self.params, password.as_bytes(), &mut Vec::new()).map_err(ApiError::internal)
    }

    /// Hashes on the pool.
    pub async fn hash_blocking(&self, password: String) -> Result<String, ApiError> {
        let params = self.params.clone();
        self.pool
            .run(move |memory| hash_with(&params, password.as_bytes(), memory))
            .await
            .map_err(busy)?
            .map_err(ApiError::internal)
    }

    /// Checks `password` against `hash` on the pool, or against a dummy hash
    /// when `hash` is `None`, so both cases cost the same.
    pub async fn verify_blocking(
        &self,
        password: String,
        hash: Option<String>,
    ) -> Result<bool, ApiError> {
        let known = hash.is_some();
        let stored = hash.unwrap_or_else(|| self.dummy.clone());
        let matches = self
            .pool
            .run(move |memory| verify_with(password.as_bytes(), &stored, memory))
            .await
            .map_err(busy)?;
        Ok(matches && known)
    }

    /// How many argon2 memory areas the workers hold (one each).
    pub fn memory_areas(&self) -> usize {
        self.pool.areas()
    }
}

fn busy(error: PoolError) -> ApiError {
    match error {
        PoolError::Busy => {
            ApiError::unavailable("too many sign-ins at this moment; try again in a few seconds")
        }
        PoolError::Stopped => ApiError::internal(error),
    }
}

/// A PHC string for `password` with a new salt, computed in `memory`.
fn hash_with(
    params: &Params,
    password: &[u8],
    memory: &mut Vec<Block>,
) -> argon2::password_hash::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let output = compute(
        &argon,
        password,
        salt.as_salt(),
        params.output_len(),
        memory,
    )?;
    Ok(PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(params)?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    }
    .to_string())
}

/// Whether `password` matches the PHC string `stored` (any argon2 variant
/// and cost it names), computed in `memory`; the comparison is constant-time.
fn verify_with(password: &[u8], stored: &str, memory: &mut Vec<Block>) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(parsed.algorithm) else {
        return false;
    };
    let version = match parsed.version.map(Version::try_from).transpose() {
        Ok(version) => version.unwrap_or_default(),
        Err(_) => return false,
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    let argon = Argon2::new(algorithm, version, params);
    match compute(&argon, password, salt, Some(expected.len()), memory) {
        // `Output`'s equality is constant-time.
        Ok(computed) => computed == expected,
        Err(_) => false,
    }
}

/// argon2 of `password` and the (base64) `salt` into an output of
/// `output_len` bytes, in `memory`, grown once to the size the cost needs.
fn compute(
    argon: &Argon2<'_>,
    password: &[u8],
    salt: Salt<'_>,
    output_len: Option<usize>,
    memory: &mut Vec<Block>,
) -> argon2::password_hash::Result<Output> {
    let blocks = argon.params().block_count();
    if memory.len() < blocks {
        memory.resize(blocks, Block::new());
    }
    let mut salt_bytes = [0u8; 64];
    let salt = salt.decode_b64(&mut salt_bytes)?;
    Output::init_with(output_len.unwrap_or(Params::DEFAULT_OUTPUT_LEN), |out| {
        argon
            .hash_password_into_with_memory(password, salt, out, &mut memory[..blocks])
            .map_err(Into::into)
    })
}

#[cfg(test)]
mod tests;
