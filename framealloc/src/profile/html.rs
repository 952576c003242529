//! The self-contained HTML report: inline SVG and CSS, no script, no network.

use core::fmt::Write as _;
use std::collections::HashMap;
use std::string::String;
use std::vec::Vec;

use super::{HotSite, Profile};

const PALETTE: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7", "#9c755f",
    "#bab0ac", "#e15759",
];

/// Escapes text for HTML.
fn esc(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Bytes for people: `1.5 MiB`.
pub(crate) fn human(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = bytes as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

impl Profile {
    /// A self-contained HTML report (inline SVG, no script, no network): estimated bytes per
    /// frame stacked by tag, the arenas' peak and the budget as lines, spike frames marked,
    /// the hot sites by bytes and by count, and pool blocks alive 60 frames or more.
    pub fn to_html(&self) -> String {
        self.to_html_with_leak_age(60)
    }

    /// [`to_html`](Self::to_html), listing pool blocks alive `min_age` frames or more.
    pub fn to_html_with_leak_age(&self, min_age: u32) -> String {
        let frames = self.frames();
        let mut out = String::with_capacity(64 << 10);
        out.push_str(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <title>framealloc profile</title><style>\n\
             body{font:14px system-ui,sans-serif;margin:24px;color:#222;background:#fff}\n\
             h1{font-size:20px}h2{font-size:16px;margin-top:28px}\n\
             table{border-collapse:collapse}td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:right}\n\
             td.site,th.site{text-align:left;font-family:monospace}\n\
             .legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}\n\
             svg text{font:11px system-ui,sans-serif;fill:#444}\n\
             </style></head><body>\n<h1>framealloc profile</h1>\n",
        );
        let records = self.records.len();
        let spikes = frames.iter().filter(|f| f.spike).count();
        let _ = writeln!(
            out,
            "<p id=\"summary\">{} frames, {records} records, {} threads; sampling one per {} on \
             average; {spikes} spike frames (above {}× the median).</p>",
            frames.len(),
            self.threads.len(),
            human(self.interval),
            self.spike_factor
        );
        self.chart(&mut out, &frames);
        out.push_str("<h2>Hot sites by bytes</h2>\n");
        Self::site_table(&mut out, &self.hot_sites_by_bytes(15), "hot-bytes");
        out.push_str("<h2>Hot sites by requests</h2>\n");
        Self::site_table(&mut out, &self.hot_sites_by_count(15), "hot-count");
        let leaks = self.leaks(min_age);
        let _ = writeln!(out, "<h2>Pool blocks alive {min_age} frames or more</h2>");
        if leaks.is_empty() {
            out.push_str("<p id=\"leaks\">None.</p>\n");
        } else {
            out.push_str(
                "<table id=\"leaks\"><tr><th class=\"site\">site</th><th>size</th><th>age (frames)</th>\
                 <th>allocated in frame</th><th class=\"site\">thread</th></tr>\n",
            );
            for l in leaks.iter().take(50) {
                out.push_str("<tr><td class=\"site\">");
                esc(&mut out, &l.site.to_display());
                let _ = write!(
                    out,
                    "</td><td>{}</td><td>{}</td><td>{}</td><td class=\"site\">",
                    human(l.size),
                    l.age,
                    l.frame
                );
                esc(&mut out, &l.thread);
                out.push_str("</td></tr>\n");
            }
            if leaks.len() > 50 {
                let _ = writeln!(
                    out,
                    "<tr><td class=\"site\">… and {} more</td></tr>",
                    leaks.len() - 50
                );
            }
            out.push_str("</table>\n");
        }
        out.push_str("</body></html>\n");
        out
    }

    fn site_table(out: &mut String, sites: &[HotSite], id: &str) {
        let _ = writeln!(
            out,
            "<table id=\"{id}\"><tr><th class=\"site\">site</th><th>bytes (est.)</th>\
             <th>requests (est.)</th><th>records</th></tr>"
        );
        for s in sites {
            out.push_str("<tr><td class=\"site\">");
            esc(out, &s.site.to_display());
            let _ = writeln!(
                out,
                "</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                human(s.bytes),
                s.requests,
                s.records
            );
        }
        out.push_str("</table>\n");
    }

    fn chart(&self, out: &mut String, frames: &[super::FrameBytes]) {
        let (w, h, left, top, bottom) = (960.0f64, 320.0f64, 70.0f64, 16.0f64, 28.0f64);
        let plot_w = w - left - 10.0;
        let plot_h = h - top - bottom;
        // Tags in order of their total bytes, each its colour.
        let mut totals: HashMap<&str, u64> = HashMap::new();
        for f in frames {
            for (tag, bytes) in &f.by_tag {
                *totals.entry(tag).or_default() += bytes;
            }
        }
        let mut tags: Vec<(&str, u64)> = totals.into_iter().collect();
        tags.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        let colour: HashMap<&str, &str> = tags
            .iter()
            .enumerate()
            .map(|(i, (t, _))| (*t, PALETTE[i % PALETTE.len()]))
            .collect();
        let data_max = frames
            .iter()
            .map(|f| f.bytes.max(f.peak))
            .max()
            .unwrap_or(0)
            .max(1);
        // A budget far above the data would flatten it: then the budget is named, not drawn.
        let budget_drawn = self.budget.filter(|&b| b <= data_max.saturating_mul(3) / 2);
        let max = data_max.max(budget_drawn.unwrap_or(0)) as f64;
        let y = |v: u64| top + plot_h - (v as f64 / max) * plot_h;
        let n = frames.len().max(1) as f64;
        let slot = plot_w / n;
        let bar_w = (slot * 0.8).max(0.5);
        let _ = writeln!(
            out,
            "<svg id=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
             viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"bytes per frame by tag\">"
        );
        // Axes and ticks.
        let _ = writeln!(
            out,
            "<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{}\" stroke=\"#888\"/>\
             <line x1=\"{left}\" y1=\"{0}\" x2=\"{}\" y2=\"{0}\" stroke=\"#888\"/>",
            top + plot_h,
            w - 10.0
        );
        for i in 0..=4 {
            let v = (max * f64::from(i) / 4.0) as u64;
            let yy = y(v);
            let _ = writeln!(
                out,
                "<line x1=\"{left}\" y1=\"{yy:.1}\" x2=\"{}\" y2=\"{yy:.1}\" stroke=\"#eee\"/>\
                 <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
                w - 10.0,
                left - 4.0,
                yy + 4.0,
                human(v)
            );
        }
        if let (Some(first), Some(last)) = (frames.first(), frames.last()) {
            let _ = writeln!(
                out,
                "<text x=\"{left}\" y=\"{}\">frame {}</text><text x=\"{}\" y=\"{0}\" \
                 text-anchor=\"end\">frame {}</text>",
                h - 8.0,
                first.frame,
                w - 10.0,
                last.frame
            );
        }
        // Stacked bars.
        for (i, f) in frames.iter().enumerate() {
            let x = left + slot * i as f64 + (slot - bar_w) / 2.0;
            let mut acc = 0u64;
            // Every bar stacks its tags in one order (the largest overall at the bottom).
            let mut stacked: Vec<&(String, u64)> = f.by_tag.iter().collect();
            stacked.sort_by_key(|(tag, _)| tags.iter().position(|(t, _)| t == tag));
            for (tag, bytes) in stacked {
                let (y0, y1) = (y(acc), y(acc + bytes));
                acc += bytes;
                let _ = write!(
                    out,
                    "<rect class=\"bar\" x=\"{x:.2}\" y=\"{y1:.2}\" width=\"{bar_w:.2}\" \
                     height=\"{:.2}\" fill=\"{}\"><title>frame {}: ",
                    (y0 - y1).max(0.0),
                    colour.get(tag.as_str()).copied().unwrap_or("#999"),
                    f.frame
                );
                esc(out, tag);
                let _ = writeln!(out, " {}</title></rect>", human(*bytes));
            }
            if f.spike {
                let yy = y(f.bytes) - 6.0;
                let _ = writeln!(
                    out,
                    "<path class=\"spike\" d=\"M{:.2} {:.2} l4 -7 l-8 0 z\" fill=\"#d62728\">\
                     <title>spike: frame {} {}</title></path>",
                    x + bar_w / 2.0,
                    yy,
                    f.frame,
                    human(f.bytes)
                );
            }
        }
        // The peak line.
        if frames.iter().any(|f| f.peak > 0) {
            out.push_str("<polyline class=\"peak\" fill=\"none\" stroke=\"#222\" stroke-width=\"1.5\" points=\"");
            for (i, f) in frames.iter().enumerate() {
                let _ = write!(
                    out,
                    "{:.2},{:.2} ",
                    left + slot * (i as f64 + 0.5),
                    y(f.peak)
                );
            }
            out.push_str("\"><title>arena peak</title></polyline>\n");
        }
        if let (Some(budget), None) = (self.budget, budget_drawn) {
            let _ = writeln!(
                out,
                "<text class=\"budget\" x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#d62728\">\
                 budget {} (above the chart)</text>",
                w - 12.0,
                top + 10.0,
                human(budget)
            );
        }
        if let Some(budget) = budget_drawn {
            let yy = y(budget);
            let _ = writeln!(
                out,
                "<line class=\"budget\" x1=\"{left}\" y1=\"{yy:.1}\" x2=\"{}\" y2=\"{yy:.1}\" \
                 stroke=\"#d62728\" stroke-dasharray=\"6 4\"><title>budget {}</title></line>",
                w - 10.0,
                human(budget)
            );
        }
        out.push_str("</svg>\n<p class=\"legend\">");
        for (tag, _) in &tags {
            let _ = write!(out, "<span><i style=\"background:{}\"></i>", colour[tag]);
            esc(out, tag);
            out.push_str("</span>");
        }
        out.push_str(
            "<span><i style=\"background:#222;height:2px\"></i>arena peak</span>\
             <span><i style=\"background:#d62728;height:2px\"></i>budget</span>\
             <span><i style=\"background:#d62728\"></i>spike</span></p>\n",
        );
    }
}
