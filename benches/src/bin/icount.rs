//! Instruction counts of framealloc's hot paths, under callgrind: deterministic where timings
//! are not, so a change that moves a hot path shows as a number, not as noise.
//!
//! ```text
//! cargo run --release -p framealloc-benches --bin icount             # counts beside the baseline
//! cargo run --release -p framealloc-benches --bin icount -- --check  # exit 1 if a path rose > 2%
//! cargo run --release -p framealloc-benches --bin icount -- --update # rewrite the baseline
//! ```
//!
//! Each path runs twice under `valgrind --tool=callgrind`, for `n` and `2n` units of work in
//! the same process shape; the difference divided by `n` is the count of one unit, free of
//! start-up and set-up costs. A unit is one operation (one allocation, one scope, one push),
//! except where the name says otherwise.
//!
//! Two baselines: `benches/icount-baseline.txt` for framealloc with its features off
//! (`--no-default-features`: the fast paths as most programs build them), and
//! `benches/icount-baseline-profiler.txt` for the default build of this crate, which compiles
//! the profiler in (none attached). CI checks both.

use std::hint::black_box;
use std::process::{Command, ExitCode};

use framealloc::{soa, ArenaConfig, FrameArena, SmartAlloc};

/// How much a path may rise over its baseline before `--check` fails, in percent.
const TOLERANCE_PERCENT: f64 = 2.0;

/// The paths: name, what one unit is, and the units in the shorter of the two runs.
/// `reset_10k` counts only inside [`icount_reset_region`].
const PATHS: &[(&str, &str, u64)] = &[
    ("alloc_u64", "Frame::alloc of a u64", 20_000),
    ("alloc_64b", "Frame::alloc of a [u8; 64]", 20_000),
    ("batch_1000", "alloc_batch of 1000 u64, filled", 200),
    ("scope", "scope: enter, 8 allocations of u64, rewind", 5_000),
    (
        "reset_10k",
        "FrameArena::reset of 10,000 allocations of 64 B",
        40,
    ),
    (
        "vec_push",
        "FrameVec::push within reserved capacity",
        20_000,
    ),
    (
        "pool_pair",
        "SmartAlloc::pool_box of a u64 and its drop",
        10_000,
    ),
    (
        "smart_frame_alloc",
        "SmartFrame::frame_alloc of a u64",
        20_000,
    ),
    (
        "format",
        "frame_format! of a short label of two integers, frozen",
        10_000,
    ),
    (
        "soa_update",
        "#[soa] update of 1000 particles (pos += vel * dt)",
        200,
    ),
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [run, path, n] if run == "run" => match n.parse() {
            Ok(n) => run_path(path, n),
            Err(_) => usage(),
        },
        [] => drive(Mode::Show),
        [flag] if flag == "--check" => drive(Mode::Check),
        [flag] if flag == "--update" => drive(Mode::Update),
        _ => usage(),
    }
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: icount [--check | --update]\n\
         \n\
         Runs each hot path under valgrind's callgrind and prints instructions per unit beside\n\
         benches/icount-baseline-profiler.txt (benches/icount-baseline.txt with\n\
         --no-default-features). --check exits 1 if a path rose more than {TOLERANCE_PERCENT}%,\n\
         --update rewrites the baseline."
    );
    ExitCode::from(2)
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Show,
    Check,
    Update,
}

fn baseline_path() -> std::path::PathBuf {
    let name = if cfg!(feature = "profiler") {
        "icount-baseline-profiler.txt"
    } else {
        "icount-baseline.txt"
    };
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

/// Reads `name count` lines (`#` starts a comment).
fn read_baseline() -> Vec<(String, f64)> {
    let Ok(text) = std::fs::read_to_string(baseline_path()) else {
        return Vec::new();
    };
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            let name = parts.next()?.to_owned();
            let count = parts.next()?.parse().ok()?;
            Some((name, count))
        })
        .collect()
}

