//! Typed expressions: columns, bound values and predicates.
//!
//! Each expression type is a thin generic shell; [`Expression::into_expr`] lowers it to a
//! sea-query expression through the non-generic code in [`backend`](crate::backend).

use chrono::{DateTime, Utc};

use auth_schema::sql::{BigInt, Bool, Nullable, SqlType, Text, Timestamp, Uuid};
use auth_schema::{Column, ColumnType, IntoValue, Table, Value};

use sea_query::{BinOper, Expr};

use crate::backend::{self, BindFor, Lower};
use crate::scope::InScope;

/// A typed SQL expression.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a SQL expression",
    label = "expected a column such as `user::email`, or a predicate such as `user::email.eq(\"a@b.c\")`"
)]
pub trait Expression: Sized {
    /// Its SQL type.
    type Sql: SqlType;
    /// Lowers it for the dialect of `cx`.
    fn into_expr(self, cx: &mut Lower) -> Expr;
}

/// Holds when every column the expression uses belongs to a table in scope `S`.
///
/// `I` is an index rustc infers; it is never written by hand.
#[diagnostic::on_unimplemented(
    message = "this expression uses a column of a table that is not in scope for this query",
    label = "a column in `{Self}` belongs to a table not in FROM or a join",
    note = "add the table with `inner_join` or `left_join` first; a join's ON sees the tables joined before it and the joined one"
)]
pub trait ValidIn<S, I> {}

/// A predicate: an expression of SQL type `Bool`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a boolean condition",
    label = "expected a predicate such as `user::email.eq(\"a@b.c\")`"
)]
pub trait Predicate: Expression<Sql = Bool> {}
// `do_not_recommend` reports this trait's message, not the `Sql == Bool` mismatch inside.
#[diagnostic::do_not_recommend]
impl<E: Expression<Sql = Bool>> Predicate for E {}

impl<C: Column> Expression for C {
    type Sql = C::Sql;
    fn into_expr(self, _: &mut Lower) -> Expr {
        backend::column(&<C::Table as Table>::INFO, &C::INFO)
    }
}

impl<S, I, C: Column> ValidIn<S, I> for C where S: InScope<C::Table, I> {}

/// What is bound for a placeholder: a value now, or an argument of a [`Prepared`](crate::Prepared)
/// statement supplied at each execution.
#[derive(Debug, Clone, PartialEq)]
pub enum Bound {
    /// A value known when the statement is built.
    Value(Value),
    /// The `n`th argument of a prepared statement.
    Arg(u8),
}

/// The `index`th argument of a prepared statement, usable wherever a value of any SQL type is.
///
/// ```
/// use auth_query::{arg, prelude::*};
/// use auth_schema::kysely::user;
/// let q = Postgres.select_from(user::table).select(user::id).filter(user::email.eq(arg(0))).prepare();
/// assert_eq!(q.sql(), r#"SELECT "User"."id" FROM "User" WHERE "User"."email" = $1"#);
/// ```
pub fn arg(index: u8) -> Arg {
    Arg(index)
}

/// An argument placeholder; see [`arg`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arg(pub u8);

/// A value bound as a parameter, never interpolated into the SQL text.
#[derive(Debug, Clone)]
pub struct Bind<ST> {
    value: Bound,
    ty: ColumnType,
    _sql: core::marker::PhantomData<ST>,
}

impl<ST: SqlType> Bind<ST> {
    fn new(value: Bound, ty: ColumnType) -> Self {
        Self {
            value,
            ty,
            _sql: core::marker::PhantomData,
        }
    }
}

impl<ST: SqlType> Expression for Bind<ST> {
    type Sql = ST;
    fn into_expr(self, cx: &mut Lower) -> Expr {
        cx.bound(self.value, self.ty, BindFor::Compare)
    }
}

#[diagnostic::do_not_recommend]
impl<S, ST> ValidIn<S, ()> for Bind<ST> {}

/// A Rust value that may be compared with a column of SQL type `ST`.
#[diagnostic::on_unimplemented(
    message = "cannot compare SQL type `{ST}` with a value of type `{Self}`",
    label = "this value does not have the column's SQL type",
    note = "`Text` and `Uuid` take `&str`/`String`, `BigInt` takes `i64`, `Bool` takes `bool`, `Timestamp` takes `DateTime<Utc>`; use `is_null()` to test for NULL"
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
#[diagnostic::do_not_recommend]
impl<ST: SqlType> AsSql<ST> for Arg {
    fn into_bound(self) -> Bound {
        Bound::Arg(self.0)
    }
}

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
        impl Assign<Nullable<$sql>> for Option<$rust> {
            fn into_bound(self) -> Bound { Bound::Value(self.into_value()) }
        }
    )+)*};
}

as_sql! {
    Text => &str, String, &String;
    Uuid => &str, String, &String, uuid::Uuid;
    BigInt => i64, i32;
    Bool => bool;
    Timestamp => DateTime<Utc>;
}

