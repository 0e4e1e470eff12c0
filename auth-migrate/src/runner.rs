//! Applying and reverting migrations: `up`, `down`, `status`, `baseline`.

use std::time::{Duration, Instant};

use auth_schema::{Backend, Database};
use tracing::Instrument;

use crate::Error;
use crate::checksum::checksum;
use crate::db::{Conn, Db};
use crate::history::{self, Row};
use crate::migration::{
    FOREIGN_KEYS_OFF, IRREVERSIBLE, Migration, has_directive, split_statements_for,
};

/// Applies the migrations of one dialect.
#[derive(Debug, Clone)]
pub struct Migrator {
    migrations: Vec<Migration>,
    guard_tables: Vec<String>,
    lock_timeout: Duration,
}

/// One migration applied (or, in a dry run, that would be).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// `0001_auth_schema`.
    pub label: String,
    /// Version.
    pub version: i64,
    /// Statements run.
    pub statements: usize,
    /// Milliseconds taken (0 in a dry run).
    pub duration_ms: u64,
    /// MySQL: the 1-based statement a partial migration was resumed at.
    pub resumed_at: Option<usize>,
    /// The SQL (the statements that were, or would be, run).
    pub sql: Vec<String>,
}

/// What `up` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpReport {
    /// Migrations applied, in order.
    pub applied: Vec<Applied>,
    /// The version the database is at afterwards (0: none).
    pub version: i64,
    /// Whether this was a dry run (nothing changed).
    pub dry_run: bool,
}

/// One migration reverted by `down`.
pub type Reverted = Applied;

/// How far `down` goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DownTarget {
    /// Revert every migration newer than this version (0 reverts all).
    To(i64),
    /// Revert the newest N migrations.
    Steps(usize),
}

/// The state of one migration in `status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MigrationState {
    /// Applied, file unchanged.
    Applied,
    /// Recorded by `baseline`, file unchanged.
    Baseline,
    /// Not applied yet.
    Pending,
    /// Applied, but the file changed since.
    Modified,
    /// Recorded in the database, not shipped.
    Missing,
    /// Partially applied (MySQL): statements applied of total.
    Partial(i64, i64),
    /// Partially applied (MySQL), and the next statement was running when the migrator
    /// stopped: the next `up` checks whether it took effect before going on.
    Interrupted(i64, i64),
}

impl std::fmt::Display for MigrationState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MigrationState::Applied => f.write_str("applied"),
            MigrationState::Baseline => f.write_str("applied (baseline)"),
            MigrationState::Pending => f.write_str("pending"),
            MigrationState::Modified => f.write_str("MODIFIED"),
            MigrationState::Missing => f.write_str("MISSING"),
            MigrationState::Partial(a, t) => write!(f, "PARTIAL ({a} of {t} statements)"),
            MigrationState::Interrupted(a, t) => write!(
                f,
                "INTERRUPTED ({a} of {t} statements applied; statement {} was running)",
                a + 1
            ),
        }
    }
}

/// One line of `status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusEntry {
    /// Version.
    pub version: i64,
    /// `0001_auth_schema`.
    pub label: String,
    /// Its state.
    pub state: MigrationState,
    /// When it was applied, if it was.
    pub applied_at: Option<String>,
}

/// The whole `status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// Every shipped or recorded migration, by version.
    pub entries: Vec<StatusEntry>,
}

impl Status {
    /// Whether every migration is applied and unchanged, and none is missing or partial.
    pub fn is_clean(&self) -> bool {
        self.entries
            .iter()
            .all(|e| matches!(e.state, MigrationState::Applied | MigrationState::Baseline))
    }
}

impl Migrator {
    /// A migrator over one dialect's migrations (sorted by version here).
    pub fn new(mut migrations: Vec<Migration>) -> Self {
        migrations.sort_by_key(|m| m.version);
        Migrator {
            migrations,
            guard_tables: Vec::new(),
            lock_timeout: Duration::from_secs(60),
        }
    }

