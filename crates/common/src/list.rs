//! List endpoints: pagination, declared sort fields (returned as `sort_options`)
//! and CSV export for administrators.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use crate::auth_user::AuthUser;
use crate::error::ApiError;

pub const DEFAULT_PER_PAGE: i64 = 20;
pub const MAX_PER_PAGE: i64 = 100;
/// Pages beyond this are refused rather than computed into a huge offset.
pub const MAX_PAGE: i64 = 1_000_000;
/// Characters a search (`q`) may have.
pub const MAX_QUERY: usize = 200;
/// The most rows one CSV export returns.
pub const MAX_EXPORT_ROWS: i64 = 100_000;

/// Query parameters every list accepts.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ListParams {
    /// 1-based page number.
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<i64>,
    /// Items per page, 1 to 100.
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<i64>,
    /// Comma-separated sort fields; a leading `-` sorts descending.
    pub sort: Option<String>,
    /// `csv` for a CSV export (administrators only), or `json`.
    #[param(pattern = "^(json|csv)$")]
    pub format: Option<String>,
    /// Free-text search, where the list supports it (at most 200 characters).
    #[param(max_length = 200)]
    pub q: Option<String>,
}

/// One sort key of a parsed request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortKey {
    pub field: &'static str,
    pub descending: bool,
}

/// A list request checked against the fields the endpoint declares.
#[derive(Debug, Clone)]
pub struct ListRequest {
    pub page: i64,
    pub per_page: i64,
    pub sort: Vec<SortKey>,
    pub csv: bool,
    pub q: Option<String>,
    declared: &'static [&'static str],
}

impl ListRequest {
    /// Validates `params`; `default_sort` is used when none is asked for.
    pub fn parse(
        params: ListParams,
        declared: &'static [&'static str],
        default_sort: &str,
        req: &HttpRequest,
    ) -> Result<Self, ApiError> {
        let page = params.page.unwrap_or(1);
        if !(1..=MAX_PAGE).contains(&page) {
            return Err(ApiError::bad_request(format!(
                "page must be between 1 and {MAX_PAGE}"
            )));
        }
        let per_page = params.per_page.unwrap_or(DEFAULT_PER_PAGE);
        if !(1..=MAX_PER_PAGE).contains(&per_page) {
            return Err(ApiError::bad_request(format!(
                "per_page must be between 1 and {MAX_PER_PAGE}"
            )));
        }
        let sort = parse_sort(params.sort.as_deref().unwrap_or(default_sort), declared)?;
        let csv = match params.format.as_deref() {
            Some("csv") => true,
            Some("json") => false,
            Some(other) => {
                return Err(ApiError::bad_request(format!(
                    "format must be json or csv, not {other:?}"
                )))
            }
            None => req
                .headers()
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|accept| accept.contains("text/csv")),
        };
        if params
            .q
            .as_ref()
            .is_some_and(|q| q.chars().count() > MAX_QUERY)
        {
            return Err(ApiError::field(
                "q",
                format!("must be at most {MAX_QUERY} characters"),
            ));
        }
        let q = params
            .q
            .map(|q| q.trim().to_owned())
            .filter(|q| !q.is_empty());
        Ok(Self {
            page,
            per_page,
            sort,
            csv,
            q,
            declared,
        })
    }

    /// Rows to skip.
    pub fn offset(&self) -> i64 {
        if self.csv {
            0
        } else {
            (self.page - 1) * self.per_page
        }
    }

    /// Rows to fetch: one page, or everything up to the export limit for CSV.
    pub fn limit(&self) -> i64 {
        if self.csv {
            MAX_EXPORT_ROWS
        } else {
            self.per_page
        }
    }

    /// 403 for a CSV request from anyone but an administrator.
    pub fn authorize_export(&self, caller: Option<&AuthUser>) -> Result<(), ApiError> {
        if self.csv && !caller.is_some_and(AuthUser::is_admin) {
            return Err(ApiError::forbidden(
                "only administrators may export lists as CSV",
            ));
        }
        Ok(())
    }

    /// The JSON page or CSV file for `items` out of `total`.
    pub fn respond<T: Serialize + CsvRow>(&self, items: Vec<T>, total: i64) -> HttpResponse {
        if self.csv {
            return HttpResponse::Ok()
                .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
                .body(to_csv(&items));
        }
        HttpResponse::Ok().json(self.page_of(items, total))
    }

    /// The JSON page for `items` out of `total`, or (asked for CSV) the table
    /// `csv` makes of them, with columns known only at run time.
    pub fn respond_table<T: Serialize>(
        &self,
        items: Vec<T>,
        total: i64,
        csv: impl FnOnce(&[T]) -> (Vec<String>, Vec<Vec<String>>),
    ) -> HttpResponse {
        if self.csv {
            let (header, rows) = csv(&items);
            return HttpResponse::Ok()
                .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
                .body(csv_table(&header, &rows));
        }
        HttpResponse::Ok().json(self.page_of(items, total))
    }

    /// The JSON page for `items` out of `total`.
    pub fn page_of<T>(&self, items: Vec<T>, total: i64) -> Page<T> {
        Page {
            items,
            total,
            page: self.page,
            per_page: self.per_page,
            sort: self
                .sort
                .iter()
                .map(|k| {
                    if k.descending {
                        format!("-{}", k.field)
                    } else {
                        k.field.to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join(","),
            sort_options: self.declared.to_vec(),
        }
    }
}

fn parse_sort(spec: &str, declared: &'static [&'static str]) -> Result<Vec<SortKey>, ApiError> {
    let mut keys = Vec::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (name, descending) = match part.strip_prefix('-') {
            Some(name) => (name, true),
            None => (part.strip_prefix('+').unwrap_or(part), false),
        };
        let field = declared.iter().find(|d| **d == name).ok_or_else(|| {
            ApiError::bad_request(format!(
                "cannot sort by {name:?}; sort by one of: {}",
                declared.join(", ")
            ))
        })?;
        // A field named again changes nothing; keeping it would let a long
        // `sort` build a query whose construction takes exponential time.
        if keys.iter().any(|key: &SortKey| key.field == *field) {
            continue;
        }
        keys.push(SortKey { field, descending });
    }
    Ok(keys)
}

