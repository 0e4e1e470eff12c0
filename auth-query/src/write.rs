//! INSERT, UPDATE and DELETE: the typed builders.

use core::marker::PhantomData;

use auth_schema::keys::UniqueKey;
use auth_schema::slots::{ColumnSlot, Complete, Covers, InsertSlots, SetAt, Slot};
use auth_schema::sql::SqlType;
use auth_schema::{Column, ColumnInfo, Insertable, Table, Value};

use crate::ast::{
    Bound, DeleteCore, InsertCore, Node, OnConflict, Source as AstSource, UpdateCore,
};
use crate::backend::{self, Compiled};
use crate::dialect::{
    Dialect, SupportsConflictTarget, SupportsDuplicateKeyUpdate, SupportsReturning,
};
use crate::expr::{Assign, ByExpr, ByValue, DynArgs, Expression, Predicate, ValidIn, agg};
use crate::scope::{Cons, Nil};
use crate::select::{NoRows, ReturnRow, Returnable};

/// Holds when column `Self` belongs to table `T`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column of table `{T}`",
    label = "this column belongs to another table",
    note = "INSERT, SET, RETURNING and conflict targets may only name columns of the statement's table"
)]
pub trait ColumnOf<T> {
    /// Seals the trait: only this crate implements it, so no impl elsewhere can put a column
    /// of a table that is not in the query into it.
    #[doc(hidden)]
    fn __seal(_: crate::sealed::Seal);
}
// The `Table = T` check sits in a where clause, so `do_not_recommend` reports this trait's
// message instead of an E0271 on `Column::Table`.
#[diagnostic::do_not_recommend]
impl<T, C: Column<Table = T>> ColumnOf<T> for C {
    fn __seal(_: crate::sealed::Seal) {}
}

/// Columns of table `T`: one column or a tuple of up to four, for conflict targets and upserts.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column or tuple of columns of table `{T}`",
    label = "conflict targets and updated columns must belong to the statement's table"
)]
pub trait Columns<T, K> {
    /// Seals the trait: only this crate implements it, so no impl elsewhere can put a column
    /// of a table that is not in the query into it.
    #[doc(hidden)]
    fn __seal(_: crate::sealed::Seal);

    /// The columns, in order.
    fn infos(self) -> Vec<&'static ColumnInfo>;
}

/// Tags the single-column impl of [`Columns`] (rustc infers it).
#[derive(Debug, Clone, Copy, Default)]
pub struct OneColumn;
/// Tags the tuple impls of [`Columns`] (rustc infers it).
#[derive(Debug, Clone, Copy, Default)]
pub struct ColumnTuple;

impl<T, C: Column + ColumnOf<T>> Columns<T, OneColumn> for C {
    fn __seal(_: crate::sealed::Seal) {}
    fn infos(self) -> Vec<&'static ColumnInfo> {
        vec![&C::INFO]
    }
}

macro_rules! column_tuples {
    ($(($($c:ident),+))*) => {$(
        #[diagnostic::do_not_recommend]
        impl<T, $($c: Column + ColumnOf<T>),+> Columns<T, ColumnTuple> for ($($c,)+) {
            fn __seal(_: crate::sealed::Seal) {}
            fn infos(self) -> Vec<&'static ColumnInfo> {
                vec![$(&$c::INFO),+]
            }
        }
    )*};
}

column_tuples! { (A) (A, B) (A, B, C) (A, B, C, D) }

/// A column or a tuple of up to four, of any table (a conflict target, whose table
/// [`UniqueKey`] checks).
pub trait ColumnSet<K> {
    /// The columns, in order.
    fn infos(self) -> Vec<&'static ColumnInfo>;
}

impl<C: Column> ColumnSet<OneColumn> for C {
    fn infos(self) -> Vec<&'static ColumnInfo> {
        vec![&C::INFO]
    }
}

