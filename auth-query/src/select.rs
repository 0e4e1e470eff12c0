//! SELECT: the typed builder, selections and the row types they decode to.

use core::marker::PhantomData;

use auth_schema::sql::SqlType;
use auth_schema::{Column, DecodeError, FromValue, Json, Row, RowReader, Table, Value};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use crate::ast::{Item, Join, Lock, LockWait, Node, SelectCore};
use crate::backend::{self, Compiled};
use crate::dialect::{Dialect, SupportsRowLocks};
use crate::expr::{AliasColumn, Expression, OrderExpr, Predicate, ValidGrouping, ValidIn, agg};
use crate::scope::{
    AliasName, As, Cons, Here, InScope, LeftJoined, Nil, NotInScope, Outer, Source, There,
};

// ------------------------------------------------------------ decoding --

/// What a selected item decodes to. `Out` is the Rust value a row yields.
#[diagnostic::on_unimplemented(
    message = "this statement has no rows to fetch",
    label = "nothing is selected or returned",
    note = "call `.select(...)` (or `.returning(...)` on Postgres and SQLite) before fetching; use `.execute(...)` to run it for its row count"
)]
pub trait Decode {
    /// The decoded Rust value.
    type Out: Send;
    /// Reads this item's columns from the row.
    fn decode(reader: &mut dyn RowReader) -> Result<Self::Out, DecodeError>;
}

macro_rules! decode_values {
    ($($t:ty),*) => {$(
        #[diagnostic::do_not_recommend]
        impl Decode for $t {
            type Out = $t;
            fn decode(reader: &mut dyn RowReader) -> Result<$t, DecodeError> {
                <$t as FromValue>::from_value(reader.read()?)
            }
        }
        #[diagnostic::do_not_recommend]
        impl Decode for Option<$t> {
            type Out = Option<$t>;
            fn decode(reader: &mut dyn RowReader) -> Result<Option<$t>, DecodeError> {
                <Option<$t> as FromValue>::from_value(reader.read()?)
            }
        }
        impl IntoNullable for $t {
            type Nullable = Option<$t>;
        }
        impl IntoNullable for Option<$t> {
            type Nullable = Option<$t>;
        }
    )*};
}

/// A column's Rust type made nullable: `String` becomes `Option<String>`; `Option<_>` stays.
pub trait IntoNullable: Decode {
    /// The nullable form.
    type Nullable: Decode;
}

decode_values!(
    String,
    i16,
    i32,
    i64,
    f32,
    f64,
    bool,
    DateTime<Utc>,
    NaiveDateTime,
    NaiveDate,
    NaiveTime,
    Vec<u8>,
    uuid::Uuid
);

#[diagnostic::do_not_recommend]
impl<T: serde::de::DeserializeOwned + Send> Decode for Json<T> {
    type Out = Json<T>;
    fn decode(reader: &mut dyn RowReader) -> Result<Json<T>, DecodeError> {
        Json::<T>::from_value(reader.read()?)
    }
}
#[diagnostic::do_not_recommend]
impl<T: serde::de::DeserializeOwned + Send> Decode for Option<Json<T>> {
    type Out = Option<Json<T>>;
    fn decode(reader: &mut dyn RowReader) -> Result<Option<Json<T>>, DecodeError> {
        Option::<Json<T>>::from_value(reader.read()?)
    }
}
impl<T: serde::de::DeserializeOwned + Send> IntoNullable for Json<T> {
    type Nullable = Option<Json<T>>;
}
impl<T: serde::de::DeserializeOwned + Send> IntoNullable for Option<Json<T>> {
    type Nullable = Option<Json<T>>;
}

/// A whole row of `T`, decoded into its row struct.
#[derive(Debug, Clone, Copy, Default)]
pub struct RowOf<T>(PhantomData<T>);

#[diagnostic::do_not_recommend]
impl<T: Table> Decode for RowOf<T> {
    type Out = T::Row;
    fn decode(reader: &mut dyn RowReader) -> Result<T::Row, DecodeError> {
        T::Row::decode(reader)
    }
}

/// A whole row of a left-joined `T`: `None` when the join found no row.
#[derive(Debug, Clone, Copy, Default)]
pub struct OptionalRowOf<T>(PhantomData<T>);

#[diagnostic::do_not_recommend]
impl<T: Table> Decode for OptionalRowOf<T> {
    type Out = Option<T::Row>;
    fn decode(reader: &mut dyn RowReader) -> Result<Option<T::Row>, DecodeError> {
        let width = T::INFO.all_columns().count();
        let mut values = Vec::with_capacity(width);
        for _ in 0..width {
            values.push(reader.read()?);
        }
        // A primary key column is never NULL in a stored row: NULL there means no match.
        if matches!(values.get(T::PRESENCE_COLUMN), Some(Value::Null) | None) {
            return Ok(None);
        }
        T::Row::decode(&mut ValuesReader(values.into_iter())).map(Some)
    }
}

/// Reads already-decoded values in order.
pub(crate) struct ValuesReader<I>(pub(crate) I);

impl<I: Iterator<Item = Value>> RowReader for ValuesReader<I> {
    fn read(&mut self) -> Result<Value, DecodeError> {
        self.0
            .next()
            .ok_or_else(|| DecodeError::new("the row has fewer columns than the selection"))
    }
}

/// Decodes into a user's type through `From`.
#[derive(Debug, Clone, Copy, Default)]
pub struct MapInto<O, U>(PhantomData<(O, U)>);

#[diagnostic::do_not_recommend]
impl<O: Decode, U: From<O::Out> + Send> Decode for MapInto<O, U> {
    type Out = U;
    fn decode(reader: &mut dyn RowReader) -> Result<U, DecodeError> {
        O::decode(reader).map(U::from)
    }
}

/// Whether a table in scope may be missing (left-joined), at the type level.
pub trait Nullability {
    /// A column's output type under this nullability.
    type Column<R: IntoNullable>: Decode;
    /// A whole row's output type under this nullability.
    type Row<T: Table>: Decode;
    /// `MaybeNull` when either is.
    type Or<B: Nullability>: Nullability;
}

/// The table is always present.
#[derive(Debug, Clone, Copy, Default)]
pub struct NotNull;
/// The table was left-joined and may be missing.
#[derive(Debug, Clone, Copy, Default)]
pub struct MaybeNull;

impl Nullability for NotNull {
    type Column<R: IntoNullable> = R;
    type Row<T: Table> = RowOf<T>;
    type Or<B: Nullability> = B;
}

impl Nullability for MaybeNull {
    type Column<R: IntoNullable> = R::Nullable;
    type Row<T: Table> = OptionalRowOf<T>;
    type Or<B: Nullability> = MaybeNull;
}

// ------------------------------------------------------------ selections --

/// Something that can be selected in scope `S`: an expression (a column, a function, an
/// aggregate, ...), `table.all()`, or a tuple of those (up to 16).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be selected in this query",
    label = "every selected column must belong to a table in FROM or a join",
    note = "select a column such as `user::email`, an expression, a whole table with `user::table.all()`, or a tuple of up to 16 of these (group more into a row struct with `map_into`)"
)]
pub trait Selection<S, I> {
    /// What each row decodes to.
    type Out: Decode;
    /// Whether it aggregates.
    type Kind: agg::Kind;
    /// `One<ST>` when it is one expression of SQL type `ST`, else `Many`.
    type Shape;
    /// Appends the items.
    #[doc(hidden)]
    fn project(self, items: &mut Vec<Item>);
}

/// One expression of SQL type `ST` is selected: the query can be a scalar or `IN` subquery.
#[derive(Debug, Clone, Copy, Default)]
pub struct One<ST>(PhantomData<ST>);
/// Several columns (or nothing yet) are selected.
#[derive(Debug, Clone, Copy, Default)]
pub struct Many;

