//! Shared execution scenarios, run on every dialect against a real database.
//!
//! Each scenario is written once, generic over [`TestDialect`], and instantiated per dialect by
//! [`dialect_tests!`] in `tests/{sqlite,postgres,mysql}.rs`. Every test gets its own namespace
//! from [`connect`] (a fresh SQLite file, a fresh Postgres schema, a fresh MariaDB database), so
//! tests run in parallel without seeing each other, and the namespace is dropped afterwards.
#![allow(dead_code, async_fn_in_trait)]

use std::path::PathBuf;

use auth_query::prelude::*;
use auth_query::{Dialect, Error, Executes};
use auth_schema::kysely::{account, authenticator, session, user, verification_token};
use auth_schema::{Account, Authenticator, NewUser, NoExtras, Session, User, VerificationToken};
use chrono::{DateTime, SubsecRound, Utc};
use sqlx::{Pool, Transaction};

// ---------------------------------------------------------------- connecting --

/// A dialect the suite can run on: how to get an isolated pool, and how to run on it.
pub trait TestDialect: Dialect + QueryDsl {
    /// The sqlx database.
    type Db: sqlx::Database;
    /// The pool as a query executor.
    fn ex(pool: &Pool<Self::Db>) -> impl Executes<'_, Self>;
    /// A transaction as a query executor.
    fn tx<'a, 't>(tx: &'a mut Transaction<'t, Self::Db>) -> impl Executes<'a, Self>;
    /// Runs one raw SQL statement (fixtures), returning the affected row count.
    async fn raw(pool: &Pool<Self::Db>, sql: &str) -> Result<u64, sqlx::Error>;
    /// Runs several `;`-separated statements in one round trip, unprepared (DDL).
    async fn raw_batch(pool: &Pool<Self::Db>, sql: &str) -> Result<(), sqlx::Error>;
    /// A pool on a fresh namespace of its own, or `None` to skip (no database configured).
    async fn open() -> Option<(Pool<Self::Db>, Namespace)>;
}

/// Where one test's tables live; dropped when the test ends.
#[derive(Clone)]
pub enum Namespace {
    /// A temporary SQLite file.
    SqliteFile(PathBuf),
    /// A Postgres schema, made the connections' `search_path`.
    PgSchema { base_url: String, name: String },
    /// A whole Postgres database, for tests that need fixed schema names.
    PgDatabase { base_url: String, name: String },
    /// A MariaDB/MySQL database.
    MySqlDatabase { base_url: String, name: String },
}

/// Names the namespace without the database URL (which holds a password).
impl std::fmt::Display for Namespace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Namespace::SqliteFile(path) => write!(f, "SQLite file {}", path.display()),
            Namespace::PgSchema { name, .. } => write!(f, "Postgres schema {name}"),
            Namespace::PgDatabase { name, .. } => write!(f, "Postgres database {name}"),
            Namespace::MySqlDatabase { name, .. } => write!(f, "MySQL database {name}"),
        }
    }
}

/// An isolated database for one test. Call [`TestDb::close`] at the end; if the test panics
/// first, `Drop` still drops the namespace (best effort).
pub struct TestDb<D: TestDialect> {
    pool: Option<Pool<D::Db>>,
    ns: Option<Namespace>,
}

/// Connects to a fresh namespace of dialect `D`, like `sqlx-test`'s helper.
///
/// Postgres and MySQL read `DATABASE_URL_POSTGRES` / `DATABASE_URL_MYSQL`. When the variable is
/// missing the test is skipped (`None`), except with `CI=true`, where it fails. SQLite always runs.
pub async fn connect<D: TestDialect>() -> Option<TestDb<D>> {
    let (pool, ns) = D::open().await?;
    Some(TestDb {
        pool: Some(pool),
        ns: Some(ns),
    })
}

/// The database URL in `var`, or `None` (after a notice) when it is not set outside CI.
pub fn database_url(var: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if is_ci() => panic!(
            "{var} is not set, and CI=true: the database tests must not be skipped in CI. \
             Run the suite with `bash scripts/test.sh`, which starts the test databases and \
             exports {var}."
        ),
        _ => {
            eprintln!(
                "SKIPPED: {var} is not set. Run `bash scripts/test.sh`, or \
                 `eval \"$(bash scripts/test-dbs.sh)\"` before `cargo test`."
            );
            None
        }
    }
}

fn is_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

/// A fresh name for a schema, database or file: `t_` and 32 hex digits.
pub fn unique_name() -> String {
    format!("t_{}", uuid::Uuid::new_v4().simple())
}

impl<D: TestDialect> TestDb<D> {
    /// The pool.
    pub fn pool(&self) -> &Pool<D::Db> {
        self.pool.as_ref().expect("the pool is open until close()")
    }

    /// The pool as a query executor.
    pub fn ex(&self) -> impl Executes<'_, D> {
        D::ex(self.pool())
    }

    /// Runs raw SQL; panics with the statement on error.
    pub async fn raw(&self, sql: &str) -> u64 {
        D::raw(self.pool(), sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}\n  failed: {e}"))
    }

    /// Creates the tables of `S` with its DDL.
    pub async fn create_schema<S: auth_schema::Database>(&self) {
        let ddl = auth_schema::ddl::create_schema::<S>(D::BACKEND).join(";\n");
        D::raw_batch(self.pool(), &ddl)
            .await
            .unwrap_or_else(|e| panic!("{ddl}\n  failed: {e}"));
    }

    /// Closes the pool and drops the namespace.
    pub async fn close(mut self) {
        let pool = self.pool.take().expect("close() is called once");
        let ns = self.ns.take().expect("close() is called once");
        // A schema or MariaDB database can be dropped from the test's own connection.
        let dropped = match &ns {
            Namespace::PgSchema { name, .. } => {
                D::raw(&pool, &format!("DROP SCHEMA \"{name}\" CASCADE"))
                    .await
                    .is_ok()
            }
            Namespace::MySqlDatabase { name, .. } => {
                D::raw(&pool, &format!("DROP DATABASE `{name}`"))
                    .await
                    .is_ok()
            }
            _ => false,
        };
        pool.close().await;
        if !dropped && let Err(e) = drop_namespace(&ns).await {
            eprintln!("warning: could not drop the test's {ns}: {e}");
        }
    }
}

impl<D: TestDialect> Drop for TestDb<D> {
    fn drop(&mut self) {
        // Only reached without close(), i.e. when the test panicked: clean up from a thread of
        // our own, since the test's runtime cannot be blocked on from here.
        let Some(ns) = self.ns.take() else { return };
        drop(self.pool.take());
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime for cleanup");
            if let Err(e) = rt.block_on(drop_namespace(&ns)) {
                eprintln!("warning: could not drop the test's {ns}: {e}");
            }
        })
        .join();
    }
}

/// Drops a namespace over a connection of its own (waiting at most a few seconds for locks).
async fn drop_namespace(ns: &Namespace) -> Result<(), String> {
    match ns {
        Namespace::SqliteFile(path) => {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let mut p = path.clone().into_os_string();
                p.push(suffix);
                let _ = std::fs::remove_file(p);
            }
            Ok(())
        }
        #[cfg(feature = "postgres")]
        Namespace::PgSchema { base_url, name } | Namespace::PgDatabase { base_url, name } => {
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(base_url)
                .await
                .map_err(|e| e.to_string())?;
            // Sessions the test left behind (say, in a transaction when it panicked) would hold
            // locks: end them first. The test's connections carry its name as application_name.
            let terminate = format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE application_name = '{name}' AND pid <> pg_backend_pid()"
            );
            let drop = match ns {
                Namespace::PgSchema { .. } => format!("DROP SCHEMA IF EXISTS \"{name}\" CASCADE"),
                _ => format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
            };
            for sql in ["SET lock_timeout = '3s'", terminate.as_str(), drop.as_str()] {
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                    .execute(&mut conn)
                    .await
                    .map_err(|e| e.to_string())?;
            }
            conn.close().await.map_err(|e| e.to_string())
        }
        #[cfg(feature = "mysql")]
        Namespace::MySqlDatabase { base_url, name } => {
            use sqlx::Connection;
            let mut conn = sqlx::MySqlConnection::connect(base_url)
                .await
                .map_err(|e| e.to_string())?;
            // End the test's leftover sessions first: an open transaction would block the drop.
            let leftover: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT id FROM information_schema.processlist \
                 WHERE db = '{name}' AND id <> CONNECTION_ID()"
            )))
            .fetch_all(&mut conn)
            .await
            .map_err(|e| e.to_string())?;
            for id in leftover {
                let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!("KILL CONNECTION {id}")))
                    .execute(&mut conn)
                    .await;
            }
            let drop = format!("DROP DATABASE IF EXISTS `{name}`");
            for sql in ["SET SESSION lock_wait_timeout = 3", drop.as_str()] {
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                    .execute(&mut conn)
                    .await
                    .map_err(|e| e.to_string())?;
            }
            conn.close().await.map_err(|e| e.to_string())
        }
        #[allow(unreachable_patterns)]
        _ => Err("the driver feature of this namespace is not enabled".into()),
    }
}

