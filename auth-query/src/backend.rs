//! The one place where dialects differ: how values are bound, and how the untyped core
//! ([`ast`](crate::ast)) is rendered to SQL through sea-query.
//!
//! Everything here is plain, non-generic code. The typed builders call it with a run-time
//! [`Backend`], so SQL building is compiled once, not once per query type.

use core::marker::PhantomData;

use auth_schema::{Backend, ColumnInfo, ColumnType, IdType, TableInfo, Value};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, SubsecRound, Utc};
use sea_query::{
    Alias, Asterisk, BinOper, CaseStatement, Expr, ExprTrait, Func, LockBehavior, LockType,
    MysqlQueryBuilder, NullOrdering, OnConflict as SeaOnConflict, Order, PostgresQueryBuilder,
    Query, QueryStatementWriter, SelectStatement, SqliteQueryBuilder, TableRef, UnionType,
};

use crate::ast::{
    Aggregate, BinOp, Bound, DeleteCore, Function, InsertCore, Item, LockWait, Node, Nulls,
    OnConflict, SelectCore, Source, UpdateCore,
};
use crate::error::Error;

/// A statement rendered for dialect `D`: SQL text with placeholders, and the values to bind.
///
/// Only this crate's builders make one, and only executors of `D` run it: it is not a way to
/// send SQL of one's own (use a raw fragment, [`sql`](crate::sql()), for that).
///
/// ```
/// use auth_query::prelude::*;
/// use auth_schema::kysely::user;
/// let q = Postgres.select_from(user::table).select(user::id).filter(user::email.eq("a@b.c"));
/// let c = q.compile();
/// assert_eq!(c.sql(), r#"SELECT "User"."id" FROM "User" WHERE "User"."email" = $1"#);
/// assert_eq!(c.params(), &[sea_query::Value::String(Some("a@b.c".into()))]);
/// ```
pub struct Compiled<D> {
    pub(crate) sql: String,
    pub(crate) values: sea_query::Values,
    pub(crate) invalid: Option<String>,
    pub(crate) slots: Vec<ArgSlot>,
    pub(crate) _dialect: PhantomData<fn() -> D>,
}

impl<D> Compiled<D> {
    /// The SQL text. Values appear only as placeholders (`$1` or `?`).
    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// The bound values, in placeholder order, for assertions and logging.
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

impl<D> Clone for Compiled<D> {
    fn clone(&self) -> Self {
        Compiled {
            sql: self.sql.clone(),
            values: self.values.clone(),
            invalid: self.invalid.clone(),
            slots: self.slots.clone(),
            _dialect: PhantomData,
        }
    }
}

impl<D> core::fmt::Debug for Compiled<D> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Compiled")
            .field("sql", &self.sql)
            .field("params", &self.values.0)
            .field("invalid", &self.invalid)
            .finish()
    }
}

impl<D> PartialEq for Compiled<D> {
    fn eq(&self, other: &Self) -> bool {
        self.sql == other.sql && self.values == other.values && self.invalid == other.invalid
    }
}

// ------------------------------------------------------------------ binding --

/// Why a value is bound: a comparison tolerates values that cannot match, a write must not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BindFor {
    Compare,
    Write,
}

/// The exact text format `@auth/kysely-adapter` writes on SQLite (`Date.toISOString()`).
pub(crate) const SQLITE_TIMESTAMP: &str = "%Y-%m-%dT%H:%M:%S%.3fZ";
/// A timestamp without time zone as SQLite text (fixed width, so text order is time order).
pub(crate) const SQLITE_NAIVE: &str = "%Y-%m-%dT%H:%M:%S%.6f";
/// A time of day as SQLite text.
pub(crate) const SQLITE_TIME: &str = "%H:%M:%S%.6f";

/// The earliest instant every dialect stores exactly: `0001-01-01T00:00:00.000Z`.
pub const MIN_TIMESTAMP: DateTime<Utc> = match NaiveDate::from_ymd_opt(1, 1, 1) {
    Some(d) => d.and_time(NaiveTime::MIN).and_utc(),
    None => DateTime::<Utc>::MIN_UTC,
};

/// The latest instant every dialect stores exactly: `9999-12-31T23:59:59.999Z`.
pub const MAX_TIMESTAMP: DateTime<Utc> = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(d) => match NaiveTime::from_hms_milli_opt(23, 59, 59, 999) {
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
        (ColumnType::Varchar(n), _) => Some(n as usize),
        (ColumnType::Id(IdType::Uuid), Backend::MySql) => Some(36),
        (ColumnType::Id(IdType::Text) | ColumnType::Text, Backend::MySql) => Some(255),
        _ => None,
    }
}

/// MySQL's `TEXT` holds at most 65,535 bytes.
const MYSQL_TEXT_BYTES: usize = 65_535;

fn invalid(message: String) -> Error {
    Error::InvalidValue(message)
}

fn wrong_kind(value: &Value, ty: ColumnType) -> Error {
    invalid(format!(
        "{} cannot be bound for a {} column",
        value.kind(),
        type_name(ty)
    ))
}