macro_rules! column_set_tuples {
    ($(($($c:ident),+))*) => {$(
        impl<$($c: Column),+> ColumnSet<ColumnTuple> for ($($c,)+) {
            fn infos(self) -> Vec<&'static ColumnInfo> {
                vec![$(&$c::INFO),+]
            }
        }
    )*};
}

column_set_tuples! { (A) (A, B) (A, B, C) (A, B, C, D) }

fn source<T: Table>() -> AstSource {
    AstSource {
        info: &T::INFO,
        alias: None,
    }
}

fn write_node(value: Bound, col: &'static ColumnInfo) -> Node {
    Node::Bind {
        value,
        ty: col.ty,
        write: true,
    }
}

// ------------------------------------------------------------------ INSERT --

/// The first step of an INSERT: the table is known, no row yet.
#[derive(Debug, Clone, Copy)]
#[must_use = "add a row with `values` or `value`"]
pub struct InsertInto<D, T>(PhantomData<(D, T)>);

/// Starts an INSERT into `table` for dialect `D` (see [`QueryDsl::insert_into`](crate::QueryDsl::insert_into)).
pub fn insert_into<D: Dialect, T: Table>(_table: T) -> InsertInto<D, T> {
    InsertInto(PhantomData)
}

/// A typed INSERT with at least one row. `St` records which columns a column-by-column insert
/// has given ([`Complete`] for whole rows); it runs only once every column that is NOT NULL
/// without a default is given. `O` is what `RETURNING` decodes to.
#[must_use = "a statement does nothing until it is compiled or executed"]
pub struct Insert<D, T, St = Complete, O = NoRows> {
    pub(crate) core: InsertCore,
    _marker: PhantomData<fn() -> (D, T, St, O)>,
}

impl<D, T, St, O> Clone for Insert<D, T, St, O> {
    fn clone(&self) -> Self {
        Insert {
            core: self.core.clone(),
            _marker: PhantomData,
        }
    }
}

impl<D, T, St, O> core::fmt::Debug for Insert<D, T, St, O> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Insert").field("core", &self.core).finish()
    }
}

/// What an insert's state becomes when column `C` of table `T` is given (a whole-row insert
/// stays whole). Its impls check that `C` belongs to `T`, and that it was not given before, so
/// each mistake is one error.
pub trait Give<T, C> {
    /// The state after.
    type Out;
}

impl<T, C: ColumnSlot<T>> Give<T, C> for Complete {
    type Out = Complete;
}

// `ColumnSlot<T>` exists only for `T`'s own columns, so a column of another table is one error
// (that one), not a second one about its position.
impl<T, St, Rest, C> Give<T, C> for Slot<St, Rest>
where
    C: ColumnSlot<T>,
    Slot<St, Rest>: SetAt<<C as ColumnSlot<T>>::Ord, C>,
{
    type Out = <Slot<St, Rest> as SetAt<<C as ColumnSlot<T>>::Ord, C>>::Out;
}

/// The state of an INSERT that may run: a whole row (`values`), or columns that cover every
/// required one.
#[diagnostic::on_unimplemented(
    message = "this INSERT does not set every required column",
    label = "a NOT NULL column without a default is missing"
)]
pub trait InsertReady<T> {}

#[diagnostic::do_not_recommend]
impl<T> InsertReady<T> for Complete {}

impl<T: InsertSlots, St, Rest> InsertReady<T> for Slot<St, Rest> where
    Slot<St, Rest>: Covers<T::Required>
{
}

impl<D: Dialect, T: Table> InsertInto<D, T> {
    fn start<St>(columns: Vec<&'static ColumnInfo>, row: Vec<Node>) -> Insert<D, T, St> {
        Insert {
            core: InsertCore {
                table: source::<T>(),
                columns,
                rows: vec![row],
                on_conflict: None,
                returning: Vec::new(),
                invalid: None,
            },
            _marker: PhantomData,
        }
    }

