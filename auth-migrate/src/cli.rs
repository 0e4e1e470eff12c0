//! The `migrate` command line, for `cargo run --example migrate` or your own binary:
//!
//! ```no_run
//! # async fn demo() -> std::process::ExitCode {
//! auth_migrate::cli::main::<auth_schema::kysely::Schema>(auth_migrate::cli::Options::stock()).await
//! # }
//! ```
//!
//! Commands (`migrate --help` and `migrate COMMAND --help` explain each):
//!
//! | command | does |
//! | --- | --- |
//! | (none), `up [--to V] [--dry-run]` | applies the pending migrations |
//! | `status [--check]` | each migration's state, and the drift from the declared schema |
//! | `down [--to V \| --steps N] [--dry-run]` | reverts the newest migration(s) |
//! | `plan [--write NAME [--dir DIR]] [--allow-destructive]` | the SQL from the database to the declared schema |
//! | `baseline --version V` | adopts an existing database without running migrations |
//! | `resolve --applied \| --not-applied` | MySQL: the answer for a statement a crash left in doubt |
//! | `codegen [--include T]... [--exclude T]... [--schema S]... [--out FILE]` | Rust declarations (`table!`, `database!`) of the live tables |
//!
//! `up`, `down`, `baseline` and `resolve` take `--lock-timeout SECS` (default 60); a value may
//! also be written `--to=2`. `--version` prints this crate's version. The database is
//! `--direct-url URL`, else `DIRECT_URL`, else `DATABASE_URL`, else [`Options::default_url`]
//! (an unset or empty variable counts as absent). `DIRECT_URL` is for a service whose
//! `DATABASE_URL` goes through a transaction-mode pooler (`pgbouncer=true`), which `migrate`
//! refuses: as Prisma's `directUrl`, it reaches the server directly.
//!
//! Exit status: 0 on success; 1 on an error, or when `status --check` finds a pending or changed
//! migration or schema drift; 2 on a usage error (reported in one line before any connection is
//! made) or a destructive plan refused without `--allow-destructive`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use auth_schema::{Backend, Database};
use clap::error::ErrorKind;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::plan::Risk;
use crate::{Db, DownTarget, Error, Migration, MigrationState, Migrator};

/// The migrations of a dialect.
pub type MigrationSource = Arc<dyn Fn(Backend) -> Result<Vec<Migration>, Error> + Send + Sync>;

/// Where the migrations come from, where `plan --write` puts new ones, and which database to use
/// without `DATABASE_URL`.
///
/// ```
/// use auth_migrate::cli::Options;
/// // The shipped migrations plus those `plan --write` adds to ./migrations.
/// let options = Options {
///     migrations: std::sync::Arc::new(|backend| {
///         let mut all = auth_migrate::migration::stock(backend);
///         all.extend(auth_migrate::migration::load_dir("migrations".as_ref(), backend)?);
///         Ok(all)
///     }),
///     ..Options::stock()
/// };
/// assert_eq!(options.write_dir, std::path::Path::new("migrations"));
/// ```
#[derive(Clone)]
pub struct Options {
    /// The migrations of a dialect.
    pub migrations: MigrationSource,
    /// The folder `plan --write` writes into (`<dir>/<dialect>/…`) unless `--dir` is given; a
    /// relative path is taken from the working directory.
    pub write_dir: PathBuf,
    /// The URL used when `DATABASE_URL` is unset or empty.
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
    /// The migrations shipped with this crate, for `auth_schema::kysely::Schema`; `plan --write`
    /// writes into `./migrations` (in the working directory: never into this crate's source,
    /// which for a published crate is in the cargo registry); the default database is
    /// `sqlite://authjs.db?mode=rwc`.
    ///
    /// ```
    /// let options = auth_migrate::cli::Options::stock();
    /// assert_eq!(options.write_dir, std::path::Path::new("migrations"));
    /// assert_eq!(options.default_url, "sqlite://authjs.db?mode=rwc");
    /// ```
    pub fn stock() -> Self {
        Options {
            migrations: Arc::new(|b| Ok(crate::migration::stock(b))),
            write_dir: PathBuf::from("migrations"),
            default_url: "sqlite://authjs.db?mode=rwc".into(),
        }
    }
}