#[cfg(feature = "sqlite")]
impl TestDialect for Sqlite {
    type Db = sqlx::Sqlite;
    fn ex(pool: &Pool<sqlx::Sqlite>) -> impl Executes<'_, Self> {
        pool
    }
    fn tx<'a, 't>(tx: &'a mut Transaction<'t, sqlx::Sqlite>) -> impl Executes<'a, Self> {
        tx
    }
    async fn raw(pool: &Pool<sqlx::Sqlite>, sql: &str) -> Result<u64, sqlx::Error> {
        Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(pool)
            .await?
            .rows_affected())
    }
    async fn raw_batch(pool: &Pool<sqlx::Sqlite>, sql: &str) -> Result<(), sqlx::Error> {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(pool)
            .await?;
        Ok(())
    }
    async fn open() -> Option<(Pool<sqlx::Sqlite>, Namespace)> {
        // A temporary file rather than `:memory:`, so the pool may hold several connections.
        let path = std::env::temp_dir().join(format!("authjs-{}.db", unique_name()));
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .foreign_keys(true)
            // Throwaway data: no fsync per statement.
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
            .synchronous(sqlx::sqlite::SqliteSynchronous::Off);
        let pool = sqlx::pool::PoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .unwrap_or_else(|e| panic!("cannot open SQLite file {}: {e}", path.display()));
        Some((pool, Namespace::SqliteFile(path)))
    }
}

#[cfg(feature = "postgres")]
impl TestDialect for Postgres {
    type Db = sqlx::Postgres;
    fn ex(pool: &Pool<sqlx::Postgres>) -> impl Executes<'_, Self> {
        pool
    }
    fn tx<'a, 't>(tx: &'a mut Transaction<'t, sqlx::Postgres>) -> impl Executes<'a, Self> {
        tx
    }
    async fn raw(pool: &Pool<sqlx::Postgres>, sql: &str) -> Result<u64, sqlx::Error> {
        Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(pool)
            .await?
            .rows_affected())
    }
    async fn raw_batch(pool: &Pool<sqlx::Postgres>, sql: &str) -> Result<(), sqlx::Error> {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(pool)
            .await?;
        Ok(())
    }
    async fn open() -> Option<(Pool<sqlx::Postgres>, Namespace)> {
        let base_url = database_url("DATABASE_URL_POSTGRES")?;
        let name = unique_name();
        let options: sqlx::postgres::PgConnectOptions = base_url
            .parse()
            .unwrap_or_else(|e| panic!("DATABASE_URL_POSTGRES is not a valid URL: {e}"));
        // Every connection resolves unqualified tables in the test's own schema.
        let options = options
            .options([("search_path", name.as_str())])
            .application_name(&name);
        let pool = sqlx::pool::PoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to DATABASE_URL_POSTGRES: {e}"));
        Self::raw(&pool, &format!("CREATE SCHEMA \"{name}\""))
            .await
            .unwrap_or_else(|e| panic!("cannot create schema {name}: {e}"));
        Some((pool, Namespace::PgSchema { base_url, name }))
    }
}

/// A Postgres test on a whole fresh database, for schemas with a fixed `postgres_schema`.
#[cfg(feature = "postgres")]
pub async fn connect_fresh_pg_database() -> Option<TestDb<Postgres>> {
    use sqlx::Connection;
    let base_url = database_url("DATABASE_URL_POSTGRES")?;
    let name = unique_name();
    let mut admin = sqlx::PgConnection::connect(&base_url)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to DATABASE_URL_POSTGRES: {e}"));
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut admin)
        .await
        .unwrap_or_else(|e| panic!("cannot create database {name}: {e}"));
    let _ = admin.close().await;
    let options: sqlx::postgres::PgConnectOptions = base_url.parse().unwrap();
    let pool = sqlx::pool::PoolOptions::new()
        .max_connections(4)
        .connect_with(options.database(&name).application_name(&name))
        .await
        .unwrap_or_else(|e| panic!("cannot connect to database {name}: {e}"));
    Some(TestDb {
        pool: Some(pool),
        ns: Some(Namespace::PgDatabase { base_url, name }),
    })
}

#[cfg(feature = "mysql")]
impl TestDialect for MySql {
    type Db = sqlx::MySql;
    fn ex(pool: &Pool<sqlx::MySql>) -> impl Executes<'_, Self> {
        pool
    }
    fn tx<'a, 't>(tx: &'a mut Transaction<'t, sqlx::MySql>) -> impl Executes<'a, Self> {
        tx
    }
    async fn raw(pool: &Pool<sqlx::MySql>, sql: &str) -> Result<u64, sqlx::Error> {
        Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(pool)
            .await?
            .rows_affected())
    }
    async fn raw_batch(pool: &Pool<sqlx::MySql>, sql: &str) -> Result<(), sqlx::Error> {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(pool)
            .await?;
        Ok(())
    }
    async fn open() -> Option<(Pool<sqlx::MySql>, Namespace)> {
        use sqlx::Connection;
        let base_url = database_url("DATABASE_URL_MYSQL")?;
        let name = unique_name();
        let mut admin = sqlx::MySqlConnection::connect(&base_url)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to DATABASE_URL_MYSQL: {e}"));
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
        )))
        .execute(&mut admin)
        .await
        .unwrap_or_else(|e| panic!("cannot create database {name}: {e}"));
        let _ = admin.close().await;
        let options: sqlx::mysql::MySqlConnectOptions = base_url
            .parse()
            .unwrap_or_else(|e| panic!("DATABASE_URL_MYSQL is not a valid URL: {e}"));
        let pool = sqlx::pool::PoolOptions::new()
            .max_connections(4)
            .connect_with(options.database(&name))
            .await
            .unwrap_or_else(|e| panic!("cannot connect to database {name}: {e}"));
        Some((pool, Namespace::MySqlDatabase { base_url, name }))
    }
}

