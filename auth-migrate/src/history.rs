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

impl Row {
    /// A MySQL migration that is applied only in part ([`PARTIAL`] or [`EXECUTING`]).
    pub(crate) fn unfinished(&self) -> bool {
        self.state == PARTIAL || self.state == EXECUTING
    }
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

/// A bound parameter of a history statement.
#[derive(Debug, Clone)]
pub(crate) enum Param {
    Int(i64),
    Text(String),
}

/// The `i`th (1-based) placeholder of `b`.
fn ph(b: Backend, i: usize) -> String {
    match b {
        Backend::Postgres => format!("${i}"),
        _ => "?".into(),
    }
}

/// Records a migration as `r` says (a new row).
pub(crate) async fn insert(conn: &mut Conn, r: &Row) -> Result<(), Error> {
    let b = conn.backend();
    let sql = format!(
        "INSERT INTO {} (version, name, checksum, applied_at, duration_ms, statements_applied, statements_total, state, partial_checksum) \
         VALUES ({})",
        table(b),
        (1..=9).map(|i| ph(b, i)).collect::<Vec<_>>().join(", ")
    );
    conn.execute_bound(&sql, &row_params(r)).await?;
    Ok(())
}

fn row_params(r: &Row) -> Vec<Param> {
    vec![
        Param::Int(r.version),
        Param::Text(r.name.clone()),
        Param::Text(r.checksum.clone()),
        Param::Text(r.applied_at.clone()),
        Param::Int(r.duration_ms),
        Param::Int(r.statements_applied),
        Param::Int(r.statements_total),
        Param::Text(r.state.clone()),
        Param::Text(r.partial_checksum.clone()),
    ]
}

/// MySQL: marks statement `applied + 1` of `version` as about to run (state [`EXECUTING`]),
/// durably, before it runs; or, with `state` [`PARTIAL`], records that `applied` statements
/// are done.
pub(crate) async fn set_progress(
    conn: &mut Conn,
    version: i64,
    applied: i64,
    partial_checksum: &str,
    state: &str,
) -> Result<(), Error> {
    let b = conn.backend();
    let sql = format!(
        "UPDATE {} SET statements_applied = {}, partial_checksum = {}, state = {} WHERE version = {}",
        table(b),
        ph(b, 1),
        ph(b, 2),
        ph(b, 3),
        ph(b, 4)
    );
    conn.execute_bound(
        &sql,
        &[
            Param::Int(applied),
            Param::Text(partial_checksum.to_owned()),
            Param::Text(state.to_owned()),
            Param::Int(version),
        ],
    )
    .await?;
    Ok(())
}

/// Rewrites the row of `r.version` with `r`.
pub(crate) async fn finish(conn: &mut Conn, r: &Row) -> Result<(), Error> {
    let b = conn.backend();
    let sql = format!(
        "UPDATE {} SET name = {}, checksum = {}, applied_at = {}, duration_ms = {}, statements_applied = {}, \
         statements_total = {}, state = {}, partial_checksum = {} WHERE version = {}",
        table(b),
        ph(b, 2),
        ph(b, 3),
        ph(b, 4),
        ph(b, 5),
        ph(b, 6),
        ph(b, 7),
        ph(b, 8),
        ph(b, 9),
        ph(b, 1),
    );
    // Postgres numbers its placeholders, so the version can come first; MySQL and SQLite bind
    // in order of appearance, so the version goes last there.
    let mut params = row_params(r);
    if b != Backend::Postgres {
        params.rotate_left(1);
    }
    conn.execute_bound(&sql, &params).await?;
    Ok(())
}

/// Deletes the row of `version`.
pub(crate) async fn delete(conn: &mut Conn, version: i64) -> Result<(), Error> {
    let b = conn.backend();
    let sql = format!("DELETE FROM {} WHERE version = {}", table(b), ph(b, 1));
    conn.execute_bound(&sql, &[Param::Int(version)]).await?;
    Ok(())
}

/// The state of a migration that applied completely.
pub(crate) const APPLIED: &str = "applied";
/// The state of a migration recorded by `baseline`.
pub(crate) const BASELINE: &str = "baseline";
/// MySQL: some statements of the migration are applied (`statements_applied` of them).
pub(crate) const PARTIAL: &str = "partial";
/// MySQL: statement `statements_applied + 1` was about to run, or running, when the row was
/// last written: whether it took effect is checked before anything else runs.
pub(crate) const EXECUTING: &str = "executing";

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
                _ => Err(Error::Db {
                    message: "GET_LOCK returned NULL".into(),
                    source: None,
                }),
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