/// A column type in words, for error messages.
pub(crate) fn type_name(ty: ColumnType) -> &'static str {
    match ty {
        ColumnType::Id(IdType::Uuid) => "UUID",
        ColumnType::Id(_) | ColumnType::Text | ColumnType::LongText | ColumnType::Varchar(_) => {
            "text"
        }
        ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt => "integer",
        ColumnType::Real | ColumnType::Double => "float",
        ColumnType::Bool => "boolean",
        ColumnType::Timestamp => "timestamp",
        ColumnType::NaiveTimestamp => "timestamp (without time zone)",
        ColumnType::Date => "date",
        ColumnType::Time => "time",
        ColumnType::Json => "JSON",
        ColumnType::Bytes => "bytes",
        _ => "SQL",
    }
}

fn in_year_range(year: i32) -> bool {
    (1..=9999).contains(&year)
}

/// Encodes a neutral value for a column stored as `ty` on `backend`, or refuses it.
///
/// The rules, the same on every dialect unless said otherwise:
/// - A value must be of the column's kind: text for text, an integer (that fits) for an
///   integer, and so on; an integer for a text column is refused, not turned into `"5"`.
/// - Timestamps are truncated to milliseconds (JavaScript's precision) and must lie in
///   [`MIN_TIMESTAMP`]..=[`MAX_TIMESTAMP`], the range all three dialects store exactly. They bind
///   as `timestamptz` on Postgres, UTC `DATETIME` on MySQL and ISO-8601 text on SQLite. Dates
///   and timestamps without time zone must lie in years 1 to 9999 too (microseconds kept).
/// - Ids of [`IdType::Uuid`] are UUIDs in the hyphenated 36-character form, any case; they are
///   stored and compared in lower case (native `uuid` on Postgres, text elsewhere). In a write,
///   anything else is refused; in a comparison it can never be equal to a stored id, so it binds
///   as NULL and matches nothing (note that `<>` against NULL matches nothing either).
/// - Text must fit the column: at most N characters for `varchar(N)` (36 for `varchar(36)`
///   ids); on MySQL at most 255 characters in `varchar(255)` and 65,535 bytes in `TEXT`.
///   Postgres cannot store NUL in text, so a string holding one is refused there. Comparisons
///   are not length-checked.
/// - NULL keeps the column's type, which Postgres needs.
pub(crate) fn bind(
    value: Value,
    ty: ColumnType,
    backend: Backend,
    purpose: BindFor,
) -> Result<sea_query::Value, Error> {
    use sea_query::Value as V;
    let pg = backend == Backend::Postgres;
    let sqlite = backend == Backend::Sqlite;
    if let Value::Invalid(m) = value {
        return Err(invalid(m));
    }
    if value == Value::Null {
        return Ok(null(ty, backend));
    }
    Ok(match ty {
        ColumnType::Id(IdType::Uuid) => {
            let parsed = match &value {
                Value::Text(s) => parse_uuid(s),
                Value::Uuid(u) => Some(*u),
                _ => return Err(wrong_kind(&value, ty)),
            };
            match (parsed, purpose) {
                (Some(id), _) if pg => V::Uuid(Some(id)),
                (Some(id), _) => V::String(Some(id.hyphenated().to_string())),
                (None, BindFor::Compare) => null(ty, backend),
                (None, BindFor::Write) => {
                    let Value::Text(s) = value else {
                        unreachable!("a Uuid value always parses")
                    };
                    return Err(invalid(format!(
                        "`{}` is not a UUID (expected the hyphenated form, e.g. 2f1c7e0a-5b3d-4c8e-9a61-0d2b4e6f8a10)",
                        s.escape_debug()
                    )));
                }
            }
        }
        ColumnType::Id(_) | ColumnType::Text | ColumnType::LongText | ColumnType::Varchar(_) => {
            let s = match value {
                Value::Text(s) => s,
                // A native UUID for a text id column: its canonical text.
                Value::Uuid(u) => u.hyphenated().to_string(),
                other => return Err(wrong_kind(&other, ty)),
            };
            if pg && s.contains('\0') {
                return Err(invalid(
                    "text holds a NUL character, which PostgreSQL cannot store".into(),
                ));
            }
            if purpose == BindFor::Write {
                check_length(&s, ty, backend)?;
            }
            V::String(Some(s))
        }
        ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt => {
            let wide: i64 = match value {
                Value::Int(i) => i,
                Value::Integer(i) => i.into(),
                Value::SmallInt(i) => i.into(),
                other => return Err(wrong_kind(&other, ty)),
            };
            let out_of_range = |bits: &str| {
                invalid(format!(
                    "{wide} does not fit in a {bits}-bit integer column"
                ))
            };
            match ty {
                ColumnType::SmallInt => {
                    V::SmallInt(Some(i16::try_from(wide).map_err(|_| out_of_range("16"))?))
                }
                ColumnType::Integer => {
                    V::Int(Some(i32::try_from(wide).map_err(|_| out_of_range("32"))?))
                }
                _ => V::BigInt(Some(wide)),
            }
        }
        ColumnType::Real | ColumnType::Double => {
            let f: f64 = match value {
                Value::Double(f) => f,
                Value::Float(f) => f.into(),
                other => return Err(wrong_kind(&other, ty)),
            };
            if !f.is_finite() && !pg {
                // MySQL and SQLite have no NaN or infinity.
                return Err(invalid(format!(
                    "{f} cannot be stored here (MySQL and SQLite floats are finite)"
                )));
            }
            match ty {
                ColumnType::Real => V::Float(Some(f as f32)),
                _ => V::Double(Some(f)),
            }
        }
        ColumnType::Bool => match value {
            Value::Bool(b) => V::Bool(Some(b)),
            other => return Err(wrong_kind(&other, ty)),
        },
        ColumnType::Timestamp => {
            let t = match value {
                Value::Timestamp(t) => t.trunc_subsecs(3),
                other => return Err(wrong_kind(&other, ty)),
            };
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
        ColumnType::NaiveTimestamp => {
            let t: NaiveDateTime = match value {
                Value::NaiveTimestamp(t) => t.trunc_subsecs(6),
                other => return Err(wrong_kind(&other, ty)),
            };
            if !in_year_range(chrono::Datelike::year(&t)) {
                return Err(invalid(format!(
                    "timestamp {t} is outside the supported years 1 to 9999"
                )));
            }
            if sqlite {
                V::String(Some(t.format(SQLITE_NAIVE).to_string()))
            } else {
                V::ChronoDateTime(Some(t))
            }
        }
        ColumnType::Date => {
            let d: NaiveDate = match value {
                Value::Date(d) => d,
                other => return Err(wrong_kind(&other, ty)),
            };
            if !in_year_range(chrono::Datelike::year(&d)) {
                return Err(invalid(format!(
                    "date {d} is outside the supported years 1 to 9999"
                )));
            }
            if sqlite {
                V::String(Some(d.format("%Y-%m-%d").to_string()))
            } else {
                V::ChronoDate(Some(d))
            }
        }
        ColumnType::Time => {
            let t: NaiveTime = match value {
                Value::Time(t) => t.trunc_subsecs(6),
                other => return Err(wrong_kind(&other, ty)),
            };
            if sqlite {
                V::String(Some(t.format(SQLITE_TIME).to_string()))
            } else {
                V::ChronoTime(Some(t))
            }
        }
        ColumnType::Json => {
            let j = match value {
                Value::Json(j) => j,
                other => return Err(wrong_kind(&other, ty)),
            };
            if pg {
                // jsonb refuses `\u0000` ("unsupported Unicode escape sequence"), as text
                // refuses NUL: say so before anything is sent.
                if json_holds_nul(&j) {
                    return Err(invalid(
                        "JSON holds a NUL character (\\u0000), which PostgreSQL's jsonb cannot store"
                            .into(),
                    ));
                }
                V::Json(Some(Box::new(j)))
            } else {
                // MySQL's JSON and SQLite's text both take the document as text.
                V::String(Some(j.to_string()))
            }
        }
        ColumnType::Bytes => match value {
            Value::Bytes(b) => V::Bytes(Some(b)),
            other => return Err(wrong_kind(&other, ty)),
        },
        _ => return Err(wrong_kind(&value, ty)),
    })
}

/// Whether a string or a key anywhere in a JSON document holds NUL.
fn json_holds_nul(j: &serde_json::Value) -> bool {
    match j {
        serde_json::Value::String(s) => s.contains('\0'),
        serde_json::Value::Array(items) => items.iter().any(json_holds_nul),
        serde_json::Value::Object(map) => map
            .iter()
            .any(|(k, v)| k.contains('\0') || json_holds_nul(v)),
        _ => false,
    }
}

/// NULL of a column's type, which Postgres needs to type the parameter.
fn null(ty: ColumnType, backend: Backend) -> sea_query::Value {
    use sea_query::Value as V;
    let pg = backend == Backend::Postgres;
    let sqlite = backend == Backend::Sqlite;
    match ty {
        ColumnType::Id(IdType::Uuid) if pg => V::Uuid(None),
        ColumnType::SmallInt => V::SmallInt(None),
        ColumnType::Integer => V::Int(None),
        ColumnType::BigInt => V::BigInt(None),
        ColumnType::Real => V::Float(None),
        ColumnType::Double => V::Double(None),
        ColumnType::Bool => V::Bool(None),
        ColumnType::Timestamp if pg => V::ChronoDateTimeUtc(None),
        ColumnType::Timestamp if !sqlite => V::ChronoDateTime(None),
        ColumnType::NaiveTimestamp if !sqlite => V::ChronoDateTime(None),
        ColumnType::Date if !sqlite => V::ChronoDate(None),
        ColumnType::Time if !sqlite => V::ChronoTime(None),
        ColumnType::Json if pg => V::Json(None),
        ColumnType::Bytes => V::Bytes(None),
        _ => V::String(None),
    }
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
    parse_sqlite_naive(s).map(|t| t.and_utc())
}

/// Parses SQLite text as a date and time without time zone (`T` or space, any fraction, or a
/// bare date as midnight).
pub fn parse_sqlite_naive(s: &str) -> Option<NaiveDateTime> {
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(t);
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
}

// ---------------------------------------------------------------- lowering --

/// Where a prepared statement's argument is bound: its index, and the column it is bound for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ArgSlot {
    pub index: u16,
    pub ty: ColumnType,
    pub purpose: BindFor,
}

