//! Raw SQL that diesel keeps as a prepared statement. `diesel::sql_query`
//! marks itself unsafe to cache, so PostgreSQL parses and plans it on every
//! call; for the hot CTE statements that planning cost as much as running
//! them (bench/results/social-history.md). [`Prepared`] is cached per
//! connection, keyed by its SQL text and bind types.
//!
//! ```ignore
//! prepared("SELECT ... WHERE id = $1 AND n < $2", (bind::<Uuid, _>(id), bind::<BigInt, _>(n)))
//!     .load::<Row>(conn)
//! ```
//! `$n` may appear several times; each occurrence is sent as its own parameter.

use std::borrow::Cow;
use std::marker::PhantomData;

use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::result::QueryResult;
use diesel::serialize::ToSql;
use diesel::sql_types::{HasSqlType, Untyped};
use diesel::RunQueryDsl;

/// A statement with `$1`, `$2`, ... placeholders and its values.
pub struct Prepared<B> {
    sql: Cow<'static, str>,
    binds: B,
}

/// One value with its SQL type.
pub struct Bind<ST, V> {
    value: V,
    sql_type: PhantomData<ST>,
}

pub fn bind<ST, V>(value: V) -> Bind<ST, V> {
    Bind {
        value,
        sql_type: PhantomData,
    }
}

/// A statement and its values; build the SQL text the same way each time
/// (it is the cache key).
pub fn prepared<B: Binds>(sql: impl Into<Cow<'static, str>>, binds: B) -> Prepared<B> {
    Prepared {
        sql: sql.into(),
        binds,
    }
}

/// The values of a statement, addressed by their 1-based `$n`.
pub trait Binds {
    fn push<'b>(&'b self, n: usize, out: &mut AstPass<'_, 'b, Pg>) -> QueryResult<()>;
}

fn push_one<'b, ST, V>(bind: &'b Bind<ST, V>, out: &mut AstPass<'_, 'b, Pg>) -> QueryResult<()>
where
    Pg: HasSqlType<ST>,
    V: ToSql<ST, Pg>,
{
    out.push_bind_param::<ST, V>(&bind.value)
}

macro_rules! binds {
    ($(($n:tt, $st:ident, $v:ident)),+) => {
        impl<$($st, $v),+> Binds for ($(Bind<$st, $v>,)+)
        where
            $(Pg: HasSqlType<$st>, $v: ToSql<$st, Pg>,)+
        {
            fn push<'b>(&'b self, n: usize, out: &mut AstPass<'_, 'b, Pg>) -> QueryResult<()> {
                match n {
                    $(n if n == $n + 1 => push_one(&self.$n, out),)+
                    n => Err(diesel::result::Error::QueryBuilderError(
                        format!("the statement uses ${n} but has no such value").into(),
                    )),
                }
            }
        }
    };
}

binds!((0, S0, V0));
binds!((0, S0, V0), (1, S1, V1));
binds!((0, S0, V0), (1, S1, V1), (2, S2, V2));
binds!((0, S0, V0), (1, S1, V1), (2, S2, V2), (3, S3, V3));
binds!(
    (0, S0, V0),
    (1, S1, V1),
    (2, S2, V2),
    (3, S3, V3),
    (4, S4, V4)
);
binds!(
    (0, S0, V0),
    (1, S1, V1),
    (2, S2, V2),
    (3, S3, V3),
    (4, S4, V4),
    (5, S5, V5)
);

binds!(
    (0, S0, V0),
    (1, S1, V1),
    (2, S2, V2),
    (3, S3, V3),
    (4, S4, V4),
    (5, S5, V5),
    (6, S6, V6),
    (7, S7, V7),
    (8, S8, V8)
);
binds!(
    (0, S0, V0),
    (1, S1, V1),
    (2, S2, V2),
    (3, S3, V3),
    (4, S4, V4),
    (5, S5, V5),
    (6, S6, V6),
    (7, S7, V7),
    (8, S8, V8),
    (9, S9, V9)
);

impl<B: Binds> QueryFragment<Pg> for Prepared<B> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        let mut rest: &str = &self.sql;
        while let Some(at) = rest.find('$') {
            out.push_sql(&rest[..at]);
            let digits = rest[at + 1..]
                .find(|c: char| !c.is_ascii_digit())
                .map_or(rest.len() - at - 1, |end| end);
            if digits == 0 {
                out.push_sql("$");
                rest = &rest[at + 1..];
                continue;
            }
            let n: usize = rest[at + 1..at + 1 + digits]
                .parse()
                .map_err(|_| diesel::result::Error::QueryBuilderError("bad placeholder".into()))?;
            self.binds.push(n, &mut out)?;
            rest = &rest[at + 1 + digits..];
        }
        out.push_sql(rest);
        Ok(())
    }
}

impl<B> QueryId for Prepared<B> {
    type QueryId = ();
    // Not static: diesel then keys its cache on the SQL text and bind types.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<B> Query for Prepared<B> {
    type SqlType = Untyped;
}

impl<B, Conn> RunQueryDsl<Conn> for Prepared<B> {}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::sql_types::{BigInt, Text};

    /// The SQL diesel sends, with the values it binds.
    fn sent<B: Binds>(query: &Prepared<B>) -> String {
        diesel::debug_query::<Pg, _>(query).to_string()
    }

    #[test]
    fn placeholders_become_binds_in_the_order_they_appear() {
        let query = prepared(
            "SELECT $2 AS n, $1 AS name WHERE $2 > 0",
            (bind::<Text, _>("ann"), bind::<BigInt, _>(7_i64)),
        );
        let sql = sent(&query);
        assert!(
            sql.starts_with("SELECT $1 AS n, $2 AS name WHERE $3 > 0"),
            "{sql}"
        );
        assert!(sql.contains(r#"binds: [7, "ann", 7]"#), "{sql}");
    }

    #[test]
    fn a_dollar_without_digits_is_left_alone() {
        let query = prepared("SELECT '$', $x$, $1", (bind::<BigInt, _>(1_i64),));
        let sql = sent(&query);
        assert!(sql.starts_with("SELECT '$', $x$, $1"), "{sql}");
    }

    #[test]
    fn a_placeholder_past_the_values_is_an_error_not_a_panic() {
        let query = prepared("SELECT $3", (bind::<BigInt, _>(1_i64),));
        let mut out = diesel::pg::PgQueryBuilder::default();
        let result = QueryFragment::<Pg>::to_sql(&query, &mut out, &Pg);
        assert!(result.is_err());
    }
}
