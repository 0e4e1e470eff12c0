//! SQL type markers: what a column *is* for the type checker.
//!
//! These types exist only at compile time. They decide which values may be compared with or
//! assigned to a column and what it decodes to; how the column is stored on each dialect is its
//! [`ColumnType`].
//!
//! | marker | PostgreSQL | MySQL / MariaDB | SQLite | Rust |
//! |---|---|---|---|---|
//! | [`SmallInt`] | `smallint` | `smallint` | `integer` | `i16` |
//! | [`Integer`] | `integer` | `int` | `integer` | `i32` |
//! | [`BigInt`] | `bigint` | `bigint` | `integer` | `i64` |
//! | [`Real`] | `real` | `float` | `real` | `f32` |
//! | [`Double`] | `double precision` | `double` | `real` | `f64` |
//! | [`Bool`] | `bool` | `bool` (`tinyint(1)`) | `boolean` (0/1) | `bool` |
//! | [`Text`] | `text` | `varchar(255)` (indexable) | `text` | `String` |
//! | [`LongText`] | `text` | `text` (64 KiB) | `text` | `String` |
//! | [`Varchar<N>`] | `varchar(N)` | `varchar(N)` | `varchar(N)` (length not enforced) | `String` |
//! | [`Timestamp`] (alias [`TimestampTz`]) | `timestamptz` | `DATETIME(3)` holding UTC | ISO-8601 text, `Z` | `DateTime<Utc>` |
//! | [`NaiveTimestamp`] | `timestamp` | `DATETIME(6)` | ISO-8601 text, no offset | `NaiveDateTime` |
//! | [`Date`] | `date` | `date` | `YYYY-MM-DD` text | `NaiveDate` |
//! | [`Time`] | `time` | `time(6)` | `HH:MM:SS.ffffff` text | `NaiveTime` |
//! | [`Uuid`] | `uuid` | `varchar(36)` | `text` | `String` (Auth.js ids) |
//! | [`Uuid<uuid::Uuid>`](Uuid) | `uuid` | `varchar(36)` | `text` | `uuid::Uuid` |
//! | [`Json<T>`](Json) (`T` = `serde_json::Value` by default) | `jsonb` | `json` | `text` | [`auth_schema::Json<T>`](crate::Json) |
//! | [`Bytes`] | `bytea` | `longblob` | `blob` | `Vec<u8>` |
//! | [`Nullable<X>`](Nullable) | X, NULL allowed | | | `Option<_>` |
//!
//! ```
//! use auth_schema::sql::{self, SqlType};
//! assert!(!<sql::Text as SqlType>::NULLABLE);
//! assert!(<sql::Nullable<sql::Text> as SqlType>::NULLABLE);
//! ```

use core::marker::PhantomData;

use crate::column::{ColumnType, IdType};
use crate::value::{FromValue, IntoValue};

/// A SQL type known to the query builder.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a SQL type of auth-schema",
    label = "expected a marker of `auth_schema::sql`, such as `sql::Text`, `sql::BigInt` or `sql::Nullable<_>`"
)]
pub trait SqlType: Send + Sync + 'static {
    /// Whether the column accepts NULL.
    const NULLABLE: bool;
    /// The same type without `Nullable`.
    type NotNull: SqlType<NotNull = Self::NotNull>;
    /// What this type compares with: types with the same `Compare` can be compared and
    /// assigned to each other (`Varchar<N>` and `LongText` compare as `Text`; `Uuid<R>` as
    /// `Uuid`), nullability aside.
    type Compare: 'static;
    /// The Rust type a column of this SQL type decodes to.
    type Rust: FromValue + IntoValue + Clone + Send + Sync + 'static;
    /// The Rust type of a literal default (`= default(...)` in [`table!`](crate::table)).
    type DefaultLit;
    /// What an insert must do about a column of this type without a default: give it
    /// ([`Req<C>`](crate::slots::Req)) when NOT NULL, nothing ([`Opt`](crate::slots::Opt)) when
    /// nullable.
    type RequiredIfNoDefault<C>;
    /// How a column of this SQL type is stored.
    const COLUMN_TYPE: ColumnType;
}

