//! Coalescing concurrent reads of one kind into one statement.
//!
//! Under load, most of a small read's cost on the client is per statement, not per row: a
//! round trip (two system calls and a wake-up on each side), and on MySQL the column
//! definitions the server sends again with every result. So while [`MAX_ALONE`] reads of a
//! kind run alone, or a queue is being served, a further read of that kind does not take a
//! connection of its own: it queues, and a task (the runner; a second one when many wait)
//! sends the queued reads together as one `WHERE key IN (...)` statement (up to [`MAX_BATCH`]
//! keys), whose rows it matches back to them in Rust, comparing keys byte for byte; then the
//! reads that queued meanwhile, until the queue is empty.
//!
//! Nothing waits on purpose: a read that finds fewer than [`MAX_ALONE`] running alone runs at
//! once, as it would without this, and a queued read waits only for the runner's statement
//! before it. Queued reads never wait for the reads running alone, whose callers may stop
//! polling them. And nothing reads older data than it would alone: a batch is sent after every
//! read in it was asked for, so each sees every write that ended before it was asked for.
//!
//! Failures: a batch that fails on a broken connection or an exhausted pool gives each of its
//! reads that error; any other failure (a key the database refuses, a missing table) runs each
//! read again alone, one after the other in the runner, so that each gets its own answer or
//! error. Keys a batch could fail on are read alone from the start ([`BatchRead::batchable`]).
//!
//! Cancellation: a caller that stops waiting leaves its read in the batch (the adapter runs
//! every operation to its end, `completion.rs`); the runner is a task of its own, and when the
//! runtime drops it, the reads still queued run alone.

use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::oneshot;
use tracing::Instrument;

use crate::adapter::Result;
use crate::error::{AdapterError, BoxError};

/// Reads of one kind that run alone, each in its caller's future, before further reads queue.
pub(crate) const MAX_ALONE: usize = 2;

/// Runner tasks of one kind. A second starts when a batch's worth of reads waits while the
/// first one's statement runs, so that a slow statement does not hold everything back.
pub(crate) const MAX_RUNNERS: usize = 2;

/// Reads waiting that start a second runner.
const SECOND_RUNNER_AT: usize = 8;

/// The most keys in one statement. Batches are padded to the next power of two, so that each
/// kind of read has few statements to prepare: 1, 2, 4, 8, 16, 32 keys.
pub(crate) const MAX_BATCH: usize = 32;

/// The statement sizes, for [`batch_size`].
pub(crate) const BATCH_SIZES: [usize; 6] = [1, 2, 4, 8, 16, 32];

/// Keys longer than this are read alone: 32 of them must not make one oversized statement.
pub(crate) const MAX_BATCHED_KEY: usize = 1024;

/// The index in [`BATCH_SIZES`] of the smallest statement that takes `n` keys (`1..=MAX_BATCH`).
pub(crate) fn batch_size(n: usize) -> usize {
    BATCH_SIZES
        .iter()
        .position(|&size| size >= n)
        .unwrap_or(BATCH_SIZES.len() - 1)
}

/// The statement for `keys` (its index in [`BATCH_SIZES`]), and its keys: `keys` padded with
/// the first one (a key twice in `IN` finds its row once).
pub(crate) fn padded<'k, K>(keys: &'k [&'k K]) -> (usize, impl Iterator<Item = &'k K>) {
    let size = batch_size(keys.len());
    let padded = (0..BATCH_SIZES[size]).map(move |i| *keys.get(i).unwrap_or(&keys[0]));
    (size, padded)
}

/// Whether a text key may share a statement: not over [`MAX_BATCHED_KEY`], and on PostgreSQL,
/// which refuses NUL in text, without one.
pub(crate) fn shareable_text<D: crate::dialect::AdapterDialect>(key: &str) -> bool {
    key.len() <= MAX_BATCHED_KEY
        && !(D::BACKEND == auth_schema::Backend::Postgres && key.contains('\0'))
}

/// How a batch reads its rows: a statement for `keys` (at most [`MAX_BATCH`], distinct or not),
/// and which row answers which key.
pub(crate) trait BatchRead: Clone + Send + Sync + 'static {
    /// What a read looks up: a session token, an account's provider and id.
    type Key: Clone + Send + Sync + 'static;
    /// One row of the answer.
    type Row: Clone + Send + 'static;
    /// The queue of this kind of read, shared by the adapter's clones.
    fn coalescer(&self) -> &Coalescer<Self::Key, Self::Row>;
    /// Whether `key` may share a statement: not when the adapter does not coalesce reads, nor
    /// when the key alone could make the statement fail (text the dialect refuses) or too large.
    fn batchable(&self, key: &Self::Key) -> bool;
    /// The rows whose key is one of `keys`.
    fn fetch(&self, keys: &[&Self::Key]) -> impl Future<Output = Result<Vec<Self::Row>>> + Send;
    /// Whether `row` is the answer to `key`, compared exactly (not by a collation).
    fn answers(key: &Self::Key, row: &Self::Row) -> bool;
}

/// The reads of one kind: how many run alone, and the queue the runner serves.
pub(crate) struct Coalescer<K, R> {
    state: Mutex<State<K, R>>,
}

struct State<K, R> {
    /// Reads running alone, in their callers' futures.
    alone: usize,
    /// Runner tasks serving the queue.
    runners: usize,
    queue: Vec<Waiting<K, R>>,
}

