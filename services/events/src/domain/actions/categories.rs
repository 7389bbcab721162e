//! Event categories: everyone reads, administrators write.

use common::list::ListRequest;
use common::{db, ApiError, Infra, Validator};
use uuid::Uuid;

use crate::db::categories::{self, Category};
use crate::domain::refusal::Refusal;
use crate::domain::validate;

/// A category's fields as written; absent ones stay when changing.
#[derive(Debug, Clone, Default)]
pub struct CategoryFields {
    /// Required when creating.
    pub name: Option<String>,
    pub description: Option<String>,
}

/// A page of categories and how many there are.
pub async fn list_categories(
    infra: &Infra,
    list: ListRequest,
) -> Result<(Vec<Category>, i64), ApiError> {
    db::run(&infra.pool, move |conn| Ok(categories::list(conn, &list)?)).await
}

/// A new category; 409 `category_exists` for a name taken (in any case).
pub async fn create_category(infra: &Infra, fields: CategoryFields) -> Result<Category, ApiError> {
    check(&fields, true)?;
    db::run(&infra.pool, move |conn| {
        let name = fields.name.unwrap_or_default();
        categories::insert(
            conn,
            name.trim(),
            fields.description.as_deref().unwrap_or(""),
        )?
        .ok_or_else(|| ApiError::from(Refusal::CategoryExists))
    })
    .await
}

/// Changes category `id`; 404 when none, 409 `category_exists`.
pub async fn update_category(
    infra: &Infra,
    id: Uuid,
    fields: CategoryFields,
) -> Result<Category, ApiError> {
    check(&fields, false)?;
    db::run(&infra.pool, move |conn| {
        categories::update(
            conn,
            id,
            fields.name.as_deref().map(str::trim),
            fields.description.as_deref(),
        )
        .map_err(taken)?
        .ok_or_else(|| ApiError::not_found("no such category"))
    })
    .await
}

/// Deletes category `id`; 404 when none.
pub async fn delete_category(infra: &Infra, id: Uuid) -> Result<(), ApiError> {
    let deleted = db::run(&infra.pool, move |conn| Ok(categories::delete(conn, id)?)).await?;
    if deleted == 0 {
        return Err(ApiError::not_found("no such category"));
    }
    Ok(())
}

fn check(fields: &CategoryFields, creating: bool) -> Result<(), ApiError> {
    let mut v = Validator::new();
    match &fields.name {
        Some(name) => {
            validate::text(&mut v, "name", name, 100);
            v.check(!name.trim().is_empty(), "name", "must not be empty");
        }
        None => {
            v.check(!creating, "name", "is required");
        }
    }
    if let Some(description) = &fields.description {
        validate::text(&mut v, "description", description, 2000);
    }
    v.finish()
}

fn taken(error: diesel::result::Error) -> ApiError {
    match error {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => ApiError::from(Refusal::CategoryExists),
        other => other.into(),
    }
}
