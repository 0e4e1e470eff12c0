//! The one place where dialects differ: how values are bound, and how statements are rendered.
//!
//! Everything here is plain, non-generic code. The typed builders call it with a run-time
//! [`Backend`], so SQL building is compiled once, not once per query type.

use auth_schema::{Backend, ColumnInfo, ColumnType, IdType, TableInfo, Value};

use crate::error::Error;
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
    /// Why a value given to the builder could not be bound, if one could not: running the
    /// statement then fails with [`Error::InvalidValue`] before anything is sent.
    pub(crate) invalid: Option<String>,
}

impl Compiled {
    /// The bound values, for assertions and logging.
    pub fn params(&self) -> &[sea_query::Value] {
        &self.values.0
    }

    /// Why a value given to the builder cannot be bound, if one cannot: running this statement
    /// fails with [`Error::InvalidValue`] before anything is sent. Its placeholder binds NULL.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::user;
    /// let q = Sqlite.insert_into(user::table).value(user::id, "not-a-uuid").value(user::email, "a@b.c");
    /// assert!(q.compile().invalid_value().unwrap().contains("is not a UUID"));
    /// ```
    pub fn invalid_value(&self) -> Option<&str> {
        self.invalid.as_deref()
    }
}

pub(crate) fn build<S: QueryStatementWriter>(
    stmt: &S,
    backend: Backend,
    invalid: &Option<String>,
) -> Compiled {
    let (sql, values) = match backend {
        Backend::Postgres => stmt.build(PostgresQueryBuilder),
        Backend::MySql => stmt.build(MysqlQueryBuilder),
        Backend::Sqlite => stmt.build(SqliteQueryBuilder),
    };
    Compiled {
        sql,
        values,
        invalid: invalid.clone(),
    }
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

/// The earliest instant every dialect stores exactly: `0001-01-01T00:00:00.000Z`.
pub const MIN_TIMESTAMP: DateTime<Utc> = match chrono::NaiveDate::from_ymd_opt(1, 1, 1) {
    Some(d) => d.and_time(chrono::NaiveTime::MIN).and_utc(),
    None => DateTime::<Utc>::MIN_UTC,
};

/// The latest instant every dialect stores exactly: `9999-12-31T23:59:59.999Z`.
pub const MAX_TIMESTAMP: DateTime<Utc> = match chrono::NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(d) => match chrono::NaiveTime::from_hms_milli_opt(23, 59, 59, 999) {
        Some(t) => d.and_time(t).and_utc(),
        None => DateTime::<Utc>::MAX_UTC,
    },
    None => DateTime::<Utc>::MAX_UTC,
};

/// The longest text, in characters, a column of this type holds on `backend`, where the
/// database would otherwise reject or (outside MySQL's strict mode) silently truncate it.
fn max_chars(ty: ColumnType, backend: Backend) -> Option<usize> {
    match (ty, backend) {
        (ColumnType::Id(IdType::Varchar36), _) => Some(36),
        (ColumnType::Id(IdType::Uuid), Backend::MySql) => Some(36),
        (ColumnType::Id(IdType::Text) | ColumnType::Text, Backend::MySql) => Some(255),
        _ => None,
    }
}

/// MySQL's `TEXT` holds at most 65,535 bytes.
const MYSQL_TEXT_BYTES: usize = 65_535;

/// A value that cannot be stored exactly, so it is refused before anything is sent.
fn invalid(message: String) -> Error {
    Error::InvalidValue(message)
}

