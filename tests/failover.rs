//! PostgreSQL failover under load, on the project's pg_auto_failover cluster (a monitor, a
//! primary and a synchronous standby; `scripts/test-dbs.sh`), reached through the libpq
//! multi-host URL `DATABASE_URL_PG_FAILOVER` (`…@127.0.0.1:p1,127.0.0.1:p2/…?target_session_attrs=read-write`).
//!
//! - `perform_failover_under_load` and `kill_primary_under_load`: 16 tasks create sessions,
//!   read back their own acknowledged ones and race for shared verification tokens, through one
//!   `SqlAdapter` on an `auth_pg_connect::connect_pool` pool, while `test-dbs.sh failover`
//!   (`pg_autoctl perform failover`) or `test-dbs.sh kill-primary` (kill -9 of the primary's
//!   postmaster and keeper) runs. No panic; failures are connection errors of the calls made
//!   during the failover, none after the first call served by the new primary; that happens
//!   within a bound, which the test prints; every acknowledged session is on the new primary,
//!   and no token was handed out twice (the standby is synchronous, so an acknowledged commit
//!   survives the failover).
//! - `all_standbys_under_read_write`: a URL whose hosts are all standbys fails at once with an
//!   error naming each host, through `auth_pg_connect`, `auth_adapter::connect` and `migrate`.
//! - `migrate_on_a_multi_host_url`: `migrate up` through the multi-host URL (each load test
//!   also migrates its database that way).
//!
//! The script's commands return once the old primary has rejoined as a standby, so the cluster
//! is left with a primary and a secondary (the other way round). These tests mutate the shared
//! cluster: they take turns (a lock), and live alone in this binary. Needs root, as the script
//! does. Skipped without `DATABASE_URL_PG_FAILOVER`, except under `CI=true`.

// The shared connect helper (`database_url`); its `dialect_tests!` macro is for other suites.
#[allow(unused_macros, unused_imports)]
mod common;

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use auth_adapter::pg::{PgUrl, connect_one, connect_pool, current_host};
use auth_adapter::{Adapter, AdapterError, SqlAdapter};
use auth_query::Postgres;
use auth_schema::kysely::Schema as Kysely;
use auth_schema::{Backend, NewUser, Session};
use chrono::{SubsecRound, Utc};
use sqlx::Connection;

/// One test at a time on the cluster.
static CLUSTER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// How long after the first failed call the new primary must serve.
const BOUND: Duration = Duration::from_secs(45);

/// The cluster's multi-host URL, or `None` to skip.
fn cluster_url() -> Option<String> {
    common::database_url("DATABASE_URL_PG_FAILOVER")
}

/// `url` with its database (the path) replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let start = url.find("://").map(|i| i + 3).unwrap_or(0);
    let slash = start + url[start..].find('/').expect("a database in the URL");
    let end = url[slash..].find('?').map_or(url.len(), |q| slash + q);
    format!("{}/{name}{}", &url[..slash], &url[end..])
}

/// A fresh database on the cluster's primary; returns its multi-host URL.
async fn fresh_database(url: &str, name: &str) -> String {
    let mut conn = connect_one(&PgUrl::parse(url).unwrap())
        .await
        .unwrap_or_else(|e| panic!("cannot reach the cluster's primary: {e}"));
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut conn)
        .await
        .unwrap();
    let _ = conn.close().await;
    with_database(url, name)
}

async fn drop_database(url: &str, name: &str) {
    match connect_one(&PgUrl::parse(url).unwrap()).await {
        Ok(mut conn) => {
            let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            if let Err(e) = sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(&mut conn)
                .await
            {
                eprintln!("warning: could not drop database {name}: {e}");
            }
            let _ = conn.close().await;
        }
        Err(e) => eprintln!("warning: could not drop database {name}: {e}"),
    }
}

/// Runs `scripts/test-dbs.sh <command>`; panics with its output unless it succeeds. Returns its
/// progress lines.
async fn test_dbs(command: &'static str) -> String {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/test-dbs.sh");
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("bash")
            .args([script, command])
            .output()
    })
    .await
    .unwrap()
    .expect("scripts/test-dbs.sh runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "`test-dbs.sh {command}` failed:\n{stderr}"
    );
    stderr
}

