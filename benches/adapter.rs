//! `SqlAdapter` against the same operations written by hand in plain sqlx, on the same database
//! in the same run. See BENCHMARKS.md for the method, the figures and how to reproduce them.
//!
//! ```text
//! eval "$(bash scripts/test-dbs.sh)"
//! cargo bench --bench adapter --features postgres,mysql
//! ```
//!
//! For every dialect (SQLite always; Postgres with `DATABASE_URL_POSTGRES`, MySQL/MariaDB with
//! `DATABASE_URL_MYSQL`) it creates the kysely schema with our DDL in a namespace of its own,
//! seeds users, accounts and sessions, and then times each operation both ways: the hand-written
//! baseline (static `&'static str` SQL, `sqlx::query(..).bind(..)`, ordinal `try_get` into the
//! same row structs, the same encodings and the same number of round trips) and the adapter.
//! Baseline and adapter run in alternating batches, after a warm-up; each batch gives a per-op
//! time, the median over the batches is reported, and the ratio is adapter / baseline.
//!
//! Knobs (environment): `BENCH_ROUNDS` (30 batches per side), `BENCH_ITERS` (100 operations per
//! batch), `BENCH_WARMUP` (2 untimed batches per side), `BENCH_USERS` (1000 seeded users),
//! `BENCH_OPS` (comma-separated operation names to run, `build_vs_bind` included; all by
//! default), `BENCH_DIALECTS` (comma-separated among `sqlite,postgres,mysql`),
//! `BENCH_SQLITE_DIR` (where the SQLite file goes; the system temp dir by default),
//! `BENCH_SQLITE_WAL=1` (WAL and `synchronous = NORMAL` instead of sqlx's defaults),
//! `BENCH_HOLD=0` (the adapter does not keep its connections between statements, see
//! `SqlAdapter::hold_connections`: both sides then go through the pool for each statement).
//!
//! This is a benchmark, not a test: it asserts that both sides return the same rows, never how
//! fast they are.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use auth_adapter::{AccountKey, AdapterDialect, SessionUpdate, SqlAdapter};
use auth_query::prelude::*;
use auth_schema::kysely::{Schema, session, user};
use auth_schema::sql::Text;
use auth_schema::{
    Account, NewUser, NoExtras, Session, User, VerificationToken, ddl::create_schema,
};
use chrono::{DateTime, SubsecRound, TimeDelta, Utc};

// ------------------------------------------------------------------------- configuration --

struct Config {
    rounds: usize,
    iters: usize,
    warmup: usize,
    users: usize,
    ops: Option<Vec<String>>,
    dialects: Option<Vec<String>>,
}

fn env_usize(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v:?} is not a number")),
        Err(_) => default,
    }
}

fn env_list(name: &str) -> Option<Vec<String>> {
    let v = std::env::var(name).ok()?;
    let list: Vec<String> = v
        .split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    (!list.is_empty()).then_some(list)
}

impl Config {
    fn from_env() -> Self {
        Config {
            rounds: env_usize("BENCH_ROUNDS", 30).max(1),
            iters: env_usize("BENCH_ITERS", 100).max(1),
            warmup: env_usize("BENCH_WARMUP", 2),
            users: env_usize("BENCH_USERS", 1000).max(1),
            ops: env_list("BENCH_OPS"),
            dialects: env_list("BENCH_DIALECTS"),
        }
    }

    fn wants_op(&self, op: &str) -> bool {
        self.ops.as_ref().is_none_or(|l| l.iter().any(|o| o == op))
    }

    fn wants_dialect(&self, d: &str) -> bool {
        self.dialects
            .as_ref()
            .is_none_or(|l| l.iter().any(|o| o == d))
    }

    /// Operations each side runs for one benchmark: warm-up and timed batches.
    fn per_side(&self) -> usize {
        (self.warmup + self.rounds) * self.iters
    }
}

// ---------------------------------------------------------------------------- measuring --

/// One operation's result: median per-op time of each side, and the spread of the per-batch
/// ratios.
struct Outcome {
    op: &'static str,
    base: Duration,
    adapter: Duration,
    /// Median of the per-batch ratios (batches paired by round).
    paired: f64,
    /// Interquartile range of the per-batch ratios.
    q1: f64,
    q3: f64,
}