/// Tags the inferred index of an expression selection, so it cannot overlap the tuple impls.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExprIndex<I>(PhantomData<I>);
/// Tags the inferred index of a tuple selection.
#[derive(Debug, Clone, Copy, Default)]
pub struct TupleIndex<I>(PhantomData<I>);

// `do_not_recommend`: what cannot be selected is reported as `Selection` (whose note gives the
// tuple limit), not as whatever an expression would have needed.
#[diagnostic::do_not_recommend]
impl<S, I, E> Selection<S, ExprIndex<I>> for E
where
    E: Expression + ValidIn<S, I>,
    <E::Sql as SqlType>::Rust: IntoNullable,
{
    type Out = <E::Null as Nullability>::Column<<E::Sql as SqlType>::Rust>;
    type Kind = E::Kind;
    type Shape = One<E::Sql>;
    fn project(self, items: &mut Vec<Item>) {
        // A column is read as its own storage (an id, long text), an expression by its type.
        items.push(Item {
            ty: E::BIND,
            expr: self.into_node(),
        });
    }
}

/// Every column of a table, decoded into its row struct. Made by [`TableExt::all`].
#[derive(Debug, Clone, Copy, Default)]
pub struct All<T>(PhantomData<T>);

// `do_not_recommend` here keeps selection errors to the message above.
#[diagnostic::do_not_recommend]
impl<S, I, T: Source> Selection<S, I> for All<T>
where
    S: InScope<T, I>,
{
    type Out = <S::Null as Nullability>::Row<T::Table>;
    type Kind = agg::Plain;
    type Shape = Many;
    fn project(self, items: &mut Vec<Item>) {
        let source = T::source();
        items.extend(source.info.all_columns().map(|col| Item {
            expr: Node::Column {
                qualifier: source.qualifier(),
                col,
            },
            ty: col.ty,
        }));
    }
}

/// What RETURNING accepts: expressions over the statement's table that do not aggregate,
/// `table.all()`, or a tuple of them.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned by this statement",
    label = "RETURNING may only list columns of the statement's table (no aggregate)",
    note = "return a column such as `user::id`, the whole row with `user::table.all()`, or a tuple of these"
)]
pub trait Returnable<S, I> {
    #[doc(hidden)]
    fn project_returning(self, items: &mut Vec<Item>);
}

#[diagnostic::do_not_recommend]
impl<S, I, Sel: Selection<S, I>> Returnable<S, I> for Sel
where
    Sel::Kind: agg::NotAggregate,
{
    fn project_returning(self, items: &mut Vec<Item>) {
        self.project(items);
    }
}

/// What a RETURNING list decodes to: its own table is never missing, so a column decodes as its
/// Rust type and `table.all()` as the row. Separate from the check ([`Returnable`]) and without
/// conditions on the scope, so a failed check is reported once.
pub trait ReturnRow<I> {
    /// What each returned row decodes to.
    type Out: Decode;
}

impl<E: Expression> ReturnRow<ExprIndex<()>> for E
where
    <E::Sql as SqlType>::Rust: IntoNullable,
{
    type Out = <E::Sql as SqlType>::Rust;
}

impl<T: Source> ReturnRow<ExprIndex<()>> for All<T> {
    type Out = RowOf<T::Table>;
}

/// Holds when a selection is valid in a query grouped by the keys `L`: each of its expressions
/// is a grouped column, an aggregate, or built from those (see [`ValidGrouping`]).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be selected in a query grouped this way",
    label = "a selected column must be one of the GROUP BY keys, or inside an aggregate",
    note = "add the column to `group_by(...)`, or aggregate it: `count(col)`, `max(col)`, ..."
)]
pub trait SelectionGrouping<L, J> {}

impl<L, J, E: Expression + ValidGrouping<L, J>> SelectionGrouping<L, ExprIndex<J>> for E {}

macro_rules! tuple_selection {
    ($(($($t:ident $i:ident),+))*) => {$(
        // `do_not_recommend`: the error names the whole tuple once, without a list of tuple impls.
        #[diagnostic::do_not_recommend]
        impl<S, $($t, $i,)+> Selection<S, TupleIndex<($($i,)+)>> for ($($t,)+)
        where
            $($t: Selection<S, $i>,)+
        {
            type Out = ($($t::Out,)+);
            type Kind = tuple_selection!(@kind $($t $i)+);
            type Shape = ($($t::Shape,)+);
            #[allow(non_snake_case)]
            fn project(self, items: &mut Vec<Item>) {
                let ($($t,)+) = self;
                $($t.project(items);)+
            }
        }

        #[diagnostic::do_not_recommend]
        impl<Grp, $($t: SelectionGrouping<Grp, $i>, $i,)+> SelectionGrouping<Grp, TupleIndex<($($i,)+)>> for ($($t,)+) {}

        #[diagnostic::do_not_recommend]
        impl<X, II, $($t,)+> Selects<X, TupleIndex<II>> for ($($t,)+)
        where
            tuple_selection!(@cons $($t)+): Selects<X, II>,
        {
        }

        // Here `$t` and `$i` stand for the shapes of the two selects' columns, one by one.
        #[diagnostic::do_not_recommend]
        impl<$($t: SameColumnTypes<$i>, $i,)+> SameColumnTypes<($($i,)+)> for ($($t,)+) {}

        impl<$($t: ReturnRow<$i>, $i),+> ReturnRow<TupleIndex<($($i,)+)>> for ($($t,)+) {
            type Out = ($(<$t as ReturnRow<$i>>::Out,)+);
        }

        #[diagnostic::do_not_recommend]
        impl<$($t: Decode,)+> Decode for ($($t,)+) {
            type Out = ($($t::Out,)+);
            fn decode(reader: &mut dyn RowReader) -> Result<Self::Out, DecodeError> {
                Ok(($($t::decode(reader)?,)+))
            }
        }
    )*};
    (@cons $a:ident) => { Cons<$a, Nil> };
    (@cons $a:ident $($rest:ident)+) => { Cons<$a, tuple_selection!(@cons $($rest)+)> };
    (@kind $a:ident $ia:ident) => { <$a as Selection<S, $ia>>::Kind };
    (@kind $a:ident $ia:ident $($rest:ident $ir:ident)+) => {
        <<$a as Selection<S, $ia>>::Kind as agg::Kind>::Mix<tuple_selection!(@kind $($rest $ir)+)>
    };
}

tuple_selection! {
    (A IA)
    (A IA, B IB)
    (A IA, B IB, C IC)
    (A IA, B IB, C IC, D ID)
    (A IA, B IB, C IC, D ID, E IE)
    (A IA, B IB, C IC, D ID, E IE, F IF)
    (A IA, B IB, C IC, D ID, E IE, F IF, G IG)
    (A IA, B IB, C IC, D ID, E IE, F IF, G IG, H IH)
    (A IA, B IB, C IC, D ID, E IE, F IF, G IG, H IH, J IJ)
    (A IA, B IB, C IC, D ID, E IE, F IF, G IG, H IH, J IJ, K IK)
    (A IA, B IB, C IC, D ID, E IE, F IF, G IG, H IH, J IJ, K IK, L IL)
    (A IA, B IB, C IC, D ID, E IE, F IF, G IG, H IH, J IJ, K IK, L IL, M IM)
    (A IA, B IB, C IC, D ID, E IE, F IF, G IG, H IH, J IJ, K IK, L IL, M IM, N IN)
    (A IA, B IB, C IC, D ID, E IE, F IF, G IG, H IH, J IJ, K IK, L IL, M IM, N IN, P IP)
    (A IA, B IB, C IC, D ID, E IE, F IF, G IG, H IH, J IJ, K IK, L IL, M IM, N IN, P IP, Q IQ)
    (A IA, B IB, C IC, D ID, E IE, F IF, G IG, H IH, J IJ, K IK, L IL, M IM, N IN, P IP, Q IQ, R IR)
}

