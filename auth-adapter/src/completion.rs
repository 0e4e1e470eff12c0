//! Running an operation to its end even when its caller stops waiting.
//!
//! Web services drop request futures at any `.await` (a client disconnects, a timeout fires).
//! sqlx's Postgres and MySQL drivers parse the socket inside the caller's future, so a dropped
//! `BEGIN`, prepare or transaction leaves a connection inside a transaction or out of step with
//! its server. An operation therefore always runs to its end: [`ToCompletion`] polls it in the
//! caller's task, and if it is dropped before the end, hands the rest to a task of its own.
//! That is the guarantee a task per operation gives, without its cost (a spawn, a wake-up of
//! another worker, and a join) on every call that is not cancelled: about a tenth of a small
//! read's time (BENCHMARKS.md).

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

/// `future`, run to its end even if this is dropped first.
pub(crate) struct ToCompletion<F>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    rest: Option<Pin<Box<F>>>,
    /// Set while `rest` is being polled: dropped then, it is the future that panicked.
    polling: bool,
}

impl<F> ToCompletion<F>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    pub(crate) fn new(future: F) -> Self {
        ToCompletion {
            rest: Some(Box::pin(future)),
            polling: false,
        }
    }
}

impl<F> Future for ToCompletion<F>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // `Self` is `Unpin` (the future is boxed): plain field access.
        let this = &mut *self;
        // Polled again after it finished: it has nothing more to give.
        let Some(rest) = this.rest.as_mut() else {
            return Poll::Pending;
        };
        this.polling = true;
        let output = rest.as_mut().poll(cx);
        this.polling = false;
        if output.is_ready() {
            this.rest = None;
        }
        output
    }
}

impl<F> Drop for ToCompletion<F>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    fn drop(&mut self) {
        let Some(rest) = self.rest.take() else {
            return;
        };
        // A future that panicked while polled is not polled again. (Another future of the
        // same task panicking only drops this one: it still runs to its end.)
        if self.polling {
            return;
        }
        // Outside a runtime (it is shutting down) nothing can run it, as with a spawned task.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            drop(runtime.spawn(rest));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    /// Counts its steps; each step waits a little.
    async fn steps(done: Arc<AtomicUsize>, n: usize) -> usize {
        for _ in 0..n {
            tokio::time::sleep(Duration::from_millis(2)).await;
            done.fetch_add(1, Ordering::SeqCst);
        }
        n
    }

    #[tokio::test]
    async fn runs_in_the_callers_task_when_awaited() {
        let done = Arc::new(AtomicUsize::new(0));
        assert_eq!(ToCompletion::new(steps(done.clone(), 3)).await, 3);
        assert_eq!(done.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn the_rest_runs_after_the_caller_stops_waiting() {
        let done = Arc::new(AtomicUsize::new(0));
        let cut = tokio::time::timeout(
            Duration::from_millis(3),
            ToCompletion::new(steps(done.clone(), 5)),
        )
        .await;
        assert!(cut.is_err(), "the caller stopped waiting");
        assert!(done.load(Ordering::SeqCst) < 5);
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(done.load(Ordering::SeqCst), 5, "every step ran");
    }

    #[tokio::test]
    async fn a_panic_beside_it_in_the_task_does_not_cut_it_short() {
        let done = Arc::new(AtomicUsize::new(0));
        let d = done.clone();
        // One task polls the operation, then panics in other code while the operation waits.
        let task = tokio::spawn(async move {
            let mut op = Box::pin(ToCompletion::new(steps(d, 3)));
            let _ = futures_poll_once(op.as_mut()).await;
            panic!("unrelated");
        });
        assert!(task.await.is_err(), "the task panicked");
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(done.load(Ordering::SeqCst), 3, "every step ran");
    }

    /// Polls `f` once.
    async fn futures_poll_once<F: Future + Unpin>(mut f: F) -> Poll<F::Output> {
        std::future::poll_fn(|cx| Poll::Ready(Pin::new(&mut f).poll(cx))).await
    }

    #[tokio::test]
    async fn a_future_never_polled_still_runs() {
        let done = Arc::new(AtomicUsize::new(0));
        drop(ToCompletion::new(steps(done.clone(), 2)));
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(done.load(Ordering::SeqCst), 2);
    }
}
