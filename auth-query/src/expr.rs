//! Typed expressions: columns, bound values, operators, functions, aggregates, subqueries and
//! raw fragments.
//!
//! Each expression type is a thin generic shell over an untyped [`Node`](crate::ast): it carries
//! its SQL type, whether it aggregates ([`agg`]), and, through [`ValidIn`], which tables it
//! needs in scope and whether it may be NULL there. [`Expression::into_node`] lowers it.

use core::marker::PhantomData;

use auth_schema::sql::{
    BigInt, Bool, Double, Nullable, Numeric, SqlType, Text, TextType, Timestamp,
};
use auth_schema::{Column, ColumnType, IntoValue, Table};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use crate::ast::{self, BinOp, Bound, Node, Nulls, OrderTerm};
use crate::scope::{AliasName, As, Here, InScope, There};
use crate::sealed;
use crate::select::{MaybeNull, NotNull, Nullability};

// ------------------------------------------------------------------ kinds --

/// Whether an expression aggregates, at the type level. A query without GROUP BY may select
/// only aggregates or only plain expressions, not both; WHERE takes no aggregate; a grouped query
/// may select its grouping columns and aggregates.
pub mod agg {
    /// No expression yet.
    #[derive(Debug, Clone, Copy, Default)]
    pub struct Unknown;
    /// No column at all: a bound value, `now()`.
    #[derive(Debug, Clone, Copy, Default)]
    pub struct Constant;
    /// Uses columns outside any aggregate.
    #[derive(Debug, Clone, Copy, Default)]
    pub struct Plain;
    /// An aggregate function (or constants around one).
    #[derive(Debug, Clone, Copy, Default)]
    pub struct Aggregate;
    /// Both plain columns and aggregates.
    #[derive(Debug, Clone, Copy, Default)]
    pub struct Mixed;

    /// An aggregation kind, and how two combine.
    pub trait Kind {
        /// The kind of an expression made of one of this kind and one of `B`.
        type Mix<B: Kind>: Kind;
        #[doc(hidden)]
        type WithConstant: Kind;
        #[doc(hidden)]
        type WithPlain: Kind;
        #[doc(hidden)]
        type WithAggregate: Kind;
    }

    impl Kind for Unknown {
        type Mix<B: Kind> = B;
        type WithConstant = Constant;
        type WithPlain = Plain;
        type WithAggregate = Aggregate;
    }
    impl Kind for Constant {
        type Mix<B: Kind> = B::WithConstant;
        type WithConstant = Constant;
        type WithPlain = Plain;
        type WithAggregate = Aggregate;
    }
    impl Kind for Plain {
        type Mix<B: Kind> = B::WithPlain;
        type WithConstant = Plain;
        type WithPlain = Plain;
        type WithAggregate = Mixed;
    }
    impl Kind for Aggregate {
        type Mix<B: Kind> = B::WithAggregate;
        type WithConstant = Aggregate;
        type WithPlain = Mixed;
        type WithAggregate = Aggregate;
    }
    impl Kind for Mixed {
        type Mix<B: Kind> = Mixed;
        type WithConstant = Mixed;
        type WithPlain = Mixed;
        type WithAggregate = Mixed;
    }

    /// Holds unless plain columns and aggregates are mixed.
    #[diagnostic::on_unimplemented(
        message = "this query mixes aggregate functions with columns outside any aggregate, without GROUP BY",
        label = "selected or ordered here",
        note = "select only aggregates, or group the rows first: `.group_by(column)` before `.select(...)`"
    )]
    pub trait NotMixed {}
    #[diagnostic::do_not_recommend]
    impl NotMixed for Unknown {}
    #[diagnostic::do_not_recommend]
    impl NotMixed for Constant {}
    #[diagnostic::do_not_recommend]
    impl NotMixed for Plain {}
    #[diagnostic::do_not_recommend]
    impl NotMixed for Aggregate {}

    /// Holds unless an aggregate function is used.
    #[diagnostic::on_unimplemented(
        message = "an aggregate function cannot be used here (in WHERE, a join's ON, GROUP BY, or inside another aggregate)",
        label = "this uses an aggregate",
        note = "to filter on an aggregate, group the rows and use `.having(...)`"
    )]
    pub trait NotAggregate {}
    impl NotAggregate for Unknown {}
    impl NotAggregate for Constant {}
    impl NotAggregate for Plain {}
}

use agg::Kind;

// --------------------------------------------------------------- the core --

/// A typed SQL expression.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a SQL expression",
    label = "expected a column such as `user::email`, an expression built from one, or a predicate such as `user::email.eq(\"a@b.c\")`"
)]
pub trait Expression: Sized + sealed::Expression {
    /// Its SQL type.
    type Sql: SqlType;
    /// Whether it aggregates.
    type Kind: agg::Kind;
    /// How a value compared with it is bound (a column's own storage; otherwise its SQL
    /// type's).
    const BIND: ColumnType = <Self::Sql as SqlType>::COLUMN_TYPE;
    /// Lowers it to the untyped core.
    #[doc(hidden)]
    fn into_node(self) -> Node;
}

/// Holds when every column the expression uses belongs to a source in scope `S`; `Null` says
/// whether the expression may be NULL there beyond what its SQL type says (a column of a
/// left-joined table).
///
/// `I` is an index rustc infers; it is never written by hand.
#[diagnostic::on_unimplemented(
    message = "this expression cannot be used in this query",
    label = "it uses a column of a table that is not in FROM or a join, or calls `is_null()` on a column that is never NULL here",
    note = "add the table with `inner_join` or `left_join` first (a join's ON sees the tables joined before it and the joined one); `is_null()` is for nullable columns and the columns of a left-joined table"
)]
pub trait ValidIn<S, I>: sealed::Expression {
    /// Seals the trait: only this crate implements it, so no impl elsewhere can put a column
    /// of a table that is not in the query into it.
    #[doc(hidden)]
    fn __seal(_: crate::sealed::Seal);

    /// `MaybeNull` when a left join can make it NULL.
    type Null: Nullability;
}

/// Holds when the expression is valid in a query grouped by the columns `L` (a type-level list):
/// every column it uses outside an aggregate is one of them.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not valid in this grouped query",
    label = "each column must appear in GROUP BY or be used in an aggregate function"
)]
pub trait ValidGrouping<L, I> {
    /// Seals the trait: only this crate implements it, so no impl elsewhere can put a column
    /// of a table that is not in the query into it.
    #[doc(hidden)]
    fn __seal(_: crate::sealed::Seal);
}

/// Holds when column `C` is one of the GROUP BY columns `Self`.
#[diagnostic::on_unimplemented(
    message = "column `{C}` must appear in GROUP BY or be used in an aggregate function",
    label = "not grouped",
    note = "add it to `.group_by(...)`, or aggregate it: `count(...)`, `min(...)`, `max(...)`"
)]
pub trait Contains<C, I> {
    /// Seals the trait: only this crate implements it, so no impl elsewhere can put a column
    /// of a table that is not in the query into it.
    #[doc(hidden)]
    fn __seal(_: crate::sealed::Seal);
}

#[diagnostic::do_not_recommend]
impl<C, R> Contains<C, Here> for crate::scope::Cons<C, R> {
    fn __seal(_: crate::sealed::Seal) {}
}
#[diagnostic::do_not_recommend]
impl<C, H, R: Contains<C, I>, I> Contains<C, There<I>> for crate::scope::Cons<H, R> {
    fn __seal(_: crate::sealed::Seal) {}
}

/// A predicate: an expression of SQL type `Bool` (nullable or not).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a boolean condition",
    label = "expected a predicate such as `user::email.eq(\"a@b.c\")`"
)]
pub trait Predicate: Expression {}
// `do_not_recommend` reports this trait's message, not the `Compare == Bool` mismatch inside.
#[diagnostic::do_not_recommend]
impl<E: Expression> Predicate for E where E::Sql: SqlType<Compare = Bool> {}

// Columns.

impl<C: Column> sealed::Expression for C {}

impl<C: Column> Expression for C {
    type Sql = C::Sql;
    type Kind = agg::Plain;
    const BIND: ColumnType = C::INFO.ty;
    fn into_node(self) -> Node {
        Node::Column {
            qualifier: <C::Table as Table>::INFO.name,
            col: &C::INFO,
        }
    }
}

impl<S, I, C: Column> ValidIn<S, I> for C
where
    S: InScope<C::Table, I>,
{
    fn __seal(_: crate::sealed::Seal) {}
    type Null = S::Null;
}

impl<L, I, C: Column> ValidGrouping<L, I> for C
where
    L: Contains<C, I>,
{
    fn __seal(_: crate::sealed::Seal) {}
}

/// A column of an aliased table: `alias.col(column)`.
#[derive(Debug, Clone, Copy)]
pub struct AliasColumn<A, C>(PhantomData<(A, C)>);

impl<A: AliasName> As<A> {
    /// Column `column` of the table under this alias.
    pub fn col<C: Column<Table = A::Table>>(self, _column: C) -> AliasColumn<A, C> {
        AliasColumn(PhantomData)
    }
}

impl<A, C> sealed::Expression for AliasColumn<A, C> {}

impl<A: AliasName, C: Column> Expression for AliasColumn<A, C> {
    type Sql = C::Sql;
    type Kind = agg::Plain;
    const BIND: ColumnType = C::INFO.ty;
    fn into_node(self) -> Node {
        Node::Column {
            qualifier: A::NAME,
            col: &C::INFO,
        }
    }
}