/// Applies the stock migrations through `url` (several hosts: `migrate` finds the primary).
async fn migrate(url: &str) {
    let db = auth_migrate::Db::connect(url)
        .await
        .unwrap_or_else(|e| panic!("migrate cannot connect through the multi-host URL: {e}"));
    auth_migrate::Migrator::stock(Backend::Postgres)
        .up(&db, None, false)
        .await
        .unwrap();
    db.close().await;
}

/// One call: when it started and ended, and how it failed.
struct Call {
    start: Instant,
    end: Instant,
    error: Option<String>,
}

#[derive(Default)]
struct Log {
    calls: Vec<Call>,
    /// Sessions whose creation was acknowledged.
    acked: Vec<String>,
    /// Verification tokens handed out, one entry per caller that got one.
    won: Vec<String>,
}

async fn failover_under_load(command: &'static str) {
    let _turn = CLUSTER.lock().await;
    let Some(cluster) = cluster_url() else { return };
    let name = common::unique_name();
    let url = fresh_database(&cluster, &name).await;
    migrate(&url).await;

    let pool = connect_pool(
        &PgUrl::parse(&url).unwrap(),
        sqlx::postgres::PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(30)),
    )
    .await
    .unwrap();
    let old_primary = current_host(&pool).expect("a routing pool");
    let adapter: Arc<dyn Adapter<Kysely>> =
        Arc::new(SqlAdapter::<Postgres, Kysely>::new(pool.clone()));
    let user = adapter
        .create_user(NewUser {
            id: None,
            name: None,
            email: "failover@example.com".into(),
            email_verified: None,
            image: None,
            extra: Default::default(),
        })
        .await
        .unwrap();
    // Tokens the tasks race for, each to be handed out once: a window moving through them by
    // time, so that several tasks go for the same ones all along.
    let expires = Utc::now().trunc_subsecs(0) + chrono::Duration::hours(1);
    sqlx::raw_sql(
        r#"INSERT INTO "VerificationToken" ("identifier", "token", "expires")
           SELECT 'race' || g || '@example.com', md5(g::text || random()::text), now() + interval '1 hour'
           FROM generate_series(1, 4000) AS g"#,
    )
    .execute(&pool)
    .await
    .unwrap();
    let tokens: Vec<(String, String)> = sqlx::query_as(
        r#"SELECT "identifier", "token" FROM "VerificationToken" ORDER BY length("identifier"), "identifier""#,
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let tokens = Arc::new(tokens);
    let t0 = Instant::now();

    let stop = Arc::new(AtomicBool::new(false));
    let log = Arc::new(std::sync::Mutex::new(Log::default()));
    let tasks: Vec<_> = (0..16u64)
        .map(|n| {
            let (adapter, stop, log, tokens, user_id) = (
                adapter.clone(),
                stop.clone(),
                log.clone(),
                tokens.clone(),
                user.id.clone(),
            );
            tokio::spawn(async move {
                let mut mine: Vec<String> = Vec::new();
                let mut i = n;
                while !stop.load(Ordering::Relaxed) {
                    i = i
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    // A write.
                    let token = uuid::Uuid::new_v4().to_string();
                    let start = Instant::now();
                    let written = adapter
                        .create_session(Session {
                            user_id: user_id.clone(),
                            session_token: token.clone(),
                            expires,
                            extra: Default::default(),
                        })
                        .await;
                    let write = Call {
                        start,
                        end: Instant::now(),
                        error: written.as_ref().err().map(describe),
                    };
                    // A read of one of this task's acknowledged sessions: it must be there.
                    let read = if mine.is_empty() {
                        None
                    } else {
                        let pick = mine[(i >> 33) as usize % mine.len()].clone();
                        let start = Instant::now();
                        let got = adapter.get_session_and_user(&pick).await;
                        if let Ok(None) = got {
                            panic!("acknowledged session {pick} is gone");
                        }
                        Some(Call {
                            start,
                            end: Instant::now(),
                            error: got.err().map(|e| describe(&e)),
                        })
                    };
                    // A race for a shared token: one of 4 at the window's position (one token
                    // every 10 ms).
                    let at = (t0.elapsed().as_millis() / 10) as usize + (i >> 40) as usize % 4;
                    let (identifier, value) = &tokens[at.min(tokens.len() - 1)];
                    let start = Instant::now();
                    let used = adapter.use_verification_token(identifier, value).await;
                    let race = Call {
                        start,
                        end: Instant::now(),
                        error: used.as_ref().err().map(describe),
                    };
                    if written.is_ok() {
                        mine.push(token.clone());
                    }
                    {
                        let mut log = log.lock().unwrap();
                        if written.is_ok() {
                            log.acked.push(token);
                        }
                        if let Ok(Some(got)) = used {
                            assert_eq!(&got.token, value);
                            log.won.push(got.token);
                        }
                        log.calls.push(write);
                        log.calls.extend(read);
                        log.calls.push(race);
                    }
                    tokio::time::sleep(Duration::from_millis(2)).await;
                }
            })
        })
        .collect();

    tokio::time::sleep(Duration::from_secs(1)).await;
    let began = Instant::now();
    let progress = test_dbs(command).await;
    let script_took = began.elapsed();
    // The load goes on a little on the new primary, then stops.
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.expect("a load task panicked");
    }
    let new_primary = current_host(&pool).expect("a routing pool");

    let log = std::mem::take(&mut *log.lock().unwrap());
    let failures: Vec<&Call> = log.calls.iter().filter(|c| c.error.is_some()).collect();
    // Every failure is a connection error (retryable): the server went away or refused writes.
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &failures {
        *kinds.entry(f.error.as_deref().unwrap()).or_default() += 1;
    }
    // Calls mostly wait (for a connection to the new primary) rather than fail: the longest
    // time without any call completing is how long the service stood still, and its end is when
    // the new primary served.
    let first_failure = failures.iter().map(|c| c.start).min();
    let last_failure_start = failures.iter().map(|c| c.start).max();
    let slowest = log
        .calls
        .iter()
        .map(|c| c.end - c.start)
        .max()
        .unwrap_or_default();
    let mut done: Vec<Instant> = log
        .calls
        .iter()
        .filter(|c| c.error.is_none())
        .map(|c| c.end)
        .collect();
    done.sort();
    let (stood_still, resumed) = done
        .windows(2)
        .map(|w| (w[1] - w[0], w[1]))
        .max()
        .expect("calls completed");
    let served_after = match first_failure {
        Some(first) if resumed > first => resumed - first,
        _ => Duration::ZERO,
    };
    assert!(
        last_failure_start.is_none_or(|last| done.iter().any(|d| *d > last)),
        "{command}: no call succeeded after the last failure"
    );
    eprintln!(
        "{command}: the script took {script_took:.1?}; primary {old_primary} -> {new_primary}; \
         {} calls, {} failed ({kinds:?}); no call completed for {stood_still:.2?}, then the new \
         primary served, {served_after:.2?} after the first failed call; slowest call \
         {slowest:.2?}; {} sessions acknowledged, {} tokens handed out",
        log.calls.len(),
        failures.len(),
        log.acked.len(),
        log.won.len()
    );
    eprintln!("{command}: script progress:\n{}", progress.trim_end());
    for kind in kinds.keys() {
        assert!(
            kind.starts_with("connection"),
            "{command}: a call failed other than as a connection error: {kind}"
        );
    }
    assert_ne!(old_primary, new_primary, "{command}: the pool did not move");
    assert!(
        served_after < BOUND && stood_still < BOUND && slowest < BOUND,
        "{command}: the new primary took too long to serve ({served_after:?}, {stood_still:?}, {slowest:?})"
    );
    // Failures only while the primary changed: none in the last stretch of load (the script
    // returned once the cluster was healthy again, 2 s before the load stopped).
    if let Some(last) = last_failure_start {
        assert!(
            last < began + script_took,
            "{command}: a call failed {:?} after the failover was over",
            last - (began + script_took)
        );
    }

    // No token handed out twice, and every one handed out is gone.
    let mut seen = HashSet::new();
    for t in &log.won {
        assert!(seen.insert(t), "{command}: token {t} was handed out twice");
    }
    // Every acknowledged session is on the new primary (read on fresh connections), and every
    // token handed out is gone there.
    let check_pool = connect_pool(
        &PgUrl::parse(&url).unwrap(),
        sqlx::postgres::PgPoolOptions::new().max_connections(4),
    )
    .await
    .unwrap();
    assert_eq!(current_host(&check_pool), Some(new_primary.clone()));
    let check = SqlAdapter::<Postgres, Kysely>::new(check_pool.clone());
    for token in &log.acked {
        assert!(
            check.get_session_and_user(token).await.unwrap().is_some(),
            "{command}: acknowledged session {token} is lost"
        );
    }
    let left: Vec<String> = sqlx::query_scalar(r#"SELECT "token" FROM "VerificationToken""#)
        .fetch_all(&check_pool)
        .await
        .unwrap();
    let left: HashSet<String> = left.into_iter().collect();
    for t in &log.won {
        assert!(
            !left.contains(t),
            "{command}: token {t} was handed out but is still there"
        );
    }
    check_pool.close().await;
    pool.close().await;
    drop_database(&cluster, &name).await;
}