/// Declares one `#[tokio::test]` per scenario for a dialect: connect, run, drop the namespace.
///
/// ```ignore
/// common::dialect_tests!(Sqlite => column_types, joins);
/// #[path = "common/types.rs"]
/// mod types_suite;
/// mod types {
///     crate::common::dialect_tests!(auth_query::Sqlite, types_suite => every_type_round_trips);
/// }
/// ```
macro_rules! dialect_tests {
    // Scenarios of a suite module at the test crate's root (`builder_suite`, `types_suite`:
    // `tests/common/{builder,types}.rs`, included by the dialect test files).
    // A scenario may carry attributes, such as `#[ignore = "why"]`.
    ($dialect:ty, $module:ident => $($(#[$attr:meta])* $scenario:ident),+ $(,)?) => {$(
        #[tokio::test]
        $(#[$attr])*
        async fn $scenario() {
            let Some(db) = $crate::common::connect::<$dialect>().await else { return };
            $crate::$module::$scenario(&db).await;
            db.close().await;
        }
    )+};
    ($dialect:ty => $($scenario:ident),+ $(,)?) => {$(
        #[tokio::test]
        async fn $scenario() {
            let Some(db) = $crate::common::connect::<$dialect>().await else { return };
            $crate::common::$scenario(&db).await;
            db.close().await;
        }
    )+};
}
pub(crate) use dialect_tests;

// ------------------------------------------------------------------- helpers --

/// An RFC 3339 instant.
pub fn ts(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .unwrap_or_else(|e| panic!("bad test timestamp {s}: {e}"))
        .with_timezone(&Utc)
}

/// A fresh UUID v4 string.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

pub fn a_user(email: &str, name: Option<&str>) -> User {
    User {
        id: new_id(),
        name: name.map(Into::into),
        email: email.into(),
        email_verified: None,
        image: None,
        extra: NoExtras {},
    }
}

pub fn an_account(user_id: &str, provider: &str, provider_account_id: &str) -> Account {
    Account {
        user_id: user_id.into(),
        account_type: "oauth".into(),
        provider: provider.into(),
        provider_account_id: provider_account_id.into(),
        refresh_token: None,
        access_token: None,
        expires_at: None,
        token_type: None,
        scope: None,
        id_token: None,
        session_state: None,
        extra: NoExtras {},
    }
}

pub fn a_session(user_id: &str, token: &str, expires: DateTime<Utc>) -> Session {
    Session {
        user_id: user_id.into(),
        session_token: token.into(),
        expires,
        extra: NoExtras {},
    }
}

pub fn an_authenticator(user_id: &str, credential_id: &str) -> Authenticator {
    Authenticator {
        credential_id: credential_id.into(),
        user_id: user_id.into(),
        provider_account_id: format!("pa-{credential_id}"),
        credential_public_key: "pQECAyYgASFYIK".into(),
        counter: 0,
        credential_device_type: "singleDevice".into(),
        credential_backed_up: false,
        transports: None,
        extra: NoExtras {},
    }
}

async fn insert_users<D: TestDialect>(db: &TestDb<D>, users: &[&User]) {
    for u in users {
        let n = D::default()
            .insert_into(user::table)
            .values((*u).clone())
            .execute(db.ex())
            .await
            .unwrap();
        assert_eq!(n, 1, "inserting {u:?}");
    }
}

async fn count_users<D: TestDialect>(db: &TestDb<D>) -> i64 {
    D::default()
        .select_from(user::table)
        .count()
        .fetch_one(db.ex())
        .await
        .unwrap()
}

// ---------------------------------------------------------------- scenarios --

/// Every column type round-trips through insert and select: ids, text, nullable text, bigint
/// (extremes and negatives) and bool.
pub async fn column_types<D: TestDialect>(db: &TestDb<D>) {
    db.create_schema::<auth_schema::kysely::Schema>().await;
    let d = D::default();

    // Ids, text and nullable text, as whole rows and as single columns.
    let full = User {
        id: new_id(),
        name: Some("Ada Lovelace".into()),
        email: "ada@example.com".into(),
        email_verified: Some(ts("2024-01-02T03:04:05.678Z")),
        image: Some("https://example.com/ada.png".into()),
        extra: NoExtras {},
    };
    let empty = a_user("bob@example.com", None);
    insert_users(db, &[&full, &empty]).await;
    let rows = d
        .select_from(user::table)
        .select(user::table.all())
        .order_by(user::email)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(rows, vec![full.clone(), empty.clone()]);
    let cols = d
        .select_from(user::table)
        .select((user::id, user::name, user::email, user::image))
        .filter(user::id.eq(&empty.id))
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(cols, (empty.id.clone(), None, empty.email.clone(), None));
    let name: Option<String> = d
        .select_from(user::table)
        .select(user::name)
        .filter(user::id.eq(&full.id))
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(name.as_deref(), Some("Ada Lovelace"));

    // Setting a nullable column to NULL and back.
    let n = d
        .update(user::table)
        .set(user::name, None::<String>)
        .set(user::image, Some("x"))
        .filter(user::id.eq(&full.id))
        .execute(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 1);
    let (name, image) = d
        .select_from(user::table)
        .select((user::name, user::image))
        .filter(user::id.eq(&full.id))
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!((name, image.as_deref()), (None, Some("x")));

    // A NewUser without id gets a UUID v4 from the application.
    let new = NewUser {
        id: None,
        name: None,
        email: "generated@example.com".into(),
        email_verified: None,
        image: None,
        extra: NoExtras {},
    };
    d.insert_into(user::table)
        .values(new)
        .execute(db.ex())
        .await
        .unwrap();
    let id = d
        .select_from(user::table)
        .select(user::id)
        .filter(user::email.eq("generated@example.com"))
        .fetch_one(db.ex())
        .await
        .unwrap();
    let parsed = uuid::Uuid::parse_str(&id).expect("a generated id is a UUID");
    assert_eq!(parsed.get_version_num(), 4);
    assert_eq!(id, parsed.hyphenated().to_string(), "lowercase, hyphenated");

    // A uuid::Uuid binds as an id and compares equal to its string form.
    let uid = uuid::Uuid::new_v4();
    d.insert_into(user::table)
        .value(user::id, uid)
        .value(user::email, "uuid@example.com")
        .execute(db.ex())
        .await
        .unwrap();
    let found = d
        .select_from(user::table)
        .select(user::email)
        .filter(user::id.eq(uid))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(found, vec!["uuid@example.com".to_string()]);
    let found = d
        .select_from(user::table)
        .select(user::id)
        .filter(user::id.eq(uid.to_string()))
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(found, uid.to_string());

    // BigInt: extremes, negatives, zero and NULL.
    let values = [
        Some(i64::MAX),
        Some(i64::MIN),
        Some(-1),
        Some(0),
        Some(1_700_000_000),
        None,
    ];
    for (i, v) in values.iter().enumerate() {
        let mut a = an_account(&full.id, "bigint", &i.to_string());
        a.expires_at = *v;
        d.insert_into(account::table)
            .values(a)
            .execute(db.ex())
            .await
            .unwrap();
    }
    let got = d
        .select_from(account::table)
        .select(account::expires_at)
        .order_by(account::provider_account_id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, values.to_vec());
    let min = d
        .select_from(account::table)
        .select(account::provider_account_id)
        .filter(account::expires_at.eq(i64::MIN))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(min, vec!["1".to_string()]);
    let negatives = d
        .select_from(account::table)
        .filter(account::expires_at.lt(0))
        .count()
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(negatives, 2);
    let max = d
        .select_from(account::table)
        .filter(account::expires_at.ge(i64::MAX))
        .count()
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(max, 1);

    // Bool and NOT NULL bigint, through Authenticator rows.
    let mut backed_up = an_authenticator(&full.id, "cred-a");
    backed_up.counter = i64::MAX;
    backed_up.credential_backed_up = true;
    backed_up.credential_device_type = "multiDevice".into();
    backed_up.transports = Some("usb,ble,nfc".into());
    let mut not_backed_up = an_authenticator(&full.id, "cred-b");
    not_backed_up.counter = i64::MIN;
    let mut negative = an_authenticator(&empty.id, "cred-c");
    negative.counter = -42;
    negative.credential_backed_up = true;
    for a in [&backed_up, &not_backed_up, &negative] {
        d.insert_into(authenticator::table)
            .values(a.clone())
            .execute(db.ex())
            .await
            .unwrap();
    }
    let rows = d
        .select_from(authenticator::table)
        .select(authenticator::table.all())
        .order_by(authenticator::credential_id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        rows,
        vec![backed_up.clone(), not_backed_up.clone(), negative.clone()]
    );
    let flags = d
        .select_from(authenticator::table)
        .select((authenticator::credential_backed_up, authenticator::counter))
        .order_by(authenticator::credential_id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        flags,
        vec![(true, i64::MAX), (false, i64::MIN), (true, -42)]
    );
    for (flag, expected) in [(true, 2), (false, 1)] {
        let n = d
            .select_from(authenticator::table)
            .filter(authenticator::credential_backed_up.eq(flag))
            .count()
            .fetch_one(db.ex())
            .await
            .unwrap();
        assert_eq!(n, expected, "credentialBackedUp = {flag}");
    }
    let n = d
        .update(authenticator::table)
        .set(authenticator::credential_backed_up, true)
        .set(authenticator::counter, 7)
        .filter(authenticator::credential_id.eq("cred-b"))
        .execute(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 1);
    let updated = d
        .select_from(authenticator::table)
        .select((authenticator::credential_backed_up, authenticator::counter))
        .filter(authenticator::credential_id.eq("cred-b"))
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(updated, (true, 7));
}

/// Timestamps are UTC instants exact to the millisecond; sub-millisecond input is truncated
/// (never rounded), on writes and in comparisons.
pub async fn timestamps<D: TestDialect>(db: &TestDb<D>) {
    db.create_schema::<auth_schema::kysely::Schema>().await;
    let d = D::default();
    let owner = a_user("owner@example.com", None);
    insert_users(db, &[&owner]).await;

    let cases = [
        ("2024-05-06T07:08:09.123456789Z", "2024-05-06T07:08:09.123Z"),
        ("2024-12-31T23:59:59.999999Z", "2024-12-31T23:59:59.999Z"),
        ("1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000Z"),
        ("1969-07-20T20:17:40.250Z", "1969-07-20T20:17:40.250Z"),
        ("2038-01-19T03:14:08.001Z", "2038-01-19T03:14:08.001Z"),
        ("2999-12-31T23:59:59.999Z", "2999-12-31T23:59:59.999Z"),
        ("2024-03-10T12:00:00.000+05:30", "2024-03-10T06:30:00.000Z"),
    ];
    for (i, (input, _)) in cases.iter().enumerate() {
        d.insert_into(session::table)
            .values(a_session(&owner.id, &format!("s{i}"), ts(input)))
            .execute(db.ex())
            .await
            .unwrap();
    }
    for (i, (input, expected)) in cases.iter().enumerate() {
        let got = d
            .select_from(session::table)
            .select(session::table.all())
            .filter(session::session_token.eq(format!("s{i}")))
            .fetch_one(db.ex())
            .await
            .unwrap();
        assert_eq!(got.expires, ts(expected), "{input} stored as {expected}");
        assert_eq!(got.expires.timestamp_subsec_nanos() % 1_000_000, 0);
        // The same sub-millisecond input, compared, finds the stored row.
        let found = d
            .select_from(session::table)
            .select(session::session_token)
            .filter(session::expires.eq(ts(input)))
            .fetch_all(db.ex())
            .await
            .unwrap();
        assert_eq!(found, vec![format!("s{i}")], "expires = {input}");
    }

    // Ordering and range comparisons follow time.
    let ordered = d
        .select_from(session::table)
        .select(session::session_token)
        .order_by(session::expires)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(ordered, ["s3", "s2", "s6", "s0", "s1", "s4", "s5"]);
    let before_2000 = d
        .select_from(session::table)
        .filter(session::expires.lt(ts("2000-01-01T00:00:00Z")))
        .count()
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(before_2000, 2);
    let from_new_year = d
        .select_from(session::table)
        .select(session::session_token)
        .filter(session::expires.ge(ts("2024-12-31T23:59:59.999Z")))
        .filter(session::expires.le(ts("2038-01-19T03:14:08.001Z")))
        .order_by(session::expires)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(from_new_year, ["s1", "s4"]);

    // Now, nullable timestamps, NOT NULL timestamps of another table, and updates.
    let now = Utc::now();
    let n = d
        .update(user::table)
        .set(user::email_verified, Some(now))
        .filter(user::id.eq(&owner.id))
        .execute(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 1);
    let verified = d
        .select_from(user::table)
        .select(user::email_verified)
        .filter(user::id.eq(&owner.id))
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(verified, Some(now.trunc_subsecs(3)));
    d.update(user::table)
        .set(user::email_verified, None::<DateTime<Utc>>)
        .filter(user::id.eq(&owner.id))
        .execute(db.ex())
        .await
        .unwrap();
    let verified = d
        .select_from(user::table)
        .select(user::email_verified)
        .filter(user::email_verified.is_null())
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(verified, vec![None]);

    let vt = VerificationToken {
        identifier: "owner@example.com".into(),
        token: "hashed".into(),
        expires: ts("2025-01-31T12:34:56.789999Z"),
        extra: NoExtras {},
    };
    d.insert_into(verification_token::table)
        .values(vt)
        .execute(db.ex())
        .await
        .unwrap();
    let got = d
        .select_from(verification_token::table)
        .select(verification_token::table.all())
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(got.expires, ts("2025-01-31T12:34:56.789Z"));
}

/// Inner joins drop rows without a match; left joins keep them with `None`.
pub async fn joins<D: TestDialect>(db: &TestDb<D>) {
    db.create_schema::<auth_schema::kysely::Schema>().await;
    let d = D::default();
    let alice = a_user("alice@example.com", Some("Alice"));
    let bob = a_user("bob@example.com", None);
    let carol = a_user("carol@example.com", Some("Carol"));
    insert_users(db, &[&alice, &bob, &carol]).await;
    let mut github = an_account(&alice.id, "github", "1");
    github.access_token = Some("gho_x".into());
    let google = an_account(&alice.id, "google", "2");
    for a in [&github, &google] {
        d.insert_into(account::table)
            .values(a.clone())
            .execute(db.ex())
            .await
            .unwrap();
    }
    let expires = ts("2030-01-01T00:00:00Z");
    let s_alice = a_session(&alice.id, "sa", expires);
    let s_carol = a_session(&carol.id, "sc", expires);
    for s in [&s_alice, &s_carol] {
        d.insert_into(session::table)
            .values(s.clone())
            .execute(db.ex())
            .await
            .unwrap();
    }

    // INNER JOIN: only Alice has accounts.
    let rows = d
        .select_from(user::table)
        .inner_join(account::table, account::user_id.eq_col(user::id))
        .select((user::email, account::provider))
        .order_by(account::provider)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        rows,
        vec![
            ("alice@example.com".to_string(), "github".to_string()),
            ("alice@example.com".to_string(), "google".to_string()),
        ]
    );
    let whole = d
        .select_from(account::table)
        .inner_join(user::table, user::id.eq_col(account::user_id))
        .select((user::table.all(), account::table.all()))
        .filter(account::provider.eq("github"))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(whole, vec![(alice.clone(), github.clone())]);
    let n = d
        .select_from(user::table)
        .inner_join(session::table, session::user_id.eq_col(user::id))
        .count()
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 2);

    // LEFT JOIN: Bob and Carol have no account, so their account columns are None.
    let rows = d
        .select_from(user::table)
        .left_join(account::table, account::user_id.eq_col(user::id))
        .select((user::email, account::provider, account::access_token))
        .order_by(user::email)
        .order_by(account::provider)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        rows,
        vec![
            (
                "alice@example.com".to_string(),
                Some("github".to_string()),
                Some("gho_x".to_string())
            ),
            (
                "alice@example.com".to_string(),
                Some("google".to_string()),
                None
            ),
            ("bob@example.com".to_string(), None, None),
            ("carol@example.com".to_string(), None, None),
        ]
    );
    let rows = d
        .select_from(user::table)
        .left_join(session::table, session::user_id.eq_col(user::id))
        .select((user::table.all(), session::table.all()))
        .order_by(user::email)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        rows,
        vec![
            (alice.clone(), Some(s_alice.clone())),
            (bob.clone(), None),
            (carol.clone(), Some(s_carol.clone())),
        ]
    );

    // Three tables: sessions with their user, and the user's accounts if any.
    let rows = d
        .select_from(session::table)
        .inner_join(user::table, user::id.eq_col(session::user_id))
        .left_join(account::table, account::user_id.eq_col(user::id))
        .select((session::session_token, user::name, account::provider))
        .order_by(session::session_token)
        .order_by(account::provider)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        rows,
        vec![
            (
                "sa".to_string(),
                Some("Alice".to_string()),
                Some("github".to_string())
            ),
            (
                "sa".to_string(),
                Some("Alice".to_string()),
                Some("google".to_string())
            ),
            ("sc".to_string(), Some("Carol".to_string()), None),
        ]
    );

    // A filter on the joined table turns the result into matching rows only.
    let rows = d
        .select_from(user::table)
        .left_join(session::table, session::user_id.eq_col(user::id))
        .select(user::email)
        .filter(session::session_token.eq("sc"))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(rows, vec!["carol@example.com".to_string()]);
}

