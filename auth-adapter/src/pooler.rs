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

use sqlx::pool::PoolConnection;

use crate::dialect::AdapterDialect;
use crate::held::{Checkout, Held};

type BoxFuture<'e, T> = core::pin::Pin<Box<dyn core::future::Future<Output = T> + Send + 'e>>;
type DecodeFn<Out> = fn(&mut dyn RowReader) -> Result<Out, DecodeError>;

/// The adapter's executor: the pool (through the connections the adapter holds, see
/// `held.rs`), in pooler mode or not; for an idempotent read, with one more try on a live
/// connection when the first meets a connection that died while idle.
pub(crate) struct Exec<'e, D: AdapterDialect> {
    pool: &'e sqlx::Pool<D::Database>,
    held: &'e Arc<Held<D::Database>>,
    pooler: bool,
    idempotent: bool,
}

impl<'e, D: AdapterDialect> Exec<'e, D> {
    pub(crate) fn new(
        pool: &'e sqlx::Pool<D::Database>,
        held: &'e Arc<Held<D::Database>>,
        pooler: bool,
    ) -> Self {
        Exec {
            pool,
            held,
            pooler,
            idempotent: false,
        }
    }

    /// For a statement that reads and writes nothing, so that running it twice is the same as
    /// running it once.
    ///
    /// [`ConnectOptions`](crate::ConnectOptions) does not ping a connection each time it takes
    /// one from the pool (a round trip per call), so a connection the server ended while it sat
    /// idle (a restart, a failover, an idle timeout of the server, a pooler or a firewall) is
    /// found dead only when used. A read that fails so runs once more, on a connection that
    /// answers a ping; the dead connections met on the way are closed. A write is never sent
    /// twice: its failure is [`AdapterError::Connection`](crate::AdapterError::Connection).
    pub(crate) fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }
}

/// Gives the connection back to `held` after a success; after a failure it goes back to the
/// pool, whose ping closes it if it is broken.
pub(crate) fn give_back<DB: sqlx::Database, T>(
    held: &Arc<Held<DB>>,
    checkout: Checkout<DB>,
    result: &Result<T, Error>,
) {
    if result.is_ok() {
        held.put(checkout);
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
        let Exec {
            pool,
            held,
            pooler,
            idempotent,
        } = self;
        Box::pin(async move {
            let again = idempotent.then(|| (statement.clone(), types.clone()));
            let result = match held.take().await {
                Ok(mut checkout) => {
                    let result = fetch_on::<D, Out>(
                        &mut checkout.conn,
                        pooler,
                        statement,
                        types,
                        decode,
                        first_only,
                    )
                    .await;
                    give_back(held, checkout, &result);
                    result
                }
                Err(e) => Err(e.into()),
            };
            let result = reported::<D, _>(pool, result);
            let Some((statement, types)) = again else {
                return result;
            };
            match result {
                Err(e) if is_broken_connection(&e) => {
                    tracing::debug!(error = %e, "a pooled connection had died; reading again");
                    let Ok(mut checkout) = live_connection(pool).await else {
                        return Err(e);
                    };
                    let result = fetch_on::<D, Out>(
                        &mut checkout.conn,
                        pooler,
                        statement,
                        types,
                        decode,
                        first_only,
                    )
                    .await;
                    give_back(held, checkout, &result);
                    reported::<D, _>(pool, result)
                }
                result => result,
            }
        })
    }

    fn execute_statement(self, statement: Ready) -> BoxFuture<'e, Result<u64, Error>> {
        let Exec {
            pool, held, pooler, ..
        } = self;
        Box::pin(async move {
            let result = match held.take().await {
                Ok(mut checkout) => {
                    let result = execute_on::<D>(&mut checkout.conn, pooler, statement).await;
                    give_back(held, checkout, &result);
                    result
                }
                Err(e) => Err(e.into()),
            };
            reported::<D, _>(pool, result)
        })
    }
}