    /// Inserts one row from an insert struct (`NewUser`, `Account`, a `table!`'s `New`, ...).
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::{kysely::verification_token, VerificationToken};
    /// let row = VerificationToken {
    ///     identifier: "a@b.c".into(),
    ///     token: "h".into(),
    ///     expires: chrono::DateTime::UNIX_EPOCH,
    ///     extra: Default::default(),
    /// };
    /// let q = Postgres.insert_into(verification_token::table).values(row);
    /// assert_eq!(
    ///     q.compile().sql(),
    ///     r#"INSERT INTO "VerificationToken" ("identifier", "token", "expires") VALUES ($1, $2, $3)"#
    /// );
    /// ```
    pub fn values<R: Insertable<T>>(self, row: R) -> Insert<D, T, Complete> {
        let values = row.into_values();
        let mut columns = Vec::new();
        let mut nodes = Vec::new();
        for (col, value) in T::INFO.all_columns().zip(values) {
            if let Some(v) = value {
                columns.push(col);
                nodes.push(write_node(Bound::Value(v), col));
            }
        }
        Self::start(columns, nodes)
    }

    /// Inserts one row whose every column (extras included) is an argument of a dynamic
    /// prepared statement, in column order: argument `i` is column `i` of
    /// [`TableInfo::all_columns`](auth_schema::TableInfo::all_columns). Bind it with the values
    /// of [`Row::encode`](auth_schema::Row::encode).
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::session;
    /// let q = Postgres.prepare_dynamic(|a| Postgres.insert_into(session::table).values_from_args(&a));
    /// assert_eq!(q.sql(), r#"INSERT INTO "Session" ("userId", "sessionToken", "expires") VALUES ($1, $2, $3)"#);
    /// ```
    pub fn values_from_args(self, _args: &DynArgs<'_>) -> Insert<D, T, Complete> {
        let columns: Vec<&'static ColumnInfo> = T::INFO.all_columns().collect();
        let row = columns
            .iter()
            .enumerate()
            .map(|(i, col)| write_node(Bound::Arg(arg_index(i)), col))
            .collect();
        Self::start(columns, row)
    }

    /// Inserts one row given column by column; more columns follow with [`Insert::value`]. The
    /// statement runs only once every column that is NOT NULL without a default is given.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::user;
    /// let q = Sqlite.insert_into(user::table).value(user::id, "2f1c7e0a-5b3d-4c8e-9a61-0d2b4e6f8a10").value(user::email, "a@b.c");
    /// assert_eq!(q.compile().sql(), r#"INSERT INTO "User" ("id", "email") VALUES (?, ?)"#);
    /// ```
    pub fn value<C, V, K>(self, _column: C, value: V) -> Insert<D, T, <T::Empty as Give<T, C>>::Out>
    where
        T: InsertSlots,
        C: ColumnSlot<T>,
        V: InsertValue<C::Sql, K>,
        T::Empty: Give<T, C>,
    {
        Self::start(vec![&C::INFO], vec![value.into_insert_node(&C::INFO)])
    }
}

impl<D: Dialect, T: Table, St, O> Insert<D, T, St, O> {
    fn retype<St2, O2>(self) -> Insert<D, T, St2, O2> {
        Insert {
            core: self.core,
            _marker: PhantomData,
        }
    }

    /// Adds a column with this value to every row (or, after `values`, replaces the value a
    /// whole row gave it). Giving a column twice does not compile. The value may be an
    /// expression that reads no column:
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::session;
    /// let q = Postgres
    ///     .insert_into(session::table)
    ///     .value(session::session_token, "t")
    ///     .value(session::user_id, "2f1c7e0a-5b3d-4c8e-9a61-0d2b4e6f8a10")
    ///     .value(session::expires, now());
    /// assert_eq!(
    ///     q.compile().sql(),
    ///     r#"INSERT INTO "Session" ("sessionToken", "userId", "expires") VALUES ($1, $2, now())"#
    /// );
    /// ```
    pub fn value<C, V, K>(
        mut self,
        _column: C,
        value: V,
    ) -> Insert<D, T, <St as Give<T, C>>::Out, O>
    where
        C: ColumnSlot<T>,
        V: InsertValue<C::Sql, K>,
        St: Give<T, C>,
    {
        let node = value.into_insert_node(&C::INFO);
        match self
            .core
            .columns
            .iter()
            .position(|c| c.name == C::INFO.name)
        {
            Some(i) => {
                for row in &mut self.core.rows {
                    row[i] = node.clone();
                }
            }
            None => {
                self.core.columns.push(&C::INFO);
                for row in &mut self.core.rows {
                    row.push(node.clone());
                }
            }
        }
        self.retype()
    }

