//! Export formats built without the DOM: spans as CSV (RFC 4180 quoting) and the waterfall as a
//! standalone SVG (text escaped, so trace text can never become markup).

use crate::analysis::bounds::RunBounds;
use crate::analysis::RunAnalysis;
use crate::model::{Run, Status};

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One line per span in tree order, with timing, tokens and cost.
pub fn spans_csv(run: &Run, a: &RunAnalysis) -> String {
    let b = RunBounds::of(run);
    let mut out = String::from("span_id,parent_id,depth,name,kind,status,start_offset_ms,duration_ms,self_time_ms,model,input_tokens,output_tokens,reported_cost_usd,computed_cost_usd,tool\n");
    for &i in &a.tree.preorder {
        let s = &run.spans[i as usize];
        let end = s.end_ns.unwrap_or(b.end_ns).max(s.start_ns);
        let fields = [
            s.id.clone(),
            s.parent_id.clone().unwrap_or_default(),
            a.tree.depth[i as usize].to_string(),
            s.name.clone(),
            s.kind.as_str().to_string(),
            match s.status {
                Status::Ok => "ok",
                Status::Error => "error",
                Status::Unset => "unset",
            }
            .to_string(),
            format!("{:.3}", (s.start_ns - b.start_ns) as f64 / 1e6),
            format!("{:.3}", (end - s.start_ns) as f64 / 1e6),
            format!("{:.3}", a.self_times[i as usize] as f64 / 1e6),
            s.model.clone().unwrap_or_default(),
            s.usage.input.map(|v| v.to_string()).unwrap_or_default(),
            s.usage.output.map(|v| v.to_string()).unwrap_or_default(),
            s.reported_cost_usd
                .map(|v| v.to_string())
                .unwrap_or_default(),
            a.summary
                .per_span
                .computed_usd
                .get(i as usize)
                .copied()
                .flatten()
                .map(|v| v.to_string())
                .unwrap_or_default(),
            s.tool.as_ref().map(|t| t.name.clone()).unwrap_or_default(),
        ];
        out.push_str(
            &fields
                .iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
    }
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The whole waterfall (up to 5,000 rows) as an SVG document.
pub fn waterfall_svg(run: &Run, a: &RunAnalysis, b: RunBounds) -> String {
    let rows: Vec<u32> = a.tree.preorder.iter().copied().take(5000).collect();
    let (w, name_w, rh) = (1200.0, 380.0, 18.0);
    let h = rows.len() as f64 * rh + 30.0;
    let len = b.duration_ns().max(1) as f64;
    let mut out = format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" font-family=\"sans-serif\" font-size=\"11\">\n<title>{}</title>\n", xml_escape(&run.name));
    for (row, &i) in rows.iter().enumerate() {
        let s = &run.spans[i as usize];
        let y = 20.0 + row as f64 * rh;
        let end = s.end_ns.unwrap_or(b.end_ns).max(s.start_ns);
        let x = name_w + (s.start_ns - b.start_ns) as f64 / len * (w - name_w - 10.0);
        let bw = ((end - s.start_ns) as f64 / len * (w - name_w - 10.0)).max(1.0);
        let color = if s.status == Status::Error {
            "#e5534b"
        } else {
            crate::view::palette::kind_color(s.kind)
        };
        let indent = 4.0 + a.tree.depth[i as usize].min(30) as f64 * 10.0;
        out.push_str(&format!(
            "<text x=\"{indent}\" y=\"{}\">{}</text><rect x=\"{x:.2}\" y=\"{}\" width=\"{bw:.2}\" height=\"{}\" fill=\"{color}\"/>\n",
            y + 12.0,
            xml_escape(&crate::view::format::clip(&s.name, 50)),
            y + 3.0,
            rh - 6.0
        ));
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_svg_escapes() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(
            xml_escape("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert(1)&gt;"
        );
    }
}