/// Runs a query on `conn`: directly, or in pooler mode unnamed in a transaction of its own.
fn fetch_on<'c, D: AdapterDialect, Out: Send + 'c>(
    conn: &'c mut PoolConnection<D::Database>,
    pooler: bool,
    statement: Ready,
    types: Arc<[ColumnType]>,
    decode: DecodeFn<Out>,
    first_only: bool,
) -> BoxFuture<'c, Result<Vec<Out>, Error>> {
    if !pooler {
        return D::conn(conn).fetch_rows(statement, types, decode, first_only);
    }
    Box::pin(async move {
        use sqlx::Connection as _;
        in_transaction::<D, _>((**conn).begin().await, |tx| {
            Unnamed::new(D::tx(tx), true).fetch_rows(statement, types, decode, first_only)
        })
        .await
    })
}

/// Runs a statement on `conn`: directly, or in pooler mode unnamed in a transaction of its own.
fn execute_on<'c, D: AdapterDialect>(
    conn: &'c mut PoolConnection<D::Database>,
    pooler: bool,
    statement: Ready,
) -> BoxFuture<'c, Result<u64, Error>> {
    if !pooler {
        return D::conn(conn).execute_statement(statement);
    }
    Box::pin(async move {
        use sqlx::Connection as _;
        in_transaction::<D, _>((**conn).begin().await, |tx| {
            Unnamed::new(D::tx(tx), true).execute_statement(statement)
        })
        .await
    })
}

/// Runs `statement` in the transaction `begun`, then commits it (pooler mode: the pooler keeps
/// one server connection for the whole exchange).
async fn in_transaction<'c, D: AdapterDialect, T>(
    begun: Result<sqlx::Transaction<'c, D::Database>, sqlx::Error>,
    statement: impl for<'t> FnOnce(
        &'t mut sqlx::Transaction<'c, D::Database>,
    ) -> BoxFuture<'t, Result<T, Error>>,
) -> Result<T, Error> {
    let mut tx = begun?;
    let result = statement(&mut tx).await;
    finish(tx, result).await
}

/// Whether `e` says the connection is gone (its socket closed, or the server ended the
/// session), so that a read may be sent again on another connection.
fn is_broken_connection(e: &Error) -> bool {
    match e {
        Error::Database(
            sqlx::Error::Io(_) | sqlx::Error::Protocol(_) | sqlx::Error::WorkerCrashed,
        ) => true,
        Error::Database(sqlx::Error::Database(db)) => {
            crate::error::is_connection_lost(&db.code().unwrap_or_default())
        }
        _ => false,
    }
}

/// A connection of `pool` that answers a ping. When one pooled connection died, its idle
/// neighbours often died with it (a server restart ends them all): each one taken is pinged,
/// and a dead one is dropped from the pool, until one answers or the pool opens a new one.
async fn live_connection<DB: sqlx::Database>(
    pool: &sqlx::Pool<DB>,
) -> Result<Checkout<DB>, sqlx::Error> {
    use sqlx::Connection as _;
    for _ in 0..=pool.options().get_max_connections() {
        let mut conn = pool.acquire().await?;
        if conn.ping().await.is_ok() {
            return Ok(Checkout::new(conn));
        }
        // Closed at once, not handed back: the pool opens another in its place.
        drop(conn.detach());
    }
    pool.acquire().await.map(Checkout::new)
}

/// Whether `pool` is a multi-host (or `target_session_attrs`) PostgreSQL pool, whose hooks
/// must see every checkout, so that the adapter holds no connection of it.
pub(crate) fn routes_hosts<D: AdapterDialect>(pool: &sqlx::Pool<D::Database>) -> bool {
    #[cfg(feature = "postgres")]
    if let Some(pg) = (pool as &dyn Any).downcast_ref::<sqlx::PgPool>() {
        return auth_pg_connect::current_host(pg).is_some();
    }
    let _ = pool as &dyn Any;
    false
}

/// Commits after success; rolls back at once after an error (rather than when the connection
/// is next used), so that a pooler gets its server back.
async fn finish<DB: sqlx::Database, T>(
    tx: sqlx::Transaction<'_, DB>,
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