    /// A migrator for database `D` (an [`AuthSchema`](auth_schema::AuthSchema), or any set of
    /// tables from [`database!`](auth_schema::database)): `up` on a database that has `D`'s
    /// tables but no history refuses and points to `baseline`.
    pub fn for_schema<D: Database>(migrations: Vec<Migration>) -> Self {
        let mut m = Self::new(migrations);
        m.guard_tables = D::tables().iter().map(|t| t.name.to_owned()).collect();
        m
    }

    /// The stock migrations of `backend`, for `auth_schema::kysely::Schema`.
    pub fn stock(backend: Backend) -> Self {
        Self::for_schema::<auth_schema::kysely::Schema>(crate::migration::stock(backend))
    }

    /// How long to wait for another migrator (default 60 s).
    pub fn lock_timeout(mut self, timeout: Duration) -> Self {
        self.lock_timeout = timeout;
        self
    }

    /// The migrations, by version.
    pub fn migrations(&self) -> &[Migration] {
        &self.migrations
    }

    /// The newest version shipped (0 if none).
    pub fn latest(&self) -> i64 {
        self.migrations.last().map_or(0, |m| m.version)
    }

    fn find(&self, version: i64) -> Option<&Migration> {
        self.migrations.iter().find(|m| m.version == version)
    }