/// `AdapterError`'s kind and message, for the report.
fn describe(e: &AdapterError) -> String {
    match e {
        AdapterError::Connection { message, .. } => format!("connection: {}", shorten(message)),
        other => format!("{other:?}"),
    }
}

/// A message without what varies from call to call (ids, addresses).
fn shorten(m: &str) -> String {
    m.split(['"', '('])
        .next()
        .unwrap_or(m)
        .trim()
        .chars()
        .take(90)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn perform_failover_under_load() {
    failover_under_load("failover").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_primary_under_load() {
    failover_under_load("kill-primary").await;
}

/// A URL whose hosts are all standbys, under `read-write`: a clear error at once, naming each
/// host and what it is.
#[tokio::test]
async fn all_standbys_under_read_write() {
    let _turn = CLUSTER.lock().await;
    let Some(cluster) = cluster_url() else { return };
    let pool = connect_pool(&PgUrl::parse(&cluster).unwrap(), Default::default())
        .await
        .unwrap();
    let primary = current_host(&pool).unwrap();
    pool.close().await;
    let nodes = std::env::var("PG_FAILOVER_NODES").expect("PG_FAILOVER_NODES");
    let standby = nodes
        .split(',')
        .find(|n| *n != primary.to_string())
        .expect("a standby")
        .to_owned();
    // The standby twice: every host of the URL is a standby.
    let url = cluster.replace(&nodes, &format!("{standby},{standby}"));
    assert_ne!(url, cluster, "PG_FAILOVER_NODES is the URL's host list");

    let started = Instant::now();
    let e = connect_pool(&PgUrl::parse(&url).unwrap(), Default::default())
        .await
        .expect_err("no host is read-write");
    let message = e.to_string();
    eprintln!("all standbys ({:.2?}): {message}", started.elapsed());
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        message.contains("no PostgreSQL host is read-write")
            && message.contains(&format!("{standby} is a standby"))
            && !message.contains("authjs_pw"),
        "{message}"
    );

    let e = auth_adapter::connect::<Kysely>(&url)
        .await
        .err()
        .expect("the adapter refuses too");
    assert!(
        matches!(&e, AdapterError::Connection { message, .. } if message.contains("is read-write")),
        "{e:?}"
    );
    let Err(e) = auth_migrate::Db::connect(&url).await else {
        panic!("migrate refuses too")
    };
    assert!(e.to_string().contains("is read-write"), "{e}");

    // `any` takes the standby; `standby` too.
    for attrs in ["any", "standby", "prefer-standby"] {
        let url = url.replace("read-write", attrs);
        let pool = connect_pool(&PgUrl::parse(&url).unwrap(), Default::default())
            .await
            .unwrap_or_else(|e| panic!("{attrs}: {e}"));
        let in_recovery: bool = sqlx::query_scalar("SELECT pg_is_in_recovery()")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert!(in_recovery, "{attrs}");
        pool.close().await;
    }
}

/// `migrate up` and `status` on the multi-host URL run on the primary.
#[tokio::test]
async fn migrate_on_a_multi_host_url() {
    let _turn = CLUSTER.lock().await;
    let Some(cluster) = cluster_url() else { return };
    let name = common::unique_name();
    let url = fresh_database(&cluster, &name).await;
    for command in [&["up"][..], &["status", "--check"]] {
        let args: Vec<String> = command.iter().map(|s| s.to_string()).collect();
        let mut out = Vec::new();
        let code = auth_migrate::cli::run::<Kysely>(
            &args,
            &url,
            &auth_migrate::cli::Options::stock(),
            &mut out,
        )
        .await
        .unwrap_or_else(|e| panic!("migrate {command:?}: {e}"));
        assert_eq!(code, 0, "{}", String::from_utf8_lossy(&out));
    }
    drop_database(&cluster, &name).await;
}