/// `table.all()`: every column of the table, as its row struct. In the [prelude](crate::prelude).
pub trait TableExt: Source {
    /// Selects every column, decoding into the row struct (`Option` of it when left-joined).
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::user;
    /// let q = Sqlite.select_from(user::table).select(user::table.all());
    /// assert_eq!(
    ///     q.compile().sql(),
    ///     r#"SELECT "User"."id", "User"."name", "User"."email", "User"."emailVerified", "User"."image" FROM "User""#
    /// );
    /// ```
    fn all(self) -> All<Self> {
        All(PhantomData)
    }
}

impl<T: Source> TableExt for T {}

// ---------------------------------------------------------------- grouping --

/// The grouping state of a query without GROUP BY: the aggregation kinds of its selection
/// (`SK`) and of its ORDER BY (`OK`), which must not mix plain columns with aggregates, and
/// what it selects and sorts by ([`Listing`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Ungrouped<SK = agg::Unknown, OK = agg::Unknown, Lst = Listing>(
    PhantomData<(SK, OK, Lst)>,
);

/// The grouping state of a query with `GROUP BY` the columns `L` (a type-level list), and what
/// it selects and sorts by ([`Listing`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Grouped<L, Lst = Listing>(PhantomData<(L, Lst)>);

/// What a query selects (`Sel`, the selection as written, or [`NothingSelected`]) and sorts by (`Ord`, a type-level list
/// of the ORDER BY expressions), and whether it is DISTINCT (`Dist`: [`Yes`] or [`No`]): a
/// DISTINCT query may sort only by what it selects ([`SortsSelected`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Listing<Dist = No, Sel = NothingSelected, Ord = Nil, Lim = No>(
    PhantomData<(Dist, Sel, Ord, Lim)>,
);

/// The selection of a query before `select`: the DISTINCT check waits for the selection.
#[derive(Debug, Clone, Copy, Default)]
pub struct NothingSelected;

/// Type-level no.
#[derive(Debug, Clone, Copy, Default)]
pub struct No;
/// Type-level yes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Yes;

/// What `select` requires of a selection in grouping state `Self`: under `Ungrouped`, that it
/// does not mix plain columns and aggregates (with the ORDER BY either); under `Grouped<L>`,
/// that every plain column is one of `L`.
#[diagnostic::on_unimplemented(
    message = "this query mixes aggregate functions with columns outside any aggregate, without GROUP BY",
    label = "plain columns and aggregates need a GROUP BY",
    note = "select only aggregates, or group first: `.group_by(column)` before `.select(...)`"
)]
pub trait SelectIn<Sel, K, J> {
    #[doc(hidden)]
    fn __seal(_: crate::sealed::Seal);
}

// `do_not_recommend`: the only way this impl fails is mixing, which this trait's message says.
#[diagnostic::do_not_recommend]
impl<Sel, K: agg::Kind, SK, OK: agg::Kind, Lst> SelectIn<Sel, K, ()> for Ungrouped<SK, OK, Lst>
where
    K::Mix<OK>: agg::NotMixed,
{
    fn __seal(_: crate::sealed::Seal) {}
}

impl<Sel: SelectionGrouping<L, J>, K, L, Lst, J> SelectIn<Sel, K, J> for Grouped<L, Lst> {
    fn __seal(_: crate::sealed::Seal) {}
}

/// The grouping state after `select` of the selection `Sel`, of aggregation kind `K`. Separate
/// from the checks ([`SelectIn`], [`SortsSelected`]), and without conditions, so a failed check
/// is reported once.
pub trait AfterSelect<K, Sel> {
    /// The state after.
    type After;
}

impl<K, Sel, SK, OK, Dist, Sel0, Ord, Lim> AfterSelect<K, Sel>
    for Ungrouped<SK, OK, Listing<Dist, Sel0, Ord, Lim>>
{
    type After = Ungrouped<K, OK, Listing<Dist, Sel, Ord, Lim>>;
}

impl<K, Sel, L, Dist, Sel0, Ord, Lim> AfterSelect<K, Sel>
    for Grouped<L, Listing<Dist, Sel0, Ord, Lim>>
{
    type After = Grouped<L, Listing<Dist, Sel, Ord, Lim>>;
}

/// What `order_by` requires of an expression in grouping state `Self` (see [`SelectIn`]).
#[diagnostic::on_unimplemented(
    message = "this ORDER BY mixes aggregate functions with plain columns, without GROUP BY",
    label = "sorting by a plain column in a query of aggregates (or the reverse) needs a GROUP BY",
    note = "in a query without GROUP BY, sort by plain columns only, or by aggregates only"
)]
pub trait OrderIn<E, K, J> {
    #[doc(hidden)]
    fn __seal(_: crate::sealed::Seal);
}

#[diagnostic::do_not_recommend]
impl<E, K: agg::Kind, SK: agg::Kind, OK: agg::Kind, Lst> OrderIn<E, K, ()>
    for Ungrouped<SK, OK, Lst>
where
    SK::Mix<OK::Mix<K>>: agg::NotMixed,
{
    fn __seal(_: crate::sealed::Seal) {}
}

impl<E: ValidGrouping<L, J>, K, L, Lst, J> OrderIn<E, K, J> for Grouped<L, Lst> {
    fn __seal(_: crate::sealed::Seal) {}
}

/// The grouping state after `order_by` of the expression `E`, of aggregation kind `K` (see
/// [`AfterSelect`]).
pub trait AfterOrder<K, E> {
    /// The state after.
    type After;
}

impl<K: agg::Kind, E, SK, OK: agg::Kind, Dist, Sel, Ord, Lim> AfterOrder<K, E>
    for Ungrouped<SK, OK, Listing<Dist, Sel, Ord, Lim>>
{
    type After = Ungrouped<SK, OK::Mix<K>, Listing<Dist, Sel, Cons<E, Ord>, Lim>>;
}

impl<K, E, L, Dist, Sel, Ord, Lim> AfterOrder<K, E> for Grouped<L, Listing<Dist, Sel, Ord, Lim>> {
    type After = Grouped<L, Listing<Dist, Sel, Cons<E, Ord>, Lim>>;
}

/// Holds when the query has no GROUP BY, selection, ORDER BY or DISTINCT yet, as `group_by`
/// requires (an ORDER BY written before it would escape the grouping check).
#[diagnostic::on_unimplemented(
    message = "`group_by` must come before `select`, `order_by` and `distinct`, once",
    label = "this query already has a selection, an ORDER BY, DISTINCT or a GROUP BY",
    note = "write `.group_by(...)` right after the joins, then `.select(...)`"
)]
pub trait BeforeSelect {}
impl BeforeSelect for Ungrouped {}

/// Holds for a query that is not DISTINCT, or whose ORDER BY expressions are all selected:
/// PostgreSQL and MySQL refuse `SELECT DISTINCT a ... ORDER BY b` (which of the rows folded into
/// one would give its `b`?). Checked after `select`, `order_by` and `distinct`, in any order.
pub trait SortsSelected<J> {}
impl<SK, OK, Sel, Ord, Lim> SortsSelected<()> for Ungrouped<SK, OK, Listing<No, Sel, Ord, Lim>> {}
impl<SK, OK, Sel, Ord: AllSelected<Sel, J>, J, Lim> SortsSelected<J>
    for Ungrouped<SK, OK, Listing<Yes, Sel, Ord, Lim>>
{
}
impl<L, Sel, Ord, Lim> SortsSelected<()> for Grouped<L, Listing<No, Sel, Ord, Lim>> {}
impl<L, Sel, Ord: AllSelected<Sel, J>, J, Lim> SortsSelected<J>
    for Grouped<L, Listing<Yes, Sel, Ord, Lim>>
{
}