    /// Checks the history against the files: nothing missing, nothing modified, linear order.
    /// Returns the pending migrations up to `to`, and the partial one (MySQL) if any.
    fn validate<'a>(&'a self, rows: &[Row], to: i64) -> Result<Vec<&'a Migration>, Error> {
        for pair in self.migrations.windows(2) {
            if pair[0].version == pair[1].version {
                return Err(Error::Config(format!(
                    "two migrations have version {}: {} and {}",
                    pair[0].version,
                    pair[0].label(),
                    pair[1].label()
                )));
            }
        }
        for r in rows {
            let Some(m) = self.find(r.version) else {
                return Err(Error::Missing(format!("{:04}_{}", r.version, r.name)));
            };
            if !r.unfinished() && r.checksum != m.checksum() {
                return Err(Error::Modified {
                    label: m.label(),
                    recorded: r.checksum.clone(),
                    file: m.checksum(),
                });
            }
        }
        let done: Vec<i64> = rows
            .iter()
            .filter(|r| !r.unfinished())
            .map(|r| r.version)
            .collect();
        let newest = done.iter().copied().max().unwrap_or(0);
        let pending: Vec<&Migration> = self
            .migrations
            .iter()
            .filter(|m| !done.contains(&m.version))
            .collect();
        if let Some(p) = pending.iter().find(|m| m.version < newest) {
            return Err(Error::OutOfOrder {
                pending: p.label(),
                applied: self.find(newest).map(|m| m.label()).unwrap_or_default(),
            });
        }
        if let Some(r) = rows.iter().find(|r| r.unfinished())
            && pending.first().map(|m| m.version) != Some(r.version)
        {
            return Err(Error::Partial {
                label: format!("{:04}_{}", r.version, r.name),
                applied: r.statements_applied,
                total: r.statements_total,
                reason: "is not the next migration to apply".into(),
            });
        }
        Ok(pending.into_iter().filter(|m| m.version <= to).collect())
    }

    /// Applies pending migrations up to `to` (default: the latest). With `dry_run`, returns the
    /// SQL that would run and changes nothing, not even the history table.
    pub async fn up(&self, db: &Db, to: Option<i64>, dry_run: bool) -> Result<UpReport, Error> {
        let to = to.unwrap_or(i64::MAX);
        if to != i64::MAX && to != 0 && self.find(to).is_none() {
            return Err(Error::Config(format!("there is no migration version {to}")));
        }
        let mut conn = db.dedicated().await?;
        let result = if dry_run {
            self.up_dry(&mut conn, to).await
        } else if conn.backend() == Backend::Sqlite {
            self.up_sqlite(&mut conn, to).await
        } else {
            match history::lock(&mut conn, self.lock_timeout).await {
                Ok(()) => {
                    let r = self.up_locked(&mut conn, to).await;
                    history::unlock(&mut conn).await;
                    r
                }
                Err(e) => Err(e),
            }
        };
        conn.close().await;
        result
    }

    async fn up_dry(&self, conn: &mut Conn, to: i64) -> Result<UpReport, Error> {
        let rows = history::read(conn).await?;
        let pending = self.validate(&rows, to)?;
        self.guard_unadopted(conn, &rows, &pending).await?;
        let mut report = UpReport {
            dry_run: true,
            version: current_version(&rows),
            ..UpReport::default()
        };
        for m in pending {
            let statements = split_statements_for(&m.up, conn.backend());
            let resumed = rows
                .iter()
                .find(|r| r.version == m.version && r.unfinished())
                .map(|r| r.statements_applied as usize);
            report.applied.push(Applied {
                label: m.label(),
                version: m.version,
                statements: statements.len() - resumed.unwrap_or(0),
                duration_ms: 0,
                resumed_at: resumed.map(|k| k + 1),
                sql: statements[resumed.unwrap_or(0)..].to_vec(),
            });
        }
        Ok(report)
    }

    async fn guard_unadopted(
        &self,
        conn: &mut Conn,
        rows: &[Row],
        pending: &[&Migration],
    ) -> Result<(), Error> {
        if !rows.is_empty() || pending.is_empty() {
            return Ok(());
        }
        let mut present = Vec::new();
        for t in &self.guard_tables {
            if history::table_exists(conn, t).await? {
                present.push(t.clone());
            }
        }
        if present.is_empty() {
            Ok(())
        } else {
            Err(Error::NotBaselined(present.join(", "), self.latest()))
        }
    }

    /// Postgres and MySQL, under the lock.
    async fn up_locked(&self, conn: &mut Conn, to: i64) -> Result<UpReport, Error> {
        history::ensure(conn).await?;
        let rows = history::read(conn).await?;
        let pending = self.validate(&rows, to)?;
        self.guard_unadopted(conn, &rows, &pending).await?;
        let mut report = UpReport {
            version: current_version(&rows),
            ..UpReport::default()
        };
        let server = match conn.backend() {
            Backend::MySql => Some(MySqlServer::of(conn).await?),
            _ => None,
        };
        for m in pending {
            let applied = match &server {
                Some(server) => {
                    let partial = rows.iter().find(|r| r.version == m.version);
                    in_span(m, "up", apply_mysql(conn, m, partial, server)).await?
                }
                None => in_span(m, "up", apply_transactional(conn, m)).await?,
            };
            report.version = m.version;
            report.applied.push(applied);
        }
        Ok(report)
    }

    /// SQLite: each migration in its own `BEGIN IMMEDIATE` transaction, which is also the lock;
    /// the history is re-read inside it, so concurrent migrators apply each migration once.
    async fn up_sqlite(&self, conn: &mut Conn, to: i64) -> Result<UpReport, Error> {
        let ms = self.lock_timeout.as_millis();
        conn.execute(&format!("PRAGMA busy_timeout = {ms}")).await?;
        let mut report = UpReport::default();
        let mut first = true;
        loop {
            let mut fk_off = false;
            // Decide whether the next migration needs foreign keys off, then (re)start the
            // transaction in that mode: the pragma is a no-op inside a transaction.
            let next = loop {
                begin_immediate(conn, self.lock_timeout).await?;
                let step = async {
                    history::ensure(conn).await?;
                    let rows = history::read(conn).await?;
                    let pending = self.validate(&rows, to)?;
                    if first {
                        self.guard_unadopted(conn, &rows, &pending).await?;
                    }
                    Ok::<_, Error>((
                        current_version(&rows),
                        pending.first().map(|m| (*m).clone()),
                    ))
                }
                .await;
                let (version, next) = match step {
                    Ok(v) => v,
                    Err(e) => {
                        let _ = conn.execute("ROLLBACK").await;
                        return Err(e);
                    }
                };
                // Re-read on every round: another process may have applied some meanwhile.
                report.version = version;
                first = false;
                match &next {
                    Some(m) if m.needs_foreign_keys_off() && !fk_off => {
                        conn.execute("ROLLBACK").await?;
                        conn.execute("PRAGMA foreign_keys = OFF").await?;
                        fk_off = true;
                    }
                    _ => break next,
                }
            };
            let Some(m) = next else {
                conn.execute("COMMIT").await?;
                if fk_off {
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                }
                return Ok(report);
            };
            let result = in_span(&m, "up", run_in_open_transaction(conn, &m, fk_off)).await;
            if fk_off {
                let _ = conn.execute("PRAGMA foreign_keys = ON").await;
            }
            let applied = result?;
            report.version = m.version;
            report.applied.push(applied);
        }
    }

    /// Reverts applied migrations, newest first, with their down scripts.
    pub async fn down(
        &self,
        db: &Db,
        target: DownTarget,
        dry_run: bool,
    ) -> Result<Vec<Reverted>, Error> {
        let mut conn = db.dedicated().await?;
        let backend = conn.backend();
        let locked = if dry_run || backend == Backend::Sqlite {
            Ok(())
        } else {
            history::lock(&mut conn, self.lock_timeout).await
        };
        let result = match locked {
            Ok(()) => {
                let r = self.down_inner(&mut conn, target, dry_run).await;
                if !dry_run {
                    history::unlock(&mut conn).await;
                }
                r
            }
            Err(e) => Err(e),
        };
        conn.close().await;
        result
    }

    async fn down_inner(
        &self,
        conn: &mut Conn,
        target: DownTarget,
        dry_run: bool,
    ) -> Result<Vec<Reverted>, Error> {
        let backend = conn.backend();
        let rows = history::read(conn).await?;
        self.validate(&rows, i64::MAX)?;
        let newest_first: Vec<i64> = rows.iter().rev().map(|r| r.version).collect();
        let chosen: Vec<i64> = match target {
            DownTarget::To(v) => newest_first.into_iter().filter(|x| *x > v).collect(),
            DownTarget::Steps(n) => newest_first.into_iter().take(n).collect(),
        };
        // Check every down script first, so a run never stops half-way for want of one.
        for v in &chosen {
            let m = self.find(*v).expect("validated");
            match &m.down {
                Some(d) if !has_directive(d, IRREVERSIBLE) => {}
                Some(_) => {
                    return Err(Error::Irreversible(
                        m.label(),
                        "its down script is marked irreversible".into(),
                    ));
                }
                None => {
                    return Err(Error::Irreversible(
                        m.label(),
                        "it has no down script".into(),
                    ));
                }
            }
        }
        let mut out = Vec::new();
        for v in chosen {
            let m = self.find(v).expect("validated");
            let down = m.down.as_deref().unwrap_or_default();
            let statements = split_statements_for(down, backend);
            let start = Instant::now();
            if !dry_run {
                let sqlite = backend == Backend::Sqlite;
                let fk_off = sqlite && has_directive(down, FOREIGN_KEYS_OFF);
                if fk_off {
                    conn.execute("PRAGMA foreign_keys = OFF").await?;
                }
                if sqlite {
                    conn.execute(&format!(
                        "PRAGMA busy_timeout = {}",
                        self.lock_timeout.as_millis()
                    ))
                    .await?;
                    begin_immediate(conn, self.lock_timeout).await?;
                    // Another process may have reverted it meanwhile.
                    let still = history::read(conn)
                        .await
                        .map(|rows| rows.iter().any(|r| r.version == v));
                    if !matches!(still, Ok(true)) {
                        let _ = conn.execute("ROLLBACK").await;
                        if fk_off {
                            let _ = conn.execute("PRAGMA foreign_keys = ON").await;
                        }
                        still?;
                        continue;
                    }
                }
                let result = in_span(m, "down", revert(conn, m, &statements, fk_off)).await;
                if fk_off {
                    let _ = conn.execute("PRAGMA foreign_keys = ON").await;
                }
                result?;
            }
            out.push(Reverted {
                label: m.label(),
                version: m.version,
                statements: statements.len(),
                duration_ms: start.elapsed().as_millis() as u64,
                resumed_at: None,
                sql: statements,
            });
        }
        Ok(out)
    }

    /// Each shipped or recorded migration with its state. Changes nothing.
    pub async fn status(&self, db: &Db) -> Result<Status, Error> {
        let mut conn = db.dedicated().await?;
        let rows = history::read(&mut conn).await;
        conn.close().await;
        let rows = rows?;
        let mut entries = Vec::new();
        for m in &self.migrations {
            let row = rows.iter().find(|r| r.version == m.version);
            let state = match row {
                None => MigrationState::Pending,
                Some(r) if r.state == history::EXECUTING => {
                    MigrationState::Interrupted(r.statements_applied, r.statements_total)
                }
                Some(r) if r.unfinished() => {
                    MigrationState::Partial(r.statements_applied, r.statements_total)
                }
                Some(r) if r.checksum != m.checksum() => MigrationState::Modified,
                Some(r) if r.state == history::BASELINE => MigrationState::Baseline,
                Some(_) => MigrationState::Applied,
            };
            entries.push(StatusEntry {
                version: m.version,
                label: m.label(),
                state,
                applied_at: row.map(|r| r.applied_at.clone()),
            });
        }
        for r in rows.iter().filter(|r| self.find(r.version).is_none()) {
            entries.push(StatusEntry {
                version: r.version,
                label: format!("{:04}_{}", r.version, r.name),
                state: MigrationState::Missing,
                applied_at: Some(r.applied_at.clone()),
            });
        }
        entries.sort_by_key(|e| e.version);
        Ok(Status { entries })
    }

    /// MySQL: records whether the statement that was running when a migrator stopped took
    /// effect, when `up` could not tell by itself (it says so, naming the statement). With
    /// `applied`, the statement counts as done and the next `up` goes on after it; without, the
    /// next `up` runs it. Returns the migration's label and the statement's 1-based index.
    pub async fn resolve(&self, db: &Db, applied: bool) -> Result<(String, usize), Error> {
        let mut conn = db.dedicated().await?;
        let result = match conn.backend() {
            Backend::MySql => match history::lock(&mut conn, self.lock_timeout).await {
                Ok(()) => {
                    let r = self.resolve_locked(&mut conn, applied).await;
                    history::unlock(&mut conn).await;
                    r
                }
                Err(e) => Err(e),
            },
            // One transaction per migration there: nothing can be half applied.
            _ => Err(Error::Config(
                "`resolve` is for MySQL and MariaDB, where a migration can stop half-way".into(),
            )),
        };
        conn.close().await;
        result
    }

    async fn resolve_locked(
        &self,
        conn: &mut Conn,
        applied: bool,
    ) -> Result<(String, usize), Error> {
        let rows = history::read(conn).await?;
        let Some(r) = rows.iter().find(|r| r.state == history::EXECUTING) else {
            return Err(Error::Config(
                "no migration was interrupted in the middle of a statement: nothing to resolve"
                    .into(),
            ));
        };
        let m = self
            .find(r.version)
            .ok_or_else(|| Error::Missing(format!("{:04}_{}", r.version, r.name)))?;
        let statements = split_statements_for(&m.up, conn.backend());
        let k = r.statements_applied as usize;
        if k >= statements.len() || prefix_checksum(&statements[..k]) != r.partial_checksum {
            return Err(Error::Partial {
                label: m.label(),
                applied: r.statements_applied,
                total: r.statements_total,
                reason: "its statements were edited since it was interrupted: restore them first"
                    .into(),
            });
        }
        let done = if applied { k + 1 } else { k };
        history::set_progress(
            conn,
            m.version,
            done as i64,
            &prefix_checksum(&statements[..done]),
            history::PARTIAL,
        )
        .await?;
        Ok((m.label(), k + 1))
    }

    /// Adopts an existing database: records every migration up to `version` as applied
    /// (state `baseline`) without running it. The history must be empty.
    pub async fn baseline(&self, db: &Db, version: i64) -> Result<Vec<String>, Error> {
        if self.find(version).is_none() {
            return Err(Error::Config(format!(
                "there is no migration version {version}"
            )));
        }
        let mut conn = db.dedicated().await?;
        let backend = conn.backend();
        let locked = if backend == Backend::Sqlite {
            begin_immediate(&mut conn, self.lock_timeout).await
        } else {
            history::lock(&mut conn, self.lock_timeout).await
        };
        let result = match locked {
            Ok(()) => {
                let r = async {
                    history::ensure(&mut conn).await?;
                    let rows = history::read(&mut conn).await?;
                    if !rows.is_empty() {
                        return Err(Error::Config(format!(
                            "baseline needs an empty migration history, but {} migration(s) are recorded",
                            rows.len()
                        )));
                    }
                    let mut labels = Vec::new();
                    for m in self.migrations.iter().filter(|m| m.version <= version) {
                        let row = Row {
                            version: m.version,
                            name: m.name.to_string(),
                            checksum: m.checksum(),
                            applied_at: history::now(),
                            duration_ms: 0,
                            statements_applied: 0,
                            statements_total: split_statements_for(&m.up, backend).len() as i64,
                            state: history::BASELINE.into(),
                            partial_checksum: String::new(),
                        };
                        history::insert(&mut conn, &row).await?;
                        labels.push(m.label());
                    }
                    Ok(labels)
                }
                .await;
                if backend == Backend::Sqlite {
                    let end = if r.is_ok() { "COMMIT" } else { "ROLLBACK" };
                    conn.execute(end).await?;
                } else {
                    history::unlock(&mut conn).await;
                }
                r
            }
            Err(e) => Err(e),
        };
        conn.close().await;
        result
    }
}

