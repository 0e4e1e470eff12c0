//! Running compiled statements on sqlx pools, connections and transactions.
//!
//! [`Executes<D>`] is implemented only for the sqlx executors of dialect `D`, so running a
//! Postgres query on a SQLite pool does not compile. Rows are decoded straight from the driver
//! row through [`RowReader`](auth_schema::RowReader); each driver module knows its encodings.

use core::future::Future;
use core::pin::Pin;
use std::sync::Arc;

use auth_schema::{ColumnType, DecodeError, RowReader};

use crate::dialect::Dialect;
use crate::error::Error;
use crate::prepared::{Arguments, Prepared};
use crate::select::Decode;
use crate::statement::Rendered;

#[cfg(feature = "mysql")]
mod mysql;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;

/// A boxed future, as the driver traits return.
pub type BoxFuture<'e, T> = Pin<Box<dyn Future<Output = T> + Send + 'e>>;

/// Decodes one row from a reader.
pub type DecodeFn<Out> = fn(&mut dyn RowReader) -> Result<Out, DecodeError>;

/// A sqlx pool, connection or transaction that can run statements of dialect `D`.
///
/// Implemented for `&Pool<DB>`, `&mut DB::Connection`, `&mut PoolConnection<DB>` and
/// `&mut Transaction<DB>` of the matching sqlx database, when its feature is enabled.
#[diagnostic::on_unimplemented(
    message = "cannot run a `{D}` query on `{Self}`",
    label = "this executor belongs to another database, or its driver feature is not enabled",
    note = "build the query with the dialect of the pool (`Postgres`, `MySql` or `Sqlite`), and enable the matching Cargo feature"
)]
pub trait Executes<'e, D: Dialect>: Send + Sized + 'e {
    /// Runs a statement and decodes its rows; with `first_only`, at most one.
    #[doc(hidden)]
    fn fetch_rows<Out: Send + 'e>(
        self,
        statement: Ready,
        types: Arc<[ColumnType]>,
        decode: DecodeFn<Out>,
        first_only: bool,
    ) -> BoxFuture<'e, Result<Vec<Out>, Error>>;

    /// Runs a statement and returns the number of rows it affected.
    #[doc(hidden)]
    fn execute_statement(self, statement: Ready) -> BoxFuture<'e, Result<u64, Error>>;
}

/// An executor whose statements are sent unnamed (when `unnamed` is true): the driver keeps no
/// prepared statement on the connection. This is what a transaction-mode pooler (PgBouncer, and
/// the poolers of Supabase or Neon) needs, since the next statement may run on another server
/// connection. Each execution then parses its statement again.
///
/// ```no_run
/// # #[cfg(feature = "postgres")]
/// # async fn demo(pool: sqlx::PgPool) -> Result<(), auth_query::Error> {
/// use auth_query::{prelude::*, Unnamed};
/// use auth_schema::kysely::user;
/// let emails = Postgres
///     .select_from(user::table)
///     .select(user::email)
///     .fetch_all(Unnamed::new(&pool, true))
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Unnamed<E> {
    executor: E,
    unnamed: bool,
}

impl<E> Unnamed<E> {
    /// `executor`, sending statements unnamed when `unnamed` is true (a configuration switch).
    pub fn new(executor: E, unnamed: bool) -> Self {
        Unnamed { executor, unnamed }
    }
}

impl<'e, D: Dialect, E: Executes<'e, D>> Executes<'e, D> for Unnamed<E> {
    fn fetch_rows<Out: Send + 'e>(
        self,
        mut statement: Ready,
        types: Arc<[ColumnType]>,
        decode: DecodeFn<Out>,
        first_only: bool,
    ) -> BoxFuture<'e, Result<Vec<Out>, Error>> {
        statement.persistent &= !self.unnamed;
        self.executor
            .fetch_rows(statement, types, decode, first_only)
    }

    fn execute_statement(self, mut statement: Ready) -> BoxFuture<'e, Result<u64, Error>> {
        statement.persistent &= !self.unnamed;
        self.executor.execute_statement(statement)
    }
}

