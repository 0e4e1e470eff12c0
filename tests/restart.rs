//! A database server restarted under load: 16 tasks write sessions and read them back through
//! one adapter while `scripts/test-dbs.sh restart` stops the server (killing its sessions) and
//! starts it again. No panic; calls fail only as connection errors while the server is down;
//! the same pool serves again afterwards, within a bound; and no acknowledged write is lost.
//!
//! The test servers are the project's own, so restarting them is allowed; this binary holds only
//! these tests, and cargo runs test binaries one at a time. Needs root (as CI has), like the
//! script. Skipped without the server URLs, except under `CI=true`.

// The shared connect helper; its `dialect_tests!` macro is for the other suites.
#[allow(unused_macros, unused_imports)]
mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use auth_adapter::{AdapterDialect, AdapterError, SqlAdapter};
use auth_query::{MySql, Postgres};
use auth_schema::kysely::Schema as Kysely;
use auth_schema::{NewUser, Session};
use chrono::{SubsecRound, Utc};
use common::{TestDialect, connect};
use tokio::sync::Mutex;

/// What one task saw: acknowledged tokens, and the times of its failures and successes.
#[derive(Default)]
struct Log {
    acked: Vec<String>,
    failures: Vec<Instant>,
    successes: Vec<Instant>,
}

async fn restart_under_load<D>(server: &str)
where
    D: TestDialect + AdapterDialect<Database = <D as TestDialect>::Db>,
{
    let Some(db) = connect::<D>().await else {
        return;
    };
    db.create_schema::<Kysely>().await;
    let pool = sqlx::pool::PoolOptions::<D::Db>::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with((*db.pool().connect_options()).clone())
        .await
        .expect("the pool under test");
    let adapter = Arc::new(SqlAdapter::<D, Kysely>::new(pool.clone()));
    let user = adapter
        .create_user(NewUser {
            id: None,
            name: None,
            email: "load@example.com".into(),
            email_verified: None,
            image: None,
            extra: Default::default(),
        })
        .await
        .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let log = Arc::new(Mutex::new(Log::default()));
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let (adapter, stop, log, user_id) =
                (adapter.clone(), stop.clone(), log.clone(), user.id.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let token = uuid::Uuid::new_v4().to_string();
                    let session = Session {
                        user_id: user_id.clone(),
                        session_token: token.clone(),
                        expires: Utc::now().trunc_subsecs(3) + chrono::Duration::days(1),
                        extra: Default::default(),
                    };
                    let written = adapter.create_session(session).await;
                    let read = match &written {
                        Ok(_) => adapter
                            .get_session_and_user(&token)
                            .await
                            .map(|r| r.is_some()),
                        Err(_) => Ok(true),
                    };
                    let acked = matches!(read, Ok(true)) && written.is_ok();
                    let mut log = log.lock().await;
                    for result in [written.map(drop), read.map(drop)] {
                        match result {
                            Ok(()) => log.successes.push(Instant::now()),
                            // The server is gone or going: the one kind of failure allowed.
                            Err(AdapterError::Connection { .. }) => {
                                log.failures.push(Instant::now())
                            }
                            Err(e) => {
                                panic!("a call failed other than as a connection error: {e:?}")
                            }
                        }
                    }
                    if acked {
                        log.acked.push(token);
                    }
                    drop(log);
                    tokio::time::sleep(Duration::from_millis(2)).await;
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/test-dbs.sh");
    let restarted = Instant::now();
    let server_name = server.to_owned();
    let status = tokio::task::spawn_blocking(move || {
        std::process::Command::new("bash")
            .args([script, "restart", &server_name])
            .stdout(std::process::Stdio::null())
            .status()
    })
    .await
    .unwrap()
    .expect("scripts/test-dbs.sh runs");
    assert!(status.success(), "`test-dbs.sh restart {server}` failed");
    let back = Instant::now();
    // Keep the load on, then stop it.
    tokio::time::sleep(Duration::from_secs(3)).await;
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.expect("a load task panicked");
    }
    let log = log.lock().await;
    // The outage as the callers saw it: from the first failed call to the first success after
    // the last one.
    let first_failure = log.failures.iter().min().copied();
    let last_failure = log.failures.iter().max().copied();
    let first_after =
        last_failure.and_then(|f| log.successes.iter().filter(|s| **s > f).min().copied());
    let outage = match (first_failure, first_after) {
        (None, _) => Duration::ZERO,
        (Some(first), Some(ok)) => ok - first,
        (Some(_), None) => panic!("{server}: the pool never served again after the restart"),
    };
    // Calls mostly wait for a connection while the server is down, rather than fail: the
    // longest time without any call completing is how long the service stood still.
    let mut done = log.successes.clone();
    done.sort();
    let stood_still = done
        .windows(2)
        .map(|w| w[1] - w[0])
        .max()
        .unwrap_or_default();
    eprintln!(
        "{server}: the restart command took {:?}; {} calls failed over {outage:?}; no call completed for {stood_still:?} at most; {} sessions acknowledged",
        back - restarted,
        log.failures.len(),
        log.acked.len()
    );
    assert!(
        stood_still < Duration::from_secs(5) && outage < Duration::from_secs(5),
        "{server}: the same pool took too long to serve again ({stood_still:?}, {outage:?})"
    );
    // Every acknowledged session is there (read on a fresh connection).
    let fresh = sqlx::pool::PoolOptions::<D::Db>::new()
        .max_connections(2)
        .connect_with((*db.pool().connect_options()).clone())
        .await
        .unwrap();
    let check = SqlAdapter::<D, Kysely>::new(fresh.clone());
    for token in &log.acked {
        assert!(
            check.get_session_and_user(token).await.unwrap().is_some(),
            "{server}: acknowledged session {token} is lost"
        );
    }
    fresh.close().await;
    pool.close().await;
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_restart_under_load() {
    restart_under_load::<Postgres>("postgres").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mariadb_restart_under_load() {
    restart_under_load::<MySql>("mariadb").await;
}
