//! Coalescing concurrent reads of one kind into one statement.
//!
//! Under load, most of a small read's cost on the client is per statement, not per row: a
//! round trip (two system calls and a wake-up on each side), and on MySQL the column
//! definitions the server sends again with every result. So while [`MAX_IN_FLIGHT`] statements
//! of a kind are running, a new read of that kind does not take a connection of its own: it
//! queues, and when a running statement ends, the queued reads go together as one
//! `WHERE key IN (...)` statement (up to [`MAX_BATCH`] keys), whose rows are matched back to
//! them in Rust, comparing keys byte for byte.
//!
//! Nothing waits on purpose: a read that finds a free place runs at once, alone, as it would
//! without this. And nothing reads older data than it would alone: a batch is sent after every
//! read in it was asked for, so each sees every write that ended before it was asked for.
//!
//! Cancellation: the first read runs its statement in its own future, which the adapter runs to
//! its end ([`SqlAdapter::run`](crate::SqlAdapter)); the batches after it run in a task of
//! their own, so a queued read that is dropped only stops waiting. A batch that fails answers
//! each of its reads with "run alone", so that each gets its own error, as without coalescing.

use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::oneshot;
use tracing::Instrument;

use crate::adapter::Result;

/// Statements of one kind running at once (each a batch) before reads queue.
pub(crate) const MAX_IN_FLIGHT: usize = 2;

/// The most keys in one statement. Batches are padded to the next power of two, so that each
/// kind of read has few statements to prepare: 1, 2, 4, 8, 16, 32 keys.
pub(crate) const MAX_BATCH: usize = 32;

/// The statement sizes, for [`batch_size`].
pub(crate) const BATCH_SIZES: [usize; 6] = [1, 2, 4, 8, 16, 32];

/// The index in [`BATCH_SIZES`] of the smallest statement that takes `n` keys (`1..=MAX_BATCH`).
pub(crate) fn batch_size(n: usize) -> usize {
    BATCH_SIZES
        .iter()
        .position(|&size| size >= n)
        .unwrap_or(BATCH_SIZES.len() - 1)
}

/// How a batch reads its rows: a statement for `keys` (at most [`MAX_BATCH`], distinct or not),
/// and which row answers which key.
pub(crate) trait BatchRead: Clone + Send + Sync + 'static {
    /// What a read looks up: a session token, an account's provider and id.
    type Key: Clone + Send + Sync + 'static;
    /// One row of the answer.
    type Row: Clone + Send + 'static;
    /// The rows whose key is one of `keys`.
    fn fetch(&self, keys: &[&Self::Key]) -> impl Future<Output = Result<Vec<Self::Row>>> + Send;
    /// Whether `row` is the answer to `key`, compared exactly (not by a collation).
    fn answers(key: &Self::Key, row: &Self::Row) -> bool;
}

/// The reads of one kind waiting for a running statement to end; one per kind per adapter.
pub(crate) struct Coalescer<K, R> {
    state: Mutex<State<K, R>>,
}

struct State<K, R> {
    /// Statements running (batches, or a first read alone).
    running: usize,
    queue: Vec<Waiting<K, R>>,
}

struct Waiting<K, R> {
    key: K,
    reply: oneshot::Sender<Option<Option<R>>>,
}

impl<K, R> Default for Coalescer<K, R> {
    fn default() -> Self {
        Coalescer {
            state: Mutex::new(State {
                running: 0,
                queue: Vec::new(),
            }),
        }
    }
}