/// Reads the arguments and `DATABASE_URL`, runs, prints; errors are one line on stderr, and the
/// exit status is [`CliError::exit_code`]'s.
///
/// ```no_run
/// #[tokio::main(flavor = "current_thread")]
/// async fn main() -> std::process::ExitCode {
///     auth_migrate::cli::main::<auth_schema::kysely::Schema>(auth_migrate::cli::Options::stock())
///         .await
/// }
/// ```
pub async fn main<D: Database>(options: Options) -> ExitCode {
    // Lossy rather than `env::args()`, which panics on an argument that is not UTF-8.
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let var = |name| {
        std::env::var(name)
            .ok()
            .filter(|u: &String| !u.trim().is_empty())
    };
    let url = var("DIRECT_URL")
        .or_else(|| var("DATABASE_URL"))
        .unwrap_or_else(|| options.default_url.clone());
    let mut stdout = std::io::stdout();
    match run::<D>(&args, &url, &options, &mut stdout).await {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// A usage error or a failure. Its [`Display`](std::fmt::Display) is one line.
///
/// ```
/// use auth_migrate::{Error, cli::CliError};
/// let e = CliError::Run(Error::LockTimeout(5));
/// assert_eq!(e.exit_code(), 1);
/// assert!(std::error::Error::source(&e).is_some());
/// assert_eq!(e.to_string(), Error::LockTimeout(5).to_string());
/// ```
#[derive(Debug)]
pub enum CliError {
    /// Bad arguments: the message, one line ending with where to find help, e.g.
    /// ``unrecognized subcommand 'frobnicate' (try `--help`)``.
    Usage(String),
    /// The command failed.
    Run(Error),
}

impl CliError {
    /// The exit status for this error: 2 for a usage error or a refused destructive plan, 1 for
    /// anything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) | CliError::Run(Error::Destructive(_)) => 2,
            CliError::Run(_) => 1,
        }
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliError::Usage(m) => f.write_str(&m.replace('\n', " ")),
            CliError::Run(e) => f.write_str(&e.to_string().replace('\n', " ")),
        }
    }
}

impl std::error::Error for CliError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CliError::Usage(_) => None,
            CliError::Run(e) => Some(e),
        }
    }
}

impl From<Error> for CliError {
    fn from(e: Error) -> Self {
        CliError::Run(e)
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::Run(Error::Io {
            message: e.to_string(),
            source: Some(e),
        })
    }
}

// ------------------------------------------------------------------------ the parser --
//
// The texts below are the documentation users see (`--help`), so they say what each command
// does to the database. The parts that depend on `Options` or on the enabled features (the
// default URL, the default folder, the dialects) are added at run time by `command()`.

/// Versioned migrations and migration planning for the Auth.js tables and your own.
#[derive(Debug, Parser)]
#[command(
    name = "migrate",
    version,
    about = "migrate: versioned migrations and migration planning for the Auth.js tables and your own",
    override_usage = "migrate [up] [--to V] [--dry-run] [--lock-timeout SECS]
       migrate status [--check]
       migrate down [--to V | --steps N] [--dry-run] [--lock-timeout SECS]
       migrate plan [--write NAME [--dir DIR]] [--allow-destructive]
       migrate baseline --version V [--lock-timeout SECS]
       migrate resolve (--applied | --not-applied) [--lock-timeout SECS]
       migrate codegen [--include TABLE]... [--exclude TABLE]... [--schema SCHEMA]...
                       [--no-auth-preset] [--skip-unsupported] [--name NAME] [--out FILE]
       migrate COMMAND --help"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// The database, in place of DIRECT_URL and DATABASE_URL: a URL that reaches the server
    /// directly, not through a transaction-mode pooler
    #[arg(long, global = true, value_name = "URL")]
    direct_url: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    #[command(
        about = "Show each migration's state and whether the schema drifted from the declared one",
        long_about = "\
Show each migration as applied, applied (baseline), pending, MODIFIED (its file changed after
it was applied), MISSING (recorded in the database but not shipped with this binary), PARTIAL or
INTERRUPTED (MySQL: a migration that stopped half-way), and whether the schema drifted from the
one declared in Rust (`plan` shows the differences). Changes nothing."
    )]
    Status {
        /// Exit 1 unless every migration is applied, unchanged, and the schema has no drift
        #[arg(long)]
        check: bool,
    },
    #[command(
        about = "Apply the pending migrations (the default command)",
        long_about = "\
Apply every pending migration in order, or those up to version V, and record each in the
history table _authjs_migrations. Running `migrate` without a command does the same.