fn current_version(rows: &[Row]) -> i64 {
    rows.iter()
        .filter(|r| !r.unfinished())
        .map(|r| r.version)
        .max()
        .unwrap_or(0)
}

async fn begin_immediate(conn: &mut Conn, timeout: Duration) -> Result<(), Error> {
    match conn.execute("BEGIN IMMEDIATE").await {
        Ok(_) => Ok(()),
        Err(e) if is_sqlite_busy(&e) => Err(Error::LockTimeout(timeout.as_secs())),
        Err(e) => Err(e.into()),
    }
}

/// Whether SQLite gave up waiting for another connection's lock: result code `SQLITE_BUSY` (5)
/// or `SQLITE_LOCKED` (6), in the low byte of the extended code sqlx reports.
fn is_sqlite_busy(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|db| db.code())
        .and_then(|code| code.parse::<i32>().ok())
        .is_some_and(|code| matches!(code & 0xff, 5 | 6))
}

fn failed(m: &Migration, index: usize, total: usize, sql: &str, e: sqlx::Error) -> Error {
    let message = match &e {
        sqlx::Error::Database(d) => crate::one_line(&d.message()),
        other => crate::one_line(other),
    };
    Error::Failed {
        label: m.label(),
        index: index + 1,
        total,
        message,
        sql: sql.to_owned(),
        source: Box::new(e),
    }
}

