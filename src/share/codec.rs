//! One [`Run`] to bytes and back, exactly: every field survives, so a link shows the teammate the
//! same figures the sharer saw. Times are written in the run's coarsest exact unit (many sources
//! record µs or ms, so the trailing zeros of ns are not repeated per value) as deltas from the
//! run's start; side records follow the spans.

use super::attr_codec::{get_attrs, put_attrs};
use super::reader::Reader;
use super::span_codec::{get_origin, get_spans, put_origin, put_spans};
use super::wire::Writer;
use super::ShareError;
use crate::model::{
    Decision, Failure, Format, LogEvent, Metric, MetricValue, QualitySignal, Run, RunStatus, Span,
};
use crate::pace::Pace;

/// Converts times to the run's unit (10^k ns) relative to a base, with wrapping arithmetic so
/// even absurd times round-trip exactly and never overflow.
pub struct Clock {
    unit: i64,
    /// Base time, already in units.
    base: i64,
}

impl Clock {
    pub fn units(&self, t: i64) -> i64 {
        (t / self.unit).wrapping_sub(self.base)
    }
    pub fn ns(&self, v: i64) -> i64 {
        v.wrapping_add(self.base).wrapping_mul(self.unit)
    }
    fn opt(&self, t: Option<i64>) -> Option<i64> {
        t.map(|t| self.units(t))
    }
    fn opt_back(&self, v: Option<i64>) -> Option<i64> {
        v.map(|v| self.ns(v))
    }
}

/// Every time in the run, to find the largest power of ten dividing them all.
fn all_times(run: &Run) -> impl Iterator<Item = i64> + '_ {
    let spans = run.spans.iter().flat_map(|s| {
        let events = s.events.iter().map(|e| e.time_ns);
        [Some(s.start_ns), s.end_ns]
            .into_iter()
            .flatten()
            .chain(events)
    });
    [run.start_ns, run.end_ns]
        .into_iter()
        .chain(run.decisions.iter().map(|d| d.time_ns))
        .chain(run.failures.iter().map(|f| f.time_ns))
        .chain(run.logs.iter().map(|l| l.time_ns))
        .chain(run.metrics.iter().map(|m| m.time_ns))
        .flatten()
        .chain(spans)
}

fn run_status_code(s: RunStatus) -> u8 {
    match s {
        RunStatus::Success => 0,
        RunStatus::Failure => 1,
        RunStatus::Partial => 2,
        RunStatus::Running => 3,
        RunStatus::Unknown => 4,
    }
}

const RUN_STATUSES: [RunStatus; 5] = [
    RunStatus::Success,
    RunStatus::Failure,
    RunStatus::Partial,
    RunStatus::Running,
    RunStatus::Unknown,
];

