//! The one-command performance report: a short version of every group in one process.
//!
//! Each case is first calibrated to a batch of iterations lasting about `batch`. Then, round
//! after round, every group runs each of its cases for one batch, starting from a different
//! case each round, so that whatever the machine is doing at that moment falls on all the
//! cases of a group alike. A case's figure is the median of its rounds; a ratio is the median,
//! over rounds, of framealloc's time divided by the peer's time in the same round.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::{groups, Group, Peer, Subject};

/// How long and what to run.
#[derive(Clone, Debug)]
pub struct Options {
    /// Rounds per case; the figures are medians over them.
    pub rounds: usize,
    /// The target length of one timed batch.
    pub batch: Duration,
    /// Run only the groups whose name contains one of these (all when empty).
    pub filters: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            rounds: 15,
            batch: Duration::from_millis(40),
            filters: Vec::new(),
        }
    }
}

/// One case's samples, in ns per operation, one per round.
struct Samples {
    subject: Subject,
    detail: &'static str,
    iters: u64,
    ns: Vec<f64>,
}

fn median(xs: &mut [f64]) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => xs[n / 2],
        _ => (xs[n / 2 - 1] + xs[n / 2]) / 2.0,
    }
}

/// Iterations per batch for a case, so that a batch lasts about `target` of wall time. Wall
/// time, not the timed part: the reset cases spend most of an iteration filling frames
/// outside their timed region.
fn calibrate(run: &mut dyn FnMut(u64) -> Duration, target: Duration) -> u64 {
    run(1); // warm-up: first-touch page faults, chunk growth, lazy thread state
    let mut iters = 1u64;
    loop {
        let start = Instant::now();
        run(iters);
        let took = start.elapsed();
        if took >= target / 4 || iters >= 1 << 40 {
            let scale = target.as_secs_f64() / took.as_secs_f64().max(1e-9);
            return ((iters as f64 * scale).round() as u64).max(1);
        }
        iters *= 4;
    }
}

