//! News articles.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::schema::news_articles as news;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = news)]
pub struct Article {
    pub id: i64,
    pub title: String,
    pub lead: String,
    pub body: String,
    /// The display size of the uploaded image.
    pub image_url: Option<String>,
    pub author_id: Uuid,
    pub author_username: String,
    /// The committee the article speaks for; null for an administrator's own.
    pub group_slug: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The uploaded image in all its sizes.
    #[serde(serialize_with = "common::images::serialize_view")]
    #[schema(value_type = Option<common::images::ImageView>)]
    pub image: Option<serde_json::Value>,
}

impl common::list::CsvRow for Article {
    fn csv_header() -> &'static [&'static str] {
        &[
            "id",
            "title",
            "lead",
            "author",
            "group",
            "created_at",
            "updated_at",
        ]
    }
    fn csv_row(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.title.clone(),
            self.lead.clone(),
            self.author_username.clone(),
            self.group_slug.clone().unwrap_or_default(),
            self.created_at.to_rfc3339(),
            self.updated_at.to_rfc3339(),
        ]
    }
}

/// An article's editable fields.
#[derive(Debug, Clone, AsChangeset, Insertable)]
#[diesel(table_name = news)]
pub struct Content {
    pub title: String,
    pub lead: String,
    pub body: String,
}

pub const SORT_FIELDS: &[&str] = &["created_at", "updated_at", "title"];

pub fn insert(
    conn: &mut PgConnection,
    content: &Content,
    author_id: Uuid,
    author_username: &str,
    group_slug: Option<&str>,
) -> QueryResult<Article> {
    diesel::insert_into(news::table)
        .values((
            content,
            news::author_id.eq(author_id),
            news::author_username.eq(author_username),
            news::group_slug.eq(group_slug),
        ))
        .returning(Article::as_returning())
        .get_result(conn)
}

pub fn find(conn: &mut PgConnection, id: i64) -> QueryResult<Option<Article>> {
    news::table
        .find(id)
        .select(Article::as_select())
        .first(conn)
        .optional()
}

/// The article, its row locked until the transaction ends (two uploads at
/// once: each deletes what the other replaced, never a file still in use).
pub fn find_for_update(conn: &mut PgConnection, id: i64) -> QueryResult<Option<Article>> {
    news::table
        .find(id)
        .select(Article::as_select())
        .for_update()
        .first(conn)
        .optional()
}

pub fn update(conn: &mut PgConnection, id: i64, content: &Content) -> QueryResult<Article> {
    diesel::update(news::table.find(id))
        .set((content, news::updated_at.eq(Utc::now())))
        .returning(Article::as_returning())
        .get_result(conn)
}

/// Sets (or, with `None`, removes) the article's image and its display URL.
pub fn set_image(
    conn: &mut PgConnection,
    id: i64,
    image: Option<serde_json::Value>,
    display_url: Option<String>,
) -> QueryResult<usize> {
    diesel::update(news::table.find(id))
        .set((
            news::image.eq(image),
            news::image_url.eq(display_url),
            news::updated_at.eq(Utc::now()),
        ))
        .execute(conn)
}

pub fn delete(conn: &mut PgConnection, id: i64) -> QueryResult<bool> {
    diesel::delete(news::table.find(id))
        .execute(conn)
        .map(|n| n == 1)
}

/// One page of articles (optionally of one group, or matching `q` in title
/// or lead), with the total.
pub fn list(
    conn: &mut PgConnection,
    request: &common::list::ListRequest,
    group: Option<&str>,
) -> QueryResult<(Vec<Article>, i64)> {
    let filtered = || {
        let mut query = news::table.into_boxed();
        if let Some(group) = group {
            query = query.filter(news::group_slug.eq(group.to_owned()));
        }
        if let Some(q) = &request.q {
            let pattern = format!(
                "%{}%",
                q.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            query = query.filter(
                news::title
                    .ilike(pattern.clone())
                    .or(news::lead.ilike(pattern)),
            );
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let mut query = filtered()
        .select(Article::as_select())
        .offset(request.offset())
        .limit(request.limit());
    for key in &request.sort {
        query = match (key.field, key.descending) {
            ("title", false) => query.then_order_by(news::title.asc()),
            ("title", true) => query.then_order_by(news::title.desc()),
            ("updated_at", false) => query.then_order_by(news::updated_at.asc()),
            ("updated_at", true) => query.then_order_by(news::updated_at.desc()),
            (_, false) => query.then_order_by(news::created_at.asc()),
            (_, true) => query.then_order_by(news::created_at.desc()),
        };
    }
    Ok((query.then_order_by(news::id.desc()).load(conn)?, total))
}

/// The image records of every article that has one (for the media sweep).
pub fn images(conn: &mut PgConnection) -> QueryResult<Vec<serde_json::Value>> {
    news::table
        .filter(news::image.is_not_null())
        .select(news::image.assume_not_null())
        .load(conn)
}
