//! A compile-time checked, Kysely-style query builder over the [`auth_schema`] tables.
//!
//! Queries are typed by dialect, by the tables in scope and by the row they decode to. A column
//! of a table that is not in the query, a value of the wrong SQL type, `is_null()` on a NOT NULL
//! column, an UPDATE without a filter, or `RETURNING` on MySQL do not compile, and the error says
//! so in those words. SQL is built by plain non-generic code through sea-query; every value is
//! bound as a parameter and every identifier quoted.
//!
//! ```
//! use auth_query::prelude::*;
//! use auth_schema::kysely::{account, user};
//!
//! let q = Postgres
//!     .select_from(user::table)
//!     .inner_join(account::table, account::user_id.eq_col(user::id))
//!     .select(user::table.all())
//!     .filter(account::provider.eq("github").and(account::provider_account_id.eq("42")));
//! assert_eq!(
//!     q.compile().sql(),
//!     r#"SELECT "User"."id", "User"."name", "User"."email", "User"."emailVerified", "User"."image" FROM "User" INNER JOIN "Account" ON "Account"."userId" = "User"."id" WHERE "Account"."provider" = $1 AND "Account"."providerAccountId" = $2"#
//! );
//! ```
//!
//! Execution (`fetch_all`, `fetch_optional`, `fetch_one`, `execute`) needs the driver feature
//! of the dialect (`sqlite`, `postgres`, `mysql`), and runs only on pools, connections and
//! transactions of that dialect.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// The builders' type-state markers are `PhantomData<fn() -> (D, T, ..)>` (covariant, `Send`
// and `Sync` whatever the parameters); naming each tuple would not make them simpler.
#![allow(clippy::type_complexity)]

mod ast;
// Its docs name the private `ast` module it renders, for readers of the source.
#[allow(rustdoc::private_intra_doc_links)]
pub mod backend;
mod dialect;
mod error;
mod exec;
mod expr;
mod prepared;
mod scope;
mod sealed;
mod select;
mod statement;
mod write;

pub use backend::Compiled;
pub use dialect::{
    Dialect, MySql, Postgres, Sqlite, SupportsConflictTarget, SupportsDuplicateKeyUpdate,
    SupportsLimitInCorrelatedIn, SupportsLockingLeftJoins, SupportsNullsOrder, SupportsReturning,
    SupportsRowLocks,
};
pub use error::Error;
pub use exec::{Executes, Ready, Unnamed};
pub use expr::{
    Agg, AggArg, AliasColumn, Arg, AsSql, Assign, Binary, Bind, Branch, ByExpr, ByValue, Case,
    CasePart, Coalesce, ColumnExt, Contains, DynArgs, Else, Exists, Expression, Func, InList,
    InSub, IntoExpr, IsNull, NaturalSql, NoElse, NoWhen, Not, Now, NullableHere, OrderExpr,
    Orderable, Ordered, OrderedNulls, Param, Predicate, PredicateExt, Raw, RawArgs,
    RawArgsGrouping, RawArgsIn, Rows, SameSql, Scalar, SumType, ValidGrouping, ValidIn, When, agg,
    avg, case_when, coalesce, count, count_all, count_distinct, exists, max, min, not, not_exists,
    now, now_naive, scalar, sql, sum, value,
};
pub use expr::{Junction, all_of, any_of};
pub use prepared::{Arguments, Dynamic, ParamTypes, Prepared};
pub use scope::{
    AliasName, As, Cons, Differs, DistinctAlias, Here, InScope, LeftJoined, Nil, NotInScope, Outer,
    Source, There,
};
pub use select::{
    AfterLimit, Correlation, CorrelationKind, LimitInSubquery, Limited, LockScope, LockableSource,
    Selected,
};
pub use select::{
    AfterOrder, AfterSelect, AliasAllIndex, All, AllIndex, AllSelected, BeforeSelect, Correlated,
    CorrelatedIn, Counted, Decode, Distinguish, ExprIndex, GroupKeys, Grouped, HavingIn, InHead,
    IntoNullable, Listing, Lockable, Locked, Many, MapInto, MaybeNull, NeverSelected, No, NoRows,
    NotNull, NothingSelected, Nullability, One, OptionalRowOf, OrderIn, ReturnRow, Returnable,
    RowOf, SameColumnTypes, SameRowType, SameRows, SameSqlKind, SameType, Select, SelectIn,
    Selection, SelectionGrouping, Selects, SortsSelected, Subquery, SubqueryRows, TableExt,
    TupleIndex, Uncorrelated, Ungrouped, Union, Yes, select_from, subquery_from,
};
pub use statement::{Rendered, Statement};
pub use write::{
    ColumnOf, ColumnTuple, Columns, Delete, Filtered, Give, HasFilter, HasSet, Insert, InsertInto,
    InsertReady, InsertValue, NoSet, OneColumn, SetValue, SetsSomething, Unfiltered, Update,
    delete_from, insert_into, update,
};

