//! `SqlAdapter`: the Auth.js adapter over one sqlx pool, for one dialect and one schema.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use auth_query::{Executes, Prepared};
use auth_schema::{AuthSchema, Value};

use crate::dialect::{AdapterDialect, WriteRead};
use crate::error::AdapterError;
use crate::{accounts, authenticators, sessions, users, verification_tokens};

/// Result of an adapter operation.
pub type Result<T, E = AdapterError> = core::result::Result<T, E>;

/// The Auth.js adapter on a sqlx pool of dialect `D`, over the tables of schema `S`.
///
/// Every statement is rendered once, when the adapter is made, and reused: a call only binds
/// its values. Updates with varying sets of fields are rendered on first use and cached.
///
/// ```no_run
/// # #[cfg(feature = "sqlite")]
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use auth_adapter::SqlAdapter;
/// use auth_query::Sqlite;
/// use auth_schema::kysely::Schema;
///
/// let pool = sqlx::SqlitePool::connect("sqlite://auth.db").await?;
/// let adapter = SqlAdapter::<Sqlite, Schema>::new(pool);
/// let user = adapter.get_user_by_email("ada@example.com").await?;
/// # Ok(()) }
/// ```
pub struct SqlAdapter<D: AdapterDialect, S: AuthSchema> {
    pub(crate) pool: sqlx::Pool<D::Database>,
    pub(crate) st: Arc<Statements<D, S>>,
}

impl<D: AdapterDialect, S: AuthSchema> Clone for SqlAdapter<D, S> {
    fn clone(&self) -> Self {
        SqlAdapter {
            pool: self.pool.clone(),
            st: self.st.clone(),
        }
    }
}

impl<D: AdapterDialect, S: AuthSchema> core::fmt::Debug for SqlAdapter<D, S> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SqlAdapter")
            .field("dialect", &D::BACKEND)
            .finish_non_exhaustive()
    }
}

pub(crate) struct Statements<D: AdapterDialect, S: AuthSchema> {
    pub(crate) users: users::Statements<D, S>,
    pub(crate) accounts: accounts::Statements<D, S>,
    pub(crate) sessions: sessions::Statements<D, S>,
    pub(crate) tokens: verification_tokens::Statements<D, S>,
    pub(crate) authenticators: authenticators::Statements<D, S>,
}

impl<D: AdapterDialect, S: AuthSchema> SqlAdapter<D, S> {
    /// An adapter on `pool`. Renders every statement of the schema for the dialect.
    pub fn new(pool: sqlx::Pool<D::Database>) -> Self {
        let st = Statements {
            users: users::Statements::new(),
            accounts: accounts::Statements::new(),
            sessions: sessions::Statements::new(),
            tokens: verification_tokens::Statements::new(),
            authenticators: authenticators::Statements::new(),
        };
        SqlAdapter {
            pool,
            st: Arc::new(st),
        }
    }

    /// The pool this adapter runs on.
    pub fn pool(&self) -> &sqlx::Pool<D::Database> {
        &self.pool
    }

    pub(crate) fn exec(&self) -> impl Executes<'_, D> {
        D::pool(&self.pool)
    }

    /// Runs a write whose row is read back; `None` when no row matched.
    pub(crate) async fn write_read<O>(
        &self,
        op: &WriteRead<D, O>,
        args: &[Value],
        entity: &'static str,
    ) -> Result<Option<O::Out>>
    where
        O: auth_query::Decode,
        O::Out: Send + 'static,
    {
        let err = |e| AdapterError::from_query(e, entity);
        match op {
            WriteRead::Returning(q) => q.fetch_optional(self.exec(), args).await.map_err(err),
            WriteRead::WriteThenRead { write, read } => {
                let mut tx = self
                    .pool
                    .begin()
                    .await
                    .map_err(|e| AdapterError::from_sqlx(e, entity))?;
                write.execute(D::tx(&mut tx), args).await.map_err(err)?;
                let row = read
                    .fetch_optional(D::tx(&mut tx), args)
                    .await
                    .map_err(err)?;
                tx.commit()
                    .await
                    .map_err(|e| AdapterError::from_sqlx(e, entity))?;
                Ok(row)
            }
            WriteRead::ReadThenDelete { read, delete } => {
                let Some(row) = read.fetch_optional(self.exec(), args).await.map_err(err)? else {
                    return Ok(None);
                };
                let deleted = delete.execute(self.exec(), args).await.map_err(err)?;
                Ok((deleted == 1).then_some(row))
            }
        }
    }
}

/// Statements rendered on first use, keyed by which optional fields they set.
pub(crate) struct ByMask<D, O> {
    cache: Mutex<HashMap<u8, Arc<WriteRead<D, O>>>>,
}

impl<D, O> ByMask<D, O> {
    pub(crate) fn new() -> Self {
        ByMask {
            cache: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn get(
        &self,
        mask: u8,
        build: impl FnOnce() -> WriteRead<D, O>,
    ) -> Arc<WriteRead<D, O>> {
        // A poisoned lock only means another thread panicked while inserting; the map is intact.
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        cache
            .entry(mask)
            .or_insert_with(|| Arc::new(build()))
            .clone()
    }
}

pub(crate) fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

/// Prepared statements are plain data, shareable across threads.
pub(crate) type Stmt<D, O> = Prepared<D, O>;
