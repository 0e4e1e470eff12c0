//! A sqlx pool over the hosts of a [`PgUrl`]: each new connection is checked against
//! `target_session_attrs`, and the pool follows the qualifying host through a failover.
//!
//! sqlx 0.9 connects a pool to one host (its `PgConnectOptions`), and retries that host while
//! it refuses connections. So the pool is given the options of the host that qualified last,
//! and three hooks do the rest:
//!
//! - `after_connect` asks the new connection's server what it is (`pg_is_in_recovery()`,
//!   `transaction_read_only`). If it does not qualify (the old primary came back as a standby),
//!   the hosts are tried in order, the connection is replaced by one to the first that
//!   qualifies, and the pool's options move to that host.
//! - `before_acquire` drops idle connections opened before such a move, and pings the others
//!   (in place of sqlx's `test_before_acquire`); `after_release` drops connections opened before
//!   a move when they come back. A connection to the old primary thus never serves a call after
//!   the pool moved.
//! - When a connection fails (a ping, or a call reported through [`report_error`]), a task
//!   looks for the qualifying host in the background, again and again for up to a minute, and
//!   moves the pool there. This covers the old primary being gone for good: sqlx would retry
//!   its refused port until each acquire times out.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use sqlx::Connection;
use sqlx::postgres::{PgConnection, PgPool, PgPoolOptions};

use crate::url::{HostPort, PgUrl, Role, TargetSessionAttrs, one_line};

/// Why no connection could be made.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Every host was tried and none qualifies under `target_session_attrs` (or none answered).
    #[error("{message}")]
    NoHost {
        /// One line: the attribute wanted, then each host and what it was.
        message: String,
    },
    /// The pool could not be opened on the host that qualified (or, for a URL of one host, on
    /// that host).
    #[error("cannot connect to PostgreSQL at {host}: {message}")]
    Connect {
        /// The host.
        host: String,
        /// The driver's message, on one line.
        message: String,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },
}

/// How long a host may take to accept a connection when the hosts are searched, unless the URL
/// gives `connect_timeout`.
const DEFAULT_PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// How long the background search keeps trying after a failure, before waiting for the next.
const SEARCH_FOR: Duration = Duration::from_secs(60);

/// The longest pause between two rounds of the background search (it starts at 50 ms): how
/// late, at most, a promotion is noticed.
const MAX_PAUSE: Duration = Duration::from_millis(250);

/// Opens a pool of `options` on `url`.
///
/// For a URL of one host without `target_session_attrs` (or with `any`), this is sqlx's
/// `options.connect_with(url.connect_options())`. Otherwise the hosts are tried in order until
/// one qualifies (an error lists what each one was), and the pool opens there and follows a
/// failover (see the module docs). The pool's `after_connect`, `before_acquire` and
/// `after_release` hooks are then this crate's, and `test_before_acquire` is done by its
/// `before_acquire`.
///
/// Close such a pool (`pool.close().await`) when done with it: until then it stays reachable
/// from its failover state (a handle held for [`report_error`]), even when every other handle
/// is dropped.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use auth_pg_connect::{PgUrl, connect_pool};
/// let url = PgUrl::parse("postgres://app:pw@db1,db2/auth?target_session_attrs=read-write")?;
/// let pool = connect_pool(&url, sqlx::postgres::PgPoolOptions::new().max_connections(20)).await?;
/// # Ok(()) }
/// ```
pub async fn connect_pool(url: &PgUrl, options: PgPoolOptions) -> Result<PgPool, Error> {
    if !url.needs_routing() {
        return options
            .connect_with(url.connect_options())
            .await
            .map_err(|e| connect_error(&url.hosts()[0], e));
    }
    let router = Arc::new(Router {
        url: url.clone(),
        probe_timeout: url.connect_timeout().unwrap_or(DEFAULT_PROBE_TIMEOUT),
        current: AtomicUsize::new(0),
        switched_at: Mutex::new(None),
        pool: Mutex::new(None),
        closed: AtomicBool::new(false),
        searching: AtomicBool::new(false),
        found: tokio::sync::Notify::new(),
    });
    let (index, probe) = router.find(false).await.map_err(Error::from)?;
    let _ = probe.close().await;
    router.current.store(index, Ordering::SeqCst);

    let ping = options.get_test_before_acquire();
    let (on_connect, on_acquire, on_release) = (router.clone(), router.clone(), router.clone());
    let pool = options
        .test_before_acquire(false)
        .after_connect(move |conn, _meta| {
            let router = on_connect.clone();
            Box::pin(async move { router.admit(conn).await })
        })
        .before_acquire(move |conn, meta| {
            let router = on_acquire.clone();
            Box::pin(async move { router.check_idle(conn, meta.age, ping).await })
        })
        .after_release(move |_conn, meta| {
            let keep = !on_release.is_stale(meta.age);
            Box::pin(async move { Ok(keep) })
        })
        .connect_with(router.url.connect_options_for(index))
        .await
        .map_err(|e| connect_error(&router.url.hosts()[index], e))?;

    // The pool is reachable from the router (to move it), until it is closed.
    *lock(&router.pool) = Some(pool.clone());
    pool.set_connect_options(
        router
            .url
            .connect_options_for(router.current.load(Ordering::SeqCst)),
    );
    let closed = pool.close_event();
    let weak = Arc::downgrade(&router);
    tokio::spawn(async move {
        closed.await;
        if let Some(router) = weak.upgrade() {
            router.closed.store(true, Ordering::Release);
            lock(&router.pool).take();
        }
    });
    register(&pool, &router);
    Ok(pool)
}