    /// Adds another row, with the first row's columns. A row that gives a column the first row
    /// leaves to its default, or leaves to its default one the first row gives, makes the
    /// statement fail with [`Error::InvalidValue`](crate::Error::InvalidValue) when it runs
    /// (one VALUES list has one set of columns, and SQLite has no `DEFAULT` in it), rather than
    /// lose the value or store NULL for the default.
    pub fn values<R: Insertable<T>>(mut self, row: R) -> Self {
        let given: Vec<(&ColumnInfo, Option<Value>)> =
            T::INFO.all_columns().zip(row.into_values()).collect();
        // One VALUES list has one set of columns, and SQLite has no DEFAULT in it: a row that
        // gives a column the statement lacks, or leaves one it has to its default, would lose
        // that value or store NULL for the default. It is refused when the statement runs.
        let n = self.core.rows.len() + 1;
        let misfit = given.iter().find_map(|(col, value)| {
            let listed = self.core.columns.iter().any(|c| c.name == col.name);
            match (listed, value) {
                (false, Some(_)) => Some(format!(
                    "gives column `{}`, which the first row leaves out",
                    col.name
                )),
                (true, None) => Some(format!(
                    "leaves column `{}` to its default, which the first row gives",
                    col.name
                )),
                _ => None,
            }
        });
        if let (Some(misfit), None) = (misfit, &self.core.invalid) {
            self.core.invalid = Some(format!(
                "row {n} of this INSERT {misfit}: insert rows with different columns in separate statements"
            ));
        }
        // In the order of this statement's columns, which `value` may have given in any order.
        let values = self
            .core
            .columns
            .iter()
            .map(|c| {
                let value = given.iter().find(|(col, _)| col.name == c.name);
                write_node(
                    Bound::Value(value.and_then(|(_, v)| v.clone()).unwrap_or(Value::Null)),
                    c,
                )
            })
            .collect();
        self.core.rows.push(values);
        self
    }

    /// Upsert, Postgres and SQLite: `ON CONFLICT (target) DO UPDATE SET col = excluded.col`.
    /// The target must be a primary or unique key of the table. Each updated column must be
    /// given by the INSERT (a `now` default aside): else the statement fails with
    /// [`Error::InvalidValue`](crate::Error::InvalidValue) when it runs, as the stored value
    /// would be overwritten with the column's default.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::user;
    /// let q = Postgres
    ///     .insert_into(user::table)
    ///     .value(user::id, "2f1c7e0a-5b3d-4c8e-9a61-0d2b4e6f8a10")
    ///     .value(user::email, "a@b.c")
    ///     .on_conflict_do_update(user::email, user::id);
    /// assert_eq!(
    ///     q.compile().sql(),
    ///     r#"INSERT INTO "User" ("id", "email") VALUES ($1, $2) ON CONFLICT ("email") DO UPDATE SET "id" = "excluded"."id""#
    /// );
    /// ```
    pub fn on_conflict_do_update<K, U, KK, UK>(mut self, target: K, update: U) -> Self
    where
        D: SupportsConflictTarget,
        K: UniqueKey<T> + ColumnSet<KK>,
        U: Columns<T, UK>,
    {
        self.core.on_conflict = Some(OnConflict::Update {
            target: target.infos(),
            update: update.infos(),
        });
        self
    }

