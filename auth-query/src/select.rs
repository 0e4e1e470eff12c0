//! SELECT: the typed builder, selections and the row types they decode to.

use core::marker::PhantomData;

use auth_schema::{
    Backend, Column, ColumnInfo, ColumnType, DecodeError, FromValue, Row, RowReader, Table,
    TableInfo, Value,
};
use chrono::{DateTime, Utc};
use sea_query::{Expr, ExprTrait, JoinType, Order, Query, SelectStatement};

use crate::backend::{self, Compiled, Lower};
use crate::dialect::Dialect;
use crate::expr::{OrderExpr, Predicate, ValidIn};
use crate::scope::{Cons, InScope, LeftJoined, Nil, NotInScope};

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

decode_values!(String, i64, bool, DateTime<Utc>);

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
        // The first column of every Auth.js table is NOT NULL, so NULL there means no match.
        if matches!(values.first(), Some(Value::Null) | None) {
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
}

impl Nullability for MaybeNull {
    type Column<R: IntoNullable> = R::Nullable;
    type Row<T: Table> = OptionalRowOf<T>;
}

/// One item of a SELECT or RETURNING list.
#[derive(Debug, Clone)]
pub(crate) enum Item {
    Column(&'static TableInfo, &'static ColumnInfo),
    CountAll,
}

/// The items of a SELECT or RETURNING list, with how each decodes.
#[derive(Debug, Clone, Default)]
pub struct Projection {
    pub(crate) items: Vec<Item>,
}

impl Projection {
    pub(crate) fn types(&self) -> Vec<ColumnType> {
        self.items
            .iter()
            .map(|item| match item {
                Item::Column(_, col) => col.ty,
                Item::CountAll => ColumnType::BigInt,
            })
            .collect()
    }

    fn push_table(&mut self, info: &'static TableInfo) {
        self.items
            .extend(info.all_columns().map(|col| Item::Column(info, col)));
    }
}

/// Something that can be selected in scope `S`: a column, `table.all()`, `count_all()`, or a
/// tuple of those (up to 12).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be selected in this query",
    label = "every selected column must belong to a table in FROM or a join",
    note = "select a column such as `user::email`, a whole table with `user::table.all()`, or a tuple of these; `count_all()` only on its own"
)]
pub trait Selection<S, I> {
    /// What each row decodes to.
    type Out: Decode;
    /// Appends the items.
    fn project(self, projection: &mut Projection);
}

/// Tags the inferred index of a column selection, so it cannot overlap the tuple impls.
#[derive(Debug, Clone, Copy, Default)]
pub struct ColumnIndex<I>(PhantomData<I>);
/// Tags the inferred index of a tuple selection.
#[derive(Debug, Clone, Copy, Default)]
pub struct TupleIndex<I>(PhantomData<I>);

impl<S, I, C> Selection<S, ColumnIndex<I>> for C
where
    C: Column,
    C::Rust: IntoNullable,
    S: InScope<C::Table, I>,
{
    type Out = <S::Null as Nullability>::Column<C::Rust>;
    fn project(self, projection: &mut Projection) {
        projection
            .items
            .push(Item::Column(&<C::Table as Table>::INFO, &C::INFO));
    }
}

/// Every column of a table, decoded into its row struct. Made by [`TableExt::all`].
#[derive(Debug, Clone, Copy, Default)]
pub struct All<T>(PhantomData<T>);

// `do_not_recommend` here and on `CountAll` keeps selection errors to the message above.
#[diagnostic::do_not_recommend]
impl<S, I, T: Table> Selection<S, I> for All<T>
where
    S: InScope<T, I>,
{
    type Out = <S::Null as Nullability>::Row<T>;
    fn project(self, projection: &mut Projection) {
        projection.push_table(&T::INFO);
    }
}

/// `COUNT(*)`, decoded as `i64`. Made by [`count_all`].
#[derive(Debug, Clone, Copy, Default)]
pub struct CountAll;

