//! What the adapter needs from each dialect: its pool, transactions, and how to read back the row
//! an UPDATE or DELETE touched (`RETURNING` on Postgres and SQLite, a second query on MySQL).

use auth_query::prelude::*;
use auth_query::{Delete, Dialect, Executes, Filtered, NoRows, Prepared, RowOf, Update};
use auth_schema::Table;

/// A write whose row is read back, in the dialect's own way.
#[derive(Debug)]
pub enum WriteRead<D, O> {
    /// One statement with `RETURNING` (Postgres, SQLite).
    Returning(Prepared<D, O>),
    /// The write, then a read of the same row, in one transaction (MySQL updates).
    WriteThenRead {
        /// The UPDATE.
        write: Prepared<D, NoRows>,
        /// The SELECT of the updated row.
        read: Prepared<D, O>,
    },
    /// A read, then a DELETE that must affect exactly one row for the read to count (MySQL
    /// deletes). Of several concurrent callers only one deletes the row, so only one gets it.
    ReadThenDelete {
        /// The SELECT of the row.
        read: Prepared<D, O>,
        /// The DELETE.
        delete: Prepared<D, NoRows>,
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

    /// An UPDATE whose new row is returned.
    fn update_returning<T: Table>(
        update: Update<Self, T, Filtered>,
        read: Prepared<Self, RowOf<T>>,
    ) -> WriteRead<Self, RowOf<T>>;

    /// A DELETE whose deleted row is returned.
    fn delete_returning<T: Table>(
        delete: Delete<Self, T, Filtered>,
        read: Prepared<Self, RowOf<T>>,
    ) -> WriteRead<Self, RowOf<T>>;
}

macro_rules! returning_dialect {
    ($feature:literal, $dialect:ident, $db:ty) => {
        #[cfg(feature = $feature)]
        impl AdapterDialect for $dialect {
            type Database = $db;

            fn pool<'e>(pool: &'e sqlx::Pool<$db>) -> impl Executes<'e, Self> {
                pool
            }

            fn tx<'e, 't>(tx: &'e mut sqlx::Transaction<'t, $db>) -> impl Executes<'e, Self> {
                tx
            }

            fn update_returning<T: Table>(
                update: Update<Self, T, Filtered>,
                _read: Prepared<Self, RowOf<T>>,
            ) -> WriteRead<Self, RowOf<T>> {
                WriteRead::Returning(update.returning(T::default().all()).prepare())
            }

            fn delete_returning<T: Table>(
                delete: Delete<Self, T, Filtered>,
                _read: Prepared<Self, RowOf<T>>,
            ) -> WriteRead<Self, RowOf<T>> {
                WriteRead::Returning(delete.returning(T::default().all()).prepare())
            }
        }
    };
}

returning_dialect!("postgres", Postgres, sqlx::Postgres);
returning_dialect!("sqlite", Sqlite, sqlx::Sqlite);

#[cfg(feature = "mysql")]
impl AdapterDialect for MySql {
    type Database = sqlx::MySql;

    fn pool<'e>(pool: &'e sqlx::Pool<sqlx::MySql>) -> impl Executes<'e, Self> {
        pool
    }

    fn tx<'e, 't>(tx: &'e mut sqlx::Transaction<'t, sqlx::MySql>) -> impl Executes<'e, Self> {
        tx
    }

    fn update_returning<T: Table>(
        update: Update<Self, T, Filtered>,
        read: Prepared<Self, RowOf<T>>,
    ) -> WriteRead<Self, RowOf<T>> {
        WriteRead::WriteThenRead {
            write: update.prepare(),
            read,
        }
    }

    fn delete_returning<T: Table>(
        delete: Delete<Self, T, Filtered>,
        read: Prepared<Self, RowOf<T>>,
    ) -> WriteRead<Self, RowOf<T>> {
        WriteRead::ReadThenDelete {
            read,
            delete: delete.prepare(),
        }
    }
}