/// Holds when two SQL types can be compared (nullability aside).
#[diagnostic::on_unimplemented(
    message = "cannot compare SQL type `{Self}` with SQL type `{T}`",
    label = "the two columns have different SQL types"
)]
pub trait SameSql<T> {}

// One impl with the check in its where clause, under `do_not_recommend`: a mismatch reports this
// trait's message instead of a bare E0271 on `NotNull`.
#[diagnostic::do_not_recommend]
impl<A: SqlType, B: SqlType<NotNull = A::NotNull>> SameSql<B> for A {}

/// Holds for nullable SQL types.
#[diagnostic::on_unimplemented(
    message = "this column is NOT NULL (SQL type `{Self}`), so `is_null()` is always false",
    label = "`is_null`/`is_not_null` exist only for `Nullable<_>` columns"
)]
pub trait IsNullable {}
impl<ST> IsNullable for Nullable<ST> {}

/// Holds for text SQL types.
#[diagnostic::on_unimplemented(
    message = "`LIKE` needs a text column, not SQL type `{Self}`",
    label = "`like` exists for `Text` columns"
)]
pub trait IsText {}
impl IsText for Text {}

/// A binary operation: comparison, `LIKE`, `AND` or `OR`.
#[derive(Debug, Clone)]
pub struct Binary<L, R> {
    op: BinOper,
    lhs: L,
    rhs: R,
}

impl<L: Expression, R: Expression> Expression for Binary<L, R> {
    type Sql = Bool;
    fn into_expr(self, cx: &mut Lower) -> Expr {
        let lhs = self.lhs.into_expr(cx);
        backend::binary(lhs, self.op, self.rhs.into_expr(cx))
    }
}

// The column impl above competes with these, so a scope error is reported for the whole
// expression anyway; `do_not_recommend` only drops the list of impls from it.
#[diagnostic::do_not_recommend]
impl<S, IL, IR, L: ValidIn<S, IL>, R: ValidIn<S, IR>> ValidIn<S, (IL, IR)> for Binary<L, R> {}

/// `NOT e`.
#[derive(Debug, Clone)]
pub struct Not<E>(E);

impl<E: Predicate> Expression for Not<E> {
    type Sql = Bool;
    fn into_expr(self, cx: &mut Lower) -> Expr {
        backend::not(self.0.into_expr(cx))
    }
}

#[diagnostic::do_not_recommend]
impl<S, I, E: ValidIn<S, I>> ValidIn<S, I> for Not<E> {}

/// `e IS NULL` or `e IS NOT NULL`.
#[derive(Debug, Clone)]
pub struct IsNull<E> {
    expr: E,
    negated: bool,
}

impl<E: Expression> Expression for IsNull<E> {
    type Sql = Bool;
    fn into_expr(self, cx: &mut Lower) -> Expr {
        backend::is_null(self.expr.into_expr(cx), self.negated)
    }
}

#[diagnostic::do_not_recommend]
impl<S, I, E: ValidIn<S, I>> ValidIn<S, I> for IsNull<E> {}

/// `e IN (v1, v2, ...)`. An empty list is false.
#[derive(Debug, Clone)]
pub struct InList<E> {
    expr: E,
    values: Vec<Bound>,
    ty: ColumnType,
}

impl<E: Expression> Expression for InList<E> {
    type Sql = Bool;
    fn into_expr(self, cx: &mut Lower) -> Expr {
        let e = self.expr.into_expr(cx);
        backend::in_list(e, self.values, self.ty, cx)
    }
}

#[diagnostic::do_not_recommend]
impl<S, I, E: ValidIn<S, I>> ValidIn<S, I> for InList<E> {}

