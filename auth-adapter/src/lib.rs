//! Every Auth.js adapter operation on PostgreSQL, MySQL/MariaDB and SQLite, built on
//! [`auth_query`] so every statement is type-checked.
//!
//! [`SqlAdapter`] runs on a sqlx pool of one dialect and one [`AuthSchema`] (the stock
//! [`kysely`](auth_schema::kysely) tables, the snake_case preset, or your own with extra
//! columns). It shares a database with a Node app on `@auth/kysely-adapter`: same tables,
//! same value encodings. [`Adapter`] is the same operations as a trait, usable as
//! `Arc<dyn Adapter<S>>`; [`connect()`] returns one for a database URL, the dialect picked by
//! its scheme among the enabled features (`sqlite`, `postgres`, `mysql`).
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use auth_adapter::{AccountKey, Adapter};
//! use auth_schema::{kysely::Schema, NewUser};
//!
//! let adapter: Arc<dyn Adapter<Schema>> = auth_adapter::connect("sqlite://auth.db").await?;
//! let user = adapter
//!     .create_user(NewUser { id: None, name: None, email: "ada@example.com".into(), email_verified: None, image: None, extra: Default::default() })
//!     .await?;
//! assert_eq!(adapter.get_user(&user.id).await?, Some(user));
//! let linked = adapter.get_user_by_account(AccountKey::new("github", "1234")).await?;
//! # Ok(()) }
//! ```
//!
//! The tables come from auth-migrate (its `Migrator`, or the `migrate` command line). Errors are
//! [`AdapterError`]s, classified by the database's error codes, with the driver's error as their
//! source. Each operation runs in a `tracing` span `adapter` (fields `operation`, `dialect`,
//! `table`), which follows it into the task it runs in; each statement's SQL is a debug event
//! there.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod connect;
mod error;
mod types;

pub use connect::{ConnectOptions, backend_of_url, connect};

pub use error::{AdapterError, BoxError};
pub use types::{
    AccountKey, AccountOf, AuthenticatorOf, SessionOf, SessionUpdate, UserExtra, UserOf,
    UserUpdate, VerificationTokenOf,
};

#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
mod accounts;
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
mod adapter;
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
mod authenticators;
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
mod coalesce;
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
mod completion;
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
pub mod dialect;
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
mod held;
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
mod pooler;
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
mod sessions;
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
mod users;
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
mod verification_tokens;

#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
pub use adapter::SqlAdapter;
/// PostgreSQL connections: multi-host URLs with `target_session_attrs` (failover), and
/// transaction-mode poolers (`pgbouncer=true`). See the `auth-pg-connect` crate.
#[cfg(feature = "postgres")]
pub use auth_pg_connect as pg;
#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
pub use dialect::AdapterDialect;

use core::future::Future;
use core::pin::Pin;

use auth_schema::{AuthSchema, NewUser};
use chrono::{DateTime, Utc};

/// A boxed, sendable future, as trait objects need.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, AdapterError>> + Send + 'a>>;

