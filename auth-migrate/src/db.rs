//! A database of any enabled dialect, and dedicated connections to it.

use auth_schema::Backend;

use crate::Error;

/// A connection pool of one of the enabled dialects.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Db {
    /// PostgreSQL.
    #[cfg(feature = "postgres")]
    Postgres(sqlx::PgPool),
    /// MySQL or MariaDB.
    #[cfg(feature = "mysql")]
    MySql(sqlx::MySqlPool),
    /// SQLite.
    #[cfg(feature = "sqlite")]
    Sqlite(sqlx::SqlitePool),
}

/// The dialect a database URL names, from its scheme.
///
/// ```
/// use auth_migrate::backend_of_url;
/// use auth_schema::Backend;
/// assert_eq!(backend_of_url("postgresql://h/db").unwrap(), Backend::Postgres);
/// assert_eq!(backend_of_url("mariadb://h/db").unwrap(), Backend::MySql);
/// assert_eq!(backend_of_url("sqlite://authjs.db?mode=rwc").unwrap(), Backend::Sqlite);
/// assert!(backend_of_url("authjs.db").is_err());
/// ```
pub fn backend_of_url(url: &str) -> Result<Backend, Error> {
    let scheme = url
        .split_once(':')
        .map(|(s, _)| s)
        .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '+'))
        .ok_or_else(|| Error::Config(format!("`{url}` is not a database URL (expected e.g. sqlite://authjs.db, postgres://…, mysql://…)")))?;
    match scheme.to_ascii_lowercase().as_str() {
        "sqlite" => Ok(Backend::Sqlite),
        "postgres" | "postgresql" => Ok(Backend::Postgres),
        "mysql" | "mariadb" => Ok(Backend::MySql),
        other => Err(Error::Config(format!(
            "unsupported URL scheme `{other}:` (use sqlite:, postgres: or mysql:)"
        ))),
    }
}

fn feature_missing(backend: Backend) -> Error {
    let (what, feature) = match backend {
        Backend::Postgres => ("a PostgreSQL", "postgres"),
        Backend::MySql => ("a MySQL", "mysql"),
        Backend::Sqlite => ("a SQLite", "sqlite"),
    };
    Error::Config(format!(
        "this is {what} URL, but the `{feature}` feature is not enabled: add `--features {feature}`"
    ))
}

/// [`Error::Connect`]: `what`, then the driver's message.
fn cannot_connect(what: String, e: sqlx::Error) -> Error {
    Error::Connect {
        message: format!("{what}: {}", crate::one_line(&e)),
        source: Box::new(e),
    }
}

impl Db {
    /// Connects to `url`; the dialect follows the scheme and must be an enabled feature.
    /// A `mariadb:` scheme is read as `mysql:`.
    ///
    /// A PostgreSQL URL may name several hosts with `target_session_attrs` (libpq's form): the
    /// first that qualifies is used. One that goes through a transaction-mode pooler
    /// (`pgbouncer=true`, or found to share server sessions) is refused with
    /// [`Error::Config`]: migrations need a session of their own (see `DIRECT_URL`).
    pub async fn connect(url: &str) -> Result<Db, Error> {
        let backend = backend_of_url(url)?;
        match backend {
            #[cfg(feature = "postgres")]
            Backend::Postgres => crate::pooler::connect_postgres(url).await.map(Db::Postgres),
            #[cfg(feature = "mysql")]
            Backend::MySql => {
                let url = match url.strip_prefix("mariadb:") {
                    Some(rest) => format!("mysql:{rest}"),
                    None => url.to_owned(),
                };
                sqlx::mysql::MySqlPoolOptions::new()
                    .max_connections(4)
                    .acquire_timeout(std::time::Duration::from_secs(10))
                    .connect(&url)
                    .await
                    .map(Db::MySql)
                    .map_err(|e| cannot_connect("cannot connect to MySQL".into(), e))
            }
            #[cfg(feature = "sqlite")]
            Backend::Sqlite => {
                use std::str::FromStr;
                let memory = url.contains(":memory:") || url.contains("mode=memory");
                let opts = sqlx::sqlite::SqliteConnectOptions::from_str(url)
                    .map_err(|e| cannot_connect(format!("bad SQLite URL `{url}`"), e))?
                    .foreign_keys(true)
                    .busy_timeout(std::time::Duration::from_secs(30))
                    .synchronous(sqlx::sqlite::SqliteSynchronous::Normal);
                // The database file is left in WAL mode (the mode is stored in the file), as
                // auth_adapter::ConnectOptions opens it: readers and the writer do not block
                // each other, and writes are several times faster (BENCHMARKS.md).
                let opts = if memory {
                    opts
                } else {
                    opts.journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
                };
                sqlx::sqlite::SqlitePoolOptions::new()
                    .max_connections(if memory { 1 } else { 4 })
                    .connect_with(opts)
                    .await
                    .map(Db::Sqlite)
                    .map_err(|e| cannot_connect(format!("cannot open SQLite database `{url}`"), e))
            }
            #[allow(unreachable_patterns)]
            other => Err(feature_missing(other)),
        }
    }

    /// The dialect.
    pub fn backend(&self) -> Backend {
        match *self {
            #[cfg(feature = "postgres")]
            Db::Postgres(_) => Backend::Postgres,
            #[cfg(feature = "mysql")]
            Db::MySql(_) => Backend::MySql,
            #[cfg(feature = "sqlite")]
            Db::Sqlite(_) => Backend::Sqlite,
        }
    }