impl<K, R> Coalescer<K, R> {
    fn lock(&self) -> MutexGuard<'_, State<K, R>> {
        // Nothing panics while the lock is held; a poisoned lock still holds a consistent state.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Reads `key` through `coalescer`: alone when fewer than [`MAX_IN_FLIGHT`] statements of its
/// kind run, otherwise in the next batch.
pub(crate) async fn read<B: BatchRead>(
    coalescer: &Arc<Coalescer<B::Key, B::Row>>,
    reader: B,
    key: B::Key,
) -> Result<Option<B::Row>> {
    let waiting = {
        let mut state = coalescer.lock();
        if state.running < MAX_IN_FLIGHT {
            state.running += 1;
            None
        } else {
            let (reply, answer) = oneshot::channel();
            state.queue.push(Waiting {
                key: key.clone(),
                reply,
            });
            Some(answer)
        }
    };
    match waiting {
        None => {
            // A place of its own: the statement for this key alone, then the queue is handed
            // to a task (even if this future is dropped or panics: `Place`'s drop).
            let place = Place {
                coalescer: coalescer.clone(),
                reader: reader.clone(),
                freed: false,
            };
            let found = read_alone(&reader, &key).await;
            drop(place);
            found
        }
        Some(answer) => match answer.await {
            Ok(Some(row)) => Ok(row),
            // The batch failed (or its task ended without answering): this read's own
            // statement, for its own answer or error.
            Ok(None) | Err(_) => read_alone(&reader, &key).await,
        },
    }
}

/// Reads `key` in a statement of its own.
pub(crate) async fn read_alone<B: BatchRead>(reader: &B, key: &B::Key) -> Result<Option<B::Row>> {
    let rows = reader.fetch(&[key]).await?;
    Ok(rows.into_iter().find(|row| B::answers(key, row)))
}

/// One of the [`MAX_IN_FLIGHT`] places. Dropped, it goes to the queue's next batch if reads
/// wait, in a task of its own; otherwise it is freed.
struct Place<B: BatchRead> {
    coalescer: Arc<Coalescer<B::Key, B::Row>>,
    reader: B,
    freed: bool,
}

impl<B: BatchRead> Place<B> {
    /// The next batch of the queue, or `None` after freeing the place when the queue is empty.
    fn next_batch(&mut self) -> Option<Vec<Waiting<B::Key, B::Row>>> {
        let mut state = self.coalescer.lock();
        if state.queue.is_empty() {
            state.running -= 1;
            self.freed = true;
            return None;
        }
        let n = state.queue.len().min(MAX_BATCH);
        Some(state.queue.drain(..n).collect())
    }
}

impl<B: BatchRead> Drop for Place<B> {
    fn drop(&mut self) {
        if self.freed {
            return;
        }
        let Some(batch) = self.next_batch() else {
            return;
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            // No runtime to run the batch: each read runs its own statement (its answer is
            // dropped unsent), and the place is freed.
            drop(batch);
            self.coalescer.lock().running -= 1;
            return;
        };
        let place = Place {
            coalescer: self.coalescer.clone(),
            reader: self.reader.clone(),
            freed: false,
        };
        // In the span of the operation that ran before it (its `operation`, `dialect`, `table`).
        let batches = run_batches(place, batch).instrument(tracing::Span::current());
        drop(runtime.spawn(batches));
    }
}

/// Runs `batch`, then the queue's next batches, until the queue is empty.
async fn run_batches<B: BatchRead>(mut place: Place<B>, mut batch: Vec<Waiting<B::Key, B::Row>>) {
    loop {
        // Reads whose caller stopped waiting are left out.
        batch.retain(|w| !w.reply.is_closed());
        if !batch.is_empty() {
            let keys: Vec<&B::Key> = batch.iter().map(|w| &w.key).collect();
            let rows = place.reader.fetch(&keys).await;
            tracing::debug!(reads = batch.len(), "coalesced reads");
            match rows {
                Ok(rows) => {
                    for w in batch.drain(..) {
                        let row = rows.iter().find(|row| B::answers(&w.key, row)).cloned();
                        let _ = w.reply.send(Some(row));
                    }
                }
                Err(_) => {
                    for w in batch.drain(..) {
                        let _ = w.reply.send(None);
                    }
                }
            }
        }
        match place.next_batch() {
            Some(next) => batch = next,
            None => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_batch_takes_the_smallest_statement_that_fits() {
        let sizes: Vec<usize> = (1..=MAX_BATCH)
            .map(|n| BATCH_SIZES[batch_size(n)])
            .collect();
        for (n, size) in (1..=MAX_BATCH).zip(sizes) {
            assert!(
                size >= n && size < 2 * n,
                "{n} keys in a statement for {size}"
            );
        }
        assert_eq!(*BATCH_SIZES.last().unwrap(), MAX_BATCH);
    }
}
