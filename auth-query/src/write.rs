//! INSERT, UPDATE and DELETE: the typed builders.

use core::marker::PhantomData;

use auth_schema::{Column, ColumnInfo, Insertable, Table, Value};

use crate::expr::Bound;
use sea_query::{DeleteStatement, InsertStatement, OnConflict, Query, UpdateStatement};

use crate::backend::{self, BindFor, Compiled, Lower};
use crate::dialect::{
    Dialect, SupportsConflictTarget, SupportsDuplicateKeyUpdate, SupportsReturning,
};
use crate::expr::{Assign, ColumnOf, Predicate, ValidIn};
use crate::scope::{Cons, Nil};
use crate::select::{NoRows, Projection, Returnable, returning_clause};

/// Columns of table `T`: one column or a tuple of up to four, for conflict targets and upserts.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column or tuple of columns of table `{T}`",
    label = "conflict targets and updated columns must belong to the statement's table"
)]
pub trait Columns<T, K> {
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
    fn infos(self) -> Vec<&'static ColumnInfo> {
        vec![&C::INFO]
    }
}

macro_rules! column_tuples {
    ($(($($c:ident),+))*) => {$(
        #[diagnostic::do_not_recommend]
        impl<T, $($c: Column + ColumnOf<T>),+> Columns<T, ColumnTuple> for ($($c,)+) {
            fn infos(self) -> Vec<&'static ColumnInfo> {
                vec![$(&$c::INFO),+]
            }
        }
    )*};
}

column_tuples! { (A) (A, B) (A, B, C) (A, B, C, D) }

/// The first step of an INSERT: the table is known, no row yet.
#[derive(Debug, Clone, Copy)]
#[must_use = "add a row with `values` or `value`"]
pub struct InsertInto<D, T>(PhantomData<(D, T)>);

/// Starts an INSERT into `table` for dialect `D` (see [`QueryDsl::insert_into`](crate::QueryDsl::insert_into)).
pub fn insert_into<D: Dialect, T: Table>(_table: T) -> InsertInto<D, T> {
    InsertInto(PhantomData)
}

/// A typed INSERT with at least one row. `O` is what `RETURNING` decodes to.
#[derive(Debug, Clone)]
#[must_use = "a statement does nothing until it is compiled or executed"]
pub struct Insert<D, T, O = NoRows> {
    columns: Vec<&'static ColumnInfo>,
    rows: Vec<Vec<Bound>>,
    on_conflict: Option<OnConflict>,
    returning: Projection,
    _marker: PhantomData<fn() -> (D, T, O)>,
}

impl<D: Dialect, T: Table> InsertInto<D, T> {
    /// Inserts one row from an insert struct (`NewUser`, `Account`, ...).
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
    ///     q.compile().sql,
    ///     r#"INSERT INTO "VerificationToken" ("identifier", "token", "expires") VALUES ($1, $2, $3)"#
    /// );
    /// ```
    pub fn values<R: Insertable<T>>(self, row: R) -> Insert<D, T> {
        let row = row.into_values();
        let columns = T::INFO
            .all_columns()
            .zip(&row)
            .filter(|(_, v)| v.is_some())
            .map(|(c, _)| c)
            .collect();
        let rows = vec![row.into_iter().flatten().map(Bound::Value).collect()];
        Insert {
            columns,
            rows,
            on_conflict: None,
            returning: Projection::default(),
            _marker: PhantomData,
        }
    }

    /// Inserts one row whose every column (extras included) is a prepared-statement argument,
    /// in column order: argument `i` is column `i` of [`TableInfo::all_columns`](auth_schema::TableInfo::all_columns).
    /// Bind it with the values of [`Row::encode`](auth_schema::Row::encode).
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::session;
    /// let q = Postgres.insert_into(session::table).values_from_args().prepare();
    /// assert_eq!(q.sql(), r#"INSERT INTO "Session" ("userId", "sessionToken", "expires") VALUES ($1, $2, $3)"#);
    /// ```
    pub fn values_from_args(self) -> Insert<D, T> {
        let columns: Vec<&'static ColumnInfo> = T::INFO.all_columns().collect();
        let row = (0..columns.len())
            .map(|i| Bound::Arg(arg_index(i)))
            .collect();
        Insert {
            columns,
            rows: vec![row],
            on_conflict: None,
            returning: Projection::default(),
            _marker: PhantomData,
        }
    }