/// Lowers the core to sea-query for one dialect, keeping the first value that could not be
/// bound (the statement then reports [`Error::InvalidValue`] instead of running) and the
/// argument slots of a prepared statement.
pub(crate) struct Lower {
    pub backend: Backend,
    invalid: Option<String>,
    slots: Vec<ArgSlot>,
    /// In RETURNING, columns are written unqualified (`RETURNING "id"`), as every dialect
    /// accepts there whatever the table's schema.
    bare_columns: bool,
}

/// An argument placeholder is rendered as a `char` value in a Unicode private-use plane that
/// encodes its slot; [`Prepared`](crate::Prepared) finds these after rendering and swaps in the
/// real values at each execution. Nothing else binds `char` values.
const SLOT_BASE: u32 = 0xF_0000;
const MAX_SLOTS: usize = 0xFFFD;

/// The slot a placeholder value encodes, if it is one.
pub(crate) fn decode_slot(value: &sea_query::Value) -> Option<usize> {
    match value {
        sea_query::Value::Char(Some(c)) => {
            let code = (*c as u32).checked_sub(SLOT_BASE)?;
            (code as usize <= MAX_SLOTS).then_some(code as usize)
        }
        _ => None,
    }
}

impl Lower {
    pub fn new(backend: Backend) -> Self {
        Lower {
            backend,
            invalid: None,
            slots: Vec::new(),
            bare_columns: false,
        }
    }

