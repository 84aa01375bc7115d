//! All view state that a link carries, in one place: which run(s), the selected span, the zoom
//! window, the open panel, filters and search. The page keeps the URL fragment in sync with it,
//! so back/forward, reload and a teammate's link all land on the same view.

/// Which screen is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Page {
    /// The list of loaded runs (and the many-runs overview).
    #[default]
    Runs,
    Run,
    Compare,
    Versions,
}

impl Page {
    fn as_str(self) -> &'static str {
        match self {
            Page::Runs => "runs",
            Page::Run => "run",
            Page::Compare => "compare",
            Page::Versions => "versions",
        }
    }
    fn parse(s: &str) -> Option<Page> {
        [Page::Runs, Page::Run, Page::Compare, Page::Versions]
            .into_iter()
            .find(|p| p.as_str() == s)
    }
}

/// The side panel beside the waterfall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Panel {
    #[default]
    Details,
    Cost,
    Anomalies,
    Decisions,
    Logs,
    Metrics,
}

impl Panel {
    pub const ALL: [Panel; 6] = [
        Panel::Details,
        Panel::Cost,
        Panel::Anomalies,
        Panel::Decisions,
        Panel::Logs,
        Panel::Metrics,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Panel::Details => "details",
            Panel::Cost => "cost",
            Panel::Anomalies => "anomalies",
            Panel::Decisions => "decisions",
            Panel::Logs => "logs",
            Panel::Metrics => "metrics",
        }
    }
    pub fn title(self) -> &'static str {
        match self {
            Panel::Details => "Span",
            Panel::Cost => "Cost & tokens",
            Panel::Anomalies => "Anomalies",
            Panel::Decisions => "Decisions",
            Panel::Logs => "Logs & events",
            Panel::Metrics => "Metrics",
        }
    }
    fn parse(s: &str) -> Option<Panel> {
        Panel::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// The URL-backed view. `Default` is the empty page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ViewState {
    pub page: Page,
    /// Run id of the open run (or run A when comparing).
    pub run: Option<String>,
    /// Run id of run B when comparing.
    pub other: Option<String>,
    /// Source id of the selected span.
    pub span: Option<String>,
    /// Zoom window as ns offsets from the run start; `None` shows the whole run.
    pub zoom: Option<(i64, i64)>,
    pub panel: Panel,
    pub query: String,
    /// Only spans of this kind (`SpanKind::as_str`).
    pub kind: Option<String>,
    pub errors_only: bool,
    pub matches_only: bool,
    pub critical_path: bool,
    /// Attribute to group runs by on the versions page (default: agent version).
    pub group_by: Option<String>,
    /// A file URL the page should fetch (`#src=https://…`), kept so a reload fetches it again.
    pub src: Option<String>,
}

impl ViewState {
    /// Serializes to a fragment (without `#`). Only non-default fields are written, so links stay
    /// short and readable.
    pub fn to_fragment(&self) -> String {
        let mut parts: Vec<(&str, String)> = Vec::new();
        if self.page != Page::Runs {
            parts.push(("p", self.page.as_str().into()));
        }
        if let Some(r) = &self.run {
            parts.push(("run", r.clone()));
        }
        if let Some(r) = &self.other {
            parts.push(("b", r.clone()));
        }
        if let Some(s) = &self.span {
            parts.push(("span", s.clone()));
        }
        if let Some((a, b)) = self.zoom {
            parts.push(("z", format!("{a},{b}")));
        }
        if self.panel != Panel::Details {
            parts.push(("panel", self.panel.as_str().into()));
        }
        if !self.query.is_empty() {
            parts.push(("q", self.query.clone()));
        }
        if let Some(k) = &self.kind {
            parts.push(("kind", k.clone()));
        }
        if self.errors_only {
            parts.push(("err", "1".into()));
        }
        if self.matches_only {
            parts.push(("only", "1".into()));
        }
        if self.critical_path {
            parts.push(("cp", "1".into()));
        }
        if let Some(g) = &self.group_by {
            parts.push(("by", g.clone()));
        }
        if let Some(s) = &self.src {
            parts.push(("src", s.clone()));
        }
        parts
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Parses a fragment (with or without `#`). Unknown keys are ignored (they may belong to a
    /// share payload such as `data=`); malformed values fall back to defaults.
    pub fn from_fragment(fragment: &str) -> ViewState {
        let mut v = ViewState::default();
        for (k, val) in pairs(fragment) {
            match k.as_str() {
                "p" => v.page = Page::parse(&val).unwrap_or_default(),
                "run" => v.run = Some(val),
                "b" => v.other = Some(val),
                "span" => v.span = Some(val),
                "z" => {
                    v.zoom = val.split_once(',').and_then(|(a, b)| {
                        let (a, b) = (a.parse().ok()?, b.parse().ok()?);
                        (b > a).then_some((a, b))
                    })
                }
                "panel" => v.panel = Panel::parse(&val).unwrap_or_default(),
                "q" => v.query = val,
                "kind" => v.kind = Some(val),
                "err" => v.errors_only = val == "1",
                "only" => v.matches_only = val == "1",
                "cp" => v.critical_path = val == "1",
                "by" => v.group_by = Some(val),
                "src" => v.src = Some(val),
                _ => {}
            }
        }
        if v.page == Page::Runs && v.run.is_some() {
            v.page = if v.other.is_some() {
                Page::Compare
            } else {
                Page::Run
            };
        }
        v
    }
}

/// Splits `a=1&b=x%20y` into decoded pairs.
pub fn pairs(fragment: &str) -> Vec<(String, String)> {
    fragment
        .trim_start_matches('#')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

/// Percent-encodes everything but unreserved characters (RFC 3986), so any run id or query
/// survives the trip through a URL.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b',' | b':' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Reverses [`encode`]; invalid escapes are kept literally, invalid UTF-8 is replaced.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(if b == b'+' { b' ' } else { b });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_field() {
        let v = ViewState {
            page: Page::Run,
            run: Some("run/1 é&x".into()),
            other: None,
            span: Some("ab12".into()),
            zoom: Some((1_000, 2_500_000)),
            panel: Panel::Anomalies,
            query: "read_file = \"x\"".into(),
            kind: Some("tool".into()),
            errors_only: true,
            matches_only: true,
            critical_path: true,
            group_by: Some("agent_version".into()),
            src: Some("https://example.org/t.json?x=1".into()),
        };
        let f = v.to_fragment();
        assert!(!f.contains(' ') && !f.contains('#'));
        assert_eq!(ViewState::from_fragment(&format!("#{f}")), v);
    }

    #[test]
    fn defaults_make_an_empty_fragment_and_bad_values_are_ignored() {
        assert_eq!(ViewState::default().to_fragment(), "");
        let v = ViewState::from_fragment("#run=a&z=9,3&panel=nope&zzz=1&q=%E2%9C%93%");
        assert_eq!(v.page, Page::Run);
        assert_eq!(v.zoom, None);
        assert_eq!(v.panel, Panel::Details);
        assert_eq!(v.query, "✓%");
    }
}
