//! Keys at the type level: which columns are a primary or unique key (for `ON CONFLICT`
//! targets and foreign keys), and the compile-time checks of a foreign key.
//!
//! [`table!`](crate::table) and [`schema!`](crate::schema) implement [`UniqueKey`] for each
//! declared key, and check every foreign key with a constant that calls [`fk_check`]: a foreign
//! key whose columns do not have the referenced columns' SQL types, or that references columns
//! that are not a key, does not compile.

use crate::column::Column;
use crate::sql::SqlType;

/// Holds when `Self` (a column, or a tuple of columns) is a primary key or a unique key of
/// table `T`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a primary key or unique key of `{T}`",
    label = "this must be a key declared on the table",
    note = "declare the key with `primary_key(...)` or `unique(...)` in `table!`; the database rejects a conflict target or a foreign key to anything else"
)]
pub trait UniqueKey<T> {}

/// Holds when column `Self` can reference column `B`: the same SQL type, nullability aside.
#[diagnostic::on_unimplemented(
    message = "the foreign key `{Self}` -> `{B}` joins two columns of different SQL types",
    label = "declared here",
    note = "a foreign key column must have the SQL type of the column it references (nullability aside)"
)]
pub trait FkTarget<B> {}

#[diagnostic::do_not_recommend]
impl<A, B> FkTarget<B> for A
where
    A: Column,
    B: Column,
    B::Sql: SqlType<Compare = <A::Sql as SqlType>::Compare>,
{
}

macro_rules! fk_tuples {
    ($(($($a:ident $b:ident),+))*) => {$(
        #[diagnostic::do_not_recommend]
        impl<$($a, $b),+> FkTarget<($($b,)+)> for ($($a,)+) where $($a: FkTarget<$b>),+ {}
    )*};
}

fk_tuples! { (A1 B1) (A1 B1, A2 B2) (A1 B1, A2 B2, A3 B3) (A1 B1, A2 B2, A3 B3, A4 B4) }

/// Checks a foreign key at compile time; [`table!`](crate::table) calls it in a constant.
pub const fn fk_check<A: FkTarget<B>, B: UniqueKey<T>, T>() {}

/// Holds for nullable columns (and tuples of them): what `on_delete(set_null)` needs.
#[diagnostic::on_unimplemented(
    message = "`on_delete(set_null)` needs nullable columns, and `{Self}` is NOT NULL",
    label = "declared here",
    note = "make the column `Nullable<_>`, or pick another action"
)]
pub trait AllNullable {}

#[diagnostic::do_not_recommend]
impl<C: Column> AllNullable for C where C::Sql: crate::sql::IsNullable {}

macro_rules! nullable_tuples {
    ($(($($c:ident),+))*) => {$(
        #[diagnostic::do_not_recommend]
        impl<$($c: AllNullable),+> AllNullable for ($($c,)+) {}
    )*};
}

nullable_tuples! { (A) (A, B) (A, B, C) (A, B, C, D) }

/// Checks `on_delete(set_null)` at compile time.
pub const fn set_null_check<A: AllNullable>() {}

/// Holds for the integer SQL types, the ones a database can number (`= identity`).
#[diagnostic::on_unimplemented(
    message = "`= identity` needs an integer column, not `{Self}`",
    label = "declared here",
    note = "identity columns are `SmallInt`, `Integer` or `BigInt`"
)]
pub trait IdentityType {}
impl IdentityType for crate::sql::SmallInt {}
impl IdentityType for crate::sql::Integer {}
impl IdentityType for crate::sql::BigInt {}

/// Holds for the SQL types `= now` suits: timestamps, with or without a time zone.
#[diagnostic::on_unimplemented(
    message = "`= now` needs a timestamp column, not `{Self}`",
    label = "declared here",
    note = "`now` is for `Timestamp` and `NaiveTimestamp` columns"
)]
pub trait NowType {}
impl NowType for crate::sql::Timestamp {}
impl NowType for crate::sql::NaiveTimestamp {}
impl<ST: NowType + crate::sql::SqlType<NotNull = ST>> NowType for crate::sql::Nullable<ST> {}

/// Holds for the SQL types `= random_uuid` suits.
#[diagnostic::on_unimplemented(
    message = "`= random_uuid` needs a `Uuid` column, not `{Self}`",
    label = "declared here"
)]
pub trait RandomUuidType {}
impl<R> RandomUuidType for crate::sql::Uuid<R> {}
impl<ST: RandomUuidType + crate::sql::SqlType<NotNull = ST>> RandomUuidType
    for crate::sql::Nullable<ST>
{
}

/// The compile-time checks of [`table!`](crate::table)'s defaults, one function per kind of
/// default, so the macro names the check by the kind as written (`= now` calls `now`) instead of
/// expanding a helper macro per column. The types of the same names tell a column with a
/// default from one without ([`Requirement`]).
#[allow(non_camel_case_types)]
pub mod default_check {
    use crate::sql::SqlType;

    /// `= default(literal)`: the literal has the type defaults of this SQL type are written in.
    pub const fn default<ST: SqlType>(literal: ST::DefaultLit) {
        core::mem::forget(literal);
    }
    /// `= now`.
    pub const fn now<ST: super::NowType>() {}
    /// `= random_uuid`.
    pub const fn random_uuid<ST: super::RandomUuidType>() {}
    /// `= identity`.
    pub const fn identity<ST: super::IdentityType>() {}
    /// `= sql("...")`: used as written.
    pub const fn sql<ST>(_: &str) {}

    /// A column declared `= default(...)`.
    pub struct default {}
    /// A column declared `= now`.
    pub struct now {}
    /// A column declared `= random_uuid`.
    pub struct random_uuid {}
    /// A column declared `= identity`.
    pub struct identity {}
    /// A column declared `= sql(...)`.
    pub struct sql {}
}

/// What an insert must do about a column of SQL type `ST`: `()` for a column without a default
/// (then it is what the type requires), `(kind,)` for one with (then it may be left out).
pub trait Requirement<ST, C> {
    /// [`Req<C>`](crate::slots::Req) or [`Opt`](crate::slots::Opt).
    type Out;
}
impl<ST: crate::sql::SqlType, C> Requirement<ST, C> for () {
    type Out = ST::RequiredIfNoDefault<C>;
}
impl<ST, C, K> Requirement<ST, C> for (K,) {
    type Out = crate::slots::Opt;
}
