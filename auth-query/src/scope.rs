//! The tables a query can see, as a type-level list, and the proofs that a table is in it.
//!
//! `select_from(user::table)` has scope `Cons<user::table, Nil>`; an inner join prepends the
//! joined table, and a left join prepends `LeftJoined<table>`, whose columns decode as `Option`.
//! The index `I` in `InScope<T, I>` says where `T` sits; rustc infers it, users never write it.

use core::marker::PhantomData;

use auth_schema::{DistinctFrom, Table};

use crate::select::{MaybeNull, NotNull, Nullability};

/// The empty scope.
#[derive(Debug, Clone, Copy, Default)]
pub struct Nil;

/// A scope with `H` in front of `T`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cons<H, T>(PhantomData<(H, T)>);

/// A table brought in by a left join: its columns may be NULL.
#[derive(Debug, Clone, Copy, Default)]
pub struct LeftJoined<T>(PhantomData<T>);

/// The table is the head of the scope.
#[derive(Debug, Clone, Copy, Default)]
pub struct Here;

/// The table is somewhere in the tail of the scope.
#[derive(Debug, Clone, Copy, Default)]
pub struct There<I>(PhantomData<I>);

/// Holds when table `T` is in this scope; `Null` says whether it was left-joined.
#[diagnostic::on_unimplemented(
    message = "table `{T}` is not in scope for this query",
    label = "a column of `{T}` is used, but `{T}` is not in FROM or a join here",
    note = "add the table with `inner_join` or `left_join` first (a join's ON sees the tables joined before it and the joined one)"
)]
pub trait InScope<T, I> {
    /// `NotNull`, or `MaybeNull` for a left-joined table.
    type Null: Nullability;
}

// `do_not_recommend` on these three reports a missing table against the whole scope, without
// listing the impls.
#[diagnostic::do_not_recommend]
impl<T: Table, R> InScope<T, Here> for Cons<T, R> {
    type Null = NotNull;
}

#[diagnostic::do_not_recommend]
impl<T: Table, R> InScope<T, Here> for Cons<LeftJoined<T>, R> {
    type Null = MaybeNull;
}

#[diagnostic::do_not_recommend]
impl<T, H, R, I> InScope<T, There<I>> for Cons<H, R>
where
    R: InScope<T, I>,
{
    type Null = R::Null;
}

/// Holds when table `T` is not yet in this scope.
#[diagnostic::on_unimplemented(
    message = "table `{T}` is already in scope for this query",
    label = "this table was already selected from or joined",
    note = "a table can appear once per query; self-joins are not supported"
)]
pub trait NotInScope<T> {}

impl<T> NotInScope<T> for Nil {}

#[diagnostic::do_not_recommend]
impl<T: Table, H: Table, R> NotInScope<T> for Cons<H, R>
where
    H: DistinctFrom<T>,
    R: NotInScope<T>,
{
}

#[diagnostic::do_not_recommend]
impl<T: Table, H: Table, R> NotInScope<T> for Cons<LeftJoined<H>, R>
where
    H: DistinctFrom<T>,
    R: NotInScope<T>,
{
}