/// Holds when the selection `Sel` lists every expression of `Self`, a type-level list.
pub trait AllSelected<Sel, J> {}
impl<Sel> AllSelected<Sel, ()> for Nil {}
impl<Sel: Selects<H, I>, H, R: AllSelected<Sel, J>, I, J> AllSelected<Sel, (I, J)> for Cons<H, R> {}

/// Holds when the selection `Self` lists the expression `X`: it is `X`, `table.all()` of `X`'s
/// table, or a tuple with one of those.
#[diagnostic::on_unimplemented(
    message = "this query sorts by `{X}`, which it does not select",
    label = "not in the selection",
    note = "a DISTINCT query, and a UNION, sort only by what they select (the first select, for a UNION): PostgreSQL and MySQL refuse other ORDER BY expressions there; select it too, or sort by a selected expression"
)]
pub trait Selects<X, I> {}
// `do_not_recommend` (here and below): another expression is reported as not selected (this
// trait's message), not as a mismatch of types.
#[diagnostic::do_not_recommend]
impl<X, Y: SameType<X>> Selects<X, Here> for Y {}
#[diagnostic::do_not_recommend]
impl<T, C: Column> Selects<C, AllIndex> for All<T> where C::Table: SameType<T> {}

/// Type equality (of two expressions, of two tables), for [`Selects`].
pub trait SameType<T> {}
impl<T> SameType<T> for T {}
// A second impl that never applies keeps rustc from taking the first as the only candidate
// while `T` is still being inferred (it would then report a type mismatch, not this check).
impl<T> SameType<NeverSelected<T>> for T {}

/// Never an expression: see [`SameType`].
#[derive(Debug, Clone, Copy, Default)]
pub struct NeverSelected<T>(PhantomData<T>);
impl<A: AliasName, C: Column> Selects<AliasColumn<A, C>, AliasAllIndex> for All<As<A>> {}
impl<X> Selects<X, ()> for NothingSelected {}
#[diagnostic::do_not_recommend]
impl<X, H: Selects<X, I>, R, I> Selects<X, InHead<I>> for Cons<H, R> {}
#[diagnostic::do_not_recommend]
impl<X, H, R: Selects<X, I>, I> Selects<X, There<I>> for Cons<H, R> {}

/// The selection of a query in grouping state `Self` (see [`Listing`]).
pub trait Selected {
    /// The selection as written.
    type Sel;
}
impl<SK, OK, Dist, Sel, Ord, Lim> Selected for Ungrouped<SK, OK, Listing<Dist, Sel, Ord, Lim>> {
    type Sel = Sel;
}
impl<L, Dist, Sel, Ord, Lim> Selected for Grouped<L, Listing<Dist, Sel, Ord, Lim>> {
    type Sel = Sel;
}

/// Tags [`Selects`] through `table.all()`.
#[derive(Debug, Clone, Copy, Default)]
pub struct AllIndex;
/// Tags [`Selects`] through `alias.all()`.
#[derive(Debug, Clone, Copy, Default)]
pub struct AliasAllIndex;
/// Tags [`Selects`] through the first element of a list.
#[derive(Debug, Clone, Copy, Default)]
pub struct InHead<I>(PhantomData<I>);

/// Columns `group_by` accepts: one column, or a tuple of up to six, from tables in scope.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be grouped by in this query",
    label = "expected a column of a table in scope, or a tuple of them"
)]
pub trait GroupKeys<S, I> {
    /// The type-level list of the columns.
    type List;
    #[doc(hidden)]
    fn nodes(self, out: &mut Vec<Node>);
}

impl<S, I, C: Expression + ValidIn<S, I>> GroupKeys<S, ExprIndex<I>> for C
where
    C::Kind: agg::NotAggregate,
{
    type List = Cons<C, Nil>;
    fn nodes(self, out: &mut Vec<Node>) {
        out.push(self.into_node());
    }
}

macro_rules! group_keys {
    ($(($($t:ident $i:ident),+) => $list:ty;)*) => {$(
        impl<S, $($t: Expression + ValidIn<S, $i>, $i),+> GroupKeys<S, TupleIndex<($($i,)+)>> for ($($t,)+)
        where
            $($t::Kind: agg::NotAggregate,)+
        {
            type List = $list;
            #[allow(non_snake_case)]
            fn nodes(self, out: &mut Vec<Node>) {
                let ($($t,)+) = self;
                $(out.push($t.into_node());)+
            }
        }
    )*};
}

group_keys! {
    (A IA, B IB) => Cons<A, Cons<B, Nil>>;
    (A IA, B IB, C IC) => Cons<A, Cons<B, Cons<C, Nil>>>;
    (A IA, B IB, C IC, D ID) => Cons<A, Cons<B, Cons<C, Cons<D, Nil>>>>;
    (A IA, B IB, C IC, D ID, E IE) => Cons<A, Cons<B, Cons<C, Cons<D, Cons<E, Nil>>>>>;
    (A IA, B IB, C IC, D ID, E IE, F IF) => Cons<A, Cons<B, Cons<C, Cons<D, Cons<E, Cons<F, Nil>>>>>>;
}

/// Holds for a query that may take a row lock: no GROUP BY, no DISTINCT, no aggregate.
#[diagnostic::on_unimplemented(
    message = "this query cannot lock its rows",
    label = "a row lock needs a plain query: no GROUP BY, no DISTINCT, no aggregate",
    note = "the database would refuse FOR UPDATE / FOR SHARE here"
)]
pub trait Lockable {}
impl<SK: agg::NotAggregate, OK: agg::NotAggregate, Sel, Ord, Lim> Lockable
    for Ungrouped<SK, OK, Listing<No, Sel, Ord, Lim>>
{
}

// ------------------------------------------------------------------ Select --

/// The row type of a statement that yields no rows yet: call `select` or `returning` first.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoRows;

/// What the rows of a statement decode to, defined for statements without rows too (as
/// [`Infallible`](core::convert::Infallible)), so the fetch methods' signatures always exist and
/// fetching a statement without rows reports [`Decode`]'s message.
pub trait RowsOut {
    /// The decoded row.
    type Out;
}

impl<O: Decode> RowsOut for O {
    type Out = O::Out;
}

impl RowsOut for NoRows {
    type Out = core::convert::Infallible;
}

/// A typed SELECT. `D` is the dialect, `S` the tables in scope, `O` what a row decodes to, `G`
/// the grouping state ([`Ungrouped`] or [`Grouped`]), `V` whether one expression is selected
/// ([`One`], for subqueries) or not ([`Many`]). Name it with `_` for what you do not need:
/// `Select<Postgres, _, (String, i64), _, _>`.
#[must_use = "a query does nothing until it is compiled or executed"]
pub struct Select<D, S, O, G = Ungrouped, V = Many> {
    pub(crate) core: SelectCore,
    _marker: PhantomData<fn() -> (D, S, O, G, V)>,
}

impl<D, S, O, G, V> Clone for Select<D, S, O, G, V> {
    fn clone(&self) -> Self {
        Select {
            core: self.core.clone(),
            _marker: PhantomData,
        }
    }
}

impl<D, S, O, G, V> core::fmt::Debug for Select<D, S, O, G, V> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Select").field("core", &self.core).finish()
    }
}

/// Starts a SELECT on `source` for dialect `D` (see [`QueryDsl::select_from`](crate::QueryDsl::select_from)).
pub fn select_from<D: Dialect, T: Source>(_source: T) -> Select<D, Cons<T, Nil>, NoRows> {
    Select {
        core: SelectCore::new(T::source()),
        _marker: PhantomData,
    }
}

