//! The MiniTwit simulator's latest action id, as an append-only log: the newest
//! row is the latest. Appending never waits on another request's row lock.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable};

use super::schema::simulator_latest_log as log;

/// CTEs that append `$n` (when not NULL) and, on one insert in a thousand,
/// prune all but the newest thousand rows. Write statements include them so
/// that storing `latest` costs no extra round trip or commit.
pub fn append_cte(param: usize) -> String {
    format!(
        "latest AS (
             INSERT INTO simulator_latest_log (latest) SELECT ${param}::bigint WHERE ${param}::bigint IS NOT NULL
             RETURNING id
         ), pruned AS (
             DELETE FROM simulator_latest_log WHERE id <= (SELECT id - 1000 FROM latest WHERE id % 1000 = 0)
         )"
    )
}

pub fn store(conn: &mut PgConnection, latest: i64) -> QueryResult<()> {
    common::prepared::prepared(
        format!("WITH {} SELECT 1", append_cte(1)),
        (common::prepared::bind::<Nullable<BigInt>, _>(Some(latest)),),
    )
    .execute(conn)
    .map(|_| ())
}

/// -1 before any action was recorded.
pub fn load(conn: &mut PgConnection) -> QueryResult<i64> {
    log::table
        .select(log::latest)
        .order(log::id.desc())
        .first(conn)
        .optional()
        .map(|latest| latest.unwrap_or(-1))
}
