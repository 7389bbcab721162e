//! User queries.

use common::list::ListRequest;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use uuid::Uuid;

use super::like_pattern;
use super::models::{NewUser, User};
use super::schema::users;

/// Case-insensitive match on username or email.
pub fn find_by_login(conn: &mut PgConnection, login: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(
            sql::<Bool>("lower(username) = lower(")
                .bind::<Text, _>(login)
                .sql(") OR lower(email) = lower(")
                .bind::<Text, _>(login)
                .sql(")"),
        )
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_email(conn: &mut PgConnection, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(
            sql::<Bool>("lower(email) = lower(")
                .bind::<Text, _>(email)
                .sql(")"),
        )
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn find(conn: &mut PgConnection, id: Uuid) -> QueryResult<User> {
    users::table.find(id).select(User::as_select()).first(conn)
}

/// Which of username and email are already taken (case-insensitively) by
/// anyone but `except`.
pub fn taken(
    conn: &mut PgConnection,
    username: &str,
    email: &str,
    except: Option<Uuid>,
) -> QueryResult<(bool, bool)> {
    let same_name = || {
        sql::<Bool>("lower(username) = lower(")
            .bind::<Text, _>(username.to_owned())
            .sql(")")
    };
    let same_email = || {
        sql::<Bool>("lower(email) = lower(")
            .bind::<Text, _>(email.to_owned())
            .sql(")")
    };
    let rows: Vec<(Uuid, bool, bool)> = users::table
        .filter(same_name().or(same_email()))
        .select((users::id, same_name(), same_email()))
        .load(conn)?;
    Ok(rows
        .iter()
        .filter(|(id, _, _)| Some(*id) != except)
        .fold((false, false), |(u, e), (_, ru, re)| (u || *ru, e || *re)))
}

pub fn insert(conn: &mut PgConnection, user: &NewUser) -> QueryResult<User> {
    diesel::insert_into(users::table)
        .values(user)
        .returning(User::as_returning())
        .get_result(conn)
}

/// Narrowing of a user list beyond the free-text search.
#[derive(Debug, Default)]
pub struct Filters<'a> {
    pub status: Option<&'a str>,
    /// Exact username, ignoring case.
    pub username: Option<&'a str>,
}

/// Users matching the request's search and status filter, one page, and the total.
pub fn list(
    conn: &mut PgConnection,
    request: &ListRequest,
    filters: &Filters,
) -> QueryResult<(Vec<User>, i64)> {
    let filtered = || {
        let mut query = users::table.into_boxed();
        if let Some(q) = &request.q {
            let pattern = like_pattern(q);
            query = query.filter(
                users::username
                    .ilike(pattern.clone())
                    .or(users::email.ilike(pattern)),
            );
        }
        if let Some(status) = filters.status {
            query = query.filter(users::status.eq(status.to_owned()));
        }
        if let Some(username) = filters.username {
            query = query.filter(
                sql::<Bool>("lower(username) = lower(")
                    .bind::<Text, _>(username.to_owned())
                    .sql(")"),
            );
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let mut query = filtered().select(User::as_select());
    for key in &request.sort {
        query = match (key.field, key.descending) {
            ("username", false) => query.then_order_by(users::username.asc()),
            ("username", true) => query.then_order_by(users::username.desc()),
            ("email", false) => query.then_order_by(users::email.asc()),
            ("email", true) => query.then_order_by(users::email.desc()),
            ("status", false) => query.then_order_by(users::status.asc()),
            ("status", true) => query.then_order_by(users::status.desc()),
            ("last_login_at", false) => {
                query.then_order_by(users::last_login_at.asc().nulls_first())
            }
            ("last_login_at", true) => {
                query.then_order_by(users::last_login_at.desc().nulls_last())
            }
            ("created_at", true) => query.then_order_by(users::created_at.desc()),
            _ => query.then_order_by(users::created_at.asc()),
        };
    }
    let rows = query
        .then_order_by(users::id.asc())
        .offset(request.offset())
        .limit(request.limit())
        .load(conn)?;
    Ok((rows, total))
}

/// The sort fields `list` understands.
pub const SORT_FIELDS: &[&str] = &["username", "email", "status", "created_at", "last_login_at"];

/// Stores a new password hash (of a password that meets the policy, so an
/// account limited by a weak password is limited no more).
pub fn set_password(conn: &mut PgConnection, id: Uuid, hash: &str) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(hash),
            users::password_meets_policy.eq(true),
            users::security_stamp.eq(Uuid::new_v4()),
            users::updated_at.eq(chrono::Utc::now()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Moves the account to `status` with the reason shown to the person; an
/// administrator activating an account also approves it.
pub fn set_status(
    conn: &mut PgConnection,
    id: Uuid,
    status: &str,
    reason: Option<String>,
) -> QueryResult<User> {
    let activated = status == super::models::status::ACTIVE;
    // Leaving `active` ends every session, here and in the other services.
    let stamp = diesel::dsl::sql::<diesel::sql_types::Uuid>(if activated {
        "security_stamp"
    } else {
        "gen_random_uuid()"
    });
    diesel::update(users::table.find(id))
        .set((
            users::security_stamp.eq(stamp),
            users::approved.eq(users::approved.or(activated.into_sql::<Bool>())),
            users::status.eq(status),
            users::status_reason.eq(reason),
            users::updated_at.eq(chrono::Utc::now()),
        ))
        .returning(User::as_returning())
        .get_result(conn)
}

/// Replaces the account's platform roles.
pub fn set_roles(conn: &mut PgConnection, id: Uuid, roles: Vec<String>) -> QueryResult<User> {
    diesel::update(users::table.find(id))
        .set((
            users::roles.eq(roles),
            users::updated_at.eq(chrono::Utc::now()),
        ))
        .returning(User::as_returning())
        .get_result(conn)
}

/// Stores the account's name, email address and full name.
pub fn set_profile(
    conn: &mut PgConnection,
    id: Uuid,
    username: &str,
    email: &str,
    full_name: &str,
) -> QueryResult<User> {
    diesel::update(users::table.find(id))
        .set((
            users::username.eq(username),
            users::email.eq(email),
            users::full_name.eq(full_name),
            users::updated_at.eq(chrono::Utc::now()),
        ))
        .returning(User::as_returning())
        .get_result(conn)
}

/// Records a successful login.
pub fn touch_login(conn: &mut PgConnection, id: Uuid) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(users::last_login_at.eq(chrono::Utc::now()))
        .execute(conn)
        .map(|_| ())
}
