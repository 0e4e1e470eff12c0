//! The one place where dialects differ: how values are bound, and how statements are rendered.
//!
//! Everything here is plain, non-generic code. The typed builders call it with a run-time
//! [`Backend`], so SQL building is compiled once, not once per query type.

use auth_schema::{Backend, ColumnInfo, ColumnType, IdType, TableInfo, Value};

use crate::expr::Bound;
use chrono::{DateTime, SubsecRound, Utc};
use sea_query::{
    Alias, BinOper, Expr, ExprTrait, MysqlQueryBuilder, PostgresQueryBuilder, QueryStatementWriter,
    SqliteQueryBuilder, TableRef,
};

/// A statement rendered for one dialect: SQL text with placeholders, and the values to bind.
#[derive(Debug, Clone, PartialEq)]
pub struct Compiled {
    /// The SQL text. Values appear only as placeholders (`$1` or `?`).
    pub sql: String,
    /// The bound values, in placeholder order.
    pub values: sea_query::Values,
}

impl Compiled {
    /// The bound values, for assertions and logging.
    pub fn params(&self) -> &[sea_query::Value] {
        &self.values.0
    }
}

pub(crate) fn build<S: QueryStatementWriter>(stmt: &S, backend: Backend) -> Compiled {
    let (sql, values) = match backend {
        Backend::Postgres => stmt.build(PostgresQueryBuilder),
        Backend::MySql => stmt.build(MysqlQueryBuilder),
        Backend::Sqlite => stmt.build(SqliteQueryBuilder),
    };
    Compiled { sql, values }
}

/// The table as it appears in FROM, JOIN, INSERT INTO, UPDATE and DELETE FROM.
pub(crate) fn table(info: &TableInfo, backend: Backend) -> TableRef {
    auth_schema::ddl::table_ref(info, backend)
}

/// A column qualified by its table name.
pub(crate) fn column(table: &TableInfo, col: &ColumnInfo) -> Expr {
    Expr::col((Alias::new(table.name), Alias::new(col.name)))
}

/// A column by its bare name (RETURNING, SET and conflict targets name the statement's table).
pub(crate) fn bare_column(col: &ColumnInfo) -> Alias {
    Alias::new(col.name)
}

/// Why a value is bound: a comparison tolerates values that cannot match, a write must not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BindFor {
    Compare,
    Write,
}

/// The exact text format `@auth/kysely-adapter` writes on SQLite (`Date.toISOString()`).
pub(crate) const SQLITE_TIMESTAMP: &str = "%Y-%m-%dT%H:%M:%S%.3fZ";

/// Encodes a neutral value for a column stored as `ty` on `backend`.
///
/// - Timestamps are truncated to milliseconds (JavaScript's precision) on every dialect; they
///   bind as `timestamptz` on Postgres, UTC `DATETIME` on MySQL and ISO-8601 text on SQLite.
/// - Ids stored as native `uuid` on Postgres bind as `uuid`. A string that is not a UUID can
///   never equal one, so in a comparison it binds as NULL (no row matches, no error; note that
///   `<>` against NULL matches nothing either, as SQL's three-valued logic says); in a write it
///   binds as text and the database rejects it.
/// - NULL keeps the column's type, which Postgres needs.
pub(crate) fn bind(
    value: Value,
    ty: ColumnType,
    backend: Backend,
    purpose: BindFor,
) -> sea_query::Value {
    use sea_query::Value as V;
    let pg_uuid = backend == Backend::Postgres && ty == ColumnType::Id(IdType::Uuid);
    match value {
        Value::Null => match (ty, backend) {
            _ if pg_uuid => V::Uuid(None),
            (ColumnType::BigInt, _) => V::BigInt(None),
            (ColumnType::Bool, _) => V::Bool(None),
            (ColumnType::Timestamp, Backend::Postgres) => V::ChronoDateTimeUtc(None),
            (ColumnType::Timestamp, Backend::MySql) => V::ChronoDateTime(None),
            _ => V::String(None),
        },
        Value::Text(s) if pg_uuid => match (parse_hyphenated_uuid(&s), purpose) {
            (Ok(id), _) => V::Uuid(Some(id)),
            (Err(_), BindFor::Compare) => V::Uuid(None),
            (Err(_), BindFor::Write) => V::String(Some(s)),
        },
        Value::Text(s) => V::String(Some(s)),
        Value::Int(i) => V::BigInt(Some(i)),
        Value::Bool(b) => V::Bool(Some(b)),
        Value::Timestamp(t) => {
            let t = t.trunc_subsecs(3);
            match backend {
                Backend::Postgres => V::ChronoDateTimeUtc(Some(t)),
                Backend::MySql => V::ChronoDateTime(Some(t.naive_utc())),
                Backend::Sqlite => V::String(Some(format_sqlite_timestamp(t))),
            }
        }
    }
}

