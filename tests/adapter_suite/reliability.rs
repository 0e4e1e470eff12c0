//! The adapter when calls are cancelled, and on hostile input.
//!
//! - [`cancelled_operations`]: every write (and `use_verification_token`) dropped at random
//!   points, on a pool of 1 and of 5 reached through a proxy that makes every round trip a real
//!   `Pending`; afterwards every acknowledged write is there, no cancelled one is half done, no
//!   token was handed out twice, the pool still serves, the server has no open transaction, and
//!   `pool.close()` returns.
//! - [`hostile_input`]: out-of-range dates, integer extremes, NUL, megabyte strings, invalid and
//!   upper-case UUIDs: each round-trips exactly or is a clean `InvalidInput`, and the connection
//!   keeps working.
//! - [`lookups_are_exact`]: e-mails, tokens, provider ids and credential ids that only a
//!   case-, accent-, width- or pad-insensitive collation would confuse find only their own row.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use auth_adapter::{AccountKey, Adapter, AdapterError, SessionUpdate, SqlAdapter, UserUpdate};
use auth_schema::kysely::Schema as Kysely;
use auth_schema::{Account, Authenticator, Backend, NewUser, Session, User, VerificationToken};
use chrono::{DateTime, Duration as Days, NaiveDate, SubsecRound, Utc};

use super::{Raw, SuiteDialect, id};
use crate::common::TestDb;

#[path = "../support/delay_proxy.rs"]
mod delay_proxy;
pub use delay_proxy::DelayProxy;

// ------------------------------------------------------------------ helpers --

/// A small deterministic generator (xorshift64*), seeded per run and printed, so a failing
/// sequence of cancellations can be replayed with `CANCEL_SEED`.
pub struct Rng(pub u64);

impl Rng {
    pub fn from_env_or_time() -> Rng {
        let seed = std::env::var("CANCEL_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| uuid::Uuid::new_v4().as_u128() as u64 | 1);
        eprintln!("cancellation seed: CANCEL_SEED={seed}");
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Polls `inner` until it has returned `Pending` `polls` times, then drops it: a cancellation at
/// the `polls`-th `.await` that did not complete at once (0: never polled at all).
struct DropAfterPolls<F> {
    inner: Option<Pin<Box<F>>>,
    polls: u32,
}

impl<F: Future> Future for DropAfterPolls<F> {
    type Output = Option<F::Output>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if self.polls == 0 {
            self.inner = None;
            return Poll::Ready(None);
        }
        let Some(inner) = self.inner.as_mut() else {
            return Poll::Ready(None);
        };
        match inner.as_mut().poll(cx) {
            Poll::Ready(v) => Poll::Ready(Some(v)),
            Poll::Pending => {
                self.polls -= 1;
                if self.polls == 0 {
                    self.inner = None;
                    // Wake once more so the caller sees the cancellation now.
                    cx.waker().wake_by_ref();
                }
                Poll::Pending
            }
        }
    }
}

/// How one call is cut short: after a number of `Pending` polls, or by a timer (which also lets
/// the dropped call race the calls that follow it).
#[derive(Debug, Clone, Copy)]
enum Cut {
    Polls(u32),
    After(Duration),
}

impl Cut {
    /// A cut point; timers fall within `span`, about the time one call takes, so they land
    /// before, inside and after its round trips.
    ///
    /// Half the cuts count polls, which lands them at every `.await` whatever the machine's
    /// speed; timers (tokio's tick is a millisecond) cut a call only when it takes longer, which
    /// on a fast SQLite is rare.
    fn pick(rng: &mut Rng, span: Duration) -> Cut {
        let span = span.as_micros().max(1) as u64;
        match rng.below(4) {
            0 | 1 => Cut::Polls(rng.below(6) as u32),
            2 => Cut::After(Duration::ZERO),
            _ => Cut::After(Duration::from_micros(rng.below(span))),
        }
    }

    /// Runs `f`, cut as said; `None` (counted in `cut`) when it was cut before it completed.
    async fn run<T, F: Future<Output = T>>(self, cut: &AtomicUsize, f: F) -> Option<T> {
        let done = match self {
            Cut::Polls(polls) => {
                DropAfterPolls {
                    inner: Some(Box::pin(f)),
                    polls,
                }
                .await
            }
            Cut::After(d) => tokio::time::timeout(d, f).await.ok(),
        };
        if done.is_none() {
            cut.fetch_add(1, Ordering::Relaxed);
        }
        done
    }
}

/// What the database may hold for one row at the end: exactly `allowed[0]` for an acknowledged
/// write, or any of `allowed` for a cancelled one (whose outcome the caller never learned).
#[derive(Debug)]
enum Expect {
    User(String, Vec<Option<User>>),
    Session(String, Vec<Option<Session>>),
    Account(String, String, Vec<Option<Account>>),
    Token(String, String, Vec<Option<VerificationToken>>),
    Authenticator(String, Vec<Option<Authenticator>>),
}

fn either<T: Clone>(acked: bool, after: Option<T>, before: Option<T>) -> Vec<Option<T>> {
    if acked {
        vec![after]
    } else {
        vec![after, before]
    }
}

fn user(email: &str) -> User {
    User {
        id: id(),
        name: Some("Ada".into()),
        email: email.into(),
        email_verified: Some(Utc::now().trunc_subsecs(3)),
        image: None,
        extra: Default::default(),
    }
}

pub(super) fn new_user(u: &User) -> NewUser {
    NewUser {
        id: Some(u.id.clone()),
        name: u.name.clone(),
        email: u.email.clone(),
        email_verified: u.email_verified,
        image: u.image.clone(),
        extra: Default::default(),
    }
}

fn session(user_id: &str, expires: DateTime<Utc>) -> Session {
    Session {
        user_id: user_id.into(),
        session_token: id(),
        expires,
        extra: Default::default(),
    }
}

fn account(user_id: &str) -> Account {
    super::bare_account::<Kysely>(user_id, "github", &id(), "oauth")
}

fn authenticator(user_id: &str) -> Authenticator {
    super::authenticator_fixture::<Kysely>(user_id, &id(), "usb")
}

fn token(expires: DateTime<Utc>) -> VerificationToken {
    super::token_fixture::<Kysely>(&format!("{}@example.com", id()), expires)
}

/// Whether a call that was not cut short succeeded; none of these calls may fail.
#[track_caller]
fn acked<T>(round: usize, done: Option<Result<T, AdapterError>>) -> bool {
    match done {
        Some(Ok(_)) => true,
        Some(Err(e)) => panic!("round {round}: a call that ran to its end failed: {e}"),
        None => false,
    }
}

/// Must finish: what "the pool still serves" and "close returns" mean here.
async fn within<T>(what: &str, f: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), f)
        .await
        .unwrap_or_else(|_| panic!("{what} did not finish within 20 s"))
}

