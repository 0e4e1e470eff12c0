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

/// Checks `= identity` at compile time.
pub const fn identity_check<ST: IdentityType>() {}