/// Formats by their serde name, so adding a variant to [`Format`] never shifts old links.
pub(crate) fn format_name(f: Format) -> String {
    serde_json::to_value(f)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The format [`format_name`] named. As a JSON string through the text reader, which `Run` is
/// read with too: one compiled copy of `Format`'s deserializer, none for `Value` as a
/// deserializer.
pub(crate) fn format_named(name: &str) -> Option<Format> {
    serde_json::to_string(name)
        .and_then(|quoted| serde_json::from_str(&quoted))
        .ok()
}

/// The uncompressed payload for one run (the formats worker's answer; links are packed in
/// slices, through [`put_run_paced`]).
#[cfg(any(feature = "formats", test))]
pub fn put_run(run: &Run) -> Vec<u8> {
    crate::pace::block_on(put_run_paced(run, &mut Pace::never()))
}

/// [`put_run`], resting as `pace` says once per span.
pub async fn put_run_paced(run: &Run, pace: &mut Pace<'_>) -> Vec<u8> {
    let mut exp = 9u8;
    for t in all_times(run) {
        while exp > 0 && t % 10i64.pow(u32::from(exp)) != 0 {
            exp -= 1;
        }
    }
    let unit = 10i64.pow(u32::from(exp));
    let base = run.start_ns.or(run.spans.first().map(|s| s.start_ns));
    let clock = Clock {
        unit,
        base: base.unwrap_or(0) / unit,
    };
    let format = run.format.map(format_name);
    let mut w = Writer::default();
    w.byte(exp);
    w.int(clock.base);
    w.str(&run.id);
    w.str(&run.name);
    w.opt_str(format.as_deref());
    w.opt_str(run.agent_id.as_deref());
    w.opt_str(run.agent_version.as_deref());
    w.opt_str(run.environment.as_deref());
    w.byte(run_status_code(run.status));
    w.opt_str(run.status_text.as_deref());
    w.opt_int(clock.opt(run.start_ns));
    w.opt_int(clock.opt(run.end_ns));
    w.opt_uint(run.reported_input_tokens);
    w.opt_uint(run.reported_output_tokens);
    w.opt_float(run.reported_cost_usd);
    put_attrs(&mut w, &run.attributes, None);
    w.count(run.files.len());
    run.files.iter().for_each(|f| w.uint(u64::from(*f)));
    put_spans(&mut w, &run.spans, &clock, pace).await;
    put_records(&mut w, run, &clock);
    w.finish()
}

fn put_records<'a>(w: &mut Writer<'a>, run: &'a Run, clock: &Clock) {
    let span = |s: Option<u32>| s.map(u64::from);
    w.count(run.decisions.len());
    for d in &run.decisions {
        w.str(&d.decision_type);
        w.opt_str(d.selected.as_deref());
        w.opt_str(d.reason_code.as_deref());
        w.count(d.candidates.len());
        d.candidates.iter().for_each(|c| w.str(c));
        w.opt_float(d.confidence);
        w.opt_uint(d.step.map(u64::from));
        w.opt_uint(span(d.span));
        w.opt_str(d.detail.as_deref());
        w.opt_int(clock.opt(d.time_ns));
        put_attrs(w, &d.attrs, None);
        put_origin(w, d.origin);
    }
    w.count(run.signals.len());
    for s in &run.signals {
        w.str(&s.signal_type);
        w.str(&s.code);
        w.byte(u8::from(s.value));
        w.opt_float(s.weight);
        w.opt_uint(s.step.map(u64::from));
        w.opt_uint(span(s.span));
        w.opt_str(s.comment.as_deref());
        put_origin(w, s.origin);
    }
    w.count(run.failures.len());
    for f in &run.failures {
        w.str(&f.failure_type);
        w.str(&f.code);
        w.str(&f.message);
        w.opt_uint(f.step.map(u64::from));
        w.opt_uint(span(f.span));
        w.opt_int(clock.opt(f.time_ns));
        put_origin(w, f.origin);
    }
    w.count(run.logs.len());
    for l in &run.logs {
        w.opt_int(clock.opt(l.time_ns));
        w.str(&l.level);
        w.str(&l.event_type);
        w.str(&l.message);
        put_attrs(w, &l.metadata, None);
        w.opt_uint(span(l.span));
        put_origin(w, l.origin);
    }
    w.count(run.metrics.len());
    for m in &run.metrics {
        w.str(&m.name);
        match &m.value {
            MetricValue::Number(n) => {
                w.byte(0);
                w.float(*n);
            }
            MetricValue::Text(t) => {
                w.byte(1);
                w.str(t);
            }
            MetricValue::Samples(v) => {
                w.byte(2);
                w.count(v.len());
                v.iter().for_each(|x| w.float(*x));
            }
        }
        w.opt_str(m.unit.as_deref());
        w.opt_int(clock.opt(m.time_ns));
        put_origin(w, m.origin);
    }
}

/// Reads a payload written by [`put_run`] and checks that it describes a run the analysis can
/// walk (indices in range, no parent loops), since a crafted link could say anything.
pub fn get_run(payload: &[u8]) -> Result<Run, ShareError> {
    get_run_of_up_to(payload, super::reader::MAX_ITEMS)
}

/// [`get_run`] for a payload of any size: the formats worker's answer (`ingest::handoff`),
/// where a run of more than [`super::reader::MAX_ITEMS`] spans is a file the user opened, not a
/// crafted link.
pub fn get_run_of_up_to(payload: &[u8], max_items: usize) -> Result<Run, ShareError> {
    crate::pace::block_on(get_run_paced(payload, max_items, &mut Pace::never()))
}

/// [`get_run_of_up_to`], resting as `pace` says once per span: a 100,000-span run from the
/// formats worker takes about a third of a second to read on the page.
pub async fn get_run_paced(
    payload: &[u8],
    max_items: usize,
    pace: &mut Pace<'_>,
) -> Result<Run, ShareError> {
    let mut r = Reader::new(payload, max_items)?;
    let exp = r.byte()?;
    if exp > 9 {
        return Err(ShareError::Invalid("its time unit is unknown".into()));
    }
    let clock = Clock {
        unit: 10i64.pow(u32::from(exp)),
        base: r.int()?,
    };
    let mut run = Run {
        id: r.str()?,
        name: r.str()?,
        ..Run::default()
    };
    if let Some(name) = r.opt_str()? {
        run.format = Some(format_named(&name).ok_or_else(|| {
            ShareError::Invalid(format!("its source format `{name}` is unknown"))
        })?);
    }
    run.agent_id = r.opt_str()?;
    run.agent_version = r.opt_str()?;
    run.environment = r.opt_str()?;
    run.status = *RUN_STATUSES
        .get(usize::from(r.byte()?))
        .ok_or_else(|| ShareError::Invalid("its run status is unknown".into()))?;
    run.status_text = r.opt_str()?;
    run.start_ns = clock.opt_back(r.opt_int()?);
    run.end_ns = clock.opt_back(r.opt_int()?);
    run.reported_input_tokens = r.opt_uint()?;
    run.reported_output_tokens = r.opt_uint()?;
    run.reported_cost_usd = r.opt_float()?;
    run.attributes = get_attrs(&mut r, None, 0)?;
    for _ in 0..r.count()? {
        run.files.push(r.u32()?);
    }
    run.spans = get_spans(&mut r, &clock, pace).await?;
    get_records(&mut r, &mut run, &clock)?;
    if !r.at_end() {
        return Err(ShareError::Invalid("there are bytes after the run".into()));
    }
    check_parents(&run.spans)?;
    Ok(run)
}

