//! Migrations for the Auth.js tables: a runner for versioned, checksummed SQL and a planner that
//! diffs a live database against the schema declared in Rust.
//!
//! - [`Migrator`] applies the migrations of one dialect under a cross-process lock (an advisory
//!   lock on PostgreSQL, `GET_LOCK` on MySQL, `BEGIN IMMEDIATE` on SQLite) and records them in the
//!   history table `_authjs_migrations`. Each migration runs in one transaction on PostgreSQL and
//!   SQLite; on MySQL, where DDL commits implicitly, progress is recorded per statement so that a
//!   failed migration is seen as partial and resumed, never skipped.
//! - [`plan()`] introspects the database (through `sea-schema`), compares it with the tables of an
//!   [`AuthSchema`](auth_schema::AuthSchema) and returns ordered changes, each tagged
//!   [`Risk::Safe`], [`Risk::DataDependent`] or [`Risk::Destructive`], rendered for every dialect.
//! - [`migration::stock`] holds the migrations shipped for `auth_schema::kysely::Schema`; the first
//!   one is what the planner produces on an empty database.
//! - [`cli`] is the command line of `cargo run --example migrate`, usable from your own binary
//!   with your own schema.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod checksum;
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
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
mod recovery;
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
mod runner;

#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
pub use db::{Db, backend_of_url};
pub use migration::Migration;
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
pub use plan::plan;
pub use plan::{Change, Plan, Risk};
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
pub use runner::{
    Applied, DownTarget, MigrationState, Migrator, Reverted, Status, StatusEntry, UpReport,
};

/// The history table.
pub const HISTORY_TABLE: &str = "_authjs_migrations";

pub(crate) static STOCK: &[(&str, i64, &str, &str, Option<&str>)] =
    include!(concat!(env!("OUT_DIR"), "/stock.rs"));

/// What went wrong. Every message is one line that names the migration or object involved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A bad URL, a dialect whose feature is not enabled, a bad argument.
    #[error("{0}")]
    Config(String),
    /// The database could not be reached.
    #[error("{0}")]
    Connect(String),
    /// A database error outside a migration.
    #[error("database error: {0}")]
    Db(String),
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
        "the database already has Auth.js tables ({0}) but no migration history: adopt it with `baseline --version {1}`, then `plan` shows what differs"
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
    #[error("introspection failed: {0}")]
    Introspect(String),
    /// Writing migration files failed.
    #[error("{0}")]
    Io(String),
}

#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Error::Db(e.to_string().replace('\n', " "))
    }
}