/// SQL text and values, ready for the driver. `Clone` so that an idempotent read can be sent
/// again on another connection.
#[doc(hidden)]
#[derive(Debug, Clone)]
#[cfg_attr(
    not(any(feature = "sqlite", feature = "postgres", feature = "mysql")),
    allow(dead_code)
)]
pub struct Ready {
    pub(crate) sql: Arc<str>,
    pub(crate) values: sea_query::Values,
    /// Whether the driver may keep the statement prepared on the connection (sqlx's
    /// `persistent`); `false` behind a transaction-mode pooler ([`Unnamed`]).
    pub(crate) persistent: bool,
}

impl Ready {
    /// The SQL and its driver arguments. A plain function, not an `async` one, so the
    /// sea-query values (which are not `Send`) never live across an `.await`.
    #[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
    fn into_parts<A>(
        self,
        arguments: fn(sea_query::Values) -> Result<A, Error>,
    ) -> Result<(Arc<str>, A, bool), Error> {
        Ok((self.sql, arguments(self.values)?, self.persistent))
    }

    /// A statement built without arguments, or why it cannot run.
    pub(crate) fn from_rendered<D>(r: Rendered<D>) -> Result<(Self, Arc<[ColumnType]>), Error> {
        if r.empty_update {
            return Err(Error::EmptyUpdate);
        }
        if let Some(message) = r.compiled.invalid {
            return Err(Error::InvalidValue(message));
        }
        if !r.compiled.slots.is_empty() {
            // Only reachable with a handle smuggled out of a `prepare` closure.
            return Err(Error::Arguments {
                expected: r.compiled.slots.len(),
                got: 0,
            });
        }
        Ok((
            Ready {
                sql: r.compiled.sql.into(),
                values: r.compiled.values,
                persistent: true,
            },
            r.types.into(),
        ))
    }
}

/// Implements [`Executes`] for the four executor kinds of one sqlx database.
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
macro_rules! executes_for {
    ($dialect:ty, $db:ty, $conn:ty, $read:path) => {
        $crate::exec::arguments_fn!($db);

        struct Reader<'r> {
            row: &'r <$db as sqlx::Database>::Row,
            types: &'r [auth_schema::ColumnType],
            index: usize,
        }

        impl auth_schema::RowReader for Reader<'_> {
            fn read(&mut self) -> Result<auth_schema::Value, auth_schema::DecodeError> {
                let i = self.index;
                let ty = *self.types.get(i).ok_or_else(|| {
                    auth_schema::DecodeError::new("the row type has more columns than the selection")
                })?;
                self.index += 1;
                $read(self.row, i, ty)
            }
        }

        async fn fetch_rows<'e, E, Out>(
            executor: E,
            statement: $crate::exec::Ready,
            types: std::sync::Arc<[auth_schema::ColumnType]>,
            decode: $crate::exec::DecodeFn<Out>,
            first_only: bool,
        ) -> Result<Vec<Out>, $crate::Error>
        where
            E: sqlx::Executor<'e, Database = $db>,
        {
            let (sql, args, persistent) = statement.into_parts(arguments)?;
            let q = sqlx::query_with(sqlx::AssertSqlSafe(sql), args).persistent(persistent);
            let rows = if first_only {
                executor.fetch_optional(q).await?.into_iter().collect()
            } else {
                executor.fetch_all(q).await?
            };
            rows.iter()
                .map(|row| decode(&mut Reader { row, types: &types, index: 0 }).map_err($crate::Error::from))
                .collect()
        }

        async fn execute_statement<'e, E>(executor: E, statement: $crate::exec::Ready) -> Result<u64, $crate::Error>
        where
            E: sqlx::Executor<'e, Database = $db>,
        {
            let (sql, args, persistent) = statement.into_parts(arguments)?;
            let q = sqlx::query_with(sqlx::AssertSqlSafe(sql), args).persistent(persistent);
            Ok(executor.execute(q).await?.rows_affected())
        }

        $crate::exec::executes_for!(@impl $dialect, $db, ['e] &'e sqlx::Pool<$db>, |e| e);
        $crate::exec::executes_for!(@impl $dialect, $db, ['e] &'e mut $conn, |e| e);
        $crate::exec::executes_for!(@impl $dialect, $db, ['e] &'e mut sqlx::pool::PoolConnection<$db>, |e| &mut **e);
        $crate::exec::executes_for!(@impl $dialect, $db, ['e, 't] &'e mut sqlx::Transaction<'t, $db>, |e| &mut **e);
    };
    (@impl $dialect:ty, $db:ty, [$($lt:lifetime),+] $ty:ty, |$e:ident| $executor:expr) => {
        impl<$($lt),+> $crate::exec::Executes<'e, $dialect> for $ty {
            fn fetch_rows<Out: Send + 'e>(
                self,
                query: $crate::exec::Ready,
                types: std::sync::Arc<[auth_schema::ColumnType]>,
                decode: $crate::exec::DecodeFn<Out>,
                first_only: bool,
            ) -> $crate::exec::BoxFuture<'e, Result<Vec<Out>, $crate::Error>> {
                let $e = self;
                Box::pin(fetch_rows($executor, query, types, decode, first_only))
            }

            fn execute_statement(
                self,
                query: $crate::exec::Ready,
            ) -> $crate::exec::BoxFuture<'e, Result<u64, $crate::Error>> {
                let $e = self;
                Box::pin(execute_statement($executor, query))
            }
        }
    };
}
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
pub(crate) use executes_for;