/// The Auth.js adapter interface, object-safe: `Arc<dyn Adapter<S>>`.
///
/// Method names mirror Auth.js in snake_case. Not found is `None` (or an empty list);
/// `update_user`, `update_session` and `update_authenticator_counter` fail with
/// [`AdapterError::NotFound`] when the row is missing; `delete_session` and `unlink_account`
/// on a missing row succeed.
pub trait Adapter<S: AuthSchema>: Send + Sync {
    /// `createUser`.
    fn create_user(&self, user: NewUser<UserExtra<S>>) -> BoxFuture<'_, UserOf<S>>;
    /// `getUser`.
    fn get_user<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Option<UserOf<S>>>;
    /// `getUserByEmail`.
    fn get_user_by_email<'a>(&'a self, email: &'a str) -> BoxFuture<'a, Option<UserOf<S>>>;
    /// `getUserByAccount`.
    fn get_user_by_account<'a>(&'a self, key: AccountKey<'a>) -> BoxFuture<'a, Option<UserOf<S>>>;
    /// `updateUser`.
    fn update_user(&self, update: UserUpdate<UserExtra<S>>) -> BoxFuture<'_, UserOf<S>>;
    /// `deleteUser`.
    fn delete_user<'a>(&'a self, id: &'a str) -> BoxFuture<'a, ()>;
    /// `linkAccount`.
    fn link_account(&self, account: AccountOf<S>) -> BoxFuture<'_, AccountOf<S>>;
    /// `unlinkAccount`.
    fn unlink_account<'a>(&'a self, key: AccountKey<'a>) -> BoxFuture<'a, ()>;
    /// `getAccount` (Auth.js passes `(providerAccountId, provider)`; the key names them).
    fn get_account<'a>(&'a self, key: AccountKey<'a>) -> BoxFuture<'a, Option<AccountOf<S>>>;
    /// `createSession`.
    fn create_session(&self, session: SessionOf<S>) -> BoxFuture<'_, SessionOf<S>>;
    /// `getSessionAndUser`.
    fn get_session_and_user<'a>(
        &'a self,
        session_token: &'a str,
    ) -> BoxFuture<'a, Option<(SessionOf<S>, UserOf<S>)>>;
    /// `updateSession`.
    fn update_session(&self, update: SessionUpdate) -> BoxFuture<'_, SessionOf<S>>;
    /// `deleteSession`.
    fn delete_session<'a>(&'a self, session_token: &'a str) -> BoxFuture<'a, ()>;
    /// `createVerificationToken`.
    fn create_verification_token(
        &self,
        token: VerificationTokenOf<S>,
    ) -> BoxFuture<'_, VerificationTokenOf<S>>;
    /// `useVerificationToken`.
    fn use_verification_token<'a>(
        &'a self,
        identifier: &'a str,
        token: &'a str,
    ) -> BoxFuture<'a, Option<VerificationTokenOf<S>>>;
    /// `createAuthenticator`.
    fn create_authenticator(
        &self,
        authenticator: AuthenticatorOf<S>,
    ) -> BoxFuture<'_, AuthenticatorOf<S>>;
    /// `getAuthenticator`.
    fn get_authenticator<'a>(
        &'a self,
        credential_id: &'a str,
    ) -> BoxFuture<'a, Option<AuthenticatorOf<S>>>;
    /// `listAuthenticatorsByUserId`.
    fn list_authenticators_by_user_id<'a>(
        &'a self,
        user_id: &'a str,
    ) -> BoxFuture<'a, Vec<AuthenticatorOf<S>>>;
    /// `updateAuthenticatorCounter`.
    fn update_authenticator_counter<'a>(
        &'a self,
        credential_id: &'a str,
        counter: i64,
    ) -> BoxFuture<'a, AuthenticatorOf<S>>;
    /// Deletes sessions that expired before `now`; returns how many (not in Auth.js).
    fn delete_expired_sessions(&self, now: DateTime<Utc>) -> BoxFuture<'_, u64>;
    /// Deletes verification tokens that expired before `now`; returns how many (not in Auth.js).
    fn delete_expired_verification_tokens(&self, now: DateTime<Utc>) -> BoxFuture<'_, u64>;
}