#[diagnostic::do_not_recommend]
impl<S, I, A: AliasName, C: Column> ValidIn<S, I> for AliasColumn<A, C>
where
    S: InScope<As<A>, I>,
{
    fn __seal(_: crate::sealed::Seal) {}
    type Null = S::Null;
}

impl<L, I, A, C> ValidGrouping<L, I> for AliasColumn<A, C>
where
    L: Contains<AliasColumn<A, C>, I>,
{
    fn __seal(_: crate::sealed::Seal) {}
}

// ------------------------------------------------------------------ values --

/// A value bound as a parameter, never interpolated into the SQL text.
#[derive(Debug, Clone)]
pub struct Bind<ST> {
    value: Bound,
    ty: ColumnType,
    _sql: PhantomData<ST>,
}

impl<ST: SqlType> Bind<ST> {
    pub(crate) fn new(value: Bound, ty: ColumnType) -> Self {
        Self {
            value,
            ty,
            _sql: PhantomData,
        }
    }
}

impl<ST> sealed::Expression for Bind<ST> {}

impl<ST: SqlType> Expression for Bind<ST> {
    type Sql = ST;
    type Kind = agg::Constant;
    fn into_node(self) -> Node {
        Node::Bind {
            value: self.value,
            ty: self.ty,
            write: false,
        }
    }
}

#[diagnostic::do_not_recommend]
impl<S, ST> ValidIn<S, ()> for Bind<ST> {
    fn __seal(_: crate::sealed::Seal) {}
    type Null = NotNull;
}

#[diagnostic::do_not_recommend]
impl<L, ST> ValidGrouping<L, ()> for Bind<ST> {
    fn __seal(_: crate::sealed::Seal) {}
}

/// A Rust value that may be compared with, or written to, an expression of SQL type `ST`.
#[diagnostic::on_unimplemented(
    message = "cannot compare SQL type `{ST}` with a value of type `{Self}`",
    label = "this value does not have the column's SQL type",
    note = "`Text` takes `&str`/`String`, `Uuid` also `uuid::Uuid`, `BigInt` takes `i64` (and `i32`), `Integer` `i32`, `SmallInt` `i16`, `Double` `f64`, `Real` `f32`, `Bool` `bool`, `Timestamp` `DateTime<Utc>`, `Date` `NaiveDate`, `Json<T>` `Json<T>`, `Bytes` `Vec<u8>`/`&[u8]`, each also by reference; use `is_null()` to test for NULL"
)]
pub trait AsSql<ST> {
    /// What to bind.
    fn into_bound(self) -> Bound;
}

/// A Rust value that may be written (INSERT or SET) to a column of SQL type `ST`.
/// `Option` is accepted only for nullable columns.
#[diagnostic::on_unimplemented(
    message = "cannot write a value of type `{Self}` to a column of SQL type `{ST}`",
    label = "this value does not have the column's SQL type",
    note = "`Option<_>` (and so NULL) can only be written to a `Nullable<_>` column"
)]
pub trait Assign<ST> {
    /// What to bind.
    fn into_bound(self) -> Bound;
}

impl<ST: SqlType, V: AsSql<ST>> Assign<ST> for V {
    fn into_bound(self) -> Bound {
        AsSql::into_bound(self)
    }
}

// `do_not_recommend` on the `AsSql` impls keeps a mismatch to the message and note above,
// without a list of every Rust type that implements it.
macro_rules! as_sql {
    ($($sql:ty => $($rust:ty),+;)*) => {$($(
        #[diagnostic::do_not_recommend]
        impl AsSql<$sql> for $rust {
            fn into_bound(self) -> Bound { Bound::Value(self.into_value()) }
        }
        #[diagnostic::do_not_recommend]
        impl AsSql<Nullable<$sql>> for $rust {
            fn into_bound(self) -> Bound { Bound::Value(self.into_value()) }
        }
        #[diagnostic::do_not_recommend]
        impl Assign<Nullable<$sql>> for Option<$rust> {
            fn into_bound(self) -> Bound { Bound::Value(self.into_value()) }
        }
    )+)*};
}

as_sql! {
    Text => &str, String, &String, &&str;
    auth_schema::sql::LongText => &str, String, &String, &&str;
    auth_schema::sql::Uuid => &str, String, &String, &&str, uuid::Uuid, &uuid::Uuid;
    auth_schema::sql::Uuid<uuid::Uuid> => uuid::Uuid, &uuid::Uuid, &str, String, &String, &&str;
    BigInt => i64, i32, i16, &i64, &i32;
    auth_schema::sql::Integer => i32, i16, &i32;
    auth_schema::sql::SmallInt => i16, &i16;
    Double => f64, f32, &f64;
    auth_schema::sql::Real => f32, &f32;
    Bool => bool, &bool;
    Timestamp => DateTime<Utc>, &DateTime<Utc>;
    auth_schema::sql::NaiveTimestamp => NaiveDateTime, &NaiveDateTime;
    auth_schema::sql::Date => NaiveDate, &NaiveDate;
    auth_schema::sql::Time => NaiveTime, &NaiveTime;
    auth_schema::sql::Bytes => Vec<u8>, &[u8], &Vec<u8>;
}

macro_rules! varchar_as_sql {
    ($($rust:ty),+) => {$(
        #[diagnostic::do_not_recommend]
        impl<const N: u32> AsSql<auth_schema::sql::Varchar<N>> for $rust {
            fn into_bound(self) -> Bound { Bound::Value(self.into_value()) }
        }
        #[diagnostic::do_not_recommend]
        impl<const N: u32> AsSql<Nullable<auth_schema::sql::Varchar<N>>> for $rust {
            fn into_bound(self) -> Bound { Bound::Value(self.into_value()) }
        }
        #[diagnostic::do_not_recommend]
        impl<const N: u32> Assign<Nullable<auth_schema::sql::Varchar<N>>> for Option<$rust> {
            fn into_bound(self) -> Bound { Bound::Value(self.into_value()) }
        }
    )+};
}

varchar_as_sql!(&str, String, &String, &&str);

macro_rules! json_as_sql {
    ($($rust:ty),+) => {$(
        #[diagnostic::do_not_recommend]
        impl<T: serde::Serialize> AsSql<auth_schema::sql::Json<T>> for $rust {
            fn into_bound(self) -> Bound { Bound::Value(self.into_value()) }
        }
        #[diagnostic::do_not_recommend]
        impl<T: serde::Serialize> AsSql<Nullable<auth_schema::sql::Json<T>>> for $rust {
            fn into_bound(self) -> Bound { Bound::Value(self.into_value()) }
        }
        #[diagnostic::do_not_recommend]
        impl<T: serde::Serialize> Assign<Nullable<auth_schema::sql::Json<T>>> for Option<$rust> {
            fn into_bound(self) -> Bound { Bound::Value(self.into_value()) }
        }
    )+};
}

json_as_sql!(auth_schema::Json<T>, &auth_schema::Json<T>);

/// A value for a raw fragment's `{}` or a `CASE` branch, bound with its natural SQL type:
/// `value("x")` is `Text`, `value(42i64)` `BigInt`, `value(true)` `Bool`, ...
///
/// ```
/// use auth_query::{prelude::*, sql, value};
/// use auth_schema::{kysely::user, sql::Bool};
/// let q = Postgres
///     .select_from(user::table)
///     .select(user::id)
///     .filter(sql::<Bool, _>("position({} in {}) > 0", (value("@x.io"), user::email)));
/// assert_eq!(
///     q.compile().sql(),
///     r#"SELECT "User"."id" FROM "User" WHERE position( $1 in "User"."email" ) > 0"#
/// );
/// ```
pub fn value<V: NaturalSql>(v: V) -> Bind<V::Sql> {
    Bind::new(
        Bound::Value(v.into_value()),
        <V::Sql as SqlType>::COLUMN_TYPE,
    )
}

/// The SQL type a Rust value is bound as by [`value`].
pub trait NaturalSql: IntoValue {
    /// Its SQL type.
    type Sql: SqlType;
}

macro_rules! natural {
    ($($rust:ty => $sql:ty),*) => {$(
        impl NaturalSql for $rust {
            type Sql = $sql;
        }
    )*};
}

natural! {
    &str => Text, String => Text, &String => Text,
    i64 => BigInt, i32 => auth_schema::sql::Integer, i16 => auth_schema::sql::SmallInt,
    f64 => Double, f32 => auth_schema::sql::Real, bool => Bool,
    DateTime<Utc> => Timestamp, NaiveDateTime => auth_schema::sql::NaiveTimestamp,
    NaiveDate => auth_schema::sql::Date, NaiveTime => auth_schema::sql::Time,
    uuid::Uuid => auth_schema::sql::Uuid<uuid::Uuid>, Vec<u8> => auth_schema::sql::Bytes
}

/// Holds when two SQL types can be compared (nullability aside; `Varchar<N>` and `LongText`
/// compare as `Text`).
#[diagnostic::on_unimplemented(
    message = "cannot compare SQL type `{Self}` with SQL type `{T}`",
    label = "the two sides have different SQL types"
)]
pub trait SameSql<T> {}

// One impl with the check in its where clause, under `do_not_recommend`: a mismatch reports this
// trait's message instead of a bare E0271 on `Compare`.
#[diagnostic::do_not_recommend]
impl<A: SqlType, B: SqlType<Compare = A::Compare>> SameSql<B> for A {}