    /// Inserts one row given column by column; more columns follow with [`Insert::value`].
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::user;
    /// let q = Sqlite.insert_into(user::table).value(user::id, "u1").value(user::email, "a@b.c");
    /// assert_eq!(q.compile().sql, r#"INSERT INTO "User" ("id", "email") VALUES (?, ?)"#);
    /// ```
    pub fn value<C, V>(self, column: C, value: V) -> Insert<D, T>
    where
        C: Column + ColumnOf<T>,
        V: Assign<C::Sql>,
    {
        let _ = column;
        Insert {
            columns: vec![&C::INFO],
            rows: vec![vec![value.into_bound()]],
            on_conflict: None,
            returning: Projection::default(),
            _marker: PhantomData,
        }
    }
}

impl<D: Dialect, T: Table, O> Insert<D, T, O> {
    /// Adds a column with this value to every row; for a column already given, replaces its
    /// value in every row (a column named twice is invalid SQL).
    pub fn value<C, V>(mut self, column: C, value: V) -> Self
    where
        C: Column + ColumnOf<T>,
        V: Assign<C::Sql>,
    {
        let _ = column;
        let value = value.into_bound();
        match self.columns.iter().position(|c| c.name == C::INFO.name) {
            Some(i) => {
                for row in &mut self.rows {
                    row[i] = value.clone();
                }
            }
            None => {
                self.columns.push(&C::INFO);
                for row in &mut self.rows {
                    row.push(value.clone());
                }
            }
        }
        self
    }

    /// Adds another row. Its values follow the first row's columns; a column the first row left
    /// to its default is left to its default here too.
    pub fn values<R: Insertable<T>>(mut self, row: R) -> Self {
        let given: Vec<(&ColumnInfo, Option<Value>)> =
            T::INFO.all_columns().zip(row.into_values()).collect();
        // In the order of this statement's columns, which `value` may have given in any order.
        let values = self
            .columns
            .iter()
            .map(|c| {
                let value = given.iter().find(|(col, _)| col.name == c.name);
                Bound::Value(value.and_then(|(_, v)| v.clone()).unwrap_or(Value::Null))
            })
            .collect();
        self.rows.push(values);
        self
    }

    /// Upsert, Postgres and SQLite: `ON CONFLICT (target) DO UPDATE SET col = excluded.col`.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::user;
    /// let q = Postgres
    ///     .insert_into(user::table)
    ///     .value(user::id, "u1")
    ///     .value(user::email, "a@b.c")
    ///     .on_conflict_do_update(user::email, user::id);
    /// assert_eq!(
    ///     q.compile().sql,
    ///     r#"INSERT INTO "User" ("id", "email") VALUES ($1, $2) ON CONFLICT ("email") DO UPDATE SET "id" = "excluded"."id""#
    /// );
    /// ```
    pub fn on_conflict_do_update<K: Columns<T, KK>, U: Columns<T, UK>, KK, UK>(
        mut self,
        target: K,
        update: U,
    ) -> Self
    where
        D: SupportsConflictTarget,
    {
        let mut clause = OnConflict::columns(target.infos().into_iter().map(backend::bare_column));
        clause.update_columns(update.infos().into_iter().map(backend::bare_column));
        self.on_conflict = Some(clause);
        self
    }

    /// Postgres and SQLite: `ON CONFLICT (target) DO NOTHING`.
    pub fn on_conflict_do_nothing<K: Columns<T, KK>, KK>(mut self, target: K) -> Self
    where
        D: SupportsConflictTarget,
    {
        let mut clause = OnConflict::columns(target.infos().into_iter().map(backend::bare_column));
        clause.do_nothing();
        self.on_conflict = Some(clause);
        self
    }

    /// Upsert, MySQL: `ON DUPLICATE KEY UPDATE col = VALUES(col)`. It fires on any unique key.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::user;
    /// let q = MySql.insert_into(user::table).value(user::id, "u1").value(user::email, "a@b.c").on_duplicate_key_update(user::id);
    /// assert_eq!(
    ///     q.compile().sql,
    ///     "INSERT INTO `User` (`id`, `email`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `id` = VALUES(`id`)"
    /// );
    /// ```
    pub fn on_duplicate_key_update<U: Columns<T, UK>, UK>(mut self, update: U) -> Self
    where
        D: SupportsDuplicateKeyUpdate,
    {
        let mut clause = OnConflict::new();
        clause.update_columns(update.infos().into_iter().map(backend::bare_column));
        self.on_conflict = Some(clause);
        self
    }

