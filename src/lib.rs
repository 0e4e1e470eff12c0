//! The Auth.js (NextAuth.js) database layer for Rust services.
//!
//! This facade re-exports the crates of the workspace:
//!
//! - [`schema`] (`auth_schema`): the tables and columns as typed Rust, row structs with
//!   Auth.js field names, naming presets and custom schemas, and DDL per dialect;
//! - [`query`] (`auth_query`): a Kysely-style query builder checked at compile time, compiled
//!   to SQL through sea-query and run on sqlx;
//! - [`adapter`] (`auth_adapter`): every Auth.js adapter operation, compatible with
//!   `@auth/kysely-adapter`'s tables and encodings, and [`adapter::connect`] to pick the
//!   dialect from a URL at run time;
//! - `migrate` (`auth_migrate`, feature `migrate`, on by default): versioned migrations, the
//!   planner and the command line;
//! - `axum` (feature `axum`): the Auth.js session as an axum extractor.
//!
//! Dialects are Cargo features: `sqlite` (default), `postgres`, `mysql`. SQL compiles for
//! every dialect without any of them; they enable execution. A service that only needs the
//! adapter can leave out the migrations: `default-features = false, features = ["postgres"]`.
//!
//! ```
//! use authjs_db::query::prelude::*;
//! use authjs_db::schema::kysely::user;
//!
//! let q = Postgres.select_from(user::table).select(user::email).filter(user::id.eq("42"));
//! assert_eq!(q.compile().sql(), r#"SELECT "User"."email" FROM "User" WHERE "User"."id" = $1"#);
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub use auth_adapter as adapter;
#[cfg(feature = "migrate")]
pub use auth_migrate as migrate;
pub use auth_query as query;
pub use auth_schema as schema;

#[cfg(feature = "axum")]
pub mod axum;

/// The usual imports: the query prelude, the stock schemas and the adapter types.
pub mod prelude {
    pub use auth_adapter::{AccountKey, Adapter, AdapterError, SessionUpdate, UserUpdate};
    pub use auth_query::prelude::*;
    pub use auth_schema::{
        Account, Authenticator, NewUser, Session, User, VerificationToken, kysely, snake_case,
    };

    #[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
    pub use auth_adapter::SqlAdapter;
}