/// The comparison methods of columns. In the [prelude](crate::prelude).
///
/// ```
/// use auth_query::prelude::*;
/// use auth_schema::kysely::user;
/// let q = Postgres.select_from(user::table).select(user::id).filter(user::email.eq("a@b.c"));
/// assert_eq!(q.compile().sql, r#"SELECT "User"."id" FROM "User" WHERE "User"."email" = $1"#);
/// ```
pub trait ColumnExt: Column {
    /// `col = value`.
    fn eq<V: AsSql<Self::Sql>>(self, value: V) -> Binary<Self, Bind<Self::Sql>> {
        cmp(self, BinOper::Equal, value)
    }
    /// `col <> value`.
    fn ne<V: AsSql<Self::Sql>>(self, value: V) -> Binary<Self, Bind<Self::Sql>> {
        cmp(self, BinOper::NotEqual, value)
    }
    /// `col < value`.
    fn lt<V: AsSql<Self::Sql>>(self, value: V) -> Binary<Self, Bind<Self::Sql>> {
        cmp(self, BinOper::SmallerThan, value)
    }
    /// `col <= value`.
    fn le<V: AsSql<Self::Sql>>(self, value: V) -> Binary<Self, Bind<Self::Sql>> {
        cmp(self, BinOper::SmallerThanOrEqual, value)
    }
    /// `col > value`.
    fn gt<V: AsSql<Self::Sql>>(self, value: V) -> Binary<Self, Bind<Self::Sql>> {
        cmp(self, BinOper::GreaterThan, value)
    }
    /// `col >= value`.
    fn ge<V: AsSql<Self::Sql>>(self, value: V) -> Binary<Self, Bind<Self::Sql>> {
        cmp(self, BinOper::GreaterThanOrEqual, value)
    }
    /// `col LIKE pattern` (text columns only).
    fn like<V: AsSql<Self::Sql>>(self, pattern: V) -> Binary<Self, Bind<Self::Sql>>
    where
        <Self::Sql as SqlType>::NotNull: IsText,
    {
        cmp(self, BinOper::Like, pattern)
    }
    /// `col IN (values...)`.
    fn is_in<V, It>(self, values: It) -> InList<Self>
    where
        V: AsSql<Self::Sql>,
        It: IntoIterator<Item = V>,
    {
        InList {
            expr: self,
            values: values.into_iter().map(AsSql::into_bound).collect(),
            ty: Self::INFO.ty,
        }
    }
    /// `col IS NULL` (nullable columns only).
    fn is_null(self) -> IsNull<Self>
    where
        Self::Sql: IsNullable,
    {
        IsNull {
            expr: self,
            negated: false,
        }
    }
    /// `col IS NOT NULL` (nullable columns only).
    fn is_not_null(self) -> IsNull<Self>
    where
        Self::Sql: IsNullable,
    {
        IsNull {
            expr: self,
            negated: true,
        }
    }
    /// `col = other`, for two columns of the same SQL type (as in a join's ON).
    fn eq_col<C: Column>(self, other: C) -> Binary<Self, C>
    where
        Self::Sql: SameSql<C::Sql>,
    {
        Binary {
            op: BinOper::Equal,
            lhs: self,
            rhs: other,
        }
    }
    /// `col ASC`, for `order_by`.
    fn asc(self) -> Ordered<Self> {
        Ordered {
            expr: self,
            desc: false,
        }
    }
    /// `col DESC`, for `order_by`.
    fn desc(self) -> Ordered<Self> {
        Ordered {
            expr: self,
            desc: true,
        }
    }
}

impl<C: Column> ColumnExt for C {}

fn cmp<C: Column, V: AsSql<C::Sql>>(col: C, op: BinOper, value: V) -> Binary<C, Bind<C::Sql>> {
    Binary {
        op,
        lhs: col,
        rhs: Bind::new(value.into_bound(), C::INFO.ty),
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
///     q.compile().sql,
///     "SELECT `Account`.`userId` FROM `Account` WHERE `Account`.`provider` = ? AND (NOT `Account`.`providerAccountId` = ?)"
/// );
/// ```
pub trait PredicateExt: Predicate {
    /// `self AND other`.
    fn and<P: Predicate>(self, other: P) -> Binary<Self, P> {
        Binary {
            op: BinOper::And,
            lhs: self,
            rhs: other,
        }
    }
    /// `self OR other`.
    fn or<P: Predicate>(self, other: P) -> Binary<Self, P> {
        Binary {
            op: BinOper::Or,
            lhs: self,
            rhs: other,
        }
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

/// An expression with a sort direction, for `order_by`.
#[derive(Debug, Clone)]
pub struct Ordered<E> {
    pub(crate) expr: E,
    pub(crate) desc: bool,
}

#[diagnostic::do_not_recommend]
impl<S, I, E: ValidIn<S, I>> ValidIn<S, I> for Ordered<E> {}

/// Something `order_by` accepts: a column (ascending) or `col.asc()` / `col.desc()`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used in ORDER BY",
    label = "expected a column, or `column.asc()` / `column.desc()`"
)]
pub trait OrderExpr {
    /// Lowers it to an expression and a direction (`true` for descending).
    fn into_order(self, cx: &mut Lower) -> (Expr, bool);
}

impl<C: Column> OrderExpr for C {
    fn into_order(self, cx: &mut Lower) -> (Expr, bool) {
        (self.into_expr(cx), false)
    }
}

impl<E: Expression> OrderExpr for Ordered<E> {
    fn into_order(self, cx: &mut Lower) -> (Expr, bool) {
        (self.expr.into_expr(cx), self.desc)
    }
}

/// Holds when column `Self` belongs to table `T`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column of table `{T}`",
    label = "this column belongs to another table",
    note = "INSERT, SET, RETURNING and conflict targets may only name columns of the statement's table"
)]
pub trait ColumnOf<T> {}
// The `Table = T` check sits in a where clause, so `do_not_recommend` reports this trait's
// message instead of an E0271 on `Column::Table`.
#[diagnostic::do_not_recommend]
impl<T, C: Column<Table = T>> ColumnOf<T> for C {}
