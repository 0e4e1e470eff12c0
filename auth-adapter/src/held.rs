//! Connections the adapter keeps checked out of the sqlx pool between two of its statements.
//!
//! sqlx 0.9 pings every connection that goes back to its pool (`PoolConnection`'s drop spawns a
//! task that sends a ping and waits for the answer), so a statement run on `&Pool` costs two
//! round trips, two tasks and the wake-ups between them: on a small read, about half of the
//! client's CPU and of the server's work per call (see BENCHMARKS.md). The adapter therefore
//! keeps the connections it used for a short while and runs its next statements on them:
//!
//! - a statement waiting for a connection of the pool is handed the next connection the
//!   adapter is done with, in the order they came, so holding never starves its own callers;
//! - a connection unused for [`IDLE`] goes back to the pool (a sweeper task runs while any is
//!   held), and every connection goes back at least every [`RECYCLE`], so other users of the
//!   pool wait at most that long for one, and the pool's own checks (its ping, `max_lifetime`,
//!   `idle_timeout`) still see each connection;
//! - a connection whose statement failed goes back at once (sqlx's ping then closes a broken
//!   one);
//! - nothing is held on a closed pool, nor on a multi-host PostgreSQL pool, whose hooks must
//!   see every checkout to keep connections to an old primary from serving calls.
//!
//! Every adapter statement runs in a task of its own to its end (see `SqlAdapter::run`), so a
//! connection comes back here only between two statements, never in the middle of one.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex, Weak};
use std::task::Poll;
use std::time::{Duration, Instant};

use sqlx::pool::PoolConnection;
use tokio::sync::oneshot;

/// How long a held connection may stay unused before it goes back to the pool.
pub(crate) const IDLE: Duration = Duration::from_millis(20);

/// How long a connection may stay checked out before it goes back to the pool.
pub(crate) const RECYCLE: Duration = Duration::from_millis(200);

/// A connection checked out of the pool, and when it was.
pub(crate) struct Checkout<DB: sqlx::Database> {
    pub(crate) conn: PoolConnection<DB>,
    since: Instant,
}

impl<DB: sqlx::Database> Checkout<DB> {
    /// A connection just taken from the pool.
    pub(crate) fn new(conn: PoolConnection<DB>) -> Self {
        Checkout {
            conn,
            since: Instant::now(),
        }
    }
}

struct Slot<DB: sqlx::Database> {
    checkout: Checkout<DB>,
    used: Instant,
}

struct State<DB: sqlx::Database> {
    /// The most recently used last (taken first: its server-side caches are warm).
    slots: Vec<Slot<DB>>,
    /// Statements waiting for the pool, oldest first: handed a connection when one is put back.
    waiters: VecDeque<oneshot::Sender<Checkout<DB>>>,
    sweeping: bool,
}

/// The connections an adapter (and its clones) holds.
pub(crate) struct Held<DB: sqlx::Database> {
    pool: sqlx::Pool<DB>,
    /// Whether connections are held at all.
    enabled: bool,
    state: Mutex<State<DB>>,
}

impl<DB: sqlx::Database> Held<DB> {
    pub(crate) fn new(pool: sqlx::Pool<DB>, enabled: bool) -> Arc<Self> {
        Arc::new(Held {
            pool,
            enabled,
            state: Mutex::new(State {
                slots: Vec::new(),
                waiters: VecDeque::new(),
                sweeping: false,
            }),
        })
    }

    /// A connection: a held one, or the first of one from the pool and one the adapter puts
    /// back.
    pub(crate) async fn take(&self) -> Result<Checkout<DB>, sqlx::Error> {
        if !self.enabled {
            return Ok(Checkout::new(self.pool.acquire().await?));
        }
        let handed = {
            let mut state = self.lock();
            if let Some(slot) = state.slots.pop() {
                return Ok(slot.checkout);
            }
            // The pool has a connection, or room for one: it serves at once. (Racing it would
            // cancel acquires in the middle of a connect or a ping, each a closed connection.)
            let max = self.pool.options().get_max_connections();
            if self.pool.num_idle() > 0 || self.pool.size() < max {
                None
            } else {
                // Those that got a connection of the pool instead (none are left after a put).
                state.waiters.retain(|w| !w.is_closed());
                let (tx, rx) = oneshot::channel();
                state.waiters.push_back(tx);
                Some(rx)
            }
        };
        let Some(handed) = handed else {
            return Ok(Checkout::new(self.pool.acquire().await?));
        };
        // The pool is exhausted: whichever comes first, a connection the adapter puts back or one
        // the pool frees. A connection handed over too late is dropped with `handed`, which
        // returns it to the pool; the acquire, dropped while it waits in the pool's queue, is
        // cancel-safe.
        let mut handed = Some(handed);
        let mut acquire = pin!(self.pool.acquire());
        std::future::poll_fn(|cx| {
            if let Some(rx) = handed.as_mut() {
                match Pin::new(rx).poll(cx) {
                    Poll::Ready(Ok(checkout)) => return Poll::Ready(Ok(checkout)),
                    // Not to be polled again; the pool's connection will come.
                    Poll::Ready(Err(_)) => handed = None,
                    Poll::Pending => {}
                }
            }
            acquire.as_mut().poll(cx).map_ok(Checkout::new)
        })
        .await
    }