/// Tells the pool that a call on it failed with `error`. When the error means the connection
/// or the server went away (I/O, a pool timeout, a shutdown, a read-only server refusing a
/// write), a pool made by [`connect_pool`] over several hosts (or with `target_session_attrs`)
/// looks for the qualifying host in the background. Does nothing for other errors or other
/// pools; cheap enough for every error.
pub fn report_error(pool: &PgPool, error: &sqlx::Error) {
    if !is_failover_error(error) {
        return;
    }
    if let Some(router) = lookup(pool) {
        router.search();
    }
}

/// Whether `error` can come from a server going away or changing role: I/O and TLS errors, a
/// pool timeout, SQLSTATE class 08 (connection exception), 57P01–57P03 (shutdown, crash,
/// cannot connect now), 25006 (read-only transaction) and 40001 under a failover's cancel.
pub fn is_failover_error(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|c| {
            c.starts_with("08") || matches!(&*c, "57P01" | "57P02" | "57P03" | "25006")
        }),
        _ => false,
    }
}

/// The host new connections of `pool` go to, for a pool made by [`connect_pool`] that routes
/// (several hosts, or `target_session_attrs`); `None` for other pools.
pub fn current_host(pool: &PgPool) -> Option<HostPort> {
    lookup(pool).map(|r| r.url.hosts()[r.current.load(Ordering::SeqCst)].clone())
}

/// Connects to the first host of `url` that qualifies, in order (one connection, no pool).
pub async fn connect_one(url: &PgUrl) -> Result<PgConnection, Error> {
    if !url.needs_routing() {
        return PgConnection::connect_with(&url.connect_options())
            .await
            .map_err(|e| connect_error(&url.hosts()[0], e));
    }
    let router = Router {
        url: url.clone(),
        probe_timeout: url.connect_timeout().unwrap_or(DEFAULT_PROBE_TIMEOUT),
        current: AtomicUsize::new(0),
        switched_at: Mutex::new(None),
        pool: Mutex::new(None),
        closed: AtomicBool::new(false),
        searching: AtomicBool::new(false),
        found: tokio::sync::Notify::new(),
    };
    router
        .find(false)
        .await
        .map(|(_, conn)| conn)
        .map_err(Error::from)
}

fn connect_error(host: &HostPort, e: sqlx::Error) -> Error {
    Error::Connect {
        host: host.to_string(),
        message: one_line(&e.to_string()),
        source: e,
    }
}

/// A mutex whose poisoning (a panic while held) leaves plain data intact.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The failover state of one pool.
struct Router {
    url: PgUrl,
    /// How long one host may take to accept a connection during a search.
    probe_timeout: Duration,
    /// The index of the host the pool's options point at.
    current: AtomicUsize,
    /// When the pool last moved to another host: connections opened before are dropped.
    switched_at: Mutex<Option<Instant>>,
    /// The pool, to move it; `None` before it is made and once it is closed.
    pool: Mutex<Option<PgPool>>,
    /// The pool was closed.
    closed: AtomicBool,
    /// A background search is running.
    searching: AtomicBool,
    /// Woken when a background search found a qualifying host.
    found: tokio::sync::Notify,
}

/// No host qualified: why (one line), and the hosts that answered, in the order tried.
struct Miss {
    message: String,
    reachable: Vec<usize>,
}

impl From<Miss> for Error {
    fn from(miss: Miss) -> Self {
        Error::NoHost {
            message: miss.message,
        }
    }
}

impl Router {
    fn attrs(&self) -> TargetSessionAttrs {
        self.url.target_session_attrs()
    }

