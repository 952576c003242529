//! Resident memory over a spiky 10,000-frame run, per retention policy.
//!
//! The run: frames of about 2 MiB (±25%), every byte written, with six spikes of 32 to
//! 256 MiB. Each policy runs in a child process of its own (the `report` binary started again
//! with `--resident-child NAME`), so that no policy inherits memory another freed; the child
//! samples its resident set (`/proc/self/statm`) every 10 frames.

use std::io::{self, Write};
use std::process::Command;
use std::time::Instant;

use framealloc::{ArenaConfig, FrameArena, Retention, VirtualSource};

/// Frames in the run.
pub const FRAMES: usize = 10_000;
/// Frames between resident-set samples.
const EVERY: usize = 10;
/// The usual frame.
const STEADY: usize = 2 << 20;
/// `(frame, bytes)` of the spikes.
const SPIKES: [(usize, usize); 6] = [
    (1000, 64 << 20),
    (2500, 256 << 20),
    (4000, 32 << 20),
    (5500, 128 << 20),
    (7000, 256 << 20),
    (8500, 64 << 20),
];

/// The policies compared, by name.
pub const POLICIES: [&str; 4] = [
    "adaptive (default)",
    "adaptive, virtual memory",
    "fixed limit 8 MiB",
    "keep everything",
];

fn config(policy: &str) -> Option<ArenaConfig> {
    let base = ArenaConfig::new().guards(false);
    Some(match policy {
        "adaptive (default)" => base,
        "adaptive, virtual memory" => base.virtual_memory(VirtualSource::new(1 << 30)),
        "fixed limit 8 MiB" => base.retention(Retention::UpTo(8 << 20)),
        "keep everything" => base.retention(Retention::KeepAll),
        _ => return None,
    })
}

/// The process's resident bytes (0 where `/proc/self/statm` cannot be read).
fn resident() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<usize>().ok())
        .map_or(0, |pages| pages * 4096)
}

/// Runs the workload under `policy` and prints `base <bytes>`, `ms <ms>` and
/// `samples <bytes>...` (the resident set every `EVERY` frames) on standard output.
pub fn child(policy: &str) -> io::Result<()> {
    let config = config(policy).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("unknown policy {policy:?}; the policies are {POLICIES:?}"),
        )
    })?;
    let base = resident();
    let mut arena = FrameArena::with_config(config);
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut samples = Vec::with_capacity(FRAMES / EVERY);
    let start = Instant::now();
    for frame in 0..FRAMES {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let jitter = (seed % (STEADY as u64 / 2)) as usize;
        let bytes = SPIKES
            .iter()
            .find(|&&(at, _)| at == frame)
            .map_or(STEADY - STEADY / 4 + jitter, |&(_, b)| b);
        arena.frame(|f| {
            let mut left = bytes;
            while left > 0 {
                let n = left.min(64 << 10);
                let block = f.alloc_batch::<u8>(n);
                // SAFETY: `block` is `n` bytes the frame handed out; writing bytes
                // initialises them.
                unsafe { std::ptr::write_bytes(block.as_mut_ptr(), 1, n) };
                left -= n;
            }
        });
        if frame % EVERY == EVERY - 1 {
            samples.push(resident());
        }
    }
    let mut out = io::stdout().lock();
    writeln!(out, "base {base}")?;
    writeln!(out, "held {}", arena.stats().capacity)?;
    writeln!(out, "ms {}", start.elapsed().as_millis())?;
    write!(out, "samples")?;
    for s in samples {
        write!(out, " {s}")?;
    }
    writeln!(out)
}

struct Run {
    policy: &'static str,
    ms: u64,
    /// The arena's chunk bytes at the end.
    held: usize,
    /// Resident bytes above the child's own before its arena, every `EVERY` frames.
    rss: Vec<usize>,
}

