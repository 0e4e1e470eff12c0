//! Concurrent reads that share a statement (`SqlAdapter::coalesce_reads`, on by default).
//!
//! [`coalesced_reads`] fires many `get_session_and_user` and `get_user_by_account` calls at
//! once, on keys that only a case-, pad- or width-insensitive comparison would confuse, on
//! missing keys and on swapped account keys, and checks that each call gets exactly its own
//! answer, that the calls shared statements (they never needed more than four connections,
//! where the same calls without sharing open more), that a call made after a write ended sees
//! it while other reads keep the statements busy, that calls cut at random points leave the
//! others correct and the adapter serving, and that a failed shared statement gives each call
//! its own error. [`coalesced_reads_across_threads`] does the lookups from tasks on several
//! worker threads, cut at random.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use auth_adapter::{AccountKey, AdapterError, SqlAdapter};
use auth_schema::kysely::Schema as Kysely;
use auth_schema::{Backend, Session, User};
use chrono::{Duration as Days, SubsecRound, Utc};
use sqlx::Pool;

use super::reliability::{Rng, futures_join_all};
use super::{SuiteDialect, id};
use crate::common::TestDb;

fn user(email: &str) -> User {
    User {
        id: id(),
        name: Some("Ada".into()),
        email: email.into(),
        email_verified: None,
        image: None,
        extra: Default::default(),
    }
}

/// Keys that are different strings, each a pair of lookalikes; both of a pair exist.
fn lookalikes<D: SuiteDialect>() -> Vec<(&'static str, &'static str)> {
    let mut pairs = vec![
        ("straße", "strasse"),
        ("Ada", "ada"),
        ("a", "a "),
        ("ｆｕｌｌ", "full"),
        ("é", "e\u{301}"),
        ("x'y", "x''y"),
        ("100%", "100_"),
        ("back\\slash", "back\\\\slash"),
    ];
    if D::BACKEND != Backend::Postgres {
        pairs.push(("nul\0", "nul"));
    }
    pairs
}

type Found = Option<(Session, User)>;

/// Rows under lookalike, random and missing keys, with what each lookup must answer.
struct Fixture {
    /// The keys of the stored sessions (lookalikes first).
    keys: Vec<String>,
    sessions: HashMap<String, Found>,
    accounts: HashMap<(String, String), Option<User>>,
}

async fn seed<D: SuiteDialect>(a: &SqlAdapter<D, Kysely>) -> Fixture {
    let later = Utc::now().trunc_subsecs(3) + Days::days(1);
    let mut sessions: HashMap<String, Found> = HashMap::new();
    let mut accounts: HashMap<(String, String), Option<User>> = HashMap::new();
    let mut keys: Vec<String> = lookalikes::<D>()
        .into_iter()
        .flat_map(|(x, y)| [x.to_owned(), y.to_owned()])
        .collect();
    keys.extend((0..40).map(|_| id()));
    for (i, key) in keys.iter().enumerate() {
        let u = a
            .create_user(super::reliability::new_user(&user(&format!("{i}@x.io"))))
            .await
            .unwrap();
        let s = a
            .create_session(Session {
                user_id: u.id.clone(),
                session_token: key.clone(),
                expires: later,
                extra: Default::default(),
            })
            .await
            .unwrap();
        sessions.insert(key.clone(), Some((s, u.clone())));
        // The key as the account id at provider "p", and (for the first ones) as the provider
        // of account id "p": a shared statement must not answer one with the other.
        a.link_account(super::bare_account::<Kysely>(&u.id, "p", key, "oauth"))
            .await
            .unwrap();
        accounts.insert(("p".into(), key.clone()), Some(u.clone()));
        if i < 8 {
            a.link_account(super::bare_account::<Kysely>(&u.id, key, "p", "oauth"))
                .await
                .unwrap();
            accounts.insert((key.clone(), "p".into()), Some(u.clone()));
        }
    }
    // Keys that exist nowhere (a long one is read alone, not in a batch).
    let long = "k".repeat(5000);
    for missing in ["ADA", "a  ", "", "%", "STRASSE", "'", "p", &long] {
        sessions.entry(missing.into()).or_insert(None);
        accounts.entry(("p".into(), missing.into())).or_insert(None);
        accounts.entry((missing.into(), "P".into())).or_insert(None);
    }
    accounts.insert(("P".into(), keys[0].clone()), None);
    Fixture {
        keys,
        sessions,
        accounts,
    }
}

