//! Application state shared by the components, and the one place that keeps the URL fragment in
//! sync with [`ViewState`].

use crate::analysis::{analyze_run, AnalysisConfig, RunAnalysis};
use crate::fasthash::FastSet;
use crate::model::{Run, SpanIdx, Workspace};
use crate::num::Fixed;
use crate::view::state::{Page, ViewState};
use leptos::prelude::*;
use std::sync::Arc;

use super::dom;

/// A loaded workspace with each run's analysis, computed once when files load.
pub struct Loaded {
    pub ws: Workspace,
    pub analyses: Vec<RunAnalysis>,
}

impl Loaded {
    pub fn new(ws: Workspace, cfg: &AnalysisConfig) -> Loaded {
        let analyses = ws.runs.iter().map(|r| analyze_run(r, cfg)).collect();
        Loaded { ws, analyses }
    }

    /// Nothing loaded.
    pub fn empty() -> Loaded {
        Loaded {
            ws: Workspace::default(),
            analyses: Vec::new(),
        }
    }

    /// The run with this id, with its index.
    pub fn run_by_id(&self, id: &str) -> Option<(usize, &Run)> {
        self.ws.runs.iter().enumerate().find(|(_, r)| r.id == id)
    }
}

/// An `Arc` compared by identity, so memos over big values are cheap to compare.
pub struct Shared<T>(pub Arc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Arc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// One flag per span of a run, for the "is this span in the set" check every visible row makes
/// (critical path, search matches). Building a `HashSet` of a million-span run's critical path
/// held the page for 113–178 ms at each toggle; this is a fill and a pass.
pub type SpanFlags = Shared<Vec<bool>>;

/// [`SpanFlags`] for `n` spans with the given ones set (indices past `n` are ignored).
pub fn span_flags(n: usize, set: impl IntoIterator<Item = crate::model::SpanIdx>) -> SpanFlags {
    let mut flags = vec![false; n];
    for i in set {
        if let Some(f) = flags.get_mut(i as usize) {
            *f = true;
        }
    }
    Shared(Arc::new(flags))
}

/// Whether span `i` is flagged.
pub fn flagged(flags: &SpanFlags, i: crate::model::SpanIdx) -> bool {
    flags.get(i as usize).copied().unwrap_or(false)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Theme {
    Light,
    Dark,
}

/// Everything the components share. `Copy`: signals are handles.
#[derive(Clone, Copy)]
pub struct AppState {
    pub loaded: RwSignal<Shared<Loaded>>,
    pub view: RwSignal<ViewState>,
    /// A message while files load, with progress in 0..1.
    pub loading: RwSignal<Option<(String, f64)>>,
    pub collapsed: RwSignal<FastSet<SpanIdx>>,
    /// Spans an anomaly click marked in the waterfall.
    pub marked: RwSignal<Vec<SpanIdx>>,
    /// Dashboard targets and alert thresholds (seed 002 defaults, user-editable).
    pub targets: RwSignal<Vec<crate::view::targets::Target>>,
    pub theme: RwSignal<Theme>,
    pub config: StoredValue<AnalysisConfig>,
    /// A shared run's payload (`data=`) kept in the URL while that run is loaded, so a reload of
    /// a shared link still has the run.
    pub carried_data: RwSignal<Option<String>>,
    /// Index of the open run in `loaded.ws.runs`.
    pub current: Memo<Option<usize>>,
    /// The page and panel alone, so views that switch on them re-render only when they change
    /// (not on every selection or zoom).
    pub page: Memo<crate::view::state::Page>,
    pub panel: Memo<crate::view::state::Panel>,
}

impl AppState {
    pub fn new() -> AppState {
        let loaded = RwSignal::new(Shared(Arc::new(Loaded::empty())));
        let view = RwSignal::new(ViewState::from_fragment(&dom::fragment()));
        let current = Memo::new(move |_| {
            let id = view.with(|v| v.run.clone())?;
            loaded.with(|l| l.run_by_id(&id).map(|(i, _)| i))
        });
        AppState {
            loaded,
            view,
            loading: RwSignal::new(None),
            collapsed: RwSignal::new(FastSet::default()),
            marked: RwSignal::new(Vec::new()),
            targets: RwSignal::new(crate::view::targets::default_targets()),
            theme: RwSignal::new(if dom::prefers_dark() {
                Theme::Dark
            } else {
                Theme::Light
            }),
            config: StoredValue::new(AnalysisConfig::default()),
            carried_data: RwSignal::new(None),
            current,
            page: Memo::new(move |_| view.with(|v| v.page)),
            panel: Memo::new(move |_| view.with(|v| v.panel)),
        }
    }

    /// Changes the view and records it in the URL: `push` adds a history entry.
    pub fn navigate(&self, push: bool, f: impl FnOnce(&mut ViewState)) {
        let mut next = self.view.get_untracked();
        f(&mut next);
        if next != self.view.get_untracked() {
            dom::set_fragment(&self.fragment_of(&next), push);
            self.view.set(next);
        }
    }

    /// The fragment for a view, with the carried shared run if there is one.
    pub fn fragment_of(&self, v: &ViewState) -> String {
        let view = v.to_fragment();
        match self.carried_data.get_untracked() {
            Some(d) if view.is_empty() => format!("{}={d}", crate::share::DATA_KEY),
            Some(d) => format!("{view}&{}={d}", crate::share::DATA_KEY),
            None => view,
        }
    }

    /// Opens a run by id.
    pub fn open_run(&self, id: &str) {
        let id = id.to_string();
        self.collapsed.set(FastSet::default());
        self.marked.set(Vec::new());
        self.navigate(true, move |v| {
            *v = ViewState {
                page: Page::Run,
                run: Some(id),
                panel: v.panel,
                ..Default::default()
            }
        });
    }

    /// Replaces the loaded workspace (after a load) and opens a sensible run if none is open.
    pub fn set_loaded(&self, ws: Workspace) {
        // The formats worker holds the files of the workspace being replaced.
        super::formats::reset();
        let t0 = dom::now_ms();
        let loaded = self.config.with_value(|cfg| Loaded::new(ws, cfg));
        dom::log(&format!(
            "spoor: analysed in {} ms",
            Fixed(dom::now_ms() - t0, 0)
        ));
        self.set_analysed(loaded);
    }

    /// [`AppState::set_loaded`] with the analysis already done (a big load analyses in slices).
    pub fn set_analysed(&self, loaded: Loaded) {
        let first = loaded.ws.runs.first().map(|r| r.id.clone());
        let wanted = self.view.with_untracked(|v| v.run.clone());
        let still_there = wanted
            .as_deref()
            .is_some_and(|id| loaded.run_by_id(id).is_some());
        let single = loaded.ws.runs.len() == 1;
        self.loaded.set(Shared(Arc::new(loaded)));
        dom::publish_wasm_bytes();
        if !still_there {
            if let (Some(id), true) = (first, single) {
                self.open_run(&id);
            } else {
                self.navigate(false, |v| {
                    if v.page != Page::Versions {
                        *v = ViewState::default();
                    }
                });
            }
        }
    }

    /// Re-reads the fragment after back/forward or a pasted link.
    pub fn sync_from_url(&self) {
        let v = ViewState::from_fragment(&dom::fragment());
        if v != self.view.get_untracked() {
            self.view.set(v);
        }
    }
}