/// A value or an expression where one of SQL type `ST` goes: a `CASE` branch, the fallback of
/// `coalesce`, the right side of arithmetic, the value of a `SET`. `K` tells the two apart (rustc
/// infers it).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is neither a value nor an expression of SQL type `{ST}`",
    label = "expected a value or an expression of the same SQL type"
)]
pub trait IntoExpr<ST, K> {
    /// The expression.
    type Expr: Expression;
    /// Converts.
    fn into_expr(self) -> Self::Expr;
}

/// Tags the value impl of [`IntoExpr`].
#[derive(Debug, Clone, Copy, Default)]
pub struct ByValue;
/// Tags the expression impl of [`IntoExpr`].
#[derive(Debug, Clone, Copy, Default)]
pub struct ByExpr;

#[diagnostic::do_not_recommend]
impl<ST: SqlType, V: AsSql<ST>> IntoExpr<ST, ByValue> for V {
    type Expr = Bind<ST>;
    fn into_expr(self) -> Bind<ST> {
        Bind::new(self.into_bound(), ST::COLUMN_TYPE)
    }
}

#[diagnostic::do_not_recommend]
impl<ST: SqlType, E: Expression> IntoExpr<ST, ByExpr> for E
where
    E::Sql: SqlType<Compare = ST::Compare>,
{
    type Expr = E;
    fn into_expr(self) -> E {
        self
    }
}

// ---------------------------------------------------------------- operators --

/// A binary operation: a comparison, `LIKE`, `AND`/`OR`, or arithmetic. `ST` is its SQL type.
#[derive(Debug, Clone)]
pub struct Binary<L, R, ST = Bool> {
    op: BinOp,
    lhs: L,
    rhs: R,
    _sql: PhantomData<ST>,
}

impl<L, R, ST> Binary<L, R, ST> {
    fn new(op: BinOp, lhs: L, rhs: R) -> Self {
        Binary {
            op,
            lhs,
            rhs,
            _sql: PhantomData,
        }
    }
}

impl<L, R, ST> sealed::Expression for Binary<L, R, ST> {}

impl<L: Expression, R: Expression, ST: SqlType> Expression for Binary<L, R, ST> {
    type Sql = ST;
    type Kind = <L::Kind as Kind>::Mix<R::Kind>;
    fn into_node(self) -> Node {
        Node::Binary {
            op: self.op,
            lhs: Box::new(self.lhs.into_node()),
            rhs: Box::new(self.rhs.into_node()),
        }
    }
}

// The column impl above competes with these, so a scope error is reported for the whole
// expression anyway; `do_not_recommend` only drops the list of impls from it.
#[diagnostic::do_not_recommend]
impl<S, IL, IR, L: ValidIn<S, IL>, R: ValidIn<S, IR>, ST> ValidIn<S, (IL, IR)>
    for Binary<L, R, ST>
{
    fn __seal(_: crate::sealed::Seal) {}
    type Null = <L::Null as Nullability>::Or<R::Null>;
}

#[diagnostic::do_not_recommend]
impl<G, IL, IR, L: ValidGrouping<G, IL>, R: ValidGrouping<G, IR>, ST> ValidGrouping<G, (IL, IR)>
    for Binary<L, R, ST>
{
    fn __seal(_: crate::sealed::Seal) {}
}

/// Declares the impls of a one-argument expression wrapper: `sealed`, `ValidIn` and
/// `ValidGrouping` through its argument.
macro_rules! unary_wrapper {
    ($name:ident $(<$($p:ident),*>)?) => {
        impl<E $($(, $p)*)?> sealed::Expression for $name<E $($(, $p)*)?> {}

        #[diagnostic::do_not_recommend]
        impl<S, I, E: ValidIn<S, I> $($(, $p)*)?> ValidIn<S, I> for $name<E $($(, $p)*)?> {
            fn __seal(_: crate::sealed::Seal) {}
            type Null = E::Null;
        }

        #[diagnostic::do_not_recommend]
        impl<G, I, E: ValidGrouping<G, I> $($(, $p)*)?> ValidGrouping<G, I> for $name<E $($(, $p)*)?> {
            fn __seal(_: crate::sealed::Seal) {}
        }
    };
}

/// `NOT e`.
#[derive(Debug, Clone)]
pub struct Not<E>(E);

impl<E: Predicate> Expression for Not<E> {
    type Sql = E::Sql;
    type Kind = E::Kind;
    fn into_node(self) -> Node {
        Node::Not(Box::new(self.0.into_node()))
    }
}

unary_wrapper!(Not);

/// `e IS NULL` or `e IS NOT NULL`.
#[derive(Debug, Clone)]
pub struct IsNull<E> {
    expr: E,
    negated: bool,
}

impl<E> sealed::Expression for IsNull<E> {}

impl<E: Expression> Expression for IsNull<E> {
    type Sql = Bool;
    type Kind = E::Kind;
    fn into_node(self) -> Node {
        Node::IsNull {
            expr: Box::new(self.expr.into_node()),
            negated: self.negated,
        }
    }
}

/// Holds when an expression of SQL type `Self` can be NULL in a scope where its columns'
/// nullability is `N`: a `Nullable<_>` type, or any type on a left-joined table.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be NULL here, so `is_null()` is always false",
    label = "this is NOT NULL, and its table is not left-joined",
    note = "`is_null()` is for nullable columns, and for any column of a table brought in by `left_join` (an anti-join: the rows without a match)"
)]
pub trait NullableHere<N> {}
impl<ST: SqlType> NullableHere<MaybeNull> for ST {}
impl<ST> NullableHere<NotNull> for Nullable<ST> {}

// rustc reports a failed `NullableHere` here as `ValidIn` (the index `I` stays unresolved), whose
// message therefore names both causes.
#[diagnostic::do_not_recommend]
impl<S, I, E: Expression + ValidIn<S, I>> ValidIn<S, I> for IsNull<E>
where
    E::Sql: NullableHere<E::Null>,
{
    fn __seal(_: crate::sealed::Seal) {}
    type Null = NotNull;
}

#[diagnostic::do_not_recommend]
impl<G, I, E: ValidGrouping<G, I>> ValidGrouping<G, I> for IsNull<E> {
    fn __seal(_: crate::sealed::Seal) {}
}

/// `e IN (v1, v2, ...)` or `NOT IN`. An empty list matches nothing (`NOT IN` one: everything).
#[derive(Debug, Clone)]
pub struct InList<E> {
    expr: E,
    values: Vec<Node>,
    negated: bool,
}

impl<E: Expression> Expression for InList<E> {
    type Sql = Bool;
    type Kind = E::Kind;
    fn into_node(self) -> Node {
        Node::InList {
            expr: Box::new(self.expr.into_node()),
            values: self.values,
            negated: self.negated,
        }
    }
}

unary_wrapper!(InList);

