//! `SqlAdapter`: the Auth.js adapter over one sqlx pool, for one dialect and one schema.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use auth_query::{Executes, Prepared};
use auth_schema::{AuthSchema, Backend, DecodeError, Row, RowReader, TableInfo, Value};
use chrono::SubsecRound;
use tracing::Instrument;

use crate::coalesce::Coalescer;
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
    /// Pooler mode ([`SqlAdapter::pooler_mode`]): PostgreSQL behind a transaction pooler.
    pub(crate) pooler: bool,
    /// Connections kept between statements (see `held.rs`), shared by the clones.
    pub(crate) held: Arc<crate::held::Held<D::Database>>,
    /// Whether concurrent reads of one kind share a statement ([`SqlAdapter::coalesce_reads`]).
    pub(crate) coalesce: bool,
    /// The queues of those reads, shared by the clones with the same settings.
    pub(crate) reads: Arc<Reads<S>>,
}

/// The reads that share statements (`coalesce.rs`), one queue per kind.
pub(crate) struct Reads<S: AuthSchema> {
    pub(crate) sessions: Coalescer<String, sessions::SessionAndUser<S>>,
    pub(crate) accounts: Coalescer<(String, String), users::UserByAccount<S>>,
}

impl<S: AuthSchema> Reads<S> {
    fn new() -> Arc<Self> {
        Arc::new(Reads {
            sessions: Coalescer::default(),
            accounts: Coalescer::default(),
        })
    }
}

impl<D: AdapterDialect, S: AuthSchema> Clone for SqlAdapter<D, S> {
    fn clone(&self) -> Self {
        SqlAdapter {
            pool: self.pool.clone(),
            st: self.st.clone(),
            pooler: self.pooler,
            held: self.held.clone(),
            coalesce: self.coalesce,
            reads: self.reads.clone(),
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
        let holds = !crate::pooler::routes_hosts::<D>(&pool);
        SqlAdapter {
            held: crate::held::Held::new(pool.clone(), holds),
            pool,
            st: Arc::new(st),
            pooler: false,
            coalesce: true,
            reads: Reads::new(),
        }
    }

    /// Whether concurrent calls of `get_session_and_user`, and of `get_user_by_account`, share
    /// their statements under load (on by default).
    ///
    /// While two calls of one of these reads run alone, or while queued calls are being
    /// served, a further call does not take a connection of its own: it queues, and a task
    /// sends the queued calls together in one statement, `WHERE sessionToken IN (...)` (up to
    /// 32 keys; a second task when eight or more wait), then the calls that queued meanwhile.
    /// The rows are matched back to the calls by comparing their keys byte for byte. Each call
    /// still sees every write that ended before it was made, and one that finds nothing of its
    /// kind running runs at once, alone. Under load this divides the per-statement work of the
    /// client, the network and the server by the number of calls that share it (BENCHMARKS.md,
    /// "Throughput against the Node peer"). A shared statement that fails on the connection
    /// gives each call that error; any other failure runs each call again alone, so that each
    /// gets its own answer or error. Keys over 1 KiB, and text with NUL on PostgreSQL, are
    /// always read alone. Clones share the queues, unless made with other settings
    /// ([`pooler_mode`](Self::pooler_mode), [`hold_connections`](Self::hold_connections)).
    ///
    /// ```no_run
    /// # #[cfg(feature = "sqlite")]
    /// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// use auth_adapter::SqlAdapter;
    /// use auth_query::Sqlite;
    /// use auth_schema::kysely::Schema;
    ///
    /// let pool = sqlx::SqlitePool::connect("sqlite://auth.db").await?;
    /// let adapter = SqlAdapter::<Sqlite, Schema>::new(pool).coalesce_reads(false);
    /// # Ok(()) }
    /// ```
    pub fn coalesce_reads(mut self, on: bool) -> Self {
        self.coalesce = on;
        self.reads = Reads::new();
        self
    }

    /// Pooler mode, for PostgreSQL behind a transaction-mode pooler (PgBouncer with
    /// `pool_mode = transaction`, the poolers of Supabase and Neon): every statement is sent
    /// unnamed, in a transaction of its own, and nothing is kept on a connection between two
    /// transactions (no prepared statement, no `SET`, no lock). It costs two round trips per
    /// statement (`BEGIN`, `COMMIT`) and a parse of each statement. `auth_adapter::connect`
    /// turns it on for a URL with `pgbouncer=true`. On MySQL and SQLite it changes nothing.
    ///
    /// ```no_run
    /// # #[cfg(feature = "postgres")]
    /// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// use auth_adapter::SqlAdapter;
    /// use auth_query::Postgres;
    /// use auth_schema::kysely::Schema;
    ///
    /// let pool = sqlx::PgPool::connect("postgres://app:pw@pgbouncer:6432/auth").await?;
    /// let adapter = SqlAdapter::<Postgres, Schema>::new(pool).pooler_mode(true);
    /// # Ok(()) }
    /// ```
    pub fn pooler_mode(mut self, on: bool) -> Self {
        self.pooler = on && D::BACKEND == Backend::Postgres;
        // Shared reads run with the settings of the adapter that queued them first: clones
        // with other settings get queues of their own.
        self.reads = Reads::new();
        self
    }

    /// Whether the adapter keeps the connections it used between its statements (on by
    /// default; never on a multi-host PostgreSQL pool).
    ///
    /// sqlx pings every connection that goes back to its pool: a second round trip and a task
    /// per statement. So the adapter keeps a connection for up to 20 ms after a statement (200
    /// ms in all) and runs its next statements on it, handing it to its own calls that wait for
    /// the pool. Other users of the same pool may then wait up to that long for a connection
    /// when the pool is exhausted; turn this off if they must not.
    ///
    /// ```no_run
    /// # #[cfg(feature = "sqlite")]
    /// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// use auth_adapter::SqlAdapter;
    /// use auth_query::Sqlite;
    /// use auth_schema::kysely::Schema;
    ///
    /// let pool = sqlx::SqlitePool::connect("sqlite://auth.db").await?;
    /// let adapter = SqlAdapter::<Sqlite, Schema>::new(pool).hold_connections(false);
    /// # Ok(()) }
    /// ```
    pub fn hold_connections(mut self, on: bool) -> Self {
        let on = on && !crate::pooler::routes_hosts::<D>(&self.pool);
        self.held = crate::held::Held::new(self.pool.clone(), on);
        self.reads = Reads::new();
        self
    }

    /// Whether pooler mode is on ([`SqlAdapter::pooler_mode`]).
    pub fn is_pooler_mode(&self) -> bool {
        self.pooler
    }

    /// The pool this adapter runs on.
    pub fn pool(&self) -> &sqlx::Pool<D::Database> {
        &self.pool
    }

    pub(crate) fn exec(&self) -> impl Executes<'_, D> {
        crate::pooler::Exec::new(&self.pool, &self.held, self.pooler)
    }