A lock keeps concurrent migrators apart: other migrators wait for it (--lock-timeout). On
PostgreSQL and SQLite a migration and its history row commit together or not at all. On MySQL,
where DDL commits by itself, progress is recorded statement by statement: a migration that
failed shows as PARTIAL and the next `up` resumes it at the failed statement; one whose migrator
was killed shows as INTERRUPTED, and the next `up` checks whether the running statement took
effect (or stops and points to `resolve`). A migration whose file changed after it was applied
stops `up` with an error naming it."
    )]
    Up {
        /// Apply migrations up to version V only (default: all)
        #[arg(long, value_name = "V", value_parser = clap::value_parser!(i64).range(0..), allow_negative_numbers = true)]
        to: Option<i64>,
        /// Print the SQL that would run and change nothing, not even the history table
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        lock: Lock,
    },
    #[command(
        about = "Revert the newest migration, the newest N, or those newer than a version",
        long_about = "\
Revert applied migrations, newest first, with their down scripts: the newest one by default,
the newest N with --steps, every migration newer than V with --to (--to 0 reverts all). A
migration without a down script, or whose down script is marked irreversible, stops `down`
before anything is reverted."
    )]
    Down {
        /// Revert every migration newer than version V
        #[arg(long, value_name = "V", value_parser = clap::value_parser!(i64).range(0..), allow_negative_numbers = true, conflicts_with = "steps")]
        to: Option<i64>,
        /// Revert the newest N migrations (default 1)
        #[arg(long, value_name = "N")]
        steps: Option<u64>,
        /// Print the SQL that would run and change nothing
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        lock: Lock,
    },
    #[command(
        about = "Print the SQL that brings the database to the schema declared in Rust",
        long_about = "\
Compare the database with the tables declared in Rust (the Auth.js tables and your own) and
print the SQL that would bring it there, each change tagged safe, data-dependent or destructive.
New tables are created after the tables they reference. Changes nothing in the database.

A column the declaration renames shows as a destructive drop and an add: when the table loses a
column and gains one of the same type and nullability, the drop's description shows the
`ALTER TABLE ... RENAME COLUMN ...` that keeps the data instead. The plan never renames by
itself: run that statement (or put it in a migration) in place of the drop and the add.

Destructive changes (a dropped column, a narrowed type) are refused, with exit status 2, unless
--allow-destructive is given. With --write NAME the plan is also written as a new migration for
all three dialects, <DIR>/<dialect>/<version>_NAME.up.sql and .down.sql, numbered after the
newest migration; it is applied by `up` in a binary whose migrations include that folder."
    )]
    Plan {
        /// Also write the plan as migration NAME (lowercase letters, digits and _)
        #[arg(long, value_name = "NAME")]
        write: Option<String>,
        /// Where --write puts the files (the default is filled in by `command()`)
        #[arg(long, value_name = "DIR", requires = "write")]
        dir: Option<PathBuf>,
        /// Print and write destructive changes instead of refusing them (exit 0)
        #[arg(long)]
        allow_destructive: bool,
    },
    #[command(
        about = "Adopt an existing Auth.js database: record migrations as applied without running them",
        long_about = "\
Adopt an existing Auth.js database (e.g. made by the Kysely or Prisma adapter): record the
migrations up to version V as applied without running them, then say whether the schema
matches; `plan` then shows what differs. The migration history must be empty. `up` on a
database that has the tables but no history refuses and points here."
    )]
    Baseline {
        /// The newest migration the database already has
        #[arg(long, value_name = "V", required = true, value_parser = clap::value_parser!(i64).range(0..), allow_negative_numbers = true)]
        version: i64,
        #[command(flatten)]
        lock: Lock,
    },
    #[command(
        group(clap::ArgGroup::new("answer").args(["applied", "not_applied"]).required(true)),
        about = "MySQL: record whether a statement a crash left in doubt took effect",
        long_about = "\
MySQL and MariaDB: after a migrator was stopped in the middle of a migration, `up` checks in the
catalog whether the statement that was running took effect; when it cannot tell (a data
change, or a server without atomic DDL), it stops and names the statement. Check it by hand,
then record the answer: --applied counts the statement as done and `up` goes on after it,
--not-applied makes `up` run it. Exactly one of the two is required."
    )]
    Resolve {
        /// The statement took effect: `up` goes on after it
        #[arg(long)]
        applied: bool,
        /// The statement did not take effect: `up` runs it
        #[arg(long)]
        not_applied: bool,
        #[command(flatten)]
        lock: Lock,
    },
    #[command(
        about = "Print Rust declarations (auth_schema::table! and database!) of the database's tables",
        long_about = "\
Read the database's tables and print Rust source that declares each with auth_schema::table!
(columns with their SQL type markers, nullability and defaults; the primary key, unique keys,
indexes, and foreign keys with their ON DELETE action), and a database! of them. Declared again,
they are exactly the tables read: `plan` against them is empty. Changes nothing.