/// `execute` returns the rows inserted, matched by an UPDATE and deleted; empty results are
/// reported as such.
pub async fn row_counts<D: TestDialect>(db: &TestDb<D>) {
    db.create_schema::<auth_schema::kysely::Schema>().await;
    let d = D::default();
    let a = a_user("a@example.com", Some("A"));
    let b = a_user("b@example.com", Some("B"));
    let c = a_user("c@example.com", None);
    let n = d
        .insert_into(user::table)
        .values(a.clone())
        .values(b.clone())
        .values(c.clone())
        .execute(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 3, "a three-row insert");
    assert_eq!(count_users(db).await, 3);

    let n = d
        .update(user::table)
        .set(user::name, Some("renamed"))
        .filter(user::email.ne("c@example.com"))
        .execute(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 2);
    // Matched rows, not changed rows: setting the same value again still counts them.
    let n = d
        .update(user::table)
        .set(user::name, Some("renamed"))
        .filter(user::email.ne("c@example.com"))
        .execute(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 2, "an UPDATE reports the rows it matched");
    let n = d
        .update(user::table)
        .set(user::name, Some("nobody"))
        .filter(user::email.eq("missing@example.com"))
        .execute(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 0);
    let n = d
        .update(user::table)
        .set(user::image, Some("i"))
        .all_rows()
        .execute(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 3);
    // No `set` does not compile; with sets chosen at run time, none is refused before sending.
    let err = d
        .update(user::table)
        .dynamic_sets()
        .filter(user::id.eq(&a.id))
        .execute(db.ex())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::EmptyUpdate), "{err:?}");

    let n = d
        .delete_from(user::table)
        .filter(user::id.eq(&a.id))
        .execute(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 1);
    let n = d
        .delete_from(user::table)
        .filter(user::id.eq(&a.id))
        .execute(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 0);
    let missing = d
        .select_from(user::table)
        .select(user::table.all())
        .filter(user::id.eq(&a.id))
        .fetch_optional(db.ex())
        .await
        .unwrap();
    assert_eq!(missing, None);
    let err = d
        .select_from(user::table)
        .select(user::email)
        .filter(user::id.eq(&a.id))
        .fetch_one(db.ex())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound), "{err:?}");
    let n = d
        .delete_from(user::table)
        .all_rows()
        .execute(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 2);
    assert_eq!(count_users(db).await, 0);
}

