//! The `migrate` command line, for `cargo run --example migrate` or your own binary:
//!
//! ```no_run
//! # async fn demo() -> std::process::ExitCode {
//! auth_migrate::cli::main::<auth_schema::kysely::Schema>(auth_migrate::cli::Options::stock()).await
//! # }
//! ```

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use auth_schema::{AuthSchema, Backend};

use crate::plan::Risk;
use crate::{Db, DownTarget, Error, Migration, MigrationState, Migrator};

/// The help text.
pub const HELP: &str = "\
migrate: versioned migrations and migration planning for the Auth.js tables

USAGE:
    migrate [COMMAND] [OPTIONS]

The database comes from DATABASE_URL (default: sqlite://authjs.db?mode=rwc, a file in the
working directory). The dialect follows the URL scheme: sqlite: (feature `sqlite`),
postgres: or postgresql: (feature `postgres`), mysql: or mariadb: (feature `mysql`).

COMMANDS:
    (none)                          same as `up`: apply every pending migration and report
    status [--check]                each migration as applied, pending, modified, missing or
                                    partial, and whether the schema drifted from the one declared
                                    in Rust; --check exits 1 unless all is applied with no drift
    up [--to V] [--dry-run]         apply pending migrations (up to version V); --dry-run prints
                                    the SQL and changes nothing
    down [--to V | --steps N] [--dry-run]
                                    revert migrations newer than V, or the last N (default 1)
    plan [--write NAME] [--allow-destructive] [--dir DIR]
                                    compare the database with the schema declared in Rust and
                                    print the SQL that would bring it there, each change tagged
                                    safe, data-dependent or destructive; --write adds it as
                                    migration NAME for all three dialects (under DIR, default
                                    the crate's migrations/); destructive changes are refused
                                    (exit 2) without --allow-destructive
    baseline --version V            adopt an existing Auth.js database (e.g. made by the Kysely
                                    or Prisma adapter): record migrations up to V as applied
                                    without running them (then `plan` shows what differs)
    resolve --applied | --not-applied
                                    MySQL: after a crash in the middle of a migration, when `up`
                                    cannot tell whether the statement that was running took
                                    effect (it names it), record the answer
    --help                          print this help

OPTIONS (every command that changes the database):
    --lock-timeout SECS             how long to wait for another migrator's lock (default 60)

Exit status: 0 on success, 1 on error or (status --check) pending/drift, 2 on bad usage or a
refused destructive plan.";

/// The migrations of a dialect.
pub type MigrationSource = Arc<dyn Fn(Backend) -> Result<Vec<Migration>, Error> + Send + Sync>;

/// Where the migrations come from and where `plan --write` puts new ones.
#[derive(Clone)]
pub struct Options {
    /// The migrations of a dialect.
    pub migrations: MigrationSource,
    /// The folder `plan --write` writes into (`<dir>/<dialect>/…`).
    pub write_dir: PathBuf,
    /// The URL used when `DATABASE_URL` is unset.
    pub default_url: String,
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("write_dir", &self.write_dir)
            .field("default_url", &self.default_url)
            .finish_non_exhaustive()
    }
}

impl Options {
    /// The migrations shipped with this crate, for `auth_schema::kysely::Schema`.
    pub fn stock() -> Self {
        Options {
            migrations: Arc::new(|b| Ok(crate::migration::stock(b))),
            write_dir: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("migrations"),
            default_url: "sqlite://authjs.db?mode=rwc".into(),
        }
    }
}

/// Reads the arguments and `DATABASE_URL`, runs, prints; errors are one line on stderr.
pub async fn main<S: AuthSchema>(options: Options) -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let url = std::env::var("DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| options.default_url.clone());
    let mut stdout = std::io::stdout();
    match run::<S>(&args, &url, &options, &mut stdout).await {
        Ok(code) => ExitCode::from(code),
        Err(CliError::Usage(m)) => {
            eprintln!("error: {m} (try `--help`)");
            ExitCode::from(2)
        }
        Err(CliError::Run(e)) => {
            eprintln!("error: {}", e.to_string().replace('\n', " "));
            ExitCode::from(match e {
                Error::Destructive(_) => 2,
                _ => 1,
            })
        }
    }
}

/// A usage error or a failure.
#[derive(Debug)]
pub enum CliError {
    /// Bad arguments.
    Usage(String),
    /// The command failed.
    Run(Error),
}

impl From<Error> for CliError {
    fn from(e: Error) -> Self {
        CliError::Run(e)
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::Run(Error::Io(e.to_string()))
    }
}

struct Args<'a> {
    rest: Vec<&'a str>,
}