    fn bound(&mut self, value: &Bound, ty: ColumnType, write: bool) -> Expr {
        let purpose = if write {
            BindFor::Write
        } else {
            BindFor::Compare
        };
        match value {
            Bound::Value(v) => match bind(v.clone(), ty, self.backend, purpose) {
                Ok(v) => Expr::val(v),
                Err(e) => {
                    self.invalid.get_or_insert(e.to_string());
                    Expr::val(sea_query::Value::String(None))
                }
            },
            Bound::Arg(index) => {
                let slot = self.slots.len().min(MAX_SLOTS);
                self.slots.push(ArgSlot {
                    index: *index,
                    ty,
                    purpose,
                });
                let c = char::from_u32(SLOT_BASE + slot as u32).unwrap_or(char::MAX);
                Expr::val(sea_query::Value::Char(Some(c)))
            }
        }
    }

    /// Renders a statement, and keeps what the lowering found.
    fn build<S: QueryStatementWriter, D>(self, stmt: &S) -> Compiled<D> {
        let (sql, values) = match self.backend {
            Backend::Postgres => stmt.build(PostgresQueryBuilder),
            Backend::MySql => stmt.build(MysqlQueryBuilder),
            Backend::Sqlite => stmt.build(SqliteQueryBuilder),
        };
        // Slots in the order their placeholders appear in the text.
        let slots = values
            .0
            .iter()
            .filter_map(decode_slot)
            .map(|i| self.slots[i])
            .collect();
        Compiled {
            sql,
            values,
            invalid: self.invalid,
            slots,
            _dialect: PhantomData,
        }
    }

