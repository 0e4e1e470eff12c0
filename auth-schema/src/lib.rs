//! The Auth.js tables as typed Rust.
//!
//! Every table and column is a zero-sized type that carries its SQL type, Rust type,
//! nullability, default and physical name ([`Table`], [`Column`]). Row structs ([`User`],
//! [`Account`], ...) use Auth.js's JSON field names under serde. [`ddl`] renders `CREATE TABLE`
//! for Postgres, MySQL and SQLite.
//!
//! Two schemas come ready-made: [`kysely`] (the names `@auth/kysely-adapter` uses) and
//! [`snake_case`]. Declare your own with [`schema!`] to rename tables or columns, qualify them
//! with a Postgres schema, pick the id type, or add typed columns with [`extra_columns!`].
//!
//! ```
//! use auth_schema::{kysely::user, Column, Table};
//! assert_eq!(user::table::INFO.name, "User");
//! assert_eq!(<user::email_verified as Column>::INFO.name, "emailVerified");
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
mod column;
mod contract;
mod database;
pub mod ddl;
pub mod keys;
mod macros;
pub mod naming;
mod row;
pub mod slots;
pub mod sql;
mod tables;
mod value;

pub use column::{
    Column, ColumnDefault, ColumnInfo, ColumnType, DistinctFrom, FkAction, ForeignKeyInfo, IdType,
    Table, TableInfo,
};
pub use contract::{
    AccountTable, AuthSchema, AuthenticatorTable, BelongsToUser, IdSql, SessionTable,
    UserIdMatches, UserTable, VerificationTokenTable,
};
pub use database::{Database, creation_order};
pub use ddl::Backend;
pub use row::{
    Account, Authenticator, Extras, Insertable, NewUser, NoExtras, Row, Session, User,
    VerificationToken,
};
pub use tables::{kysely, snake_case};
pub use value::{DecodeError, FromValue, IntoValue, Json, RowReader, Value};
