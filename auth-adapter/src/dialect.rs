//! What the adapter needs from each dialect: its pool, transactions, and how to read back the row
//! an UPDATE or DELETE touched (`RETURNING` on Postgres and SQLite, a second query on MySQL).

use auth_query::prelude::*;
use auth_query::{Delete, Dialect, DynArgs, Executes, Filtered, HasSet, NoRows, RowOf, Update};
use auth_schema::{Table, TableInfo};

use crate::BoxFuture;
use crate::adapter::Stmt;
use crate::error::AdapterError;

/// A write whose row is read back, in the dialect's own way.
#[derive(Debug)]
pub enum WriteRead<D, O> {
    /// One statement with `RETURNING` (Postgres, SQLite).
    Returning(Stmt<D, O>),
    /// The write, then a read of the same row, in one transaction (MySQL updates).
    WriteThenRead {
        /// The UPDATE.
        write: Stmt<D, NoRows>,
        /// The SELECT of the updated row.
        read: Stmt<D, O>,
    },
    /// A read, then a DELETE that must affect exactly one row for the read to count (MySQL
    /// deletes). Of several concurrent callers only one deletes the row, so only one gets it.
    ReadThenDelete {
        /// The SELECT of the row.
        read: Stmt<D, O>,
        /// The DELETE.
        delete: Stmt<D, NoRows>,
    },
}

/// A dialect the adapter runs on. Implemented for [`Postgres`], [`MySql`] and [`Sqlite`] when
/// their features are enabled.
///
/// The `read` statements given here take the same arguments as the writes, so one argument
/// list serves both.
#[diagnostic::on_unimplemented(
    message = "the adapter cannot run on `{Self}`",
    label = "enable the Cargo feature of this dialect (`postgres`, `mysql` or `sqlite`)"
)]
pub trait AdapterDialect: Dialect {
    /// The sqlx database.
    type Database: sqlx::Database;

    /// The pool as an executor.
    fn pool<'e>(pool: &'e sqlx::Pool<Self::Database>) -> impl Executes<'e, Self>;

    /// A transaction as an executor.
    fn tx<'e, 't>(tx: &'e mut sqlx::Transaction<'t, Self::Database>) -> impl Executes<'e, Self>;

    /// A connection taken from the pool as an executor.
    fn conn<'e>(
        conn: &'e mut sqlx::pool::PoolConnection<Self::Database>,
    ) -> impl Executes<'e, Self>;

    /// An UPDATE whose new row is returned: `update` builds it over the arguments.
    fn update_returning<T: Table>(
        update: impl for<'p> FnOnce(&DynArgs<'p>) -> Update<Self, T, Filtered, HasSet>,
        read: Stmt<Self, RowOf<T>>,
    ) -> WriteRead<Self, RowOf<T>>;

    /// A DELETE whose deleted row is returned: `delete` builds it over the arguments.
    fn delete_returning<T: Table>(
        delete: impl for<'p> FnOnce(&DynArgs<'p>) -> Delete<Self, T, Filtered>,
        read: Stmt<Self, RowOf<T>>,
    ) -> WriteRead<Self, RowOf<T>>;

    /// Whether the table exists (in its Postgres schema, or the current one). The adapter asks
    /// when the database reports a missing table (or, on SQLite, any `SQLITE_ERROR`), to name it.
    fn table_exists<'a>(
        pool: &'a sqlx::Pool<Self::Database>,
        table: &'a TableInfo,
    ) -> BoxFuture<'a, bool>;
}

/// Counts matching tables with a static catalog query and bound names.
#[cfg(feature = "mysql")]
async fn count_tables<'e, E>(
    executor: E,
    sql: &'static str,
    schema: Option<&str>,
    table: &str,
) -> Result<bool, AdapterError>
where
    E: sqlx::Executor<'e>,
    for<'q> <E::Database as sqlx::Database>::Arguments: sqlx::IntoArguments<E::Database>,
    for<'q> &'q str: sqlx::Encode<'q, E::Database> + sqlx::Type<E::Database>,
    Option<String>: for<'q> sqlx::Encode<'q, E::Database> + sqlx::Type<E::Database>,
    i64: for<'r> sqlx::Decode<'r, E::Database> + sqlx::Type<E::Database>,
    usize: sqlx::ColumnIndex<<E::Database as sqlx::Database>::Row>,
{
    use sqlx::Row;
    let row = sqlx::query(sql)
        .bind(schema.map(str::to_owned))
        .bind(table)
        .fetch_one(executor)
        .await
        .map_err(|e| AdapterError::from_sqlx(e, "schema"))?;
    let n: i64 = row
        .try_get(0)
        .map_err(|e| AdapterError::from_sqlx(e, "schema"))?;
    Ok(n > 0)
}