impl<'a> Args<'a> {
    fn flag(&mut self, name: &str) -> bool {
        match self.rest.iter().position(|a| *a == name) {
            Some(p) => {
                self.rest.remove(p);
                true
            }
            None => false,
        }
    }

    fn value(&mut self, name: &str) -> Result<Option<&'a str>, CliError> {
        let Some(p) = self.rest.iter().position(|a| *a == name) else {
            return Ok(None);
        };
        if p + 1 >= self.rest.len() {
            return Err(CliError::Usage(format!("{name} needs a value")));
        }
        let v = self.rest.remove(p + 1);
        self.rest.remove(p);
        Ok(Some(v))
    }

    fn number(&mut self, name: &str) -> Result<Option<i64>, CliError> {
        match self.value(name)? {
            None => Ok(None),
            Some(v) => v
                .parse::<i64>()
                .ok()
                .filter(|n| *n >= 0)
                .map(Some)
                .ok_or_else(|| CliError::Usage(format!("{name}: `{v}` is not a number"))),
        }
    }

    fn done(&self) -> Result<(), CliError> {
        match self.rest.first() {
            None => Ok(()),
            Some(a) => Err(CliError::Usage(format!("unexpected argument `{a}`"))),
        }
    }
}

/// Runs one command, writing its report to `out`; returns the exit code.
pub async fn run<S: AuthSchema>(
    args: &[String],
    url: &str,
    options: &Options,
    out: &mut dyn Write,
) -> Result<u8, CliError> {
    let (cmd, rest) = match args.split_first() {
        None => ("up", &[][..]),
        Some((c, rest)) => (c.as_str(), rest),
    };
    let mut a = Args {
        rest: rest.iter().map(String::as_str).collect(),
    };
    if matches!(cmd, "--help" | "-h" | "help") || a.flag("--help") || a.flag("-h") {
        writeln!(out, "{HELP}")?;
        return Ok(0);
    }
    if !matches!(
        cmd,
        "status" | "up" | "down" | "plan" | "baseline" | "resolve"
    ) {
        return Err(CliError::Usage(format!("unknown command `{cmd}`")));
    }
    // Parse everything before connecting, so usage errors never wait on a server.
    let check = cmd == "status" && a.flag("--check");
    let dry_run = matches!(cmd, "up" | "down") && a.flag("--dry-run");
    let to = if matches!(cmd, "up" | "down") {
        a.number("--to")?
    } else {
        None
    };
    let steps = if cmd == "down" {
        a.number("--steps")?
    } else {
        None
    };
    let write = if cmd == "plan" {
        a.value("--write")?
    } else {
        None
    };
    let dir = if cmd == "plan" {
        a.value("--dir")?
    } else {
        None
    };
    let allow_destructive = cmd == "plan" && a.flag("--allow-destructive");
    let baseline = if cmd == "baseline" {
        Some(
            a.number("--version")?
                .ok_or_else(|| CliError::Usage("baseline needs --version V".into()))?,
        )
    } else {
        None
    };
    let resolve = if cmd == "resolve" {
        match (a.flag("--applied"), a.flag("--not-applied")) {
            (true, false) => Some(true),
            (false, true) => Some(false),
            _ => {
                return Err(CliError::Usage(
                    "resolve needs either --applied or --not-applied".into(),
                ));
            }
        }
    } else {
        None
    };
    let lock_timeout = a.number("--lock-timeout")?;
    a.done()?;
    if to.is_some() && steps.is_some() {
        return Err(CliError::Usage(
            "use either --to or --steps, not both".into(),
        ));
    }

    let db = Db::connect(url).await?;
    let backend = db.backend();
    let migrations = match (options.migrations)(backend) {
        Ok(m) => m,
        Err(e) => {
            db.close().await;
            return Err(e.into());
        }
    };
    let mut migrator = Migrator::for_schema::<S>(migrations);
    if let Some(secs) = lock_timeout {
        migrator = migrator.lock_timeout(std::time::Duration::from_secs(secs as u64));
    }
    let result = async {
        match cmd {
            "status" => status::<S>(&db, &migrator, check, out).await,
            "up" => {
                let report = migrator.up(&db, to, dry_run).await?;
                for m in &report.applied {
                    if dry_run {
                        writeln!(out, "-- would apply {} ({} statements)", m.label, m.statements)?;
                        for s in &m.sql {
                            writeln!(out, "{s};")?;
                        }
                    } else {
                        let resumed = m
                            .resumed_at
                            .map(|k| format!(", resumed at statement {k}"))
                            .unwrap_or_default();
                        writeln!(
                            out,
                            "applied {} ({} statements, {} ms{resumed})",
                            m.label, m.statements, m.duration_ms
                        )?;
                    }
                }
                let at = report.applied.last().map_or(report.version, |m| m.version);
                let latest = migrator.latest();
                match (dry_run, report.applied.is_empty()) {
                    (_, true) => writeln!(out, "up to date: version {at} of {latest}")?,
                    (true, false) => writeln!(
                        out,
                        "dry run: {} migration(s) pending, nothing changed",
                        report.applied.len()
                    )?,
                    (false, false) => writeln!(
                        out,
                        "{} migration(s) applied: now at version {at} of {latest}",
                        report.applied.len()
                    )?,
                }
                Ok(0)
            }
            "down" => {
                let target = match (to, steps) {
                    (Some(v), _) => DownTarget::To(v),
                    (None, Some(n)) => DownTarget::Steps(n as usize),
                    (None, None) => DownTarget::Steps(1),
                };
                let reverted = migrator.down(&db, target, dry_run).await?;
                for m in &reverted {
                    if dry_run {
                        writeln!(out, "-- would revert {} ({} statements)", m.label, m.statements)?;
                        for s in &m.sql {
                            writeln!(out, "{s};")?;
                        }
                    } else {
                        writeln!(out, "reverted {} ({} ms)", m.label, m.duration_ms)?;
                    }
                }
                if reverted.is_empty() {
                    writeln!(out, "nothing to revert")?;
                }
                Ok(0)
            }
            "plan" => {
                let plan = crate::plan::<S>(&db).await?;
                if plan.is_empty() {
                    writeln!(out, "-- no changes: the database matches the declared schema")?;
                    return Ok(0);
                }
                for step in plan.render(backend) {
                    writeln!(out, "-- [{}] {}", step.risk, step.description)?;
                    for s in &step.sql {
                        writeln!(out, "{s};")?;
                    }
                }
                let destructive = plan.destructive();
                let counts = |r: Risk| plan.changes.iter().filter(|c| c.risk() == r).count();
                writeln!(
                    out,
                    "-- {} change(s): {} safe, {} data-dependent, {} destructive",
                    plan.changes.len(),
                    counts(Risk::Safe),
                    counts(Risk::DataDependent),
                    counts(Risk::Destructive)
                )?;
                if !destructive.is_empty() && !allow_destructive {
                    return Err(Error::Destructive(destructive.join("; ")).into());
                }
                if let Some(name) = write {
                    let dir = dir.map(PathBuf::from).unwrap_or_else(|| options.write_dir.clone());
                    let (version, files) = crate::writer::write(&dir, &plan, name, migrator.latest())?;
                    writeln!(out, "wrote migration {version:04}_{name}:")?;
                    for f in files {
                        writeln!(out, "  {}", f.display())?;
                    }
                }
                Ok(0)
            }
            "resolve" => {
                let applied = resolve.unwrap_or_default();
                let (label, index) = migrator.resolve(&db, applied).await?;
                writeln!(
                    out,
                    "recorded statement {index} of {label} as {}: run `up` to go on",
                    if applied { "applied" } else { "not applied" }
                )?;
                Ok(0)
            }
            "baseline" => {
                let v = baseline.unwrap_or_default();
                let labels = migrator.baseline(&db, v).await?;
                for l in &labels {
                    writeln!(out, "recorded {l} as applied (baseline)")?;
                }
                let plan = crate::plan::<S>(&db).await?;
                if plan.is_empty() {
                    writeln!(out, "baseline at version {v}; the schema matches")?;
                } else {
                    writeln!(
                        out,
                        "baseline at version {v}; {} difference(s) from the declared schema remain: run `plan` to see them",
                        plan.changes.len()
                    )?;
                }
                Ok(0)
            }
            _ => unreachable!("checked above"),
        }
    }
    .await;
    db.close().await;
    result
}

async fn status<S: AuthSchema>(
    db: &Db,
    migrator: &Migrator,
    check: bool,
    out: &mut dyn Write,
) -> Result<u8, CliError> {
    let status = migrator.status(db).await?;
    for e in &status.entries {
        let at = match (&e.state, &e.applied_at) {
            (MigrationState::Pending, _) | (_, None) => String::new(),
            (_, Some(t)) => format!("  {t}"),
        };
        writeln!(out, "{:<32} {}{at}", e.label, e.state)?;
    }
    if status.entries.is_empty() {
        writeln!(out, "no migrations")?;
    }
    let plan = crate::plan::<S>(db).await?;
    if plan.is_empty() {
        writeln!(out, "schema drift: none")?;
    } else {
        writeln!(
            out,
            "schema drift: {} difference(s) from the declared schema (run `plan` to see them)",
            plan.changes.len()
        )?;
    }
    Ok(if check && (!status.is_clean() || !plan.is_empty()) {
        1
    } else {
        0
    })
}
