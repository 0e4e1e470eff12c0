//! `SqlAdapter`: the Auth.js adapter over one sqlx pool, for one dialect and one schema.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use auth_query::{Executes, Prepared};
use auth_schema::{AuthSchema, DecodeError, Row, RowReader, Value};
use chrono::SubsecRound;

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

    /// Runs `op` on a clone of this adapter in a task of its own, and waits for it.
    ///
    /// Web services drop request futures at any `.await` (a client disconnects, a timeout
    /// fires). Dropping this future only stops the waiting: the task still runs every statement
    /// of the operation to its end, so a transaction is always committed or rolled back and a
    /// connection always goes back to the pool between two statements, never in the middle of
    /// one. (sqlx's Postgres and MySQL drivers parse the socket inside the caller's future: a
    /// dropped `BEGIN` or prepare leaves a connection inside a transaction or out of step with
    /// its server.) The outcome of a cancelled write is still unknown to the caller, as with any
    /// request whose reply was lost.
    pub(crate) async fn run_to_completion<T, F, Fut>(&self, op: F) -> Result<T>
    where
        F: FnOnce(Self) -> Fut,
        Fut: core::future::Future<Output = Result<T>> + Send + 'static,
        T: Send + 'static,
    {
        match tokio::spawn(op(self.clone())).await {
            Ok(result) => result,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => Err(AdapterError::Connection {
                message: "the runtime shut down before the operation finished".into(),
            }),
        }
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

/// The row that inserting `args` stores, which a later read returns: the same values, with
/// timestamps truncated to milliseconds as the query layer binds them on every dialect. The
/// `create_*` operations return it, so that what they return equals what a `get_*` reads back,
/// also for input with sub-millisecond precision (`Utc::now()`). `fallback` (the input) is only
/// returned if the values do not decode, which encoding the row guarantees they do.
pub(crate) fn as_stored<R: Row>(args: &[Value], fallback: R) -> R {
    struct Stored<'a>(core::slice::Iter<'a, Value>);
    impl RowReader for Stored<'_> {
        fn read(&mut self) -> Result<Value, DecodeError> {
            match self.0.next() {
                Some(Value::Timestamp(t)) => Ok(Value::Timestamp(t.trunc_subsecs(3))),
                Some(v) => Ok(v.clone()),
                None => Err(DecodeError::new("the row has more columns than values")),
            }
        }
    }
    R::decode(&mut Stored(args.iter())).unwrap_or(fallback)
}

/// How many times in all a deadlock victim is run.
const DEADLOCK_ATTEMPTS: usize = 5;

/// Whether the database aborted the statement to break a deadlock: MySQL/MariaDB error 1213
/// (SQLSTATE 40001), Postgres 40P01 (or its 40001 serialization failure).
fn is_deadlock(error: &auth_query::Error) -> bool {
    match error {
        auth_query::Error::Database(sqlx::Error::Database(db)) => {
            matches!(db.code().as_deref(), Some("40001" | "40P01"))
        }
        _ => false,
    }
}

/// Runs `op` again, up to [`DEADLOCK_ATTEMPTS`] times in all, while the database picks it as a
/// deadlock victim. For single statements and whole transactions only: a deadlock rolls back
/// the victim's whole transaction, so running it again is safe.
///
/// On MySQL/MariaDB an insert of a session, account or authenticator for a user, racing that
/// user's `delete_user`, can deadlock with it: the insert holds a shared lock on the user row
/// (its foreign key check) and waits for a lock the delete took on the child table, while the
/// delete waits for the user row. InnoDB then aborts one of them, and its manual's remedy is to
/// run it again: the delete then succeeds, and the insert fails as `NotFound`, as it would have
/// without the race.
pub(crate) async fn retry_deadlocks<T, F>(
    mut op: impl FnMut() -> F,
) -> core::result::Result<T, auth_query::Error>
where
    F: core::future::Future<Output = core::result::Result<T, auth_query::Error>>,
{
    let mut attempt = 1;
    loop {
        match op().await {
            Err(e) if attempt < DEADLOCK_ATTEMPTS && is_deadlock(&e) => attempt += 1,
            done => return done,
        }
    }
}

/// The id as the database stores it: a UUID id in lower case, as Postgres returns it, so that
/// `create_user` returns what `get_user` reads on every dialect. Other ids are kept as given
/// (an invalid UUID is refused when it is bound).
pub(crate) fn canonical_id<C: auth_schema::Column>(id: String) -> String {
    if C::INFO.ty == auth_schema::ColumnType::Id(auth_schema::IdType::Uuid)
        && id.len() == 36
        && id.bytes().any(|b| b.is_ascii_uppercase())
    {
        id.to_ascii_lowercase()
    } else {
        id
    }
}

pub(crate) fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

/// Prepared statements are plain data, shareable across threads.
pub(crate) type Stmt<D, O> = Prepared<D, O, auth_query::Dynamic>;