#[cfg(any(feature = "sqlite", feature = "postgres", feature = "mysql"))]
impl<D: AdapterDialect, S: AuthSchema> Adapter<S> for SqlAdapter<D, S> {
    fn create_user(&self, user: NewUser<UserExtra<S>>) -> BoxFuture<'_, UserOf<S>> {
        Box::pin(SqlAdapter::create_user(self, user))
    }
    fn get_user<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Option<UserOf<S>>> {
        Box::pin(SqlAdapter::get_user(self, id))
    }
    fn get_user_by_email<'a>(&'a self, email: &'a str) -> BoxFuture<'a, Option<UserOf<S>>> {
        Box::pin(SqlAdapter::get_user_by_email(self, email))
    }
    fn get_user_by_account<'a>(&'a self, key: AccountKey<'a>) -> BoxFuture<'a, Option<UserOf<S>>> {
        Box::pin(SqlAdapter::get_user_by_account(self, key))
    }
    fn update_user(&self, update: UserUpdate<UserExtra<S>>) -> BoxFuture<'_, UserOf<S>> {
        Box::pin(SqlAdapter::update_user(self, update))
    }
    fn delete_user<'a>(&'a self, id: &'a str) -> BoxFuture<'a, ()> {
        Box::pin(SqlAdapter::delete_user(self, id))
    }
    fn link_account(&self, account: AccountOf<S>) -> BoxFuture<'_, AccountOf<S>> {
        Box::pin(SqlAdapter::link_account(self, account))
    }
    fn unlink_account<'a>(&'a self, key: AccountKey<'a>) -> BoxFuture<'a, ()> {
        Box::pin(SqlAdapter::unlink_account(self, key))
    }
    fn get_account<'a>(&'a self, key: AccountKey<'a>) -> BoxFuture<'a, Option<AccountOf<S>>> {
        Box::pin(SqlAdapter::get_account(self, key))
    }
    fn create_session(&self, session: SessionOf<S>) -> BoxFuture<'_, SessionOf<S>> {
        Box::pin(SqlAdapter::create_session(self, session))
    }
    fn get_session_and_user<'a>(
        &'a self,
        session_token: &'a str,
    ) -> BoxFuture<'a, Option<(SessionOf<S>, UserOf<S>)>> {
        Box::pin(SqlAdapter::get_session_and_user(self, session_token))
    }
    fn update_session(&self, update: SessionUpdate) -> BoxFuture<'_, SessionOf<S>> {
        Box::pin(SqlAdapter::update_session(self, update))
    }
    fn delete_session<'a>(&'a self, session_token: &'a str) -> BoxFuture<'a, ()> {
        Box::pin(SqlAdapter::delete_session(self, session_token))
    }
    fn create_verification_token(
        &self,
        token: VerificationTokenOf<S>,
    ) -> BoxFuture<'_, VerificationTokenOf<S>> {
        Box::pin(SqlAdapter::create_verification_token(self, token))
    }
    fn use_verification_token<'a>(
        &'a self,
        identifier: &'a str,
        token: &'a str,
    ) -> BoxFuture<'a, Option<VerificationTokenOf<S>>> {
        Box::pin(SqlAdapter::use_verification_token(self, identifier, token))
    }
    fn create_authenticator(
        &self,
        authenticator: AuthenticatorOf<S>,
    ) -> BoxFuture<'_, AuthenticatorOf<S>> {
        Box::pin(SqlAdapter::create_authenticator(self, authenticator))
    }
    fn get_authenticator<'a>(
        &'a self,
        credential_id: &'a str,
    ) -> BoxFuture<'a, Option<AuthenticatorOf<S>>> {
        Box::pin(SqlAdapter::get_authenticator(self, credential_id))
    }
    fn list_authenticators_by_user_id<'a>(
        &'a self,
        user_id: &'a str,
    ) -> BoxFuture<'a, Vec<AuthenticatorOf<S>>> {
        Box::pin(SqlAdapter::list_authenticators_by_user_id(self, user_id))
    }
    fn update_authenticator_counter<'a>(
        &'a self,
        credential_id: &'a str,
        counter: i64,
    ) -> BoxFuture<'a, AuthenticatorOf<S>> {
        Box::pin(SqlAdapter::update_authenticator_counter(
            self,
            credential_id,
            counter,
        ))
    }
    fn delete_expired_sessions(&self, now: DateTime<Utc>) -> BoxFuture<'_, u64> {
        Box::pin(SqlAdapter::delete_expired_sessions(self, now))
    }
    fn delete_expired_verification_tokens(&self, now: DateTime<Utc>) -> BoxFuture<'_, u64> {
        Box::pin(SqlAdapter::delete_expired_verification_tokens(self, now))
    }
}