// ----------------------------------------------------------- cancellation --

/// Every adapter write, and `use_verification_token`, cut at random points (see [`Cut`]) on a
/// pool of `pool_size` connections; then the checks listed in the module docs. Reproduce a
/// failure with the printed `CANCEL_SEED`.
pub async fn cancelled_operations<D: SuiteDialect>(db: &TestDb<D>, pool_size: u32) {
    const KINDS: usize = 14;
    const ROUNDS: usize = KINDS * 16;
    db.create_schema::<Kysely>().await;
    let (pool, proxy) = D::pool_through(db.pool(), pool_size, Some(Duration::from_millis(1))).await;
    let adapter = SqlAdapter::<D, Kysely>::new(pool.clone());
    let a: &dyn Adapter<Kysely> = &adapter;
    let mut rng = Rng::from_env_or_time();
    let now = Utc::now().trunc_subsecs(3);
    let later = now + Days::days(7);
    let past = now - Days::days(7);
    let mut expect: Vec<Expect> = Vec::new();
    // Per token: how many acknowledged `use` calls got it.
    let mut taken: Vec<(VerificationToken, usize)> = Vec::new();
    let cut_count = AtomicUsize::new(0);
    // How long a two-statement call takes here: the timers' span.
    let span = {
        let start = std::time::Instant::now();
        for _ in 0..5 {
            let u = a
                .create_user(new_user(&user(&format!("{}@example.com", id()))))
                .await
                .unwrap();
            a.delete_user(&u.id).await.unwrap();
        }
        start.elapsed() / 5
    };

    for round in 0..ROUNDS {
        let cut = Cut::pick(&mut rng, span);
        let email = format!("r{round}-{}@example.com", id());
        match round % KINDS {
            0 => {
                let u = user(&email);
                let done = cut.run(&cut_count, a.create_user(new_user(&u))).await;
                if let Some(Ok(got)) = &done {
                    assert_eq!(got, &u, "round {round}: create_user returns the row");
                }
                let acked = acked(round, done);
                expect.push(Expect::User(u.id.clone(), either(acked, Some(u), None)));
            }
            1 => {
                let u = a.create_user(new_user(&user(&email))).await.unwrap();
                let update = UserUpdate {
                    name: Some(Some(format!("renamed {round}"))),
                    image: Some(Some("https://example.com/a.png".into())),
                    ..UserUpdate::new(&u.id)
                };
                let after = User {
                    name: Some(format!("renamed {round}")),
                    image: Some("https://example.com/a.png".into()),
                    ..u.clone()
                };
                let acked = acked(round, cut.run(&cut_count, a.update_user(update)).await);
                expect.push(Expect::User(
                    u.id.clone(),
                    either(acked, Some(after), Some(u)),
                ));
            }
            2 => {
                // A user with one of everything: a cancelled delete removes all of it or none.
                let u = a.create_user(new_user(&user(&email))).await.unwrap();
                let s = a.create_session(session(&u.id, later)).await.unwrap();
                let acc = a.link_account(account(&u.id)).await.unwrap();
                let au = a.create_authenticator(authenticator(&u.id)).await.unwrap();
                let acked = acked(round, cut.run(&cut_count, a.delete_user(&u.id)).await);
                // All four rows must share one fate: recorded as a group below.
                expect.push(Expect::User(
                    u.id.clone(),
                    either(acked, None, Some(u.clone())),
                ));
                expect.push(Expect::Session(
                    s.session_token.clone(),
                    either(acked, None, Some(s)),
                ));
                expect.push(Expect::Account(
                    acc.provider.clone(),
                    acc.provider_account_id.clone(),
                    either(acked, None, Some(acc)),
                ));
                expect.push(Expect::Authenticator(
                    au.credential_id.clone(),
                    either(acked, None, Some(au)),
                ));
            }
            3 => {
                let u = a.create_user(new_user(&user(&email))).await.unwrap();
                let acc = account(&u.id);
                let acked = acked(
                    round,
                    cut.run(&cut_count, a.link_account(acc.clone())).await,
                );
                expect.push(Expect::Account(
                    acc.provider.clone(),
                    acc.provider_account_id.clone(),
                    either(acked, Some(acc), None),
                ));
            }
            4 => {
                let u = a.create_user(new_user(&user(&email))).await.unwrap();
                let acc = a.link_account(account(&u.id)).await.unwrap();
                let acked = acked(
                    round,
                    cut.run(
                        &cut_count,
                        a.unlink_account(AccountKey::new(&acc.provider, &acc.provider_account_id)),
                    )
                    .await,
                );
                expect.push(Expect::Account(
                    acc.provider.clone(),
                    acc.provider_account_id.clone(),
                    either(acked, None, Some(acc)),
                ));
            }
            5 => {
                let u = a.create_user(new_user(&user(&email))).await.unwrap();
                let s = session(&u.id, later);
                let acked = acked(
                    round,
                    cut.run(&cut_count, a.create_session(s.clone())).await,
                );
                expect.push(Expect::Session(
                    s.session_token.clone(),
                    either(acked, Some(s), None),
                ));
            }
            6 => {
                let u = a.create_user(new_user(&user(&email))).await.unwrap();
                let s = a.create_session(session(&u.id, later)).await.unwrap();
                let moved = Session {
                    expires: later + Days::days(1),
                    ..s.clone()
                };
                let update = SessionUpdate {
                    expires: Some(moved.expires),
                    ..SessionUpdate::new(&s.session_token)
                };
                let acked = acked(round, cut.run(&cut_count, a.update_session(update)).await);
                expect.push(Expect::Session(
                    s.session_token.clone(),
                    either(acked, Some(moved), Some(s)),
                ));
            }
            7 => {
                let u = a.create_user(new_user(&user(&email))).await.unwrap();
                let s = a.create_session(session(&u.id, later)).await.unwrap();
                let acked = acked(
                    round,
                    cut.run(&cut_count, a.delete_session(&s.session_token))
                        .await,
                );
                expect.push(Expect::Session(
                    s.session_token.clone(),
                    either(acked, None, Some(s)),
                ));
            }
            8 => {
                let t = token(later);
                let acked = acked(
                    round,
                    cut.run(&cut_count, a.create_verification_token(t.clone()))
                        .await,
                );
                expect.push(Expect::Token(
                    t.identifier.clone(),
                    t.token.clone(),
                    either(acked, Some(t), None),
                ));
            }
            9 => {
                // Three callers at once, each cut on its own: at most one gets the token.
                let t = a.create_verification_token(token(later)).await.unwrap();
                let cuts = [
                    Cut::pick(&mut rng, span),
                    Cut::pick(&mut rng, span),
                    Cut::pick(&mut rng, span),
                ];
                let (r0, r1, r2) = tokio::join!(
                    cuts[0].run(
                        &cut_count,
                        a.use_verification_token(&t.identifier, &t.token)
                    ),
                    cuts[1].run(
                        &cut_count,
                        a.use_verification_token(&t.identifier, &t.token)
                    ),
                    cuts[2].run(
                        &cut_count,
                        a.use_verification_token(&t.identifier, &t.token)
                    ),
                );
                let results = [r0, r1, r2];
                let mut winners = 0;
                let mut all_acked = true;
                for r in results {
                    match r {
                        Some(Ok(Some(got))) => {
                            assert_eq!(got, t, "round {round}: the token as stored");
                            winners += 1;
                        }
                        Some(Ok(None)) => {}
                        Some(Err(e)) => panic!("round {round}: use_verification_token: {e}"),
                        None => all_acked = false,
                    }
                }
                assert!(
                    winners <= 1,
                    "round {round}: {winners} callers got one token"
                );
                if all_acked {
                    assert_eq!(
                        winners, 1,
                        "round {round}: the token existed, nobody got it"
                    );
                }
                let gone = winners == 1;
                expect.push(Expect::Token(
                    t.identifier.clone(),
                    t.token.clone(),
                    either(gone, None, Some(t.clone())),
                ));
                taken.push((t, winners));
            }
            10 => {
                let u = a.create_user(new_user(&user(&email))).await.unwrap();
                let au = authenticator(&u.id);
                let acked = acked(
                    round,
                    cut.run(&cut_count, a.create_authenticator(au.clone()))
                        .await,
                );
                expect.push(Expect::Authenticator(
                    au.credential_id.clone(),
                    either(acked, Some(au), None),
                ));
            }
            11 => {
                let u = a.create_user(new_user(&user(&email))).await.unwrap();
                let au = a.create_authenticator(authenticator(&u.id)).await.unwrap();
                let bumped = Authenticator {
                    counter: au.counter + 1000,
                    ..au.clone()
                };
                let acked = acked(
                    round,
                    cut.run(
                        &cut_count,
                        a.update_authenticator_counter(&au.credential_id, bumped.counter),
                    )
                    .await,
                );
                expect.push(Expect::Authenticator(
                    au.credential_id.clone(),
                    either(acked, Some(bumped), Some(au)),
                ));
            }
            12 => {
                let u = a.create_user(new_user(&user(&email))).await.unwrap();
                let old = a.create_session(session(&u.id, past)).await.unwrap();
                let acked = acked(
                    round,
                    cut.run(&cut_count, a.delete_expired_sessions(now)).await,
                );
                expect.push(Expect::Session(
                    old.session_token.clone(),
                    either(acked, None, Some(old)),
                ));
            }
            _ => {
                let old = a.create_verification_token(token(past)).await.unwrap();
                let acked = acked(
                    round,
                    cut.run(&cut_count, a.delete_expired_verification_tokens(now))
                        .await,
                );
                expect.push(Expect::Token(
                    old.identifier.clone(),
                    old.token.clone(),
                    either(acked, None, Some(old)),
                ));
            }
        }
    }
    let cancelled = cut_count.load(Ordering::Relaxed);
    eprintln!("{cancelled} calls cut short in {ROUNDS} rounds (timers within {span:?})");
    assert!(
        cancelled > ROUNDS / 8,
        "only {cancelled} of {ROUNDS} calls were cut"
    );

    // The pool still serves new calls (a dropped call must not hold or poison a connection).
    let probe = within(
        "a call after the cancellations",
        a.create_user(new_user(&user("after@example.com"))),
    )
    .await
    .expect("the pool serves new calls");
    // Calls cut by a timer may still be finishing; then nothing may be left inside a
    // transaction, on the server's own account.
    let mut open = -1;
    for _ in 0..100 {
        open = D::open_transactions(db.pool()).await;
        if open == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(open, 0, "a connection was left inside a transaction");
    within("pool.close()", pool.close()).await;
    drop(proxy);

    // Everything acknowledged is there, on a new pool (a write committed inside a leaked
    // transaction would only be visible to the connection that made it).
    let fresh = D::pool_through(db.pool(), 2, None).await.0;
    let raw = Raw::<D, Kysely>::new(&fresh);
    assert_eq!(raw.user(&probe.id).await.as_ref(), Some(&probe));
    for e in &expect {
        match e {
            Expect::User(id, allowed) => {
                let got = raw.user(id).await;
                assert!(
                    allowed.contains(&got),
                    "user {id}: {got:?} not in {allowed:?}"
                );
            }
            Expect::Session(token, allowed) => {
                let got = raw.session(token).await;
                assert!(
                    allowed.contains(&got),
                    "session {token}: {got:?} not in {allowed:?}"
                );
            }
            Expect::Account(p, pid, allowed) => {
                let got = raw.account(p, pid).await;
                assert!(
                    allowed.contains(&got),
                    "account {pid}: {got:?} not in {allowed:?}"
                );
            }
            Expect::Token(i, t, allowed) => {
                let got = raw.verification_token(i, t).await;
                assert!(
                    allowed.contains(&got),
                    "token {t}: {got:?} not in {allowed:?}"
                );
            }
            Expect::Authenticator(c, allowed) => {
                let got = raw.authenticator(c).await;
                assert!(
                    allowed.contains(&got),
                    "authenticator {c}: {got:?} not in {allowed:?}"
                );
            }
        }
    }
    // A deleted user takes all of their rows along, even when the delete was cut short.
    for (table, n) in raw.orphans().await {
        assert_eq!(n, 0, "{n} orphaned rows in {table}");
    }
    // No token is handed out again once a caller got it.
    let again = SqlAdapter::<D, Kysely>::new(fresh.clone());
    for (t, winners) in &taken {
        let second = again
            .use_verification_token(&t.identifier, &t.token)
            .await
            .unwrap();
        if *winners == 1 {
            assert_eq!(second, None, "token {} was used twice", t.token);
        }
    }
    fresh.close().await;
}

// ------------------------------------------------------------ hostile input --

/// What a value must give on one dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Stored, and read back exactly.
    RoundTrip,
    /// Refused with `AdapterError::InvalidInput`, nothing stored.
    Invalid,
}