/// Starts a subquery on `source` that may also use the tables of the query around it (see
/// [`QueryDsl::subquery_from`](crate::QueryDsl::subquery_from)).
pub fn subquery_from<D: Dialect, T: Source, X>(_source: T) -> Select<D, Cons<T, Outer<X>>, NoRows> {
    Select {
        core: SelectCore::new(T::source()),
        _marker: PhantomData,
    }
}

impl<D: Dialect, S, O, G, V> Select<D, S, O, G, V> {
    fn retype<S2, O2, G2, V2>(self) -> Select<D, S2, O2, G2, V2> {
        Select {
            core: self.core,
            _marker: PhantomData,
        }
    }

    /// Sets the selected items; the row type follows them. In a query without GROUP BY, select
    /// plain columns and expressions, or aggregates, not both; after `group_by`, grouped columns
    /// and aggregates.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::{account, user};
    /// let q = Postgres
    ///     .select_from(user::table)
    ///     .left_join(account::table, account::user_id.eq_col(user::id))
    ///     .select((user::email, account::provider));
    /// // `account` is left-joined, so its column decodes as `Option`.
    /// let _: &Select<Postgres, _, (String, Option<String>), _, _> = &q;
    /// assert_eq!(
    ///     q.compile().sql(),
    ///     r#"SELECT "User"."email", "Account"."provider" FROM "User" LEFT JOIN "Account" ON "Account"."userId" = "User"."id""#
    /// );
    /// ```
    #[allow(clippy::type_complexity)]
    pub fn select<Sel, I, J, K>(
        mut self,
        selection: Sel,
    ) -> Select<D, S, Sel::Out, <G as AfterSelect<Sel::Kind, Sel>>::After, Sel::Shape>
    where
        Sel: Selection<S, I>,
        G: SelectIn<Sel, Sel::Kind, J> + AfterSelect<Sel::Kind, Sel>,
        <G as AfterSelect<Sel::Kind, Sel>>::After: SortsSelected<K>,
    {
        self.core.items.clear();
        selection.project(&mut self.core.items);
        self.retype()
    }

    /// Adds a WHERE condition, joined to earlier ones with AND. It may not aggregate (filter on
    /// aggregates with `having`).
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::session;
    /// let q = MySql.select_from(session::table).select(session::user_id).filter(session::session_token.eq("t"));
    /// assert_eq!(q.compile().sql(), "SELECT `Session`.`userId` FROM `Session` WHERE `Session`.`sessionToken` = ?");
    /// ```
    pub fn filter<P, I>(mut self, predicate: P) -> Self
    where
        P: Predicate + ValidIn<S, I>,
        P::Kind: agg::NotAggregate,
    {
        self.core.filters.push(predicate.into_node());
        self
    }

    /// `INNER JOIN source ON on`. The ON condition sees the tables already in scope and `source`.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::{session, user};
    /// let q = Sqlite
    ///     .select_from(session::table)
    ///     .inner_join(user::table, user::id.eq_col(session::user_id))
    ///     .select((session::table.all(), user::table.all()))
    ///     .filter(session::session_token.eq("t"));
    /// assert!(q.compile().sql().contains(r#"FROM "Session" INNER JOIN "User" ON "User"."id" = "Session"."userId" WHERE"#));
    /// ```
    pub fn inner_join<T, P, I>(mut self, _source: T, on: P) -> Select<D, Cons<T, S>, O, G, V>
    where
        T: Source,
        S: NotInScope<T>,
        P: Predicate + ValidIn<Cons<T, S>, I>,
        P::Kind: agg::NotAggregate,
    {
        self.core.joins.push(Join {
            left: false,
            source: T::source(),
            on: on.into_node(),
        });
        self.retype()
    }

    /// `LEFT JOIN source ON on`. Columns of `source` decode as `Option`, and `is_null()` is
    /// allowed on all of them (the rows without a match).
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::{account, user};
    /// // Users without an account.
    /// let q = Postgres
    ///     .select_from(user::table)
    ///     .left_join(account::table, account::user_id.eq_col(user::id))
    ///     .select(user::email)
    ///     .filter(account::provider.is_null());
    /// assert!(q.compile().sql().ends_with(r#"WHERE "Account"."provider" IS NULL"#));
    /// ```
    pub fn left_join<T, P, I>(
        mut self,
        _source: T,
        on: P,
    ) -> Select<D, Cons<LeftJoined<T>, S>, O, G, V>
    where
        T: Source,
        S: NotInScope<T>,
        P: Predicate + ValidIn<Cons<T, S>, I>,
        P::Kind: agg::NotAggregate,
    {
        self.core.joins.push(Join {
            left: true,
            source: T::source(),
            on: on.into_node(),
        });
        self.retype()
    }

    /// `GROUP BY` a column or a tuple of columns. It must come before `select`; the selection
    /// may then hold the grouped columns and aggregates only.
    ///
    /// ```
    /// use auth_query::{count_all, prelude::*};
    /// use auth_schema::kysely::account;
    /// let q = Postgres
    ///     .select_from(account::table)
    ///     .group_by(account::provider)
    ///     .select((account::provider, count_all()))
    ///     .having(count_all().gt(1));
    /// assert_eq!(
    ///     q.compile().sql(),
    ///     r#"SELECT "Account"."provider", COUNT(*) FROM "Account" GROUP BY "Account"."provider" HAVING COUNT(*) > $1"#
    /// );
    /// ```
    pub fn group_by<K, I>(mut self, keys: K) -> Select<D, S, O, Grouped<K::List>, V>
    where
        K: GroupKeys<S, I>,
        G: BeforeSelect,
    {
        keys.nodes(&mut self.core.group_by);
        self.retype()
    }

    /// `ORDER BY`: an expression (ascending) or `e.asc()` / `e.desc()`, with `nulls_first()`
    /// or `nulls_last()` on Postgres and SQLite. Calls accumulate.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::user;
    /// let q = Postgres.select_from(user::table).select(user::email).order_by(user::name.desc().nulls_last()).limit(10).offset(20);
    /// assert_eq!(
    ///     q.compile().sql(),
    ///     r#"SELECT "User"."email" FROM "User" ORDER BY "User"."name" DESC NULLS LAST LIMIT $1 OFFSET $2"#
    /// );
    /// ```
    #[allow(clippy::type_complexity)]
    pub fn order_by<E, I, J, K>(
        mut self,
        order: E,
    ) -> Select<D, S, O, <G as AfterOrder<<E::Inner as Expression>::Kind, E::Inner>>::After, V>
    where
        E: OrderExpr<D>,
        E::Inner: ValidIn<S, I>,
        G: OrderIn<E::Inner, <E::Inner as Expression>::Kind, J>
            + AfterOrder<<E::Inner as Expression>::Kind, E::Inner>,
        <G as AfterOrder<<E::Inner as Expression>::Kind, E::Inner>>::After: SortsSelected<K>,
    {
        self.core.order.push(order.into_term());
        self.retype()
    }

    /// `LIMIT n` (bound as a parameter; capped at `i64::MAX`, the largest the drivers bind).
    ///
    /// The query keeps its type, so a limit can be added conditionally; only a correlated
    /// subquery records it, for the dialects that refuse it in `IN` ([`AfterLimit`]).
    #[allow(clippy::type_complexity)]
    pub fn limit(mut self, n: u64) -> Select<D, S, O, <G as AfterLimit<S::Is>>::After, V>
    where
        S: Correlation,
        G: AfterLimit<S::Is>,
    {
        self.core.limit = Some(Ord::min(n, MAX_ROWS));
        self.retype()
    }