    /// `RETURNING ...` (Postgres and SQLite). The selection may only use columns of `T`.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::user;
    /// let q = Sqlite.insert_into(user::table).value(user::id, "u1").value(user::email, "a@b.c").returning(user::table.all());
    /// assert_eq!(
    ///     q.compile().sql,
    ///     r#"INSERT INTO "User" ("id", "email") VALUES (?, ?) RETURNING "id", "name", "email", "emailVerified", "image""#
    /// );
    /// ```
    pub fn returning<Sel, I>(self, selection: Sel) -> Insert<D, T, Sel::Out>
    where
        D: SupportsReturning,
        Sel: Returnable<Cons<T, Nil>, I>,
    {
        let mut returning = Projection::default();
        selection.project(&mut returning);
        Insert {
            columns: self.columns,
            rows: self.rows,
            on_conflict: self.on_conflict,
            returning,
            _marker: PhantomData,
        }
    }

    /// The SQL and parameters for `D`, without a connection.
    pub fn compile(&self) -> Compiled {
        let b = D::BACKEND;
        let mut cx = Lower::new(b);
        let mut stmt: InsertStatement = Query::insert();
        stmt.into_table(backend::table(&T::INFO, b));
        stmt.columns(self.columns.iter().map(|c| backend::bare_column(c)));
        for row in &self.rows {
            let exprs: Vec<_> = self
                .columns
                .iter()
                .zip(row)
                .map(|(col, v)| cx.bound(v.clone(), col.ty, BindFor::Write))
                .collect();
            // Every row has one value per column by construction, so this cannot fail.
            let _ = stmt.values(exprs);
        }
        let mut invalid = None;
        cx.finish(&mut invalid);
        if let Some(clause) = &self.on_conflict {
            stmt.on_conflict(clause.clone());
        }
        if !self.returning.items.is_empty() {
            stmt.returning(returning_clause(&self.returning));
        }
        backend::build(&stmt, b, &invalid)
    }

    pub(crate) fn column_types(&self) -> Vec<auth_schema::ColumnType> {
        self.returning.types()
    }
}

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
impl HasFilter for Filtered {}

/// A typed UPDATE. `F` tracks whether it has a filter; `O` is what `RETURNING` decodes to.
#[derive(Debug, Clone)]
#[must_use = "a statement does nothing until it is compiled or executed"]
pub struct Update<D, T, F = Unfiltered, O = NoRows> {
    stmt: UpdateStatement,
    sets: usize,
    returning: Projection,
    invalid: Option<String>,
    _marker: PhantomData<fn() -> (D, T, F, O)>,
}

/// Starts an UPDATE of `table` for dialect `D` (see [`QueryDsl::update`](crate::QueryDsl::update)).
pub fn update<D: Dialect, T: Table>(_table: T) -> Update<D, T> {
    let mut stmt = Query::update();
    stmt.table(backend::table(&T::INFO, D::BACKEND));
    Update {
        stmt,
        sets: 0,
        returning: Projection::default(),
        invalid: None,
        _marker: PhantomData,
    }
}

impl<D: Dialect, T: Table, F, O> Update<D, T, F, O> {
    fn retype<F2, O2>(self) -> Update<D, T, F2, O2> {
        Update {
            stmt: self.stmt,
            sets: self.sets,
            returning: self.returning,
            invalid: self.invalid,
            _marker: PhantomData,
        }
    }

    /// `SET column = value`. `Option` values are accepted for nullable columns only.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::user;
    /// let q = Postgres.update(user::table).set(user::name, Some("Ada")).filter(user::id.eq("u1"));
    /// assert_eq!(q.compile().sql, r#"UPDATE "User" SET "name" = $1 WHERE "User"."id" = $2"#);
    /// ```
    pub fn set<C, V>(mut self, column: C, value: V) -> Self
    where
        C: Column + ColumnOf<T>,
        V: Assign<C::Sql>,
    {
        let _ = column;
        let mut cx = Lower::new(D::BACKEND);
        self.stmt.value(
            backend::bare_column(&C::INFO),
            cx.bound(value.into_bound(), C::INFO.ty, BindFor::Write),
        );
        cx.finish(&mut self.invalid);
        self.sets += 1;
        self
    }

    /// `SET` every extra column of `T` to consecutive prepared-statement arguments, starting at
    /// `first`, in the order of [`Extras::COLUMNS`](auth_schema::Extras::COLUMNS).
    pub fn set_extras_from_args(mut self, first: u8) -> Self {
        for (i, col) in T::INFO.extras.iter().enumerate() {
            let bound = Bound::Arg(arg_index(usize::from(first) + i));
            let mut cx = Lower::new(D::BACKEND);
            self.stmt.value(
                backend::bare_column(col),
                cx.bound(bound, col.ty, BindFor::Write),
            );
            cx.finish(&mut self.invalid);
            self.sets += 1;
        }
        self
    }

