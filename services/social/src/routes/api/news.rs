//! News articles: public to read; administrators and leaders of committees write.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use common::auth_user::{AuthUser, MaybeAuthUser};
use common::list::{ListParams, ListRequest};
use common::{db, ApiError, Infra, Validator};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::db::news::{self, Article, Content};
use crate::domain::permissions::{leads_committee, require_news_writer};
use crate::state::SocialState;
use common::images::{self, ImageRecord};

pub const TITLE_MAX: usize = 200;
pub const LEAD_MAX: usize = 500;
pub const BODY_MAX: usize = 50_000;

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewArticle {
    /// 1 to 200 characters.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
    )]
    pub title: String,
    /// 1 to 500 characters: the summary lists show.
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
    )]
    pub lead: String,
    /// 1 to 50,000 characters.
    #[schema(
        min_length = 1,
        max_length = 50000,
        pattern = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
    )]
    pub body: String,
    /// Not accepted any more (empty or absent): upload the image with `POST
    /// /v1/news/{id}/image`.
    #[schema(max_length = 0)]
    pub image_url: Option<String>,
    /// The committee the article speaks for (required for committee leaders).
    pub group: Option<String>,
}

/// Every field optional.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ArticleChange {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
    )]
    pub title: Option<String>,
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
    )]
    pub lead: Option<String>,
    #[schema(
        min_length = 1,
        max_length = 50000,
        pattern = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
    )]
    pub body: Option<String>,
    /// Not accepted any more (empty or absent): upload the image with `POST
    /// /v1/news/{id}/image`, remove it with `DELETE`.
    #[schema(max_length = 0)]
    pub image_url: Option<String>,
}

fn length_ok(value: &str, max: usize) -> bool {
    !value.trim().is_empty() && value.chars().count() <= max
}

/// Checks an article's fields; an image URL is refused (images are
/// uploaded, never linked from anywhere).
fn check(content: &Content, image_url: &Option<String>) -> Result<(), ApiError> {
    let mut v = Validator::new();
    v.check(
        image_url.as_deref().is_none_or(str::is_empty),
        "image_url",
        "images are uploaded, not linked: POST /v1/news/{id}/image with the image as \
         multipart/form-data field \"file\"",
    );
    v.check(
        length_ok(&content.title, TITLE_MAX),
        "title",
        format!("1 to {TITLE_MAX} characters"),
    )
    .check(
        length_ok(&content.lead, LEAD_MAX),
        "lead",
        format!("1 to {LEAD_MAX} characters"),
    )
    .check(
        length_ok(&content.body, BODY_MAX),
        "body",
        format!("1 to {BODY_MAX} characters"),
    );
    v.finish()
}

#[utoipa::path(tag = "news", request_body = NewArticle,
    security(("bearer" = [])),
    responses((status = 201, body = Article), (status = 403), (status = 422)))]
#[post("/v1/news")]
pub async fn create_news(
    infra: web::Data<Infra>,
    caller: AuthUser,
    body: common::Json<NewArticle>,
) -> Result<HttpResponse, ApiError> {
    let article = body.into_inner();
    let group = article
        .group
        .map(|g| g.trim().to_owned())
        .filter(|g| !g.is_empty());
    require_news_writer(&caller, group.as_deref())?;
    let content = Content {
        title: article.title.trim().to_owned(),
        lead: article.lead.trim().to_owned(),
        body: article.body,
    };
    check(&content, &article.image_url)?;
    let (author, name) = (caller.id, caller.username.clone());
    let created = db::run(&infra.pool, move |conn| {
        Ok(news::insert(
            conn,
            &content,
            author,
            &name,
            group.as_deref(),
        )?)
    })
    .await?;
    infra.metrics.count("news_published");
    Ok(HttpResponse::Created().json(created))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct NewsFilter {
    /// Only articles of this committee.
    pub group: Option<String>,
}

#[utoipa::path(tag = "news", params(ListParams, NewsFilter, ("sort" = Option<String>, Query, pattern = "^([-+]?(created_at|updated_at|title)(,[-+]?(created_at|updated_at|title))*)?$", description = "Comma-separated sort fields, `-` first for descending: created_at, updated_at, title.")),
    responses((status = 200, description = "a page of articles; sort by created_at, updated_at, title; q searches title and lead")))]
#[get("/v1/news")]
pub async fn list_news(
    req: HttpRequest,
    infra: web::Data<Infra>,
    caller: MaybeAuthUser,
    params: web::Query<ListParams>,
    filter: web::Query<NewsFilter>,
) -> Result<HttpResponse, ApiError> {
    let request = ListRequest::parse(params.into_inner(), news::SORT_FIELDS, "-created_at", &req)?;
    request.authorize_export(caller.0.as_ref())?;
    let query = request.clone();
    let group = filter.into_inner().group;
    let (rows, total) = db::run(&infra.pool, move |conn| {
        Ok(news::list(conn, &query, group.as_deref())?)
    })
    .await?;
    Ok(request.respond(rows, total))
}

pub(super) async fn load(infra: &Infra, id: i64) -> Result<Article, ApiError> {
    db::run(&infra.pool, move |conn| Ok(news::find(conn, id)?))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no news article {id}")))
}

#[utoipa::path(tag = "news",
    responses((status = 200, body = Article), (status = 404)))]
#[get("/v1/news/{id}")]
pub async fn get_news(
    infra: web::Data<Infra>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(load(&infra, id.into_inner()).await?))
}

/// Its author, administrators, and the current leaders of its committee may
/// change or delete an article.
pub(super) fn require_editor(caller: &AuthUser, article: &Article) -> Result<(), ApiError> {
    let leads = article
        .group_slug
        .as_deref()
        .is_some_and(|slug| leads_committee(caller, slug));
    if caller.is_admin() || caller.id == article.author_id || leads {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "only the author, leaders of its committee and administrators may change this article",
        ))
    }
}

#[utoipa::path(tag = "news", request_body = ArticleChange,
    security(("bearer" = [])),
    responses((status = 200, body = Article), (status = 403), (status = 404), (status = 422)))]
#[patch("/v1/news/{id}")]
pub async fn update_news(
    infra: web::Data<Infra>,
    caller: AuthUser,
    id: web::Path<i64>,
    body: common::Json<ArticleChange>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let article = load(&infra, id).await?;
    require_editor(&caller, &article)?;
    let change = body.into_inner();
    let content = Content {
        title: change
            .title
            .map(|t| t.trim().to_owned())
            .unwrap_or(article.title),
        lead: change
            .lead
            .map(|l| l.trim().to_owned())
            .unwrap_or(article.lead),
        body: change.body.unwrap_or(article.body),
    };
    check(&content, &change.image_url)?;
    let updated = db::run(&infra.pool, move |conn| {
        Ok(news::update(conn, id, &content)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(updated))
}

#[utoipa::path(tag = "news",
    security(("bearer" = [])),
    responses((status = 204), (status = 403), (status = 404)))]
#[delete("/v1/news/{id}")]
pub async fn delete_news(
    infra: web::Data<Infra>,
    state: web::Data<SocialState>,
    caller: AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let article = load(&infra, id).await?;
    require_editor(&caller, &article)?;
    db::run(&infra.pool, move |conn| Ok(news::delete(conn, id)?)).await?;
    // Its image goes with it (what the store refuses now, the sweep takes).
    if let Some(record) = ImageRecord::from_json(article.image.as_ref()) {
        images::delete_files(&state.media, &record).await;
    }
    Ok(HttpResponse::NoContent().finish())
}