    /// Postgres and SQLite: `ON CONFLICT (target) DO NOTHING`; the target must be a key.
    pub fn on_conflict_do_nothing<K, KK>(mut self, target: K) -> Self
    where
        D: SupportsConflictTarget,
        K: UniqueKey<T> + ColumnSet<KK>,
    {
        self.core.on_conflict = Some(OnConflict::Nothing {
            target: target.infos(),
        });
        self
    }

    /// Upsert, MySQL: `ON DUPLICATE KEY UPDATE col = VALUES(col)`. It fires on any unique key.
    /// Each updated column must be given by the INSERT, as for `on_conflict_do_update`.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::user;
    /// let q = MySql.insert_into(user::table).value(user::id, "2f1c7e0a-5b3d-4c8e-9a61-0d2b4e6f8a10").value(user::email, "a@b.c").on_duplicate_key_update(user::id);
    /// assert_eq!(
    ///     q.compile().sql(),
    ///     "INSERT INTO `User` (`id`, `email`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `id` = VALUES(`id`)"
    /// );
    /// ```
    pub fn on_duplicate_key_update<U: Columns<T, UK>, UK>(mut self, update: U) -> Self
    where
        D: SupportsDuplicateKeyUpdate,
    {
        self.core.on_conflict = Some(OnConflict::DuplicateKey {
            update: update.infos(),
        });
        self
    }

    /// `RETURNING ...` (Postgres and SQLite). The selection may only use columns of `T`.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::user;
    /// let q = Sqlite.insert_into(user::table).value(user::id, "2f1c7e0a-5b3d-4c8e-9a61-0d2b4e6f8a10").value(user::email, "a@b.c").returning(user::table.all());
    /// assert_eq!(
    ///     q.compile().sql(),
    ///     r#"INSERT INTO "User" ("id", "email") VALUES (?, ?) RETURNING "id", "name", "email", "emailVerified", "image""#
    /// );
    /// ```
    pub fn returning<Sel, I, R>(
        mut self,
        selection: Sel,
    ) -> Insert<D, T, St, <Sel as ReturnRow<R>>::Out>
    where
        D: SupportsReturning,
        Sel: Returnable<Cons<T, Nil>, I> + ReturnRow<R>,
    {
        self.core.returning.clear();
        selection.project_returning(&mut self.core.returning);
        self.retype()
    }

    pub(crate) fn render_sql(&self) -> Compiled<D> {
        backend::compile_insert(&self.core, D::BACKEND)
    }

    pub(crate) fn column_types(&self) -> Vec<auth_schema::ColumnType> {
        self.core.returning.iter().map(|i| i.ty).collect()
    }
}

// ------------------------------------------------------------------ UPDATE --

/// An UPDATE or DELETE that has no filter yet. It cannot run until `filter` or `all_rows`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unfiltered;
/// An UPDATE or DELETE with a filter, or with an explicit `all_rows()`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filtered;

/// Holds once an UPDATE or DELETE says which rows it touches.
#[diagnostic::on_unimplemented(
    message = "this UPDATE or DELETE has no filter, so it would touch every row",
    label = "add `.filter(...)`, or call `.all_rows()` to touch every row on purpose"
)]
pub trait HasFilter {}
#[diagnostic::do_not_recommend]
impl HasFilter for Filtered {}

/// An UPDATE without a `set` yet.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoSet;
/// An UPDATE with at least one `set`.
#[derive(Debug, Clone, Copy, Default)]
pub struct HasSet;

/// Holds once an UPDATE sets a column.
#[diagnostic::on_unimplemented(
    message = "this UPDATE sets no column",
    label = "add `.set(column, value)`",
    note = "`UPDATE t SET WHERE ...` is not SQL"
)]
pub trait SetsSomething {}
#[diagnostic::do_not_recommend]
impl SetsSomething for HasSet {}