macro_rules! sql_types {
    ($($(#[$m:meta])* $name:ident => $rust:ty, $compare:ty, $lit:ty, $ty:expr;)*) => {$(
        $(#[$m])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
        pub struct $name;
        impl SqlType for $name {
            const NULLABLE: bool = false;
            type NotNull = $name;
            type Compare = $compare;
            type Rust = $rust;
            type DefaultLit = $lit;
            type RequiredIfNoDefault<C> = crate::slots::Req<C>;
            const COLUMN_TYPE: ColumnType = $ty;
        }
        impl NotNullType for $name {}
    )*};
}

sql_types! {
    /// Short character data (`text`; `varchar(255)` on MySQL, so it can be indexed).
    Text => String, Text, &'static str, ColumnType::Text;
    /// Character data that may be long (`text` everywhere; MySQL's `TEXT` holds 64 KiB).
    LongText => String, Text, &'static str, ColumnType::LongText;
    /// A 16-bit integer.
    SmallInt => i16, SmallInt, i16, ColumnType::SmallInt;
    /// A 32-bit integer.
    Integer => i32, Integer, i32, ColumnType::Integer;
    /// A 64-bit integer.
    BigInt => i64, BigInt, i64, ColumnType::BigInt;
    /// A 32-bit float.
    Real => f32, Real, f32, ColumnType::Real;
    /// A 64-bit float.
    Double => f64, Double, f64, ColumnType::Double;
    /// A boolean (`TINYINT(1)` on MySQL, 0/1 on SQLite).
    Bool => bool, Bool, bool, ColumnType::Bool;
    /// A UTC instant with millisecond precision (`timestamptz`), as Auth.js stores dates.
    Timestamp => chrono::DateTime<chrono::Utc>, Timestamp, Now, ColumnType::Timestamp;
    /// A date and time without a time zone (`timestamp`), microsecond precision.
    NaiveTimestamp => chrono::NaiveDateTime, NaiveTimestamp, Now, ColumnType::NaiveTimestamp;
    /// A calendar date.
    Date => chrono::NaiveDate, Date, &'static str, ColumnType::Date;
    /// A time of day, microsecond precision.
    Time => chrono::NaiveTime, Time, &'static str, ColumnType::Time;
    /// Binary data.
    Bytes => Vec<u8>, Bytes, &'static [u8], ColumnType::Bytes;
}

/// The SQL types without NULL: every type but [`Nullable<_>`](Nullable).
pub trait NotNullType: SqlType {}

/// Holds when an expression of SQL type `Self` may be written to a column of SQL type `T` as
/// far as NULL goes: an expression that may be NULL only into a nullable column. (Whether the
/// two are the same kind of type is checked apart.)
#[diagnostic::on_unimplemented(
    message = "cannot write an expression of SQL type `{Self}`, which may be NULL, to a NOT NULL column of SQL type `{T}`",
    label = "this expression may be NULL",
    note = "give a fallback with `coalesce(expression, value)`, or make the column `Nullable<_>`"
)]
pub trait NullInto<T> {}
impl<S: NotNullType, T> NullInto<T> for S {}
impl<S, T> NullInto<Nullable<T>> for Nullable<S> {}

/// `timestamptz`: the same as [`Timestamp`].
pub type TimestampTz = Timestamp;

/// The literal of a timestamp default: `= now` in [`table!`](crate::table).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Now;

/// `varchar(N)`: text of at most `N` characters (checked before a write, as the dialects differ:
/// SQLite does not enforce it, MySQL outside strict mode truncates).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Varchar<const N: u32>;

impl<const N: u32> NotNullType for Varchar<N> {}

impl<const N: u32> SqlType for Varchar<N> {
    const NULLABLE: bool = false;
    type NotNull = Varchar<N>;
    type Compare = Text;
    type Rust = String;
    type DefaultLit = &'static str;
    type RequiredIfNoDefault<C> = crate::slots::Req<C>;
    const COLUMN_TYPE: ColumnType = ColumnType::Varchar(N);
}

