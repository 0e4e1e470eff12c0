//! Concurrent reads that share a statement (`SqlAdapter::coalesce_reads`, on by default).
//!
//! [`coalesced_reads`] fires many `get_session_and_user` and `get_user_by_account` calls at
//! once, on keys that only a case-, pad- or width-insensitive comparison would confuse, on
//! missing keys and on swapped account keys, and checks that each call gets exactly its own
//! answer, that calls did share statements, that a call made after a write ended sees it while
//! other reads keep the statements busy, that calls cut at random points leave the others
//! correct and the adapter serving, and that a failed shared statement gives each call its own
//! error.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use auth_adapter::{AccountKey, AdapterError, SqlAdapter};
use auth_schema::kysely::Schema as Kysely;
use auth_schema::{Backend, Session, User};
use chrono::{Duration as Days, SubsecRound, Utc};
use tracing::field::{Field, Visit};

use super::reliability::Rng;
use super::{SuiteDialect, id};
use crate::common::TestDb;

/// Counts the adapter's "coalesced reads" events and the reads they answered.
#[derive(Clone, Default)]
struct Shared {
    statements: Arc<AtomicUsize>,
    reads: Arc<AtomicUsize>,
}

struct ReadsField(Option<u64>);

impl Visit for ReadsField {
    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == "reads" {
            self.0 = Some(value);
        }
    }
    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}

impl tracing::Subscriber for Shared {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut reads = ReadsField(None);
        event.record(&mut reads);
        if let Some(n) = reads.0 {
            self.statements.fetch_add(1, Ordering::Relaxed);
            self.reads.fetch_add(n as usize, Ordering::Relaxed);
        }
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

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

/// Calls sharing statements get exactly their own answers; see the module docs.
pub async fn coalesced_reads<D: SuiteDialect>(db: &TestDb<D>) {
    db.create_schema::<Kysely>().await;
    let shared = Shared::default();
    let _guard = tracing::subscriber::set_default(shared.clone());
    let a = SqlAdapter::<D, Kysely>::new(db.pool().clone());
    let later = Utc::now().trunc_subsecs(3) + Days::days(1);

    // Sessions and accounts under lookalike keys, and under random ones.
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
    // Keys that exist nowhere.
    for missing in ["ADA", "a  ", "", "%", "STRASSE", "'", "p"] {
        sessions.entry(missing.into()).or_insert(None);
        accounts.entry(("p".into(), missing.into())).or_insert(None);
        accounts.entry((missing.into(), "P".into())).or_insert(None);
    }
    accounts.insert(("P".into(), keys[0].clone()), None);

    // Every key twice, shuffled, all at once in one task: all but the first calls queue.
    let mut rng = Rng::from_env_or_time();
    for round in 0..3 {
        let mut calls: Vec<&String> = sessions.keys().chain(sessions.keys()).collect();
        shuffle(&mut rng, &mut calls);
        let before = shared.statements.load(Ordering::Relaxed);
        let got =
            super::reliability::futures_join_all(calls.iter().map(|k| a.get_session_and_user(k)))
                .await;
        for (k, got) in calls.iter().zip(got) {
            assert_eq!(&got.unwrap(), &sessions[*k], "round {round}: session {k:?}");
        }
        assert!(
            shared.statements.load(Ordering::Relaxed) > before,
            "round {round}: no call shared a statement"
        );

        let mut calls: Vec<&(String, String)> = accounts.keys().chain(accounts.keys()).collect();
        shuffle(&mut rng, &mut calls);
        let got = super::reliability::futures_join_all(
            calls
                .iter()
                .map(|(p, id)| a.get_user_by_account(AccountKey::new(p, id))),
        )
        .await;
        for (k, got) in calls.iter().zip(got) {
            assert_eq!(&got.unwrap(), &accounts[*k], "round {round}: account {k:?}");
        }
    }
    let (statements, reads) = (
        shared.statements.load(Ordering::Relaxed),
        shared.reads.load(Ordering::Relaxed),
    );
    assert!(
        reads > 2 * statements,
        "{reads} reads in {statements} shared statements: calls hardly shared them"
    );

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
        let got = super::reliability::futures_join_all(all.iter().zip(&cuts).map(|(k, cut)| {
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
        super::reliability::futures_join_all(all.iter().map(|k| a.get_session_and_user(k))),
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
        super::reliability::futures_join_all(all.iter().map(|k| a.get_session_and_user(k))),
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

fn shuffle<T>(rng: &mut Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        items.swap(i, rng.below(i as u64 + 1) as usize);
    }
}