    pub fn expr(&mut self, node: &Node) -> Expr {
        match node {
            Node::Column { col, .. } if self.bare_columns => Expr::col(Alias::new(col.name)),
            Node::Column { qualifier, col } => {
                Expr::col((Alias::new(*qualifier), Alias::new(col.name)))
            }
            Node::BareColumn(col) => Expr::col(Alias::new(col.name)),
            Node::Bind { value, ty, write } => self.bound(value, *ty, *write),
            Node::Binary { op, lhs, rhs } => {
                let (l, r) = (self.expr(lhs), self.expr(rhs));
                l.binary(bin_oper(*op, self.backend), r)
            }
            Node::Not(e) => self.expr(e).not(),
            Node::IsNull { expr, negated } => {
                let e = self.expr(expr);
                if *negated {
                    e.is_not_null()
                } else {
                    e.is_null()
                }
            }
            Node::InList {
                expr,
                values,
                negated,
            } => {
                if values.is_empty() {
                    // `IN ()` is a syntax error on Postgres and MySQL; an empty list matches
                    // nothing (and NOT IN an empty list matches everything).
                    return Expr::cust(if *negated { "1 = 1" } else { "1 = 0" });
                }
                let e = self.expr(expr);
                let values: Vec<Expr> = values.iter().map(|v| self.expr(v)).collect();
                if *negated {
                    e.is_not_in(values)
                } else {
                    e.is_in(values)
                }
            }
            Node::InSub { expr, sub, negated } => {
                let e = self.expr(expr);
                let sub = if self.backend == Backend::MySql
                    && (sub.limit.is_some() || sub.offset.is_some())
                {
                    // MySQL and MariaDB refuse LIMIT in an IN subquery ("doesn't yet support
                    // 'LIMIT & IN/ALL/ANY/SOME subquery'"), and take it in a derived table.
                    let inner = self.derived_table(sub);
                    let mut outer = Query::select();
                    outer.column(Asterisk).from_subquery(inner, Alias::new("u"));
                    outer
                } else {
                    self.select(sub)
                };
                if *negated {
                    e.not_in_subquery(sub)
                } else {
                    e.in_subquery(sub)
                }
            }
            Node::Exists { sub, negated } => {
                let sub = self.select(sub);
                if *negated {
                    Expr::not_exists(sub)
                } else {
                    Expr::exists(sub)
                }
            }
            Node::Scalar(sub) => {
                let sub = self.select(sub);
                Expr::SubQuery(None, Box::new(sub.into()))
            }
            Node::Aggregate { func, arg, result } => self.aggregate(*func, arg.as_deref(), *result),
            Node::Function { func, args } => self.function(*func, args),
            Node::Case { whens, otherwise } => {
                let mut case = CaseStatement::new();
                for (cond, then) in whens {
                    let (c, t) = (self.expr(cond), self.expr(then));
                    case = case.case(c, t);
                }
                if let Some(e) = otherwise {
                    case = case.finally(self.expr(e));
                }
                Expr::Case(Box::new(case))
            }
            // An integer this crate computed, never a value from outside.
            Node::Position(n) => Expr::cust(n.to_string()),
            Node::Raw { parts, args } => {
                if parts.len() != args.len() + 1 {
                    // Rendering it anyway would drop arguments or leave a `{}` without one.
                    self.invalid.get_or_insert(format!(
                        "the raw fragment `{}` has {} `{{}}` for {} argument(s)",
                        parts.join("{}"),
                        parts.len().saturating_sub(1),
                        args.len()
                    ));
                }
                // The fragment's text goes through `Expr::Custom`, verbatim; only the template
                // joining the pieces is tokenized by sea-query, and it holds placeholders only.
                // Parts are trimmed (the template adds one space between pieces) and empty ones
                // skipped; a part boundary is a `{}`, never inside a literal.
                let mut pieces = Vec::with_capacity(parts.len() + args.len());
                for (i, part) in parts.iter().enumerate() {
                    let part = part.trim();
                    if !part.is_empty() {
                        pieces.push(Expr::cust(part));
                    }
                    if let Some(arg) = args.get(i) {
                        pieces.push(self.expr(arg));
                    }
                }
                let template: Vec<String> = (1..=pieces.len())
                    .map(|i| match self.backend {
                        Backend::Postgres => format!("${i}"),
                        _ => "?".to_owned(),
                    })
                    .collect();
                Expr::cust_with_exprs(template.join(" "), pieces)
            }
        }
    }

    fn aggregate(&mut self, func: Aggregate, arg: Option<&Node>, result: ColumnType) -> Expr {
        let arg = arg.map(|a| self.expr(a));
        // Postgres has no MIN/MAX of boolean, uuid or bytea: the same order through what it has.
        if self.backend == Backend::Postgres
            && let (Aggregate::Min | Aggregate::Max, Some(a)) = (func, arg.clone())
        {
            let min = func == Aggregate::Min;
            let extreme = |e: Expr| -> Expr {
                if min {
                    Func::min(e).into()
                } else {
                    Func::max(e).into()
                }
            };
            match result {
                // false < true: MIN is "all true", MAX "any true".
                ColumnType::Bool => {
                    let name = if min { "BOOL_AND" } else { "BOOL_OR" };
                    return Func::cust(Alias::new(name)).arg(a).into();
                }
                // The hyphenated lower-case text sorts as the 16 bytes do.
                ColumnType::Id(IdType::Uuid) => {
                    let text = extreme(Func::cast_as(a, Alias::new("text")).into());
                    return Func::cast_as(text, Alias::new("uuid")).into();
                }
                // Hex text sorts as the bytes do, a prefix first.
                ColumnType::Bytes => {
                    let hex = Func::cust(Alias::new("encode"))
                        .arg(a)
                        .arg(Expr::cust("'hex'"));
                    return Func::cust(Alias::new("decode"))
                        .arg(extreme(hex.into()))
                        .arg(Expr::cust("'hex'"))
                        .into();
                }
                _ => {}
            }
        }
        let call: Expr = match (func, arg) {
            (Aggregate::CountAll, _) | (_, None) => Expr::col(Asterisk).count(),
            (Aggregate::Count { distinct: false }, Some(a)) => Func::count(a).into(),
            (Aggregate::Count { distinct: true }, Some(a)) => Func::count_distinct(a).into(),
            (Aggregate::Sum, Some(a)) => Func::sum(a).into(),
            (Aggregate::Avg, Some(a)) => Func::avg(a).into(),
            (Aggregate::Min, Some(a)) => Func::min(a).into(),
            (Aggregate::Max, Some(a)) => Func::max(a).into(),
        };
        // SUM and AVG return other types per dialect (Postgres: numeric; MySQL: DECIMAL):
        // cast them to the documented result type, so they decode the same everywhere. Not
        // MySQL's SUM of integers: `CAST(... AS SIGNED)` clips a sum past `i64` to its bounds
        // with only a warning, so the DECIMAL is decoded exactly instead (and one that does not
        // fit is an error, as Postgres's cast and SQLite's SUM make it).
        let cast = match (func, result, self.backend) {
            (Aggregate::Sum | Aggregate::Avg, _, Backend::Sqlite) => None,
            (Aggregate::Sum, ColumnType::BigInt, Backend::Postgres) => Some("bigint"),
            (Aggregate::Sum, ColumnType::BigInt, Backend::MySql) => None,
            (Aggregate::Sum | Aggregate::Avg, ColumnType::Double, Backend::Postgres) => {
                Some("double precision")
            }
            (Aggregate::Sum | Aggregate::Avg, ColumnType::Double, Backend::MySql) => Some("DOUBLE"),
            _ => None,
        };
        match cast {
            Some(ty) => Func::cast_as(call, Alias::new(ty)).into(),
            None => call,
        }
    }