/// Catalog queries: `$1`/`?` is the Postgres schema (NULL for the current one), then the table.
#[cfg(feature = "postgres")]
const PG_TABLE_EXISTS: &str = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = COALESCE($1, current_schema()) AND table_name = $2";
#[cfg(feature = "sqlite")]
const SQLITE_TABLE_EXISTS: &str =
    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND (? IS NULL OR 1) AND name = ?";
#[cfg(feature = "mysql")]
const MYSQL_TABLE_EXISTS: &str = "SELECT COUNT(*) FROM information_schema.tables WHERE (? IS NULL OR 1) AND table_schema = DATABASE() AND table_name = ?";

macro_rules! returning_dialect {
    ($feature:literal, $dialect:ident, $db:ty, $exists:ident) => {
        #[cfg(feature = $feature)]
        impl AdapterDialect for $dialect {
            type Database = $db;

            fn pool<'e>(pool: &'e sqlx::Pool<$db>) -> impl Executes<'e, Self> {
                pool
            }

            fn tx<'e, 't>(tx: &'e mut sqlx::Transaction<'t, $db>) -> impl Executes<'e, Self> {
                tx
            }

            fn conn<'e>(conn: &'e mut sqlx::pool::PoolConnection<$db>) -> impl Executes<'e, Self> {
                conn
            }

            fn update_returning<T: Table>(
                update: impl for<'p> FnOnce(&DynArgs<'p>) -> Update<Self, T, Filtered, HasSet>,
                _read: Stmt<Self, RowOf<T>>,
            ) -> WriteRead<Self, RowOf<T>> {
                WriteRead::Returning(
                    $dialect.prepare_dynamic(|a| update(a).returning(T::default().all())),
                )
            }

            fn delete_returning<T: Table>(
                delete: impl for<'p> FnOnce(&DynArgs<'p>) -> Delete<Self, T, Filtered>,
                _read: Stmt<Self, RowOf<T>>,
            ) -> WriteRead<Self, RowOf<T>> {
                WriteRead::Returning(
                    $dialect.prepare_dynamic(|a| delete(a).returning(T::default().all())),
                )
            }

            fn table_exists<'a>(
                pool: &'a sqlx::Pool<$db>,
                table: &'a TableInfo,
            ) -> BoxFuture<'a, bool> {
                Box::pin(async move {
                    // In a transaction, so that a transaction pooler keeps one server for it.
                    let mut tx = pool
                        .begin()
                        .await
                        .map_err(|e| AdapterError::from_sqlx(e, "schema"))?;
                    let n: Result<i64, _> = sqlx::query_scalar($exists)
                        .persistent(false)
                        .bind(table.postgres_schema.map(str::to_owned))
                        .bind(table.name)
                        .fetch_one(&mut *tx)
                        .await;
                    let _ = tx.rollback().await;
                    Ok(n.map_err(|e| AdapterError::from_sqlx(e, "schema"))? > 0)
                })
            }
        }
    };
}

returning_dialect!("postgres", Postgres, sqlx::Postgres, PG_TABLE_EXISTS);
returning_dialect!("sqlite", Sqlite, sqlx::Sqlite, SQLITE_TABLE_EXISTS);

#[cfg(feature = "mysql")]
impl AdapterDialect for MySql {
    type Database = sqlx::MySql;

    fn pool<'e>(pool: &'e sqlx::Pool<sqlx::MySql>) -> impl Executes<'e, Self> {
        pool
    }

    fn tx<'e, 't>(tx: &'e mut sqlx::Transaction<'t, sqlx::MySql>) -> impl Executes<'e, Self> {
        tx
    }

    fn conn<'e>(conn: &'e mut sqlx::pool::PoolConnection<sqlx::MySql>) -> impl Executes<'e, Self> {
        conn
    }

    fn update_returning<T: Table>(
        update: impl for<'p> FnOnce(&DynArgs<'p>) -> Update<Self, T, Filtered, HasSet>,
        read: Stmt<Self, RowOf<T>>,
    ) -> WriteRead<Self, RowOf<T>> {
        WriteRead::WriteThenRead {
            write: MySql.prepare_dynamic(update),
            read,
        }
    }

    fn delete_returning<T: Table>(
        delete: impl for<'p> FnOnce(&DynArgs<'p>) -> Delete<Self, T, Filtered>,
        read: Stmt<Self, RowOf<T>>,
    ) -> WriteRead<Self, RowOf<T>> {
        WriteRead::ReadThenDelete {
            read,
            delete: MySql.prepare_dynamic(delete),
        }
    }

    fn table_exists<'a>(
        pool: &'a sqlx::Pool<sqlx::MySql>,
        table: &'a TableInfo,
    ) -> BoxFuture<'a, bool> {
        Box::pin(count_tables(pool, MYSQL_TABLE_EXISTS, None, table.name))
    }
}
