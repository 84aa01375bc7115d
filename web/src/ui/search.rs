//! The waterfall's search, found apart from the rows. On a big run it is found in pieces with
//! rests between them: one pass over a million spans takes about half a second in the page,
//! which held it frozen for that long after every search. The rows read the flags found, so
//! collapsing a subtree or toggling "Matches only" does not search again.

use super::dom::TimeSlice;
use super::state::{AppState, Loaded, Shared, SpanFlags};
use crate::view::rows::{find_hits, Query, RowFilter};
use leptos::prelude::*;
use std::sync::Arc;

/// Runs with fewer spans are searched in one piece (100k spans take ~50 ms).
const AT_ONCE_BELOW: usize = 50_000;
/// Spans searched between two looks at the clock: a few milliseconds of work.
const PIECE: usize = 4096;

/// The flags of a finished search, with what they were found for.
struct Found {
    query: Query,
    loaded: Shared<Loaded>,
    /// One per span of the run; shared with the waterfall, which marks the rows it shows.
    flags: SpanFlags,
}

impl Found {
    fn is_for(&self, query: &Query, loaded: &Shared<Loaded>) -> bool {
        &self.query == query && &self.loaded == loaded
    }
}

/// All of a search's state in one signal (each signal type costs code in the bundle).
#[derive(Default)]
struct Inner {
    /// Counts searches started; a search in progress stops when it is no longer the latest.
    generation: u64,
    /// How far the search in progress is, 0..1; `None` when none is.
    progress: Option<f64>,
    found: Option<Found>,
}

/// One run page's search: starts a search whenever the query or the loaded runs change, and
/// drops a search still in progress when a newer one starts.
#[derive(Clone, Copy)]
pub struct Search(RwSignal<Inner>);

impl Search {
    pub fn new(state: AppState, run_i: usize, filter: Memo<RowFilter>) -> Search {
        let search = Search(RwSignal::new(Inner::default()));
        Effect::new(move |_| {
            let query = filter.with(|f| f.query.clone());
            let loaded = state.loaded.get();
            let found = search
                .0
                .with_untracked(|s| s.found.as_ref().is_some_and(|f| f.is_for(&query, &loaded)));
            if found {
                return; // another filter changed
            }
            // A search still in progress is for something else now: it stops at its next piece.
            let generation = search.0.with_untracked(|s| s.generation) + 1;
            search.0.update_untracked(|s| s.generation = generation);
            if query.is_empty() {
                search.0.update(|s| s.progress = None);
                return;
            }
            let spans = loaded_spans(&loaded, run_i).len();
            if spans < AT_ONCE_BELOW {
                let mut flags = vec![false; spans];
                find_hits(loaded_spans(&loaded, run_i), &query, 0, &mut flags);
                search.publish(query, loaded, flags);
            } else {
                leptos::task::spawn_local(search.find_in_pieces(query, loaded, run_i, generation));
            }
        });
        search
    }

    async fn find_in_pieces(
        self,
        query: Query,
        loaded: Shared<Loaded>,
        run_i: usize,
        generation: u64,
    ) {
        let spans = loaded_spans(&loaded, run_i);
        let latest = || self.0.with_untracked(|s| s.generation) == generation;
        self.0.update(|s| s.progress = Some(0.0));
        let mut flags = vec![false; spans.len()];
        let mut slice = TimeSlice::new();
        for from in (0..spans.len()).step_by(PIECE) {
            if !latest() {
                return;
            }
            let to = (from + PIECE).min(spans.len());
            find_hits(spans, &query, from, &mut flags[from..to]);
            if slice.due() {
                self.0
                    .update(|s| s.progress = Some(to as f64 / spans.len() as f64));
                slice.pause_if_due().await;
            }
        }
        if latest() {
            self.publish(query, loaded, flags);
        }
    }

    fn publish(self, query: Query, loaded: Shared<Loaded>, flags: Vec<bool>) {
        self.0.update(|s| {
            s.progress = None;
            s.found = Some(Found {
                query,
                loaded,
                flags: Shared(Arc::new(flags)),
            });
        });
    }

    /// The flags of `query` over `loaded`, one per span, or `None` while that search is not done
    /// (or there is none). Tracks the search, so a memo calling it updates when it ends.
    pub fn flags(&self, query: &Query, loaded: &Shared<Loaded>) -> Option<SpanFlags> {
        self.0.with(|s| {
            s.found
                .as_ref()
                .filter(|x| x.is_for(query, loaded))
                .map(|x| x.flags.clone())
        })
    }

    /// How far the search in progress is, 0..1, for the match count; `None` when none is.
    pub fn progress(&self) -> Option<f64> {
        self.0.with(|s| s.progress)
    }
}

fn loaded_spans(loaded: &Shared<Loaded>, run_i: usize) -> &[crate::model::Span] {
    loaded.ws.runs.get(run_i).map_or(&[], |r| &r.spans)
}