    fn function(&mut self, func: Function, args: &[Node]) -> Expr {
        let mut args: Vec<Expr> = args.iter().map(|a| self.expr(a)).collect();
        match func {
            Function::Coalesce => Func::coalesce(args).into(),
            Function::Lower => Func::lower(args.remove(0)).into(),
            Function::Upper => Func::upper(args.remove(0)).into(),
            Function::Now(ty) => Expr::cust(now_sql(ty, self.backend)),
        }
    }

    /// A SELECT.
    pub fn select(&mut self, core: &SelectCore) -> SelectStatement {
        self.select_named(core, false)
    }

    /// A SELECT, its items named `c0`, `c1`, ... with `name_items` (see `derived_table`).
    fn select_named(&mut self, core: &SelectCore, name_items: bool) -> SelectStatement {
        // A subquery in RETURNING names its columns in full, the statement's table's too: bare,
        // `"userId" = "userId"` would compare a column with itself.
        let bare = core::mem::replace(&mut self.bare_columns, false);
        let stmt = self.select_body(core, name_items);
        self.bare_columns = bare;
        stmt
    }

    fn select_body(&mut self, core: &SelectCore, name_items: bool) -> SelectStatement {
        let mut stmt = Query::select();
        if core.distinct {
            stmt.distinct();
        }
        match &core.derived {
            Some(inner) => {
                let inner = self.derived_table(inner);
                stmt.from_subquery(inner, Alias::new("u"));
                if core.derived_items {
                    for item in &core.items {
                        let e = self.expr(&item.expr);
                        stmt.expr(e);
                    }
                } else {
                    stmt.column(Asterisk);
                }
            }
            None => {
                self.from(&mut stmt, &core.from);
                for (i, item) in core.items.iter().enumerate() {
                    let e = self.expr(&item.expr);
                    if name_items {
                        stmt.expr_as(e, Alias::new(format!("c{i}")));
                    } else {
                        stmt.expr(e);
                    }
                }
            }
        }
        for join in &core.joins {
            let on = self.expr(&join.on);
            let kind = if join.left {
                sea_query::JoinType::LeftJoin
            } else {
                sea_query::JoinType::InnerJoin
            };
            match join.source.alias {
                Some(alias) => {
                    stmt.join_as(kind, self.table(join.source.info), Alias::new(alias), on);
                }
                None => {
                    stmt.join(kind, self.table(join.source.info), on);
                }
            }
        }
        for f in &core.filters {
            let e = self.expr(f);
            stmt.and_where(e);
        }
        if !core.group_by.is_empty() {
            let keys: Vec<Expr> = core.group_by.iter().map(|g| self.expr(g)).collect();
            stmt.add_group_by(keys);
        }
        for h in &core.having {
            let e = self.expr(h);
            stmt.and_having(e);
        }
        for u in &core.unions {
            let operand = self.union_operand(&u.1);
            stmt.union(
                if u.0 {
                    UnionType::All
                } else {
                    UnionType::Distinct
                },
                operand,
            );
        }
        for term in &core.order {
            let e = self.expr(&term.expr);
            let order = if term.desc { Order::Desc } else { Order::Asc };
            match term.nulls {
                Some(n) => {
                    stmt.order_by_expr_with_nulls(
                        e,
                        order,
                        match n {
                            Nulls::First => NullOrdering::First,
                            Nulls::Last => NullOrdering::Last,
                        },
                    );
                }
                None => {
                    stmt.order_by_expr(e, order);
                }
            }
        }
        if let Some(n) = core.limit {
            stmt.limit(n);
        }
        if let Some(n) = core.offset {
            stmt.offset(n);
            // MySQL and SQLite accept OFFSET only after a LIMIT: `i64::MAX` is none.
            if core.limit.is_none() && self.backend != Backend::Postgres {
                stmt.limit(i64::MAX as u64);
            }
        }
        if let Some(lock) = core.lock {
            let ty = if lock.share {
                LockType::Share
            } else {
                LockType::Update
            };
            match lock.wait {
                LockWait::Wait => {
                    stmt.lock(ty);
                }
                LockWait::SkipLocked => {
                    stmt.lock_with_behavior(ty, LockBehavior::SkipLocked);
                }
                LockWait::NoWait => {
                    stmt.lock_with_behavior(ty, LockBehavior::Nowait);
                }
            }
        }
        stmt
    }