fn drive(mode: Mode) -> ExitCode {
    if Command::new("valgrind").arg("--version").output().is_err() {
        eprintln!("icount: valgrind is not installed (Debian: apt-get install valgrind)");
        return ExitCode::from(2);
    }
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => {
            eprintln!("icount: cannot find this program's path: {e}");
            return ExitCode::from(2);
        }
    };
    let baseline = read_baseline();
    let mut measured = Vec::new();
    let mut risen = Vec::new();
    println!("| path | unit | instructions | baseline | change |");
    println!("| --- | --- | ---: | ---: | ---: |");
    for &(name, unit, n) in PATHS {
        let count = match (collect(&exe, name, n), collect(&exe, name, 2 * n)) {
            (Ok(one), Ok(two)) => (two as f64 - one as f64) / n as f64,
            (Err(e), _) | (_, Err(e)) => {
                eprintln!("icount: {name}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let base = baseline.iter().find(|(b, _)| b == name).map(|&(_, c)| c);
        let change = base.map(|b| (count - b) / b * 100.0);
        println!(
            "| {name} | {unit} | {count:.2} | {} | {} |",
            base.map_or("-".to_owned(), |b| format!("{b:.2}")),
            change.map_or("new".to_owned(), |c| format!("{c:+.2}%")),
        );
        if change.is_some_and(|c| c > TOLERANCE_PERCENT) {
            risen.push(name);
        }
        measured.push((name, count));
    }
    match mode {
        Mode::Update => {
            let flags = if cfg!(feature = "profiler") {
                ""
            } else {
                " --no-default-features"
            };
            let mut text = format!(
                "# Instructions per unit of each hot path (callgrind), written by\n\
                 # `cargo run --release -p framealloc-benches{flags} --bin icount -- --update`.\n"
            );
            for (name, count) in &measured {
                text.push_str(&format!("{name} {count:.2}\n"));
            }
            if let Err(e) = std::fs::write(baseline_path(), text) {
                eprintln!("icount: cannot write the baseline: {e}");
                return ExitCode::FAILURE;
            }
            println!("\nbaseline written to {}", baseline_path().display());
            ExitCode::SUCCESS
        }
        Mode::Check if !risen.is_empty() => {
            eprintln!(
                "\nicount: {} rose more than {TOLERANCE_PERCENT}% over the baseline: {}",
                if risen.len() == 1 { "a path" } else { "paths" },
                risen.join(", ")
            );
            ExitCode::FAILURE
        }
        Mode::Check
            if measured
                .iter()
                .any(|(n, _)| !baseline.iter().any(|(b, _)| b == n)) =>
        {
            eprintln!("\nicount: a path has no baseline; run with --update");
            ExitCode::FAILURE
        }
        _ => ExitCode::SUCCESS,
    }
}

/// Instructions callgrind counts for `icount run <path> <n>`.
fn collect(exe: &std::path::Path, path: &str, n: u64) -> Result<u64, String> {
    let mut valgrind = Command::new("valgrind");
    valgrind.args(["--tool=callgrind", "--callgrind-out-file=/dev/null"]);
    if path == "reset_10k" {
        valgrind.args([
            "--collect-atstart=no",
            "--toggle-collect=*icount_reset_region*",
        ]);
    }
    let out = valgrind
        .arg(exe)
        .args(["run", path, &n.to_string()])
        .output()
        .map_err(|e| format!("cannot run valgrind: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("the run failed:\n{stderr}"));
    }
    stderr
        .lines()
        .find_map(|l| {
            let (_, rest) = l.split_once("Collected :")?;
            rest.trim().parse().ok()
        })
        .ok_or_else(|| format!("no instruction count in callgrind's output:\n{stderr}"))
}

#[soa]
#[derive(Clone, Copy, Default)]
struct Particle {
    pos: [f32; 3],
    vel: [f32; 3],
    mass: f32,
}

/// Runs `n` units of `path`. Every path does the same set-up whatever `n` is, so the
/// difference of two runs is the units alone.
fn run_path(path: &str, n: u64) -> ExitCode {
    // Guards are compiled out of release builds; say so explicitly all the same.
    let config = || ArenaConfig::new().guards(false);
    match path {
        "alloc_u64" => {
            let mut arena = FrameArena::with_config(config());
            frames_of(&mut arena, n, 1000, |f, i| {
                black_box(f.alloc(black_box(i)));
            });
        }
        "alloc_64b" => {
            let mut arena = FrameArena::with_config(config());
            frames_of(&mut arena, n, 1000, |f, i| {
                black_box(f.alloc(black_box([i as u8; 64])));
            });
        }
        "batch_1000" => {
            let mut arena = FrameArena::with_config(config());
            frames_of(&mut arena, n, 1, |f, i| {
                let batch = f.alloc_batch::<u64>(1000);
                for (k, slot) in batch.iter_mut().enumerate() {
                    slot.write(i + k as u64);
                }
                black_box(batch);
            });
        }
        "scope" => {
            let mut arena = FrameArena::with_config(config());
            arena.frame(|mut f| {
                // A chunk in use before the first scope: a scope that starts with none
                // would take its first chunk and give it up again every time.
                black_box(f.alloc(0u64));
                for i in 0..n {
                    f.scope(|g| {
                        for k in 0..8 {
                            black_box(g.alloc(black_box(i + k)));
                        }
                    });
                }
            });
        }
        "reset_10k" => {
            let mut arena = FrameArena::with_config(config());
            for i in 0..n {
                let mut fg = arena.begin_frame();
                let f = fg.frame();
                for k in 0..10_000u64 {
                    black_box(f.alloc(black_box([(i + k) as u8; 64])));
                }
                icount_reset_region(fg);
            }
        }
        "vec_push" => {
            let mut arena = FrameArena::with_config(config());
            let per_frame = 1000;
            for frame in 0..n.div_ceil(per_frame) {
                arena.frame(|f| {
                    let mut v = f.vec_with_capacity(per_frame as usize);
                    for i in 0..per_frame.min(n - frame * per_frame) {
                        v.push(black_box(i));
                    }
                    black_box(v.as_slice());
                });
            }
        }
        "pool_pair" => {
            let alloc = SmartAlloc::new();
            for i in 0..n {
                let b = alloc.pool_box(black_box(i));
                black_box(&*b);
            }
        }
        "smart_frame_alloc" => {
            let alloc = SmartAlloc::new();
            let per_frame = 1000;
            for frame in 0..n.div_ceil(per_frame) {
                let f = alloc.begin_frame();
                for i in 0..per_frame.min(n - frame * per_frame) {
                    black_box(f.frame_alloc(black_box(i)));
                }
                drop(f);
            }
        }
        "format" => {
            let mut arena = FrameArena::with_config(config());
            frames_of(&mut arena, n, 1000, |f, i| {
                let hp = black_box(i as u32 / 2);
                black_box(framealloc::frame_format!(in f, "unit {}: {} hp", i, hp).into_str());
            });
        }
        "soa_update" => {
            let mut soa = ParticleSoa::with_capacity(1000);
            for i in 0..1000 {
                soa.push(Particle {
                    pos: [i as f32; 3],
                    vel: [1.0, 2.0, 3.0],
                    mass: 1.0,
                });
            }
            let dt = black_box(1.0 / 60.0f32);
            for _ in 0..n {
                let s = soa.slices_mut();
                for (p, v) in s
                    .pos
                    .as_flattened_mut()
                    .iter_mut()
                    .zip(s.vel.as_flattened())
                {
                    *p += v * dt;
                }
                black_box(soa.pos());
            }
        }
        _ => {
            eprintln!("icount: unknown path `{path}`");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}

/// `n` units of `op` (given the frame and the unit's number), `per_frame` to a frame.
fn frames_of(
    arena: &mut FrameArena,
    n: u64,
    per_frame: u64,
    mut op: impl FnMut(&framealloc::Frame<'_, '_>, u64),
) {
    let mut done = 0;
    while done < n {
        let here = per_frame.min(n - done);
        arena.frame(|f| {
            for i in done..done + here {
                op(&f, i);
            }
        });
        done += here;
    }
}

/// Ends a frame: the reset, and all callgrind counts of the `reset_10k` path (the fills
/// before it are not collected).
#[inline(never)]
fn icount_reset_region(frame: framealloc::FrameGuard<'_>) {
    drop(black_box(frame));
}