    /// Closes the pool.
    pub async fn close(&self) {
        match self {
            #[cfg(feature = "postgres")]
            Db::Postgres(p) => p.close().await,
            #[cfg(feature = "mysql")]
            Db::MySql(p) => p.close().await,
            #[cfg(feature = "sqlite")]
            Db::Sqlite(p) => p.close().await,
        }
    }

    /// A connection of its own: detached from the pool on Postgres and MySQL (so a session lock
    /// dies with it when it is closed), pooled on SQLite (where an in-memory database lives in the
    /// pool's one connection).
    pub(crate) async fn dedicated(&self) -> Result<Conn, Error> {
        Ok(match self {
            #[cfg(feature = "postgres")]
            Db::Postgres(p) => Conn::Pg(p.acquire().await?.detach()),
            #[cfg(feature = "mysql")]
            Db::MySql(p) => Conn::My(p.acquire().await?.detach()),
            #[cfg(feature = "sqlite")]
            Db::Sqlite(p) => Conn::Lite(p.acquire().await?),
        })
    }
}

/// One connection, of whichever dialect.
pub(crate) enum Conn {
    #[cfg(feature = "postgres")]
    Pg(sqlx::PgConnection),
    #[cfg(feature = "mysql")]
    My(sqlx::MySqlConnection),
    #[cfg(feature = "sqlite")]
    Lite(sqlx::pool::PoolConnection<sqlx::Sqlite>),
}

/// Runs `$body` with `$c` bound to the concrete connection, whatever the dialect.
macro_rules! on_conn {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            #[cfg(feature = "postgres")]
            Conn::Pg($c) => $body,
            #[cfg(feature = "mysql")]
            Conn::My($c) => $body,
            #[cfg(feature = "sqlite")]
            Conn::Lite(pooled) => {
                let $c: &mut sqlx::SqliteConnection = &mut *pooled;
                $body
            }
        }
    };
}

/// One history row: version, name, checksum, applied_at, duration_ms, statements_applied,
/// statements_total, state, partial_checksum.
pub(crate) type HistoryTuple = (i64, String, String, String, i64, i64, i64, String, String);

impl Conn {
    pub(crate) fn backend(&self) -> Backend {
        match self {
            #[cfg(feature = "postgres")]
            Conn::Pg(_) => Backend::Postgres,
            #[cfg(feature = "mysql")]
            Conn::My(_) => Backend::MySql,
            #[cfg(feature = "sqlite")]
            Conn::Lite(_) => Backend::Sqlite,
        }
    }

    /// Runs one statement, returning the affected row count.
    pub(crate) async fn execute(&mut self, sql: &str) -> Result<u64, sqlx::Error> {
        let sql = sql.to_owned();
        on_conn!(self, c => Ok(sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut *c).await?.rows_affected()))
    }

    /// Runs one statement with bound parameters, returning the affected row count.
    pub(crate) async fn execute_bound(
        &mut self,
        sql: &str,
        params: &[crate::history::Param],
    ) -> Result<u64, sqlx::Error> {
        use crate::history::Param;
        let sql = sql.to_owned();
        on_conn!(self, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for p in params {
                q = match p {
                    Param::Int(i) => q.bind(*i),
                    Param::Text(t) => q.bind(t.clone()),
                };
            }
            Ok(q.execute(&mut *c).await?.rows_affected())
        })
    }

    /// The first column of the first row, as an integer (NULL and no row are `None`).
    pub(crate) async fn scalar(&mut self, sql: &str) -> Result<Option<i64>, sqlx::Error> {
        let sql = sql.to_owned();
        on_conn!(self, c => Ok(sqlx::query_scalar::<_, Option<i64>>(sqlx::AssertSqlSafe(sql))
            .fetch_optional(&mut *c)
            .await?
            .flatten()))
    }

    /// The first column of every row, as text (NULLs skipped).
    pub(crate) async fn strings(&mut self, sql: &str) -> Result<Vec<String>, sqlx::Error> {
        let sql = sql.to_owned();
        on_conn!(self, c => Ok(sqlx::query_scalar::<_, Option<String>>(sqlx::AssertSqlSafe(sql))
            .fetch_all(&mut *c)
            .await?
            .into_iter()
            .flatten()
            .collect()))
    }

    /// How many rows a query returns.
    pub(crate) async fn count_rows(&mut self, sql: &str) -> Result<usize, sqlx::Error> {
        let sql = sql.to_owned();
        on_conn!(self, c => Ok(sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *c).await?.len()))
    }

    pub(crate) async fn history_rows(
        &mut self,
        sql: &str,
    ) -> Result<Vec<HistoryTuple>, sqlx::Error> {
        let sql = sql.to_owned();
        on_conn!(self, c => sqlx::query_as::<_, HistoryTuple>(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *c).await)
    }

    /// Closes a detached connection (ending its session); returns a pooled one to the pool.
    pub(crate) async fn close(self) {
        match self {
            #[cfg(feature = "postgres")]
            Conn::Pg(c) => {
                use sqlx::Connection;
                let _ = c.close().await;
            }
            #[cfg(feature = "mysql")]
            Conn::My(c) => {
                use sqlx::Connection;
                let _ = c.close().await;
            }
            #[cfg(feature = "sqlite")]
            Conn::Lite(c) => drop(c),
        }
    }
}