/// A fresh pool of up to 16 connections, through a proxy that delays each round trip by a
/// millisecond (PostgreSQL, MariaDB; SQLite hands each statement to a thread anyway): every
/// call waits at each round trip, so that all the calls of a round are in flight together.
/// (On loopback a server can answer before a debug build polls its socket.)
async fn slow_pool<D: SuiteDialect>(
    db: &TestDb<D>,
) -> (Pool<D::Db>, Option<super::reliability::DelayProxy>) {
    D::pool_through(db.pool(), 16, Some(Duration::from_millis(1))).await
}

/// The calls of a round: every key twice, shuffled.
fn twice_shuffled<'k, K>(rng: &mut Rng, keys: impl Iterator<Item = &'k K> + Clone) -> Vec<&'k K> {
    let mut calls: Vec<&K> = keys.clone().chain(keys).collect();
    for i in (1..calls.len()).rev() {
        calls.swap(i, rng.below(i as u64 + 1) as usize);
    }
    calls
}

/// Calls sharing statements get exactly their own answers; see the module docs.
pub async fn coalesced_reads<D: SuiteDialect>(db: &TestDb<D>) {
    db.create_schema::<Kysely>().await;
    let Fixture {
        keys,
        sessions,
        accounts,
    } = seed(&SqlAdapter::<D, Kysely>::new(db.pool().clone())).await;
    let later = Utc::now().trunc_subsecs(3) + Days::days(1);
    let mut rng = Rng::from_env_or_time();

    // At most two calls of a kind run alone and two statements serve the queue: four
    // connections busy at once. Up to four more: sqlx pings a connection it takes back before
    // it is free again, and meanwhile opens others for the next checkouts (more of them on a
    // loaded machine). Without sharing the calls take all 16. Keys too long to share a
    // statement are left out of these rounds (they run alone, in the rounds further down).
    const SHARED: u32 = 4 + 4;
    let short = |k: &&String| k.len() <= 1024;
    let short_pair = |k: &&(String, String)| k.0.len() <= 1024 && k.1.len() <= 1024;

    // Without sharing, the calls of a round take more connections: the check below can see the
    // difference.
    let (pool, _proxy) = slow_pool(db).await;
    let alone = SqlAdapter::<D, Kysely>::new(pool.clone()).coalesce_reads(false);
    let calls = twice_shuffled(&mut rng, sessions.keys().filter(short));
    for (k, got) in calls
        .iter()
        .zip(futures_join_all(calls.iter().map(|k| alone.get_session_and_user(k))).await)
    {
        assert_eq!(&got.unwrap(), &sessions[*k], "not shared: session {k:?}");
    }
    assert!(
        pool.size() > SHARED,
        "without sharing, {} connections",
        pool.size()
    );
    pool.close().await;

    // All at once in one task: while two calls of a kind run alone, the other calls queue and
    // go together, so no more than four connections are ever busy at once.
    for round in 0..3 {
        let (pool, _proxy) = slow_pool(db).await;
        let a = SqlAdapter::<D, Kysely>::new(pool.clone());
        let calls = twice_shuffled(&mut rng, sessions.keys().filter(short));
        let got = futures_join_all(calls.iter().map(|k| a.get_session_and_user(k))).await;
        for (k, got) in calls.iter().zip(got) {
            assert_eq!(&got.unwrap(), &sessions[*k], "round {round}: session {k:?}");
        }
        assert!(
            pool.size() <= SHARED,
            "round {round}: {} calls of get_session_and_user took {} connections",
            calls.len(),
            pool.size()
        );

        let calls = twice_shuffled(&mut rng, accounts.keys().filter(short_pair));
        let got = futures_join_all(
            calls
                .iter()
                .map(|(p, id)| a.get_user_by_account(AccountKey::new(p, id))),
        )
        .await;
        for (k, got) in calls.iter().zip(got) {
            assert_eq!(&got.unwrap(), &accounts[*k], "round {round}: account {k:?}");
        }
        assert!(
            pool.size() <= SHARED,
            "round {round}: {} calls of get_user_by_account took {} connections",
            calls.len(),
            pool.size()
        );
        pool.close().await;
    }

    // Two calls that ran alone and whose callers stopped polling them (alive, not dropped):
    // the calls after them are still answered.
    {
        let (pool, _proxy) = slow_pool(db).await;
        let a = SqlAdapter::<D, Kysely>::new(pool.clone());
        let mut stalled: Vec<_> = keys[..2]
            .iter()
            .map(|k| Box::pin(a.get_session_and_user(k)))
            .collect();
        for call in &mut stalled {
            let _ = std::future::poll_fn(|cx| {
                std::task::Poll::Ready(call.as_mut().poll(cx).is_ready())
            })
            .await;
        }
        let calls: Vec<&String> = sessions.keys().collect();
        let got = tokio::time::timeout(
            Duration::from_secs(20),
            futures_join_all(calls.iter().map(|k| a.get_session_and_user(k))),
        )
        .await
        .expect("calls behind two stalled ones did not finish within 20 s");
        for (k, got) in calls.iter().zip(got) {
            assert_eq!(&got.unwrap(), &sessions[*k], "behind stalled calls: {k:?}");
        }
        drop(stalled);
    }

    // PostgreSQL refuses NUL in text: such a key fails alone, and the calls beside it do not.
    if D::BACKEND == Backend::Postgres {
        let (pool, _proxy) = slow_pool(db).await;
        let a = SqlAdapter::<D, Kysely>::new(pool.clone());
        let mut calls: Vec<&str> = sessions.keys().map(String::as_str).collect();
        calls.insert(calls.len() / 2, "nul\0");
        let got = futures_join_all(calls.iter().map(|k| a.get_session_and_user(k))).await;
        for (k, got) in calls.iter().zip(got) {
            match (*k, got) {
                ("nul\0", Err(AdapterError::InvalidInput { .. })) => {}
                ("nul\0", other) => panic!("a NUL key: {other:?}"),
                (k, got) => assert_eq!(&got.unwrap(), &sessions[k], "beside a NUL key: {k:?}"),
            }
        }
    }

    let a = SqlAdapter::<D, Kysely>::new(db.pool().clone());
    // A call made after a write ended sees it, while other calls keep statements running.
    let busy = Arc::new(AtomicBool::new(true));
    let readers: Vec<_> = (0..6)
        .map(|i| {
            let (a, busy, key) = (a.clone(), busy.clone(), keys[i].clone());
            tokio::spawn(async move {
                while busy.load(Ordering::Relaxed) {
                    a.get_session_and_user(&key).await.unwrap();
                    a.get_user_by_account(AccountKey::new("p", &key))
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    let owner = sessions[&keys[0]].clone().unwrap().1;
    for i in 0..60 {
        let token = id();
        let s = a
            .create_session(Session {
                user_id: owner.id.clone(),
                session_token: token.clone(),
                expires: later,
                extra: Default::default(),
            })
            .await
            .unwrap();
        assert_eq!(
            a.get_session_and_user(&token).await.unwrap(),
            Some((s, owner.clone())),
            "{i}: a session read after it was created"
        );
        a.delete_session(&token).await.unwrap();
        assert_eq!(
            a.get_session_and_user(&token).await.unwrap(),
            None,
            "{i}: a session read after it was deleted"
        );
        let account_id = id();
        a.link_account(super::bare_account::<Kysely>(
            &owner.id,
            "p",
            &account_id,
            "oauth",
        ))
        .await
        .unwrap();
        assert_eq!(
            a.get_user_by_account(AccountKey::new("p", &account_id))
                .await
                .unwrap(),
            Some(owner.clone()),
            "{i}: an account read after it was linked"
        );
    }
    busy.store(false, Ordering::Relaxed);
    for r in readers {
        r.await.unwrap();
    }

    // Calls cut at random points: the others still get their own answers, and afterwards
    // every call is answered (nothing waits for a statement that will not come).
    let all: Vec<&String> = sessions.keys().collect();
    for round in 0..20 {
        let cuts: Vec<Option<Duration>> = all
            .iter()
            .map(|_| match rng.below(3) {
                0 => Some(Duration::from_micros(rng.below(3000))),
                _ => None,
            })
            .collect();
        let got = futures_join_all(all.iter().zip(&cuts).map(|(k, cut)| {
            let call = a.get_session_and_user(k);
            async move {
                match cut {
                    Some(d) => tokio::time::timeout(*d, call).await.ok(),
                    None => Some(call.await),
                }
            }
        }))
        .await;
        for (k, got) in all.iter().zip(got) {
            if let Some(got) = got {
                assert_eq!(&got.unwrap(), &sessions[*k], "cut round {round}: {k:?}");
            }
        }
    }
    let got = tokio::time::timeout(
        Duration::from_secs(20),
        futures_join_all(all.iter().map(|k| a.get_session_and_user(k))),
    )
    .await
    .expect("calls after the cut rounds did not finish within 20 s");
    for (k, got) in all.iter().zip(got) {
        assert_eq!(&got.unwrap(), &sessions[*k], "after the cuts: {k:?}");
    }

    // A shared statement that fails: each call gets its own error, none waits forever.
    let session_table = match D::BACKEND {
        Backend::MySql => "DROP TABLE `Session`",
        _ => r#"DROP TABLE "Session""#,
    };
    db.raw(session_table).await;
    let got = tokio::time::timeout(
        Duration::from_secs(20),
        futures_join_all(all.iter().map(|k| a.get_session_and_user(k))),
    )
    .await
    .expect("calls on a missing table did not finish within 20 s");
    for (k, got) in all.iter().zip(got) {
        match got {
            Err(AdapterError::MissingTable { table, .. }) => assert_eq!(table, "Session"),
            other => panic!("{k:?} on a missing table: {other:?}"),
        }
    }
}

/// The same lookups from tasks on several worker threads, each cut at random points or not:
/// every answer that arrives is the call's own, and afterwards the adapter still serves.
pub async fn coalesced_reads_across_threads<D: SuiteDialect>(db: &TestDb<D>) {
    db.create_schema::<Kysely>().await;
    let a = SqlAdapter::<D, Kysely>::new(db.pool().clone());
    let fixture = Arc::new(seed(&a).await);
    let mut seeds = Rng::from_env_or_time();
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let (a, f, mut rng) = (a.clone(), fixture.clone(), Rng(seeds.next() | 1));
            tokio::spawn(async move {
                let sessions: Vec<&String> = f.sessions.keys().collect();
                let accounts: Vec<&(String, String)> = f.accounts.keys().collect();
                for _ in 0..150 {
                    let cut = (rng.below(4) == 0).then(|| Duration::from_micros(rng.below(2000)));
                    let limit = cut.unwrap_or(Duration::from_secs(20));
                    if rng.below(2) == 0 {
                        let k = sessions[rng.below(sessions.len() as u64) as usize];
                        match tokio::time::timeout(limit, a.get_session_and_user(k)).await {
                            Ok(got) => assert_eq!(&got.unwrap(), &f.sessions[k], "session {k:?}"),
                            Err(_) => assert!(cut.is_some(), "session {k:?}: no answer in 20 s"),
                        }
                    } else {
                        let k = accounts[rng.below(accounts.len() as u64) as usize];
                        let call = a.get_user_by_account(AccountKey::new(&k.0, &k.1));
                        match tokio::time::timeout(limit, call).await {
                            Ok(got) => assert_eq!(&got.unwrap(), &f.accounts[k], "account {k:?}"),
                            Err(_) => assert!(cut.is_some(), "account {k:?}: no answer in 20 s"),
                        }
                    }
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let all: Vec<&String> = fixture.sessions.keys().collect();
    let got = tokio::time::timeout(
        Duration::from_secs(20),
        futures_join_all(all.iter().map(|k| a.get_session_and_user(k))),
    )
    .await
    .expect("calls after the threads' rounds did not finish within 20 s");
    for (k, got) in all.iter().zip(got) {
        assert_eq!(&got.unwrap(), &fixture.sessions[*k], "afterwards: {k:?}");
    }
}