fn spawn(policy: &'static str) -> io::Result<Run> {
    let output = Command::new(std::env::current_exe()?)
        .args(["--resident-child", policy])
        .output()?;
    if !output.status.success() {
        return Err(io::Error::other(format!(
            "the {policy:?} run failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(str::trim)
            .unwrap_or("")
            .to_owned()
    };
    let base: usize = field("base ").parse().unwrap_or(0);
    let ms = field("ms ").parse().unwrap_or(0);
    let held = field("held ").parse().unwrap_or(0);
    let rss = field("samples")
        .split_whitespace()
        .filter_map(|s| s.parse::<usize>().ok())
        .map(|s| s.saturating_sub(base))
        .collect();
    Ok(Run {
        policy,
        ms,
        held,
        rss,
    })
}

fn mib(bytes: f64) -> String {
    format!("{:.1}", bytes / 1048576.0)
}

/// Runs every policy in a child process and writes the table and a plot to `out`.
pub fn section(out: &mut dyn Write, progress: &mut dyn Write) -> io::Result<()> {
    let mut runs = Vec::new();
    for policy in POLICIES {
        writeln!(progress, "resident memory: {policy}")?;
        runs.push(spawn(policy)?);
    }
    writeln!(
        out,
        "\n### Resident memory over {FRAMES} spiky frames\n\nFrames of 2 MiB ±25%, every byte \
         written, and spikes of {} MiB at frames {}; each policy in a process of its own, its \
         resident set above its start sampled every {EVERY} frames. \"Steady\" is the median \
         over the first {} frames; \"over 1.25x\" counts the samples after the first spike \
         above 1.25 times it.\n",
        SPIKES
            .iter()
            .map(|(_, b)| (b >> 20).to_string())
            .collect::<Vec<_>>()
            .join(", "),
        SPIKES
            .iter()
            .map(|(f, _)| f.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        SPIKES[0].0
    )?;
    writeln!(
        out,
        "| policy | steady MiB | peak MiB | mean MiB | final MiB | samples over 1.25x steady | chunks held at the end, MiB | run ms |"
    )?;
    writeln!(
        out,
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    )?;
    let first_spike = SPIKES[0].0 / EVERY;
    for r in &runs {
        if r.rss.is_empty() {
            writeln!(
                out,
                "| {} | no /proc/self/statm here | | | | | | |",
                r.policy
            )?;
            continue;
        }
        let mut early: Vec<usize> = r.rss[..first_spike.min(r.rss.len())].to_vec();
        early.sort_unstable();
        let steady = early.get(early.len() / 2).copied().unwrap_or(0);
        let peak = r.rss.iter().copied().max().unwrap_or(0);
        let mean = r.rss.iter().sum::<usize>() as f64 / r.rss.len() as f64;
        let over = r.rss[first_spike.min(r.rss.len())..]
            .iter()
            .filter(|&&x| x * 4 > steady * 5)
            .count();
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} of {} | {} | {} |",
            r.policy,
            mib(steady as f64),
            mib(peak as f64),
            mib(mean),
            mib(*r.rss.last().unwrap() as f64),
            over,
            r.rss.len() - first_spike.min(r.rss.len()),
            mib(r.held as f64),
            r.ms
        )?;
    }
    // The plot: one row per policy, one column per 100 frames (the highest sample in it), on a
    // log scale from 1 MiB (blank) to 512 MiB (full block).
    const LEVELS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    writeln!(
        out,
        "\nResident memory, one column per 100 frames, log scale (blank: 1 MiB or less, each \
         step: 2.7x more, full block: 512 MiB):\n\n```text"
    )?;
    for r in &runs {
        let mut line = String::new();
        for chunk in r.rss.chunks(100 / EVERY) {
            let top = chunk.iter().copied().max().unwrap_or(0) as f64 / 1048576.0;
            let level = if top <= 1.0 {
                0
            } else {
                ((top.log2() / 9.0 * 8.0).ceil() as usize).clamp(1, 8)
            };
            line.push(LEVELS[level]);
        }
        writeln!(out, "{:<26} |{line}|", r.policy)?;
    }
    writeln!(out, "```")?;
    Ok(())
}
