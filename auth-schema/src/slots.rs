//! Insert completeness at the type level: which columns an `INSERT` given column by column has
//! set, and whether that covers every column that is NOT NULL without a default.
//!
//! A table's columns are numbered in row order ([`ColumnSlot::Ord`], Peano numbers); an insert's
//! state is a list with one [`Slot`] per column, [`Unset`] or [`Set`]. Setting a column twice,
//! or running an insert that leaves a required column unset, does not compile, and the message
//! names the column. The table macros declare, per table, the empty list and the list of
//! requirements ([`InsertSlots`]); all the logic is in the generic impls here, so a table costs
//! O(columns) generated code.

use core::marker::PhantomData;

use crate::column::{Column, Table};

/// Zero.
#[derive(Debug, Clone, Copy, Default)]
pub struct Z;
/// The successor of `N`.
#[derive(Debug, Clone, Copy, Default)]
pub struct S<N>(PhantomData<N>);

/// `M + N`, for numbering extra columns after a table's standard ones.
pub trait Add<N> {
    /// The sum.
    type Out;
}
impl<M> Add<Z> for M {
    type Out = M;
}
impl<M: Add<N>, N> Add<S<N>> for M {
    type Out = S<<M as Add<N>>::Out>;
}

/// A column not given yet.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unset;
/// A column given.
#[derive(Debug, Clone, Copy, Default)]
pub struct Set;
/// A column the insert must give: NOT NULL and without a default.
#[derive(Debug, Clone, Copy, Default)]
pub struct Req<C>(PhantomData<C>);
/// A column the insert may leave to NULL or its default.
#[derive(Debug, Clone, Copy, Default)]
pub struct Opt;

/// One column's entry in a list, then the rest.
#[derive(Debug, Clone, Copy, Default)]
pub struct Slot<St, Rest>(PhantomData<(St, Rest)>);
/// The end of a list.
#[derive(Debug, Clone, Copy, Default)]
pub struct End;

/// An insert built from a whole row struct: every column has a value or its declared default.
#[derive(Debug, Clone, Copy, Default)]
pub struct Complete;

/// A column's position in the row of table `T` (standard columns first, then extras).
/// Implemented for each column and its own table only, so it is also the check that a column
/// belongs to the statement's table.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column of table `{T}`",
    label = "this column belongs to another table",
    note = "INSERT, SET, RETURNING and conflict targets may only name columns of the statement's table"
)]
pub trait ColumnSlot<T>: Column {
    /// Its position.
    type Ord;
}

/// The insert-state lists of a table.
pub trait InsertSlots: Table {
    /// Every column [`Unset`].
    type Empty;
    /// Per column, [`Req`] or [`Opt`].
    type Required;
    /// The position of the first extra column (the number of standard columns).
    type ExtrasBase;
}

/// Marks column `C` (at position `N`) as given.
#[diagnostic::on_unimplemented(
    message = "column `{C}` is given twice in this INSERT",
    label = "already set by an earlier `.value(...)`"
)]
pub trait SetAt<N, C> {
    /// The state after.
    type Out;
}

#[diagnostic::do_not_recommend]
impl<Rest, C> SetAt<Z, C> for Slot<Unset, Rest> {
    type Out = Slot<Set, Rest>;
}

#[diagnostic::do_not_recommend]
impl<St, Rest: SetAt<N, C>, N, C> SetAt<S<N>, C> for Slot<St, Rest> {
    type Out = Slot<St, <Rest as SetAt<N, C>>::Out>;
}

/// Holds when a slot's state satisfies the requirement `R`.
#[diagnostic::on_unimplemented(
    message = "this INSERT does not set the required column `{C}`",
    label = "`{C}` is NOT NULL and has no default",
    note = "add `.value({C}, ...)`, or insert a whole row with `.values(...)`"
)]
pub trait Provided<C> {}
#[diagnostic::do_not_recommend]
impl<C> Provided<C> for Set {}

/// Holds when an insert state gives every required column.
#[diagnostic::on_unimplemented(
    message = "this INSERT does not set every required column",
    label = "a NOT NULL column without a default is missing"
)]
pub trait Covers<R> {}

impl Covers<End> for End {}

impl<R> Covers<R> for Complete {}

impl<St: Provided<C>, Rest: Covers<RRest>, C, RRest> Covers<Slot<Req<C>, RRest>>
    for Slot<St, Rest>
{
}

impl<St, Rest: Covers<RRest>, RRest> Covers<Slot<Opt, RRest>> for Slot<St, Rest> {}