/// What [`Insert::value`] accepts for a column of SQL type `ST`: a value, or an expression of
/// the column's type that reads no column (`now()`, a raw fragment, a scalar subquery). `K`
/// tells the two apart (rustc infers it).
#[diagnostic::on_unimplemented(
    message = "cannot insert `{Self}` into a column of SQL type `{ST}`",
    label = "expected a value of the column's type, or an expression of it that reads no column",
    note = "`Option<_>` (and so NULL) can only be written to a `Nullable<_>` column"
)]
pub trait InsertValue<ST, K> {
    #[doc(hidden)]
    fn into_insert_node(self, col: &'static ColumnInfo) -> Node;
}

#[diagnostic::do_not_recommend]
impl<ST: SqlType, V: Assign<ST>> InsertValue<ST, ByValue> for V {
    fn into_insert_node(self, col: &'static ColumnInfo) -> Node {
        write_node(self.into_bound(), col)
    }
}

#[diagnostic::do_not_recommend]
impl<ST: SqlType, I, E> InsertValue<ST, (ByExpr, I)> for E
where
    E: Expression + ValidIn<Nil, I>,
    E::Sql: SqlType<Compare = ST::Compare> + auth_schema::sql::NullInto<ST>,
    E::Kind: agg::NotAggregate,
{
    fn into_insert_node(self, _: &'static ColumnInfo) -> Node {
        self.into_node()
    }
}

/// What `set` accepts for a column of SQL type `ST` of table `T`: a value, or an expression over
/// `T` (`counter.add(1)`). `K` tells the two apart (rustc infers it).
#[diagnostic::on_unimplemented(
    message = "cannot write `{Self}` to a column of SQL type `{ST}`",
    label = "expected a value of the column's type, or an expression of it over the same table",
    note = "`Option<_>` (and so NULL) can only be written to a `Nullable<_>` column"
)]
pub trait SetValue<ST, T, K> {
    #[doc(hidden)]
    fn into_set_node(self, col: &'static ColumnInfo) -> Node;
}

#[diagnostic::do_not_recommend]
impl<ST: SqlType, T, V: Assign<ST>> SetValue<ST, T, ByValue> for V {
    fn into_set_node(self, col: &'static ColumnInfo) -> Node {
        write_node(self.into_bound(), col)
    }
}

#[diagnostic::do_not_recommend]
impl<ST: SqlType, T, I, E> SetValue<ST, T, (ByExpr, I)> for E
where
    E: Expression + ValidIn<Cons<T, Nil>, I>,
    E::Sql: SqlType<Compare = ST::Compare> + auth_schema::sql::NullInto<ST>,
    E::Kind: agg::NotAggregate,
{
    fn into_set_node(self, _: &'static ColumnInfo) -> Node {
        self.into_node()
    }
}

/// A typed UPDATE. `F` tracks whether it has a filter, `St` whether it sets a column; `O` is what
/// `RETURNING` decodes to.
#[must_use = "a statement does nothing until it is compiled or executed"]
pub struct Update<D, T, F = Unfiltered, St = NoSet, O = NoRows> {
    pub(crate) core: UpdateCore,
    _marker: PhantomData<fn() -> (D, T, F, St, O)>,
}

impl<D, T, F, St, O> Clone for Update<D, T, F, St, O> {
    fn clone(&self) -> Self {
        Update {
            core: self.core.clone(),
            _marker: PhantomData,
        }
    }
}

impl<D, T, F, St, O> core::fmt::Debug for Update<D, T, F, St, O> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Update").field("core", &self.core).finish()
    }
}

/// Starts an UPDATE of `table` for dialect `D` (see [`QueryDsl::update`](crate::QueryDsl::update)).
pub fn update<D: Dialect, T: Table>(_table: T) -> Update<D, T> {
    Update {
        core: UpdateCore {
            table: source::<T>(),
            sets: Vec::new(),
            filters: Vec::new(),
            returning: Vec::new(),
        },
        _marker: PhantomData,
    }
}

impl<D: Dialect, T: Table, F, St, O> Update<D, T, F, St, O> {
    fn retype<F2, St2, O2>(self) -> Update<D, T, F2, St2, O2> {
        Update {
            core: self.core,
            _marker: PhantomData,
        }
    }