/// COUNT, ORDER BY, LIMIT, OFFSET, IN, LIKE, IS NULL, comparisons, AND/OR/NOT.
pub async fn query_clauses<D: TestDialect>(db: &TestDb<D>) {
    db.create_schema::<auth_schema::kysely::Schema>().await;
    let d = D::default();
    let users = [
        a_user("a@example.com", Some("Ann")),
        a_user("b@example.com", None),
        a_user("c@example.com", Some("Cid")),
        a_user("d@example.com", None),
        a_user("e@other.org", Some("Eve")),
    ];
    insert_users(db, &users.iter().collect::<Vec<_>>()).await;
    let emails = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();

    assert_eq!(count_users(db).await, 5);
    let n = d
        .select_from(user::table)
        .filter(user::email.like("%@example.com"))
        .count()
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 4);

    let q = || d.select_from(user::table).select(user::email);
    let got = q().order_by(user::email).fetch_all(db.ex()).await.unwrap();
    assert_eq!(
        got,
        emails(&[
            "a@example.com",
            "b@example.com",
            "c@example.com",
            "d@example.com",
            "e@other.org"
        ])
    );
    let got = q()
        .order_by(user::email.desc())
        .limit(2)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, emails(&["e@other.org", "d@example.com"]));
    let got = q()
        .order_by(user::email.asc())
        .limit(2)
        .offset(1)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, emails(&["b@example.com", "c@example.com"]));
    let got = q()
        .order_by(user::email)
        .offset(3)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        got,
        emails(&["d@example.com", "e@other.org"]),
        "OFFSET alone"
    );
    let got = q()
        .order_by(user::email)
        .limit(10)
        .offset(5)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert!(got.is_empty());
    let got = q().limit(0).fetch_all(db.ex()).await.unwrap();
    assert!(got.is_empty(), "LIMIT 0");

    // IN, including an empty list and values that match nothing.
    let got = q()
        .filter(user::email.is_in(["c@example.com", "a@example.com", "zz@example.com"]))
        .order_by(user::email)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, emails(&["a@example.com", "c@example.com"]));
    let ids = [users[1].id.clone(), users[3].id.clone()];
    let got = q()
        .filter(user::id.is_in(&ids))
        .order_by(user::email)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, emails(&["b@example.com", "d@example.com"]));
    let got = q()
        .filter(user::email.is_in(Vec::<String>::new()))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert!(got.is_empty(), "IN () matches nothing");
    let n = d
        .select_from(user::table)
        .filter(not(user::email.is_in(Vec::<String>::new())))
        .count()
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 5, "NOT IN () matches everything");
    let n = d
        .select_from(user::table)
        .filter(user::email.is_in(["a@example.com"]).not())
        .count()
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 4);

    // LIKE with both wildcards.
    let got = q()
        .filter(user::email.like("_@example.com"))
        .filter(user::email.like("c%"))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, emails(&["c@example.com"]));
    let got = q()
        .filter(user::name.like("%e%"))
        .order_by(user::email)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, emails(&["e@other.org"]));

    // IS NULL / IS NOT NULL.
    let got = q()
        .filter(user::name.is_null())
        .order_by(user::email)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, emails(&["b@example.com", "d@example.com"]));
    let n = d
        .select_from(user::table)
        .filter(user::name.is_not_null())
        .count()
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 3);

    // Comparisons and boolean combinations.
    let got = q()
        .filter(
            user::email
                .gt("b@example.com")
                .and(user::email.le("d@example.com")),
        )
        .order_by(user::email)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, emails(&["c@example.com", "d@example.com"]));
    let got = q()
        .filter(
            user::email
                .eq("a@example.com")
                .or(user::name.eq("Eve"))
                .or(user::email.lt("a")),
        )
        .order_by(user::email)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, emails(&["a@example.com", "e@other.org"]));
    let got = q()
        .filter(user::name.is_not_null().and(not(user::name.eq("Ann"))))
        .order_by(user::email)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, emails(&["c@example.com", "e@other.org"]));

    // ORDER BY several columns.
    for (provider, pa) in [("b", "2"), ("a", "9"), ("b", "1"), ("a", "10")] {
        d.insert_into(account::table)
            .values(an_account(&users[0].id, provider, pa))
            .execute(db.ex())
            .await
            .unwrap();
    }
    let got = d
        .select_from(account::table)
        .select((account::provider, account::provider_account_id))
        .order_by(account::provider.desc())
        .order_by(account::provider_account_id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    let pairs = |v: &[(&str, &str)]| {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        got,
        pairs(&[("b", "1"), ("b", "2"), ("a", "10"), ("a", "9")])
    );
    let n = d
        .select_from(account::table)
        .filter(account::provider.eq("a"))
        .count()
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 2);
}

