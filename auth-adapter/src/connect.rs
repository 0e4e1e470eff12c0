//! Choosing the dialect at run time, from a database URL.
//!
//! One binary can then run on SQLite in development and on PostgreSQL in production, with the
//! adapter behind `Arc<dyn Adapter<S>>`. Every pool setting the adapter uses is here, in
//! [`ConnectOptions`].

use std::sync::Arc;
use std::time::Duration;

use auth_schema::{AuthSchema, Backend};

use crate::{Adapter, AdapterError};

/// The dialect a database URL names, by its scheme: `sqlite:`, `postgres:`/`postgresql:`,
/// `mysql:`/`mariadb:`. Whether that dialect's feature is enabled is not checked here.
///
/// ```
/// use auth_adapter::backend_of_url;
/// use auth_schema::Backend;
/// assert_eq!(backend_of_url("postgresql://db.internal/app").unwrap(), Backend::Postgres);
/// assert_eq!(backend_of_url("mariadb://db.internal/app").unwrap(), Backend::MySql);
/// assert_eq!(backend_of_url("sqlite://authjs.db?mode=rwc").unwrap(), Backend::Sqlite);
/// assert_eq!(backend_of_url("sqlite::memory:").unwrap(), Backend::Sqlite);
/// assert!(backend_of_url("authjs.db").is_err());
/// ```
pub fn backend_of_url(url: &str) -> Result<Backend, AdapterError> {
    // The scheme only: the rest of a URL may hold a password, so no message repeats it.
    let scheme = url
        .split_once(':')
        .map(|(s, _)| s)
        .filter(|s| {
            !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
        .ok_or_else(|| AdapterError::Config {
            message: "not a database URL: expected sqlite:, postgres: or mysql: (e.g. sqlite://authjs.db, postgres://user@host/db)".into(),
        })?;
    match scheme.to_ascii_lowercase().as_str() {
        "sqlite" => Ok(Backend::Sqlite),
        "postgres" | "postgresql" => Ok(Backend::Postgres),
        "mysql" | "mariadb" => Ok(Backend::MySql),
        other => Err(AdapterError::Config {
            message: format!(
                "unsupported database URL scheme `{other}:` (expected sqlite:, postgres:, postgresql:, mysql: or mariadb:)"
            ),
        }),
    }
}

/// Connects to `url` with the default [`ConnectOptions`], and returns the adapter for schema
/// `S` on the dialect the URL's scheme names.
///
/// The dialect's Cargo feature (`sqlite`, `postgres`, `mysql`) must be enabled; otherwise the
/// error names it. The tables must exist already (see auth-migrate).
///
/// ```no_run
/// # async fn demo() -> Result<(), auth_adapter::AdapterError> {
/// use std::sync::Arc;
/// use auth_adapter::Adapter;
/// use auth_schema::kysely::Schema;
///
/// let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite://authjs.db".into());
/// let adapter: Arc<dyn Adapter<Schema>> = auth_adapter::connect(&url).await?;
/// let user = adapter.get_user_by_email("ada@example.com").await?;
/// # Ok(()) }
/// ```
pub async fn connect<S: AuthSchema>(url: &str) -> Result<Arc<dyn Adapter<S>>, AdapterError> {
    ConnectOptions::new(url).connect::<S>().await
}

/// How [`connect`] makes its pool: the URL and the pool settings, with a builder.
///
/// ```no_run
/// # async fn demo() -> Result<(), auth_adapter::AdapterError> {
/// use std::time::Duration;
/// use auth_adapter::ConnectOptions;
///
/// let adapter = ConnectOptions::new("postgres://app@db.internal/app")
///     .max_connections(20)
///     .acquire_timeout(Duration::from_secs(5))
///     .connect::<auth_schema::kysely::Schema>()
///     .await?;
/// # Ok(()) }
/// ```
///
/// The defaults suit an Auth.js workload, many small reads (see BENCHMARKS.md): no ping when a
/// connection leaves the pool ([`ConnectOptions::test_before_acquire`]), and each connection
/// keeps up to 100 prepared statements (sqlx's cache), so a call is one round trip.
///
/// SQLite URLs follow sqlx (`sqlite://path`, `?mode=rwc` to create the file, `sqlite::memory:`);
/// foreign keys are always on, as the schema's cascades need; a file runs in WAL mode with
/// `synchronous = NORMAL` (what auth-migrate sets too), and a statement waits for another
/// connection's write lock ([`ConnectOptions::sqlite_busy_timeout`]). An in-memory database
/// lives in one connection, so its pool has exactly one, never closed while the pool is open.
///
/// PostgreSQL URLs also take libpq's forms that sqlx lacks (see
/// [`auth_pg_connect::PgUrl`](crate::pg::PgUrl), feature `postgres`): several hosts with
/// `target_session_attrs` (`postgres://app@db1,db2/app?target_session_attrs=read-write`: the pool
/// opens on the primary and follows a failover), `connect_timeout`, and `pgbouncer=true`, which
/// turns on [pooler mode](crate::SqlAdapter::pooler_mode) for a transaction-mode pooler
/// ([`ConnectOptions::pooler_mode`] says it in code).
#[derive(Clone)]
pub struct ConnectOptions {
    url: String,
    max_connections: u32,
    min_connections: u32,
    acquire_timeout: Duration,
    idle_timeout: Option<Duration>,
    max_lifetime: Option<Duration>,
    sqlite_busy_timeout: Duration,
    test_before_acquire: bool,
    hold_connections: bool,
    /// Pooler mode as set in code; `None`: as the URL's `pgbouncer=` says.
    pooler: Option<bool>,
}

/// Shows the dialect, not the URL (which may hold a password).
impl core::fmt::Debug for ConnectOptions {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ConnectOptions")
            .field("backend", &backend_of_url(&self.url).ok())
            .field("max_connections", &self.max_connections)
            .field("min_connections", &self.min_connections)
            .field("acquire_timeout", &self.acquire_timeout)
            .field("idle_timeout", &self.idle_timeout)
            .field("max_lifetime", &self.max_lifetime)
            .field("sqlite_busy_timeout", &self.sqlite_busy_timeout)
            .field("test_before_acquire", &self.test_before_acquire)
            .field("hold_connections", &self.hold_connections)
            .field("pooler", &self.pooler)
            .finish()
    }
}

impl ConnectOptions {
    /// Options for `url`, with the defaults: at most 10 connections, none kept open when idle,
    /// 30 s to get a connection, idle connections closed after 10 minutes and every connection
    /// after 30, no ping when a connection is taken from the pool, and SQLite waiting up to 5 s
    /// for a lock.
    pub fn new(url: impl Into<String>) -> Self {
        ConnectOptions {
            url: url.into(),
            max_connections: 10,
            min_connections: 0,
            acquire_timeout: Duration::from_secs(30),
            idle_timeout: Some(Duration::from_secs(10 * 60)),
            max_lifetime: Some(Duration::from_secs(30 * 60)),
            sqlite_busy_timeout: Duration::from_secs(5),
            test_before_acquire: false,
            hold_connections: true,
            pooler: None,
        }
    }

    /// Whether the adapter keeps the connections it used for a few milliseconds between its
    /// statements (on by default), rather than give each back to the pool, which pings it: see
    /// [`SqlAdapter::hold_connections`](crate::SqlAdapter::hold_connections).
    pub fn hold_connections(mut self, on: bool) -> Self {
        self.hold_connections = on;
        self
    }

    /// Whether the pool pings a connection each time it hands one out (sqlx's default; off
    /// here). The ping is a round trip on every call, a third of the time of a small read on
    /// PostgreSQL and MySQL. Without it, a connection the server ended while it sat idle is
    /// found when used: a read then runs once more on a live connection (so readers see
    /// nothing), and a write fails with [`AdapterError::Connection`] (never sent twice, since
    /// it may have been applied). Keep `idle_timeout` below the idle timeouts of the server,
    /// pooler or firewall in between, and turn this on if writes must not see such failures.
    pub fn test_before_acquire(mut self, on: bool) -> Self {
        self.test_before_acquire = on;
        self
    }

    /// PostgreSQL: the server is reached through a transaction-mode pooler (PgBouncer,
    /// Supabase's or Neon's pooler), so the adapter runs in
    /// [pooler mode](crate::SqlAdapter::pooler_mode). By default, as the URL's `pgbouncer=true`
    /// says. No effect on MySQL and SQLite.
    pub fn pooler_mode(mut self, on: bool) -> Self {
        self.pooler = Some(on);
        self
    }

    /// The most connections the pool opens.
    pub fn max_connections(mut self, n: u32) -> Self {
        self.max_connections = n;
        self
    }

    /// The connections the pool keeps open even when idle.
    pub fn min_connections(mut self, n: u32) -> Self {
        self.min_connections = n;
        self
    }

    /// How long an operation waits for a connection before failing with
    /// [`AdapterError::Connection`].
    pub fn acquire_timeout(mut self, timeout: Duration) -> Self {
        self.acquire_timeout = timeout;
        self
    }

    /// How long a connection may stay idle before it is closed (`None`: never).
    pub fn idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// How long a connection lives before it is replaced (`None`: forever).
    pub fn max_lifetime(mut self, lifetime: Option<Duration>) -> Self {
        self.max_lifetime = lifetime;
        self
    }

    /// SQLite: how long a statement waits for another connection's write lock.
    pub fn sqlite_busy_timeout(mut self, timeout: Duration) -> Self {
        self.sqlite_busy_timeout = timeout;
        self
    }

    /// The dialect of the URL (see [`backend_of_url`]).
    pub fn backend(&self) -> Result<Backend, AdapterError> {
        backend_of_url(&self.url)
    }

    /// Opens the pool (one connection, to check the URL and the credentials) and returns the
    /// adapter for schema `S` on it.
    pub async fn connect<S: AuthSchema>(&self) -> Result<Arc<dyn Adapter<S>>, AdapterError> {
        match self.backend()? {
            #[cfg(feature = "postgres")]
            Backend::Postgres => Ok(Arc::new(
                self.connect_as::<auth_query::Postgres, S>().await?,
            )),
            #[cfg(feature = "mysql")]
            Backend::MySql => Ok(Arc::new(self.connect_as::<auth_query::MySql, S>().await?)),
            #[cfg(feature = "sqlite")]
            Backend::Sqlite => Ok(Arc::new(self.connect_as::<auth_query::Sqlite, S>().await?)),
            #[allow(unreachable_patterns)]
            other => Err(feature_missing(other)),
        }
    }

    /// [`connect`](Self::connect) for a dialect known at compile time: the
    /// [`SqlAdapter`](crate::SqlAdapter) itself, with the same pool. A URL of another dialect
    /// is an [`AdapterError::Config`].
    ///
    /// ```no_run
    /// # #[cfg(feature = "postgres")]
    /// # async fn demo() -> Result<(), auth_adapter::AdapterError> {
    /// use auth_adapter::{ConnectOptions, SqlAdapter};
    /// use auth_query::Postgres;
    /// use auth_schema::kysely::Schema;
    ///
    /// let adapter: SqlAdapter<Postgres, Schema> =
    ///     ConnectOptions::new("postgres://app@db.internal/app").connect_as().await?;
    /// # Ok(()) }
    /// ```
    #[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
    pub async fn connect_as<D: crate::AdapterDialect, S: AuthSchema>(
        &self,
    ) -> Result<crate::SqlAdapter<D, S>, AdapterError> {
        let backend = self.backend()?;
        if backend != D::BACKEND {
            return Err(AdapterError::Config {
                message: format!(
                    "this is a {} URL, but the adapter is for {}",
                    crate::adapter::dialect_name(backend),
                    crate::adapter::dialect_name(D::BACKEND)
                ),
            });
        }
        let (pool, pooler): (Box<dyn core::any::Any>, bool) = match backend {
            #[cfg(feature = "postgres")]
            Backend::Postgres => {
                // Several hosts, target_session_attrs and pgbouncer=, which sqlx does not read.
                let url =
                    auth_pg_connect::PgUrl::parse(&self.url).map_err(|e| AdapterError::Config {
                        message: e.to_string(),
                    })?;
                let pool = auth_pg_connect::connect_pool(&url, self.pool_options())
                    .await
                    .map_err(|e| AdapterError::Connection {
                        message: crate::error::one_line(&e.to_string()),
                        source: Some(Box::new(e)),
                    })?;
                (Box::new(pool), self.pooler.unwrap_or(url.pgbouncer()))
            }
            #[cfg(feature = "mysql")]
            Backend::MySql => {
                let url = match self.url.split_once(':') {
                    Some((scheme, rest)) if scheme.eq_ignore_ascii_case("mariadb") => {
                        format!("mysql:{rest}")
                    }
                    _ => self.url.clone(),
                };
                let pool = self
                    .pool_options::<sqlx::MySql>()
                    .connect(&url)
                    .await
                    .map_err(|e| cannot_connect("MySQL", e))?;
                (Box::new(pool), false)
            }
            #[cfg(feature = "sqlite")]
            Backend::Sqlite => {
                use std::str::FromStr;
                let in_memory = self.url.contains(":memory:") || self.url.contains("mode=memory");
                let options = sqlx::sqlite::SqliteConnectOptions::from_str(&self.url)
                    .map_err(|e| cannot_connect("SQLite", e))?
                    .foreign_keys(true)
                    .busy_timeout(self.sqlite_busy_timeout)
                    .synchronous(sqlx::sqlite::SqliteSynchronous::Normal);
                // WAL: readers do not block the writer nor it them, and a commit appends to one
                // file; with synchronous = NORMAL a commit survives a crash of the process (not
                // of the machine's power: the last commits may then be lost).
                let options = if in_memory {
                    options
                } else {
                    options.journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
                };
                let mut pool = self.pool_options::<sqlx::Sqlite>();
                if in_memory {
                    pool = pool
                        .max_connections(1)
                        .min_connections(1)
                        .idle_timeout(None)
                        .max_lifetime(None);
                }
                let pool = pool
                    .connect_with(options)
                    .await
                    .map_err(|e| cannot_connect("SQLite", e))?;
                (Box::new(pool), false)
            }
            #[allow(unreachable_patterns)]
            other => return Err(feature_missing(other)),
        };
        match pool.downcast::<sqlx::Pool<D::Database>>() {
            Ok(pool) => Ok(crate::SqlAdapter::new(*pool)
                .pooler_mode(pooler)
                .hold_connections(self.hold_connections)),
            // D::BACKEND names D's database, so this does not happen.
            Err(_) => Err(AdapterError::Config {
                message: "the dialect's pool is not the adapter's".into(),
            }),
        }
    }

    #[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
    fn pool_options<DB: sqlx::Database>(&self) -> sqlx::pool::PoolOptions<DB> {
        sqlx::pool::PoolOptions::<DB>::new()
            .max_connections(self.max_connections)
            .min_connections(self.min_connections)
            .acquire_timeout(self.acquire_timeout)
            .idle_timeout(self.idle_timeout)
            .max_lifetime(self.max_lifetime)
            .test_before_acquire(self.test_before_acquire)
    }
}

#[cfg(any(feature = "sqlite", feature = "mysql"))]
fn cannot_connect(what: &str, e: sqlx::Error) -> AdapterError {
    AdapterError::Connection {
        message: format!(
            "cannot connect to {what}: {}",
            crate::error::one_line(&e.to_string())
        ),
        source: Some(Box::new(e)),
    }
}

#[allow(dead_code)]
fn feature_missing(backend: Backend) -> AdapterError {
    let (what, feature) = match backend {
        Backend::Postgres => ("a PostgreSQL", "postgres"),
        Backend::MySql => ("a MySQL", "mysql"),
        Backend::Sqlite => ("a SQLite", "sqlite"),
    };
    AdapterError::Config {
        message: format!(
            "this is {what} URL, but the `{feature}` feature is not enabled: enable `{feature}` on auth-adapter (or authjs-db)"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        for (url, backend) in [
            ("postgres://u:p@h/db", Backend::Postgres),
            ("POSTGRESQL://h/db", Backend::Postgres),
            ("mysql://h/db", Backend::MySql),
            ("mariadb://h/db", Backend::MySql),
            ("sqlite:authjs.db", Backend::Sqlite),
        ] {
            assert_eq!(backend_of_url(url).unwrap(), backend, "{url}");
        }
        for url in ["", "authjs.db", "://x", "oracle://u:secret@h/db"] {
            let e = backend_of_url(url).unwrap_err();
            assert!(matches!(e, AdapterError::Config { .. }), "{url}: {e:?}");
            assert!(!e.to_string().contains("secret"), "{e}");
        }
    }

    #[test]
    fn a_missing_feature_is_named() {
        for (backend, feature) in [
            (Backend::Postgres, "`postgres`"),
            (Backend::MySql, "`mysql`"),
            (Backend::Sqlite, "`sqlite`"),
        ] {
            let m = feature_missing(backend).to_string();
            assert!(m.contains(feature) && !m.contains('\n'), "{m}");
        }
    }

    /// With a dialect's feature off, `connect` refuses its URLs at once, before any I/O.
    #[cfg(not(all(feature = "sqlite", feature = "postgres", feature = "mysql")))]
    #[test]
    fn connect_names_the_missing_feature() {
        use core::task::{Context, Poll, Waker};
        #[cfg(not(feature = "postgres"))]
        let url = "postgres://u:p@127.0.0.1:1/db";
        #[cfg(all(feature = "postgres", not(feature = "mysql")))]
        let url = "mysql://u:p@127.0.0.1:1/db";
        #[cfg(all(feature = "postgres", feature = "mysql"))]
        let url = "sqlite::memory:";
        let mut connecting = core::pin::pin!(connect::<auth_schema::kysely::Schema>(url));
        match connecting
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
        {
            Poll::Ready(Err(AdapterError::Config { message })) => {
                assert!(message.contains("feature is not enabled"), "{message}")
            }
            Poll::Ready(Err(e)) => panic!("{url}: {e:?}"),
            Poll::Ready(Ok(_)) => panic!("{url} connected"),
            Poll::Pending => panic!("{url}: the refusal waited"),
        }
    }
}