    /// Adds a WHERE condition on `T`, joined to earlier ones with AND.
    pub fn filter<P, I>(mut self, predicate: P) -> Update<D, T, Filtered, O>
    where
        P: Predicate + ValidIn<Cons<T, Nil>, I>,
    {
        let mut cx = Lower::new(D::BACKEND);
        self.stmt.and_where(predicate.into_expr(&mut cx));
        cx.finish(&mut self.invalid);
        self.retype()
    }

    /// Updates every row, on purpose.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::account;
    /// let q = Sqlite.update(account::table).set(account::scope, None::<String>).all_rows();
    /// assert_eq!(q.compile().sql, r#"UPDATE "Account" SET "scope" = ?"#);
    /// ```
    pub fn all_rows(self) -> Update<D, T, Filtered, O> {
        self.retype()
    }

    /// `RETURNING ...` (Postgres and SQLite).
    pub fn returning<Sel, I>(mut self, selection: Sel) -> Update<D, T, F, Sel::Out>
    where
        D: SupportsReturning,
        Sel: Returnable<Cons<T, Nil>, I>,
    {
        self.returning = Projection::default();
        selection.project(&mut self.returning);
        self.retype()
    }

    /// Whether any `set` was given; an UPDATE with none is rejected when executed.
    pub fn has_changes(&self) -> bool {
        self.sets > 0
    }

    /// The SQL and parameters for `D`, without a connection.
    pub fn compile(&self) -> Compiled
    where
        F: HasFilter,
    {
        let mut stmt = self.stmt.clone();
        if !self.returning.items.is_empty() {
            stmt.returning(returning_clause(&self.returning));
        }
        backend::build(&stmt, D::BACKEND, &self.invalid)
    }

    pub(crate) fn column_types(&self) -> Vec<auth_schema::ColumnType> {
        self.returning.types()
    }
}

/// A typed DELETE. `F` tracks whether it has a filter; `O` is what `RETURNING` decodes to.
#[derive(Debug, Clone)]
#[must_use = "a statement does nothing until it is compiled or executed"]
pub struct Delete<D, T, F = Unfiltered, O = NoRows> {
    stmt: DeleteStatement,
    returning: Projection,
    invalid: Option<String>,
    _marker: PhantomData<fn() -> (D, T, F, O)>,
}

/// Starts a DELETE from `table` for dialect `D` (see [`QueryDsl::delete_from`](crate::QueryDsl::delete_from)).
pub fn delete_from<D: Dialect, T: Table>(_table: T) -> Delete<D, T> {
    let mut stmt = Query::delete();
    stmt.from_table(backend::table(&T::INFO, D::BACKEND));
    Delete {
        stmt,
        returning: Projection::default(),
        invalid: None,
        _marker: PhantomData,
    }
}

impl<D: Dialect, T: Table, F, O> Delete<D, T, F, O> {
    fn retype<F2, O2>(self) -> Delete<D, T, F2, O2> {
        Delete {
            stmt: self.stmt,
            returning: self.returning,
            invalid: self.invalid,
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
    ///     q.compile().sql,
    ///     r#"DELETE FROM "VerificationToken" WHERE "VerificationToken"."identifier" = $1 AND "VerificationToken"."token" = $2 RETURNING "identifier", "token", "expires""#
    /// );
    /// ```
    pub fn filter<P, I>(mut self, predicate: P) -> Delete<D, T, Filtered, O>
    where
        P: Predicate + ValidIn<Cons<T, Nil>, I>,
    {
        let mut cx = Lower::new(D::BACKEND);
        self.stmt.and_where(predicate.into_expr(&mut cx));
        cx.finish(&mut self.invalid);
        self.retype()
    }

    /// Deletes every row, on purpose.
    pub fn all_rows(self) -> Delete<D, T, Filtered, O> {
        self.retype()
    }

    /// `RETURNING ...` (Postgres and SQLite).
    pub fn returning<Sel, I>(mut self, selection: Sel) -> Delete<D, T, F, Sel::Out>
    where
        D: SupportsReturning,
        Sel: Returnable<Cons<T, Nil>, I>,
    {
        self.returning = Projection::default();
        selection.project(&mut self.returning);
        self.retype()
    }

    /// The SQL and parameters for `D`, without a connection.
    pub fn compile(&self) -> Compiled
    where
        F: HasFilter,
    {
        let mut stmt = self.stmt.clone();
        if !self.returning.items.is_empty() {
            stmt.returning(returning_clause(&self.returning));
        }
        backend::build(&stmt, D::BACKEND, &self.invalid)
    }

    pub(crate) fn column_types(&self) -> Vec<auth_schema::ColumnType> {
        self.returning.types()
    }
}

/// Prepared statements take at most 256 arguments; Auth.js tables have far fewer columns.
fn arg_index(i: usize) -> u8 {
    u8::try_from(i).unwrap_or(u8::MAX)
}