/// Encodes a neutral value for a column stored as `ty` on `backend`, or refuses it.
///
/// The rules, the same on every dialect unless said otherwise:
/// - Timestamps are truncated to milliseconds (JavaScript's precision) and must lie in
///   [`MIN_TIMESTAMP`]..=[`MAX_TIMESTAMP`], the range all three dialects store exactly. They bind
///   as `timestamptz` on Postgres, UTC `DATETIME` on MySQL and ISO-8601 text on SQLite.
/// - Ids of [`IdType::Uuid`] are UUIDs in the hyphenated 36-character form, any case; they are
///   stored and compared in lower case (native `uuid` on Postgres, text elsewhere). In a write,
///   anything else is refused; in a comparison it can never be equal to a stored id, so it binds
///   as NULL and matches nothing (note that `<>` against NULL matches nothing either).
/// - Text must fit the column: at most 36 characters for `varchar(36)` ids; on MySQL at most
///   255 characters in `varchar(255)` and 65,535 bytes in `TEXT`. Postgres cannot store NUL in
///   text, so a string holding one is refused there. Comparisons are not length-checked.
/// - NULL keeps the column's type, which Postgres needs.
pub(crate) fn bind(
    value: Value,
    ty: ColumnType,
    backend: Backend,
    purpose: BindFor,
) -> Result<sea_query::Value, Error> {
    use sea_query::Value as V;
    let uuid_id = ty == ColumnType::Id(IdType::Uuid);
    let pg_uuid = uuid_id && backend == Backend::Postgres;
    Ok(match value {
        Value::Null => match (ty, backend) {
            _ if pg_uuid => V::Uuid(None),
            (ColumnType::BigInt, _) => V::BigInt(None),
            (ColumnType::Bool, _) => V::Bool(None),
            (ColumnType::Timestamp, Backend::Postgres) => V::ChronoDateTimeUtc(None),
            (ColumnType::Timestamp, Backend::MySql) => V::ChronoDateTime(None),
            _ => V::String(None),
        },
        Value::Text(s) if uuid_id => match (parse_uuid(&s), purpose) {
            (Some(id), _) if pg_uuid => V::Uuid(Some(id)),
            (Some(id), _) => V::String(Some(id.hyphenated().to_string())),
            (None, BindFor::Compare) if pg_uuid => V::Uuid(None),
            (None, BindFor::Compare) => V::String(None),
            (None, BindFor::Write) => {
                return Err(invalid(format!(
                    "`{}` is not a UUID (expected the hyphenated form, e.g. 2f1c7e0a-5b3d-4c8e-9a61-0d2b4e6f8a10)",
                    s.escape_debug()
                )));
            }
        },
        Value::Text(s) => {
            if backend == Backend::Postgres && s.contains('\0') {
                return Err(invalid(
                    "text holds a NUL character, which PostgreSQL cannot store".into(),
                ));
            }
            if purpose == BindFor::Write {
                check_length(&s, ty, backend)?;
            }
            V::String(Some(s))
        }
        Value::Int(i) => V::BigInt(Some(i)),
        Value::Bool(b) => V::Bool(Some(b)),
        Value::Timestamp(t) => {
            let t = t.trunc_subsecs(3);
            if !(MIN_TIMESTAMP..=MAX_TIMESTAMP).contains(&t) {
                return Err(invalid(format!(
                    "timestamp {} is outside the supported range 0001-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z",
                    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
                )));
            }
            match backend {
                Backend::Postgres => V::ChronoDateTimeUtc(Some(t)),
                Backend::MySql => V::ChronoDateTime(Some(t.naive_utc())),
                Backend::Sqlite => V::String(Some(format_sqlite_timestamp(t))),
            }
        }
    })
}

fn check_length(s: &str, ty: ColumnType, backend: Backend) -> Result<(), Error> {
    if let Some(max) = max_chars(ty, backend) {
        // Byte length bounds the character count from above: count only when it could matter.
        if s.len() > max && s.chars().count() > max {
            return Err(invalid(format!(
                "text of {} characters is longer than the column's {max}",
                s.chars().count()
            )));
        }
    }
    if backend == Backend::MySql && ty == ColumnType::LongText && s.len() > MYSQL_TEXT_BYTES {
        return Err(invalid(format!(
            "text of {} bytes is longer than MySQL's TEXT holds ({MYSQL_TEXT_BYTES} bytes)",
            s.len()
        )));
    }
    Ok(())
}

/// A UUID in the hyphenated 36-character form, any case. Only that form counts, so an id
/// matches on every dialect exactly when its canonical lower-case text would (no `urn:uuid:`,
/// braced or simple forms).
fn parse_uuid(s: &str) -> Option<uuid::Uuid> {
    if s.len() != 36 {
        return None;
    }
    uuid::Uuid::try_parse(s).ok()
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

pub(crate) fn in_list(e: Expr, values: Vec<Bound>, ty: ColumnType, cx: &mut Lower) -> Expr {
    if values.is_empty() {
        // `IN ()` is a syntax error on Postgres and MySQL; an empty list matches nothing.
        return Expr::cust("1 = 0");
    }
    e.is_in(
        values
            .into_iter()
            .map(|v| cx.bound(v, ty, BindFor::Compare)),
    )
}

/// Lowers typed expressions to sea-query for one dialect, and keeps the first value that could
/// not be bound, so the statement holding it reports [`Error::InvalidValue`] when it is run
/// instead of sending anything.
#[derive(Debug)]
pub struct Lower {
    backend: Backend,
    invalid: Option<String>,
}

impl Lower {
    pub(crate) fn new(backend: Backend) -> Self {
        Lower {
            backend,
            invalid: None,
        }
    }

    /// The dialect being rendered.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A bound value, or the placeholder of a prepared statement's argument.
    ///
    /// An argument is rendered as a `char` value in a Unicode private-use plane that encodes its
    /// index, column type and purpose; [`Prepared`](crate::Prepared) finds these after rendering
    /// and swaps in the real values at each execution. Nothing else binds `char` values.
    pub(crate) fn bound(&mut self, value: Bound, ty: ColumnType, purpose: BindFor) -> Expr {
        match value {
            Bound::Value(v) => match bind(v, ty, self.backend, purpose) {
                Ok(v) => Expr::val(v),
                Err(e) => {
                    self.invalid.get_or_insert(e.to_string());
                    Expr::val(sea_query::Value::String(None))
                }
            },
            Bound::Arg(i) => Expr::val(sea_query::Value::Char(Some(encode_slot(i, ty, purpose)))),
        }
    }

    /// Keeps the first invalid value in `slot`, where a builder remembers it.
    pub(crate) fn finish(self, slot: &mut Option<String>) {
        if slot.is_none() {
            *slot = self.invalid;
        }
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