    /// `SET column = value`: a value (`Option` for nullable columns only), or an expression over
    /// the table. Setting a column again replaces its earlier value.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::{authenticator, user};
    /// let q = Postgres.update(user::table).set(user::name, Some("Ada")).filter(user::id.eq("2f1c7e0a-5b3d-4c8e-9a61-0d2b4e6f8a10"));
    /// assert_eq!(q.compile().sql(), r#"UPDATE "User" SET "name" = $1 WHERE "User"."id" = $2"#);
    /// let q = Postgres.update(authenticator::table).set(authenticator::counter, authenticator::counter.add(1)).all_rows();
    /// assert_eq!(q.compile().sql(), r#"UPDATE "Authenticator" SET "counter" = "Authenticator"."counter" + $1"#);
    /// ```
    pub fn set<C, V, K>(mut self, _column: C, value: V) -> Update<D, T, F, HasSet, O>
    where
        C: Column + ColumnOf<T>,
        V: SetValue<C::Sql, T, K>,
    {
        let node = value.into_set_node(&C::INFO);
        match self
            .core
            .sets
            .iter()
            .position(|(c, _)| c.name == C::INFO.name)
        {
            Some(i) => self.core.sets[i].1 = node,
            None => self.core.sets.push((&C::INFO, node)),
        }
        self.retype()
    }

    /// `SET` every extra column of `T` to consecutive arguments of a dynamic prepared
    /// statement, starting at `first`, in the order of [`Extras::COLUMNS`](auth_schema::Extras::COLUMNS).
    /// A table without extras sets nothing.
    pub fn set_extras_from_args(
        mut self,
        _args: &DynArgs<'_>,
        first: u16,
    ) -> Update<D, T, F, HasSet, O> {
        for (i, col) in T::INFO.extras.iter().enumerate() {
            let node = write_node(Bound::Arg(first + i as u16), col);
            match self.core.sets.iter().position(|(c, _)| c.name == col.name) {
                Some(j) => self.core.sets[j].1 = node,
                None => self.core.sets.push((col, node)),
            }
        }
        self.retype()
    }

    /// For code that picks its `set` columns at run time: the UPDATE keeps one type through
    /// `set` calls made in branches. Running it with no `set` at all fails with
    /// [`Error::EmptyUpdate`](crate::Error::EmptyUpdate) before anything is sent.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::user;
    /// let rename = true;
    /// let mut q = Sqlite.update(user::table).dynamic_sets();
    /// if rename {
    ///     q = q.set(user::name, Some("Ada"));
    /// }
    /// let q = q.filter(user::email.eq("a@b.c"));
    /// assert_eq!(q.compile().sql(), r#"UPDATE "User" SET "name" = ? WHERE "User"."email" = ?"#);
    /// ```
    pub fn dynamic_sets(self) -> Update<D, T, F, HasSet, O> {
        self.retype()
    }

    /// Adds a WHERE condition on `T`, joined to earlier ones with AND.
    pub fn filter<P, I>(mut self, predicate: P) -> Update<D, T, Filtered, St, O>
    where
        P: Predicate + ValidIn<Cons<T, Nil>, I>,
        P::Kind: agg::NotAggregate,
    {
        self.core.filters.push(predicate.into_node());
        self.retype()
    }

    /// Updates every row, on purpose.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::account;
    /// let q = Sqlite.update(account::table).set(account::scope, None::<String>).all_rows();
    /// assert_eq!(q.compile().sql(), r#"UPDATE "Account" SET "scope" = ?"#);
    /// ```
    pub fn all_rows(self) -> Update<D, T, Filtered, St, O> {
        self.retype()
    }

    /// `RETURNING ...` (Postgres and SQLite).
    pub fn returning<Sel, I, R>(
        mut self,
        selection: Sel,
    ) -> Update<D, T, F, St, <Sel as ReturnRow<R>>::Out>
    where
        D: SupportsReturning,
        Sel: Returnable<Cons<T, Nil>, I> + ReturnRow<R>,
    {
        self.core.returning.clear();
        selection.project_returning(&mut self.core.returning);
        self.retype()
    }