    /// A UNION operand: one with its own ORDER BY or LIMIT goes in a derived table, which
    /// every dialect accepts (SQLite takes neither on a bare operand).
    fn union_operand(&mut self, core: &SelectCore) -> SelectStatement {
        if core.order.is_empty() && core.limit.is_none() && core.offset.is_none() {
            return self.select(core);
        }
        let inner = self.derived_table(core);
        let mut outer = Query::select();
        outer.column(Asterisk).from_subquery(inner, Alias::new("u"));
        outer
    }

    /// The SELECT inside a derived table read with `SELECT *`. MySQL refuses a derived table
    /// with two columns of the same name (`Duplicate column name`), which a self-join or the
    /// same expression selected twice gives: then every item gets a name of its own (`c0`,
    /// `c1`, ...). Rows are decoded by position, so the names are otherwise unused.
    fn derived_table(&mut self, core: &SelectCore) -> SelectStatement {
        self.select_named(core, needs_column_names(&core.items))
    }

    fn from(&mut self, stmt: &mut SelectStatement, source: &Source) {
        match source.alias {
            Some(alias) => {
                stmt.from_as(self.table(source.info), Alias::new(alias));
            }
            None => {
                stmt.from(self.table(source.info));
            }
        }
    }

    fn table(&self, info: &TableInfo) -> TableRef {
        auth_schema::ddl::table_ref(info, self.backend)
    }

    fn returning(&mut self, items: &[Item]) -> Option<sea_query::ReturningClause> {
        if items.is_empty() {
            return None;
        }
        self.bare_columns = true;
        let exprs: Vec<Expr> = items.iter().map(|i| self.expr(&i.expr)).collect();
        self.bare_columns = false;
        Some(Query::returning().exprs(exprs))
    }
}

/// Whether the items of a derived table could give two columns the same name: two columns of
/// the same name (MySQL compares them case-insensitively), or several items of which one is
/// not a plain column (an expression's name is its text, and two bound values are both `?`).
fn needs_column_names(items: &[Item]) -> bool {
    if items.len() < 2 {
        return false;
    }
    let mut names = Vec::with_capacity(items.len());
    for item in items {
        match &item.expr {
            Node::Column { col, .. } | Node::BareColumn(col) => {
                let name = col.name.to_lowercase();
                if names.contains(&name) {
                    return true;
                }
                names.push(name);
            }
            _ => return true,
        }
    }
    false
}

fn bin_oper(op: BinOp, backend: Backend) -> BinOper {
    match op {
        BinOp::Eq => BinOper::Equal,
        BinOp::Ne => BinOper::NotEqual,
        BinOp::Lt => BinOper::SmallerThan,
        BinOp::Le => BinOper::SmallerThanOrEqual,
        BinOp::Gt => BinOper::GreaterThan,
        BinOp::Ge => BinOper::GreaterThanOrEqual,
        BinOp::Like => BinOper::Like,
        BinOp::And => BinOper::And,
        BinOp::Or => BinOper::Or,
        BinOp::Add => BinOper::Add,
        BinOp::Sub => BinOper::Sub,
        BinOp::Mul => BinOper::Mul,
        BinOp::Div => BinOper::Div,
        // MySQL's `/` of integers is a DECIMAL; `DIV` truncates, as `/` does elsewhere.
        BinOp::IntDiv if backend == Backend::MySql => BinOper::Custom("DIV"),
        BinOp::IntDiv => BinOper::Div,
    }
}

/// The current time, as a column of type `ty` stores it on `backend`.
fn now_sql(ty: ColumnType, backend: Backend) -> &'static str {
    match (ty, backend) {
        (ColumnType::Timestamp, Backend::Postgres) => "now()",
        (_, Backend::Postgres) => "LOCALTIMESTAMP",
        // DATETIME holds UTC wall-clock time.
        (ColumnType::Timestamp, Backend::MySql) => "UTC_TIMESTAMP(3)",
        (_, Backend::MySql) => "UTC_TIMESTAMP(6)",
        // The text formats this crate writes, so comparisons are text comparisons in order.
        (ColumnType::Timestamp, Backend::Sqlite) => "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
        (_, Backend::Sqlite) => "strftime('%Y-%m-%dT%H:%M:%f', 'now')",
    }
}