    /// The executor of a statement that only reads: sent once more, on a live connection, when
    /// the first connection turns out to have died while idle.
    pub(crate) fn read(&self) -> impl Executes<'_, D> {
        crate::pooler::Exec::new(&self.pool, &self.held, self.pooler).idempotent()
    }

    /// Runs operation `op`: `body` on a clone of this adapter, to its end.
    ///
    /// Web services drop request futures at any `.await` (a client disconnects, a timeout
    /// fires). Dropping this future only stops the waiting: the operation still runs every
    /// statement to its end, in a task of its own from then on (see `completion.rs`), so a
    /// transaction is always committed or rolled back and a connection always goes back to the
    /// pool between two statements, never in the middle of one. (sqlx's Postgres and MySQL
    /// drivers parse the socket inside the caller's future: a dropped `BEGIN` or prepare leaves
    /// a connection inside a transaction or out of step with its server.) The outcome of a
    /// cancelled write is still unknown to the caller, as with any request whose reply was
    /// lost.
    ///
    /// The operation runs in the span `adapter` (fields `operation`, `dialect`, `table`), so its
    /// statements' events (and sqlx's) follow it. An error that may mean a missing table is
    /// checked against the catalog, which names the table ([`AdapterError::MissingTable`]).
    pub(crate) async fn run<T, F, Fut>(&self, op: Op, body: F) -> Result<T>
    where
        F: FnOnce(Self) -> Fut,
        Fut: core::future::Future<Output = Result<T>> + Send + 'static,
        T: Send + 'static,
    {
        let span = tracing::info_span!(
            "adapter",
            operation = op.name,
            dialect = dialect_name(D::BACKEND),
            table = op.tables[0].info::<S>().name,
        );
        let this = self.clone();
        let task = body(self.clone());
        let task = async move {
            let result = match task.await {
                Err(e) if e.may_be_missing_table() => Err(this.name_missing_table(e, op).await),
                other => other,
            };
            if let Err(e) = &result {
                tracing::debug!(error = %e, "failed");
            }
            result
        };
        crate::completion::ToCompletion::new(task.instrument(span)).await
    }

    /// `error` when the catalog shows the operation's tables all present; otherwise
    /// [`AdapterError::MissingTable`] naming the first one missing.
    async fn name_missing_table(&self, error: AdapterError, op: Op) -> AdapterError {
        let mut missing = None;
        for model in op.tables {
            let info = model.info::<S>();
            match D::table_exists(&self.pool, info).await {
                Ok(true) => {}
                Ok(false) => {
                    missing = Some(info.name);
                    break;
                }
                // The catalog cannot be read either: keep what the database said.
                Err(_) => break,
            }
        }
        match (error, missing) {
            (
                AdapterError::MissingTable { source, .. } | AdapterError::Schema { source, .. },
                Some(table),
            ) => AdapterError::MissingTable {
                table: table.to_owned(),
                source,
            },
            // The database says a table is missing but the catalog cannot tell which (it was
            // created since, or it lives outside the search path): name them all.
            (AdapterError::MissingTable { source, table }, None) if table.is_empty() => {
                let names: Vec<&str> = op.tables.iter().map(|m| m.info::<S>().name).collect();
                AdapterError::MissingTable {
                    table: names.join("`, `"),
                    source,
                }
            }
            (error, _) => error,
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
            WriteRead::Returning(q) => traced(q)
                .fetch_optional(self.exec(), args)
                .await
                .map_err(err),
            WriteRead::WriteThenRead { write, read } => {
                // On a connection the adapter holds, or one from the pool (see `held.rs`).
                let mut checkout = self
                    .held
                    .take()
                    .await
                    .map_err(|e| AdapterError::from_sqlx(e, entity))?;
                let result = async {
                    let mut tx = sqlx::Connection::begin(&mut *checkout.conn).await?;
                    traced(write).execute(D::tx(&mut tx), args).await?;
                    let row = traced(read).fetch_optional(D::tx(&mut tx), args).await?;
                    tx.commit().await?;
                    Ok(row)
                }
                .await;
                crate::pooler::give_back(&self.held, checkout, &result);
                result.map_err(err)
            }
            WriteRead::ReadThenDelete { read, delete } => {
                let Some(row) = traced(read)
                    .fetch_optional(self.exec(), args)
                    .await
                    .map_err(err)?
                else {
                    return Ok(None);
                };
                let deleted = traced(delete)
                    .execute(self.exec(), args)
                    .await
                    .map_err(err)?;
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

/// Emits the statement's SQL as a debug event (in the operation's span), and returns it.
pub(crate) fn traced<D: auth_query::Dialect, O>(stmt: &Stmt<D, O>) -> &Stmt<D, O> {
    tracing::debug!(sql = stmt.sql(), "statement");
    stmt
}

/// An adapter operation, for its span and for naming a missing table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Op {
    /// The method's name, `get_user`.
    pub(crate) name: &'static str,
    /// The tables it reads or writes, the one it is about first.
    pub(crate) tables: &'static [Model],
}

impl Op {
    pub(crate) const fn new(name: &'static str, tables: &'static [Model]) -> Self {
        Op { name, tables }
    }
}

/// The Auth.js tables, in the order of [`auth_schema::ddl::tables`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum Model {
    User,
    Account,
    Session,
    VerificationToken,
    Authenticator,
}

impl Model {
    /// The table of schema `S`.
    fn info<S: AuthSchema>(self) -> &'static TableInfo {
        auth_schema::ddl::tables::<S>()[self as usize]
    }
}

/// The dialect's name in spans.
pub(crate) fn dialect_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => "postgres",
        Backend::MySql => "mysql",
        Backend::Sqlite => "sqlite",
    }
}
