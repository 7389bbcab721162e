//! Checks that a service's migrations can be reverted and applied again,
//! leaving the same schema: what an operator rolling back a release relies on.

use common::migrations::Migrations;
use diesel::sql_types::Text;
use diesel::{PgConnection, QueryableByName, RunQueryDsl};
use diesel_migrations::MigrationHarness;

use crate::TestDb;

#[derive(QueryableByName, Debug, PartialEq, Eq)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

/// Every table, column, index, constraint, type and function the migrations
/// made, one line each, sorted.
#[allow(clippy::expect_used)]
fn schema(conn: &mut PgConnection) -> Vec<String> {
    diesel::sql_query(
        "SELECT line FROM (
           SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type
                  || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS line
             FROM information_schema.columns WHERE table_schema = 'public'
           UNION ALL
           SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
           UNION ALL
           SELECT 'constraint ' || conrelid::regclass || ' ' || pg_get_constraintdef(oid)
             FROM pg_constraint WHERE connamespace = 'public'::regnamespace
           UNION ALL
           SELECT 'type ' || typname FROM pg_type
            WHERE typnamespace = 'public'::regnamespace AND typtype IN ('e', 'd')
           UNION ALL
           SELECT 'function ' || proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace
         ) everything
         WHERE line NOT LIKE '%__diesel_schema_migrations%'
         ORDER BY line",
    )
    .load::<Line>(conn)
    .expect("read the schema")
    .into_iter()
    .map(|l| l.line)
    .collect()
}

/// Applies `migrations` to an empty database, reverts them all (which must
/// leave nothing behind), and applies them again (which must give the same
/// schema as the first time).
#[allow(clippy::expect_used)]
pub fn assert_migrations_reversible(service: &str, migrations: Migrations) {
    let db = TestDb::empty(service);
    let mut conn = db.connect();
    conn.run_pending_migrations(migrations)
        .expect("migrations apply to an empty database");
    let first = schema(&mut conn);
    assert!(!first.is_empty(), "the migrations made nothing");
    conn.revert_all_migrations(migrations)
        .expect("every migration reverts");
    assert_eq!(
        schema(&mut conn),
        Vec::<String>::new(),
        "reverting every migration leaves this behind"
    );
    conn.run_pending_migrations(migrations)
        .expect("migrations apply again after a full revert");
    assert_eq!(
        schema(&mut conn),
        first,
        "the second run made another schema"
    );
}
