//! The tables a query can see, as a type-level list, and the proofs that a table is in it.
//!
//! `select_from(user::table)` has scope `Cons<user::table, Nil>`; an inner join prepends the
//! joined source, and a left join prepends `LeftJoined<source>`, whose columns may be NULL. A
//! correlated subquery's scope ends in `Outer<S>`, the scope of the query around it. The index
//! `I` in `InScope<T, I>` says where `T` sits; rustc infers it, users never write it.
//!
//! A source is a table, or an alias of one ([`As`], declared with [`alias!`](crate::alias)), so
//! a table can be joined to itself.

use core::marker::PhantomData;

use auth_schema::{DistinctFrom, Table};

use crate::ast;
use crate::sealed;
use crate::select::{MaybeNull, NotNull, Nullability};

/// The empty scope.
#[derive(Debug, Clone, Copy, Default)]
pub struct Nil;

/// A scope with `H` in front of `T`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cons<H, T>(PhantomData<(H, T)>);

/// A source brought in by a left join: its columns may be NULL.
#[derive(Debug, Clone, Copy, Default)]
pub struct LeftJoined<T>(PhantomData<T>);

/// The scope of the query around a correlated subquery (see
/// [`QueryDsl::subquery_from`](crate::QueryDsl::subquery_from)).
#[derive(Debug, Clone, Copy, Default)]
pub struct Outer<S>(PhantomData<S>);

/// The table is the head of the scope.
#[derive(Debug, Clone, Copy, Default)]
pub struct Here;

/// The table is somewhere in the tail of the scope.
#[derive(Debug, Clone, Copy, Default)]
pub struct There<I>(PhantomData<I>);

/// The name of an alias, declared with [`alias!`](crate::alias).
pub trait AliasName: Send + Sync + 'static {
    /// The table it is an alias of.
    type Table: Table;
    /// The alias, as the SQL names it.
    const NAME: &'static str;
}

/// A table under an alias: a source of its own, whose columns are `alias.col(column)`.
///
/// ```
/// use auth_query::prelude::*;
/// use auth_schema::kysely::user;
///
/// auth_query::alias! {
///     /// The user who invited another.
///     pub inviter = user::table;
/// }
///
/// # fn main() {
/// let q = Postgres
///     .select_from(user::table)
///     .inner_join(inviter, inviter.col(user::email).eq_col(user::name))
///     .select((user::email, inviter.col(user::id)));
/// assert_eq!(
///     q.compile().sql(),
///     r#"SELECT "User"."email", "inviter"."id" FROM "User" INNER JOIN "User" AS "inviter" ON "inviter"."email" = "User"."name""#
/// );
/// # }
/// ```
pub struct As<A>(PhantomData<fn() -> A>);

impl<A> As<A> {
    /// The alias as a value, for `select_from`, joins and `col`.
    pub const fn new() -> Self {
        As(PhantomData)
    }
}

impl<A> Clone for As<A> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<A> Copy for As<A> {}
impl<A> Default for As<A> {
    fn default() -> Self {
        As::new()
    }
}
impl<A> core::fmt::Debug for As<A> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("As")
    }
}

