//! The MiniTwit simulator's latest action id.

use diesel::prelude::*;

use super::schema::simulator_latest;

pub fn store(conn: &mut PgConnection, latest: i64) -> QueryResult<()> {
    diesel::insert_into(simulator_latest::table)
        .values((
            simulator_latest::id.eq(1),
            simulator_latest::latest.eq(latest),
        ))
        .on_conflict(simulator_latest::id)
        .do_update()
        .set(simulator_latest::latest.eq(latest))
        .execute(conn)
        .map(|_| ())
}

/// -1 before any action was recorded.
pub fn load(conn: &mut PgConnection) -> QueryResult<i64> {
    simulator_latest::table
        .select(simulator_latest::latest)
        .first(conn)
        .optional()
        .map(|latest| latest.unwrap_or(-1))
}