/// Deleting a user removes its accounts, sessions and authenticators (ON DELETE CASCADE), and
/// rows referencing a missing user are rejected.
pub async fn cascade_delete<D: TestDialect>(db: &TestDb<D>) {
    db.create_schema::<auth_schema::kysely::Schema>().await;
    let d = D::default();
    let gone = a_user("gone@example.com", None);
    let kept = a_user("kept@example.com", None);
    insert_users(db, &[&gone, &kept]).await;
    let expires = ts("2030-01-01T00:00:00Z");
    for (u, tag) in [(&gone, "g"), (&kept, "k")] {
        for i in 0..2 {
            d.insert_into(account::table)
                .values(an_account(&u.id, "github", &format!("{tag}{i}")))
                .execute(db.ex())
                .await
                .unwrap();
            d.insert_into(session::table)
                .values(a_session(&u.id, &format!("{tag}-session-{i}"), expires))
                .execute(db.ex())
                .await
                .unwrap();
            d.insert_into(authenticator::table)
                .values(an_authenticator(&u.id, &format!("{tag}-cred-{i}")))
                .execute(db.ex())
                .await
                .unwrap();
        }
    }
    d.insert_into(verification_token::table)
        .values(VerificationToken {
            identifier: "gone@example.com".into(),
            token: "t".into(),
            expires,
            extra: NoExtras {},
        })
        .execute(db.ex())
        .await
        .unwrap();

    let n = d
        .delete_from(user::table)
        .filter(user::id.eq(&gone.id))
        .execute(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 1);

    let accounts = d
        .select_from(account::table)
        .select(account::user_id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(accounts, vec![kept.id.clone(), kept.id.clone()]);
    let sessions = d
        .select_from(session::table)
        .select(session::session_token)
        .order_by(session::session_token)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(sessions, ["k-session-0", "k-session-1"]);
    let creds = d
        .select_from(authenticator::table)
        .select(authenticator::credential_id)
        .order_by(authenticator::credential_id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(creds, ["k-cred-0", "k-cred-1"]);
    let vts = d
        .select_from(verification_token::table)
        .count()
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(vts, 1, "verification tokens have no foreign key");

    // The foreign keys are enforced (on SQLite too).
    let err = d
        .insert_into(session::table)
        .values(a_session(&gone.id, "orphan", expires))
        .execute(db.ex())
        .await;
    assert!(
        matches!(err, Err(Error::Database(_))),
        "a session of a deleted user must be rejected: {err:?}"
    );
    let err = d
        .insert_into(account::table)
        .values(an_account(&new_id(), "github", "orphan"))
        .execute(db.ex())
        .await;
    assert!(matches!(err, Err(Error::Database(_))), "{err:?}");
}

/// Strings that break naive quoting, escaping or encodings are stored and found unchanged.
pub async fn adversarial_strings<D: TestDialect>(db: &TestDb<D>) {
    db.create_schema::<auth_schema::kysely::Schema>().await;
    let d = D::default();
    let strings = [
        "it's",
        "''",
        "\"double\" \"\"quoted\"\"",
        r"back\slash \\ \' \n \0 \%",
        "\\",
        "'; DROP TABLE \"User\"; --",
        "\"; DROP TABLE `User`; --",
        "Robert'); DROP TABLE Students;--",
        "`backticks` and ``doubled``",
        "100% _sure_ %_%",
        "%",
        "_",
        "$1 ? ?? :name @p1 {}",
        "emoji 😀🎉👩‍👩‍👧‍👦 🇺🇦",
        "日本語テキスト, 한국어, العربية, עברית, Ελληνικά, Ünïcödé",
        "tab\tnew\nline\r\nreturn",
        "zero\u{200B}width \u{FEFF}bom \u{202E}rtl-override",
        "combining e\u{301} vs é",
        "  padded  ",
        "",
        " ",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 outside the BMP: 𐍈 🂡",
    ];
    let mut ids = Vec::new();
    for (i, s) in strings.iter().enumerate() {
        let u = User {
            id: new_id(),
            name: Some(s.to_string()),
            email: format!("adv{i}@example.com"),
            email_verified: None,
            image: Some(s.to_string()),
            extra: NoExtras {},
        };
        insert_users(db, &[&u]).await;
        ids.push(u.id);
        // As a key (session token, account provider) too; prefixed, so keys are distinct
        // under any collation.
        d.insert_into(session::table)
            .values(a_session(
                &ids[i],
                &format!("{i}:{s}"),
                ts("2030-01-01T00:00:00Z"),
            ))
            .execute(db.ex())
            .await
            .unwrap();
        d.insert_into(account::table)
            .values(an_account(&ids[i], s, &i.to_string()))
            .execute(db.ex())
            .await
            .unwrap();
        d.insert_into(verification_token::table)
            .values(VerificationToken {
                identifier: s.to_string(),
                token: format!("token-{i}"),
                expires: ts("2030-01-01T00:00:00Z"),
                extra: NoExtras {},
            })
            .execute(db.ex())
            .await
            .unwrap();
    }
    assert_eq!(count_users(db).await, strings.len() as i64);

    for (i, s) in strings.iter().enumerate() {
        let (name, image) = d
            .select_from(user::table)
            .select((user::name, user::image))
            .filter(user::id.eq(&ids[i]))
            .fetch_one(db.ex())
            .await
            .unwrap();
        assert_eq!(name.as_deref(), Some(*s), "name {s:?}");
        assert_eq!(image.as_deref(), Some(*s), "image {s:?}");
        // Found by value (a collation may also match look-alikes, so check membership).
        let by_name = d
            .select_from(user::table)
            .select(user::id)
            .filter(user::name.eq(*s))
            .fetch_all(db.ex())
            .await
            .unwrap();
        assert!(by_name.contains(&ids[i]), "lookup by name {s:?}");
        let token = format!("{i}:{s}");
        let session_user = d
            .select_from(session::table)
            .select((session::session_token, session::user_id))
            .filter(session::session_token.eq(&token))
            .fetch_all(db.ex())
            .await
            .unwrap();
        assert!(
            session_user.contains(&(token.clone(), ids[i].clone())),
            "lookup by session token {token:?}: {session_user:?}"
        );
        let provider = d
            .select_from(account::table)
            .select(account::provider)
            .filter(account::provider_account_id.eq(i.to_string()))
            .fetch_one(db.ex())
            .await
            .unwrap();
        assert_eq!(provider, *s, "account provider");
        let identifier = d
            .select_from(verification_token::table)
            .select(verification_token::identifier)
            .filter(verification_token::token.eq(format!("token-{i}")))
            .fetch_one(db.ex())
            .await
            .unwrap();
        assert_eq!(identifier, *s, "verification token identifier");
    }
    // The injection attempts were data: every table is still there and whole.
    assert_eq!(count_users(db).await, strings.len() as i64);
    let n = d
        .select_from(session::table)
        .count()
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(n, strings.len() as i64);

    // 10 kB tokens in the long-text columns, ASCII and multi-byte.
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
    let access: String = alphabet.chars().cycle().take(10 * 1024).collect();
    let refresh: String = access.chars().rev().collect();
    let id_token: String = "eyJ'\"\\`ä😀".chars().cycle().take(10 * 1024).collect();
    assert!(id_token.len() > 10 * 1024 && id_token.len() < 60_000);
    let mut big = an_account(&ids[0], "big", "big");
    big.access_token = Some(access.clone());
    big.refresh_token = Some(refresh.clone());
    big.id_token = Some(id_token.clone());
    big.scope = Some(access.clone());
    big.session_state = Some(id_token.clone());
    d.insert_into(account::table)
        .values(big.clone())
        .execute(db.ex())
        .await
        .unwrap();
    let got = d
        .select_from(account::table)
        .select(account::table.all())
        .filter(account::provider.eq("big"))
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(got, big);
    let found = d
        .select_from(account::table)
        .select(account::provider_account_id)
        .filter(account::access_token.eq(&access))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(found, vec!["big".to_string()]);
    // And a 10 kB update, as a token refresh does.
    let n = d
        .update(account::table)
        .set(account::access_token, Some(&refresh))
        .set(account::refresh_token, Some(&access))
        .filter(account::provider.eq("big"))
        .execute(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 1);
    let tokens = d
        .select_from(account::table)
        .select((account::access_token, account::refresh_token))
        .filter(account::provider.eq("big"))
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(tokens, (Some(refresh), Some(access)));
}

/// A transaction sees its own writes; rollback discards them, commit keeps them.
pub async fn transactions<D: TestDialect>(db: &TestDb<D>) {
    db.create_schema::<auth_schema::kysely::Schema>().await;
    let d = D::default();
    let rolled_back = a_user("rollback@example.com", None);
    let committed = a_user("commit@example.com", None);

    let mut tx = db.pool().begin().await.unwrap();
    d.insert_into(user::table)
        .values(rolled_back.clone())
        .execute(D::tx(&mut tx))
        .await
        .unwrap();
    let inside = d
        .select_from(user::table)
        .count()
        .fetch_one(D::tx(&mut tx))
        .await
        .unwrap();
    assert_eq!(inside, 1, "a transaction sees its own insert");
    tx.rollback().await.unwrap();
    assert_eq!(count_users(db).await, 0, "rolled back");

    let mut tx = db.pool().begin().await.unwrap();
    d.insert_into(user::table)
        .values(committed.clone())
        .execute(D::tx(&mut tx))
        .await
        .unwrap();
    d.insert_into(session::table)
        .values(a_session(
            &committed.id,
            "tx-session",
            ts("2030-01-01T00:00:00Z"),
        ))
        .execute(D::tx(&mut tx))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let users = d
        .select_from(user::table)
        .select(user::table.all())
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(users, vec![committed]);
}

/// `RETURNING` (Postgres, SQLite) yields the rows inserted, updated or deleted.
pub async fn returning<D: TestDialect + auth_query::SupportsReturning>(db: &TestDb<D>) {
    db.create_schema::<auth_schema::kysely::Schema>().await;
    let d = D::default();
    let new = NewUser {
        id: None,
        name: Some("Ret".into()),
        email: "ret@example.com".into(),
        email_verified: Some(ts("2024-01-02T03:04:05.678912Z")),
        image: None,
        extra: NoExtras {},
    };
    let inserted = d
        .insert_into(user::table)
        .values(new)
        .returning(user::table.all())
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(inserted.len(), 1);
    let ret = inserted[0].clone();
    assert!(uuid::Uuid::parse_str(&ret.id).is_ok());
    assert_eq!(ret.name.as_deref(), Some("Ret"));
    assert_eq!(ret.email_verified, Some(ts("2024-01-02T03:04:05.678Z")));
    let stored = d
        .select_from(user::table)
        .select(user::table.all())
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(stored, ret);

    let (x, y) = (a_user("x@example.com", None), a_user("y@example.com", None));
    let mut pairs = d
        .insert_into(user::table)
        .values(x.clone())
        .values(y.clone())
        .returning((user::id, user::email))
        .fetch_all(db.ex())
        .await
        .unwrap();
    pairs.sort();
    let mut expected = vec![
        (x.id.clone(), x.email.clone()),
        (y.id.clone(), y.email.clone()),
    ];
    expected.sort();
    assert_eq!(pairs, expected);

    let mut auth = an_authenticator(&x.id, "cred-r");
    auth.counter = i64::MIN;
    auth.credential_backed_up = true;
    let got = d
        .insert_into(authenticator::table)
        .values(auth.clone())
        .returning(authenticator::table.all())
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(got, auth);

    let updated = d
        .update(user::table)
        .set(user::name, Some("Renamed"))
        .filter(user::email.is_in(["x@example.com", "y@example.com"]))
        .returning((user::email, user::name))
        .fetch_all(db.ex())
        .await
        .unwrap();
    let mut updated = updated;
    updated.sort();
    assert_eq!(
        updated,
        vec![
            ("x@example.com".to_string(), Some("Renamed".to_string())),
            ("y@example.com".to_string(), Some("Renamed".to_string())),
        ]
    );
    let none = d
        .update(user::table)
        .set(user::name, Some("nobody"))
        .filter(user::email.eq("missing@example.com"))
        .returning(user::table.all())
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert!(none.is_empty());

    let deleted = d
        .delete_from(user::table)
        .filter(user::id.eq(&ret.id))
        .returning(user::table.all())
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(deleted, vec![ret]);
    let deleted = d
        .delete_from(authenticator::table)
        .filter(authenticator::credential_id.eq("cred-r"))
        .returning((authenticator::counter, authenticator::credential_backed_up))
        .fetch_optional(db.ex())
        .await
        .unwrap();
    assert_eq!(deleted, Some((i64::MIN, true)));
    assert_eq!(count_users(db).await, 2);
}

/// Upserts (Postgres, SQLite): `ON CONFLICT DO UPDATE` updates, `DO NOTHING` keeps the row.
pub async fn upsert_on_conflict<
    D: TestDialect + auth_query::SupportsConflictTarget + auth_query::SupportsReturning,
>(
    db: &TestDb<D>,
) {
    db.create_schema::<auth_schema::kysely::Schema>().await;
    let d = D::default();
    let first = a_user("dup@example.com", Some("First"));
    insert_users(db, &[&first]).await;

    // A plain duplicate fails...
    let mut second = a_user("dup@example.com", Some("Second"));
    second.image = Some("second.png".into());
    let err = d
        .insert_into(user::table)
        .values(second.clone())
        .execute(db.ex())
        .await;
    assert!(matches!(err, Err(Error::Database(_))), "{err:?}");
    // ...an upsert updates the listed columns of the existing row instead.
    let n = d
        .insert_into(user::table)
        .values(second.clone())
        .on_conflict_do_update(user::email, (user::name, user::image))
        .execute(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 1);
    let rows = d
        .select_from(user::table)
        .select(user::table.all())
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        rows,
        vec![User {
            name: Some("Second".into()),
            image: Some("second.png".into()),
            ..first.clone()
        }],
        "the id is kept, name and image are updated"
    );

    // DO NOTHING leaves the row as it was.
    let third = a_user("dup@example.com", Some("Third"));
    let n = d
        .insert_into(user::table)
        .values(third.clone())
        .on_conflict_do_nothing(user::email)
        .execute(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 0);
    let nothing = d
        .insert_into(user::table)
        .values(third)
        .on_conflict_do_nothing(user::email)
        .returning(user::id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert!(nothing.is_empty());
    let name = d
        .select_from(user::table)
        .select(user::name)
        .fetch_one(db.ex())
        .await
        .unwrap();
    assert_eq!(name.as_deref(), Some("Second"));

    // Without a conflict, the row is inserted.
    let fresh = a_user("fresh@example.com", None);
    let got = d
        .insert_into(user::table)
        .values(fresh.clone())
        .on_conflict_do_update(user::email, user::name)
        .returning(user::table.all())
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(got, vec![fresh]);

    // A composite target: the Account key (provider, providerAccountId).
    let mut acc = an_account(&first.id, "github", "42");
    acc.access_token = Some("old".into());
    acc.expires_at = Some(1);
    d.insert_into(account::table)
        .values(acc.clone())
        .execute(db.ex())
        .await
        .unwrap();
    let mut refreshed = acc.clone();
    refreshed.access_token = Some("new".into());
    refreshed.expires_at = Some(2);
    refreshed.scope = Some("ignored".into());
    let got = d
        .insert_into(account::table)
        .values(refreshed)
        .on_conflict_do_update(
            (account::provider, account::provider_account_id),
            (account::access_token, account::expires_at),
        )
        .returning(account::table.all())
        .fetch_all(db.ex())
        .await
        .unwrap();
    let expected = Account {
        access_token: Some("new".into()),
        expires_at: Some(2),
        ..acc
    };
    assert_eq!(got, vec![expected.clone()]);
    let stored = d
        .select_from(account::table)
        .select(account::table.all())
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(stored, vec![expected]);
}

/// Upserts (MySQL): `ON DUPLICATE KEY UPDATE` updates the existing row instead of failing.
pub async fn upsert_on_duplicate_key<D: TestDialect + auth_query::SupportsDuplicateKeyUpdate>(
    db: &TestDb<D>,
) {
    db.create_schema::<auth_schema::kysely::Schema>().await;
    let d = D::default();
    let first = a_user("dup@example.com", Some("First"));
    insert_users(db, &[&first]).await;

    let mut second = a_user("dup@example.com", Some("Second"));
    second.image = Some("second.png".into());
    let err = d
        .insert_into(user::table)
        .values(second.clone())
        .execute(db.ex())
        .await;
    assert!(matches!(err, Err(Error::Database(_))), "{err:?}");
    let n = d
        .insert_into(user::table)
        .values(second.clone())
        .on_duplicate_key_update((user::name, user::image))
        .execute(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 2, "MySQL counts an upsert that updates as two rows");
    let rows = d
        .select_from(user::table)
        .select(user::table.all())
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        rows,
        vec![User {
            name: Some("Second".into()),
            image: Some("second.png".into()),
            ..first.clone()
        }],
        "the id is kept, name and image are updated"
    );
    // The same values again: no error, nothing changes.
    d.insert_into(user::table)
        .values(second.clone())
        .on_duplicate_key_update((user::name, user::image))
        .execute(db.ex())
        .await
        .unwrap();
    assert_eq!(count_users(db).await, 1);

    // Without a duplicate, the row is inserted.
    let fresh = a_user("fresh@example.com", None);
    let n = d
        .insert_into(user::table)
        .values(fresh.clone())
        .on_duplicate_key_update(user::name)
        .execute(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 1);
    assert_eq!(count_users(db).await, 2);

    // The Account key (provider, providerAccountId).
    let mut acc = an_account(&first.id, "github", "42");
    acc.access_token = Some("old".into());
    acc.expires_at = Some(1);
    d.insert_into(account::table)
        .values(acc.clone())
        .execute(db.ex())
        .await
        .unwrap();
    let mut refreshed = acc.clone();
    refreshed.access_token = Some("new".into());
    refreshed.expires_at = Some(2);
    refreshed.scope = Some("ignored".into());
    d.insert_into(account::table)
        .values(refreshed)
        .on_duplicate_key_update((account::access_token, account::expires_at))
        .execute(db.ex())
        .await
        .unwrap();
    let stored = d
        .select_from(account::table)
        .select(account::table.all())
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        stored,
        vec![Account {
            access_token: Some("new".into()),
            expires_at: Some(2),
            ..acc
        }]
    );
}