/// Declares aliases of tables, for self-joins: `alias! { pub parent = post::table; }` makes
/// `parent`, a source to join and to take columns from (`parent.col(post::id)`). Aliases declared
/// in one `alias!` can be joined together.
///
/// ```
/// use auth_query::prelude::*;
/// use auth_schema::kysely::user;
/// auth_query::alias! {
///     pub a = user::table;
///     pub b = user::table;
/// }
/// # fn main() {
/// let q = Sqlite
///     .select_from(a)
///     .inner_join(b, b.col(user::email).eq_col(a.col(user::email)))
///     .select((a.col(user::id), b.col(user::id)))
///     .filter(a.col(user::id).ne_col(b.col(user::id)));
/// assert!(q.compile().sql().starts_with(r#"SELECT "a"."id", "b"."id" FROM "User" AS "a" INNER JOIN "User" AS "b""#));
/// # }
/// ```
#[macro_export]
macro_rules! alias {
    ($( $(#[$meta:meta])* $vis:vis $name:ident = $table:ty; )+) => {
        $(
            $(#[$meta])*
            #[allow(non_camel_case_types)]
            $vis struct $name {}

            impl $crate::AliasName for $name {
                type Table = $table;
                const NAME: &'static str = stringify!($name);
            }

            $(#[$meta])*
            #[allow(non_upper_case_globals)]
            $vis const $name: $crate::As<$name> = $crate::As::new();
        )+
        $crate::__distinct_aliases!($($name)+);
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __distinct_aliases {
    ($first:ident $($rest:ident)*) => {
        $(
            impl $crate::DistinctAlias<$rest> for $first {}
            impl $crate::DistinctAlias<$first> for $rest {}
        )*
        $crate::__distinct_aliases!($($rest)*);
    };
    () => {};
}

/// Two aliases declared in one [`alias!`](crate::alias).
#[diagnostic::on_unimplemented(
    message = "aliases `{Self}` and `{B}` are not declared as different aliases",
    label = "the same alias is already in this query",
    note = "declare every alias a query joins together in one `alias!`"
)]
pub trait DistinctAlias<B> {}

/// Something FROM or a join can name: a table, or an alias of one.
pub trait Source: Copy + Default + Send + Sync + 'static + sealed::Source {
    /// The table.
    type Table: Table;
    /// The alias, if any.
    const ALIAS: Option<&'static str>;
    #[doc(hidden)]
    fn source() -> ast::Source {
        ast::Source {
            info: &<Self::Table as Table>::INFO,
            alias: Self::ALIAS,
        }
    }
}

impl<T: Table> sealed::Source for T {}
impl<T: Table> Source for T {
    type Table = T;
    const ALIAS: Option<&'static str> = None;
}

impl<A: AliasName> sealed::Source for As<A> {}
impl<A: AliasName> Source for As<A> {
    type Table = A::Table;
    const ALIAS: Option<&'static str> = Some(A::NAME);
}

/// Holds when source `T` is in this scope; `Null` says whether it was left-joined.
#[diagnostic::on_unimplemented(
    message = "table `{T}` is not in scope for this query",
    label = "a column of `{T}` is used, but `{T}` is not in FROM or a join here",
    note = "add the table with `inner_join` or `left_join` first (a join's ON sees the tables joined before it and the joined one)"
)]
pub trait InScope<T, I> {
    /// Seals the trait: only this crate implements it, so no impl elsewhere can put a column
    /// of a table that is not in the query into it.
    #[doc(hidden)]
    fn __seal(_: crate::sealed::Seal);

    /// `NotNull`, or `MaybeNull` for a left-joined table.
    type Null: Nullability;
}

// `do_not_recommend` on these reports a missing table against the whole scope, without listing
// the impls.
#[diagnostic::do_not_recommend]
impl<T: Source, R> InScope<T, Here> for Cons<T, R> {
    fn __seal(_: crate::sealed::Seal) {}
    type Null = NotNull;
}

#[diagnostic::do_not_recommend]
impl<T: Source, R> InScope<T, Here> for Cons<LeftJoined<T>, R> {
    fn __seal(_: crate::sealed::Seal) {}
    type Null = MaybeNull;
}

#[diagnostic::do_not_recommend]
impl<T, H, R, I> InScope<T, There<I>> for Cons<H, R>
where
    R: InScope<T, I>,
{
    fn __seal(_: crate::sealed::Seal) {}
    type Null = R::Null;
}

#[diagnostic::do_not_recommend]
impl<T, S, I> InScope<T, I> for Outer<S>
where
    S: InScope<T, I>,
{
    fn __seal(_: crate::sealed::Seal) {}
    type Null = S::Null;
}

/// Holds between two different sources: different tables declared together, an alias and any
/// table, or two aliases declared together.
#[diagnostic::on_unimplemented(
    message = "`{Self}` and `{T}` are not declared as different tables",
    label = "this table may already be in the query",
    note = "a table can appear once per query: to join it again, give it an alias with `alias!`",
    note = "different tables are declared different by the `schema!` or `database!` that lists them both"
)]
pub trait Differs<T> {
    /// Seals the trait: only this crate implements it, so no impl elsewhere can put a column
    /// of a table that is not in the query into it.
    #[doc(hidden)]
    fn __seal(_: crate::sealed::Seal);
}

#[diagnostic::do_not_recommend]
impl<T: Table, U: Table> Differs<U> for T
where
    T: DistinctFrom<U>,
{
    fn __seal(_: crate::sealed::Seal) {}
}
#[diagnostic::do_not_recommend]
impl<A: AliasName, U: Table> Differs<U> for As<A> {
    fn __seal(_: crate::sealed::Seal) {}
}
#[diagnostic::do_not_recommend]
impl<T: Table, A: AliasName> Differs<As<A>> for T {
    fn __seal(_: crate::sealed::Seal) {}
}
#[diagnostic::do_not_recommend]
impl<A: AliasName, B: AliasName> Differs<As<B>> for As<A>
where
    A: DistinctAlias<B>,
{
    fn __seal(_: crate::sealed::Seal) {}
}

/// Holds when source `T` is not yet in this scope.
#[diagnostic::on_unimplemented(
    message = "table `{T}` may already be in scope for this query",
    label = "this table was already selected from or joined",
    note = "a table can appear once per query: to join it again, give it an alias with `alias!`"
)]
pub trait NotInScope<T> {
    /// Seals the trait: only this crate implements it, so no impl elsewhere can put a column
    /// of a table that is not in the query into it.
    #[doc(hidden)]
    fn __seal(_: crate::sealed::Seal);
}

#[diagnostic::do_not_recommend]
impl<T> NotInScope<T> for Nil {
    fn __seal(_: crate::sealed::Seal) {}
}

#[diagnostic::do_not_recommend]
impl<T, H, R> NotInScope<T> for Cons<H, R>
where
    H: Differs<T>,
    R: NotInScope<T>,
{
    fn __seal(_: crate::sealed::Seal) {}
}

#[diagnostic::do_not_recommend]
impl<T, H: Differs<T>> Differs<T> for LeftJoined<H> {
    fn __seal(_: crate::sealed::Seal) {}
}

#[diagnostic::do_not_recommend]
impl<T, S: NotInScope<T>> NotInScope<T> for Outer<S> {
    fn __seal(_: crate::sealed::Seal) {}
}
