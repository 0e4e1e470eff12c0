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
//!     q.compile().sql,
//!     r#"SELECT "User"."id", "User"."name", "User"."email", "User"."emailVerified", "User"."image" FROM "User" INNER JOIN "Account" ON "Account"."userId" = "User"."id" WHERE "Account"."provider" = $1 AND "Account"."providerAccountId" = $2"#
//! );
//! ```
//!
//! Execution (`fetch_all`, `fetch_optional`, `fetch_one`, `execute`) needs the driver feature
//! of the dialect (`sqlite`, `postgres`, `mysql`), and runs only on pools, connections and
//! transactions of that dialect.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod backend;
mod dialect;
mod error;
mod exec;
mod expr;
mod prepared;
mod scope;
mod select;
mod write;

pub use backend::Compiled;
pub use dialect::{
    Dialect, MySql, Postgres, Sqlite, SupportsConflictTarget, SupportsDuplicateKeyUpdate,
    SupportsReturning,
};
pub use error::Error;
pub use exec::{Executes, Statement};
pub use expr::{
    Arg, AsSql, Assign, Binary, Bind, Bound, ColumnExt, ColumnOf, Expression, InList, IsNull,
    IsNullable, IsText, Not, OrderExpr, Ordered, Predicate, PredicateExt, SameSql, ValidIn, arg,
    not,
};
pub use prepared::Prepared;
pub use scope::{Cons, Here, InScope, LeftJoined, Nil, NotInScope, There};
pub use select::{
    All, ColumnIndex, CountAll, Decode, IntoNullable, MapInto, MaybeNull, NoRows, NotNull,
    Nullability, OptionalRowOf, Projection, Returnable, RowOf, Select, Selection, StoredValues,
    TableExt, TupleIndex, count_all, select_from,
};
pub use write::{
    ColumnTuple, Columns, Delete, Filtered, HasFilter, Insert, InsertInto, OneColumn, Unfiltered,
    Update, delete_from, insert_into, update,
};

/// The entry points, as methods on a dialect value: `Postgres.select_from(user::table)`.
///
/// ```
/// use auth_query::prelude::*;
/// use auth_schema::kysely::session;
/// let q = Sqlite.delete_from(session::table).filter(session::session_token.eq("t"));
/// assert_eq!(q.compile().sql, r#"DELETE FROM "Session" WHERE "Session"."sessionToken" = ?"#);
/// ```
pub trait QueryDsl: Dialect {
    /// `SELECT ... FROM table`.
    fn select_from<T: auth_schema::Table>(self, table: T) -> Select<Self, Cons<T, Nil>, NoRows> {
        select_from::<Self, T>(table)
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
}

impl<D: Dialect> QueryDsl for D {}

/// Everything a query needs in scope: `use auth_query::prelude::*;`.
pub mod prelude {
    pub use crate::{
        ColumnExt, MySql, Postgres, PredicateExt, QueryDsl, Select, Sqlite, TableExt, count_all,
        not,
    };
}
