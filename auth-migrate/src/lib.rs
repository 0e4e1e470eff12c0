//! Migrations for the Auth.js tables and your own: a runner for versioned, checksummed SQL, a
//! planner that diffs a live database against the tables declared in Rust, and code generation
//! of those declarations from a live database.
//!
//! - [`Migrator`] applies the migrations of one dialect under a cross-process lock (an advisory
//!   lock on PostgreSQL, `GET_LOCK` on MySQL, `BEGIN IMMEDIATE` on SQLite) and records them in the
//!   history table `_authjs_migrations`. Each migration runs in one transaction on PostgreSQL and
//!   SQLite; on MySQL, where DDL commits implicitly, progress is recorded per statement so that a
//!   failed migration is seen as partial and resumed, never skipped.
//! - [`plan()`] reads the database's catalogs ([`introspect`]), compares them with the tables
//!   of a [`Database`](auth_schema::Database) (an [`AuthSchema`](auth_schema::AuthSchema)'s five
//!   tables, or any set from [`database!`](auth_schema::database)) and returns ordered changes,
//!   each tagged [`Risk::Safe`], [`Risk::DataDependent`] or [`Risk::Destructive`], rendered for
//!   every dialect.
//! - [`codegen()`] writes the `table!` and `database!` declarations of a live database's tables.
//! - [`migration::stock`] holds the migrations shipped for `auth_schema::kysely::Schema`; the first
//!   one is what the planner produces on an empty database.
//! - [`cli`] is the command line of `cargo run --example migrate`, usable from your own binary
//!   with your own tables.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod checksum;
pub mod codegen;
pub mod migration;
pub mod model;
pub mod plan;
pub mod writer;

#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
pub mod cli;
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
mod db;
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
mod history;
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
pub mod introspect;
#[cfg(feature = "postgres")]
mod pooler;
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
mod recovery;
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
mod runner;

pub use codegen::CodegenOptions;
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
pub use codegen::codegen;
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
pub use db::{Db, backend_of_url};
pub use migration::Migration;
pub use plan::{Change, Plan, RenameOffer, Risk};
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
pub use plan::{plan, plan_tables};
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
pub use runner::{
    Applied, DownTarget, MigrationState, Migrator, Reverted, Status, StatusEntry, UpReport,
};

/// The history table.
pub const HISTORY_TABLE: &str = "_authjs_migrations";

pub(crate) static STOCK: &[(&str, i64, &str, &str, Option<&str>)] =
    include!(concat!(env!("OUT_DIR"), "/stock.rs"));