    /// A connection to host `i`, and what its server is.
    async fn try_host(&self, i: usize) -> Result<(PgConnection, Role), String> {
        let options = self.url.connect_options_for(i);
        let mut conn =
            match tokio::time::timeout(self.probe_timeout, PgConnection::connect_with(&options))
                .await
            {
                Ok(Ok(conn)) => conn,
                Ok(Err(e)) => return Err(one_line(&e.to_string())),
                Err(_) => {
                    return Err(format!(
                        "no answer within {} s",
                        self.probe_timeout.as_secs_f32()
                    ));
                }
            };
        match role(&mut conn).await {
            Ok(role) => Ok((conn, role)),
            Err(e) => {
                let _ = conn.close_hard().await;
                Err(one_line(&e.to_string()))
            }
        }
    }

    /// The first host that qualifies: the current one first when `current_first` (a pool keeps
    /// its host while it qualifies), then every host in the URL's order. For `prefer-standby`,
    /// the first host that answered when none is a standby.
    async fn find(&self, current_first: bool) -> Result<(usize, PgConnection), Miss> {
        let n = self.url.hosts().len();
        let current = self.current.load(Ordering::SeqCst);
        let order: Vec<usize> = if current_first {
            core::iter::once(current)
                .chain((0..n).filter(|&i| i != current))
                .collect()
        } else {
            (0..n).collect()
        };
        let attrs = self.attrs();
        let mut outcomes = Vec::with_capacity(n);
        let mut fallback: Option<(usize, PgConnection)> = None;
        let mut reachable = Vec::new();
        for i in order {
            match self.try_host(i).await {
                Ok((conn, role)) if attrs.accepts(role) => {
                    if let Some((_, c)) = fallback {
                        let _ = c.close().await;
                    }
                    return Ok((i, conn));
                }
                Ok((conn, role)) => {
                    reachable.push(i);
                    outcomes.push(format!("{} is {role}", self.url.hosts()[i]));
                    if attrs == TargetSessionAttrs::PreferStandby && fallback.is_none() {
                        fallback = Some((i, conn));
                    } else {
                        let _ = conn.close().await;
                    }
                }
                Err(e) => outcomes.push(format!("{}: {e}", self.url.hosts()[i])),
            }
        }
        if let Some(found) = fallback {
            return Ok(found);
        }
        let wanted = match attrs {
            TargetSessionAttrs::Any => "reachable".to_owned(),
            TargetSessionAttrs::ReadWrite => "read-write".to_owned(),
            TargetSessionAttrs::ReadOnly => "read-only".to_owned(),
            TargetSessionAttrs::Primary => "a primary".to_owned(),
            TargetSessionAttrs::Standby | TargetSessionAttrs::PreferStandby => {
                "a standby".to_owned()
            }
        };
        Err(Miss {
            message: format!(
                "no PostgreSQL host is {wanted} (target_session_attrs={attrs}, {n} host{} tried): {}",
                if n == 1 { "" } else { "s" },
                outcomes.join("; ")
            ),
            reachable,
        })
    }

    /// `after_connect`: keeps a connection whose server qualifies; otherwise replaces it with
    /// one to the first host that does, and moves the pool there.
    async fn admit(self: &Arc<Self>, conn: &mut PgConnection) -> Result<(), sqlx::Error> {
        let attrs = self.attrs();
        if matches!(
            attrs,
            TargetSessionAttrs::Any | TargetSessionAttrs::PreferStandby
        ) {
            return Ok(());
        }
        if attrs.accepts(role(conn).await?) {
            return Ok(());
        }
        // The server does not qualify (a standby, or the old primary back as one). Replace the
        // connection with one to the host the pool now points at, once that one qualifies:
        // the background search (one at a time) moves the pool to the first host that does,
        // and wakes the connections waiting here. The pool's acquire timeout bounds the wait
        // (it drops this future); waiting here, rather than failing into the pool's backoff
        // (up to a fifth of that timeout), lets the calls go on as soon as a primary is found.
        // Most likely, this connection went to the host the pool points at: no need to try it
        // again before the search moves the pool.
        let mut tried = Some(self.current.load(Ordering::SeqCst));
        loop {
            let found = self.found.notified();
            tokio::pin!(found);
            found.as_mut().enable();
            let current = self.current.load(Ordering::SeqCst);
            if tried.take() != Some(current)
                && let Ok((fresh, role)) = self.try_host(current).await
            {
                if attrs.accepts(role) {
                    let stale = core::mem::replace(conn, fresh);
                    let _ = stale.close().await;
                    return Ok(());
                }
                let _ = fresh.close().await;
            }
            self.search();
            let _ = tokio::time::timeout(Duration::from_secs(5), found).await;
        }
    }