/// A page of results with the options a client needs for its controls.
#[derive(Debug, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    /// The sort applied, in `?sort=` syntax.
    pub sort: String,
    /// Fields this list can sort by (prefix `-` for descending).
    pub sort_options: Vec<&'static str>,
}

/// A row of a CSV export.
pub trait CsvRow {
    fn csv_header() -> &'static [&'static str];
    fn csv_row(&self) -> Vec<String>;
}

/// CSV with quoting, and a leading `'` on cells a spreadsheet would run as a formula.
pub fn to_csv<T: CsvRow>(items: &[T]) -> String {
    let rows: Vec<Vec<String>> = items.iter().map(CsvRow::csv_row).collect();
    csv_table(T::csv_header(), &rows)
}

/// [`to_csv`] for a table whose columns are known only at run time (a
/// form's questions).
pub fn csv_table<H: AsRef<str>>(header: &[H], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    let header: Vec<String> = header.iter().map(|h| csv_cell(h.as_ref())).collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

fn csv_cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_rejects_undeclared_fields_and_names_the_allowed_ones() {
        let err = parse_sort("-password", &["username", "created_at"]).unwrap_err();
        assert!(
            err.detail.contains("username, created_at"),
            "{}",
            err.detail
        );
        let keys = parse_sort("-created_at,username", &["username", "created_at"]).unwrap();
        assert_eq!(
            keys[0],
            SortKey {
                field: "created_at",
                descending: true
            }
        );
        assert_eq!(
            keys[1],
            SortKey {
                field: "username",
                descending: false
            }
        );
    }

    #[test]
    fn a_field_named_again_is_sorted_by_once() {
        let long = ["-created_at", "username"].repeat(500).join(",");
        let keys = parse_sort(&long, &["username", "created_at"]).unwrap();
        assert_eq!(
            keys,
            [
                SortKey {
                    field: "created_at",
                    descending: true
                },
                SortKey {
                    field: "username",
                    descending: false
                }
            ]
        );
    }

    fn parse(query: &str, accept: Option<&str>) -> Result<ListRequest, ApiError> {
        let mut request = actix_web::test::TestRequest::default();
        if let Some(accept) = accept {
            request = request.insert_header((header::ACCEPT, accept));
        }
        let params = actix_web::web::Query::<ListParams>::from_query(query)
            .unwrap_or_else(|e| panic!("{e}"))
            .into_inner();
        ListRequest::parse(
            params,
            &["username", "created_at"],
            "-created_at",
            &request.to_http_request(),
        )
    }

    #[test]
    fn pages_default_and_bounds_are_checked() {
        let default = parse("", None).unwrap();
        assert_eq!((default.page, default.per_page), (1, DEFAULT_PER_PAGE));
        assert_eq!(default.offset(), 0);
        let third = parse("page=3&per_page=10", None).unwrap();
        assert_eq!((third.offset(), third.limit()), (20, 10));
        for bad in [
            "page=0",
            "per_page=0",
            &format!("per_page={}", MAX_PER_PAGE + 1),
            &format!("page={}", MAX_PAGE + 1),
        ] {
            let error = parse(bad, None).unwrap_err();
            assert_eq!(
                error.status,
                actix_web::http::StatusCode::BAD_REQUEST,
                "{bad}"
            );
        }
    }

    #[test]
    fn csv_is_asked_for_by_format_or_accept_and_q_is_trimmed() {
        assert!(parse("format=csv", None).unwrap().csv);
        assert!(!parse("format=json", Some("text/csv")).unwrap().csv);
        assert!(parse("", Some("text/csv, */*")).unwrap().csv);
        assert!(!parse("", None).unwrap().csv);
        let error = parse("format=xml", None).unwrap_err();
        assert!(error.detail.contains("json or csv"), "{}", error.detail);
        assert_eq!(
            parse("q=%20ann%20", None).unwrap().q.as_deref(),
            Some("ann")
        );
        assert_eq!(parse("q=%20%20", None).unwrap().q, None);
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
