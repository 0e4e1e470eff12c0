//! What makes a builder a statement that can run, and the methods every runnable builder has:
//! `compile`, `prepare`, `fetch_all`, `fetch_optional`, `fetch_one` and `execute`.
//!
//! Each builder's own conditions (a SELECT selects something, an INSERT gives every required
//! column, an UPDATE sets a column and has a filter, a DELETE has a filter) are written on each
//! method directly, so a query that misses one gets that condition's message, once.

use crate::backend::Compiled;
use crate::dialect::Dialect;
use crate::error::Error;
use crate::exec::{self, BoxFuture, Executes, Ready};
use crate::prepared::{Prepared, prepare};
use crate::select::{Decode, Locked, RowsOut, Select, Union};
use crate::write::{Delete, HasFilter, Insert, InsertReady, SetsSomething, Update};
use auth_schema::{ColumnType, Table};

/// A complete statement of dialect `D`, as a [`prepare`](crate::QueryDsl::prepare) closure
/// returns: a SELECT with something selected, an INSERT that gives every required column, an
/// UPDATE with a `set` and a filter, a DELETE with a filter. `Rows` is what its rows decode to.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a complete `{D}` statement",
    label = "the closure must return a complete query built for `{D}`",
    note = "a SELECT needs `.select(...)`, an INSERT every required column, an UPDATE a `set` and a `filter` (or `all_rows()`), a DELETE a `filter`"
)]
pub trait Statement<D>: crate::sealed::Statement {
    /// What a row decodes to (`NoRows` for a statement without `RETURNING`).
    type Rows;
    #[doc(hidden)]
    fn render(&self) -> Rendered<D>;
}

/// A statement rendered for preparation or execution.
#[doc(hidden)]
pub struct Rendered<D> {
    pub(crate) compiled: Compiled<D>,
    pub(crate) types: Vec<ColumnType>,
    pub(crate) empty_update: bool,
}

/// The `Statement` impl and the runnable methods of one builder. `ready` are its conditions.
macro_rules! runnable {
    (
        [$($gen:tt)*] $ty:ty,
        rows = $rows:ident,
        ready = [$($ready:tt)*],
        empty_update = |$q:ident| $empty:expr $(,)?
    ) => {
        impl<$($gen)*> crate::sealed::Statement for $ty {}

        impl<$($gen)*> Statement<D> for $ty
        where
            D: Dialect,
            $($ready)*
        {
            type Rows = $rows;
            fn render(&self) -> Rendered<D> {
                let $q = self;
                Rendered {
                    compiled: self.render_sql(),
                    types: self.column_types(),
                    empty_update: $empty,
                }
            }
        }

        impl<$($gen)*> $ty
        where
            D: Dialect,
        {
            /// The SQL and parameters for `D`, without a connection.
            pub fn compile(&self) -> Compiled<D>
            where
                $($ready)*
            {
                self.render_sql()
            }

            /// Renders the SQL once, for repeated execution without arguments (see
            /// [`QueryDsl::prepare`](crate::QueryDsl::prepare) for a statement with arguments).
            pub fn prepare(&self) -> Prepared<D, $rows, ()>
            where
                $($ready)*
            {
                prepare(self, 0)
            }

            /// Runs the statement and decodes every row.
            pub fn fetch_all<'e, E: Executes<'e, D>>(
                self,
                executor: E,
            ) -> BoxFuture<'e, Result<Vec<<$rows as RowsOut>::Out>, Error>>
            where
                $($ready)*
                $rows: Decode + RowsOut<Out = <$rows as Decode>::Out>,
                <$rows as Decode>::Out: 'e,
            {
                exec::fetch_all::<D, E, $rows>(executor, Ready::from_rendered(self.render()))
            }

            /// Runs the statement and decodes the first row, if any.
            pub fn fetch_optional<'e, E: Executes<'e, D>>(
                self,
                executor: E,
            ) -> BoxFuture<'e, Result<Option<<$rows as RowsOut>::Out>, Error>>
            where
                $($ready)*
                $rows: Decode + RowsOut<Out = <$rows as Decode>::Out>,
                <$rows as Decode>::Out: 'e,
            {
                exec::fetch_optional::<D, E, $rows>(executor, Ready::from_rendered(self.render()))
            }

            /// Runs the statement and decodes the first row; no row is [`Error::NotFound`].
            pub fn fetch_one<'e, E: Executes<'e, D>>(
                self,
                executor: E,
            ) -> BoxFuture<'e, Result<<$rows as RowsOut>::Out, Error>>
            where
                $($ready)*
                $rows: Decode + RowsOut<Out = <$rows as Decode>::Out>,
                <$rows as Decode>::Out: 'e,
            {
                exec::fetch_one::<D, E, $rows>(executor, Ready::from_rendered(self.render()))
            }

            /// Runs the statement and returns the number of rows it affected (MySQL: changed;
            /// Postgres and SQLite: matched).
            pub fn execute<'e, E: Executes<'e, D>>(self, executor: E) -> BoxFuture<'e, Result<u64, Error>>
            where
                $($ready)*
            {
                exec::execute::<D, E>(executor, Ready::from_rendered(self.render()))
            }
        }
    };
}

runnable!([D, S, O, G, V] Select<D, S, O, G, V>, rows = O, ready = [O: Decode,], empty_update = |_q| false);
runnable!([D, O] Locked<D, O>, rows = O, ready = [O: Decode,], empty_update = |_q| false);
runnable!([D, O, V, Sel] Union<D, O, V, Sel>, rows = O, ready = [O: Decode,], empty_update = |_q| false);
runnable!([D, T, St, O] Insert<D, T, St, O>, rows = O, ready = [T: Table, St: InsertReady<T>,], empty_update = |_q| false);
runnable!(
    [D, T, F, St, O] Update<D, T, F, St, O>,
    rows = O,
    ready = [T: Table, F: HasFilter, St: SetsSomething,],
    empty_update = |q| !q.has_changes(),
);
runnable!([D, T, F, O] Delete<D, T, F, O>, rows = O, ready = [T: Table, F: HasFilter,], empty_update = |_q| false);