/// The comparison, test and operator methods of columns and of every expression. In the
/// [prelude](crate::prelude).
///
/// ```
/// use auth_query::prelude::*;
/// use auth_schema::kysely::user;
/// let q = Postgres.select_from(user::table).select(user::id).filter(user::email.eq("a@b.c"));
/// assert_eq!(q.compile().sql(), r#"SELECT "User"."id" FROM "User" WHERE "User"."email" = $1"#);
/// ```
// `is_null`, `is_in`: SQL's `IS NULL` and `IN` (Kysely's names), building an expression from
// `self`, not asking a question about it.
#[allow(clippy::wrong_self_convention)]
pub trait ColumnExt: Expression {
    /// `self = value`.
    fn eq<V: AsSql<Self::Sql>>(self, value: V) -> Binary<Self, Bind<Self::Sql>> {
        cmp(self, BinOp::Eq, value)
    }
    /// `self <> value`.
    fn ne<V: AsSql<Self::Sql>>(self, value: V) -> Binary<Self, Bind<Self::Sql>> {
        cmp(self, BinOp::Ne, value)
    }
    /// `self < value`.
    fn lt<V: AsSql<Self::Sql>>(self, value: V) -> Binary<Self, Bind<Self::Sql>> {
        cmp(self, BinOp::Lt, value)
    }
    /// `self <= value`.
    fn le<V: AsSql<Self::Sql>>(self, value: V) -> Binary<Self, Bind<Self::Sql>> {
        cmp(self, BinOp::Le, value)
    }
    /// `self > value`.
    fn gt<V: AsSql<Self::Sql>>(self, value: V) -> Binary<Self, Bind<Self::Sql>> {
        cmp(self, BinOp::Gt, value)
    }
    /// `self >= value`.
    fn ge<V: AsSql<Self::Sql>>(self, value: V) -> Binary<Self, Bind<Self::Sql>> {
        cmp(self, BinOp::Ge, value)
    }
    /// `self LIKE pattern` (text only). The dialects differ, as the SQL does: SQLite's LIKE
    /// ignores ASCII case and has no escape character unless one is given (`\` escapes `%` and
    /// `_` on PostgreSQL and MySQL); PostgreSQL's is case-sensitive, and MySQL's follows the
    /// column's collation (binary for the Auth.js tables this crate creates).
    fn like<V: AsSql<Self::Sql>>(self, pattern: V) -> Binary<Self, Bind<Self::Sql>>
    where
        <Self::Sql as SqlType>::NotNull: TextType,
    {
        cmp(self, BinOp::Like, pattern)
    }
    /// `self IN (values...)`; the values may be borrowed (`&[&str]`, `&Vec<String>`).
    fn is_in<V, It>(self, values: It) -> InList<Self>
    where
        V: AsSql<Self::Sql>,
        It: IntoIterator<Item = V>,
    {
        in_list(self, values, false)
    }
    /// `self NOT IN (values...)`.
    fn is_not_in<V, It>(self, values: It) -> InList<Self>
    where
        V: AsSql<Self::Sql>,
        It: IntoIterator<Item = V>,
    {
        in_list(self, values, true)
    }
    /// `self IS NULL`: for nullable columns, and for every column of a left-joined table.
    fn is_null(self) -> IsNull<Self> {
        IsNull {
            expr: self,
            negated: false,
        }
    }
    /// `self IS NOT NULL`.
    fn is_not_null(self) -> IsNull<Self> {
        IsNull {
            expr: self,
            negated: true,
        }
    }
    /// `self = other`, for two expressions of the same SQL type (as in a join's ON).
    fn eq_col<C: Expression>(self, other: C) -> Binary<Self, C>
    where
        Self::Sql: SameSql<C::Sql>,
    {
        Binary::new(BinOp::Eq, self, other)
    }
    /// `self <> other`, for two expressions of the same SQL type.
    fn ne_col<C: Expression>(self, other: C) -> Binary<Self, C>
    where
        Self::Sql: SameSql<C::Sql>,
    {
        Binary::new(BinOp::Ne, self, other)
    }
    /// `self < other`, for two expressions of the same SQL type.
    fn lt_col<C: Expression>(self, other: C) -> Binary<Self, C>
    where
        Self::Sql: SameSql<C::Sql>,
    {
        Binary::new(BinOp::Lt, self, other)
    }
    /// `self > other`, for two expressions of the same SQL type.
    fn gt_col<C: Expression>(self, other: C) -> Binary<Self, C>
    where
        Self::Sql: SameSql<C::Sql>,
    {
        Binary::new(BinOp::Gt, self, other)
    }
    /// `self + other` (numeric): `authenticator::counter.add(1)`.
    fn add<V, K>(self, other: V) -> Binary<Self, V::Expr, Self::Sql>
    where
        Self::Sql: Arithmetic,
        V: IntoExpr<<Self::Sql as Arithmetic>::Operand, K>,
    {
        Binary::new(BinOp::Add, self, other.into_expr())
    }
    /// `self - other` (numeric).
    fn sub<V, K>(self, other: V) -> Binary<Self, V::Expr, Self::Sql>
    where
        Self::Sql: Arithmetic,
        V: IntoExpr<<Self::Sql as Arithmetic>::Operand, K>,
    {
        Binary::new(BinOp::Sub, self, other.into_expr())
    }
    /// `self * other` (numeric).
    fn mul<V, K>(self, other: V) -> Binary<Self, V::Expr, Self::Sql>
    where
        Self::Sql: Arithmetic,
        V: IntoExpr<<Self::Sql as Arithmetic>::Operand, K>,
    {
        Binary::new(BinOp::Mul, self, other.into_expr())
    }
    /// `self / other` (numeric). Integer division truncates on every dialect (MySQL's `DIV`).
    fn div<V, K>(self, other: V) -> Binary<Self, V::Expr, Self::Sql>
    where
        Self::Sql: Arithmetic,
        V: IntoExpr<<Self::Sql as Arithmetic>::Operand, K>,
    {
        let op = match <Self::Sql as SqlType>::COLUMN_TYPE {
            ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt => BinOp::IntDiv,
            _ => BinOp::Div,
        };
        Binary::new(op, self, other.into_expr())
    }
    /// `LOWER(self)` (text).
    fn lower(self) -> Func<Self, Self::Sql>
    where
        <Self::Sql as SqlType>::NotNull: TextType,
    {
        Func::new(ast::Function::Lower, self)
    }
    /// `UPPER(self)` (text).
    fn upper(self) -> Func<Self, Self::Sql>
    where
        <Self::Sql as SqlType>::NotNull: TextType,
    {
        Func::new(ast::Function::Upper, self)
    }
    /// `self IN (SELECT ...)`: the subquery selects one expression of the same SQL type.
    fn in_sub<Q: crate::select::Subquery>(self, subquery: Q) -> InSub<Self, Q>
    where
        Self::Sql: SameSql<Q::Sql>,
        (Q::Dialect, Q::Limited): crate::select::LimitInSubquery,
    {
        InSub {
            expr: self,
            sub: subquery,
            negated: false,
        }
    }
    /// `self NOT IN (SELECT ...)`.
    fn not_in_sub<Q: crate::select::Subquery>(self, subquery: Q) -> InSub<Self, Q>
    where
        Self::Sql: SameSql<Q::Sql>,
        (Q::Dialect, Q::Limited): crate::select::LimitInSubquery,
    {
        InSub {
            expr: self,
            sub: subquery,
            negated: true,
        }
    }
    /// `self ASC`, for `order_by`.
    fn asc(self) -> Ordered<Self> {
        Ordered {
            expr: self,
            desc: false,
            nulls: None,
        }
    }
    /// `self DESC`, for `order_by`.
    fn desc(self) -> Ordered<Self> {
        Ordered {
            expr: self,
            desc: true,
            nulls: None,
        }
    }
}

impl<E: Expression> ColumnExt for E {}

fn cmp<E: Expression, V: AsSql<E::Sql>>(e: E, op: BinOp, value: V) -> Binary<E, Bind<E::Sql>> {
    Binary::new(op, e, Bind::new(value.into_bound(), E::BIND))
}

fn in_list<E: Expression, V: AsSql<E::Sql>, It: IntoIterator<Item = V>>(
    e: E,
    values: It,
    negated: bool,
) -> InList<E> {
    let values = values
        .into_iter()
        .map(|v| Node::Bind {
            value: v.into_bound(),
            ty: E::BIND,
            write: false,
        })
        .collect();
    InList {
        expr: e,
        values,
        negated,
    }
}

/// `AND`, `OR` and `NOT` on predicates. In the [prelude](crate::prelude).
///
/// ```
/// use auth_query::prelude::*;
/// use auth_schema::kysely::account;
/// let q = MySql
///     .select_from(account::table)
///     .select(account::user_id)
///     .filter(account::provider.eq("github").and(account::provider_account_id.eq("42").not()));
/// assert_eq!(
///     q.compile().sql(),
///     "SELECT `Account`.`userId` FROM `Account` WHERE `Account`.`provider` = ? AND (NOT `Account`.`providerAccountId` = ?)"
/// );
/// ```
pub trait PredicateExt: Predicate {
    /// `self AND other`.
    fn and<P: Predicate>(self, other: P) -> Binary<Self, P> {
        Binary::new(BinOp::And, self, other)
    }
    /// `self OR other`.
    fn or<P: Predicate>(self, other: P) -> Binary<Self, P> {
        Binary::new(BinOp::Or, self, other)
    }
    /// `NOT self`.
    fn not(self) -> Not<Self> {
        Not(self)
    }
}

impl<P: Predicate> PredicateExt for P {}

/// `NOT p`, as a function.
pub fn not<P: Predicate>(p: P) -> Not<P> {
    Not(p)
}

/// `p1 OR p2 OR ...`: any of a list of predicates of one type, whose length is known only at
/// run time (Kysely's `eb.or([...])`). An empty list matches no row.
///
/// ```
/// use auth_query::{any_of, prelude::*};
/// use auth_schema::kysely::account;
/// let keys = [("github", "1"), ("google", "2")];
/// let q = Postgres.select_from(account::table).select(account::user_id).filter(any_of(
///     keys.iter().map(|(p, id)| account::provider.eq(*p).and(account::provider_account_id.eq(*id))),
/// ));
/// assert_eq!(
///     q.compile().sql(),
///     r#"SELECT "Account"."userId" FROM "Account" WHERE ("Account"."provider" = $1 AND "Account"."providerAccountId" = $2) OR ("Account"."provider" = $3 AND "Account"."providerAccountId" = $4)"#
/// );
/// ```
pub fn any_of<P: Predicate>(predicates: impl IntoIterator<Item = P>) -> Junction<P> {
    Junction {
        op: BinOp::Or,
        items: predicates.into_iter().collect(),
    }
}

/// `p1 AND p2 AND ...`: all of a list of predicates of one type, whose length is known only at
/// run time (Kysely's `eb.and([...])`). An empty list matches every row.
///
/// ```
/// use auth_query::{all_of, prelude::*};
/// use auth_schema::kysely::user;
/// let words = ["ada", "lovelace"];
/// let q = Sqlite.select_from(user::table).select(user::id)
///     .filter(all_of(words.iter().map(|w| user::name.like(format!("%{w}%")))));
/// assert_eq!(
///     q.compile().sql(),
///     r#"SELECT "User"."id" FROM "User" WHERE "User"."name" LIKE ? AND "User"."name" LIKE ?"#
/// );
/// ```
pub fn all_of<P: Predicate>(predicates: impl IntoIterator<Item = P>) -> Junction<P> {
    Junction {
        op: BinOp::And,
        items: predicates.into_iter().collect(),
    }
}

/// Predicates joined by one `OR` or `AND`; see [`any_of`] and [`all_of`].
#[derive(Debug, Clone)]
pub struct Junction<E> {
    op: BinOp,
    items: Vec<E>,
}

impl<E: Predicate> Expression for Junction<E> {
    type Sql = E::Sql;
    type Kind = E::Kind;
    fn into_node(self) -> Node {
        let op = self.op;
        let mut items = self.items.into_iter().map(Expression::into_node);
        let Some(first) = items.next() else {
            // No predicate: OR of none is false, AND of none is true.
            let constant = if op == BinOp::Or { "1 = 0" } else { "1 = 1" };
            return Node::Raw {
                parts: vec![constant],
                args: Vec::new(),
            };
        };
        items.fold(first, |lhs, rhs| Node::Binary {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        })
    }
}