fn done_row(m: &Migration, total: usize, duration_ms: u64, state: &str) -> Row {
    Row {
        version: m.version,
        name: m.name.to_string(),
        checksum: m.checksum(),
        applied_at: history::now(),
        duration_ms: duration_ms as i64,
        statements_applied: total as i64,
        statements_total: total as i64,
        state: state.into(),
        partial_checksum: String::new(),
    }
}

/// Postgres: `BEGIN`, the statements, the history row, `COMMIT`; any failure rolls back all.
async fn apply_transactional(conn: &mut Conn, m: &Migration) -> Result<Applied, Error> {
    conn.execute("BEGIN").await?;
    match run_in_open_transaction(conn, m, false).await {
        Ok(a) => Ok(a),
        Err(e) => Err(e),
    }
}

/// Runs a migration inside the transaction the caller opened, then commits it; rolls back on
/// any failure (including foreign key violations after a SQLite rebuild).
async fn run_in_open_transaction(
    conn: &mut Conn,
    m: &Migration,
    fk_check: bool,
) -> Result<Applied, Error> {
    let start = Instant::now();
    let statements = split_statements_for(&m.up, conn.backend());
    let result = async {
        for (i, sql) in statements.iter().enumerate() {
            if let Err(e) = run_statement(conn, i, statements.len(), sql).await {
                return Err(failed(m, i, statements.len(), sql, e));
            }
        }
        if fk_check && conn.count_rows("PRAGMA foreign_key_check").await? > 0 {
            return Err(Error::ForeignKeyViolation(m.label()));
        }
        let row = done_row(
            m,
            statements.len(),
            start.elapsed().as_millis() as u64,
            history::APPLIED,
        );
        history::insert(conn, &row).await?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => {
            conn.execute("COMMIT").await?;
            Ok(Applied {
                label: m.label(),
                version: m.version,
                statements: statements.len(),
                duration_ms: start.elapsed().as_millis() as u64,
                resumed_at: None,
                sql: statements,
            })
        }
        Err(e) => {
            let _ = conn.execute("ROLLBACK").await;
            Err(e)
        }
    }
}

