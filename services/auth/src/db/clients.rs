//! API clients (client-credentials consumers).

use chrono::Utc;
use diesel::prelude::*;
use uuid::Uuid;

use super::models::ApiClient;
use super::schema::api_clients;

pub fn insert(
    conn: &mut PgConnection,
    name: &str,
    hash: &[u8],
    scopes: &[String],
    created_by: Option<Uuid>,
) -> QueryResult<ApiClient> {
    diesel::insert_into(api_clients::table)
        .values((
            api_clients::id.eq(Uuid::new_v4()),
            api_clients::name.eq(name),
            api_clients::secret_hash.eq(hash),
            api_clients::scopes.eq(scopes),
            api_clients::created_by.eq(created_by),
        ))
        .returning(ApiClient::as_returning())
        .get_result(conn)
}

pub fn find(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<ApiClient>> {
    api_clients::table
        .find(id)
        .select(ApiClient::as_select())
        .first(conn)
        .optional()
}

pub fn list(conn: &mut PgConnection) -> QueryResult<Vec<ApiClient>> {
    api_clients::table
        .select(ApiClient::as_select())
        .order(api_clients::created_at.asc())
        .load(conn)
}

pub fn touch(conn: &mut PgConnection, id: Uuid) -> QueryResult<()> {
    diesel::update(api_clients::table.find(id))
        .set(api_clients::last_used_at.eq(Utc::now()))
        .execute(conn)
        .map(|_| ())
}

pub fn revoke(conn: &mut PgConnection, id: Uuid) -> QueryResult<usize> {
    diesel::update(
        api_clients::table
            .find(id)
            .filter(api_clients::revoked_at.is_null()),
    )
    .set(api_clients::revoked_at.eq(Utc::now()))
    .execute(conn)
}