struct Waiting<K, R> {
    key: K,
    reply: oneshot::Sender<Result<Option<R>>>,
}

impl<K, R> Default for Coalescer<K, R> {
    fn default() -> Self {
        Coalescer {
            state: Mutex::new(State {
                alone: 0,
                runners: 0,
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

/// Reads `key`: alone when fewer than [`MAX_ALONE`] reads of its kind run alone, otherwise in
/// the runner's next batch.
pub(crate) async fn read<B: BatchRead>(reader: B, key: B::Key) -> Result<Option<B::Row>> {
    if !reader.batchable(&key) {
        return read_alone(&reader, &key).await;
    }
    let (answer, start_runner) = {
        let mut state = reader.coalescer().lock();
        // Alone only while no runner serves a queue: under load every read goes to the runner,
        // whose statements carry many.
        if state.alone < MAX_ALONE && state.runners == 0 {
            state.alone += 1;
            (None, false)
        } else {
            let (reply, answer) = oneshot::channel();
            state.queue.push(Waiting {
                key: key.clone(),
                reply,
            });
            let start = state.runners == 0
                || (state.runners < MAX_RUNNERS && state.queue.len() >= SECOND_RUNNER_AT);
            if start {
                state.runners += 1;
            }
            (Some(answer), start)
        }
    };
    let Some(answer) = answer else {
        let _alone = Alone(&reader);
        return read_alone(&reader, &key).await;
    };
    if start_runner {
        let runner = Runner {
            reader: reader.clone(),
            done: false,
        };
        match tokio::runtime::Handle::try_current() {
            // In the span of the operation that started it (`operation`, `dialect`, `table`).
            Ok(runtime) => drop(runtime.spawn(runner.run().instrument(tracing::Span::current()))),
            // No runtime to run it: dropping it answers the queue with "run alone".
            Err(_) => drop(runner),
        }
    }
    match answer.await {
        Ok(answered) => answered,
        // The runner was dropped before it answered (the runtime is shutting down).
        Err(_) => read_alone(&reader, &key).await,
    }
}

/// Reads `key` in a statement of its own.
async fn read_alone<B: BatchRead>(reader: &B, key: &B::Key) -> Result<Option<B::Row>> {
    let rows = reader.fetch(&[key]).await?;
    Ok(rows.into_iter().find(|row| B::answers(key, row)))
}

/// A read running alone; dropped, it no longer counts.
struct Alone<'a, B: BatchRead>(&'a B);

impl<B: BatchRead> Drop for Alone<'_, B> {
    fn drop(&mut self) {
        self.0.coalescer().lock().alone -= 1;
    }
}

/// The task that serves a kind's queue, batch after batch, until it is empty.
struct Runner<B: BatchRead> {
    reader: B,
    /// Set when it found the queue empty and gave up its role.
    done: bool,
}

impl<B: BatchRead> Runner<B> {
    /// The next batch, or `None` (and the role given up) when the queue is empty.
    fn next_batch(&mut self) -> Option<Vec<Waiting<B::Key, B::Row>>> {
        let mut state = self.reader.coalescer().lock();
        if state.queue.is_empty() {
            state.runners -= 1;
            self.done = true;
            return None;
        }
        let n = state.queue.len().min(MAX_BATCH);
        Some(state.queue.drain(..n).collect())
    }

    async fn run(mut self) {
        while let Some(batch) = self.next_batch() {
            let keys: Vec<&B::Key> = batch.iter().map(|w| &w.key).collect();
            let rows = self.reader.fetch(&keys).await;
            tracing::debug!(reads = batch.len(), "coalesced reads");
            match rows {
                Ok(rows) => {
                    for w in batch {
                        let row = rows.iter().find(|row| B::answers(&w.key, row)).cloned();
                        let _ = w.reply.send(Ok(row));
                    }
                }
                Err(AdapterError::Connection { message, source }) => {
                    // The same for every read: each gets it, with the driver's error as cause.
                    let cause = source.map(Arc::<dyn std::error::Error + Send + Sync>::from);
                    for w in batch {
                        let _ = w.reply.send(Err(AdapterError::Connection {
                            message: message.clone(),
                            source: cause.clone().map(|c| Box::new(Shared(c)) as BoxError),
                        }));
                    }
                }
                Err(e) => {
                    tracing::debug!(error = %e, "a coalesced read failed; its reads run alone");
                    for w in batch {
                        let answered = read_alone(&self.reader, &w.key).await;
                        let _ = w.reply.send(answered);
                    }
                }
            }
        }
    }
}

impl<B: BatchRead> Drop for Runner<B> {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        // Dropped before the queue was empty (the runtime shut down, or a panic): if no other
        // runner serves it, the reads still queued are answered "run alone" by their dropped
        // senders, after the lock.
        let queue = {
            let mut state = self.reader.coalescer().lock();
            state.runners -= 1;
            if state.runners == 0 {
                std::mem::take(&mut state.queue)
            } else {
                Vec::new()
            }
        };
        drop(queue);
    }
}

/// A driver error shared by the reads of a batch: shows as the error itself.
#[derive(Debug)]
struct Shared(Arc<dyn std::error::Error + Send + Sync>);

impl std::fmt::Display for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Shared {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
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