    /// `OFFSET n` (bound as a parameter; capped at `i64::MAX`).
    ///
    /// MySQL and SQLite accept OFFSET only after a LIMIT, so without [`limit`](Self::limit) it
    /// comes with `LIMIT` `i64::MAX` there, which is no limit.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::user;
    /// let q = Sqlite.select_from(user::table).select(user::email).offset(20);
    /// assert_eq!(q.compile().sql(), r#"SELECT "User"."email" FROM "User" LIMIT ? OFFSET ?"#);
    /// ```
    #[allow(clippy::type_complexity)]
    pub fn offset(mut self, n: u64) -> Select<D, S, O, <G as AfterLimit<S::Is>>::After, V>
    where
        S: Correlation,
        G: AfterLimit<S::Is>,
    {
        self.core.offset = Some(Ord::min(n, MAX_ROWS));
        self.retype()
    }

    /// `SELECT DISTINCT`. The query may then sort only by expressions it selects.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::account;
    /// let q = Postgres.select_from(account::table).select(account::provider).distinct().order_by(account::provider);
    /// assert_eq!(q.compile().sql(), r#"SELECT DISTINCT "Account"."provider" FROM "Account" ORDER BY "Account"."provider" ASC"#);
    /// ```
    pub fn distinct<K>(mut self) -> Select<D, S, O, <G as Distinguish>::After, V>
    where
        G: Distinguish,
        <G as Distinguish>::After: SortsSelected<K>,
    {
        self.core.distinct = true;
        self.retype()
    }

    /// The number of rows the query finds: `COUNT(*)` in place of the selection, without the
    /// ORDER BY, LIMIT and OFFSET (so a paged query gives its total on every page).
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::account;
    /// let q = Postgres
    ///     .select_from(account::table)
    ///     .filter(account::provider.eq("github"))
    ///     .select(account::provider_account_id)
    ///     .order_by(account::provider_account_id)
    ///     .limit(10)
    ///     .offset(20)
    ///     .count();
    /// assert_eq!(q.compile().sql(), r#"SELECT COUNT(*) FROM "Account" WHERE "Account"."provider" = $1"#);
    /// ```
    #[allow(clippy::type_complexity)]
    pub fn count(
        mut self,
    ) -> Select<
        D,
        S,
        i64,
        Ungrouped<
            agg::Aggregate,
            agg::Unknown,
            Listing<No, crate::expr::Agg<crate::expr::Rows, auth_schema::sql::BigInt>>,
        >,
        One<auth_schema::sql::BigInt>,
    >
    where
        G: Counted,
    {
        self.core.order.clear();
        self.core.limit = None;
        self.core.offset = None;
        let count = Item {
            expr: crate::expr::count_all().into_node(),
            ty: auth_schema::ColumnType::BigInt,
        };
        if self.core.distinct && !self.core.items.is_empty() {
            // `SELECT DISTINCT COUNT(*)` would count the rows before DISTINCT: count the
            // distinct rows in a derived table instead.
            let mut outer = SelectCore::new(self.core.from);
            outer.derived = Some(Box::new(self.core));
            outer.derived_items = true;
            outer.items.push(count);
            return Select {
                core: outer,
                _marker: PhantomData,
            };
        }
        self.core.distinct = false;
        self.core.items.clear();
        self.core.items.push(count);
        self.retype()
    }

    /// Decodes each row into `U` through `From<row>`, for a user's own struct.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::user;
    /// struct Contact { email: String, name: Option<String> }
    /// impl From<(String, Option<String>)> for Contact {
    ///     fn from((email, name): (String, Option<String>)) -> Self { Contact { email, name } }
    /// }
    /// let q = Sqlite.select_from(user::table).select((user::email, user::name)).map_into::<Contact>();
    /// let _: &Select<Sqlite, _, auth_query::MapInto<(String, Option<String>), Contact>, _, _> = &q;
    /// ```
    pub fn map_into<U>(self) -> Select<D, S, MapInto<O, U>, G, V>
    where
        O: Decode,
        U: From<O::Out> + Send,
    {
        self.retype()
    }

    pub(crate) fn render_sql(&self) -> Compiled<D> {
        backend::compile_select(&self.core, D::BACKEND)
    }

    pub(crate) fn column_types(&self) -> Vec<auth_schema::ColumnType> {
        self.core.types()
    }
}

impl<D: Dialect, S, O, G, V> Select<D, S, O, G, V> {
    /// `HAVING`: a condition on groups, over grouped columns and aggregates.
    pub fn having<P, I, J>(mut self, predicate: P) -> Self
    where
        P: Predicate + ValidIn<S, I>,
        G: HavingIn<P, J>,
    {
        self.core.having.push(predicate.into_node());
        self
    }
}

/// What `having` requires: a GROUP BY, and a condition over its keys and aggregates.
#[diagnostic::on_unimplemented(
    message = "HAVING needs a GROUP BY",
    label = "this query is not grouped",
    note = "group first with `.group_by(...)`; to filter rows, use `.filter(...)`"
)]
pub trait HavingIn<P, J> {
    #[doc(hidden)]
    fn __seal(_: crate::sealed::Seal);
}

impl<P: ValidGrouping<L, J>, L, Lst, J> HavingIn<P, J> for Grouped<L, Lst> {
    fn __seal(_: crate::sealed::Seal) {}
}

/// Holds for the grouping states `count` works in: without GROUP BY.
#[diagnostic::on_unimplemented(
    message = "`count()` counts the rows of a query without GROUP BY",
    label = "this query is grouped",
    note = "to count per group, select `count_all()` next to the grouped columns"
)]
pub trait Counted {}
impl<SK, OK, Lst> Counted for Ungrouped<SK, OK, Lst> {}

/// The grouping state after `distinct()`.
pub trait Distinguish {
    /// The state after.
    type After;
}
impl<SK, OK, Dist, Sel, Ord, Lim> Distinguish for Ungrouped<SK, OK, Listing<Dist, Sel, Ord, Lim>> {
    type After = Ungrouped<SK, OK, Listing<Yes, Sel, Ord, Lim>>;
}
impl<L, Dist, Sel, Ord, Lim> Distinguish for Grouped<L, Listing<Dist, Sel, Ord, Lim>> {
    type After = Grouped<L, Listing<Yes, Sel, Ord, Lim>>;
}

/// Whether a scope is that of a correlated subquery: [`Yes`] when it ends in the scope of the
/// query around it ([`Outer`]).
pub trait Correlation {
    /// [`Yes`] or [`No`].
    type Is;
}
impl Correlation for Nil {
    type Is = No;
}
impl<X> Correlation for Outer<X> {
    type Is = Yes;
}
impl<H, R: Correlation> Correlation for Cons<H, R> {
    type Is = R::Is;
}

/// The grouping state after `limit` or `offset` in a scope correlated or not (`C`): a
/// correlated subquery records its LIMIT in its [`Listing`], as some dialects refuse one in
/// `IN` ([`SupportsLimitInCorrelatedIn`](crate::dialect::SupportsLimitInCorrelatedIn)); any
/// other query keeps its type.
pub trait AfterLimit<C> {
    /// The state after.
    type After;
}
impl<G> AfterLimit<No> for G {
    type After = G;
}
impl<SK, OK, Dist, Sel, Ord, Lim> AfterLimit<Yes>
    for Ungrouped<SK, OK, Listing<Dist, Sel, Ord, Lim>>
{
    type After = Ungrouped<SK, OK, Listing<Dist, Sel, Ord, Yes>>;
}
impl<L, Dist, Sel, Ord, Lim> AfterLimit<Yes> for Grouped<L, Listing<Dist, Sel, Ord, Lim>> {
    type After = Grouped<L, Listing<Dist, Sel, Ord, Yes>>;
}