/// The cause kept in an [`Error`]: a `sqlx::Error` when the database or the connection raised
/// it, a `std::io::Error` for a file.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What went wrong. Every message is one line that names the migration or object involved;
/// the driver's error, when there is one, is the [`source`](std::error::Error::source) (see
/// [`Error::sqlx_error`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A bad URL, a dialect whose feature is not enabled, a bad argument.
    #[error("{0}")]
    Config(String),
    /// The database could not be reached.
    #[error("{message}")]
    Connect {
        /// What could not be reached, and the driver's message.
        message: String,
        /// The driver's error.
        #[source]
        source: BoxError,
    },
    /// A database error outside a migration.
    #[error("database error: {message}")]
    Db {
        /// The database's message.
        message: String,
        /// The driver's error, if the driver raised this one.
        #[source]
        source: Option<BoxError>,
    },
    /// An applied migration's file changed.
    #[error(
        "migration {label} was modified after it was applied (checksum {recorded} in the database, {file} in the file): restore the file, or write a new migration"
    )]
    Modified {
        /// `0001_auth_schema`.
        label: String,
        /// The recorded checksum.
        recorded: String,
        /// The file's checksum.
        file: String,
    },
    /// The history holds a version this binary does not ship.
    #[error("migration {0} is recorded in the database but not shipped with this binary")]
    Missing(String),
    /// A pending migration is older than an applied one.
    #[error(
        "migration {pending} is pending but {applied} is already applied: migrations must be added in order"
    )]
    OutOfOrder {
        /// The pending one.
        pending: String,
        /// The newest applied one.
        applied: String,
    },
    /// A statement of a migration failed.
    #[error(
        "migration {label} failed at statement {index} of {total}: {message} (statement: {sql})"
    )]
    Failed {
        /// The migration.
        label: String,
        /// 1-based index of the failing statement.
        index: usize,
        /// Statements in the migration.
        total: usize,
        /// The database's message.
        message: String,
        /// The statement.
        sql: String,
        /// The driver's error (its SQLSTATE, the constraint).
        #[source]
        source: BoxError,
    },
    /// A partially applied migration (MySQL) cannot be resumed as it stands.
    #[error(
        "migration {label} is partially applied ({applied} of {total} statements) and {reason}"
    )]
    Partial {
        /// The migration.
        label: String,
        /// Statements already applied.
        applied: i64,
        /// Statements in the recorded run.
        total: i64,
        /// Why it cannot be resumed.
        reason: String,
    },
    /// The lock was not obtained in time.
    #[error("could not take the migration lock within {0} s: another migrator is running")]
    LockTimeout(u64),
    /// `up` on a database that has the tables but no history: the tables, and the newest
    /// migration version to baseline at.
    #[error(
        "the database already has declared tables ({0}) but no migration history: adopt it with `baseline --version {1}`, then `plan` shows what differs"
    )]
    NotBaselined(String, i64),
    /// A down script is missing or marked irreversible.
    #[error("migration {0} cannot be reverted: {1}")]
    Irreversible(String, String),
    /// Destructive changes without the allow flag.
    #[error("the plan has destructive changes, refused without --allow-destructive: {0}")]
    Destructive(String),
    /// `PRAGMA foreign_key_check` found violations after a rebuild.
    #[error("migration {0} left foreign key violations; rolled back")]
    ForeignKeyViolation(String),
    /// Introspection failed.
    #[error("introspection failed: {message}")]
    Introspect {
        /// What failed.
        message: String,
        /// The driver's error, if the driver raised this one.
        #[source]
        source: Option<BoxError>,
    },
    /// Reading or writing migration files failed.
    #[error("{message}")]
    Io {
        /// Which file, and what happened.
        message: String,
        /// The I/O error, if there was one.
        #[source]
        source: Option<std::io::Error>,
    },
    /// `codegen` found tables it cannot declare exactly: each one and why.
    #[error("cannot generate exact declarations: {0}")]
    Codegen(String),
}

impl Error {
    /// The driver's error behind this one, if the database or the connection raised it.
    ///
    /// ```no_run
    /// # #[cfg(feature = "postgres")]
    /// # fn demo(e: auth_migrate::Error) {
    /// if let Some(db) = e.sqlx_error().and_then(|e| e.as_database_error()) {
    ///     println!("SQLSTATE {:?}", db.code());
    /// }
    /// # }
    /// ```
    #[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
    pub fn sqlx_error(&self) -> Option<&sqlx::Error> {
        let mut next = std::error::Error::source(self);
        while let Some(e) = next {
            if let Some(sqlx) = e.downcast_ref::<sqlx::Error>() {
                return Some(sqlx);
            }
            next = e.source();
        }
        None
    }

    /// An I/O error on `path`, while doing `what` (`read`, `write`, `create`).
    pub(crate) fn io(what: &str, path: &std::path::Path, e: std::io::Error) -> Self {
        Error::Io {
            message: format!("cannot {what} {}: {e}", path.display()),
            source: Some(e),
        }
    }
}

/// The text of an error, on one line.
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
pub(crate) fn one_line(e: &impl std::fmt::Display) -> String {
    e.to_string().trim().replace(['\r', '\n'], " ")
}

#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Error::Db {
            message: one_line(&e),
            source: Some(Box::new(e)),
        }
    }
}