When the Auth.js tables match a stock layout (naming Kysely or SnakeCase, ids Uuid, Varchar36 or
Text, no extra columns) they are written as one schema! module `auth`, which the adapter can use,
unless --no-auth-preset is given. The history table _authjs_migrations is always left out.

A table that cannot be declared exactly (a column type no marker stores, such as numeric or an
array; no primary key; a foreign key to a table left out, or with an ON UPDATE action) is an
error naming it and why, unless --skip-unsupported leaves it out (the header lists it). What the
declarations do not hold (a partial index, a check constraint, a MySQL collation other than the
binary one) is listed in the header. SQLite stores dates, times, UUIDs and JSON as text and every
integer as integer, so they come back as Text and BigInt."
    )]
    Codegen {
        /// Only these tables (repeatable; `*` matches any run of characters; `schema.table` on PostgreSQL)
        #[arg(long, value_name = "TABLE")]
        include: Vec<String>,
        /// Leave out these tables (repeatable, patterns as --include)
        #[arg(long, value_name = "TABLE")]
        exclude: Vec<String>,
        /// PostgreSQL: read this schema (repeatable; default: the current one)
        #[arg(long, value_name = "SCHEMA")]
        schema: Vec<String>,
        /// Declare the Auth.js tables with table! even when they match a stock layout
        #[arg(long)]
        no_auth_preset: bool,
        /// Leave out the tables that cannot be declared exactly instead of failing
        #[arg(long)]
        skip_unsupported: bool,
        /// The name of the database! struct (default AppDatabase)
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        /// Write the source to FILE instead of printing it
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

// `--lock-timeout`, on every command that changes the database. (A plain comment: a doc comment
// here would become the `about` of the commands that flatten it.)
#[derive(Debug, Args)]
struct Lock {
    /// How long to wait for another migrator's lock, in seconds (default 60)
    #[arg(long, value_name = "SECS")]
    lock_timeout: Option<u64>,
}

/// The parser, with the texts that depend on `options` and on the enabled features.
fn command(options: &Options) -> clap::Command {
    let relative_sqlite = options.default_url.starts_with("sqlite://")
        && !options.default_url["sqlite://".len()..].starts_with('/');
    let enabled: Vec<&str> = [
        (cfg!(feature = "sqlite"), "sqlite"),
        (cfg!(feature = "postgres"), "postgres"),
        (cfg!(feature = "mysql"), "mysql"),
    ]
    .into_iter()
    .filter_map(|(on, f)| on.then_some(f))
    .collect();
    let footer = format!(
        "\
The database comes from --direct-url, else DIRECT_URL, else DATABASE_URL, by default (when
they are unset or empty) {url}{where_}. Through a transaction-mode pooler
(pgbouncer=true in the URL, or detected) migrate refuses to run: give it a direct URL in
DIRECT_URL or --direct-url, as Prisma's directUrl. A PostgreSQL URL may list several hosts
with target_session_attrs=read-write (libpq's form): migrate runs on the primary.
The dialect follows the URL scheme: sqlite: (feature `sqlite`), postgres: or postgresql:
(feature `postgres`), mysql: or mariadb: (feature `mysql`). This binary has: {enabled}.

Exit status: 0 on success; 1 on an error, or when `status --check` finds a migration not
applied or changed, or schema drift; 2 on a usage error or a destructive plan refused without
--allow-destructive.",
        url = options.default_url,
        where_ = if relative_sqlite {
            ", a file in the working directory"
        } else {
            ""
        },
        enabled = enabled.join(", "),
    );
    let dir = if options.write_dir.is_relative() {
        let shown = if options.write_dir.starts_with(".") {
            options.write_dir.clone()
        } else {
            Path::new(".").join(&options.write_dir)
        };
        format!("{}, in the working directory", shown.display())
    } else {
        options.write_dir.display().to_string()
    };
    Cli::command()
        .after_help(footer.clone())
        .mut_subcommands(|c| c.after_help(footer.clone()))
        .mut_subcommand("plan", |c| {
            c.mut_arg("dir", |a| {
                a.help(format!(
                    "Where --write puts the files, DIR/<dialect>/... (default: {dir})"
                ))
            })
        })
}

/// The command line, parsed.
enum Parsed {
    /// Help or version text to print, and exit 0.
    Text(String),
    /// A command to run, and the `--direct-url` given.
    Run(Command, Option<String>),
}

fn parse(args: &[String], options: &Options) -> Result<Parsed, CliError> {
    let argv = std::iter::once("migrate".to_owned()).chain(args.iter().cloned());
    let matches = match command(options).try_get_matches_from(argv) {
        Ok(m) => m,
        Err(e) => {
            return match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                    Ok(Parsed::Text(e.render().to_string()))
                }
                _ => Err(CliError::Usage(one_line(&e, args))),
            };
        }
    };
    let cli = Cli::from_arg_matches(&matches).map_err(|e| CliError::Usage(one_line(&e, args)))?;
    let command = cli.command.unwrap_or(Command::Up {
        to: None,
        dry_run: false,
        lock: Lock { lock_timeout: None },
    });
    Ok(Parsed::Run(command, cli.direct_url))
}