/// Runs `step` (applying or reverting `m`) in the span `migration` (fields `version`, `name`,
/// `direction`), and reports its outcome there.
async fn in_span<T>(
    m: &Migration,
    direction: &'static str,
    step: impl std::future::Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    let span = tracing::info_span!("migration", version = m.version, name = %m.name, direction);
    async {
        let started = Instant::now();
        let result = step.await;
        match &result {
            Ok(_) => tracing::info!(duration_ms = started.elapsed().as_millis() as u64, "done"),
            Err(e) => tracing::debug!(error = %e, "failed"),
        }
        result
    }
    .instrument(span)
    .await
}

/// Runs statement `index` (0-based) of `total` of a migration in the span `statement` (fields
/// `index`, 1-based, and `total`), with its SQL as a debug event.
async fn run_statement(
    conn: &mut Conn,
    index: usize,
    total: usize,
    sql: &str,
) -> Result<u64, sqlx::Error> {
    let span = tracing::info_span!("statement", index = index + 1, total);
    async {
        tracing::debug!(sql, "statement");
        conn.execute(sql).await
    }
    .instrument(span)
    .await
}

fn prefix_checksum(statements: &[String]) -> String {
    checksum(&statements.join(";\n"))
}

/// What the runner needs to know about a MySQL or MariaDB server.
#[derive(Debug, Clone)]
struct MySqlServer {
    /// MariaDB, rather than MySQL.
    mariadb: bool,
    /// DDL is atomic (MySQL 8+, MariaDB 10.6+): after a crash a statement is applied completely
    /// or not at all, so its effect in the catalog tells which.
    atomic_ddl: bool,
}