unary_wrapper!(Junction);

// ------------------------------------------------------------------ ordering --

/// An expression with a sort direction (and NULLS FIRST/LAST), for `order_by`.
#[derive(Debug, Clone)]
pub struct Ordered<E> {
    pub(crate) expr: E,
    pub(crate) desc: bool,
    pub(crate) nulls: Option<Nulls>,
}

/// [`Ordered`] with NULLS FIRST or LAST: Postgres and SQLite only.
#[derive(Debug, Clone)]
pub struct OrderedNulls<E>(Ordered<E>);

impl<E> Ordered<E> {
    /// `NULLS FIRST` (Postgres and SQLite).
    pub fn nulls_first(mut self) -> OrderedNulls<E> {
        self.nulls = Some(Nulls::First);
        OrderedNulls(self)
    }
    /// `NULLS LAST` (Postgres and SQLite).
    pub fn nulls_last(mut self) -> OrderedNulls<E> {
        self.nulls = Some(Nulls::Last);
        OrderedNulls(self)
    }
}

/// Something `order_by` accepts on dialect `D`: an expression (ascending), `e.asc()` /
/// `e.desc()`, and with NULLS FIRST/LAST where `D` has them.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used in ORDER BY on `{D}`",
    label = "expected an expression, or `expr.asc()` / `expr.desc()`",
    note = "`nulls_first()` / `nulls_last()` need Postgres or SQLite; MySQL sorts NULLs first ascending and last descending"
)]
pub trait OrderExpr<D> {
    /// The expression sorted on.
    type Inner: Expression;
    /// Lowers it.
    #[doc(hidden)]
    fn into_term(self) -> OrderTerm;
}

impl<D, E: Expression> OrderExpr<D> for E {
    type Inner = E;
    fn into_term(self) -> OrderTerm {
        OrderTerm {
            expr: self.into_node(),
            desc: false,
            nulls: None,
        }
    }
}

impl<D, E: Expression> OrderExpr<D> for Ordered<E> {
    type Inner = E;
    fn into_term(self) -> OrderTerm {
        OrderTerm {
            expr: self.expr.into_node(),
            desc: self.desc,
            nulls: self.nulls,
        }
    }
}

impl<D: crate::dialect::SupportsNullsOrder, E: Expression> OrderExpr<D> for OrderedNulls<E> {
    type Inner = E;
    fn into_term(self) -> OrderTerm {
        OrderExpr::<D>::into_term(self.0)
    }
}

// ---------------------------------------------------------------- functions --

/// A one-argument function of SQL type `ST`: `LOWER`, `UPPER`.
#[derive(Debug, Clone)]
pub struct Func<E, ST> {
    func: ast::Function,
    arg: E,
    _sql: PhantomData<ST>,
}

impl<E, ST> Func<E, ST> {
    fn new(func: ast::Function, arg: E) -> Self {
        Func {
            func,
            arg,
            _sql: PhantomData,
        }
    }
}

impl<E: Expression, ST: SqlType> Expression for Func<E, ST> {
    type Sql = ST;
    type Kind = E::Kind;
    fn into_node(self) -> Node {
        Node::Function {
            func: self.func,
            args: vec![self.arg.into_node()],
        }
    }
}

unary_wrapper!(Func<ST>);

/// The numeric SQL types arithmetic takes, nullable or not. Implemented for each one (no blanket
/// impl), so that for a non-numeric column the operand's type does not exist either and the
/// mistake is one error, this one.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a numeric SQL type",
    label = "arithmetic needs `SmallInt`, `Integer`, `BigInt`, `Real` or `Double`"
)]
pub trait Arithmetic: SqlType {
    /// The SQL type of the other operand.
    type Operand: SqlType;
}

macro_rules! arithmetic {
    ($($sql:ty),*) => {$(
        #[diagnostic::do_not_recommend]
        impl Arithmetic for $sql {
            type Operand = $sql;
        }
        #[diagnostic::do_not_recommend]
        impl Arithmetic for Nullable<$sql> {
            type Operand = Nullable<$sql>;
        }
    )*};
}

arithmetic!(
    auth_schema::sql::SmallInt,
    auth_schema::sql::Integer,
    BigInt,
    auth_schema::sql::Real,
    Double
);

/// `COALESCE(a, b)`: `a` when it is not NULL, else `b`, which takes `a`'s SQL type and decides
/// the result's nullability.
///
/// ```
/// use auth_query::{coalesce, prelude::*};
/// use auth_schema::kysely::user;
/// let q = Sqlite.select_from(user::table).select(coalesce(user::name, "anonymous"));
/// let _: &Select<Sqlite, _, String, _, _> = &q;
/// assert_eq!(q.compile().sql(), r#"SELECT COALESCE("User"."name", ?) FROM "User""#);
/// ```
pub fn coalesce<A: Expression, B, K>(a: A, b: B) -> Coalesce<A, B::Expr>
where
    B: IntoExpr<<A::Sql as SqlType>::NotNull, K>,
{
    Coalesce(a, b.into_expr())
}

/// `COALESCE(a, b)`; see [`coalesce`].
#[derive(Debug, Clone)]
pub struct Coalesce<A, B>(A, B);

impl<A, B> sealed::Expression for Coalesce<A, B> {}

impl<A: Expression, B: Expression> Expression for Coalesce<A, B> {
    type Sql = B::Sql;
    type Kind = <A::Kind as Kind>::Mix<B::Kind>;
    const BIND: ColumnType = A::BIND;
    fn into_node(self) -> Node {
        Node::Function {
            func: ast::Function::Coalesce,
            args: vec![self.0.into_node(), self.1.into_node()],
        }
    }
}

#[diagnostic::do_not_recommend]
impl<S, IA, IB, A: ValidIn<S, IA>, B: ValidIn<S, IB>> ValidIn<S, (IA, IB)> for Coalesce<A, B> {
    fn __seal(_: crate::sealed::Seal) {}
    // NULL only when the fallback can be.
    type Null = B::Null;
}

#[diagnostic::do_not_recommend]
impl<G, IA, IB, A: ValidGrouping<G, IA>, B: ValidGrouping<G, IB>> ValidGrouping<G, (IA, IB)>
    for Coalesce<A, B>
{
    fn __seal(_: crate::sealed::Seal) {}
}

/// The current time, as a UTC instant (`now()`, `UTC_TIMESTAMP(3)`, or SQLite's ISO text).
///
/// ```
/// use auth_query::{now, prelude::*};
/// use auth_schema::kysely::session;
/// let q = MySql.delete_from(session::table).filter(session::expires.lt_col(now()));
/// assert_eq!(q.compile().sql(), "DELETE FROM `Session` WHERE `Session`.`expires` < (UTC_TIMESTAMP(3))");
/// ```
pub fn now() -> Now<Timestamp> {
    Now(PhantomData)
}

/// The current time as a date and time without time zone, in UTC.
pub fn now_naive() -> Now<auth_schema::sql::NaiveTimestamp> {
    Now(PhantomData)
}

/// See [`now`].
#[derive(Debug, Clone, Copy)]
pub struct Now<ST>(PhantomData<ST>);

impl<ST> sealed::Expression for Now<ST> {}

impl<ST: SqlType> Expression for Now<ST> {
    type Sql = ST;
    type Kind = agg::Constant;
    fn into_node(self) -> Node {
        Node::Function {
            func: ast::Function::Now(ST::COLUMN_TYPE),
            args: Vec::new(),
        }
    }
}

#[diagnostic::do_not_recommend]
impl<S, ST> ValidIn<S, ()> for Now<ST> {
    fn __seal(_: crate::sealed::Seal) {}
    type Null = NotNull;
}

#[diagnostic::do_not_recommend]
impl<G, ST> ValidGrouping<G, ()> for Now<ST> {
    fn __seal(_: crate::sealed::Seal) {}
}

// --------------------------------------------------------------------- CASE --

/// A `CASE` branch's value: a Rust value (bound with its natural SQL type, see [`value`]) or an
/// expression. `K` tells the two apart (rustc infers it).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the value of a CASE branch",
    label = "expected a value such as `\"text\"` or `1i64`, or an expression"
)]
pub trait Branch<K> {
    /// Its SQL type.
    type Sql: SqlType;
    /// As an expression.
    type Expr: Expression;
    /// Converts.
    fn into_branch(self) -> Self::Expr;
}

#[diagnostic::do_not_recommend]
impl<V: NaturalSql> Branch<ByValue> for V {
    type Sql = V::Sql;
    type Expr = Bind<V::Sql>;
    fn into_branch(self) -> Bind<V::Sql> {
        value(self)
    }
}

#[diagnostic::do_not_recommend]
impl<E: Expression> Branch<ByExpr> for E {
    type Sql = E::Sql;
    type Expr = E;
    fn into_branch(self) -> E {
        self
    }
}

/// `CASE WHEN p THEN v ...`: start with [`case_when`], add branches with [`Case::when`], end
/// with [`Case::otherwise`] (without it, unmatched rows give NULL, so the result is an `Option`).
///
/// ```
/// use auth_query::{case_when, prelude::*};
/// use auth_schema::kysely::user;
/// let q = Postgres.select_from(user::table).select(
///     case_when(user::email_verified.is_null(), "pending")
///         .when(user::image.is_null(), "plain")
///         .otherwise("complete"),
/// );
/// let _: &Select<Postgres, _, String, _, _> = &q;
/// assert_eq!(
///     q.compile().sql(),
///     r#"SELECT (CASE WHEN ("User"."emailVerified" IS NULL) THEN $1 WHEN ("User"."image" IS NULL) THEN $2 ELSE $3 END) FROM "User""#
/// );
/// ```
pub fn case_when<P: Predicate, V: Branch<K>, K>(
    cond: P,
    then: V,
) -> Case<V::Sql, When<P, V::Expr, NoWhen>, NoElse> {
    Case {
        whens: When(cond, then.into_branch(), NoWhen),
        otherwise: NoElse,
        _sql: PhantomData,
    }
}