/// clap's message (its first paragraph, with its tips if it has any) and where to find help, on
/// one line: ``unrecognized subcommand 'stauts' (tip: a similar subcommand exists: 'status'; try
/// `--help`)``. The usage block clap adds is left out: the help has it.
fn one_line(e: &clap::Error, args: &[String]) -> String {
    let rendered = e.render().to_string();
    let message = rendered
        .lines()
        .map(str::trim)
        .take_while(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let message = message.trim_start_matches("error: ");
    let message = if message.is_empty() {
        "bad arguments"
    } else {
        message
    };
    let tips: Vec<&str> = rendered
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("tip: "))
        .collect();
    let command = args
        .first()
        .filter(|a| Cli::command().find_subcommand(a.as_str()).is_some());
    let help = match command {
        Some(c) => format!("try `{c} --help`"),
        None => "try `--help`".to_owned(),
    };
    if tips.is_empty() {
        format!("{message} ({help})")
    } else {
        format!("{message} ({}; {help})", tips.join("; "))
    }
}

/// Runs one command, writing its report to `out`; returns the exit code. `args` are the
/// arguments without the program name; `url` is the database unless they give `--direct-url`.
/// Every usage error is found before connecting to the database; `--help` and `--version` print
/// to `out` and return 0.
///
/// ```
/// use auth_migrate::cli::{self, CliError, Options};
/// use auth_schema::kysely::Schema;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
/// let mut out = Vec::new();
/// let code = cli::run::<Schema>(&args(&["up", "--help"]), "sqlite::memory:", &Options::stock(), &mut out).await;
/// assert!(matches!(code, Ok(0)));
/// assert!(String::from_utf8(out).unwrap().contains("--dry-run"));
///
/// let bad = args(&["down", "--to", "1", "--steps", "2"]);
/// let err = cli::run::<Schema>(&bad, "sqlite::memory:", &Options::stock(), &mut Vec::new()).await;
/// assert!(matches!(&err, Err(CliError::Usage(m)) if m.contains("--steps")));
/// assert_eq!(err.unwrap_err().exit_code(), 2);
/// # }
/// ```
pub async fn run<D: Database>(
    args: &[String],
    url: &str,
    options: &Options,
    out: &mut dyn Write,
) -> Result<u8, CliError> {
    // Parse everything before connecting, so usage errors never wait on a server.
    let (command, direct_url) = match parse(args, options)? {
        Parsed::Text(text) => {
            write!(out, "{text}")?;
            return Ok(0);
        }
        Parsed::Run(c, direct_url) => (c, direct_url),
    };
    let url = direct_url.as_deref().unwrap_or(url);
    let lock_timeout = match &command {
        Command::Up { lock, .. }
        | Command::Down { lock, .. }
        | Command::Baseline { lock, .. }
        | Command::Resolve { lock, .. } => lock.lock_timeout,
        Command::Status { .. } | Command::Plan { .. } | Command::Codegen { .. } => None,
    };
    if let Command::Codegen {
        name: Some(name), ..
    } = &command
        && !(name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    {
        return Err(CliError::Usage(format!(
            "--name {name}: expected a Rust type name such as AppDatabase (try `codegen --help`)"
        )));
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
    let mut migrator = Migrator::for_schema::<D>(migrations);
    if let Some(secs) = lock_timeout {
        migrator = migrator.lock_timeout(std::time::Duration::from_secs(secs));
    }
    let result = async {
        match command {
            Command::Status { check } => status::<D>(&db, &migrator, check, out).await,
            Command::Up { to, dry_run, .. } => {
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
            Command::Down {
                to, steps, dry_run, ..
            } => {
                let target = match (to, steps) {
                    (Some(v), _) => DownTarget::To(v),
                    (None, Some(n)) => DownTarget::Steps(usize::try_from(n).unwrap_or(usize::MAX)),
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
            Command::Plan {
                write,
                dir,
                allow_destructive,
            } => {
                let plan = crate::plan::<D>(&db).await?;
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
                let counts = |r: Risk| plan.changes.iter().filter(|c| plan.risk_of(c) == r).count();
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
                    let dir = dir.unwrap_or_else(|| options.write_dir.clone());
                    let (version, files) =
                        crate::writer::write(&dir, &plan, &name, migrator.latest())?;
                    writeln!(out, "wrote migration {version:04}_{name}:")?;
                    for f in files {
                        writeln!(out, "  {}", f.display())?;
                    }
                }
                Ok(0)
            }
            Command::Codegen {
                include,
                exclude,
                schema,
                no_auth_preset,
                skip_unsupported,
                name,
                out: file,
            } => {
                let options = crate::CodegenOptions {
                    include,
                    exclude,
                    pg_schemas: schema,
                    auth_preset: !no_auth_preset,
                    skip_unsupported,
                    database_name: name.unwrap_or_else(|| "AppDatabase".into()),
                };
                let source = crate::codegen(&db, &options).await?;
                match file {
                    Some(path) => {
                        std::fs::write(&path, &source)
                            .map_err(|e| Error::io("write", &path, e))?;
                        writeln!(out, "wrote {}", path.display())?;
                    }
                    None => write!(out, "{source}")?,
                }
                Ok(0)
            }
            Command::Resolve { applied, .. } => {
                let (label, index) = migrator.resolve(&db, applied).await?;
                writeln!(
                    out,
                    "recorded statement {index} of {label} as {}: run `up` to go on",
                    if applied { "applied" } else { "not applied" }
                )?;
                Ok(0)
            }
            Command::Baseline { version: v, .. } => {
                let labels = migrator.baseline(&db, v).await?;
                for l in &labels {
                    writeln!(out, "recorded {l} as applied (baseline)")?;
                }
                let plan = crate::plan::<D>(&db).await?;
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
        }
    }
    .await;
    db.close().await;
    result
}

async fn status<D: Database>(
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
    let plan = crate::plan::<D>(db).await?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    fn parsed(a: &[&str]) -> Command {
        match parse(&args(a), &Options::stock()) {
            Ok(Parsed::Run(c, _)) => c,
            Ok(Parsed::Text(t)) => panic!("{a:?}: text {t}"),
            Err(e) => panic!("{a:?}: {e}"),
        }
    }

    fn usage(a: &[&str]) -> String {
        match parse(&args(a), &Options::stock()) {
            Err(e @ CliError::Usage(_)) => {
                assert_eq!(e.exit_code(), 2);
                e.to_string()
            }
            Err(e) => panic!("{a:?}: {e}"),
            Ok(_) => panic!("{a:?} parsed"),
        }
    }

    fn text(a: &[&str]) -> String {
        match parse(&args(a), &Options::stock()) {
            Ok(Parsed::Text(t)) => t,
            _ => panic!("{a:?}: no text"),
        }
    }

    /// The text with its line breaks and indents as single spaces, to search for phrases.
    fn flat(t: &str) -> String {
        t.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn the_parser_is_consistent() {
        command(&Options::stock()).debug_assert();
    }

    #[test]
    fn values_with_and_without_equals() {
        for a in [&["up", "--to=2"][..], &["up", "--to", "2"]] {
            assert!(matches!(
                parsed(a),
                Command::Up {
                    to: Some(2),
                    dry_run: false,
                    ..
                }
            ));
        }
        assert!(matches!(
            parsed(&["down", "--steps=3", "--dry-run", "--lock-timeout=5"]),
            Command::Down {
                to: None,
                steps: Some(3),
                dry_run: true,
                lock: Lock {
                    lock_timeout: Some(5)
                }
            }
        ));
        assert!(matches!(
            parsed(&["baseline", "--version", "2"]),
            Command::Baseline { version: 2, .. }
        ));
        assert!(matches!(
            parsed(&["plan", "--write=add_x", "--dir", "db", "--allow-destructive"]),
            Command::Plan { write: Some(w), dir: Some(d), allow_destructive: true } if w == "add_x" && d == Path::new("db")
        ));
        assert!(matches!(
            parsed(&["codegen", "--include", "a*", "--include=b", "--exclude", "c", "--schema=app", "--out", "x.rs", "--no-auth-preset"]),
            Command::Codegen { include, exclude, schema, no_auth_preset: true, skip_unsupported: false, name: None, out: Some(o) }
                if include == ["a*", "b"] && exclude == ["c"] && schema == ["app"] && o == Path::new("x.rs")
        ));
        // No command is `up`.
        assert!(matches!(
            parsed(&[]),
            Command::Up {
                to: None,
                dry_run: false,
                lock: Lock { lock_timeout: None }
            }
        ));
    }

    #[test]
    fn lock_timeout_on_every_command_that_changes_the_database() {
        for c in ["up", "down", "baseline --version 1", "resolve --applied"] {
            let mut a: Vec<&str> = c.split(' ').collect();
            a.extend(["--lock-timeout", "7"]);
            let lock = match parsed(&a) {
                Command::Up { lock, .. }
                | Command::Down { lock, .. }
                | Command::Baseline { lock, .. }
                | Command::Resolve { lock, .. } => lock,
                other => panic!("{other:?}"),
            };
            assert_eq!(lock.lock_timeout, Some(7), "{c}");
        }
        for c in ["status", "plan"] {
            assert!(usage(&[c, "--lock-timeout", "7"]).contains("--lock-timeout"));
        }
    }

    #[test]
    fn resolve_takes_exactly_one_answer() {
        assert!(matches!(
            parsed(&["resolve", "--applied"]),
            Command::Resolve {
                applied: true,
                not_applied: false,
                ..
            }
        ));
        assert!(matches!(
            parsed(&["resolve", "--not-applied"]),
            Command::Resolve {
                applied: false,
                not_applied: true,
                ..
            }
        ));
        assert!(usage(&["resolve"]).contains("--applied"));
        assert!(usage(&["resolve", "--applied", "--not-applied"]).contains("cannot be used with"));
    }

    #[test]
    fn usage_errors_are_one_line_with_a_hint() {
        let cases: [(&[&str], &str); 9] = [
            (&["frobnicate"], "frobnicate"),
            (&["stauts"], "'status'"),
            (&["down", "--to", "1", "--steps", "2"], "--steps"),
            (&["baseline"], "--version <V>"),
            (&["up", "--to", "x"], "'x'"),
            (&["up", "--to", "-1"], "-1"),
            (&["up", "--lock-timeout"], "--lock-timeout"),
            (&["plan", "--dir", "x"], "--write"),
            (&["up", "--dryrun"], "--dry-run"),
        ];
        for (a, needle) in cases {
            let m = usage(a);
            assert!(!m.contains('\n'), "{m}");
            assert!(m.contains(needle), "{a:?}: {m}");
            assert!(m.ends_with("--help`)"), "{m}");
            assert!(!m.starts_with("error"), "{m}");
            assert!(!m.contains("Usage:"), "{m}");
        }
        assert!(usage(&["down", "--to", "1", "--steps", "2"]).ends_with("(try `down --help`)"));
        assert!(usage(&["frobnicate"]).ends_with("(try `--help`)"));
    }

    #[test]
    fn help_keeps_every_explanation() {
        let top = flat(&text(&["--help"]));
        for needle in [
            "DATABASE_URL",
            "sqlite://authjs.db?mode=rwc, a file in the working directory",
            "sqlite: (feature `sqlite`)",
            "postgres: or postgresql: (feature `postgres`)",
            "mysql: or mariadb: (feature `mysql`)",
            "Exit status: 0 on success; 1 on an error",
            "2 on a usage error or a destructive plan refused",
            "baseline --version V",
        ] {
            assert!(top.contains(needle), "{needle}\n{top}");
        }
        // The synopsis names every option of every command.
        for c in Cli::command().get_subcommands() {
            for a in c.get_arguments() {
                if let Some(long) = a.get_long() {
                    assert!(
                        top.contains(&format!("--{long}")),
                        "--{long} of {}",
                        c.get_name()
                    );
                }
            }
        }
        let explanations: [(&str, &[&str]); 7] = [
            (
                "status",
                &[
                    "applied, applied (baseline), pending",
                    "MODIFIED",
                    "MISSING",
                    "PARTIAL",
                    "drifted",
                    "--check",
                    "Exit 1 unless",
                ],
            ),
            (
                "up",
                &[
                    "pending migration",
                    "--to <V>",
                    "--dry-run",
                    "change nothing",
                    "--lock-timeout <SECS>",
                    "(default 60)",
                    "without a command",
                ],
            ),
            (
                "down",
                &[
                    "newest",
                    "--steps <N>",
                    "(default 1)",
                    "--to 0 reverts all",
                    "irreversible",
                ],
            ),
            (
                "plan",
                &[
                    "safe, data-dependent or destructive",
                    "RENAME COLUMN",
                    "created after the tables they reference",
                    "refused, with exit status 2",
                    "--allow-destructive",
                    "--write <NAME>",
                    "all three dialects",
                    "default: ./migrations, in the working directory",
                ],
            ),
            (
                "baseline",
                &[
                    "Kysely or Prisma",
                    "without running them",
                    "`plan` then shows what differs",
                ],
            ),
            (
                "codegen",
                &[
                    "auth_schema::table!",
                    "database!",
                    "`plan` against them is empty",
                    "stock layout",
                    "--no-auth-preset",
                    "--skip-unsupported",
                    "--include <TABLE>",
                    "--exclude <TABLE>",
                    "--schema <SCHEMA>",
                    "--out <FILE>",
                    "_authjs_migrations",
                    "is an error naming it",
                ],
            ),
            (
                "resolve",
                &[
                    "MySQL",
                    "names the statement",
                    "--applied",
                    "--not-applied",
                    "Exactly one",
                    "--lock-timeout",
                ],
            ),
        ];
        for (c, needles) in explanations {
            let help = flat(&text(&[c, "--help"]));
            assert_eq!(help, flat(&text(&["help", c])));
            for needle in needles.iter().chain(&["DATABASE_URL", "Exit status"]) {
                assert!(help.contains(needle), "{c}: {needle}\n{help}");
            }
        }
        assert!(text(&["--version"]).contains(env!("CARGO_PKG_VERSION")));
        assert!(text(&["-V"]).contains(env!("CARGO_PKG_VERSION")));
    }

    #[test]
    fn help_shows_the_options_in_use() {
        let options = Options {
            write_dir: PathBuf::from("/srv/app/migrations"),
            default_url: "postgres://localhost/app".into(),
            ..Options::stock()
        };
        let help = match parse(&args(&["plan", "--help"]), &options) {
            Ok(Parsed::Text(t)) => t,
            _ => panic!(),
        };
        assert!(help.contains("(default: /srv/app/migrations)"), "{help}");
        assert!(help.contains(" postgres://localhost/app."), "{help}");
    }

    #[test]
    fn errors_display_on_one_line_and_chain() {
        let e = CliError::Run(Error::Db {
            message: "a\nb".into(),
            source: None,
        });
        assert_eq!(e.to_string(), "database error: a b");
        assert_eq!(e.exit_code(), 1);
        let source = std::error::Error::source(&e).expect("source");
        assert_eq!(source.to_string(), "database error: a\nb");
        assert_eq!(CliError::Run(Error::Destructive("x".into())).exit_code(), 2);
        let u = CliError::Usage("bad (try `--help`)".into());
        assert!(std::error::Error::source(&u).is_none());
        assert_eq!(u.to_string(), "bad (try `--help`)");
    }
}
