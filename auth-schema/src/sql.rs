//! SQL type markers: what a column *is* for the type checker.
//!
//! These types exist only at compile time. They decide which values may be compared with or
//! assigned to a column; how the column is stored on each dialect is [`ColumnType`](crate::ColumnType).
//!
//! ```
//! use auth_schema::sql::{self, SqlType};
//! assert!(!<sql::Text as SqlType>::NULLABLE);
//! assert!(<sql::Nullable<sql::Text> as SqlType>::NULLABLE);
//! ```

use core::marker::PhantomData;

use crate::column::{ColumnType, IdType};

/// A SQL type known to the query builder.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a SQL type of auth-schema",
    label = "expected one of `sql::Text`, `sql::Uuid`, `sql::BigInt`, `sql::Bool`, `sql::Timestamp` or `sql::Nullable<_>`"
)]
pub trait SqlType: Send + Sync + 'static {
    /// Whether the column accepts NULL.
    const NULLABLE: bool;
    /// The same type without `Nullable`.
    type NotNull: SqlType;
    /// The Rust type a column of this SQL type decodes to.
    type Rust: crate::value::FromValue + crate::value::IntoValue + Clone + Send + Sync + 'static;
    /// How an extra column of this SQL type is stored.
    const COLUMN_TYPE: ColumnType;
}

macro_rules! sql_types {
    ($($(#[$m:meta])* $name:ident => $rust:ty, $ty:expr;)*) => {$(
        $(#[$m])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
        pub struct $name;
        impl SqlType for $name {
            const NULLABLE: bool = false;
            type NotNull = $name;
            type Rust = $rust;
            const COLUMN_TYPE: ColumnType = $ty;
        }
    )*};
}

sql_types! {
    /// Character data (`text`, or `varchar(255)`/`TEXT` on MySQL).
    Text => String, ColumnType::Text;
    /// A UUID held as a string in Rust (native `uuid` on Postgres, text elsewhere).
    Uuid => String, ColumnType::Id(IdType::Uuid);
    /// A 64-bit integer.
    BigInt => i64, ColumnType::BigInt;
    /// A boolean (`TINYINT(1)` on MySQL, 0/1 on SQLite).
    Bool => bool, ColumnType::Bool;
    /// A UTC instant with millisecond precision.
    Timestamp => chrono::DateTime<chrono::Utc>, ColumnType::Timestamp;
}

/// A column that may hold NULL. Only such columns have `is_null()`, and they decode as `Option`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Nullable<ST>(PhantomData<ST>);

impl<ST: SqlType<NotNull = ST>> SqlType for Nullable<ST> {
    const NULLABLE: bool = true;
    type NotNull = ST;
    type Rust = Option<ST::Rust>;
    const COLUMN_TYPE: ColumnType = ST::COLUMN_TYPE;
}