/// Defines `arguments(values)`: the driver arguments of database `$db` for `values`, or the
/// first value the driver cannot encode.
///
/// Every encode error is returned before anything is sent. (sea-query-sqlx's binder drops them,
/// and then sqlx-mysql leaves its connection waiting for a reply the server never sends.)
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
macro_rules! arguments_fn {
    ($db:ty) => {
        fn arguments(
            values: sea_query::Values,
        ) -> Result<<$db as sqlx::Database>::Arguments, $crate::Error> {
            use sea_query::Value as V;
            use sqlx::Arguments as _;
            let mut args = <<$db as sqlx::Database>::Arguments>::default();
            for (i, value) in values.0.into_iter().enumerate() {
                let added = match value {
                    V::Bool(v) => args.add(v),
                    V::SmallInt(v) => args.add(v),
                    V::Int(v) => args.add(v),
                    V::BigInt(v) => args.add(v),
                    // LIMIT and OFFSET, capped at `i64::MAX` by the builder.
                    V::BigUnsigned(v) => args.add(v.map(|n| i64::try_from(n).unwrap_or(i64::MAX))),
                    V::Float(v) => args.add(v),
                    V::Double(v) => args.add(v),
                    V::String(v) => args.add(v),
                    V::Char(v) => args.add(v.map(String::from)),
                    V::Bytes(v) => args.add(v),
                    V::ChronoDate(v) => args.add(v),
                    V::ChronoTime(v) => args.add(v),
                    V::ChronoDateTime(v) => args.add(v),
                    V::ChronoDateTimeUtc(v) => args.add(v),
                    V::Uuid(v) => args.add(v),
                    V::Json(v) => args.add(v.map(|j| *j)),
                    other => {
                        return Err($crate::Error::InvalidValue(format!(
                            "parameter {}: {other:?} is not a value this crate binds",
                            i + 1
                        )));
                    }
                };
                added.map_err(|e| {
                    $crate::Error::InvalidValue(format!("parameter {}: {e}", i + 1))
                })?;
            }
            Ok(args)
        }
    };
}
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
pub(crate) use arguments_fn;

#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
fn decode_error(i: usize, e: impl core::fmt::Display) -> DecodeError {
    DecodeError::new(format!("column {i}: {e}"))
}

/// Column `i` as a nullable `T`.
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
fn get<'r, T, R>(row: &'r R, i: usize) -> Result<Option<T>, DecodeError>
where
    R: sqlx::Row,
    usize: sqlx::ColumnIndex<R>,
    T: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    row.try_get::<Option<T>, _>(i)
        .map_err(|e| decode_error(i, e))
}

/// A JSON document stored as text.
#[cfg(any(feature = "sqlite", feature = "mysql"))]
fn parse_json(i: usize, s: &str) -> Result<auth_schema::Value, DecodeError> {
    serde_json::from_str(s)
        .map(auth_schema::Value::Json)
        .map_err(|e| decode_error(i, format!("not a JSON document: {e}")))
}