/// A `CASE` expression of SQL type `ST`; see [`case_when`].
#[derive(Debug, Clone)]
pub struct Case<ST, W, E> {
    whens: W,
    otherwise: E,
    _sql: PhantomData<ST>,
}

/// One `WHEN p THEN v`, after the earlier ones `R`.
#[derive(Debug, Clone)]
pub struct When<P, V, R>(P, V, R);
/// No (more) `WHEN`.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoWhen;
/// No `ELSE`: unmatched rows give NULL.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoElse;
/// `ELSE v`.
#[derive(Debug, Clone)]
pub struct Else<V>(V);

/// Parts of a `CASE`, at the type level.
pub trait CasePart: sealed::Expression {
    /// Whether any part aggregates.
    type Kind: agg::Kind;
    #[doc(hidden)]
    fn whens(self, out: &mut Vec<(Node, Node)>);
    #[doc(hidden)]
    fn otherwise(self) -> Option<Node>;
}

impl sealed::Expression for NoWhen {}
impl CasePart for NoWhen {
    type Kind = agg::Unknown;
    fn whens(self, _: &mut Vec<(Node, Node)>) {}
    fn otherwise(self) -> Option<Node> {
        None
    }
}

impl<P, V, R> sealed::Expression for When<P, V, R> {}
impl<P: Expression, V: Expression, R: CasePart> CasePart for When<P, V, R> {
    type Kind = <<P::Kind as Kind>::Mix<V::Kind> as Kind>::Mix<R::Kind>;
    fn whens(self, out: &mut Vec<(Node, Node)>) {
        self.2.whens(out);
        out.push((self.0.into_node(), self.1.into_node()));
    }
    fn otherwise(self) -> Option<Node> {
        None
    }
}

impl sealed::Expression for NoElse {}
impl CasePart for NoElse {
    type Kind = agg::Unknown;
    fn whens(self, _: &mut Vec<(Node, Node)>) {}
    fn otherwise(self) -> Option<Node> {
        None
    }
}

impl<V> sealed::Expression for Else<V> {}
impl<V: Expression> CasePart for Else<V> {
    type Kind = V::Kind;
    fn whens(self, _: &mut Vec<(Node, Node)>) {}
    fn otherwise(self) -> Option<Node> {
        Some(self.0.into_node())
    }
}

impl<ST, W, E> sealed::Expression for Case<ST, W, E> {}

impl<ST: SqlType, W: CasePart, E: CasePart> Expression for Case<ST, W, E> {
    type Sql = ST;
    type Kind = <W::Kind as Kind>::Mix<E::Kind>;
    fn into_node(self) -> Node {
        let mut whens = Vec::new();
        self.whens.whens(&mut whens);
        Node::Case {
            whens,
            otherwise: self.otherwise.otherwise().map(Box::new),
        }
    }
}

#[diagnostic::do_not_recommend]
impl<S> ValidIn<S, ()> for NoWhen {
    fn __seal(_: crate::sealed::Seal) {}
    type Null = NotNull;
}
#[diagnostic::do_not_recommend]
impl<S> ValidIn<S, ()> for NoElse {
    fn __seal(_: crate::sealed::Seal) {}
    // A row no branch matches gives NULL.
    type Null = MaybeNull;
}
#[diagnostic::do_not_recommend]
impl<S, I, V: ValidIn<S, I>> ValidIn<S, I> for Else<V> {
    fn __seal(_: crate::sealed::Seal) {}
    type Null = V::Null;
}
#[diagnostic::do_not_recommend]
impl<S, IP, IV, IR, P: ValidIn<S, IP>, V: ValidIn<S, IV>, R: ValidIn<S, IR>>
    ValidIn<S, (IP, IV, IR)> for When<P, V, R>
{
    fn __seal(_: crate::sealed::Seal) {}
    type Null = <V::Null as Nullability>::Or<R::Null>;
}
#[diagnostic::do_not_recommend]
impl<S, IW, IE, ST, W: ValidIn<S, IW>, E: ValidIn<S, IE>> ValidIn<S, (IW, IE)> for Case<ST, W, E> {
    fn __seal(_: crate::sealed::Seal) {}
    type Null = <W::Null as Nullability>::Or<E::Null>;
}

#[diagnostic::do_not_recommend]
impl<G> ValidGrouping<G, ()> for NoWhen {
    fn __seal(_: crate::sealed::Seal) {}
}
#[diagnostic::do_not_recommend]
impl<G> ValidGrouping<G, ()> for NoElse {
    fn __seal(_: crate::sealed::Seal) {}
}
#[diagnostic::do_not_recommend]
impl<G, I, V: ValidGrouping<G, I>> ValidGrouping<G, I> for Else<V> {
    fn __seal(_: crate::sealed::Seal) {}
}
#[diagnostic::do_not_recommend]
impl<G, IP, IV, IR, P: ValidGrouping<G, IP>, V: ValidGrouping<G, IV>, R: ValidGrouping<G, IR>>
    ValidGrouping<G, (IP, IV, IR)> for When<P, V, R>
{
    fn __seal(_: crate::sealed::Seal) {}
}
#[diagnostic::do_not_recommend]
impl<G, IW, IE, ST, W: ValidGrouping<G, IW>, E: ValidGrouping<G, IE>> ValidGrouping<G, (IW, IE)>
    for Case<ST, W, E>
{
    fn __seal(_: crate::sealed::Seal) {}
}

impl<ST: SqlType, W, E> Case<ST, W, E> {
    /// Another `WHEN cond THEN value`, of the same SQL type as the first.
    pub fn when<P: Predicate, V, K>(self, cond: P, then: V) -> Case<ST, When<P, V::Expr, W>, E>
    where
        V: IntoExpr<ST, K>,
    {
        Case {
            whens: When(cond, then.into_expr(), self.whens),
            otherwise: self.otherwise,
            _sql: PhantomData,
        }
    }
}

impl<ST: SqlType, W> Case<ST, W, NoElse> {
    /// `ELSE value`, of the same SQL type as the branches: the result is then NULL only when a
    /// branch's value is.
    pub fn otherwise<V, K>(self, value: V) -> Case<ST, W, Else<V::Expr>>
    where
        V: IntoExpr<ST, K>,
    {
        Case {
            whens: self.whens,
            otherwise: Else(value.into_expr()),
            _sql: PhantomData,
        }
    }
}

// --------------------------------------------------------------- aggregates --

/// An aggregate function of SQL type `ST` over `E` (or over rows, for `COUNT(*)`).
#[derive(Debug, Clone)]
pub struct Agg<E, ST> {
    func: ast::Aggregate,
    arg: E,
    _sql: PhantomData<ST>,
}

impl<E, ST> sealed::Expression for Agg<E, ST> {}

impl<E: AggArg, ST: SqlType> Expression for Agg<E, ST> {
    type Sql = ST;
    type Kind = agg::Aggregate;
    fn into_node(self) -> Node {
        Node::Aggregate {
            func: self.func,
            arg: self.arg.into_arg().map(Box::new),
            result: ST::COLUMN_TYPE,
        }
    }
}

/// What an aggregate takes: an expression that does not aggregate, or nothing (`COUNT(*)`).
pub trait AggArg {
    #[doc(hidden)]
    fn into_arg(self) -> Option<Node>;
}

impl<E: Expression> AggArg for E
where
    E::Kind: agg::NotAggregate,
{
    fn into_arg(self) -> Option<Node> {
        Some(self.into_node())
    }
}

/// The rows themselves, for `COUNT(*)`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rows;

impl AggArg for Rows {
    fn into_arg(self) -> Option<Node> {
        None
    }
}

#[diagnostic::do_not_recommend]
impl<S, I, E: ValidIn<S, I>, ST> ValidIn<S, I> for Agg<E, ST> {
    fn __seal(_: crate::sealed::Seal) {}
    // The SQL type says whether the aggregate can be NULL (no rows); a left join changes nothing.
    type Null = NotNull;
}

#[diagnostic::do_not_recommend]
impl<S, ST> ValidIn<S, ()> for Agg<Rows, ST> {
    fn __seal(_: crate::sealed::Seal) {}
    type Null = NotNull;
}

// Aggregates are valid in any grouped query: their arguments are not grouped.
#[diagnostic::do_not_recommend]
impl<G, E, ST> ValidGrouping<G, ()> for Agg<E, ST> {
    fn __seal(_: crate::sealed::Seal) {}
}

/// `COUNT(*)`, decoded as `i64`.
///
/// ```
/// use auth_query::prelude::*;
/// use auth_schema::kysely::session;
/// let q = Sqlite.select_from(session::table).select(count_all());
/// assert_eq!(q.compile().sql(), r#"SELECT COUNT(*) FROM "Session""#);
/// ```
pub fn count_all() -> Agg<Rows, BigInt> {
    Agg {
        func: ast::Aggregate::CountAll,
        arg: Rows,
        _sql: PhantomData,
    }
}