/// Whether a query has a LIMIT or OFFSET that [`AfterLimit`] recorded.
pub trait Limited {
    /// [`Yes`] or [`No`].
    type Is;
}
impl<SK, OK, Dist, Sel, Ord, Lim> Limited for Ungrouped<SK, OK, Listing<Dist, Sel, Ord, Lim>> {
    type Is = Lim;
}
impl<L, Dist, Sel, Ord, Lim> Limited for Grouped<L, Listing<Dist, Sel, Ord, Lim>> {
    type Is = Lim;
}

/// Holds when a subquery of dialect `D`, with a recorded LIMIT or not, can be used in `IN`.
pub trait LimitInSubquery {}
impl<D> LimitInSubquery for (D, No) {}
impl<D: crate::dialect::SupportsLimitInCorrelatedIn> LimitInSubquery for (D, Yes) {}

/// The largest LIMIT or OFFSET: the drivers bind them as `i64`.
const MAX_ROWS: u64 = i64::MAX as u64;

// ------------------------------------------------------------ row locks --

/// Holds for a scope whose rows dialect `D` can lock: every table, or on the dialects that lock
/// them ([`SupportsLockingLeftJoins`](crate::dialect::SupportsLockingLeftJoins)), left-joined
/// ones too.
pub trait LockScope<D> {}
impl<D> LockScope<D> for Nil {}
impl<D, X> LockScope<D> for Outer<X> {}
impl<D, H: LockableSource<D>, R: LockScope<D>> LockScope<D> for Cons<H, R> {}

/// One source of a scope that dialect `D` can lock (see [`LockScope`]).
#[diagnostic::on_unimplemented(
    message = "the `{D}` dialect cannot lock the rows of a left-joined table",
    label = "this query has a LEFT JOIN",
    note = "PostgreSQL refuses FOR UPDATE / FOR SHARE on the nullable side of an outer join: lock with an `inner_join`, or in a query of the tables to lock"
)]
pub trait LockableSource<D> {}
impl<D, T: Source> LockableSource<D> for T {}
impl<D: crate::dialect::SupportsLockingLeftJoins, T> LockableSource<D> for LeftJoined<T> {}

/// A SELECT with a row lock: `FOR UPDATE` or `FOR SHARE` (Postgres and MySQL), to run inside a
/// transaction. Made by [`Select::for_update`] or [`Select::for_share`], the last step before
/// running it.
#[must_use = "a query does nothing until it is compiled or executed"]
pub struct Locked<D, O> {
    pub(crate) core: SelectCore,
    _marker: PhantomData<fn() -> (D, O)>,
}

// The conditions sit on each method, so an unmet one reports its own message (not E0599).
impl<D: Dialect, S, O, G, V> Select<D, S, O, G, V> {
    /// `FOR UPDATE`: locks the rows found until the transaction ends.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::session;
    /// let q = Postgres.select_from(session::table).select(session::user_id).filter(session::session_token.eq("t")).for_update().skip_locked();
    /// assert_eq!(q.compile().sql(), r#"SELECT "Session"."userId" FROM "Session" WHERE "Session"."sessionToken" = $1 FOR UPDATE SKIP LOCKED"#);
    /// ```
    pub fn for_update(self) -> Locked<D, O>
    where
        D: SupportsRowLocks,
        G: Lockable,
        S: LockScope<D>,
    {
        self.lock(false)
    }

    /// `FOR SHARE` (`LOCK IN SHARE MODE` on MySQL): locks the rows found against writes.
    pub fn for_share(self) -> Locked<D, O>
    where
        D: SupportsRowLocks,
        G: Lockable,
        S: LockScope<D>,
    {
        self.lock(true)
    }

    fn lock(mut self, share: bool) -> Locked<D, O> {
        self.core.lock = Some(Lock {
            share,
            wait: LockWait::Wait,
        });
        Locked {
            core: self.core,
            _marker: PhantomData,
        }
    }
}

impl<D: Dialect, O> Locked<D, O> {
    /// `SKIP LOCKED`: rows another transaction holds are left out.
    pub fn skip_locked(mut self) -> Self {
        if let Some(lock) = &mut self.core.lock {
            lock.wait = LockWait::SkipLocked;
        }
        self
    }

    /// `NOWAIT`: fail at once on a row another transaction holds.
    pub fn no_wait(mut self) -> Self {
        if let Some(lock) = &mut self.core.lock {
            lock.wait = LockWait::NoWait;
        }
        self
    }

    pub(crate) fn render_sql(&self) -> Compiled<D> {
        backend::compile_select(&self.core, D::BACKEND)
    }

    pub(crate) fn column_types(&self) -> Vec<auth_schema::ColumnType> {
        self.core.types()
    }
}

// ------------------------------------------------------------------ UNION --

/// `UNION` / `UNION ALL` of selects with the same row type. ORDER BY, LIMIT and OFFSET on it
/// apply to the whole; an operand with its own is wrapped in a derived table. `Sel` is the
/// first select's selection, which the ORDER BY of the whole may use.
#[must_use = "a query does nothing until it is compiled or executed"]
pub struct Union<D, O, V = Many, Sel = NothingSelected> {
    pub(crate) core: SelectCore,
    _marker: PhantomData<fn() -> (D, O, V, Sel)>,
}

/// Holds for two selects that a UNION can combine: `(row type, column shapes)` of the second
/// against the first's. The same row type ([`SameRowType`]), then, column by column, SQL types
/// of the same kind ([`SameColumnTypes`]); each mistake is one error.
pub trait SameRows<B> {}
impl<O, V, O2: SameRowType<O, V, V2>, V2> SameRows<(O, V)> for (O2, V2) {}

/// Holds when a select's row type (`Self`) is the first select's (`O`), and its columns' SQL
/// types (`V2`) suit the first's (`V`). Checked in this order, so that different rows are one
/// error.
#[diagnostic::on_unimplemented(
    message = "a UNION needs selects of the same row type, not `{O}` and `{Self}`",
    label = "the two selects decode to different rows"
)]
pub trait SameRowType<O, V, V2> {}
impl<O, V, V2: SameColumnTypes<V>> SameRowType<O, V, V2> for O {}

/// Holds for two selections whose columns have, one by one, SQL types that a UNION can combine
/// (the same [`SqlType::Compare`], nullability aside): a `uuid` id and a `text` column decode to
/// the same `String`, but PostgreSQL refuses to combine them.
#[diagnostic::on_unimplemented(
    message = "a UNION needs columns of the same SQL types, one by one: `{Self}` and `{B}` differ",
    label = "a column of this select has another SQL type than the first select's column there",
    note = "select columns of the same SQL type on both sides, or cast one with a typed `raw` fragment"
)]
pub trait SameColumnTypes<B> {}
impl SameColumnTypes<Many> for Many {}
impl<A: SqlType, B: SqlType> SameColumnTypes<One<A>> for One<B> where
    B::Compare: SameSqlKind<A::Compare>
{
}

/// Holds for two kinds of SQL types ([`SqlType::Compare`]) that are the same.
#[diagnostic::on_unimplemented(
    message = "a UNION combines a `{Self}` column with a `{K}` column",
    label = "this select's column has another SQL type than the first select's column there",
    note = "select columns of the same SQL type on both sides, or cast one with a typed `raw` fragment"
)]
pub trait SameSqlKind<K> {}
impl<K> SameSqlKind<K> for K {}

impl<D: Dialect, S, O: Decode, G, V> Select<D, S, O, G, V> {
    /// `self UNION other`: rows of either, without duplicates.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::{user, verification_token as vt};
    /// let q = Postgres.select_from(user::table).select(user::email)
    ///     .union(Postgres.select_from(vt::table).select(vt::identifier));
    /// assert_eq!(
    ///     q.compile().sql(),
    ///     r#"SELECT "User"."email" FROM "User" UNION (SELECT "VerificationToken"."identifier" FROM "VerificationToken")"#
    /// );
    /// ```
    pub fn union<S2, O2, G2, V2>(
        self,
        other: Select<D, S2, O2, G2, V2>,
    ) -> Union<D, O, V, <G as Selected>::Sel>
    where
        (O2, V2): SameRows<(O, V)>,
        G: Selected,
    {
        self.combine(other.core, false)
    }

