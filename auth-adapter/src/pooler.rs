//! How the adapter's statements reach the pool: directly, or in pooler mode for a
//! transaction-mode pooler (PgBouncer, and the poolers of Supabase and Neon) in front of
//! PostgreSQL. And, on a multi-host PostgreSQL pool, failures reported to it so that it looks
//! for the new primary at once.
//!
//! **Pooler mode.** A transaction pooler gives a client connection a server connection for one
//! transaction at a time: outside a transaction, every `Sync` of the extended protocol may move
//! the client to another server. Named prepared statements (sqlx's default) therefore collide
//! (`prepared statement "sqlx_s_1" already exists`). Unnamed ones are not enough either: sqlx
//! parses a statement (`Parse`, `Describe`, `Sync`) and then binds and executes it (`Bind`,
//! `Execute`, `Sync`) in two exchanges, and between them the pooler may hand the server to
//! another client, whose own `Parse` replaces the unnamed statement: the `Bind` then runs *the
//! other client's statement* with this client's values, or fails with `unnamed prepared
//! statement does not exist`. (Through PgBouncer 1.18 with 4 servers and 32 clients, 2,512 of
//! 6,400 such queries returned another query's result.) So in pooler mode each statement runs
//! unnamed inside a transaction of its own (`BEGIN`, the statement, `COMMIT`): the pooler keeps
//! one server for the whole exchange. Nothing else is kept on a connection: no `SET`, no lock,
//! no prepared statement.

use std::any::Any;
use std::sync::Arc;

use auth_query::{Error, Executes, Ready, Unnamed};
use auth_schema::{ColumnType, DecodeError, RowReader};

use crate::dialect::AdapterDialect;

type BoxFuture<'e, T> = core::pin::Pin<Box<dyn core::future::Future<Output = T> + Send + 'e>>;
type DecodeFn<Out> = fn(&mut dyn RowReader) -> Result<Out, DecodeError>;

/// The adapter's executor: the pool, in pooler mode or not.
pub(crate) struct Exec<'e, D: AdapterDialect> {
    pool: &'e sqlx::Pool<D::Database>,
    pooler: bool,
}

impl<'e, D: AdapterDialect> Exec<'e, D> {
    pub(crate) fn new(pool: &'e sqlx::Pool<D::Database>, pooler: bool) -> Self {
        Exec { pool, pooler }
    }
}

impl<'e, D: AdapterDialect> Executes<'e, D> for Exec<'e, D> {
    fn fetch_rows<Out: Send + 'e>(
        self,
        statement: Ready,
        types: Arc<[ColumnType]>,
        decode: DecodeFn<Out>,
        first_only: bool,
    ) -> BoxFuture<'e, Result<Vec<Out>, Error>> {
        let pool = self.pool;
        if !self.pooler {
            return Box::pin(async move {
                let result = D::pool(pool)
                    .fetch_rows(statement, types, decode, first_only)
                    .await;
                reported::<D, _>(pool, result)
            });
        }
        Box::pin(async move {
            let result = async {
                let mut tx = pool.begin().await?;
                let rows = Unnamed::new(D::tx(&mut tx), true)
                    .fetch_rows(statement, types, decode, first_only)
                    .await;
                finish(tx, rows).await
            }
            .await;
            reported::<D, _>(pool, result)
        })
    }

    fn execute_statement(self, statement: Ready) -> BoxFuture<'e, Result<u64, Error>> {
        let pool = self.pool;
        if !self.pooler {
            return Box::pin(async move {
                let result = D::pool(pool).execute_statement(statement).await;
                reported::<D, _>(pool, result)
            });
        }
        Box::pin(async move {
            let result = async {
                let mut tx = pool.begin().await?;
                let n = Unnamed::new(D::tx(&mut tx), true)
                    .execute_statement(statement)
                    .await;
                finish(tx, n).await
            }
            .await;
            reported::<D, _>(pool, result)
        })
    }
}

/// Commits after success; rolls back at once after an error (rather than when the connection
/// is next used), so that a pooler gets its server back.
async fn finish<DB: sqlx::Database, T>(
    tx: sqlx::Transaction<'static, DB>,
    result: Result<T, Error>,
) -> Result<T, Error> {
    match result {
        Ok(value) => {
            tx.commit().await?;
            Ok(value)
        }
        Err(e) => {
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}

/// `result`, after telling a multi-host PostgreSQL pool about a failure that may mean its
/// server went away (see `auth_pg_connect::report_error`).
pub(crate) fn reported<D: AdapterDialect, T>(
    pool: &sqlx::Pool<D::Database>,
    result: Result<T, Error>,
) -> Result<T, Error> {
    #[cfg(feature = "postgres")]
    if let Err(Error::Database(e)) = &result
        && let Some(pg) = (pool as &dyn Any).downcast_ref::<sqlx::PgPool>()
    {
        auth_pg_connect::report_error(pg, e);
    }
    #[cfg(not(feature = "postgres"))]
    let _ = (pool as &dyn Any, &result);
    result
}