/// Only the hyphenated 36-character form counts as a UUID, so an id matches on Postgres
/// exactly when it would match as text on MySQL and SQLite (no `urn:uuid:` or braced forms).
fn parse_hyphenated_uuid(s: &str) -> Result<uuid::Uuid, ()> {
    if s.len() != 36 {
        return Err(());
    }
    uuid::Uuid::try_parse(s).map_err(drop)
}

/// A UTC instant as SQLite text: `2025-01-31T12:34:56.789Z`.
pub fn format_sqlite_timestamp(t: DateTime<Utc>) -> String {
    t.format(SQLITE_TIMESTAMP).to_string()
}

/// Parses SQLite timestamp text leniently: RFC 3339 with any offset or fraction (what Node
/// writes), or SQLite's own `YYYY-MM-DD HH:MM:SS[.fff]` (`CURRENT_TIMESTAMP`), taken as UTC.
pub fn parse_sqlite_timestamp(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, fmt) {
            return Some(t.and_utc());
        }
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}

pub(crate) fn binary(lhs: Expr, op: BinOper, rhs: Expr) -> Expr {
    lhs.binary(op, rhs)
}

pub(crate) fn not(e: Expr) -> Expr {
    e.not()
}

pub(crate) fn is_null(e: Expr, negated: bool) -> Expr {
    if negated {
        e.is_not_null()
    } else {
        e.is_null()
    }
}

pub(crate) fn in_list(e: Expr, values: Vec<Bound>, ty: ColumnType, backend: Backend) -> Expr {
    if values.is_empty() {
        // `IN ()` is a syntax error on Postgres and MySQL; an empty list matches nothing.
        return Expr::cust("1 = 0");
    }
    e.is_in(
        values
            .into_iter()
            .map(|v| bound(v, ty, backend, BindFor::Compare)),
    )
}

pub(crate) fn write_value(value: Bound, ty: ColumnType, backend: Backend) -> Expr {
    bound(value, ty, backend, BindFor::Write)
}

/// A bound value, or the placeholder of a prepared statement's argument.
///
/// An argument is rendered as a `char` value in a Unicode private-use plane that encodes its
/// index, column type and purpose; [`Prepared`](crate::Prepared) finds these after rendering
/// and swaps in the real values at each execution. Nothing else binds `char` values.
pub(crate) fn bound(value: Bound, ty: ColumnType, backend: Backend, purpose: BindFor) -> Expr {
    match value {
        Bound::Value(v) => Expr::val(bind(v, ty, backend, purpose)),
        Bound::Arg(i) => Expr::val(sea_query::Value::Char(Some(encode_slot(i, ty, purpose)))),
    }
}

const SLOT_BASE: u32 = 0xF_0000;
const TYPES: [ColumnType; 8] = [
    ColumnType::Id(IdType::Uuid),
    ColumnType::Id(IdType::Varchar36),
    ColumnType::Id(IdType::Text),
    ColumnType::Text,
    ColumnType::LongText,
    ColumnType::BigInt,
    ColumnType::Bool,
    ColumnType::Timestamp,
];

fn encode_slot(index: u8, ty: ColumnType, purpose: BindFor) -> char {
    let ty_code = TYPES.iter().position(|t| *t == ty).unwrap_or(3) as u32;
    let code =
        SLOT_BASE + u32::from(index) * 16 + ty_code * 2 + u32::from(purpose == BindFor::Write);
    // The largest code (index 255) is far below U+10FFFF, so this never falls back.
    char::from_u32(code).unwrap_or(char::MAX)
}

/// Decodes an argument placeholder made by [`bound`].
pub(crate) fn decode_slot(c: char) -> Option<(u8, ColumnType, BindFor)> {
    let code = (c as u32).checked_sub(SLOT_BASE)?;
    let index = u8::try_from(code / 16).ok()?;
    let ty = *TYPES.get(((code % 16) / 2) as usize)?;
    let purpose = if code % 2 == 1 {
        BindFor::Write
    } else {
        BindFor::Compare
    };
    Some((index, ty, purpose))
}