    /// `self UNION ALL other`: rows of either, duplicates kept.
    pub fn union_all<S2, O2, G2, V2>(
        self,
        other: Select<D, S2, O2, G2, V2>,
    ) -> Union<D, O, V, <G as Selected>::Sel>
    where
        (O2, V2): SameRows<(O, V)>,
        G: Selected,
    {
        self.combine(other.core, true)
    }

    fn combine<Sel>(self, other: SelectCore, all: bool) -> Union<D, O, V, Sel> {
        let core = self.core;
        // The union's ORDER BY, LIMIT and OFFSET apply to the whole: the first operand's own
        // (if any) stay its own, inside a derived table.
        let mut base = if core.order.is_empty() && core.limit.is_none() && core.offset.is_none() {
            core
        } else {
            let mut outer = SelectCore::new(core.from);
            outer.items = core.items.clone();
            outer.derived = Some(Box::new(core));
            outer
        };
        base.unions.push((all, other));
        Union {
            core: base,
            _marker: PhantomData,
        }
    }
}

impl<D: Dialect, O: Decode, V, Sel> Union<D, O, V, Sel> {
    /// Another `UNION`.
    pub fn union<S2, O2, G2, V2>(mut self, other: Select<D, S2, O2, G2, V2>) -> Self
    where
        (O2, V2): SameRows<(O, V)>,
    {
        self.core.unions.push((false, other.core));
        self
    }

    /// Another `UNION ALL`.
    pub fn union_all<S2, O2, G2, V2>(mut self, other: Select<D, S2, O2, G2, V2>) -> Self
    where
        (O2, V2): SameRows<(O, V)>,
    {
        self.core.unions.push((true, other.core));
        self
    }

    /// `ORDER BY` of the whole: an expression the first select selects (ascending), or
    /// `e.asc()` / `e.desc()` of one, with `nulls_first()` / `nulls_last()` on Postgres and
    /// SQLite. It is written as the column's position, which every dialect takes after a UNION.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::user;
    /// let q = Postgres.select_from(user::table).select((user::email, user::name)).filter(user::name.eq("Ada"))
    ///     .union(Postgres.select_from(user::table).select((user::email, user::name)).filter(user::email.like("%@example.com")))
    ///     .order_by(user::name.desc())
    ///     .order_by(user::email)
    ///     .limit(10);
    /// assert_eq!(
    ///     q.compile().sql(),
    ///     r#"SELECT "User"."email", "User"."name" FROM "User" WHERE "User"."name" = $1 UNION (SELECT "User"."email", "User"."name" FROM "User" WHERE "User"."email" LIKE $2) ORDER BY 2 DESC, 1 ASC LIMIT $3"#
    /// );
    /// ```
    pub fn order_by<E, I>(mut self, order: E) -> Self
    where
        E: OrderExpr<D>,
        Sel: Selects<E::Inner, I>,
    {
        let mut term = order.into_term();
        // The type check above says the expression is selected; its position is found here.
        if let Some(at) = self.core.items.iter().position(|i| i.expr == term.expr) {
            term.expr = Node::Position(at + 1);
        }
        self.core.order.push(term);
        self
    }

    /// `LIMIT n` on the whole.
    pub fn limit(mut self, n: u64) -> Self {
        self.core.limit = Some(Ord::min(n, MAX_ROWS));
        self
    }

    /// `OFFSET n` on the whole.
    pub fn offset(mut self, n: u64) -> Self {
        self.core.offset = Some(Ord::min(n, MAX_ROWS));
        self
    }

    pub(crate) fn render_sql(&self) -> Compiled<D> {
        backend::compile_select(&self.core, D::BACKEND)
    }

    pub(crate) fn column_types(&self) -> Vec<auth_schema::ColumnType> {
        self.core.types()
    }
}

// ------------------------------------------------------------- subqueries --

/// A SELECT used as a subquery that yields one value per row (`IN (...)`, a scalar).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as a one-column subquery",
    label = "a subquery for `in_sub` or `scalar` must select exactly one expression",
    note = "select one column or expression, e.g. `.select(account::user_id)`"
)]
pub trait Subquery {
    /// The SQL type of its one column.
    type Sql: SqlType;
    /// Its dialect.
    type Dialect;
    /// Whether it is a correlated subquery with a LIMIT or OFFSET ([`Limited`]).
    type Limited;
    /// Its aggregation kind in the query around it (see [`SubqueryRows::Kind`]).
    type Kind: agg::Kind;
    #[doc(hidden)]
    fn into_core(self) -> SelectCore;
}

impl<D, S: Correlation, O, G: Limited, ST: SqlType> Subquery for Select<D, S, O, G, One<ST>>
where
    S::Is: CorrelationKind,
{
    type Sql = ST;
    type Dialect = D;
    type Limited = G::Is;
    type Kind = <S::Is as CorrelationKind>::Kind;
    fn into_core(self) -> SelectCore {
        self.core
    }
}

/// A SELECT used by `EXISTS`: any selection, or none (`SELECT 1`).
pub trait SubqueryRows {
    /// Its aggregation kind in the query around it: a constant, or, correlated, a plain
    /// expression (it reads the outer row, so it cannot sit next to an aggregate without GROUP
    /// BY, which PostgreSQL refuses and MySQL and SQLite answer from an arbitrary row).
    type Kind: agg::Kind;
    #[doc(hidden)]
    fn into_rows_core(self) -> SelectCore;
}

/// The aggregation kind of a subquery, correlated ([`Yes`]) or not ([`No`]).
pub trait CorrelationKind {
    /// `Plain` or `Constant`.
    type Kind: agg::Kind;
}
impl CorrelationKind for No {
    type Kind = agg::Constant;
}
impl CorrelationKind for Yes {
    type Kind = agg::Plain;
}

impl<D, S: Correlation, O, G, V> SubqueryRows for Select<D, S, O, G, V>
where
    S::Is: CorrelationKind,
{
    type Kind = <S::Is as CorrelationKind>::Kind;
    fn into_rows_core(self) -> SelectCore {
        let mut core = self.core;
        if core.items.is_empty() {
            core.items.push(Item {
                expr: Node::Raw {
                    parts: vec!["1"],
                    args: Vec::new(),
                },
                ty: auth_schema::ColumnType::Integer,
            });
        }
        core
    }
}

/// Holds when a subquery can be used inside a query of scope `S`: it is not correlated, or it
/// is correlated with exactly that query (see [`QueryDsl::subquery_from`](crate::QueryDsl::subquery_from)).
#[diagnostic::on_unimplemented(
    message = "this subquery cannot be used in this query",
    label = "its tables do not match the query around it",
    note = "start a subquery that uses the outer query's tables with `subquery_from`, and use it in that query"
)]
pub trait CorrelatedIn<S, J> {}

/// Tags an uncorrelated subquery for [`CorrelatedIn`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Uncorrelated;
/// Tags a correlated subquery for [`CorrelatedIn`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Correlated;

impl<S, D, T, O, G, V> CorrelatedIn<S, Uncorrelated> for Select<D, Cons<T, Nil>, O, G, V> {}
impl<S, D, T, O, G, V> CorrelatedIn<S, Correlated> for Select<D, Cons<T, Outer<S>>, O, G, V> {}
impl<S, D, T, R, O, G, V, J> CorrelatedIn<S, (J,)> for Select<D, Cons<T, R>, O, G, V> where
    Select<D, R, O, G, V>: CorrelatedIn<S, J>
{
}