/// Runs the report and writes it as markdown to `out`; progress goes to `progress`.
pub fn run(opts: &Options, out: &mut dyn Write, progress: &mut dyn Write) -> io::Result<()> {
    let started = Instant::now();
    let select =
        |name: &str| opts.filters.is_empty() || opts.filters.iter().any(|f| name.contains(f));
    let mut groups = groups(&select);
    let resident = select("resident_memory");
    if groups.is_empty() && !resident {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "no group name contains any of {:?}; the groups are: {}",
                opts.filters,
                crate::cases::all()
                    .into_iter()
                    .map(|(n, _)| n)
                    .chain(["resident_memory".to_owned()])
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    let mut samples: Vec<Vec<Samples>> = Vec::new();
    for g in &mut groups {
        writeln!(progress, "calibrating {} ({} cases)", g.name, g.cases.len())?;
        samples.push(
            g.cases
                .iter_mut()
                .map(|c| Samples {
                    subject: c.subject,
                    detail: c.detail,
                    iters: calibrate(&mut |i| c.run(i), opts.batch),
                    ns: Vec::with_capacity(opts.rounds),
                })
                .collect(),
        );
    }
    for round in 0..opts.rounds {
        writeln!(progress, "round {} of {}", round + 1, opts.rounds)?;
        for (g, s) in groups.iter_mut().zip(&mut samples) {
            let n = g.cases.len();
            for k in 0..n {
                let i = (k + round) % n;
                let took = g.cases[i].run(s[i].iters);
                let per_op = took.as_nanos() as f64 / (s[i].iters * g.ops) as f64;
                s[i].ns.push(per_op);
            }
        }
    }
    if !groups.is_empty() {
        let table = render(&groups, &samples);
        out.write_all(table.as_bytes())?;
    }
    if resident {
        crate::resident::section(out, progress)?;
    }
    writeln!(
        out,
        "\n{}; {} rounds of {} ms batches per case; report took {:.0} s.",
        machine_line(),
        opts.rounds,
        opts.batch.as_millis(),
        started.elapsed().as_secs_f64()
    )?;
    Ok(())
}

/// Three significant digits.
fn ns(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else if x >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

fn ratio(x: f64) -> String {
    if x >= 10.0 {
        format!("{x:.0}x")
    } else {
        format!("{x:.2}x")
    }
}

fn render(groups: &[Group], samples: &[Vec<Samples>]) -> String {
    let used: Vec<Peer> = Peer::ALL
        .into_iter()
        .filter(|p| {
            samples
                .iter()
                .flatten()
                .any(|s| s.subject == Subject::Peer(*p))
        })
        .collect();
    let mut t = String::new();
    t.push_str("| case | framealloc ns/op |");
    for p in &used {
        let _ = write!(t, " {} |", p.name());
    }
    t.push_str("\n| --- | --- |");
    for _ in &used {
        t.push_str(" --- |");
    }
    t.push('\n');
    let mut spreads = Vec::new();
    for (g, s) in groups.iter().zip(samples) {
        for ours in s {
            let Subject::Framealloc(route) = ours.subject else {
                continue;
            };
            let mut mine = ours.ns.clone();
            let _ = write!(t, "| {} ({}) | {} |", g.title, route, ns(median(&mut mine)));
            for p in &used {
                match s.iter().find(|c| c.subject == Subject::Peer(*p)) {
                    Some(peer) => {
                        let mut theirs = peer.ns.clone();
                        let mut per_round: Vec<f64> =
                            ours.ns.iter().zip(&peer.ns).map(|(a, b)| a / b).collect();
                        let _ = write!(
                            t,
                            " {} ({}) |",
                            ns(median(&mut theirs)),
                            ratio(median(&mut per_round))
                        );
                    }
                    None => t.push_str(" — |"),
                }
            }
            t.push('\n');
        }
        for c in s {
            let mut xs = c.ns.clone();
            let m = median(&mut xs);
            let q = |f: f64| xs[((xs.len() - 1) as f64 * f).round() as usize];
            spreads.push((q(0.75) - q(0.25)) / m);
        }
    }
    let mut spreads_sorted = spreads.clone();
    let _ = writeln!(
        t,
        "\nns/op is the median over rounds; a peer's cell is its ns/op and framealloc's time \
         divided by it (below 1x, framealloc is faster). Interquartile range over rounds, \
         median over all {} cases: {:.1}% of the case's median.",
        spreads.len(),
        100.0 * median(&mut spreads_sorted)
    );
    let mut between = String::new();
    for (g, s) in groups.iter().zip(samples) {
        let mut ours = s
            .iter()
            .filter(|c| matches!(c.subject, Subject::Framealloc(_)));
        let Some(first) = ours.next() else { continue };
        let Subject::Framealloc(base) = first.subject else {
            continue;
        };
        for other in ours {
            let Subject::Framealloc(route) = other.subject else {
                continue;
            };
            let mut per_round: Vec<f64> =
                other.ns.iter().zip(&first.ns).map(|(a, b)| a / b).collect();
            let _ = writeln!(
                between,
                "- {}: {route} takes {} the time of {base}",
                g.title,
                ratio(median(&mut per_round))
            );
        }
    }
    if !between.is_empty() {
        t.push_str(
            "\nframealloc's routes against the group's first (per-round ratios, median):\n\n",
        );
        t.push_str(&between);
    }
    let notes = crate::take_notes();
    if !notes.is_empty() {
        t.push('\n');
        for n in notes {
            let _ = writeln!(t, "- {n}");
        }
    }
    t.push_str("\nWhat each peer runs:\n\n");
    for (g, s) in groups.iter().zip(samples) {
        let peers: Vec<String> = s
            .iter()
            .filter_map(|c| match c.subject {
                Subject::Peer(p) => Some(format!("{} `{}`", p.name(), c.detail)),
                Subject::Framealloc(_) => None,
            })
            .collect();
        let _ = writeln!(t, "- {} ({}): {}", g.title, g.name, peers.join("; "));
    }
    t
}

/// The CPU, the thread count, the OS, the compiler, the build and today's date.
pub fn machine_line() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let threads = std::thread::available_parallelism().map_or(0, |n| n.get());
    let build = if cfg!(debug_assertions) {
        "DEBUG BUILD (use --release)"
    } else {
        "release"
    };
    let guards = if framealloc::guard::COMPILED_IN {
        "guard code compiled in"
    } else {
        "guard code compiled out"
    };
    format!(
        "Machine: {cpu}, {threads} hardware threads, {}/{}; {}; {build}, {guards}; {}",
        std::env::consts::OS,
        std::env::consts::ARCH,
        env!("FRAMEALLOC_BENCH_RUSTC"),
        today()
    )
}

/// Today's date (UTC), as `YYYY-MM-DD`.
fn today() -> String {
    let days = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    civil(days)
}

/// The date `days` days after 1970-01-01, as `YYYY-MM-DD`.
fn civil(days: i64) -> String {
    // Civil date from days since 1970-01-01 (proleptic Gregorian calendar).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&mut []).is_nan());
    }

    #[test]
    fn three_significant_digits() {
        assert_eq!(ns(0.5321), "0.532");
        assert_eq!(ns(5.321), "5.32");
        assert_eq!(ns(53.21), "53.2");
        assert_eq!(ns(532.1), "532");
        assert_eq!(ratio(0.8712), "0.87x");
        assert_eq!(ratio(14.3), "14x");
    }

    fn report_of(filters: &[&str]) -> io::Result<String> {
        let opts = Options {
            rounds: 2,
            batch: Duration::from_millis(1),
            filters: filters.iter().map(|f| f.to_string()).collect(),
        };
        let mut out = Vec::new();
        run(&opts, &mut out, &mut io::sink())?;
        Ok(String::from_utf8(out).expect("markdown is UTF-8"))
    }

    #[test]
    fn a_filtered_report_has_the_used_peer_columns_and_a_row_per_route() {
        let md = report_of(&["scope", "soa_iter"]).unwrap();
        let lines: Vec<&str> = md.lines().collect();
        assert_eq!(
            lines[0],
            "| case | framealloc ns/op | bump-scope | soa_derive | hand-written |"
        );
        assert_eq!(lines[1], "| --- | --- | --- | --- | --- |");
        assert!(lines[2].starts_with("| scope: enter, alloc 8 u64, rewind (Frame::scope) | "));
        assert!(
            lines[2].contains(" | — | "),
            "scope has no soa_derive peer: {}",
            lines[2]
        );
        assert_eq!(
            lines[2].matches("x)").count(),
            2,
            "two ratios: {}",
            lines[2]
        );
        assert!(lines[3].contains("(#[soa] iter_mut)"));
        assert_eq!(
            lines[3].matches("x)").count(),
            2,
            "two ratios: {}",
            lines[3]
        );
        assert!(md.contains("Machine: "));
        assert!(md.contains("2 rounds of 1 ms batches"));
    }

    #[test]
    fn a_filter_matching_nothing_names_the_groups() {
        let err = report_of(&["no-such-group"]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        let msg = err.to_string();
        assert!(
            msg.contains("no group name contains any of [\"no-such-group\"]"),
            "{msg}"
        );
        assert!(msg.contains("alloc_u64, alloc_64B"), "{msg}");
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), "1970-01-01");
        assert_eq!(civil(59), "1970-03-01");
        assert_eq!(civil(11_016), "2000-02-29");
        assert_eq!(civil(20_778), "2026-11-21");
        let d = today();
        assert_eq!(d.len(), 10, "{d}");
        assert!(d.starts_with("20"), "{d}");
    }
}