// ----------------------------------------------------------------- statements --

/// A random (version 4) UUID in SQLite's SQL, hyphenated and lower case, as the other dialects'
/// `gen_random_uuid()` / `UUID()` defaults give.
pub(crate) const SQLITE_UUID_V4: &str = "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))";

/// A SELECT rendered for `backend`.
pub(crate) fn compile_select<D>(core: &SelectCore, backend: Backend) -> Compiled<D> {
    let mut cx = Lower::new(backend);
    let stmt = cx.select(core);
    cx.build(&stmt)
}

/// An INSERT rendered for `backend`.
pub(crate) fn compile_insert<D>(core: &InsertCore, backend: Backend) -> Compiled<D> {
    let mut cx = Lower::new(backend);
    let mut stmt = Query::insert();
    stmt.into_table(cx.table(core.table.info));
    // SQLite has no UUID function for a `random_uuid` default in DDL: an INSERT that leaves
    // such a column out gives it one, computed by SQLite for each row and each execution.
    let generated: Vec<&'static ColumnInfo> = if backend == Backend::Sqlite {
        core.table
            .info
            .all_columns()
            .filter(|c| c.default == Some(auth_schema::ColumnDefault::RandomUuid))
            .filter(|c| !core.columns.iter().any(|given| given.name == c.name))
            .collect()
    } else {
        Vec::new()
    };
    stmt.columns(
        core.columns
            .iter()
            .chain(&generated)
            .map(|c| Alias::new(c.name)),
    );
    for row in &core.rows {
        let mut exprs: Vec<Expr> = row.iter().map(|v| cx.expr(v)).collect();
        exprs.extend(generated.iter().map(|_| Expr::cust(SQLITE_UUID_V4)));
        // Every row has one value per column by construction, so this cannot fail.
        let _ = stmt.values(exprs);
    }
    if let Some(m) = &core.invalid {
        cx.invalid.get_or_insert_with(|| m.clone());
    }
    // `SET col = excluded.col` for a column the INSERT does not give writes its default (NULL
    // for most) over the stored value: refused, except a `now` default (a "touched at").
    if let Some(OnConflict::Update { update, .. } | OnConflict::DuplicateKey { update }) =
        &core.on_conflict
    {
        let missing = update.iter().find(|u| {
            !core.columns.iter().any(|c| c.name == u.name)
                && u.default != Some(auth_schema::ColumnDefault::Now)
        });
        if let Some(col) = missing {
            cx.invalid.get_or_insert_with(|| {
                format!(
                    "this upsert updates column `{}` from the inserted row, which does not give it: the stored value would be overwritten with its default; give the column, or leave it out of the update",
                    col.name
                )
            });
        }
    }
    if let Some(clause) = &core.on_conflict {
        let names = |cols: &[&'static ColumnInfo]| -> Vec<Alias> {
            cols.iter().map(|c| Alias::new(c.name)).collect()
        };
        let clause = match clause {
            OnConflict::Update { target, update } => {
                let mut c = SeaOnConflict::columns(names(target));
                c.update_columns(names(update));
                c
            }
            OnConflict::Nothing { target } => {
                let mut c = SeaOnConflict::columns(names(target));
                c.do_nothing();
                c
            }
            OnConflict::DuplicateKey { update } => {
                let mut c = SeaOnConflict::new();
                c.update_columns(names(update));
                c
            }
        };
        stmt.on_conflict(clause);
    }
    if let Some(r) = cx.returning(&core.returning) {
        stmt.returning(r);
    }
    cx.build(&stmt)
}

/// An UPDATE rendered for `backend`.
pub(crate) fn compile_update<D>(core: &UpdateCore, backend: Backend) -> Compiled<D> {
    let mut cx = Lower::new(backend);
    let mut stmt = Query::update();
    stmt.table(cx.table(core.table.info));
    for (col, value) in &core.sets {
        let e = cx.expr(value);
        stmt.value(Alias::new(col.name), e);
    }
    for f in &core.filters {
        let e = cx.expr(f);
        stmt.and_where(e);
    }
    if let Some(r) = cx.returning(&core.returning) {
        stmt.returning(r);
    }
    cx.build(&stmt)
}

/// A DELETE rendered for `backend`.
pub(crate) fn compile_delete<D>(core: &DeleteCore, backend: Backend) -> Compiled<D> {
    let mut cx = Lower::new(backend);
    let mut stmt = Query::delete();
    stmt.from_table(cx.table(core.table.info));
    for f in &core.filters {
        let e = cx.expr(f);
        stmt.and_where(e);
    }
    if let Some(r) = cx.returning(&core.returning) {
        stmt.returning(r);
    }
    cx.build(&stmt)
}