/// `COUNT(e)`: the rows where `e` is not NULL, as `i64`.
pub fn count<E: Expression>(e: E) -> Agg<E, BigInt>
where
    E::Kind: agg::NotAggregate,
{
    Agg {
        func: ast::Aggregate::Count { distinct: false },
        arg: e,
        _sql: PhantomData,
    }
}

/// `COUNT(DISTINCT e)`, as `i64`.
pub fn count_distinct<E: Expression>(e: E) -> Agg<E, BigInt>
where
    E::Kind: agg::NotAggregate,
{
    Agg {
        func: ast::Aggregate::Count { distinct: true },
        arg: e,
        _sql: PhantomData,
    }
}

/// The SQL type `SUM` gives for an SQL type: `BigInt` for integers, `Double` for floats. Defined
/// for every SQL type (a non-numeric one maps to itself) so that `sum`'s result type always
/// exists, and its one check (`Numeric`) reports a non-numeric argument once.
pub trait SumType: SqlType {
    /// The sum's type.
    type Out: SqlType<NotNull = Self::Out>;
}

macro_rules! sum_types {
    ($($sql:ty => $out:ty),* $(,)?) => {$(
        impl SumType for $sql {
            type Out = $out;
        }
    )*};
}

sum_types! {
    auth_schema::sql::SmallInt => BigInt,
    auth_schema::sql::Integer => BigInt,
    BigInt => BigInt,
    auth_schema::sql::Real => Double,
    Double => Double,
    Text => Text,
    auth_schema::sql::LongText => auth_schema::sql::LongText,
    Bool => Bool,
    Timestamp => Timestamp,
    auth_schema::sql::NaiveTimestamp => auth_schema::sql::NaiveTimestamp,
    auth_schema::sql::Date => auth_schema::sql::Date,
    auth_schema::sql::Time => auth_schema::sql::Time,
    auth_schema::sql::Bytes => auth_schema::sql::Bytes,
}

impl<const N: u32> SumType for auth_schema::sql::Varchar<N> {
    type Out = Self;
}

impl<R: auth_schema::sql::UuidRepr> SumType for auth_schema::sql::Uuid<R> {
    type Out = Self;
}

impl<T: Send + Sync + 'static> SumType for auth_schema::sql::Json<T>
where
    auth_schema::sql::Json<T>: SqlType<NotNull = auth_schema::sql::Json<T>>,
{
    type Out = Self;
}

/// `SUM(e)` of a numeric expression: `Option<i64>` for integers, `Option<f64>` for floats
/// (NULL when no row matches), the same on every dialect. Postgres's `numeric` sum of integers
/// is cast to `bigint`, and MySQL's `DECIMAL` is decoded exactly; a sum beyond `i64` is an error
/// on every dialect, never a clipped value.
///
/// ```
/// use auth_query::{prelude::*, sum};
/// use auth_schema::kysely::authenticator;
/// let q = Postgres.select_from(authenticator::table).select(sum(authenticator::counter));
/// let _: &Select<Postgres, _, Option<i64>, _, _> = &q;
/// assert_eq!(q.compile().sql(), r#"SELECT CAST(SUM("Authenticator"."counter") AS bigint) FROM "Authenticator""#);
/// ```
pub fn sum<E: Expression>(e: E) -> Agg<E, Nullable<<<E::Sql as SqlType>::NotNull as SumType>::Out>>
where
    E::Kind: agg::NotAggregate,
    <E::Sql as SqlType>::NotNull: Numeric + SumType,
{
    Agg {
        func: ast::Aggregate::Sum,
        arg: e,
        _sql: PhantomData,
    }
}

/// `AVG(e)` of a numeric expression, as `Option<f64>` on every dialect.
pub fn avg<E: Expression>(e: E) -> Agg<E, Nullable<Double>>
where
    E::Kind: agg::NotAggregate,
    <E::Sql as SqlType>::NotNull: Numeric,
{
    Agg {
        func: ast::Aggregate::Avg,
        arg: e,
        _sql: PhantomData,
    }
}

/// SQL types with an order every dialect's `MIN` and `MAX` follow: all but JSON.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no order, so it has no MIN or MAX",
    label = "MIN and MAX take numbers, text, booleans, dates and times, UUIDs and bytes",
    note = "JSON documents are not ordered (PostgreSQL has no MIN of jsonb)"
)]
pub trait Orderable: SqlType {}

macro_rules! orderable {
    ($($sql:ty),* $(,)?) => {$(
        #[diagnostic::do_not_recommend]
        impl Orderable for $sql {}
    )*};
}

orderable!(
    Text,
    auth_schema::sql::LongText,
    auth_schema::sql::SmallInt,
    auth_schema::sql::Integer,
    BigInt,
    auth_schema::sql::Real,
    Double,
    Bool,
    Timestamp,
    auth_schema::sql::NaiveTimestamp,
    auth_schema::sql::Date,
    auth_schema::sql::Time,
    auth_schema::sql::Bytes,
);

#[diagnostic::do_not_recommend]
impl<const N: u32> Orderable for auth_schema::sql::Varchar<N> {}

#[diagnostic::do_not_recommend]
impl<R: auth_schema::sql::UuidRepr> Orderable for auth_schema::sql::Uuid<R> {}

/// `MIN(e)`: NULL (`None`) when no row matches.
pub fn min<E: Expression>(e: E) -> Agg<E, Nullable<<E::Sql as SqlType>::NotNull>>
where
    E::Kind: agg::NotAggregate,
    <E::Sql as SqlType>::NotNull: Orderable,
{
    Agg {
        func: ast::Aggregate::Min,
        arg: e,
        _sql: PhantomData,
    }
}

/// `MAX(e)`: NULL (`None`) when no row matches.
pub fn max<E: Expression>(e: E) -> Agg<E, Nullable<<E::Sql as SqlType>::NotNull>>
where
    E::Kind: agg::NotAggregate,
    <E::Sql as SqlType>::NotNull: Orderable,
{
    Agg {
        func: ast::Aggregate::Max,
        arg: e,
        _sql: PhantomData,
    }
}

// --------------------------------------------------------------------- raw --

/// The expressions a raw fragment takes: `()`, or a tuple of up to eight.
pub trait RawArgs: sealed::Values {
    /// Whether any of them aggregates.
    type Kind: agg::Kind;
    #[doc(hidden)]
    fn nodes(self) -> Vec<Node>;
}

impl sealed::Values for () {}
impl RawArgs for () {
    type Kind = agg::Unknown;
    fn nodes(self) -> Vec<Node> {
        Vec::new()
    }
}

/// Holds when every argument of a raw fragment is valid in scope `S` (see [`ValidIn`]).
pub trait RawArgsIn<S, I> {}
/// Holds when every argument of a raw fragment is valid in grouping `G` (see [`ValidGrouping`]).
pub trait RawArgsGrouping<G, I> {}

impl<S> RawArgsIn<S, ()> for () {}
impl<G> RawArgsGrouping<G, ()> for () {}

macro_rules! raw_args {
    ($(($($t:ident $i:ident),+))*) => {$(
        impl<$($t),+> sealed::Values for ($($t,)+) {}

        impl<$($t: Expression),+> RawArgs for ($($t,)+) {
            type Kind = raw_args!(@kind $($t)+);
            #[allow(non_snake_case)]
            fn nodes(self) -> Vec<Node> {
                let ($($t,)+) = self;
                vec![$($t.into_node()),+]
            }
        }

        #[diagnostic::do_not_recommend]
        impl<Scope, $($t: ValidIn<Scope, $i>, $i),+> RawArgsIn<Scope, ($($i,)+)> for ($($t,)+) {}

        #[diagnostic::do_not_recommend]
        impl<Grp, $($t: ValidGrouping<Grp, $i>, $i),+> RawArgsGrouping<Grp, ($($i,)+)> for ($($t,)+) {}
    )*};
    (@kind $a:ident) => { $a::Kind };
    (@kind $a:ident $($rest:ident)+) => { <$a::Kind as Kind>::Mix<raw_args!(@kind $($rest)+)> };
}

raw_args! {
    (A IA)
    (A IA, B IB)
    (A IA, B IB, C IC)
    (A IA, B IB, C IC, D ID)
    (A IA, B IB, C IC, D ID, E IE)
    (A IA, B IB, C IC, D ID, E IE, F IF)
    (A IA, B IB, C IC, D ID, E IE, F IF, G IG)
    (A IA, B IB, C IC, D ID, E IE, F IF, G IG, H IH)
}

/// A raw SQL fragment of SQL type `ST`, usable wherever an expression is: the escape hatch for
/// what the builder does not offer (Kysely's `sql` tag, Diesel's `sql::<T>`).
///
/// `template` is a `&'static str` (no `format!`: nothing from outside can become SQL text); each
/// `{}` in it takes the next of `args`, a tuple of expressions. A value goes in as an expression
/// too, bound as a parameter: [`value`]`(v)`. The arguments are still checked against the query's
/// scope; the fragment's SQL type is what you declare, and is not checked. An argument is
/// written with a space on each side. A template whose `{}` count differs from the arguments'
/// makes the statement fail with [`Error::InvalidValue`](crate::Error::InvalidValue) when run.
///
/// ```
/// use auth_query::{prelude::*, sql, value};
/// use auth_schema::{kysely::user, sql::BigInt};
/// let q = Postgres
///     .select_from(user::table)
///     .select(sql::<BigInt, _>("length({})", (user::email,)))
///     .filter(sql::<auth_schema::sql::Bool, _>("{} ~* {}", (user::email, value("^a"))));
/// assert_eq!(
///     q.compile().sql(),
///     r#"SELECT length( "User"."email" ) FROM "User" WHERE "User"."email" ~* $1"#
/// );
/// ```
pub fn sql<ST: SqlType, A: RawArgs>(template: &'static str, args: A) -> Raw<ST, A> {
    Raw {
        template,
        args,
        _sql: PhantomData,
    }
}

