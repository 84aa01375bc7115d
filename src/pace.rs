//! Pacing for long work on the page's one thread.
//!
//! A million-span run takes seconds to assemble and analyse, and the page has one thread: work
//! done in one piece freezes it (no paint, no input) for all of that time. The long loops in
//! `ingest` and `analysis` are written as `async` functions that call [`Pace::tick`] once per
//! item. Natively (CLI, tests, benchmarks) the pace never pauses and [`block_on`] runs them to
//! the end in one poll; the page gives a pace that rests (lets the browser paint and handle
//! input) whenever its time slice is used up, so the freeze is cut into slices of a few tens of
//! milliseconds. One code path for both: the figures cannot differ between CLI and page.
//!
//! This module knows nothing of the web: how to rest is handed in by the caller.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

/// What the caller waits on when it rests (on the page: until the browser has had its turn).
pub type Rest = Pin<Box<dyn Future<Output = ()>>>;

/// Asked, now and then, whether to rest: gets the name of the stage being worked on (for a
/// progress message) and answers with a rest to wait on, or `None` to go on at once.
pub type Check<'a> = &'a mut dyn FnMut(&'static str) -> Option<Rest>;

/// Paced work handed to the page, boxed: the page then polls it through this one `dyn` type, and
/// the work is compiled once, in this crate. Polled directly by the page's crate (built for size
/// at another opt-level), every paced function was compiled a second time there: +31 KB gzip.
pub type Paced<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// Items between two looks at the clock: a look costs a call out of WASM, an item as little as
/// a few nanoseconds, so looking every item would cost more than the work.
const ITEMS_PER_LOOK: u32 = 1024;

/// Passed down to long loops; see the module docs.
pub struct Pace<'a> {
    items: u32,
    stage: &'static str,
    check: Option<Check<'a>>,
}

impl Pace<'static> {
    /// A pace that never rests: for the CLI, tests and benchmarks.
    pub fn never() -> Self {
        Pace {
            items: 0,
            stage: "",
            check: None,
        }
    }
}

impl<'a> Pace<'a> {
    /// A pace that asks `check` whether to rest, every [`ITEMS_PER_LOOK`] items and at every
    /// stage boundary.
    pub fn with(check: Check<'a>) -> Self {
        Pace {
            items: 0,
            stage: "",
            check: Some(check),
        }
    }

    /// Starts a named stage ("tree", "anomalies"…), which is also a point to rest at.
    pub fn enter(&mut self, stage: &'static str) -> Resting {
        self.stage = stage;
        self.point()
    }

    /// One item of work done (a span read, a group built); rests if it is time to.
    pub fn tick(&mut self) -> Resting {
        self.ticks(1)
    }

    /// [`tick`](Self::tick) for an item that costs about `weight` ordinary ones (a JSON text
    /// parsed, a message written), so heavy items are looked after sooner.
    pub fn ticks(&mut self, weight: u32) -> Resting {
        self.items = self.items.saturating_add(weight);
        if self.items >= ITEMS_PER_LOOK {
            self.point()
        } else {
            Resting(None)
        }
    }

    /// Between two pieces of work that cannot be cut further (a sort): rests if it is time to.
    pub fn point(&mut self) -> Resting {
        self.items = 0;
        let stage = self.stage;
        Resting(self.check.as_mut().and_then(|check| check(stage)))
    }
}

/// What [`Pace::tick`] and friends hand back to await: ready at once, or the caller's rest. A
/// plain future rather than `async fn`s, so each of the many paced loops holds one small value
/// across its await instead of a nested state machine.
pub struct Resting(Option<Rest>);

impl Future for Resting {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        match self.0.as_mut() {
            None => Poll::Ready(()),
            Some(rest) => rest.as_mut().poll(cx),
        }
    }
}

/// Runs paced work to the end on this thread, for callers with no event loop (CLI, tests). With
/// [`Pace::never`] the future is ready at the first poll; a rest that is not ready is polled
/// again until it is.
pub fn block_on<F: Future>(work: F) -> F::Output {
    let mut work = std::pin::pin!(work);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = work.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn count_to(n: u32, pace: &mut Pace<'_>) -> u32 {
        pace.enter("counting").await;
        let mut sum = 0;
        for i in 0..n {
            sum += i;
            pace.tick().await;
        }
        sum
    }

    #[test]
    fn a_never_pace_runs_to_the_end_at_once() {
        assert_eq!(block_on(count_to(5000, &mut Pace::never())), 12_497_500);
    }

    #[test]
    fn a_pace_is_asked_at_stage_start_and_every_thousand_items_and_rests_when_told() {
        let mut asked: Vec<&'static str> = Vec::new();
        let mut rests = 0;
        let mut check = |stage: &'static str| {
            asked.push(stage);
            rests += 1;
            // A rest that is pending once, like the page's (which waits for the browser).
            let mut polled = false;
            Some(Box::pin(std::future::poll_fn(move |_| {
                if polled {
                    Poll::Ready(())
                } else {
                    polled = true;
                    Poll::Pending
                }
            })) as Rest)
        };
        let sum = block_on(count_to(5000, &mut Pace::with(&mut check)));
        assert_eq!(sum, 12_497_500);
        // Once on entering, then at items 1024, 2048, 3072 and 4096.
        assert_eq!(asked, vec!["counting"; 5]);
        assert_eq!(rests, 5);
    }
}