    /// Gives back a connection whose statement succeeded: to the oldest waiting statement, else
    /// held for the next one, or returned to the pool.
    pub(crate) fn put(self: &Arc<Self>, mut checkout: Checkout<DB>) {
        if !self.enabled || self.pool.is_closed() || checkout.since.elapsed() >= RECYCLE {
            return; // dropped: back to the pool
        }
        let start_sweeper = {
            let mut state = self.lock();
            while let Some(waiter) = state.waiters.pop_front() {
                match waiter.send(checkout) {
                    Ok(()) => return,
                    // That statement got a connection of the pool meanwhile.
                    Err(back) => checkout = back,
                }
            }
            state.slots.push(Slot {
                checkout,
                used: Instant::now(),
            });
            !std::mem::replace(&mut state.sweeping, true)
        };
        if start_sweeper {
            tokio::spawn(sweep(Arc::downgrade(self)));
        }
    }

    /// Returns the connections unused for [`IDLE`] to the pool; whether any is still held.
    fn release_idle(&self) -> bool {
        let now = Instant::now();
        let (released, still_held) = {
            let mut state = self.lock();
            let closed = self.pool.is_closed();
            let (old, keep): (Vec<_>, Vec<_>) = std::mem::take(&mut state.slots)
                .into_iter()
                .partition(|s| closed || now.duration_since(s.used) >= IDLE);
            state.slots = keep;
            state.sweeping = !state.slots.is_empty();
            (old, state.sweeping)
        };
        drop(released); // outside the lock: each drop spawns sqlx's return to the pool
        still_held
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State<DB>> {
        // The state stays consistent even if a holder panicked: a Vec push or pop.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Releases idle connections every [`IDLE`] while any is held, and stops with the adapter.
async fn sweep<DB: sqlx::Database>(held: Weak<Held<DB>>) {
    loop {
        tokio::time::sleep(IDLE).await;
        match held.upgrade() {
            Some(held) if held.release_idle() => {}
            _ => return,
        }
    }
}

#[cfg(all(test, feature = "sqlite"))]
mod tests {
    use super::*;

    async fn pool() -> sqlx::SqlitePool {
        sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(2)
            .connect("sqlite::memory:")
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn held_connections_go_back_to_the_pool_when_idle() {
        let pool = pool().await;
        let held = Held::new(pool.clone(), true);
        let a = held.take().await.unwrap();
        let b = held.take().await.unwrap();
        held.put(a);
        held.put(b);
        assert_eq!(pool.num_idle(), 0, "both are held");
        // Taken again without the pool.
        let a = held.take().await.unwrap();
        held.put(a);
        tokio::time::sleep(IDLE * 4).await;
        assert_eq!(held.lock().slots.len(), 0, "the sweeper released them");
        assert!(!held.lock().sweeping, "and stopped");
        // sqlx's return to the pool runs in a task of its own.
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(pool.num_idle(), 2);
    }

    #[tokio::test]
    async fn nothing_is_held_when_disabled_or_closed() {
        let pool = pool().await;
        let off = Held::new(pool.clone(), false);
        let c = off.take().await.unwrap();
        off.put(c);
        assert!(off.lock().slots.is_empty());
        let on = Held::new(pool.clone(), true);
        let c = on.take().await.unwrap();
        let closing = {
            let pool = pool.clone();
            tokio::spawn(async move { pool.close().await })
        };
        while !pool.is_closed() {
            tokio::task::yield_now().await;
        }
        on.put(c);
        assert!(on.lock().slots.is_empty());
        closing.await.unwrap();
    }

    #[tokio::test]
    async fn a_waiting_statement_is_handed_the_next_connection() {
        let pool = pool().await;
        let held = Held::new(pool.clone(), true);
        let a = held.take().await.unwrap();
        let b = held.take().await.unwrap();
        // The pool is empty: a third statement waits, and gets the first connection put back
        // (not one released to the pool 20 ms later).
        let waiting = {
            let held = held.clone();
            tokio::spawn(async move { held.take().await.map(|c| c.since) })
        };
        tokio::task::yield_now().await;
        let since = a.since;
        held.put(a);
        let got = tokio::time::timeout(IDLE / 2, waiting)
            .await
            .expect("handed over at once")
            .unwrap()
            .unwrap();
        assert_eq!(got, since, "the connection put back");
        held.put(b);
    }

    #[tokio::test]
    async fn a_connection_goes_back_after_recycle() {
        let pool = pool().await;
        let held = Held::new(pool.clone(), true);
        let mut c = held.take().await.unwrap();
        c.since -= RECYCLE;
        held.put(c);
        assert!(held.lock().slots.is_empty());
    }
}
