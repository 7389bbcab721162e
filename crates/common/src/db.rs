//! PostgreSQL through diesel and an r2d2 pool; migrations under an advisory lock.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use diesel::migration::MigrationSource;
use diesel::pg::Pg;
use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, Pool, PooledConnection};
use diesel::RunQueryDsl;
use diesel_migrations::MigrationHarness;
use secrecy::ExposeSecret;

use crate::error::ApiError;

pub type PgConn = PooledConnection<ConnectionManager<PgConnection>>;

/// The r2d2 pool, plus a first-come-first-served queue for request handlers.
/// r2d2 wakes waiting threads in no particular order, so under load some
/// requests lost the race for a connection again and again (a p99 twenty
/// times the median); [`run`] waits its turn on a fair semaphore first.
#[derive(Clone)]
pub struct PgPool {
    pool: Pool<ConnectionManager<PgConnection>>,
    turns: Arc<Semaphore>,
}

impl std::ops::Deref for PgPool {
    type Target = Pool<ConnectionManager<PgConnection>>;
    fn deref(&self) -> &Self::Target {
        &self.pool
    }
}

/// Builds the pool without connecting eagerly, so a service starts (and says it
/// is not ready) while the database is still coming up.
pub fn build_pool(url: &secrecy::SecretString, size: u32) -> PgPool {
    let pool = Pool::builder()
        .max_size(size)
        .min_idle(Some(1))
        .connection_timeout(Duration::from_secs(5))
        .test_on_check_out(false)
        .build_unchecked(ConnectionManager::new(url.expose_secret()));
    PgPool {
        pool,
        turns: Arc::new(Semaphore::new(size as usize)),
    }
}

/// Runs `work` with a pooled connection on the blocking thread pool, so diesel
/// never blocks the async executor. Callers get connections in the order they asked.
pub async fn run<T, F>(pool: &PgPool, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut PgConn) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let turn = tokio::time::timeout(Duration::from_secs(5), pool.turns.clone().acquire_owned())
        .await
        .map_err(|_| ApiError::unavailable("the database is busy; try again shortly"))?
        .map_err(|_| ApiError::unavailable("the database pool is closed"))?;
    let pool = pool.pool.clone();
    actix_web::web::block(move || {
        let _turn = turn;
        let mut conn = pool.get()?;
        work(&mut conn)
    })
    .await?
}

/// Why background work could not use the database; keeps its cause.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("no database connection")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("a query failed")]
    Query(#[from] diesel::result::Error),
    #[error("the blocking thread pool is gone")]
    Blocking(#[from] actix_web::error::BlockingError),
}

/// Like [`run`], for background work (outbox relay, workers): it skips the
/// request handlers' queue, so events and mail keep moving while requests
/// wait their turn.
pub async fn run_background<T, F>(pool: &PgPool, work: F) -> Result<T, DbError>
where
    F: FnOnce(&mut PgConn) -> Result<T, diesel::result::Error> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.pool.clone();
    actix_web::web::block(move || {
        let mut conn = pool.get()?;
        Ok(work(&mut conn)?)
    })
    .await?
}

/// Runs `work` inside one transaction (see [`run`]).
pub async fn transaction<T, F>(pool: &PgPool, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut PgConn) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    use diesel::Connection;
    run(pool, move |conn| conn.transaction(|conn| work(conn))).await
}

/// Applies pending migrations while holding a PostgreSQL advisory lock, so
/// several instances starting together migrate once.
pub fn migrate(
    conn: &mut PgConnection,
    migrations: impl MigrationSource<Pg>,
    lock_key: i64,
) -> Result<Vec<String>, Box<dyn std::error::Error + Send + Sync>> {
    diesel::sql_query(format!("SELECT pg_advisory_lock({lock_key})")).execute(conn)?;
    let applied = conn
        .run_pending_migrations(migrations)
        .map(|versions| versions.iter().map(|v| v.to_string()).collect::<Vec<_>>());
    diesel::sql_query(format!("SELECT pg_advisory_unlock({lock_key})")).execute(conn)?;
    applied
}

/// A stable advisory-lock key for a service's migrations.
pub fn migration_lock_key(service: &str) -> i64 {
    service.bytes().fold(0x6d69_6772_i64, |acc, b| {
        acc.wrapping_mul(31).wrapping_add(i64::from(b))
    })
}

/// True when a trivial query answers within the pool's timeout.
pub async fn ping(pool: &PgPool) -> bool {
    run(pool, |conn| {
        diesel::sql_query("SELECT 1")
            .execute(conn)
            .map_err(ApiError::from)?;
        Ok(())
    })
    .await
    .is_ok()
}
