//! The MiniTwit simulator's latest action id, as an append-only log: the newest
//! row is the latest. Appending never waits on another request's row lock.

use diesel::prelude::*;

use super::schema::simulator_latest_log as log;

/// Rows kept behind the newest; pruning runs on one write in `KEEP`.
const KEEP: i64 = 1000;

pub fn store(conn: &mut PgConnection, latest: i64) -> QueryResult<()> {
    let id: i64 = diesel::insert_into(log::table)
        .values(log::latest.eq(latest))
        .returning(log::id)
        .get_result(conn)?;
    if id % KEEP == 0 {
        diesel::delete(log::table.filter(log::id.le(id - KEEP))).execute(conn)?;
    }
    Ok(())
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
