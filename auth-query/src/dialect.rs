//! The three dialects as zero-sized types, and the capabilities that differ between them.
//!
//! Dialects always exist, whatever features are enabled: SQL compiles for every dialect, and
//! only execution needs the driver feature. A capability a dialect lacks is a compile error at
//! the method that needs it, with a message that names the workaround.

use auth_schema::Backend;

/// A SQL dialect.
///
/// ```
/// use auth_query::{Dialect, MySql, Postgres, Sqlite};
/// use auth_schema::Backend;
/// assert_eq!(Postgres::BACKEND, Backend::Postgres);
/// assert_eq!(MySql::BACKEND, Backend::MySql);
/// assert_eq!(Sqlite::BACKEND, Backend::Sqlite);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a SQL dialect",
    label = "expected `Postgres`, `MySql` or `Sqlite`"
)]
pub trait Dialect:
    Copy + Default + Send + Sync + core::fmt::Debug + 'static + crate::sealed::Dialect
{
    /// The run-time tag, used by the non-generic SQL building code.
    const BACKEND: Backend;
}

/// PostgreSQL.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Postgres;
/// MySQL and MariaDB.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct MySql;
/// SQLite.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Sqlite;

impl crate::sealed::Dialect for Postgres {}
impl crate::sealed::Dialect for MySql {}
impl crate::sealed::Dialect for Sqlite {}

impl Dialect for Postgres {
    const BACKEND: Backend = Backend::Postgres;
}
impl Dialect for MySql {
    const BACKEND: Backend = Backend::MySql;
}
impl Dialect for Sqlite {
    const BACKEND: Backend = Backend::Sqlite;
}

/// Dialects with `INSERT/UPDATE/DELETE ... RETURNING`.
#[diagnostic::on_unimplemented(
    message = "the `{Self}` dialect does not support `RETURNING`",
    label = "`returning` needs Postgres or SQLite",
    note = "on MySQL, run the statement and then select the row by its key, in one transaction (auth-adapter does this)"
)]
pub trait SupportsReturning: Dialect {}
impl SupportsReturning for Postgres {}
impl SupportsReturning for Sqlite {}

/// Dialects with `ON CONFLICT (target) DO ...`.
#[diagnostic::on_unimplemented(
    message = "the `{Self}` dialect does not support `ON CONFLICT` with a conflict target",
    label = "`on_conflict` needs Postgres or SQLite",
    note = "on MySQL use `on_duplicate_key_update`, which fires on any unique key"
)]
pub trait SupportsConflictTarget: Dialect {}
impl SupportsConflictTarget for Postgres {}
impl SupportsConflictTarget for Sqlite {}

/// Dialects with `ON DUPLICATE KEY UPDATE`.
#[diagnostic::on_unimplemented(
    message = "the `{Self}` dialect does not support `ON DUPLICATE KEY UPDATE`",
    label = "`on_duplicate_key_update` is MySQL's upsert",
    note = "on Postgres and SQLite use `on_conflict(target)`"
)]
pub trait SupportsDuplicateKeyUpdate: Dialect {}
impl SupportsDuplicateKeyUpdate for MySql {}

/// Dialects with row locks (`FOR UPDATE`, `FOR SHARE`, `SKIP LOCKED`, `NOWAIT`).
#[diagnostic::on_unimplemented(
    message = "the `{Self}` dialect has no row locks",
    label = "`for_update` / `for_share` need Postgres or MySQL",
    note = "SQLite locks the whole database for a write transaction (`BEGIN IMMEDIATE`); sea-query would silently drop the clause"
)]
pub trait SupportsRowLocks: Dialect {}
impl SupportsRowLocks for Postgres {}
impl SupportsRowLocks for MySql {}

/// Dialects with `NULLS FIRST` / `NULLS LAST` in ORDER BY.
#[diagnostic::on_unimplemented(
    message = "the `{Self}` dialect has no `NULLS FIRST` / `NULLS LAST`",
    label = "`nulls_first` / `nulls_last` need Postgres or SQLite",
    note = "MySQL sorts NULLs first in ascending order and last in descending order"
)]
pub trait SupportsNullsOrder: Dialect {}
impl SupportsNullsOrder for Postgres {}
impl SupportsNullsOrder for Sqlite {}

/// Dialects that take LIMIT (or OFFSET) in a correlated `IN` subquery. MySQL and MariaDB refuse
/// LIMIT in any `IN` subquery ("doesn't yet support 'LIMIT & IN/ALL/ANY/SOME subquery'"); an
/// uncorrelated one is wrapped in a derived table there, which a correlated one cannot be (its
/// outer columns are not visible inside a derived table on MariaDB).
#[diagnostic::on_unimplemented(
    message = "the `{Self}` dialect has no LIMIT or OFFSET in a correlated IN subquery",
    label = "this correlated subquery has a LIMIT or OFFSET",
    note = "MySQL and MariaDB refuse it: drop the limit, or test the rows with `exists(...)` instead of `in_sub`"
)]
pub trait SupportsLimitInCorrelatedIn: Dialect {}
impl SupportsLimitInCorrelatedIn for Postgres {}
impl SupportsLimitInCorrelatedIn for Sqlite {}

/// Dialects that lock the rows of a LEFT JOIN's nullable side. PostgreSQL refuses `FOR UPDATE`
/// / `FOR SHARE` there ("cannot be applied to the nullable side of an outer join").
#[diagnostic::on_unimplemented(
    message = "the `{Self}` dialect cannot lock the rows of a left-joined table",
    label = "this query has a LEFT JOIN",
    note = "PostgreSQL refuses FOR UPDATE / FOR SHARE on the nullable side of an outer join: lock with an `inner_join`, or in a query of the tables to lock"
)]
pub trait SupportsLockingLeftJoins: Dialect {}
impl SupportsLockingLeftJoins for MySql {}