impl MySqlServer {
    async fn of(conn: &mut Conn) -> Result<Self, Error> {
        let version = conn
            .strings("SELECT VERSION()")
            .await?
            .pop()
            .unwrap_or_default();
        let mariadb = version.to_ascii_lowercase().contains("mariadb");
        let mut parts = version
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|p| p.parse::<u32>().ok());
        let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
        let atomic_ddl = if mariadb {
            (major, minor) >= (10, 6)
        } else {
            major >= 8
        };
        Ok(MySqlServer {
            mariadb,
            atomic_ddl,
        })
    }

    /// The statement as this server spells it: migration files name MariaDB's binary NO PAD
    /// collation, which MySQL 8 calls `utf8mb4_0900_bin`.
    fn spell<'a>(&self, sql: &'a str) -> std::borrow::Cow<'a, str> {
        if self.mariadb {
            sql.into()
        } else {
            sql.replace(auth_schema::ddl::MYSQL_COLLATION, "utf8mb4_0900_bin")
                .into()
        }
    }
}

/// MySQL: DDL commits implicitly, so a migration cannot be one transaction. The history row is
/// written first (`partial`, 0 statements) and, around every statement, durably: the intent to
/// run it (`executing`) before, and the progress after. A failed run stays partial and the next
/// `up` resumes at the failed statement, provided the statements already applied are unchanged.
/// A run that stopped without a word (killed, crashed, cut off) leaves the intent: the next `up`
/// reads the catalog to see whether that statement took effect ([`crate::recovery`]) and goes
/// on from there, or stops and names it when that cannot be told (`resolve` answers it).
async fn apply_mysql(
    conn: &mut Conn,
    m: &Migration,
    existing: Option<&Row>,
    server: &MySqlServer,
) -> Result<Applied, Error> {
    let start = Instant::now();
    let statements = split_statements_for(&m.up, Backend::MySql);
    let total = statements.len();
    let mut from = 0usize;
    match existing {
        Some(r) => {
            let k = r.statements_applied as usize;
            let interrupted = r.state == history::EXECUTING;
            if k > total
                || (interrupted && k >= total)
                || prefix_checksum(&statements[..k]) != r.partial_checksum
            {
                return Err(Error::Partial {
                    label: m.label(),
                    applied: r.statements_applied,
                    total: r.statements_total,
                    reason: "the statements already applied were edited since: restore them, or repair the database by hand and delete its history row".into(),
                });
            }
            from = k;
            if interrupted {
                let in_doubt = |why: String| Error::Partial {
                    label: m.label(),
                    applied: r.statements_applied,
                    total: r.statements_total,
                    reason: format!(
                        "statement {} was running when the migrator stopped, and whether it took effect is unknown: {why}; check it by hand, then run `resolve --applied` or `resolve --not-applied` (statement: {})",
                        k + 1,
                        statements[k]
                    ),
                };
                if !server.atomic_ddl {
                    return Err(in_doubt(
                        "this server's DDL is not atomic (MySQL 8 and MariaDB 10.6 or later are), so it may be half applied".into(),
                    ));
                }
                match crate::recovery::took_effect(conn, &statements[k]).await? {
                    crate::recovery::Verdict::Applied => {
                        from = k + 1;
                        history::set_progress(
                            conn,
                            m.version,
                            from as i64,
                            &prefix_checksum(&statements[..from]),
                            history::PARTIAL,
                        )
                        .await?;
                    }
                    crate::recovery::Verdict::Run => {}
                    crate::recovery::Verdict::Unknown(why) => return Err(in_doubt(why)),
                }
            }
        }
        None => {
            let mut row = done_row(m, 0, 0, history::PARTIAL);
            row.statements_total = total as i64;
            row.partial_checksum = prefix_checksum(&[]);
            history::insert(conn, &row).await?;
        }
    }
    for (i, sql) in statements.iter().enumerate().skip(from) {
        let done_before = prefix_checksum(&statements[..i]);
        history::set_progress(conn, m.version, i as i64, &done_before, history::EXECUTING).await?;
        if let Err(e) = run_statement(conn, i, total, &server.spell(sql)).await {
            // The server answered with an error, so the statement did not apply; if the
            // connection broke instead, this write fails too and the intent stays for the
            // next run to check.
            let _ =
                history::set_progress(conn, m.version, i as i64, &done_before, history::PARTIAL)
                    .await;
            return Err(failed(m, i, total, sql, e));
        }
        history::set_progress(
            conn,
            m.version,
            i as i64 + 1,
            &prefix_checksum(&statements[..=i]),
            history::PARTIAL,
        )
        .await?;
    }
    let row = done_row(
        m,
        total,
        start.elapsed().as_millis() as u64,
        history::APPLIED,
    );
    history::finish(conn, &row).await?;
    Ok(Applied {
        label: m.label(),
        version: m.version,
        statements: total - from,
        duration_ms: start.elapsed().as_millis() as u64,
        resumed_at: existing.is_some().then_some(from + 1),
        sql: statements[from..].to_vec(),
    })
}