    /// `before_acquire`: drops a connection opened before the pool moved; pings the others
    /// when the pool was to test connections before handing them out.
    async fn check_idle(
        self: &Arc<Self>,
        conn: &mut PgConnection,
        age: Duration,
        ping: bool,
    ) -> Result<bool, sqlx::Error> {
        if self.is_stale(age) {
            return Ok(false);
        }
        if ping && let Err(e) = conn.ping().await {
            self.search();
            return Err(e);
        }
        Ok(true)
    }

    /// Whether a connection of this age was opened before the pool last moved.
    fn is_stale(&self, age: Duration) -> bool {
        let Some(switched) = *lock(&self.switched_at) else {
            return false;
        };
        Instant::now()
            .checked_sub(age)
            .is_none_or(|opened| opened < switched)
    }

    /// Points the pool at host `i`; connections opened before are dropped from now on.
    fn switch_to(&self, i: usize) {
        let before = self.current.swap(i, Ordering::SeqCst);
        if before == i {
            return;
        }
        *lock(&self.switched_at) = Some(Instant::now());
        if let Some(pool) = lock(&self.pool).as_ref() {
            pool.set_connect_options(self.url.connect_options_for(i));
        }
        tracing::warn!(
            from = %self.url.hosts()[before],
            to = %self.url.hosts()[i],
            target_session_attrs = %self.attrs(),
            "PostgreSQL: new connections now go to {}",
            self.url.hosts()[i]
        );
    }

    /// Starts the background search for the qualifying host, unless one is running.
    fn search(self: &Arc<Self>) {
        if self.searching.swap(true, Ordering::AcqRel) {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            self.searching.store(false, Ordering::Release);
            return;
        };
        let this = self.clone();
        runtime.spawn(async move {
            let deadline = Instant::now() + SEARCH_FOR;
            let mut pause = Duration::from_millis(50);
            loop {
                if this.closed.load(Ordering::Acquire) {
                    break;
                }
                let found = {
                    match this.find(true).await {
                        Ok((i, conn)) => {
                            this.switch_to(i);
                            Ok(conn)
                        }
                        Err(miss) => {
                            // No host qualifies yet (a standby is being promoted). When the
                            // pool's host does not even answer, point the pool at one that
                            // does: its connections then wait in `admit` for the promotion,
                            // instead of backing off from a refused port for seconds.
                            let current = this.current.load(Ordering::SeqCst);
                            if !miss.reachable.contains(&current)
                                && let Some(&other) = miss.reachable.first()
                            {
                                this.switch_to(other);
                            }
                            Err(miss)
                        }
                    }
                };
                match found {
                    Ok(conn) => {
                        this.found.notify_waiters();
                        let _ = conn.close().await;
                        break;
                    }
                    Err(miss) if Instant::now() >= deadline => {
                        tracing::warn!(error = %miss.message, "PostgreSQL: still no qualifying host; searching again at the next failure");
                        break;
                    }
                    Err(_) => {
                        tokio::time::sleep(pause).await;
                        pause = (pause * 2).min(MAX_PAUSE);
                    }
                }
            }
            this.searching.store(false, Ordering::Release);
        });
    }
}

/// `pg_is_in_recovery()` and `transaction_read_only`, over the simple query protocol (no
/// prepared statement: a pooler in between is fine).
pub(crate) async fn role(conn: &mut PgConnection) -> Result<Role, sqlx::Error> {
    use sqlx::Row;
    let row = sqlx::raw_sql("SELECT pg_is_in_recovery(), current_setting('transaction_read_only')")
        .fetch_one(&mut *conn)
        .await?;
    let in_recovery: bool = row.try_get(0)?;
    let read_only: String = row.try_get(1)?;
    Ok(Role {
        in_recovery,
        read_only: read_only == "on",
    })
}

// ------------------------------------------------------------------------------ registry --

/// The routing pools, by the address of their options (stable while the pool lives, and the
/// router keeps it alive until it is closed).
static ROUTERS: Mutex<Vec<(usize, Weak<Router>)>> = Mutex::new(Vec::new());

fn key(pool: &PgPool) -> usize {
    pool.options() as *const PgPoolOptions as usize
}

fn register(pool: &PgPool, router: &Arc<Router>) {
    let mut routers = lock(&ROUTERS);
    routers.retain(|(_, r)| r.strong_count() > 0);
    routers.push((key(pool), Arc::downgrade(router)));
}

fn lookup(pool: &PgPool) -> Option<Arc<Router>> {
    let k = key(pool);
    lock(&ROUTERS)
        .iter()
        .filter(|(key, _)| *key == k)
        .filter_map(|(_, r)| r.upgrade())
        .find(|r| !r.closed.load(Ordering::Acquire) && lock(&r.pool).is_some())
}