// The running methods return a `BoxFuture` (what the driver traits return anyway) instead of
// being `async fn`s: their bounds are then checked once, where they are called, not again where
// the future is awaited, so a query run on the wrong pool is one error.

type ReadyOr<T> = Result<(Ready, Arc<[ColumnType]>), T>;

/// Every row of a ready statement.
pub(crate) fn fetch_all<'e, D: Dialect, E: Executes<'e, D>, O: Decode>(
    executor: E,
    ready: ReadyOr<Error>,
) -> BoxFuture<'e, Result<Vec<O::Out>, Error>>
where
    O::Out: 'e,
{
    match ready {
        Ok((ready, types)) => executor.fetch_rows(ready, types, O::decode, false),
        Err(e) => Box::pin(core::future::ready(Err(e))),
    }
}

/// The first row of a ready statement, if any.
pub(crate) fn fetch_optional<'e, D: Dialect, E: Executes<'e, D>, O: Decode>(
    executor: E,
    ready: ReadyOr<Error>,
) -> BoxFuture<'e, Result<Option<O::Out>, Error>>
where
    O::Out: 'e,
{
    match ready {
        Ok((ready, types)) => {
            let rows = executor.fetch_rows(ready, types, O::decode, true);
            Box::pin(async move { Ok(rows.await?.into_iter().next()) })
        }
        Err(e) => Box::pin(core::future::ready(Err(e))),
    }
}

/// The first row of a ready statement; no row is [`Error::NotFound`].
pub(crate) fn fetch_one<'e, D: Dialect, E: Executes<'e, D>, O: Decode>(
    executor: E,
    ready: ReadyOr<Error>,
) -> BoxFuture<'e, Result<O::Out, Error>>
where
    O::Out: 'e,
{
    let row = fetch_optional::<D, E, O>(executor, ready);
    Box::pin(async move { row.await?.ok_or(Error::NotFound) })
}

/// The number of rows a ready statement affected.
pub(crate) fn execute<'e, D: Dialect, E: Executes<'e, D>>(
    executor: E,
    ready: ReadyOr<Error>,
) -> BoxFuture<'e, Result<u64, Error>> {
    match ready {
        Ok((ready, _)) => executor.execute_statement(ready),
        Err(e) => Box::pin(core::future::ready(Err(e))),
    }
}

impl<D: Dialect, O, P> Prepared<D, O, P> {
    fn ready<A: Arguments<P>>(&self, args: A) -> Result<(Ready, Arc<[ColumnType]>), Error> {
        let values = self.values(args)?;
        Ok((
            Ready {
                sql: self.shared_sql(),
                values,
                persistent: true,
            },
            self.column_types(),
        ))
    }

    /// Runs the statement with these arguments and decodes every row.
    pub fn fetch_all<'e, E: Executes<'e, D>, A: Arguments<P>>(
        &self,
        executor: E,
        args: A,
    ) -> BoxFuture<'e, Result<Vec<O::Out>, Error>>
    where
        O: Decode,
        O::Out: 'e,
    {
        fetch_all::<D, E, O>(executor, self.ready(args))
    }

    /// Runs the statement with these arguments and decodes the first row, if any.
    pub fn fetch_optional<'e, E: Executes<'e, D>, A: Arguments<P>>(
        &self,
        executor: E,
        args: A,
    ) -> BoxFuture<'e, Result<Option<O::Out>, Error>>
    where
        O: Decode,
        O::Out: 'e,
    {
        fetch_optional::<D, E, O>(executor, self.ready(args))
    }

    /// Runs the statement with these arguments and decodes the first row; no row is
    /// [`Error::NotFound`].
    pub fn fetch_one<'e, E: Executes<'e, D>, A: Arguments<P>>(
        &self,
        executor: E,
        args: A,
    ) -> BoxFuture<'e, Result<O::Out, Error>>
    where
        O: Decode,
        O::Out: 'e,
    {
        fetch_one::<D, E, O>(executor, self.ready(args))
    }

    /// Runs the statement with these arguments and returns the number of rows it affected.
    pub fn execute<'e, E: Executes<'e, D>, A: Arguments<P>>(
        &self,
        executor: E,
        args: A,
    ) -> BoxFuture<'e, Result<u64, Error>> {
        execute::<D, E>(executor, self.ready(args))
    }
}