/// `COUNT(*)`.
///
/// ```
/// use auth_query::prelude::*;
/// use auth_schema::kysely::session;
/// let q = Sqlite.select_from(session::table).select(count_all());
/// assert_eq!(q.compile().sql, r#"SELECT COUNT(*) FROM "Session""#);
/// ```
pub fn count_all() -> CountAll {
    CountAll
}

#[diagnostic::do_not_recommend]
impl<S> Selection<S, ()> for CountAll {
    type Out = i64;
    fn project(self, projection: &mut Projection) {
        projection.items.push(Item::CountAll);
    }
}

/// A selection of stored values, as opposed to `COUNT(*)`: what tuples and RETURNING accept.
///
/// `COUNT(*)` next to a column would need a GROUP BY, and RETURNING cannot aggregate, so both
/// are rejected at compile time.
#[diagnostic::on_unimplemented(
    message = "`COUNT(*)` must be selected on its own",
    label = "`count_all()` cannot be combined with columns (there is no GROUP BY) or used in RETURNING",
    note = "use `.count()`, or `.select(count_all())` alone"
)]
pub trait StoredValues<I> {}

#[diagnostic::do_not_recommend]
impl<I, C: Column> StoredValues<ColumnIndex<I>> for C {}

#[diagnostic::do_not_recommend]
impl<I, T> StoredValues<I> for All<T> {}

/// What RETURNING accepts: columns of the statement's table, `table.all()`, or a tuple of them.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned by this statement",
    label = "RETURNING may only list columns of the statement's table (no `count_all()`)",
    note = "return a column such as `user::id`, the whole row with `user::table.all()`, or a tuple of these"
)]
pub trait Returnable<S, I>: Selection<S, I> {}

#[diagnostic::do_not_recommend]
impl<S, I, Sel: Selection<S, I> + StoredValues<I>> Returnable<S, I> for Sel {}

macro_rules! tuple_selection {
    ($(($($t:ident $i:ident),+))*) => {$(
        #[diagnostic::do_not_recommend]
        impl<S, $($t, $i,)+> Selection<S, TupleIndex<($($i,)+)>> for ($($t,)+)
        where
            $($t: Selection<S, $i> + StoredValues<$i>,)+
        {
            type Out = ($($t::Out,)+);
            #[allow(non_snake_case)]
            fn project(self, projection: &mut Projection) {
                let ($($t,)+) = self;
                $($t.project(projection);)+
            }
        }

        #[diagnostic::do_not_recommend]
        impl<$($t, $i,)+> StoredValues<TupleIndex<($($i,)+)>> for ($($t,)+) where $($t: StoredValues<$i>,)+ {}

        #[diagnostic::do_not_recommend]
        impl<$($t: Decode,)+> Decode for ($($t,)+) {
            type Out = ($($t::Out,)+);
            fn decode(reader: &mut dyn RowReader) -> Result<Self::Out, DecodeError> {
                Ok(($($t::decode(reader)?,)+))
            }
        }
    )*};
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
}

/// `table.all()`: every column of the table, as its row struct. In the [prelude](crate::prelude).
pub trait TableExt: Table {
    /// Selects every column, decoding into the row struct (`Option` of it when left-joined).
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::user;
    /// let q = Sqlite.select_from(user::table).select(user::table.all());
    /// assert_eq!(
    ///     q.compile().sql,
    ///     r#"SELECT "User"."id", "User"."name", "User"."email", "User"."emailVerified", "User"."image" FROM "User""#
    /// );
    /// ```
    fn all(self) -> All<Self> {
        All(PhantomData)
    }
}

impl<T: Table> TableExt for T {}

/// The row type of a statement that yields no rows yet: call `select` or `returning` first.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoRows;