    /// Whether any `set` was given (a dynamic `set_extras_from_args` on a table without extras
    /// gives none).
    pub fn has_changes(&self) -> bool {
        !self.core.sets.is_empty()
    }

    pub(crate) fn render_sql(&self) -> Compiled<D> {
        backend::compile_update(&self.core, D::BACKEND)
    }

    pub(crate) fn column_types(&self) -> Vec<auth_schema::ColumnType> {
        self.core.returning.iter().map(|i| i.ty).collect()
    }
}

// ------------------------------------------------------------------ DELETE --

/// A typed DELETE. `F` tracks whether it has a filter; `O` is what `RETURNING` decodes to.
#[must_use = "a statement does nothing until it is compiled or executed"]
pub struct Delete<D, T, F = Unfiltered, O = NoRows> {
    pub(crate) core: DeleteCore,
    _marker: PhantomData<fn() -> (D, T, F, O)>,
}

impl<D, T, F, O> Clone for Delete<D, T, F, O> {
    fn clone(&self) -> Self {
        Delete {
            core: self.core.clone(),
            _marker: PhantomData,
        }
    }
}

impl<D, T, F, O> core::fmt::Debug for Delete<D, T, F, O> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Delete").field("core", &self.core).finish()
    }
}

/// Starts a DELETE from `table` for dialect `D` (see [`QueryDsl::delete_from`](crate::QueryDsl::delete_from)).
pub fn delete_from<D: Dialect, T: Table>(_table: T) -> Delete<D, T> {
    Delete {
        core: DeleteCore {
            table: source::<T>(),
            filters: Vec::new(),
            returning: Vec::new(),
        },
        _marker: PhantomData,
    }
}

impl<D: Dialect, T: Table, F, O> Delete<D, T, F, O> {
    fn retype<F2, O2>(self) -> Delete<D, T, F2, O2> {
        Delete {
            core: self.core,
            _marker: PhantomData,
        }
    }

    /// Adds a WHERE condition on `T`, joined to earlier ones with AND.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::verification_token as vt;
    /// let q = Postgres
    ///     .delete_from(vt::table)
    ///     .filter(vt::identifier.eq("a@b.c"))
    ///     .filter(vt::token.eq("h"))
    ///     .returning(vt::table.all());
    /// assert_eq!(
    ///     q.compile().sql(),
    ///     r#"DELETE FROM "VerificationToken" WHERE "VerificationToken"."identifier" = $1 AND "VerificationToken"."token" = $2 RETURNING "identifier", "token", "expires""#
    /// );
    /// ```
    pub fn filter<P, I>(mut self, predicate: P) -> Delete<D, T, Filtered, O>
    where
        P: Predicate + ValidIn<Cons<T, Nil>, I>,
        P::Kind: agg::NotAggregate,
    {
        self.core.filters.push(predicate.into_node());
        self.retype()
    }

    /// Deletes every row, on purpose.
    pub fn all_rows(self) -> Delete<D, T, Filtered, O> {
        self.retype()
    }

    /// `RETURNING ...` (Postgres and SQLite).
    pub fn returning<Sel, I, R>(
        mut self,
        selection: Sel,
    ) -> Delete<D, T, F, <Sel as ReturnRow<R>>::Out>
    where
        D: SupportsReturning,
        Sel: Returnable<Cons<T, Nil>, I> + ReturnRow<R>,
    {
        self.core.returning.clear();
        selection.project_returning(&mut self.core.returning);
        self.retype()
    }

    pub(crate) fn render_sql(&self) -> Compiled<D> {
        backend::compile_delete(&self.core, D::BACKEND)
    }

    pub(crate) fn column_types(&self) -> Vec<auth_schema::ColumnType> {
        self.core.returning.iter().map(|i| i.ty).collect()
    }
}

/// Prepared statements number their arguments with 16 bits; Auth.js tables have far fewer
/// columns.
fn arg_index(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}