use Outcome::{Invalid, RoundTrip};

fn at(y: i32, m: u32, d: u32, h: u32, mi: u32, s: u32, ms: u32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_milli_opt(h, mi, s, ms))
        .expect("a valid date")
        .and_utc()
}

/// Checks one hostile write: `RoundTrip` means `write` succeeded and `read` returns `expected`;
/// `Invalid` means `write` failed with `InvalidInput` and `read` finds nothing. Either way the
/// (single) connection must answer the probe afterwards.
async fn check<T: PartialEq + std::fmt::Debug>(
    what: &str,
    want: Outcome,
    write: Result<T, AdapterError>,
    read: Option<T>,
    expected: T,
    probe: impl Future<Output = Result<Option<User>, AdapterError>>,
) {
    match (want, write) {
        (RoundTrip, Ok(got)) => {
            assert_eq!(got, expected, "{what}: the returned row");
            assert_eq!(read, Some(expected), "{what}: read back");
        }
        (Invalid, Err(AdapterError::InvalidInput { .. })) => {
            assert_eq!(read, None, "{what}: nothing stored");
        }
        (want, got) => panic!("{what}: expected {want:?}, got {got:?}"),
    }
    let alive = within(&format!("a call after {what}"), probe).await;
    assert!(
        matches!(alive, Ok(Some(_))),
        "{what}: the connection does not work any more: {alive:?}"
    );
}