/// The entry points, as methods on a dialect value: `Postgres.select_from(user::table)`.
///
/// ```
/// use auth_query::prelude::*;
/// use auth_schema::kysely::session;
/// let q = Sqlite.delete_from(session::table).filter(session::session_token.eq("t"));
/// assert_eq!(q.compile().sql(), r#"DELETE FROM "Session" WHERE "Session"."sessionToken" = ?"#);
/// ```
pub trait QueryDsl: Dialect {
    /// `SELECT ... FROM table` (or an alias from [`alias!`]).
    fn select_from<T: Source>(self, table: T) -> Select<Self, Cons<T, Nil>, NoRows> {
        select_from::<Self, T>(table)
    }

    /// A subquery that may use the columns of the query it goes in (a correlated subquery).
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::kysely::{session, user};
    /// let q = Postgres.select_from(user::table).select(user::id).filter(exists(
    ///     Postgres.subquery_from(session::table).filter(session::user_id.eq_col(user::id)),
    /// ));
    /// assert_eq!(
    ///     q.compile().sql(),
    ///     r#"SELECT "User"."id" FROM "User" WHERE EXISTS(SELECT 1 FROM "Session" WHERE "Session"."userId" = "User"."id")"#
    /// );
    /// ```
    fn subquery_from<T: Source, X>(self, table: T) -> Select<Self, Cons<T, Outer<X>>, NoRows> {
        subquery_from::<Self, T, X>(table)
    }

    /// `INSERT INTO table`.
    fn insert_into<T: auth_schema::Table>(self, table: T) -> InsertInto<Self, T> {
        insert_into::<Self, T>(table)
    }

    /// `UPDATE table`.
    fn update<T: auth_schema::Table>(self, table: T) -> Update<Self, T> {
        update::<Self, T>(table)
    }

    /// `DELETE FROM table`.
    fn delete_from<T: auth_schema::Table>(self, table: T) -> Delete<Self, T> {
        delete_from::<Self, T>(table)
    }

    /// A statement with typed parameters, rendered once: `P` names their SQL types as a tuple,
    /// and the closure receives one [`Param`] per type, usable only where a value of that type
    /// goes. Each execution takes a tuple of values of those types.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::{kysely::user, sql::{Nullable, Text}};
    /// let rename = Postgres.prepare::<(Nullable<Text>, Text), _>(|(name, email)| {
    ///     Postgres.update(user::table).set(user::name, name).filter(user::email.eq(email))
    /// });
    /// assert_eq!(rename.sql(), r#"UPDATE "User" SET "name" = $1 WHERE "User"."email" = $2"#);
    /// let bound = rename.bind((None::<&str>, "a@b.c")).unwrap();
    /// assert_eq!(bound.params().len(), 2);
    /// ```
    fn prepare<P: ParamTypes, Q: Statement<Self>>(
        self,
        build: impl for<'p> FnOnce(P::Params<'p>) -> Q,
    ) -> Prepared<Self, Q::Rows, P> {
        prepared::prepare_typed::<Self, P, Q>(build)
    }

    /// A statement whose arguments are a `&[Value]`, checked when it runs: for code generic over
    /// a schema, whose extra columns it cannot name. `args.arg(i)` is argument `i`, usable where
    /// any value goes.
    ///
    /// ```
    /// use auth_query::prelude::*;
    /// use auth_schema::{kysely::session, Value};
    /// let q = Sqlite.prepare_dynamic(|args| {
    ///     Sqlite.delete_from(session::table).filter(session::session_token.eq(args.arg(0)))
    /// });
    /// assert_eq!(q.arity(), 1);
    /// assert!(q.bind(&[Value::Int(1)]).is_err()); // an integer for a text column
    /// assert!(q.bind(&[Value::Text("t".into())]).is_ok());
    /// ```
    fn prepare_dynamic<Q: Statement<Self>>(
        self,
        build: impl for<'p> FnOnce(&DynArgs<'p>) -> Q,
    ) -> Prepared<Self, Q::Rows, Dynamic> {
        prepared::prepare_dynamic::<Self, Q>(build)
    }
}

impl<D: Dialect> QueryDsl for D {}

/// Everything a query needs in scope: `use auth_query::prelude::*;`.
pub mod prelude {
    pub use crate::{
        ColumnExt, MySql, Postgres, PredicateExt, QueryDsl, Select, Sqlite, TableExt, all_of,
        any_of, avg, case_when, coalesce, count, count_all, count_distinct, exists, max, min, not,
        not_exists, now, scalar, sum, value,
    };
}