fn get_records(r: &mut Reader, run: &mut Run, clock: &Clock) -> Result<(), ShareError> {
    let n = run.spans.len();
    let span = |v: Option<u64>| -> Result<Option<u32>, ShareError> {
        match v {
            Some(i) if i >= n as u64 => Err(ShareError::Invalid(format!(
                "a record points at span {i}, but the run has {n} spans"
            ))),
            v => Ok(v.map(|i| i as u32)),
        }
    };
    for _ in 0..r.count()? {
        let mut d = Decision {
            decision_type: r.str()?,
            selected: r.opt_str()?,
            reason_code: r.opt_str()?,
            ..Decision::default()
        };
        for _ in 0..r.count()? {
            d.candidates.push(r.str()?);
        }
        d.confidence = r.opt_float()?;
        d.step = r.opt_u32()?;
        d.span = span(r.opt_uint()?)?;
        d.detail = r.opt_str()?;
        d.time_ns = clock.opt_back(r.opt_int()?);
        d.attrs = get_attrs(r, None, 0)?;
        d.origin = get_origin(r)?;
        run.decisions.push(d);
    }
    for _ in 0..r.count()? {
        run.signals.push(QualitySignal {
            signal_type: r.str()?,
            code: r.str()?,
            value: r.byte()? != 0,
            weight: r.opt_float()?,
            step: r.opt_u32()?,
            span: span(r.opt_uint()?)?,
            comment: r.opt_str()?,
            origin: get_origin(r)?,
        });
    }
    for _ in 0..r.count()? {
        run.failures.push(Failure {
            failure_type: r.str()?,
            code: r.str()?,
            message: r.str()?,
            step: r.opt_u32()?,
            span: span(r.opt_uint()?)?,
            time_ns: clock.opt_back(r.opt_int()?),
            origin: get_origin(r)?,
        });
    }
    for _ in 0..r.count()? {
        run.logs.push(LogEvent {
            time_ns: clock.opt_back(r.opt_int()?),
            level: r.str()?,
            event_type: r.str()?,
            message: r.str()?,
            metadata: get_attrs(r, None, 0)?,
            span: span(r.opt_uint()?)?,
            origin: get_origin(r)?,
        });
    }
    for _ in 0..r.count()? {
        let name = r.str()?;
        let value = match r.byte()? {
            0 => MetricValue::Number(r.float()?),
            1 => MetricValue::Text(r.str()?),
            2 => {
                let k = r.count()?;
                let mut v = Vec::with_capacity(k);
                for _ in 0..k {
                    v.push(r.float()?);
                }
                MetricValue::Samples(v)
            }
            _ => return Err(ShareError::Invalid("a metric has an unknown kind".into())),
        };
        run.metrics.push(Metric {
            name,
            value,
            unit: r.opt_str()?,
            time_ns: clock.opt_back(r.opt_int()?),
            origin: get_origin(r)?,
        });
    }
    Ok(())
}

/// Refuses parent chains that loop: the tree and critical-path code walk up parents and assume
/// the loader already cut cycles (it flags them `CYCLE_CUT`).
fn check_parents(spans: &[Span]) -> Result<(), ShareError> {
    // 0 = unseen, 1 = on the current walk, 2 = known to reach a root.
    let mut state = vec![0u8; spans.len()];
    let mut walk = Vec::new();
    for start in 0..spans.len() {
        let mut i = start;
        while state[i] == 0 {
            state[i] = 1;
            walk.push(i);
            match spans[i].parent {
                Some(p) => i = p as usize,
                None => break,
            }
        }
        if state[i] == 1 && spans[i].parent.is_some() {
            return Err(ShareError::Invalid(format!(
                "span {i}'s parent chain loops"
            )));
        }
        walk.drain(..).for_each(|j| state[j] = 2);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LogEvent;

    #[test]
    fn a_link_is_refused_past_the_item_limit_and_the_worker_answer_is_not() {
        let log = LogEvent {
            time_ns: None,
            level: "INFO".into(),
            event_type: "e".into(),
            message: "m".into(),
            metadata: Vec::new(),
            span: None,
            origin: Default::default(),
        };
        let run = Run {
            id: "big".into(),
            logs: vec![log; super::super::reader::MAX_ITEMS + 1],
            ..Run::default()
        };
        let payload = put_run(&run);
        assert!(
            get_run(&payload).is_err(),
            "a link of that many records is refused"
        );
        let back = get_run_of_up_to(&payload, usize::MAX).expect("the worker's answer reads");
        assert_eq!(back.logs.len(), super::super::reader::MAX_ITEMS + 1);
    }
}