/// The hostile values of issue 7, through the adapter on a pool of one connection, so the
/// connection that saw the value is the one that must still work. The table is per dialect.
pub async fn hostile_input<D: SuiteDialect>(db: &TestDb<D>) {
    db.create_schema::<Kysely>().await;
    let (pool, _) = D::pool_through(db.pool(), 1, None).await;
    let a = SqlAdapter::<D, Kysely>::new(pool.clone());
    let raw = Raw::<D, Kysely>::new(&pool);
    let on = |pg_mysql_sqlite: [Outcome; 3]| match D::BACKEND {
        Backend::Postgres => pg_mysql_sqlite[0],
        Backend::MySql => pg_mysql_sqlite[1],
        Backend::Sqlite => pg_mysql_sqlite[2],
    };
    let owner = a
        .create_user(new_user(&user("owner@example.com")))
        .await
        .unwrap();
    let probe = || a.get_user(&owner.id);

    // Timestamps: the supported range is exactly 0001-01-01 ..= 9999-12-31T23:59:59.999Z.
    let dates = [
        (
            "0001-01-01T00:00:00.000Z",
            at(1, 1, 1, 0, 0, 0, 0),
            RoundTrip,
        ),
        (
            "9999-12-31T23:59:59.999Z",
            at(9999, 12, 31, 23, 59, 59, 999),
            RoundTrip,
        ),
        (
            "1969-12-31T23:59:59.999Z",
            at(1969, 12, 31, 23, 59, 59, 999),
            RoundTrip,
        ),
        ("year 0", at(0, 12, 31, 23, 59, 59, 999), Invalid),
        ("year -1", at(-1, 6, 1, 0, 0, 0, 0), Invalid),
        ("year 10000", at(10000, 1, 1, 0, 0, 0, 0), Invalid),
        ("DateTime::MIN_UTC", DateTime::<Utc>::MIN_UTC, Invalid),
        ("DateTime::MAX_UTC", DateTime::<Utc>::MAX_UTC, Invalid),
    ];
    for (label, t, want) in dates {
        let s = session(&owner.id, t);
        let w = a.create_session(s.clone()).await;
        check(
            &format!("create_session expires {label}"),
            want,
            w,
            raw.session(&s.session_token).await,
            s,
            probe(),
        )
        .await;

        let t_row = token(t);
        let w = a.create_verification_token(t_row.clone()).await;
        let r = raw
            .verification_token(&t_row.identifier, &t_row.token)
            .await;
        check(
            &format!("create_verification_token expires {label}"),
            want,
            w,
            r,
            t_row,
            probe(),
        )
        .await;

        let mut u = user(&format!("{}@example.com", id()));
        u.email_verified = Some(t);
        let w = a.create_user(new_user(&u)).await;
        check(
            &format!("create_user emailVerified {label}"),
            want,
            w,
            raw.user(&u.id).await,
            u,
            probe(),
        )
        .await;

        let s = a
            .create_session(session(&owner.id, Utc::now().trunc_subsecs(3)))
            .await
            .unwrap();
        let w = a
            .update_session(SessionUpdate {
                expires: Some(t),
                ..SessionUpdate::new(&s.session_token)
            })
            .await;
        let expected = Session {
            expires: t,
            ..s.clone()
        };
        let read = raw.session(&s.session_token).await;
        // A refused update leaves the row as it was.
        let read = match want {
            RoundTrip => read,
            Invalid => {
                assert_eq!(
                    read.as_ref(),
                    Some(&s),
                    "update_session {label}: the row is unchanged"
                );
                None
            }
        };
        check(
            &format!("update_session expires {label}"),
            want,
            w,
            read,
            expected,
            probe(),
        )
        .await;

        let w = a.delete_expired_sessions(t).await;
        match want {
            RoundTrip => assert!(w.is_ok(), "delete_expired_sessions({label}): {w:?}"),
            Invalid => assert!(
                matches!(w, Err(AdapterError::InvalidInput { .. })),
                "delete_expired_sessions({label}): {w:?}"
            ),
        }
    }
    // Sub-millisecond precision is truncated, the same on every dialect.
    let precise = at(2025, 1, 31, 12, 34, 56, 789) + Days::nanoseconds(123_456);
    let s = a.create_session(session(&owner.id, precise)).await.unwrap();
    assert_eq!(s.expires, at(2025, 1, 31, 12, 34, 56, 789));
    assert_eq!(
        raw.session(&s.session_token).await.unwrap().expires,
        s.expires
    );

    // Integer extremes.
    for n in [i64::MIN, i64::MAX, 0, -1] {
        let mut acc = account(&owner.id);
        acc.expires_at = Some(n);
        let w = a.link_account(acc.clone()).await;
        let r = raw.account(&acc.provider, &acc.provider_account_id).await;
        check(
            &format!("link_account expires_at {n}"),
            RoundTrip,
            w,
            r,
            acc,
            probe(),
        )
        .await;
        let au = a
            .create_authenticator(authenticator(&owner.id))
            .await
            .unwrap();
        let w = a.update_authenticator_counter(&au.credential_id, n).await;
        let expected = Authenticator {
            counter: n,
            ..au.clone()
        };
        check(
            &format!("update_authenticator_counter {n}"),
            RoundTrip,
            w,
            raw.authenticator(&au.credential_id).await,
            expected,
            probe(),
        )
        .await;
    }

    // NUL and long strings.
    let mb = "x".repeat(1 << 20);
    // (label, value, in name (varchar(255) on MySQL), in image (TEXT on MySQL), as a session token (indexed))
    type TextCase = (
        &'static str,
        String,
        [Outcome; 3],
        [Outcome; 3],
        [Outcome; 3],
    );
    let texts: [TextCase; 4] = [
        (
            "NUL",
            "a\0b".into(),
            [Invalid, RoundTrip, RoundTrip],
            [Invalid, RoundTrip, RoundTrip],
            [Invalid, RoundTrip, RoundTrip],
        ),
        (
            "1 MB",
            mb.clone(),
            [RoundTrip, Invalid, RoundTrip],
            [RoundTrip, Invalid, RoundTrip],
            [Invalid, Invalid, RoundTrip],
        ),
        (
            "255 characters",
            "é".repeat(255),
            [RoundTrip; 3],
            [RoundTrip; 3],
            [RoundTrip; 3],
        ),
        (
            "256 characters",
            "é".repeat(256),
            [RoundTrip, Invalid, RoundTrip],
            [RoundTrip; 3],
            [RoundTrip, Invalid, RoundTrip],
        ),
    ];
    for (label, value, in_name, in_image, as_token) in texts {
        let mut u = user(&format!("{}@example.com", id()));
        u.name = Some(value.clone());
        let w = a.create_user(new_user(&u)).await;
        check(
            &format!("create_user name {label}"),
            on(in_name),
            w,
            raw.user(&u.id).await,
            u,
            probe(),
        )
        .await;

        let mut u = user(&format!("{}@example.com", id()));
        u.image = Some(value.clone());
        let w = a.create_user(new_user(&u)).await;
        check(
            &format!("create_user image {label}"),
            on(in_image),
            w,
            raw.user(&u.id).await,
            u,
            probe(),
        )
        .await;

        let mut s = session(&owner.id, Utc::now().trunc_subsecs(3));
        s.session_token = value.clone();
        let w = a.create_session(s.clone()).await;
        // Postgres refuses NUL in a lookup too: no row can hold it.
        let r = if D::BACKEND == Backend::Postgres && value.contains('\0') {
            None
        } else {
            raw.session(&s.session_token).await
        };
        check(
            &format!("create_session token {label}"),
            on(as_token),
            w,
            r,
            s,
            probe(),
        )
        .await;

        // Lookups of such values find nothing and break nothing.
        let found = a.get_user_by_email(&value).await;
        assert!(
            matches!(found, Ok(None) | Err(AdapterError::InvalidInput { .. })),
            "get_user_by_email({label}): {found:?}"
        );
        assert!(matches!(within(label, probe()).await, Ok(Some(_))));
    }

    // Ids of the Uuid id type: only UUIDs, stored in lower case, found in any case.
    let upper = uuid::Uuid::new_v4().hyphenated().to_string().to_uppercase();
    let mut u = user("upper@example.com");
    u.id = upper.clone();
    let created = a.create_user(new_user(&u)).await.unwrap();
    assert_eq!(
        created.id,
        upper.to_lowercase(),
        "an upper-case UUID is stored in lower case"
    );
    assert_eq!(a.get_user(&upper).await.unwrap().as_ref(), Some(&created));
    assert_eq!(
        a.get_user(&created.id).await.unwrap().as_ref(),
        Some(&created)
    );
    let s = a
        .create_session(session(&upper, Utc::now().trunc_subsecs(3)))
        .await
        .unwrap();
    assert_eq!(s.user_id, created.id);
    // Prepare the INSERT on this one connection first: the defect was a 16-byte string bound as
    // the 16 bytes of a uuid once the statement's parameter types were known.
    for bad in [
        "0123456789abcdef",
        "not-a-uuid",
        "",
        "{00000000-0000-0000-0000-000000000000}",
        "00000000000000000000000000000000",
        "urn:uuid:00000000-0000-0000-0000-000000000000",
        "g0000000-0000-0000-0000-000000000000",
    ] {
        let mut u = user(&format!("{}@example.com", id()));
        u.id = bad.into();
        let w = a.create_user(new_user(&u)).await;
        assert!(
            matches!(w, Err(AdapterError::InvalidInput { .. })),
            "create_user(id {bad:?}): {w:?}"
        );
        assert_eq!(a.get_user(bad).await.unwrap(), None, "get_user({bad:?})");
        assert_eq!(
            a.get_user_by_email(&u.email).await.unwrap(),
            None,
            "nothing stored for {bad:?}"
        );
        let w = a
            .create_session(session(bad, Utc::now().trunc_subsecs(3)))
            .await;
        assert!(
            matches!(w, Err(AdapterError::InvalidInput { .. })),
            "create_session(user {bad:?}): {w:?}"
        );
        assert!(
            a.list_authenticators_by_user_id(bad)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(matches!(within(bad, probe()).await, Ok(Some(_))));
    }
    pool.close().await;
}

// ------------------------------------------------------------ exact lookups --

/// Pairs of values that a case-, accent-, width-, emoji- or pad-insensitive comparison takes
/// for one: under MariaDB's `utf8mb4_unicode_ci`, whoever controls the mailbox `strasse@…`
/// was signed in as the owner of `straße@…`. Each must find only its own row.
pub async fn lookups_are_exact<D: SuiteDialect>(db: &TestDb<D>) {
    db.create_schema::<Kysely>().await;
    let a = SqlAdapter::<D, Kysely>::new(db.pool().clone());
    let mut pairs: Vec<(&str, &str)> = vec![
        ("straße@x.io", "strasse@x.io"),
        ("Ada@x.io", "ada@x.io"),
        ("😀@x.io", "🐍@x.io"),
        ("a@x.io", "a@x.io "),
        ("ｆｕｌｌ@x.io", "full@x.io"),
        ("é@x.io", "e\u{301}@x.io"),
        ("ﬁ@x.io", "fi@x.io"),
    ];
    if D::BACKEND != Backend::Postgres {
        pairs.push(("nul\0@x.io", "nul@x.io"));
    }
    let later = Utc::now().trunc_subsecs(3) + Days::days(1);
    for (first, second) in pairs {
        let what = format!("{first:?} / {second:?}");
        // Both can exist: neither is a duplicate of the other.
        let u1 = a
            .create_user(new_user(&user(first)))
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        let u2 = a
            .create_user(new_user(&user(second)))
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(
            a.get_user_by_email(first).await.unwrap().as_ref(),
            Some(&u1),
            "{what}"
        );
        assert_eq!(
            a.get_user_by_email(second).await.unwrap().as_ref(),
            Some(&u2),
            "{what}"
        );

        // Session tokens, account ids, credential ids, verification tokens.
        let s1 = a
            .create_session(Session {
                session_token: first.into(),
                ..session(&u1.id, later)
            })
            .await
            .unwrap();
        let s2 = a
            .create_session(Session {
                session_token: second.into(),
                ..session(&u2.id, later)
            })
            .await
            .unwrap();
        assert_eq!(
            a.get_session_and_user(first).await.unwrap(),
            Some((s1, u1.clone())),
            "{what}"
        );
        assert_eq!(
            a.get_session_and_user(second).await.unwrap(),
            Some((s2, u2.clone())),
            "{what}"
        );

        let acc = |u: &User, pid: &str| Account {
            provider_account_id: pid.into(),
            provider: "Prov".into(),
            ..account(&u.id)
        };
        a.link_account(acc(&u1, first)).await.unwrap();
        a.link_account(acc(&u2, second)).await.unwrap();
        assert_eq!(
            a.get_user_by_account(AccountKey::new("Prov", first))
                .await
                .unwrap()
                .as_ref(),
            Some(&u1),
            "{what}"
        );
        assert_eq!(
            a.get_user_by_account(AccountKey::new("Prov", second))
                .await
                .unwrap()
                .as_ref(),
            Some(&u2),
            "{what}"
        );
        assert_eq!(
            a.get_user_by_account(AccountKey::new("prov", first))
                .await
                .unwrap(),
            None,
            "{what}: provider case"
        );

        let au = |u: &User, c: &str| Authenticator {
            credential_id: c.into(),
            ..authenticator(&u.id)
        };
        let c1 = a.create_authenticator(au(&u1, first)).await.unwrap();
        let c2 = a.create_authenticator(au(&u2, second)).await.unwrap();
        assert_eq!(
            a.get_authenticator(first).await.unwrap(),
            Some(c1),
            "{what}"
        );
        assert_eq!(
            a.get_authenticator(second).await.unwrap(),
            Some(c2),
            "{what}"
        );

        // A verification token for `first` is not usable through `second`, in either field.
        let t = a
            .create_verification_token(VerificationToken {
                identifier: first.into(),
                token: format!("{first}-token"),
                expires: later,
                extra: Default::default(),
            })
            .await
            .unwrap();
        assert_eq!(
            a.use_verification_token(second, &t.token).await.unwrap(),
            None,
            "{what}: identifier"
        );
        assert_eq!(
            a.use_verification_token(first, &format!("{second}-token"))
                .await
                .unwrap(),
            None,
            "{what}: token"
        );
        assert_eq!(
            a.use_verification_token(first, &t.token).await.unwrap(),
            Some(t),
            "{what}"
        );
    }
}

// ------------------------------------------------- connections ended while idle --

/// The pool does not ping a connection when it hands one out (`ConnectOptions`' default), so
/// the server ending idle connections (a restart, an administrator, an idle timeout) is found
/// when they are next used. Every read still succeeds: it runs once more on a live connection.
/// The writes after them succeed too, since the reads closed the dead connections they met.
pub async fn reads_survive_connections_ended_while_idle<D: SuiteDialect>(db: &TestDb<D>) {
    const POOL: u32 = 4;
    db.create_schema::<Kysely>().await;
    let pool = sqlx::pool::PoolOptions::<D::Db>::new()
        .max_connections(POOL)
        .test_before_acquire(false)
        .connect_with((*db.pool().connect_options()).clone())
        .await
        .expect("the pool under test");
    let a = SqlAdapter::<D, Kysely>::new(pool.clone());
    let user = a
        .create_user(new_user(&user("idle@example.com")))
        .await
        .unwrap();
    a.link_account(super::bare_account::<Kysely>(
        &user.id, "github", "idle-1", "oauth",
    ))
    .await
    .unwrap();
    let token = id();
    a.create_session(Session {
        user_id: user.id.clone(),
        session_token: token.clone(),
        expires: Utc::now().trunc_subsecs(3) + Days::days(1),
        extra: Default::default(),
    })
    .await
    .unwrap();

    for round in 0..3 {
        // Every connection of the pool open and idle, then ended by the server.
        let mut conns = Vec::new();
        for _ in 0..POOL {
            conns.push(pool.acquire().await.unwrap());
        }
        let mut ids = Vec::new();
        for conn in &mut conns {
            match D::session_id(&mut **conn).await {
                Some(id) => ids.push(id),
                None => return, // SQLite: no server to end a connection
            }
        }
        drop(conns);
        D::end_sessions(db.pool(), &ids).await;
        tokio::time::sleep(Duration::from_millis(100)).await;

        // As many reads at once as the pool has connections, of each kind.
        let reads = (0..POOL).map(|i| {
            let (a, token, user) = (&a, &token, &user);
            async move {
                match (round + i as usize) % 3 {
                    0 => a.get_session_and_user(token).await.map(|r| r.is_some()),
                    1 => a
                        .get_user_by_account(AccountKey::new("github", "idle-1"))
                        .await
                        .map(|r| r.is_some()),
                    _ => a.get_user(&user.id).await.map(|r| r.is_some()),
                }
            }
        });
        for (i, read) in futures_join_all(reads).await.into_iter().enumerate() {
            match read {
                Ok(found) => assert!(found, "round {round}, read {i}: the row was not found"),
                Err(e) => panic!(
                    "round {round}, read {i} failed after the server ended idle connections: {e:?}"
                ),
            }
        }
        a.update_user(UserUpdate {
            name: Some(Some(format!("round {round}"))),
            ..UserUpdate::new(&user.id)
        })
        .await
        .unwrap_or_else(|e| panic!("round {round}: a write after the reads failed: {e:?}"));
    }
    pool.close().await;
}

/// Awaits every future, concurrently, in one task.
pub(super) async fn futures_join_all<F: Future>(
    futures: impl IntoIterator<Item = F>,
) -> Vec<F::Output> {
    let mut pending: Vec<Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut out: Vec<Option<F::Output>> = pending.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut all = true;
        for (i, f) in pending.iter_mut().enumerate() {
            if out[i].is_none() {
                match f.as_mut().poll(cx) {
                    Poll::Ready(v) => out[i] = Some(v),
                    Poll::Pending => all = false,
                }
            }
        }
        if all { Poll::Ready(()) } else { Poll::Pending }
    })
    .await;
    out.into_iter().map(|o| o.unwrap()).collect()
}