/// Runs a down script and deletes the history row: in one transaction on Postgres (opened here)
/// and SQLite (opened by the caller); statement by statement on MySQL.
async fn revert(
    conn: &mut Conn,
    m: &Migration,
    statements: &[String],
    fk_check: bool,
) -> Result<(), Error> {
    let backend = conn.backend();
    let tx = backend != Backend::MySql;
    let server = match backend {
        Backend::MySql => Some(MySqlServer::of(conn).await?),
        _ => None,
    };
    if backend == Backend::Postgres {
        conn.execute("BEGIN").await?;
    }
    let result = async {
        for (i, sql) in statements.iter().enumerate() {
            let sql = match &server {
                Some(server) => server.spell(sql),
                None => sql.into(),
            };
            if let Err(e) = run_statement(conn, i, statements.len(), &sql).await {
                return Err(failed(m, i, statements.len(), &sql, e));
            }
        }
        if fk_check && conn.count_rows("PRAGMA foreign_key_check").await? > 0 {
            return Err(Error::ForeignKeyViolation(m.label()));
        }
        history::delete(conn, m.version).await?;
        Ok(())
    }
    .await;
    if tx {
        let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
        let ended = conn.execute(end).await;
        if result.is_ok() {
            ended?;
        }
    }
    result
}