impl Outcome {
    fn ratio(&self) -> f64 {
        self.adapter.as_secs_f64() / self.base.as_secs_f64()
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// Runs `iters` calls of `f`, numbering them from `*next`; returns the mean time per call.
async fn batch<F: AsyncFnMut(usize)>(f: &mut F, next: &mut usize, iters: usize) -> f64 {
    let start = Instant::now();
    for _ in 0..iters {
        f(*next).await;
        *next += 1;
    }
    start.elapsed().as_secs_f64() / iters as f64
}

/// Times `base` and `adapter` in alternating batches. Each closure gets the index of its call
/// (0, 1, 2, ... per side), to pick fresh rows for writes.
async fn compare<B: AsyncFnMut(usize), A: AsyncFnMut(usize)>(
    cfg: &Config,
    op: &'static str,
    mut base: B,
    mut adapter: A,
) -> Outcome {
    let (mut nb, mut na) = (0usize, 0usize);
    for _ in 0..cfg.warmup {
        batch(&mut base, &mut nb, cfg.iters).await;
        batch(&mut adapter, &mut na, cfg.iters).await;
    }
    let mut tb = Vec::with_capacity(cfg.rounds);
    let mut ta = Vec::with_capacity(cfg.rounds);
    for round in 0..cfg.rounds {
        // Alternate which side goes first, so neither always runs on a warmer cache.
        if round % 2 == 0 {
            tb.push(batch(&mut base, &mut nb, cfg.iters).await);
            ta.push(batch(&mut adapter, &mut na, cfg.iters).await);
        } else {
            ta.push(batch(&mut adapter, &mut na, cfg.iters).await);
            tb.push(batch(&mut base, &mut nb, cfg.iters).await);
        }
    }
    let mut ratios: Vec<f64> = ta.iter().zip(&tb).map(|(a, b)| a / b).collect();
    let paired = median(&mut ratios);
    let (q1, q3) = (quantile(&ratios, 0.25), quantile(&ratios, 0.75));
    let outcome = Outcome {
        op,
        base: Duration::from_secs_f64(median(&mut tb)),
        adapter: Duration::from_secs_f64(median(&mut ta)),
        paired,
        q1,
        q3,
    };
    eprintln!(
        "  {:<24} baseline {:>9.1} µs   adapter {:>9.1} µs   ratio {:.3}  (paired {:.3}, IQR {:.3}–{:.3})",
        op,
        micros(outcome.base),
        micros(outcome.adapter),
        outcome.ratio(),
        paired,
        q1,
        q3
    );
    outcome
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

// ------------------------------------------------------------------ the hand-written side --

/// The baseline: every operation written by hand in plain sqlx, with static SQL.
///
/// Implemented per dialect by [`hand_written!`] from that dialect's SQL text and its value
/// encodings (ISO-8601 text dates on SQLite, `uuid` and `timestamptz` on Postgres, `DATETIME`
/// on MySQL), exactly the encodings the adapter uses.
trait Hand: AdapterDialect + Sized {
    const NAME: &'static str;

    async fn exec_raw(pool: &sqlx::Pool<Self::Database>, sql: &str);
    async fn seed(
        pool: &sqlx::Pool<Self::Database>,
        users: &[User],
        accounts: &[Account],
        sessions: &[Session],
        tokens: &[VerificationToken],
    ) -> sqlx::Result<()>;

    async fn get_user(pool: &sqlx::Pool<Self::Database>, id: &str) -> sqlx::Result<Option<User>>;
    async fn get_user_by_email(
        pool: &sqlx::Pool<Self::Database>,
        email: &str,
    ) -> sqlx::Result<Option<User>>;
    async fn get_user_by_account(
        pool: &sqlx::Pool<Self::Database>,
        provider: &str,
        provider_account_id: &str,
    ) -> sqlx::Result<Option<User>>;
    async fn get_session_and_user(
        pool: &sqlx::Pool<Self::Database>,
        token: &str,
    ) -> sqlx::Result<Option<(Session, User)>>;
    async fn create_user(pool: &sqlx::Pool<Self::Database>, user: NewUser) -> sqlx::Result<User>;
    async fn link_account(
        pool: &sqlx::Pool<Self::Database>,
        account: Account,
    ) -> sqlx::Result<Account>;
    async fn create_session(
        pool: &sqlx::Pool<Self::Database>,
        session: Session,
    ) -> sqlx::Result<Session>;
    async fn update_session_expires(
        pool: &sqlx::Pool<Self::Database>,
        token: &str,
        expires: DateTime<Utc>,
    ) -> sqlx::Result<Option<Session>>;
    async fn delete_session(pool: &sqlx::Pool<Self::Database>, token: &str) -> sqlx::Result<()>;
    async fn use_verification_token(
        pool: &sqlx::Pool<Self::Database>,
        identifier: &str,
        token: &str,
    ) -> sqlx::Result<Option<VerificationToken>>;
}

fn decode_err(e: impl std::error::Error + Send + Sync + 'static) -> sqlx::Error {
    sqlx::Error::Decode(Box::new(e))
}

fn encode_err(e: impl std::error::Error + Send + Sync + 'static) -> sqlx::Error {
    sqlx::Error::Encode(Box::new(e))
}

/// One dialect's SQL text, all static.
#[cfg_attr(not(feature = "mysql"), allow(dead_code))]
struct Sql {
    get_user: &'static str,
    get_user_by_email: &'static str,
    get_user_by_account: &'static str,
    get_session_and_user: &'static str,
    create_user: &'static str,
    link_account: &'static str,
    create_session: &'static str,
    create_verification_token: &'static str,
    delete_session: &'static str,
    /// Postgres and SQLite: UPDATE ... RETURNING. MySQL: the UPDATE, then `select_session`.
    update_session: &'static str,
    select_session: &'static str,
    /// Postgres and SQLite: DELETE ... RETURNING. MySQL: `select_token`, then the DELETE.
    use_verification_token: &'static str,
    select_token: &'static str,
}

/// Postgres and SQLite share the SQL text up to the placeholders; written out for each anyway,
/// as a hand-written application would.
const SQLITE_SQL: Sql = Sql {
    get_user: r#"SELECT "id", "name", "email", "emailVerified", "image" FROM "User" WHERE "id" = ?"#,
    get_user_by_email: r#"SELECT "id", "name", "email", "emailVerified", "image" FROM "User" WHERE "email" = ?"#,
    get_user_by_account: r#"SELECT u."id", u."name", u."email", u."emailVerified", u."image" FROM "User" u JOIN "Account" a ON a."userId" = u."id" WHERE a."provider" = ? AND a."providerAccountId" = ?"#,
    get_session_and_user: r#"SELECT s."userId", s."sessionToken", s."expires", u."id", u."name", u."email", u."emailVerified", u."image" FROM "Session" s JOIN "User" u ON u."id" = s."userId" WHERE s."sessionToken" = ?"#,
    create_user: r#"INSERT INTO "User" ("id", "name", "email", "emailVerified", "image") VALUES (?, ?, ?, ?, ?)"#,
    link_account: r#"INSERT INTO "Account" ("userId", "type", "provider", "providerAccountId", "refresh_token", "access_token", "expires_at", "token_type", "scope", "id_token", "session_state") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"#,
    create_session: r#"INSERT INTO "Session" ("userId", "sessionToken", "expires") VALUES (?, ?, ?)"#,
    create_verification_token: r#"INSERT INTO "VerificationToken" ("identifier", "token", "expires") VALUES (?, ?, ?)"#,
    delete_session: r#"DELETE FROM "Session" WHERE "sessionToken" = ?"#,
    update_session: r#"UPDATE "Session" SET "expires" = ? WHERE "sessionToken" = ? RETURNING "userId", "sessionToken", "expires""#,
    select_session: "",
    use_verification_token: r#"DELETE FROM "VerificationToken" WHERE "identifier" = ? AND "token" = ? RETURNING "identifier", "token", "expires""#,
    select_token: "",
};

const POSTGRES_SQL: Sql = Sql {
    get_user: r#"SELECT "id", "name", "email", "emailVerified", "image" FROM "User" WHERE "id" = $1"#,
    get_user_by_email: r#"SELECT "id", "name", "email", "emailVerified", "image" FROM "User" WHERE "email" = $1"#,
    get_user_by_account: r#"SELECT u."id", u."name", u."email", u."emailVerified", u."image" FROM "User" u JOIN "Account" a ON a."userId" = u."id" WHERE a."provider" = $1 AND a."providerAccountId" = $2"#,
    get_session_and_user: r#"SELECT s."userId", s."sessionToken", s."expires", u."id", u."name", u."email", u."emailVerified", u."image" FROM "Session" s JOIN "User" u ON u."id" = s."userId" WHERE s."sessionToken" = $1"#,
    create_user: r#"INSERT INTO "User" ("id", "name", "email", "emailVerified", "image") VALUES ($1, $2, $3, $4, $5)"#,
    link_account: r#"INSERT INTO "Account" ("userId", "type", "provider", "providerAccountId", "refresh_token", "access_token", "expires_at", "token_type", "scope", "id_token", "session_state") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"#,
    create_session: r#"INSERT INTO "Session" ("userId", "sessionToken", "expires") VALUES ($1, $2, $3)"#,
    create_verification_token: r#"INSERT INTO "VerificationToken" ("identifier", "token", "expires") VALUES ($1, $2, $3)"#,
    delete_session: r#"DELETE FROM "Session" WHERE "sessionToken" = $1"#,
    update_session: r#"UPDATE "Session" SET "expires" = $1 WHERE "sessionToken" = $2 RETURNING "userId", "sessionToken", "expires""#,
    select_session: "",
    use_verification_token: r#"DELETE FROM "VerificationToken" WHERE "identifier" = $1 AND "token" = $2 RETURNING "identifier", "token", "expires""#,
    select_token: "",
};

#[cfg(feature = "mysql")]
const MYSQL_SQL: Sql = Sql {
    get_user: "SELECT `id`, `name`, `email`, `emailVerified`, `image` FROM `User` WHERE `id` = ?",
    get_user_by_email: "SELECT `id`, `name`, `email`, `emailVerified`, `image` FROM `User` WHERE `email` = ?",
    get_user_by_account: "SELECT u.`id`, u.`name`, u.`email`, u.`emailVerified`, u.`image` FROM `User` u JOIN `Account` a ON a.`userId` = u.`id` WHERE a.`provider` = ? AND a.`providerAccountId` = ?",
    get_session_and_user: "SELECT s.`userId`, s.`sessionToken`, s.`expires`, u.`id`, u.`name`, u.`email`, u.`emailVerified`, u.`image` FROM `Session` s JOIN `User` u ON u.`id` = s.`userId` WHERE s.`sessionToken` = ?",
    create_user: "INSERT INTO `User` (`id`, `name`, `email`, `emailVerified`, `image`) VALUES (?, ?, ?, ?, ?)",
    link_account: "INSERT INTO `Account` (`userId`, `type`, `provider`, `providerAccountId`, `refresh_token`, `access_token`, `expires_at`, `token_type`, `scope`, `id_token`, `session_state`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    create_session: "INSERT INTO `Session` (`userId`, `sessionToken`, `expires`) VALUES (?, ?, ?)",
    create_verification_token: "INSERT INTO `VerificationToken` (`identifier`, `token`, `expires`) VALUES (?, ?, ?)",
    delete_session: "DELETE FROM `Session` WHERE `sessionToken` = ?",
    update_session: "UPDATE `Session` SET `expires` = ? WHERE `sessionToken` = ?",
    select_session: "SELECT `userId`, `sessionToken`, `expires` FROM `Session` WHERE `sessionToken` = ?",
    use_verification_token: "DELETE FROM `VerificationToken` WHERE `identifier` = ? AND `token` = ?",
    select_token: "SELECT `identifier`, `token`, `expires` FROM `VerificationToken` WHERE `identifier` = ? AND `token` = ?",
};

/// Value encodings per dialect: how an id and an instant are bound and read back.
mod enc {
    use super::{decode_err, encode_err};
    use chrono::{DateTime, Utc};
    use sqlx::Row;

    pub mod sqlite {
        use super::*;
        use sqlx::sqlite::SqliteRow;

        pub fn id(s: &str) -> sqlx::Result<&str> {
            Ok(s)
        }
        /// `Date.toISOString()`, as `@auth/kysely-adapter` writes.
        pub fn ts(t: DateTime<Utc>) -> String {
            t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
        }
        pub fn get_id(row: &SqliteRow, i: usize) -> sqlx::Result<String> {
            row.try_get(i)
        }
        pub fn get_ts(row: &SqliteRow, i: usize) -> sqlx::Result<Option<DateTime<Utc>>> {
            match row.try_get::<Option<String>, _>(i)? {
                None => Ok(None),
                Some(text) => DateTime::parse_from_rfc3339(&text)
                    .map(|t| Some(t.with_timezone(&Utc)))
                    .map_err(decode_err),
            }
        }
    }

    pub mod postgres {
        use super::*;
        use sqlx::postgres::PgRow;

        pub fn id(s: &str) -> sqlx::Result<uuid::Uuid> {
            uuid::Uuid::parse_str(s).map_err(encode_err)
        }
        pub fn ts(t: DateTime<Utc>) -> DateTime<Utc> {
            t
        }
        pub fn get_id(row: &PgRow, i: usize) -> sqlx::Result<String> {
            Ok(row.try_get::<uuid::Uuid, _>(i)?.hyphenated().to_string())
        }
        pub fn get_ts(row: &PgRow, i: usize) -> sqlx::Result<Option<DateTime<Utc>>> {
            row.try_get(i)
        }
    }

    #[cfg(feature = "mysql")]
    pub mod mysql {
        use super::*;
        use chrono::NaiveDateTime;
        use sqlx::mysql::MySqlRow;

        pub fn id(s: &str) -> sqlx::Result<&str> {
            Ok(s)
        }
        /// `DATETIME(3)` holds UTC wall-clock time.
        pub fn ts(t: DateTime<Utc>) -> NaiveDateTime {
            t.naive_utc()
        }
        pub fn get_id(row: &MySqlRow, i: usize) -> sqlx::Result<String> {
            row.try_get(i)
        }
        pub fn get_ts(row: &MySqlRow, i: usize) -> sqlx::Result<Option<DateTime<Utc>>> {
            Ok(row
                .try_get::<Option<NaiveDateTime>, _>(i)?
                .map(|t| t.and_utc()))
        }
    }
}

fn required<T>(v: Option<T>) -> sqlx::Result<T> {
    v.ok_or_else(|| sqlx::Error::Decode("unexpected NULL".into()))
}

/// Implements [`Hand`] for one dialect from its SQL and its encodings. `returning` dialects
/// update and delete with `RETURNING` in one statement; `mysql` does what the adapter does there
/// (a transaction with the UPDATE and a SELECT; a SELECT, then a DELETE that must remove it).
macro_rules! hand_written {
    ($dialect:ty, $db:ty, $row:ty, $name:literal, $sql:ident, $enc:ident, $kind:ident) => {
        impl Hand for $dialect {
            const NAME: &'static str = $name;

            async fn exec_raw(pool: &sqlx::Pool<$db>, sql: &str) {
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                    .execute(pool)
                    .await
                    .unwrap_or_else(|e| panic!("{sql}: {e}"));
            }

            async fn seed(
                pool: &sqlx::Pool<$db>,
                users: &[User],
                accounts: &[Account],
                sessions: &[Session],
                tokens: &[VerificationToken],
            ) -> sqlx::Result<()> {
                let mut tx = pool.begin().await?;
                for u in users {
                    bind_user(sqlx::query($sql.create_user), u)?
                        .execute(&mut *tx)
                        .await?;
                }
                for a in accounts {
                    bind_account(sqlx::query($sql.link_account), a)?
                        .execute(&mut *tx)
                        .await?;
                }
                for s in sessions {
                    bind_session(sqlx::query($sql.create_session), s)?
                        .execute(&mut *tx)
                        .await?;
                }
                for t in tokens {
                    sqlx::query($sql.create_verification_token)
                        .bind(&t.identifier)
                        .bind(&t.token)
                        .bind(enc::$enc::ts(t.expires))
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await
            }

            async fn get_user(pool: &sqlx::Pool<$db>, id: &str) -> sqlx::Result<Option<User>> {
                let row = sqlx::query($sql.get_user)
                    .bind(enc::$enc::id(id)?)
                    .fetch_optional(pool)
                    .await?;
                row.map(|r| read_user(&r, 0)).transpose()
            }

            async fn get_user_by_email(
                pool: &sqlx::Pool<$db>,
                email: &str,
            ) -> sqlx::Result<Option<User>> {
                let row = sqlx::query($sql.get_user_by_email)
                    .bind(email)
                    .fetch_optional(pool)
                    .await?;
                row.map(|r| read_user(&r, 0)).transpose()
            }

            async fn get_user_by_account(
                pool: &sqlx::Pool<$db>,
                provider: &str,
                provider_account_id: &str,
            ) -> sqlx::Result<Option<User>> {
                let row = sqlx::query($sql.get_user_by_account)
                    .bind(provider)
                    .bind(provider_account_id)
                    .fetch_optional(pool)
                    .await?;
                row.map(|r| read_user(&r, 0)).transpose()
            }

            async fn get_session_and_user(
                pool: &sqlx::Pool<$db>,
                token: &str,
            ) -> sqlx::Result<Option<(Session, User)>> {
                let row = sqlx::query($sql.get_session_and_user)
                    .bind(token)
                    .fetch_optional(pool)
                    .await?;
                row.map(|r| Ok((read_session(&r, 0)?, read_user(&r, 3)?)))
                    .transpose()
            }

            async fn create_user(pool: &sqlx::Pool<$db>, user: NewUser) -> sqlx::Result<User> {
                let user = user.into_user();
                bind_user(sqlx::query($sql.create_user), &user)?
                    .execute(pool)
                    .await?;
                Ok(user)
            }

            async fn link_account(
                pool: &sqlx::Pool<$db>,
                account: Account,
            ) -> sqlx::Result<Account> {
                bind_account(sqlx::query($sql.link_account), &account)?
                    .execute(pool)
                    .await?;
                Ok(account)
            }

            async fn create_session(
                pool: &sqlx::Pool<$db>,
                session: Session,
            ) -> sqlx::Result<Session> {
                bind_session(sqlx::query($sql.create_session), &session)?
                    .execute(pool)
                    .await?;
                Ok(session)
            }

            async fn delete_session(pool: &sqlx::Pool<$db>, token: &str) -> sqlx::Result<()> {
                sqlx::query($sql.delete_session)
                    .bind(token)
                    .execute(pool)
                    .await?;
                Ok(())
            }

            hand_written!(@$kind $db, $sql, $enc);
        }

        fn read_user(row: &$row, o: usize) -> sqlx::Result<User> {
            use sqlx::Row;
            Ok(User {
                id: enc::$enc::get_id(row, o)?,
                name: row.try_get(o + 1)?,
                email: row.try_get(o + 2)?,
                email_verified: enc::$enc::get_ts(row, o + 3)?,
                image: row.try_get(o + 4)?,
                extra: NoExtras {},
            })
        }

        fn read_session(row: &$row, o: usize) -> sqlx::Result<Session> {
            use sqlx::Row;
            Ok(Session {
                user_id: enc::$enc::get_id(row, o)?,
                session_token: row.try_get(o + 1)?,
                expires: required(enc::$enc::get_ts(row, o + 2)?)?,
                extra: NoExtras {},
            })
        }

        fn read_token(row: &$row) -> sqlx::Result<VerificationToken> {
            use sqlx::Row;
            Ok(VerificationToken {
                identifier: row.try_get(0)?,
                token: row.try_get(1)?,
                expires: required(enc::$enc::get_ts(row, 2)?)?,
                extra: NoExtras {},
            })
        }

        type Query<'q> = sqlx::query::Query<'q, $db, <$db as sqlx::Database>::Arguments>;

        fn bind_user<'q>(q: Query<'q>, u: &'q User) -> sqlx::Result<Query<'q>> {
            Ok(q.bind(enc::$enc::id(&u.id)?)
                .bind(&u.name)
                .bind(&u.email)
                .bind(u.email_verified.map(enc::$enc::ts))
                .bind(&u.image))
        }

        fn bind_account<'q>(q: Query<'q>, a: &'q Account) -> sqlx::Result<Query<'q>> {
            Ok(q.bind(enc::$enc::id(&a.user_id)?)
                .bind(&a.account_type)
                .bind(&a.provider)
                .bind(&a.provider_account_id)
                .bind(&a.refresh_token)
                .bind(&a.access_token)
                .bind(a.expires_at)
                .bind(&a.token_type)
                .bind(&a.scope)
                .bind(&a.id_token)
                .bind(&a.session_state))
        }

        fn bind_session<'q>(q: Query<'q>, s: &'q Session) -> sqlx::Result<Query<'q>> {
            Ok(q.bind(enc::$enc::id(&s.user_id)?)
                .bind(&s.session_token)
                .bind(enc::$enc::ts(s.expires)))
        }
    };
    (@returning $db:ty, $sql:ident, $enc:ident) => {
        async fn update_session_expires(
            pool: &sqlx::Pool<$db>,
            token: &str,
            expires: DateTime<Utc>,
        ) -> sqlx::Result<Option<Session>> {
            let row = sqlx::query($sql.update_session)
                .bind(enc::$enc::ts(expires))
                .bind(token)
                .fetch_optional(pool)
                .await?;
            row.map(|r| read_session(&r, 0)).transpose()
        }

        async fn use_verification_token(
            pool: &sqlx::Pool<$db>,
            identifier: &str,
            token: &str,
        ) -> sqlx::Result<Option<VerificationToken>> {
            let row = sqlx::query($sql.use_verification_token)
                .bind(identifier)
                .bind(token)
                .fetch_optional(pool)
                .await?;
            row.map(|r| read_token(&r)).transpose()
        }
    };
    (@mysql $db:ty, $sql:ident, $enc:ident) => {
        async fn update_session_expires(
            pool: &sqlx::Pool<$db>,
            token: &str,
            expires: DateTime<Utc>,
        ) -> sqlx::Result<Option<Session>> {
            let mut tx = pool.begin().await?;
            sqlx::query($sql.update_session)
                .bind(enc::$enc::ts(expires))
                .bind(token)
                .execute(&mut *tx)
                .await?;
            let row = sqlx::query($sql.select_session)
                .bind(token)
                .fetch_optional(&mut *tx)
                .await?;
            tx.commit().await?;
            row.map(|r| read_session(&r, 0)).transpose()
        }

        async fn use_verification_token(
            pool: &sqlx::Pool<$db>,
            identifier: &str,
            token: &str,
        ) -> sqlx::Result<Option<VerificationToken>> {
            let Some(row) = sqlx::query($sql.select_token)
                .bind(identifier)
                .bind(token)
                .fetch_optional(pool)
                .await?
            else {
                return Ok(None);
            };
            let found = read_token(&row)?;
            let deleted = sqlx::query($sql.use_verification_token)
                .bind(identifier)
                .bind(token)
                .execute(pool)
                .await?
                .rows_affected();
            Ok((deleted == 1).then_some(found))
        }
    };
}

mod sqlite_hand {
    use super::*;
    hand_written!(
        Sqlite,
        sqlx::Sqlite,
        sqlx::sqlite::SqliteRow,
        "SQLite",
        SQLITE_SQL,
        sqlite,
        returning
    );
}
mod postgres_hand {
    use super::*;
    hand_written!(
        Postgres,
        sqlx::Postgres,
        sqlx::postgres::PgRow,
        "PostgreSQL",
        POSTGRES_SQL,
        postgres,
        returning
    );
}
#[cfg(feature = "mysql")]
mod mysql_hand {
    use super::*;
    hand_written!(
        MySql,
        sqlx::MySql,
        sqlx::mysql::MySqlRow,
        "MySQL",
        MYSQL_SQL,
        mysql,
        mysql
    );
}

// ------------------------------------------------------------------------------ fixtures --

/// An instant with JavaScript's millisecond precision, as Auth.js produces.
fn at(offset_secs: i64) -> DateTime<Utc> {
    let base = DateTime::from_timestamp(1_767_225_600, 0).unwrap(); // 2026-01-01T00:00:00Z
    (base + TimeDelta::seconds(offset_secs) + TimeDelta::milliseconds(offset_secs % 997))
        .trunc_subsecs(3)
}

fn a_user(tag: &str) -> User {
    User {
        id: uuid::Uuid::new_v4().hyphenated().to_string(),
        name: Some(format!("User {tag}")),
        email: format!("{tag}@example.com"),
        email_verified: Some(at(1)),
        image: Some(format!("https://example.com/avatars/{tag}.png")),
        extra: NoExtras {},
    }
}

fn an_account(user_id: &str, provider_account_id: String) -> Account {
    Account {
        user_id: user_id.to_owned(),
        account_type: "oauth".into(),
        provider: "github".into(),
        provider_account_id,
        refresh_token: Some("r".repeat(40)),
        access_token: Some("a".repeat(40)),
        expires_at: Some(1_767_229_200),
        token_type: Some("bearer".into()),
        scope: Some("read:user user:email".into()),
        id_token: None,
        session_state: None,
        extra: NoExtras {},
    }
}

fn a_session(user_id: &str, token: String, i: i64) -> Session {
    Session {
        user_id: user_id.to_owned(),
        session_token: token,
        expires: at(30 * 86_400 + i),
        extra: NoExtras {},
    }
}

fn a_token(identifier: String, token: String) -> VerificationToken {
    VerificationToken {
        identifier,
        token,
        expires: at(86_400),
        extra: NoExtras {},
    }
}

// ------------------------------------------------------------------------------ a dialect --

async fn run_dialect<D: Hand>(pool: sqlx::Pool<D::Database>, cfg: &Config) -> Vec<Outcome> {
    for stmt in create_schema::<Schema>(D::BACKEND) {
        D::exec_raw(&pool, &stmt).await;
    }
    // BENCH_HOLD=0: the adapter releases each connection after each statement, as the
    // hand-written side does (sqlx then pings it), so that only the layers differ.
    let hold = std::env::var("BENCH_HOLD").map_or(true, |v| v != "0");
    let ad = SqlAdapter::<D, Schema>::new(pool.clone()).hold_connections(hold);
    let p = &pool;

    // Seed: users, each with one GitHub account and one session.
    let n = cfg.users;
    let users: Vec<User> = (0..n).map(|i| a_user(&format!("user{i}"))).collect();
    let accounts: Vec<Account> = users
        .iter()
        .enumerate()
        .map(|(i, u)| an_account(&u.id, format!("gh-{i}")))
        .collect();
    let sessions: Vec<Session> = users
        .iter()
        .enumerate()
        .map(|(i, u)| a_session(&u.id, format!("session-{i}"), i as i64))
        .collect();
    let t = Instant::now();
    D::seed(p, &users, &accounts, &sessions, &[])
        .await
        .expect("seeding");
    eprintln!(
        "  seeded {n} users, accounts and sessions in {:.1?}",
        t.elapsed()
    );

    // Both sides must return the same thing before their timings mean anything.
    for i in [0, n / 2, n - 1] {
        let (u, a, s) = (&users[i], &accounts[i], &sessions[i]);
        assert_eq!(D::get_user(p, &u.id).await.unwrap().as_ref(), Some(u));
        assert_eq!(ad.get_user(&u.id).await.unwrap().as_ref(), Some(u));
        assert_eq!(
            D::get_user_by_email(p, &u.email).await.unwrap().as_ref(),
            Some(u)
        );
        assert_eq!(
            ad.get_user_by_email(&u.email).await.unwrap().as_ref(),
            Some(u)
        );
        let by_account = D::get_user_by_account(p, &a.provider, &a.provider_account_id).await;
        assert_eq!(by_account.unwrap().as_ref(), Some(u));
        let by_account = ad
            .get_user_by_account(AccountKey::new(&a.provider, &a.provider_account_id))
            .await;
        assert_eq!(by_account.unwrap().as_ref(), Some(u));
        let expected = Some((s.clone(), u.clone()));
        assert_eq!(
            D::get_session_and_user(p, &s.session_token).await.unwrap(),
            expected
        );
        assert_eq!(
            ad.get_session_and_user(&s.session_token).await.unwrap(),
            expected
        );
    }

    let mut out = Vec::new();
    let per_side = cfg.per_side();
    // Reads cycle through the seeded rows.
    let pick = |i: usize| i.wrapping_mul(7919) % n;

    if cfg.wants_op("get_session_and_user") {
        out.push(
            compare(
                cfg,
                "get_session_and_user",
                async |i| {
                    let s = &sessions[pick(i)];
                    let r = D::get_session_and_user(p, &s.session_token).await.unwrap();
                    assert!(r.is_some());
                },
                async |i| {
                    let s = &sessions[pick(i)];
                    let r = ad.get_session_and_user(&s.session_token).await.unwrap();
                    assert!(r.is_some());
                },
            )
            .await,
        );
    }

    if cfg.wants_op("get_user_by_account") {
        out.push(
            compare(
                cfg,
                "get_user_by_account",
                async |i| {
                    let a = &accounts[pick(i)];
                    let r = D::get_user_by_account(p, &a.provider, &a.provider_account_id);
                    assert!(r.await.unwrap().is_some());
                },
                async |i| {
                    let a = &accounts[pick(i)];
                    let r = ad
                        .get_user_by_account(AccountKey::new(&a.provider, &a.provider_account_id));
                    assert!(r.await.unwrap().is_some());
                },
            )
            .await,
        );
    }

    if cfg.wants_op("create_session") {
        // Fresh sessions for every call, made before the clock starts.
        let fresh = |side: &str| -> Vec<Option<Session>> {
            (0..per_side)
                .map(|i| {
                    let owner = &users[pick(i)].id;
                    Some(a_session(owner, format!("new-{side}-{i}"), i as i64))
                })
                .collect()
        };
        let (mut fb, mut fa) = (fresh("b"), fresh("a"));
        out.push(
            compare(
                cfg,
                "create_session",
                async |i| {
                    let s = fb[i].take().unwrap();
                    D::create_session(p, s).await.unwrap();
                },
                async |i| {
                    let s = fa[i].take().unwrap();
                    ad.create_session(s).await.unwrap();
                },
            )
            .await,
        );
    }

    if cfg.wants_op("use_verification_token") {
        // Tokens to consume, created (untimed) beforehand, half for each side.
        let tokens: Vec<VerificationToken> = (0..2 * per_side)
            .map(|i| a_token(format!("user{}@example.com", i % n), format!("vt-{i}")))
            .collect();
        let t = Instant::now();
        D::seed(p, &[], &[], &[], &tokens).await.expect("tokens");
        eprintln!(
            "  created {} verification tokens in {:.1?}",
            tokens.len(),
            t.elapsed()
        );
        let (tb, ta) = tokens.split_at(per_side);
        let (first_b, first_a) = (tb[0].clone(), ta[0].clone());
        out.push(
            compare(
                cfg,
                "use_verification_token",
                async |i| {
                    let t = &tb[i];
                    let r = D::use_verification_token(p, &t.identifier, &t.token).await;
                    assert!(r.unwrap().is_some());
                },
                async |i| {
                    let t = &ta[i];
                    let r = ad.use_verification_token(&t.identifier, &t.token).await;
                    assert!(r.unwrap().is_some());
                },
            )
            .await,
        );
        // Used up, by each side.
        let gone = D::use_verification_token(p, &first_a.identifier, &first_a.token).await;
        assert_eq!(gone.unwrap(), None);
        let gone = ad
            .use_verification_token(&first_b.identifier, &first_b.token)
            .await;
        assert_eq!(gone.unwrap(), None);
    }

    if cfg.wants_op("get_user") {
        out.push(
            compare(
                cfg,
                "get_user",
                async |i| {
                    let r = D::get_user(p, &users[pick(i)].id).await.unwrap();
                    assert!(r.is_some());
                },
                async |i| {
                    let r = ad.get_user(&users[pick(i)].id).await.unwrap();
                    assert!(r.is_some());
                },
            )
            .await,
        );
    }

    if cfg.wants_op("get_user_by_email") {
        out.push(
            compare(
                cfg,
                "get_user_by_email",
                async |i| {
                    let r = D::get_user_by_email(p, &users[pick(i)].email)
                        .await
                        .unwrap();
                    assert!(r.is_some());
                },
                async |i| {
                    let r = ad.get_user_by_email(&users[pick(i)].email).await.unwrap();
                    assert!(r.is_some());
                },
            )
            .await,
        );
    }

    if cfg.wants_op("create_user") {
        // `id: None`: both sides generate the UUID, as Auth.js expects of `createUser`.
        let fresh = |side: &str| -> Vec<Option<NewUser>> {
            (0..per_side)
                .map(|i| {
                    let u = a_user(&format!("new-{side}-{i}"));
                    Some(NewUser {
                        id: None,
                        name: u.name,
                        email: u.email,
                        email_verified: u.email_verified,
                        image: u.image,
                        extra: NoExtras {},
                    })
                })
                .collect()
        };
        let (mut fb, mut fa) = (fresh("b"), fresh("a"));
        out.push(
            compare(
                cfg,
                "create_user",
                async |i| {
                    D::create_user(p, fb[i].take().unwrap()).await.unwrap();
                },
                async |i| {
                    ad.create_user(fa[i].take().unwrap()).await.unwrap();
                },
            )
            .await,
        );
    }

    if cfg.wants_op("link_account") {
        let fresh = |side: &str| -> Vec<Option<Account>> {
            (0..per_side)
                .map(|i| Some(an_account(&users[pick(i)].id, format!("new-{side}-{i}"))))
                .collect()
        };
        let (mut fb, mut fa) = (fresh("b"), fresh("a"));
        out.push(
            compare(
                cfg,
                "link_account",
                async |i| {
                    D::link_account(p, fb[i].take().unwrap()).await.unwrap();
                },
                async |i| {
                    ad.link_account(fa[i].take().unwrap()).await.unwrap();
                },
            )
            .await,
        );
    }

    if cfg.wants_op("update_session") {
        // New expiry on a seeded session; both sides touch the same rows in turn.
        out.push(
            compare(
                cfg,
                "update_session",
                async |i| {
                    let token = &sessions[pick(i)].session_token;
                    let expires = at(60 * 86_400 + i as i64);
                    let r = D::update_session_expires(p, token, expires).await.unwrap();
                    assert!(r.is_some());
                },
                async |i| {
                    let update = SessionUpdate {
                        session_token: sessions[pick(i)].session_token.clone(),
                        user_id: None,
                        // Not the baseline's values: each update really changes the row.
                        expires: Some(at(90 * 86_400 + i as i64)),
                    };
                    ad.update_session(update).await.unwrap();
                },
            )
            .await,
        );
    }

    if cfg.wants_op("delete_session") {
        // Sessions to delete, created (untimed) beforehand, half for each side.
        let doomed: Vec<Session> = (0..2 * per_side)
            .map(|i| a_session(&users[pick(i)].id, format!("doomed-{i}"), i as i64))
            .collect();
        D::seed(p, &[], &[], &doomed, &[]).await.expect("sessions");
        let (db, da) = doomed.split_at(per_side);
        out.push(
            compare(
                cfg,
                "delete_session",
                async |i| D::delete_session(p, &db[i].session_token).await.unwrap(),
                async |i| ad.delete_session(&da[i].session_token).await.unwrap(),
            )
            .await,
        );
        let left = D::get_session_and_user(p, &da[0].session_token).await;
        assert_eq!(left.unwrap(), None);
    }

    out
}

// ------------------------------------------------------------------- SQL building cost --

/// What preparing saves: binding a prepared statement's arguments, against building and
/// rendering the same statement from scratch (what an unprepared query does on every call).
fn build_vs_bind(cfg: &Config) -> Vec<(&'static str, f64, f64)> {
    fn time<F: FnMut(usize)>(iters: usize, mut f: F) -> f64 {
        for i in 0..iters / 10 {
            f(i);
        }
        let start = Instant::now();
        for i in 0..iters {
            f(i);
        }
        start.elapsed().as_secs_f64() / iters as f64
    }
    let iters = 200 * cfg.iters;
    let tokens: Vec<String> = (0..1000).map(|i| format!("session-{i}")).collect();
    let token = |i: usize| &tokens[i % tokens.len()];
    let mut out = Vec::new();
    macro_rules! one {
        ($d:expr, $name:expr) => {{
            let prepared = $d.prepare::<(Text,), _>(|(t,)| {
                $d.select_from(session::table)
                    .inner_join(user::table, user::id.eq_col(session::user_id))
                    .select((session::table.all(), user::table.all()))
                    .filter(session::session_token.eq(t))
            });
            let bind = time(iters, |i| {
                std::hint::black_box(prepared.bind((token(i).as_str(),)).unwrap());
            });
            let build = time(iters, |i| {
                let q = $d
                    .select_from(session::table)
                    .inner_join(user::table, user::id.eq_col(session::user_id))
                    .select((session::table.all(), user::table.all()))
                    .filter(session::session_token.eq(token(i)));
                std::hint::black_box(q.compile());
            });
            out.push(($name, bind, build));
        }};
    }
    one!(Sqlite, <Sqlite as Hand>::NAME);
    one!(Postgres, <Postgres as Hand>::NAME);
    #[cfg(feature = "mysql")]
    one!(MySql, <MySql as Hand>::NAME);
    out
}

// ---------------------------------------------------------------------------------- main --

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("bench_{}_{}", std::process::id(), nanos % 1_000_000_000)
}

async fn sqlite(cfg: &Config) -> Vec<Outcome> {
    let dir = std::env::var_os("BENCH_SQLITE_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let path = dir.join(format!("authjs-{}.db", unique_name()));
    // The default sqlx pool and connection options, on a file: rollback journal and
    // `synchronous = FULL`, so every write waits for the disk. `BENCH_SQLITE_WAL=1` switches to
    // WAL with `synchronous = NORMAL`, where writes cost little more than the statement itself.
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let wal = std::env::var("BENCH_SQLITE_WAL").is_ok_and(|v| v == "1");
    let pool = if wal {
        use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
        let options: SqliteConnectOptions = url.parse().expect("SQLite URL");
        let options = options
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal);
        sqlx::SqlitePool::connect_with(options).await
    } else {
        sqlx::SqlitePool::connect(&url).await
    }
    .expect("SQLite file");
    let mode = if wal {
        "WAL, synchronous=NORMAL"
    } else {
        "sqlx defaults"
    };
    eprintln!("SQLite ({mode}): {}", path.display());
    let out = run_dialect::<Sqlite>(pool.clone(), cfg).await;
    pool.close().await;
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    out
}

async fn postgres(cfg: &Config, url: &str) -> Vec<Outcome> {
    let name = unique_name();
    let options: sqlx::postgres::PgConnectOptions = url
        .parse()
        .expect("DATABASE_URL_POSTGRES is not a valid URL");
    // Unqualified tables resolve in the benchmark's own schema.
    let pool = sqlx::postgres::PgPoolOptions::new()
        .connect_with(options.options([("search_path", name.as_str())]))
        .await
        .expect("cannot connect to DATABASE_URL_POSTGRES");
    Postgres::exec_raw(&pool, &format!("CREATE SCHEMA \"{name}\"")).await;
    eprintln!("PostgreSQL: schema {name}");
    let out = run_dialect::<Postgres>(pool.clone(), cfg).await;
    Postgres::exec_raw(&pool, &format!("DROP SCHEMA \"{name}\" CASCADE")).await;
    pool.close().await;
    out
}

#[cfg(feature = "mysql")]
async fn mysql(cfg: &Config, url: &str) -> Vec<Outcome> {
    let name = unique_name();
    let options: sqlx::mysql::MySqlConnectOptions =
        url.parse().expect("DATABASE_URL_MYSQL is not a valid URL");
    let admin = sqlx::mysql::MySqlPoolOptions::new()
        .max_connections(1)
        .connect_with(options.clone())
        .await
        .expect("cannot connect to DATABASE_URL_MYSQL");
    MySql::exec_raw(
        &admin,
        &format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"),
    )
    .await;
    let pool = sqlx::mysql::MySqlPoolOptions::new()
        .connect_with(options.database(&name))
        .await
        .expect("cannot connect to the benchmark database");
    eprintln!("MySQL: database {name}");
    let out = run_dialect::<MySql>(pool.clone(), cfg).await;
    pool.close().await;
    MySql::exec_raw(&admin, &format!("DROP DATABASE `{name}`")).await;
    admin.close().await;
    out
}

const GOAL_OPS: [&str; 4] = [
    "get_session_and_user",
    "get_user_by_account",
    "create_session",
    "use_verification_token",
];

fn report(dialect: &str, outcomes: &[Outcome], md: &mut String) {
    let _ = writeln!(md, "\n### {dialect}\n");
    let _ = writeln!(
        md,
        "| operation | hand-written sqlx (µs/op) | adapter (µs/op) | ratio | per-batch ratio: median (IQR) | goal ≤ 1.10 |"
    );
    let _ = writeln!(md, "|---|---:|---:|---:|---|---|");
    for o in outcomes {
        let goal = if GOAL_OPS.contains(&o.op) {
            if o.ratio() <= 1.10 {
                "met"
            } else {
                "**missed**"
            }
        } else {
            "–"
        };
        let _ = writeln!(
            md,
            "| {} | {:.1} | {:.1} | {:.3} | {:.3} ({:.3}–{:.3}) | {} |",
            o.op,
            micros(o.base),
            micros(o.adapter),
            o.ratio(),
            o.paired,
            o.q1,
            o.q3,
            goal
        );
    }
}

fn main() {
    let cfg = Config::from_env();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    eprintln!(
        "adapter vs hand-written sqlx: {} rounds x {} ops per side (+{} warm-up rounds), {} users",
        cfg.rounds, cfg.iters, cfg.warmup, cfg.users
    );
    let mut md = String::new();
    let url = |var: &str| std::env::var(var).ok().filter(|v| !v.trim().is_empty());

    if cfg.wants_dialect("sqlite") {
        let out = rt.block_on(sqlite(&cfg));
        let name = if std::env::var("BENCH_SQLITE_WAL").is_ok_and(|v| v == "1") {
            "SQLite (file, WAL, synchronous=NORMAL)"
        } else {
            "SQLite (file, sqlx defaults: rollback journal, synchronous=FULL)"
        };
        report(name, &out, &mut md);
    }
    if cfg.wants_dialect("postgres") {
        match url("DATABASE_URL_POSTGRES") {
            Some(u) => {
                let out = rt.block_on(postgres(&cfg, &u));
                report(<Postgres as Hand>::NAME, &out, &mut md);
            }
            None => eprintln!(
                "SKIPPED PostgreSQL: DATABASE_URL_POSTGRES is not set \
                 (eval \"$(bash scripts/test-dbs.sh)\")"
            ),
        }
    }
    #[cfg(feature = "mysql")]
    if cfg.wants_dialect("mysql") {
        match url("DATABASE_URL_MYSQL") {
            Some(u) => {
                let out = rt.block_on(mysql(&cfg, &u));
                report(<MySql as Hand>::NAME, &out, &mut md);
            }
            None => eprintln!("SKIPPED MySQL: DATABASE_URL_MYSQL is not set"),
        }
    }

    if cfg.wants_op("build_vs_bind") {
        let _ = writeln!(
            md,
            "\n### SQL building: `Prepared::bind` vs building and `compile()`\n"
        );
        let _ = writeln!(
            md,
            "`get_session_and_user`'s statement, no database involved.\n"
        );
        let _ = writeln!(
            md,
            "| dialect | `Prepared::bind` (µs) | build + `compile()` (µs) |"
        );
        let _ = writeln!(md, "|---|---:|---:|");
        for (d, bind, build) in build_vs_bind(&cfg) {
            let _ = writeln!(md, "| {d} | {:.2} | {:.2} |", bind * 1e6, build * 1e6);
        }
    }

    println!("{md}");
}
