//! Tables and columns as zero-sized types, and the runtime description each one carries.

use crate::row::Row;
use crate::sql::SqlType;

/// How an id column is stored. Ids are always strings in Rust, as in Auth.js.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdType {
    /// Native `uuid` on Postgres; `varchar(36)` on MySQL; `text` on SQLite (the Kysely adapter's choice).
    Uuid,
    /// `varchar(36)` on every dialect.
    Varchar36,
    /// `text` (`varchar(255)` on MySQL, which cannot index `TEXT`).
    Text,
}

/// How a column is stored: the per-dialect SQL type used in DDL, binding and decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnType {
    /// A user id or a reference to one.
    Id(IdType),
    /// Short text: `text`, `varchar(255)` on MySQL.
    Text,
    /// Text that may be long, such as OAuth tokens: `text`, `TEXT` on MySQL.
    LongText,
    /// `bigint`.
    BigInt,
    /// `boolean`.
    Bool,
    /// `timestamptz`, `DATETIME(3)` on MySQL, ISO-8601 text on SQLite.
    Timestamp,
}

/// A database-side default value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnDefault {
    /// A fresh random UUID (`gen_random_uuid()`, `(UUID())`; none on SQLite).
    RandomUuid,
    /// A fixed text value.
    Text(&'static str),
    /// A fixed integer value.
    Int(i64),
    /// A fixed boolean value.
    Bool(bool),
}

/// The runtime description of a column, used for DDL, binding and decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnInfo {
    /// The physical column name.
    pub name: &'static str,
    /// The Auth.js field name (the serde name in row structs).
    pub field: &'static str,
    /// How the column is stored.
    pub ty: ColumnType,
    /// Whether NULL is allowed.
    pub nullable: bool,
    /// The database default, if any.
    pub default: Option<ColumnDefault>,
}

/// A foreign key from a table to the user table, always `ON DELETE CASCADE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForeignKeyInfo {
    /// The referencing column (physical name).
    pub column: &'static str,
    /// The referenced table (physical name).
    pub ref_table: &'static str,
    /// The referenced column (physical name).
    pub ref_column: &'static str,
}

/// The runtime description of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableInfo {
    /// The physical table name.
    pub name: &'static str,
    /// The Auth.js model name (`User`, `Account`, ...).
    pub model: &'static str,
    /// The Postgres schema that qualifies the table, if any. Ignored by MySQL and SQLite.
    pub postgres_schema: Option<&'static str>,
    /// The standard Auth.js columns, in row order.
    pub columns: &'static [ColumnInfo],
    /// Extra columns of a custom schema, which follow the standard ones in a row.
    pub extras: &'static [ColumnInfo],
    /// The primary key columns.
    pub primary_key: &'static [&'static str],
    /// Unique keys other than the primary key.
    pub unique: &'static [&'static [&'static str]],
    /// Non-unique indexes.
    pub indexes: &'static [&'static [&'static str]],
    /// Foreign keys.
    pub foreign_keys: &'static [ForeignKeyInfo],
}

impl TableInfo {
    /// Every column in row order: the standard ones, then the extras.
    pub fn all_columns(&self) -> impl Iterator<Item = &'static ColumnInfo> + use<> {
        self.columns.iter().chain(self.extras.iter())
    }
}

/// A table: a zero-sized type that names a table and knows its row type.
///
/// ```
/// use auth_schema::{kysely::user, Table};
/// assert_eq!(user::table::INFO.name, "User");
/// assert_eq!(auth_schema::snake_case::user::table::INFO.name, "user");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a table of an auth-schema schema",
    label = "expected a table such as `user::table`"
)]
pub trait Table: Copy + Default + Send + Sync + 'static {
    /// Its description.
    const INFO: TableInfo;
    /// The row struct a whole-table selection decodes to.
    type Row: Row;
}

/// A column: a zero-sized type that carries its table, SQL type, Rust type and name.
///
/// ```
/// use auth_schema::{kysely::user, Column, ColumnType};
/// assert_eq!(<user::email_verified as Column>::INFO.name, "emailVerified");
/// assert_eq!(<user::email_verified as Column>::INFO.ty, ColumnType::Timestamp);
/// assert!(<user::email_verified as Column>::INFO.nullable);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column of an auth-schema table",
    label = "expected a column such as `user::email`"
)]
pub trait Column: Copy + Default + Send + Sync + 'static {
    /// The table it belongs to.
    type Table: Table;
    /// Its SQL type, `Nullable<_>` when it accepts NULL.
    type Sql: SqlType;
    /// The Rust type it decodes to (`Option<_>` when nullable).
    type Rust;
    /// Its description.
    const INFO: ColumnInfo;
}

/// Holds between two different tables of one schema; the schema macro declares every pair.
///
/// The query builder requires it to join a table, so joining a table twice does not compile
/// (that error names the query's scope, through `NotInScope`). [`AuthSchema`](crate::AuthSchema)
/// requires it between the user table and the tables that reference it, which is where this
/// message shows: a schema that mixes tables of two `schema!` modules.
#[diagnostic::on_unimplemented(
    message = "`{Self}` and `{T}` are not declared as different tables",
    label = "`schema!` declares this between the tables of one module, not across modules",
    note = "when an `AuthSchema` mixes tables of two `schema!` modules, add `impl DistinctFrom<{T}> for {Self} {{}}` and the reverse"
)]
pub trait DistinctFrom<T: Table> {}