/// A typed SELECT. `D` is the dialect, `S` the tables in scope, `O` what a row decodes to.
#[derive(Debug, Clone)]
#[must_use = "a query does nothing until it is compiled or executed"]
pub struct Select<D, S, O> {
    stmt: SelectStatement,
    projection: Projection,
    /// Whether `limit` was called (MySQL and SQLite need a LIMIT before an OFFSET).
    limited: bool,
    /// The first value that could not be bound (see [`Lower`]).
    invalid: Option<String>,
    _marker: PhantomData<fn() -> (D, S, O)>,
}

/// Starts a SELECT on `table` for dialect `D` (see [`QueryDsl::select_from`](crate::QueryDsl::select_from)).
pub fn select_from<D: Dialect, T: Table>(_table: T) -> Select<D, Cons<T, Nil>, NoRows> {
    let mut stmt = Query::select();
    stmt.from(backend::table(&T::INFO, D::BACKEND));
    Select {
        stmt,
        projection: Projection::default(),
        limited: false,
        invalid: None,
        _marker: PhantomData,
    }
}

impl<D: Dialect, S, O> Select<D, S, O> {
    fn retype<S2, O2>(self) -> Select<D, S2, O2> {
        Select {
            stmt: self.stmt,
            projection: self.projection,
            limited: self.limited,
            invalid: self.invalid,
            _marker: PhantomData,
        }
    }

    /// Sets the selected items; the row type follows them.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::{account, user};
    /// let q = Postgres
    ///     .select_from(user::table)
    ///     .left_join(account::table, account::user_id.eq_col(user::id))
    ///     .select((user::email, account::provider));
    /// // `account` is left-joined, so its column decodes as `Option`.
    /// let _: &Select<Postgres, _, (String, Option<String>)> = &q;
    /// assert_eq!(
    ///     q.compile().sql,
    ///     r#"SELECT "User"."email", "Account"."provider" FROM "User" LEFT JOIN "Account" ON "Account"."userId" = "User"."id""#
    /// );
    /// ```
    pub fn select<Sel, I>(mut self, selection: Sel) -> Select<D, S, Sel::Out>
    where
        Sel: Selection<S, I>,
    {
        self.projection = Projection::default();
        selection.project(&mut self.projection);
        self.retype()
    }

    /// Adds a WHERE condition, joined to earlier ones with AND.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::session;
    /// let q = MySql.select_from(session::table).select(session::user_id).filter(session::session_token.eq("t"));
    /// assert_eq!(q.compile().sql, "SELECT `Session`.`userId` FROM `Session` WHERE `Session`.`sessionToken` = ?");
    /// ```
    pub fn filter<P, I>(mut self, predicate: P) -> Self
    where
        P: Predicate + ValidIn<S, I>,
    {
        let mut cx = Lower::new(D::BACKEND);
        self.stmt.and_where(predicate.into_expr(&mut cx));
        cx.finish(&mut self.invalid);
        self
    }

    /// `INNER JOIN table ON on`. The ON condition sees the tables already in scope and `table`.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::{session, user};
    /// let q = Sqlite
    ///     .select_from(session::table)
    ///     .inner_join(user::table, user::id.eq_col(session::user_id))
    ///     .select((session::table.all(), user::table.all()))
    ///     .filter(session::session_token.eq("t"));
    /// assert!(q.compile().sql.contains(r#"FROM "Session" INNER JOIN "User" ON "User"."id" = "Session"."userId" WHERE"#));
    /// ```
    pub fn inner_join<T, P, I>(mut self, _table: T, on: P) -> Select<D, Cons<T, S>, O>
    where
        T: Table,
        S: NotInScope<T>,
        P: Predicate + ValidIn<Cons<T, S>, I>,
    {
        let mut cx = Lower::new(D::BACKEND);
        self.stmt.join(
            JoinType::InnerJoin,
            backend::table(&T::INFO, D::BACKEND),
            on.into_expr(&mut cx),
        );
        cx.finish(&mut self.invalid);
        self.retype()
    }

