//! Per-test databases, copied from a template that is migrated once per
//! migration set (its name carries a hash of the migration files).

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use diesel::{Connection, PgConnection, RunQueryDsl};
use uuid::Uuid;

/// The server tests create databases on (`TEST_DATABASE_URL`, a database to
/// connect to for administration). Without TLS by default: a test process
/// exits while pools may still be reconnecting, and libpq inside OpenSSL at
/// that moment crashes on OpenSSL's exit-time cleanup (SIGSEGV after the test passed).
pub fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| {
        "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable&gssencmode=disable".into()
    })
}

fn url_for(database: &str) -> String {
    with_database(&admin_url(), database)
}

/// `url` with its database replaced by `database`, keeping its options
/// (`?sslmode=...`).
fn with_database(url: &str, database: &str) -> String {
    let (address, options) = match url.split_once('?') {
        Some((address, options)) => (address, Some(options)),
        None => (url, None),
    };
    let base = address
        .rsplit_once('/')
        .map(|(base, _)| base)
        .unwrap_or(address);
    match options {
        Some(options) => format!("{base}/{database}?{options}"),
        None => format!("{base}/{database}"),
    }
}

/// A database that exists for one test and is dropped with it.
pub struct TestDb {
    pub name: String,
    pub url: String,
}

#[derive(diesel::QueryableByName)]
struct Exists {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    exists: bool,
}

#[allow(clippy::expect_used)]
fn admin() -> PgConnection {
    PgConnection::establish(&admin_url()).expect("PostgreSQL reachable at TEST_DATABASE_URL")
}

/// Hash of every file under `dirs`, so a changed migration makes a new template.
fn migrations_hash(dirs: &[PathBuf]) -> u64 {
    let mut files: Vec<_> = dirs.iter().flat_map(|dir| walk(dir)).collect();
    files.sort();
    let mut hasher = DefaultHasher::new();
    for file in files {
        file.hash(&mut hasher);
        std::fs::read(&file).unwrap_or_default().hash(&mut hasher);
    }
    hasher.finish()
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return vec![];
    };
    entries
        .flatten()
        .flat_map(|e| {
            if e.path().is_dir() {
                walk(&e.path())
            } else {
                vec![e.path()]
            }
        })
        .collect()
}

impl TestDb {
    /// Copies (creating it first if needed) the migrated template of `service`.
    #[allow(clippy::expect_used)]
    pub fn create(
        service: &str,
        migrations: common::migrations::Migrations,
        migration_dirs: &[PathBuf],
    ) -> Self {
        let template = format!("tpl_{service}_{:016x}", migrations_hash(migration_dirs));
        let mut conn = admin();
        // One test process at a time builds the template.
        diesel::sql_query("SELECT pg_advisory_lock(7427001)")
            .execute(&mut conn)
            .expect("advisory lock");
        let exists = diesel::sql_query(
            "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists",
        )
        .bind::<diesel::sql_types::Text, _>(&template)
        .get_result::<Exists>(&mut conn)
        .expect("query pg_database")
        .exists;
        if !exists {
            let building = format!("{template}_building");
            diesel::sql_query(format!("DROP DATABASE IF EXISTS {building}"))
                .execute(&mut conn)
                .expect("drop");
            diesel::sql_query(format!("CREATE DATABASE {building}"))
                .execute(&mut conn)
                .expect("create template");
            {
                let mut target =
                    PgConnection::establish(&url_for(&building)).expect("connect to template");
                common::db::migrate(&mut target, migrations, 1).expect("migrate template");
            }
            diesel::sql_query(format!("ALTER DATABASE {building} RENAME TO {template}"))
                .execute(&mut conn)
                .expect("rename template");
        }
        diesel::sql_query("SELECT pg_advisory_unlock(7427001)")
            .execute(&mut conn)
            .expect("advisory unlock");
        let name = format!("test_{service}_{}", Uuid::new_v4().simple());
        diesel::sql_query(format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .execute(&mut conn)
            .expect("create test database");
        Self {
            url: url_for(&name),
            name,
        }
    }

    /// An empty database (no migrations applied), dropped with the test.
    #[allow(clippy::expect_used)]
    pub fn empty(service: &str) -> Self {
        let name = format!("test_{service}_{}", Uuid::new_v4().simple());
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut admin())
            .expect("create test database");
        Self {
            url: url_for(&name),
            name,
        }
    }

    /// A direct connection, for arranging and checking state.
    #[allow(clippy::expect_used)]
    pub fn connect(&self) -> PgConnection {
        PgConnection::establish(&self.url).expect("connect to test database")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let mut conn = admin();
        let _ = diesel::sql_query(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ))
        .execute(&mut conn);
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn test_database_urls_keep_the_admin_urls_options() {
        assert_eq!(
            with_database("postgres://u@h:5432/postgres?sslmode=disable", "test_x"),
            "postgres://u@h:5432/test_x?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://u@h:5432/postgres", "test_x"),
            "postgres://u@h:5432/test_x"
        );
    }
}