/// A raw fragment; see [`sql`].
#[derive(Debug, Clone)]
pub struct Raw<ST, A> {
    template: &'static str,
    args: A,
    _sql: PhantomData<ST>,
}

impl<ST, A> sealed::Expression for Raw<ST, A> {}

impl<ST: SqlType, A: RawArgs> Expression for Raw<ST, A> {
    type Sql = ST;
    type Kind = <A::Kind as Kind>::Mix<agg::Constant>;
    fn into_node(self) -> Node {
        Node::Raw {
            parts: self.template.split("{}").collect(),
            args: self.args.nodes(),
        }
    }
}

#[diagnostic::do_not_recommend]
impl<S, I, ST, A: RawArgsIn<S, I>> ValidIn<S, I> for Raw<ST, A> {
    fn __seal(_: crate::sealed::Seal) {}
    // Declared, not inferred: a NOT NULL type says the fragment is never NULL.
    type Null = NotNull;
}

#[diagnostic::do_not_recommend]
impl<G, I, ST, A: RawArgsGrouping<G, I>> ValidGrouping<G, I> for Raw<ST, A> {
    fn __seal(_: crate::sealed::Seal) {}
}

// --------------------------------------------------------------- subqueries --

/// `expr IN (SELECT ...)` or `NOT IN`; see [`ColumnExt::in_sub`].
#[derive(Debug, Clone)]
pub struct InSub<E, Q> {
    expr: E,
    sub: Q,
    negated: bool,
}

impl<E, Q> sealed::Expression for InSub<E, Q> {}

// `SubqueryRows` (every SELECT), not `Subquery`: `in_sub` checks the one column, and a
// subquery of several columns is then one error, not a second one here.
impl<E: Expression, Q: crate::select::SubqueryRows> Expression for InSub<E, Q> {
    type Sql = Bool;
    type Kind = <E::Kind as agg::Kind>::Mix<Q::Kind>;
    fn into_node(self) -> Node {
        Node::InSub {
            expr: Box::new(self.expr.into_node()),
            sub: Box::new(self.sub.into_rows_core()),
            negated: self.negated,
        }
    }
}

#[diagnostic::do_not_recommend]
impl<S, I, J, E: ValidIn<S, I>, Q: crate::select::CorrelatedIn<S, J>> ValidIn<S, (I, J)>
    for InSub<E, Q>
{
    fn __seal(_: crate::sealed::Seal) {}
    type Null = E::Null;
}

#[diagnostic::do_not_recommend]
impl<G, I, E: ValidGrouping<G, I>, Q> ValidGrouping<G, I> for InSub<E, Q> {
    fn __seal(_: crate::sealed::Seal) {}
}

/// `EXISTS (SELECT ...)`: whether the subquery finds a row. A subquery started with
/// [`subquery_from`](crate::QueryDsl::subquery_from) may use the outer query's tables.
///
/// ```
/// use auth_query::{exists, not_exists, prelude::*};
/// use auth_schema::kysely::{account, user};
/// // Users without an account, with a correlated subquery.
/// let q = Postgres.select_from(user::table).select(user::email).filter(not_exists(
///     Postgres.subquery_from(account::table).filter(account::user_id.eq_col(user::id)),
/// ));
/// assert_eq!(
///     q.compile().sql(),
///     r#"SELECT "User"."email" FROM "User" WHERE NOT EXISTS(SELECT 1 FROM "Account" WHERE "Account"."userId" = "User"."id")"#
/// );
/// ```
pub fn exists<Q: crate::select::SubqueryRows>(subquery: Q) -> Exists<Q> {
    Exists {
        sub: subquery,
        negated: false,
    }
}

/// `NOT EXISTS (SELECT ...)`; see [`exists`].
pub fn not_exists<Q: crate::select::SubqueryRows>(subquery: Q) -> Exists<Q> {
    Exists {
        sub: subquery,
        negated: true,
    }
}

/// See [`exists`].
#[derive(Debug, Clone)]
pub struct Exists<Q> {
    sub: Q,
    negated: bool,
}

impl<Q> sealed::Expression for Exists<Q> {}

impl<Q: crate::select::SubqueryRows> Expression for Exists<Q> {
    type Sql = Bool;
    type Kind = Q::Kind;
    fn into_node(self) -> Node {
        Node::Exists {
            sub: Box::new(self.sub.into_rows_core()),
            negated: self.negated,
        }
    }
}

#[diagnostic::do_not_recommend]
impl<S, J, Q: crate::select::CorrelatedIn<S, J>> ValidIn<S, J> for Exists<Q> {
    fn __seal(_: crate::sealed::Seal) {}
    type Null = NotNull;
}

#[diagnostic::do_not_recommend]
impl<G, Q> ValidGrouping<G, ()> for Exists<Q> {
    fn __seal(_: crate::sealed::Seal) {}
}

/// A subquery that selects one value, as an expression: `(SELECT ...)`. It is NULL when the
/// subquery finds no row, so it decodes as an `Option`.
///
/// ```
/// use auth_query::{count_all, prelude::*, scalar};
/// use auth_schema::kysely::{session, user};
/// let q = Sqlite.select_from(user::table).select((
///     user::email,
///     scalar(Sqlite.subquery_from(session::table).select(count_all()).filter(session::user_id.eq_col(user::id))),
/// ));
/// let _: &Select<Sqlite, _, (String, Option<i64>), _, _> = &q;
/// ```
pub fn scalar<Q: crate::select::Subquery>(subquery: Q) -> Scalar<Q> {
    Scalar(subquery)
}

/// See [`scalar`].
#[derive(Debug, Clone)]
pub struct Scalar<Q>(Q);

impl<Q> sealed::Expression for Scalar<Q> {}

impl<Q: crate::select::Subquery> Expression for Scalar<Q> {
    type Sql = Nullable<<Q::Sql as SqlType>::NotNull>;
    type Kind = Q::Kind;
    fn into_node(self) -> Node {
        Node::Scalar(Box::new(self.0.into_core()))
    }
}

#[diagnostic::do_not_recommend]
impl<S, J, Q: crate::select::CorrelatedIn<S, J>> ValidIn<S, J> for Scalar<Q> {
    fn __seal(_: crate::sealed::Seal) {}
    type Null = NotNull;
}

#[diagnostic::do_not_recommend]
impl<G, Q> ValidGrouping<G, ()> for Scalar<Q> {
    fn __seal(_: crate::sealed::Seal) {}
}

// ------------------------------------------------------------- parameters --

/// A typed argument of a prepared statement, from [`QueryDsl::prepare`](crate::QueryDsl::prepare):
/// usable only where a value of SQL type `ST` goes, and only inside the closure that builds the
/// statement (`'p`), so a statement holding one cannot run without its arguments.
pub struct Param<'p, ST> {
    index: u16,
    _marker: PhantomData<(fn(&'p ()) -> &'p (), ST)>,
}

impl<ST> Param<'_, ST> {
    pub(crate) fn new(index: u16) -> Self {
        Param {
            index,
            _marker: PhantomData,
        }
    }
}

impl<ST> Clone for Param<'_, ST> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<ST> Copy for Param<'_, ST> {}
impl<ST> core::fmt::Debug for Param<'_, ST> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Param({})", self.index)
    }
}

#[diagnostic::do_not_recommend]
impl<ST: SqlType> AsSql<ST> for Param<'_, ST> {
    fn into_bound(self) -> Bound {
        Bound::Arg(self.index)
    }
}

#[diagnostic::do_not_recommend]
impl<ST: SqlType<NotNull = ST>> AsSql<Nullable<ST>> for Param<'_, ST> {
    fn into_bound(self) -> Bound {
        Bound::Arg(self.index)
    }
}

/// An argument of a prepared statement whose arguments are a `&[Value]` checked at run time
/// (for code generic over a schema, whose number of columns it cannot name). Get one from
/// [`DynArgs::arg`] inside [`QueryDsl::prepare_dynamic`](crate::QueryDsl::prepare_dynamic).
pub struct Arg<'p> {
    index: u16,
    _marker: PhantomData<fn(&'p ()) -> &'p ()>,
}

impl Clone for Arg<'_> {
    fn clone(&self) -> Self {
        *self
    }
}
impl Copy for Arg<'_> {}
impl core::fmt::Debug for Arg<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Arg({})", self.index)
    }
}

#[diagnostic::do_not_recommend]
impl<ST: SqlType> AsSql<ST> for Arg<'_> {
    fn into_bound(self) -> Bound {
        Bound::Arg(self.index)
    }
}

/// The arguments of a dynamic prepared statement; see [`QueryDsl::prepare_dynamic`](crate::QueryDsl::prepare_dynamic).
pub struct DynArgs<'p> {
    _marker: PhantomData<fn(&'p ()) -> &'p ()>,
}

impl DynArgs<'_> {
    pub(crate) fn new() -> Self {
        DynArgs {
            _marker: PhantomData,
        }
    }

    /// Argument `index` (0-based) of the `&[Value]` each execution passes.
    pub fn arg(&self, index: u16) -> Arg<'_> {
        Arg {
            index,
            _marker: PhantomData,
        }
    }
}
