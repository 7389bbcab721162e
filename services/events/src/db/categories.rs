//! Event categories.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::schema::categories;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = categories)]
pub struct Category {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub created_at: DateTime<Utc>,
}

impl common::list::CsvRow for Category {
    fn csv_header() -> &'static [&'static str] {
        &["id", "name", "description", "created_at"]
    }
    fn csv_row(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.name.clone(),
            self.description.clone(),
            self.created_at.to_rfc3339(),
        ]
    }
}

pub const SORT_FIELDS: &[&str] = &["name", "created_at"];

pub fn list(
    conn: &mut PgConnection,
    request: &common::list::ListRequest,
) -> QueryResult<(Vec<Category>, i64)> {
    let total = categories::table.count().get_result(conn)?;
    let mut query = categories::table.select(Category::as_select()).into_boxed();
    for key in &request.sort {
        query = match (key.field, key.descending) {
            ("name", false) => query.then_order_by(categories::name.asc()),
            ("name", true) => query.then_order_by(categories::name.desc()),
            ("created_at", false) => query.then_order_by(categories::created_at.asc()),
            _ => query.then_order_by(categories::created_at.desc()),
        };
    }
    let rows = query
        .then_order_by(categories::id.asc())
        .offset(request.offset())
        .limit(request.limit())
        .load(conn)?;
    Ok((rows, total))
}

pub fn exists(conn: &mut PgConnection, id: Uuid) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(categories::table.find(id))).get_result(conn)
}

/// `None` when the name is taken.
pub fn insert(
    conn: &mut PgConnection,
    name: &str,
    description: &str,
) -> QueryResult<Option<Category>> {
    diesel::insert_into(categories::table)
        .values((
            categories::name.eq(name),
            categories::description.eq(description),
        ))
        .on_conflict_do_nothing()
        .returning(Category::as_returning())
        .get_result(conn)
        .optional()
}

pub fn update(
    conn: &mut PgConnection,
    id: Uuid,
    name: Option<&str>,
    description: Option<&str>,
) -> QueryResult<Option<Category>> {
    let Some(current) = categories::table
        .find(id)
        .select(Category::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    diesel::update(categories::table.find(id))
        .set((
            categories::name.eq(name.unwrap_or(&current.name)),
            categories::description.eq(description.unwrap_or(&current.description)),
        ))
        .returning(Category::as_returning())
        .get_result(conn)
        .optional()
}

pub fn delete(conn: &mut PgConnection, id: Uuid) -> QueryResult<usize> {
    diesel::delete(categories::table.find(id)).execute(conn)
}
