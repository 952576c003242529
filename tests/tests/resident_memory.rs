//! Resident memory after a spike, per retention policy: a steady 2 MiB frame loop, one
//! 256 MiB frame, then the steady loop again. The process's resident set (`/proc/self/statm`)
//! must come back to at most 1.25 times the steady loop's within the adaptive window, with
//! system chunks and with virtual-memory chunks; keep-everything and a fixed limit are
//! printed beside them (`cargo test --test resident_memory -- --nocapture`). Each column is
//! the growth of the resident set over its value before the policy's arena was made; an
//! earlier run's freed memory that the allocator kept can serve a later run's steady loop,
//! which is why the last rows' steady figure can read lower.
//!
//! One test in its own binary, so that no other test's memory moves the figure.

use framealloc::{ArenaConfig, FrameArena, Retention, VirtualSource};

const STEADY: usize = 2 << 20;
const SPIKE: usize = 256 << 20;
const WINDOW: u32 = 60;

/// The process's resident bytes, or `None` where `/proc/self/statm` cannot be read.
fn resident() -> Option<usize> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: usize = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// A frame that writes `bytes` in 64 KiB pieces (every page touched).
fn frame_of(arena: &mut FrameArena, bytes: usize) {
    arena.frame(|f| {
        let mut left = bytes;
        while left > 0 {
            let n = left.min(64 << 10);
            let block = f.alloc_batch::<u8>(n);
            // SAFETY: `block` is `n` bytes the frame handed out; writing bytes initialises them.
            unsafe { core::ptr::write_bytes(block.as_mut_ptr(), 1, n) };
            left -= n;
        }
    });
}

struct Run {
    name: &'static str,
    steady_high: usize,
    spike: usize,
    after: usize,
    frames_to_settle: Option<u32>,
}

fn run(name: &'static str, config: ArenaConfig) -> Run {
    let base = resident().expect("statm");
    let mut arena = FrameArena::with_config(config.guards(false));
    let mut steady_high = 0;
    for _ in 0..2 * WINDOW {
        frame_of(&mut arena, STEADY);
        steady_high = steady_high.max(resident().unwrap().saturating_sub(base));
    }
    frame_of(&mut arena, SPIKE);
    let spike = resident().unwrap().saturating_sub(base);
    let mut frames_to_settle = None;
    let mut after = 0;
    for i in 1..=2 * WINDOW {
        frame_of(&mut arena, STEADY);
        after = resident().unwrap().saturating_sub(base);
        if frames_to_settle.is_none() && after * 4 <= steady_high * 5 {
            frames_to_settle = Some(i);
        }
    }
    drop(arena);
    Run {
        name,
        steady_high,
        spike,
        after,
        frames_to_settle,
    }
}

#[test]
#[cfg_attr(miri, ignore = "Miri cannot read /proc/self/statm")]
fn resident_memory_returns_after_a_spike() {
    if resident().is_none() {
        eprintln!("no /proc/self/statm here: nothing to measure");
        return;
    }
    let runs = [
        run(
            "adaptive, system chunks",
            ArenaConfig::new().retention(Retention::adaptive(WINDOW, 20)),
        ),
        run(
            "adaptive, virtual memory",
            ArenaConfig::new()
                .virtual_memory(VirtualSource::new(1 << 30))
                .retention(Retention::adaptive(WINDOW, 20)),
        ),
        run(
            "fixed limit 4 MiB",
            ArenaConfig::new().retention(Retention::UpTo(4 << 20)),
        ),
        run(
            "keep everything",
            ArenaConfig::new().retention(Retention::KeepAll),
        ),
    ];
    println!(
        "{:<26} {:>12} {:>12} {:>12} {:>14}  settled (<= 1.25x steady) after",
        "policy", "steady MiB", "spike MiB", "after MiB", "after / 2 MiB"
    );
    for r in &runs {
        println!(
            "{:<26} {:>12.2} {:>12.2} {:>12.2} {:>13.2}x  {}",
            r.name,
            r.steady_high as f64 / 1048576.0,
            r.spike as f64 / 1048576.0,
            r.after as f64 / 1048576.0,
            r.after as f64 / STEADY as f64,
            r.frames_to_settle
                .map_or("never".to_string(), |n| format!("{n} frames"))
        );
    }
    for r in &runs[..2] {
        assert!(r.spike >= SPIKE / 2, "{}: the spike was resident", r.name);
        let settled = r
            .frames_to_settle
            .unwrap_or_else(|| panic!("{}: resident memory never came back", r.name));
        assert!(
            settled <= WINDOW + 1,
            "{}: came back after {settled} frames, window {WINDOW}",
            r.name
        );
        assert!(
            r.after * 4 <= r.steady_high * 5,
            "{}: {} bytes resident after, steady high {}",
            r.name,
            r.after,
            r.steady_high
        );
    }
    assert!(
        runs[3].after >= SPIKE / 2,
        "keep-everything keeps the spike"
    );
}