/// Postgres and MySQL generate a UUID when an insert leaves the user id out.
pub async fn database_generated_id<D: TestDialect>(db: &TestDb<D>) {
    db.create_schema::<auth_schema::kysely::Schema>().await;
    let d = D::default();
    for email in ["g1@example.com", "g2@example.com"] {
        d.insert_into(user::table)
            .value(user::email, email)
            .execute(db.ex())
            .await
            .unwrap();
    }
    let ids = d
        .select_from(user::table)
        .select(user::id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1]);
    for id in &ids {
        assert!(uuid::Uuid::parse_str(id).is_ok(), "{id} is a UUID");
        let n = d
            .select_from(user::table)
            .filter(user::id.eq(id))
            .count()
            .fetch_one(db.ex())
            .await
            .unwrap();
        assert_eq!(n, 1);
    }
}

// ------------------------------------------------------------ custom schemas --

auth_schema::extra_columns! {
    /// Extra user columns of the custom test schema.
    pub struct UserExtras for app::user::table, columns in mod user_extra {
        phone_number: auth_schema::sql::Nullable<auth_schema::sql::Text> = "phoneNumber" as "phone_number",
        role: auth_schema::sql::Nullable<auth_schema::sql::Text> = "role",
        logins: auth_schema::sql::BigInt = "logins" as "login_count",
    }
}

auth_schema::extra_columns! {
    /// Extra account columns of the custom test schema.
    pub struct AccountExtras for app::account::table, columns in mod account_extra {
        linked_at: auth_schema::sql::Nullable<auth_schema::sql::Timestamp> = "linkedAt" as "linked_at",
        primary: auth_schema::sql::Bool = "primary" as "is_primary",
    }
}

auth_schema::schema! {
    /// snake_case names, text ids, a renamed user table and extra columns.
    pub mod app {
        naming: SnakeCase,
        id: Text,
        rename: { "User" => "app_users", "Session"."expires" => "expires_at" },
        user_extras: UserExtras,
        account_extras: AccountExtras,
    }
}

auth_schema::schema! {
    /// Every table qualified by a Postgres schema (unqualified on MySQL and SQLite).
    pub mod pg_qualified {
        naming: Kysely,
        id: Uuid,
        postgres_schema: "auth_test",
    }
}