/// A UUID: native `uuid` on Postgres, its hyphenated lower-case text elsewhere. `R` is the Rust
/// type it decodes to: `String` (the default, as Auth.js ids are strings) or `uuid::Uuid`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Uuid<R = String>(PhantomData<R>);

/// The Rust types a [`Uuid`] column may decode to.
pub trait UuidRepr: FromValue + IntoValue + Clone + Send + Sync + 'static {}
impl UuidRepr for String {}
impl UuidRepr for uuid::Uuid {}

impl<R: UuidRepr> NotNullType for Uuid<R> {}

impl<R: UuidRepr> SqlType for Uuid<R> {
    const NULLABLE: bool = false;
    type NotNull = Uuid<R>;
    type Compare = Uuid;
    type Rust = R;
    type DefaultLit = RandomUuid;
    // An Auth.js-style id (native `uuid` on Postgres, `varchar(36)` on MySQL, text on SQLite).
    type RequiredIfNoDefault<C> = crate::slots::Req<C>;
    const COLUMN_TYPE: ColumnType = ColumnType::Id(IdType::Uuid);
}

/// The literal of a UUID default: `= random_uuid` in [`table!`](crate::table).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct RandomUuid;

/// JSON: `jsonb` on Postgres, `json` on MySQL, text on SQLite. `T` is what it decodes to:
/// `serde_json::Value` by default, or any `T: Serialize + DeserializeOwned`, wrapped in
/// [`auth_schema::Json`](crate::Json).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Json<T = serde_json::Value>(PhantomData<T>);

impl<T> NotNullType for Json<T> where
    T: serde::Serialize + serde::de::DeserializeOwned + Clone + Send + Sync + 'static
{
}

impl<T> SqlType for Json<T>
where
    T: serde::Serialize + serde::de::DeserializeOwned + Clone + Send + Sync + 'static,
{
    const NULLABLE: bool = false;
    type NotNull = Json<T>;
    type Compare = Json;
    type Rust = crate::value::Json<T>;
    type DefaultLit = &'static str;
    type RequiredIfNoDefault<C> = crate::slots::Req<C>;
    const COLUMN_TYPE: ColumnType = ColumnType::Json;
}

/// A column that may hold NULL. Only such columns have `is_null()`, and they decode as `Option`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Nullable<ST>(PhantomData<ST>);

impl<ST: SqlType<NotNull = ST>> SqlType for Nullable<ST> {
    const NULLABLE: bool = true;
    type NotNull = ST;
    type Compare = ST::Compare;
    type Rust = Option<ST::Rust>;
    type DefaultLit = ST::DefaultLit;
    type RequiredIfNoDefault<C> = crate::slots::Opt;
    const COLUMN_TYPE: ColumnType = ST::COLUMN_TYPE;
}

/// Numeric SQL types: what arithmetic, `sum` and `avg` accept.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a numeric SQL type",
    label = "arithmetic, `sum` and `avg` need `SmallInt`, `Integer`, `BigInt`, `Real` or `Double`"
)]
pub trait Numeric: SqlType {
    /// Whether it is an integer type (`sum` of integers is a `BigInt`, of floats a `Double`).
    const INTEGER: bool;
}
impl Numeric for SmallInt {
    const INTEGER: bool = true;
}
impl Numeric for Integer {
    const INTEGER: bool = true;
}
impl Numeric for BigInt {
    const INTEGER: bool = true;
}
impl Numeric for Real {
    const INTEGER: bool = false;
}
impl Numeric for Double {
    const INTEGER: bool = false;
}

/// Text SQL types: what `like`, `lower` and `upper` accept.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a text SQL type",
    label = "this needs a `Text`, `LongText` or `Varchar<N>` column"
)]
pub trait TextType: SqlType {}
impl TextType for Text {}
impl TextType for LongText {}
impl<const N: u32> TextType for Varchar<N> {}

/// Holds for nullable SQL types.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is NOT NULL",
    label = "this needs a `Nullable<_>` column"
)]
pub trait IsNullable {}
impl<ST> IsNullable for Nullable<ST> {}