    /// `LEFT JOIN table ON on`. Columns of `table` decode as `Option`.
    pub fn left_join<T, P, I>(mut self, _table: T, on: P) -> Select<D, Cons<LeftJoined<T>, S>, O>
    where
        T: Table,
        S: NotInScope<T>,
        P: Predicate + ValidIn<Cons<T, S>, I>,
    {
        let mut cx = Lower::new(D::BACKEND);
        self.stmt.join(
            JoinType::LeftJoin,
            backend::table(&T::INFO, D::BACKEND),
            on.into_expr(&mut cx),
        );
        cx.finish(&mut self.invalid);
        self.retype()
    }

    /// `ORDER BY`: a column (ascending) or `col.asc()` / `col.desc()`. Calls accumulate.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::user;
    /// let q = Postgres.select_from(user::table).select(user::email).order_by(user::name.desc()).limit(10).offset(20);
    /// assert_eq!(
    ///     q.compile().sql,
    ///     r#"SELECT "User"."email" FROM "User" ORDER BY "User"."name" DESC LIMIT $1 OFFSET $2"#
    /// );
    /// ```
    pub fn order_by<E, I>(mut self, order: E) -> Self
    where
        E: OrderExpr + ValidIn<S, I>,
    {
        let mut cx = Lower::new(D::BACKEND);
        let (expr, desc) = order.into_order(&mut cx);
        cx.finish(&mut self.invalid);
        self.stmt
            .order_by_expr(expr, if desc { Order::Desc } else { Order::Asc });
        self
    }

    /// `LIMIT n` (bound as a parameter; capped at `i64::MAX`, the largest the drivers bind).
    pub fn limit(mut self, n: u64) -> Self {
        self.stmt.limit(Ord::min(n, MAX_ROWS));
        self.limited = true;
        self
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
    /// assert_eq!(q.compile().sql, r#"SELECT "User"."email" FROM "User" LIMIT ? OFFSET ?"#);
    /// ```
    pub fn offset(mut self, n: u64) -> Self {
        self.stmt.offset(Ord::min(n, MAX_ROWS));
        if !self.limited && D::BACKEND != Backend::Postgres {
            self.stmt.limit(MAX_ROWS);
        }
        self
    }

    /// Replaces the selection with `COUNT(*)`.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::account;
    /// let q = Postgres.select_from(account::table).filter(account::provider.eq("github")).count();
    /// assert_eq!(q.compile().sql, r#"SELECT COUNT(*) FROM "Account" WHERE "Account"."provider" = $1"#);
    /// ```
    pub fn count(self) -> Select<D, S, i64> {
        self.select(CountAll)
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
    /// let _: &Select<Sqlite, _, auth_query::MapInto<(String, Option<String>), Contact>> = &q;
    /// ```
    pub fn map_into<U>(self) -> Select<D, S, MapInto<O, U>>
    where
        O: Decode,
        U: From<O::Out> + Send,
    {
        self.retype()
    }

    /// The SQL and parameters for `D`, without a connection. Something must be selected.
    pub fn compile(&self) -> Compiled
    where
        O: Decode,
    {
        let mut stmt = self.stmt.clone();
        for item in &self.projection.items {
            stmt.expr(item_expr(item));
        }
        backend::build(&stmt, D::BACKEND, &self.invalid)
    }

    pub(crate) fn column_types(&self) -> Vec<ColumnType> {
        self.projection.types()
    }
}

/// The largest LIMIT or OFFSET: sea-query-sqlx binds them as `i64` on Postgres and SQLite.
const MAX_ROWS: u64 = i64::MAX as u64;

fn item_expr(item: &Item) -> Expr {
    match item {
        Item::Column(table, col) => backend::column(table, col),
        Item::CountAll => Expr::col(sea_query::Asterisk).count(),
    }
}

pub(crate) fn returning_clause(projection: &Projection) -> sea_query::ReturningClause {
    Query::returning().exprs(projection.items.iter().map(|item| match item {
        Item::Column(_, col) => Expr::col(backend::bare_column(col)),
        Item::CountAll => Expr::col(sea_query::Asterisk).count(),
    }))
}
