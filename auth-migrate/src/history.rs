//! The history table `_authjs_migrations` and the lock, per dialect.

use std::time::{Duration, Instant};

use auth_schema::Backend;

use crate::db::Conn;
use crate::{Error, HISTORY_TABLE};

/// One row of the history table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row {
    pub version: i64,
    pub name: String,
    pub checksum: String,
    pub applied_at: String,
    pub duration_ms: i64,
    pub statements_applied: i64,
    pub statements_total: i64,
    /// `applied`, `baseline` or `partial`.
    pub state: String,
    /// Checksum of the statements applied so far (MySQL partial runs).
    pub partial_checksum: String,
}

pub(crate) fn ident(backend: Backend, name: &str) -> String {
    match backend {
        Backend::MySql => format!("`{}`", name.replace('`', "``")),
        _ => format!("\"{}\"", name.replace('"', "\"\"")),
    }
}

/// A string literal; MySQL also treats backslashes as escapes.
pub(crate) fn lit(backend: Backend, s: &str) -> String {
    let mut s = s.replace('\'', "''");
    if backend == Backend::MySql {
        s = s.replace('\\', "\\\\");
    }
    format!("'{s}'")
}

fn table(b: Backend) -> String {
    ident(b, HISTORY_TABLE)
}

pub(crate) fn create_sql(b: Backend) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {} (version BIGINT NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL, \
         checksum VARCHAR(64) NOT NULL, applied_at VARCHAR(40) NOT NULL, duration_ms BIGINT NOT NULL, \
         statements_applied BIGINT NOT NULL, statements_total BIGINT NOT NULL, state VARCHAR(16) NOT NULL, \
         partial_checksum VARCHAR(64) NOT NULL)",
        table(b)
    )
}

/// SQL counting tables named `name` in the connection's current schema/database.
pub(crate) fn table_exists_sql(b: Backend, name: &str) -> String {
    match b {
        Backend::Postgres => format!(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = {}",
            lit(b, name)
        ),
        Backend::MySql => format!(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = {}",
            lit(b, name)
        ),
        Backend::Sqlite => format!(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = {}",
            lit(b, name)
        ),
    }
}

pub(crate) async fn table_exists(conn: &mut Conn, name: &str) -> Result<bool, Error> {
    let b = conn.backend();
    Ok(conn.scalar(&table_exists_sql(b, name)).await?.unwrap_or(0) > 0)
}

pub(crate) async fn ensure(conn: &mut Conn) -> Result<(), Error> {
    let b = conn.backend();
    conn.execute(&create_sql(b)).await?;
    Ok(())
}

/// The rows, by version; empty when the table does not exist (nothing is created).
pub(crate) async fn read(conn: &mut Conn) -> Result<Vec<Row>, Error> {
    if !table_exists(conn, HISTORY_TABLE).await? {
        return Ok(Vec::new());
    }
    let b = conn.backend();
    let sql = format!(
        "SELECT version, name, checksum, applied_at, duration_ms, statements_applied, statements_total, state, partial_checksum FROM {} ORDER BY version",
        table(b)
    );
    Ok(conn
        .history_rows(&sql)
        .await?
        .into_iter()
        .map(|t| Row {
            version: t.0,
            name: t.1,
            checksum: t.2,
            applied_at: t.3,
            duration_ms: t.4,
            statements_applied: t.5,
            statements_total: t.6,
            state: t.7,
            partial_checksum: t.8,
        })
        .collect())
}

pub(crate) fn insert_sql(b: Backend, r: &Row) -> String {
    format!(
        "INSERT INTO {} (version, name, checksum, applied_at, duration_ms, statements_applied, statements_total, state, partial_checksum) \
         VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {})",
        table(b),
        r.version,
        lit(b, &r.name),
        lit(b, &r.checksum),
        lit(b, &r.applied_at),
        r.duration_ms,
        r.statements_applied,
        r.statements_total,
        lit(b, &r.state),
        lit(b, &r.partial_checksum),
    )
}

pub(crate) fn progress_sql(
    b: Backend,
    version: i64,
    applied: i64,
    partial_checksum: &str,
) -> String {
    format!(
        "UPDATE {} SET statements_applied = {applied}, partial_checksum = {} WHERE version = {version}",
        table(b),
        lit(b, partial_checksum)
    )
}

pub(crate) fn finish_sql(b: Backend, r: &Row) -> String {
    format!(
        "UPDATE {} SET name = {}, checksum = {}, applied_at = {}, duration_ms = {}, statements_applied = {}, \
         statements_total = {}, state = {}, partial_checksum = {} WHERE version = {}",
        table(b),
        lit(b, &r.name),
        lit(b, &r.checksum),
        lit(b, &r.applied_at),
        r.duration_ms,
        r.statements_applied,
        r.statements_total,
        lit(b, &r.state),
        lit(b, &r.partial_checksum),
        r.version
    )
}

pub(crate) fn delete_sql(b: Backend, version: i64) -> String {
    format!("DELETE FROM {} WHERE version = {version}", table(b))
}

pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

const PG_LOCK_NAMESPACE: i64 = 0x4175_7468; // "Auth"

/// The second advisory-lock key: per database and schema, so that tenants in other schemas of
/// one database migrate independently.
fn pg_lock_key() -> String {
    format!("hashtext(current_database() || '.' || current_schema() || '.{HISTORY_TABLE}')")
}

/// Server-wide, so it names the database.
fn mysql_lock_name() -> &'static str {
    "CONCAT('authjs_migrate:', DATABASE())"
}

/// Takes the cross-process lock on a dedicated connection (Postgres, MySQL). SQLite locks per
/// migration with `BEGIN IMMEDIATE` instead, so this is a no-op there.
pub(crate) async fn lock(conn: &mut Conn, timeout: Duration) -> Result<(), Error> {
    let start = Instant::now();
    match conn.backend() {
        Backend::Postgres => loop {
            let sql = format!(
                "SELECT CAST(CASE WHEN pg_try_advisory_lock(CAST({} AS int), {}) THEN 1 ELSE 0 END AS bigint)",
                PG_LOCK_NAMESPACE,
                pg_lock_key()
            );
            if conn.scalar(&sql).await? == Some(1) {
                return Ok(());
            }
            if start.elapsed() >= timeout {
                return Err(Error::LockTimeout(timeout.as_secs()));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        },
        Backend::MySql => {
            let secs = timeout.as_secs().max(1);
            let got = conn
                .scalar(&format!(
                    "SELECT CAST(GET_LOCK({}, {secs}) AS SIGNED)",
                    mysql_lock_name()
                ))
                .await?;
            match got {
                Some(1) => Ok(()),
                Some(0) => Err(Error::LockTimeout(secs)),
                _ => Err(Error::Db("GET_LOCK returned NULL".into())),
            }
        }
        Backend::Sqlite => Ok(()),
    }
}

/// Releases the lock; errors are ignored, since the caller closes the connection anyway, which
/// ends the session and every lock it held.
pub(crate) async fn unlock(conn: &mut Conn) {
    let sql = match conn.backend() {
        Backend::Postgres => {
            let _ = conn.execute("ROLLBACK").await;
            format!(
                "SELECT pg_advisory_unlock(CAST({} AS int), {})",
                PG_LOCK_NAMESPACE,
                pg_lock_key()
            )
        }
        Backend::MySql => format!("SELECT RELEASE_LOCK({})", mysql_lock_name()),
        Backend::Sqlite => return,
    };
    let _ = conn.count_rows(&sql).await;
}