/// Declares a scenario that creates a schema module's tables with its DDL and round-trips
/// whole rows of all five tables through inserts, selects, joins, updates and cascading deletes.
macro_rules! schema_roundtrip {
    ($name:ident, $($m:ident)::+, $user_extra:expr, $other_user_extra:expr, $account_extra:expr $(,)?) => {
        pub async fn $name<D: TestDialect>(db: &TestDb<D>) {
            use $($m)::+ as m;
            use m::{account, authenticator, session, user, verification_token};
            db.create_schema::<m::Schema>().await;
            let d = D::default();

            let u1 = User {
                id: new_id(),
                name: Some("O'Neil \"Shaq\"".into()),
                email: "shaq@example.com".into(),
                email_verified: Some(ts("2024-02-29T23:59:59.999Z")),
                image: Some("https://example.com/s.png".into()),
                extra: $user_extra,
            };
            let u2 = User {
                id: new_id(),
                name: None,
                email: "zed@example.com".into(),
                email_verified: None,
                image: None,
                extra: $other_user_extra,
            };
            for u in [&u1, &u2] {
                let n = d.insert_into(user::table).values(u.clone()).execute(db.ex()).await.unwrap();
                assert_eq!(n, 1);
            }
            let users = d
                .select_from(user::table)
                .select(user::table.all())
                .order_by(user::email)
                .fetch_all(db.ex())
                .await
                .unwrap();
            assert_eq!(users, vec![u1.clone(), u2.clone()]);

            let a1 = Account {
                user_id: u1.id.clone(),
                account_type: "oidc".into(),
                provider: "google".into(),
                provider_account_id: "1234567890".into(),
                refresh_token: Some("1//refresh".into()),
                access_token: Some("ya29.access".into()),
                expires_at: Some(1_735_689_600),
                token_type: Some("bearer".into()),
                scope: Some("openid email profile".into()),
                id_token: Some("eyJhbGciOi.eyJzdWIi.sig".into()),
                session_state: Some("state".into()),
                extra: $account_extra,
            };
            let a2 = Account {
                user_id: u2.id.clone(),
                account_type: "email".into(),
                provider: "email".into(),
                provider_account_id: "zed@example.com".into(),
                refresh_token: None,
                access_token: None,
                expires_at: None,
                token_type: None,
                scope: None,
                id_token: None,
                session_state: None,
                extra: Default::default(),
            };
            let s1 = Session {
                user_id: u1.id.clone(),
                session_token: "session-1".into(),
                expires: ts("2030-06-01T12:00:00.123Z"),
                extra: Default::default(),
            };
            let vt = VerificationToken {
                identifier: "zed@example.com".into(),
                token: "hashed-token".into(),
                expires: ts("2030-06-01T12:00:00.456Z"),
                extra: Default::default(),
            };
            let au = Authenticator {
                credential_id: "Y3JlZA".into(),
                user_id: u1.id.clone(),
                provider_account_id: "1234567890".into(),
                credential_public_key: "pQECAyYgASFYIK".into(),
                counter: 3,
                credential_device_type: "multiDevice".into(),
                credential_backed_up: true,
                transports: Some("internal,hybrid".into()),
                extra: Default::default(),
            };
            d.insert_into(account::table).values(a1.clone()).values(a2.clone()).execute(db.ex()).await.unwrap();
            d.insert_into(session::table).values(s1.clone()).execute(db.ex()).await.unwrap();
            d.insert_into(verification_token::table).values(vt.clone()).execute(db.ex()).await.unwrap();
            d.insert_into(authenticator::table).values(au.clone()).execute(db.ex()).await.unwrap();

            let accounts = d
                .select_from(account::table)
                .select(account::table.all())
                .order_by(account::provider)
                .fetch_all(db.ex())
                .await
                .unwrap();
            assert_eq!(accounts, vec![a2.clone(), a1.clone()]);
            let sessions = d.select_from(session::table).select(session::table.all()).fetch_all(db.ex()).await.unwrap();
            assert_eq!(sessions, vec![s1.clone()]);
            let vts = d
                .select_from(verification_token::table)
                .select(verification_token::table.all())
                .fetch_all(db.ex())
                .await
                .unwrap();
            assert_eq!(vts, vec![vt.clone()]);
            let auths = d
                .select_from(authenticator::table)
                .select(authenticator::table.all())
                .fetch_all(db.ex())
                .await
                .unwrap();
            assert_eq!(auths, vec![au.clone()]);

            // Joins, as the adapter's getUserByAccount and getSessionAndUser run them.
            let by_account = d
                .select_from(user::table)
                .inner_join(account::table, account::user_id.eq_col(user::id))
                .select((user::table.all(), account::table.all()))
                .filter(account::provider.eq("google").and(account::provider_account_id.eq("1234567890")))
                .fetch_all(db.ex())
                .await
                .unwrap();
            assert_eq!(by_account, vec![(u1.clone(), a1.clone())]);
            let with_session = d
                .select_from(user::table)
                .left_join(session::table, session::user_id.eq_col(user::id))
                .select((user::table.all(), session::table.all()))
                .order_by(user::email)
                .fetch_all(db.ex())
                .await
                .unwrap();
            assert_eq!(with_session, vec![(u1.clone(), Some(s1.clone())), (u2.clone(), None)]);

            // Updates by key.
            let n = d
                .update(user::table)
                .set(user::name, Some("Renamed"))
                .set(user::email_verified, Some(ts("2025-01-01T00:00:00.001Z")))
                .filter(user::id.eq(&u2.id))
                .execute(db.ex())
                .await
                .unwrap();
            assert_eq!(n, 1);
            let got = d.select_from(user::table).select(user::table.all()).filter(user::id.eq(&u2.id)).fetch_one(db.ex()).await.unwrap();
            assert_eq!(
                got,
                User { name: Some("Renamed".into()), email_verified: Some(ts("2025-01-01T00:00:00.001Z")), ..u2.clone() }
            );
            let n = d
                .update(session::table)
                .set(session::expires, ts("2031-01-01T00:00:00Z"))
                .filter(session::session_token.eq("session-1"))
                .execute(db.ex())
                .await
                .unwrap();
            assert_eq!(n, 1);

            // Deleting a user cascades to its rows.
            let n = d.delete_from(user::table).filter(user::id.eq(&u1.id)).execute(db.ex()).await.unwrap();
            assert_eq!(n, 1);
            let left = (
                d.select_from(account::table).count().fetch_one(db.ex()).await.unwrap(),
                d.select_from(session::table).count().fetch_one(db.ex()).await.unwrap(),
                d.select_from(authenticator::table).count().fetch_one(db.ex()).await.unwrap(),
                d.select_from(verification_token::table).count().fetch_one(db.ex()).await.unwrap(),
            );
            assert_eq!(left, (1, 0, 0, 1), "(accounts, sessions, authenticators, verification tokens)");
            let n = d
                .delete_from(verification_token::table)
                .filter(verification_token::identifier.eq("zed@example.com"))
                .filter(verification_token::token.eq("hashed-token"))
                .execute(db.ex())
                .await
                .unwrap();
            assert_eq!(n, 1);
        }
    };
}

schema_roundtrip!(
    kysely_schema,
    auth_schema::kysely,
    NoExtras {},
    NoExtras {},
    NoExtras {}
);
schema_roundtrip!(
    snake_case_schema,
    auth_schema::snake_case,
    NoExtras {},
    NoExtras {},
    NoExtras {}
);
schema_roundtrip!(
    custom_schema_with_extras,
    app,
    UserExtras {
        phone_number: Some("+1 555 0100".into()),
        role: Some("admin".into()),
        logins: i64::MAX,
    },
    UserExtras {
        phone_number: None,
        role: None,
        logins: -1,
    },
    AccountExtras {
        linked_at: Some(ts("2024-07-01T10:20:30.405Z")),
        primary: true,
    },
);
schema_roundtrip!(
    pg_qualified_schema,
    pg_qualified,
    NoExtras {},
    NoExtras {},
    NoExtras {}
);

/// The physical names of the custom schema are used, and its extra columns can be selected,
/// filtered on, updated and joined like standard ones.
pub async fn custom_schema_extras_queries<D: TestDialect>(db: &TestDb<D>) {
    use app::{account, user};
    db.create_schema::<app::Schema>().await;
    let d = D::default();
    let users = [
        ("a@example.com", Some("+100"), Some("admin"), 5),
        ("b@example.com", None, Some("member"), 0),
        ("c@example.com", Some("+300"), None, -7),
    ];
    let mut ids = Vec::new();
    for (email, phone, role, logins) in users {
        let new = NewUser {
            id: None,
            name: None,
            email: email.into(),
            email_verified: None,
            image: None,
            extra: UserExtras {
                phone_number: phone.map(Into::into),
                role: role.map(Into::into),
                logins,
            },
        };
        d.insert_into(user::table)
            .values(new)
            .execute(db.ex())
            .await
            .unwrap();
        ids.push(
            d.select_from(user::table)
                .select(user::id)
                .filter(user::email.eq(email))
                .fetch_one(db.ex())
                .await
                .unwrap(),
        );
    }
    // The DDL used the physical names: raw SQL against them works.
    let n = db
        .raw("UPDATE app_users SET login_count = login_count + 1 WHERE phone_number IS NOT NULL")
        .await;
    assert_eq!(n, 2);

    let admins = d
        .select_from(user::table)
        .select((user::email, user_extra::logins))
        .filter(user_extra::role.eq("admin"))
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(admins, vec![("a@example.com".to_string(), 6)]);
    let no_role = d
        .select_from(user::table)
        .select((user::email, user_extra::phone_number, user_extra::logins))
        .filter(user_extra::role.is_null())
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        no_role,
        vec![("c@example.com".to_string(), Some("+300".to_string()), -6)]
    );
    let n = d
        .update(user::table)
        .set(user_extra::role, Some("owner"))
        .set(user_extra::phone_number, None::<String>)
        .filter(user_extra::logins.lt(1))
        .execute(db.ex())
        .await
        .unwrap();
    assert_eq!(n, 2);
    let roles = d
        .select_from(user::table)
        .select(user::table.all())
        .order_by(user::email)
        .fetch_all(db.ex())
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.extra)
        .collect::<Vec<_>>();
    assert_eq!(
        roles,
        vec![
            UserExtras {
                phone_number: Some("+100".into()),
                role: Some("admin".into()),
                logins: 6
            },
            UserExtras {
                phone_number: None,
                role: Some("owner".into()),
                logins: 0
            },
            UserExtras {
                phone_number: None,
                role: Some("owner".into()),
                logins: -6
            },
        ]
    );

    // Account extras: a nullable timestamp and a bool, joined with user extras.
    for (i, id) in ids.iter().enumerate() {
        let a = Account {
            user_id: id.clone(),
            account_type: "oauth".into(),
            provider: "github".into(),
            provider_account_id: i.to_string(),
            refresh_token: None,
            access_token: None,
            expires_at: None,
            token_type: None,
            scope: None,
            id_token: None,
            session_state: None,
            extra: AccountExtras {
                linked_at: (i != 1).then(|| ts("2024-07-01T10:20:30.405678Z")),
                primary: i == 0,
            },
        };
        d.insert_into(account::table)
            .values(a)
            .execute(db.ex())
            .await
            .unwrap();
    }
    let rows = d
        .select_from(account::table)
        .inner_join(user::table, user::id.eq_col(account::user_id))
        .select((user_extra::role, account_extra::linked_at))
        .filter(account_extra::primary.eq(false))
        .order_by(account::provider_account_id)
        .fetch_all(db.ex())
        .await
        .unwrap();
    assert_eq!(
        rows,
        vec![
            (Some("owner".to_string()), None),
            (
                Some("owner".to_string()),
                Some(ts("2024-07-01T10:20:30.405Z"))
            ),
        ]
    );
}
