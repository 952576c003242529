//! A long soak: frames of a seeded random workload on every worker of a thread pool, every
//! value read back and checked, resident memory printed at intervals and required to stay
//! flat after warm-up.
//!
//! ```text
//! cargo run --release -p framealloc-benches --bin soak                  # one million frames
//! cargo run --release -p framealloc-benches --bin soak -- 20000 4 7     # frames, workers, seed
//! ```
//!
//! Each frame, each worker draws its work from a generator seeded by (seed, frame, worker):
//! frame values through `SmartFrame::frame_alloc` or a `LocalFrame`, slices, growing
//! `FrameVec`s, boxes that run `Drop`, a thread frame with nested scopes, `FrameHandle`s that
//! must read as stale one frame later, pool boxes that another worker checks and frees in a
//! later frame, tags, and a tag budget that must refuse an allocation past it. Values shared
//! with the main thread are checked there before the frame ends. Any wrong value, missing
//! refusal or memory growth panics, so the process exits non-zero.

use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Instant;

use framealloc::{AllocConfig, AllocError, FrameHandle, PoolBox, SmartAlloc, TagBudget};

/// The budgeted tag's hard limit per frame, over all workers.
const TAG_LIMIT: usize = 256 << 10;
/// Pool boxes waiting for another worker; beyond it, the oldest are freed at once.
const MAILBOX_MAX: usize = 4096;

/// Pool boxes one worker made, each with the value it holds, for another to check and free.
type Mailbox<'a> = Mutex<Vec<(PoolBox<'a, [u64; 4]>, u64)>>;

fn main() -> ExitCode {
    let args: Vec<u64> = match std::env::args().skip(1).map(|a| a.parse()).collect() {
        Ok(args) => args,
        Err(_) => {
            eprintln!("usage: soak [frames [workers [seed]]]  (defaults: 1000000 4 1)");
            return ExitCode::from(2);
        }
    };
    let frames = args.first().copied().unwrap_or(1_000_000);
    let workers = args.get(1).copied().unwrap_or(4).max(1) as usize;
    let seed = args.get(2).copied().unwrap_or(1);
    run(frames, workers, seed);
    ExitCode::SUCCESS
}

/// A small, fast, seeded generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn new(seed: u64, frame: u64, worker: u64) -> Self {
        let mut x = seed ^ frame.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (worker << 48);
        x = x.max(1);
        let mut rng = Rng(x);
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The value a worker stores at position `k` of frame `frame`.
fn value(frame: u64, worker: usize, k: u64) -> u64 {
    frame.rotate_left(17) ^ (worker as u64).rotate_left(40) ^ k.wrapping_mul(0x9E37_79B9)
}

/// Resident memory in bytes, from `/proc/self/statm` (0 where there is none).
fn resident() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096)
}

fn run(frames: u64, workers: usize, seed: u64) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()
        .expect("a thread pool");
    let alloc = SmartAlloc::with_config(
        AllocConfig::new()
            .tag_budget("soak/budgeted", TagBudget::hard(TAG_LIMIT))
            .history_len(16),
    );
    let mailbox: Mailbox<'_> = Mutex::new(Vec::new());
    let stale: Vec<Mutex<Option<FrameHandle<u64>>>> =
        (0..workers).map(|_| Mutex::new(None)).collect();
    let start = Instant::now();
    let warm_up = (frames / 20).max(1);
    let report_every = (frames / 10).max(1);
    let mut warm_rss = 0;
    let mut peak_rss = 0;
    let mut checked: u64 = 0;
    println!("soak: {frames} frames, {workers} workers, seed {seed}");
    for n in 0..frames {
        let frame = alloc.begin_frame();
        let shared: Vec<Vec<(&u64, u64)>> = pool.broadcast(|ctx| {
            worker(
                &alloc,
                &frame,
                &mailbox,
                &stale[ctx.index()],
                n,
                ctx.index(),
                seed,
            )
        });
        // Values from every worker's arena, read on this thread before the frame ends.
        for (got, want) in shared.iter().flatten() {
            assert_eq!(**got, *want, "frame {n}: a shared frame value changed");
            checked += 1;
        }
        drop(shared);
        let stats = frame.end();
        assert_eq!(stats.frame, n, "frame numbers run in order");
        if n + 1 == warm_up {
            warm_rss = resident();
        }
        if n + 1 > warm_up {
            peak_rss = peak_rss.max(resident());
        }
        if (n + 1) % report_every == 0 || n + 1 == frames {
            println!(
                "frame {:>8}: resident {:>7} KiB, {:>10} values checked, {:.1} s",
                n + 1,
                resident() >> 10,
                checked,
                start.elapsed().as_secs_f64()
            );
        }
    }
    drop(std::mem::take(
        &mut *mailbox.lock().expect("no worker panicked"),
    ));
    // Flat after warm-up: at most a quarter more, plus a little for the allocator's own
    // bookkeeping (a few pages of thread stacks and free lists).
    if warm_rss > 0 && frames > warm_up {
        let allowed = warm_rss + warm_rss / 4 + (2 << 20);
        println!(
            "resident memory: {} KiB after warm-up, at most {} KiB after (allowed {} KiB)",
            warm_rss >> 10,
            peak_rss >> 10,
            allowed >> 10
        );
        assert!(
            peak_rss <= allowed,
            "resident memory grew after warm-up: {peak_rss} > {allowed} bytes"
        );
    }
    let totals = alloc.stats();
    assert_eq!(totals.frames, frames, "every frame was counted");
    println!(
        "done: {frames} frames, {checked} shared values checked, {:.1} s",
        start.elapsed().as_secs_f64()
    );
}

/// One worker's part of frame `n`: returns frame values (and what they must read) for the
/// main thread to check.
#[allow(clippy::too_many_arguments)]
fn worker<'a, 's>(
    alloc: &'a SmartAlloc,
    frame: &'s framealloc::SmartFrame<'_>,
    mailbox: &Mailbox<'a>,
    stale: &Mutex<Option<FrameHandle<u64>>>,
    n: u64,
    w: usize,
    seed: u64,
) -> Vec<(&'s u64, u64)> {
    let mut rng = Rng::new(seed, n, w as u64);
    let mut shared = Vec::new();

    // Frame values, through the per-call path or a local frame, read back at the end.
    let count = rng.below(24);
    if rng.below(2) == 0 {
        for k in 0..count {
            let v = frame.frame_alloc(value(n, w, k));
            shared.push((&*v, value(n, w, k)));
        }
    } else {
        let here = frame.for_current_thread();
        let xs = here.alloc_slice_fill_with(count as usize, |k| value(n, w, k as u64));
        let mut names = here.frame_vec();
        for k in 0..rng.below(8) {
            names.push(format!("{n}/{w}/{k}"));
        }
        for (k, x) in xs.iter().enumerate() {
            assert_eq!(
                *x,
                value(n, w, k as u64),
                "frame {n}: a slice value changed"
            );
        }
        for (k, name) in names.iter().enumerate() {
            assert_eq!(
                *name,
                format!("{n}/{w}/{k}"),
                "frame {n}: a vector's string changed"
            );
        }
        drop(names);
        for x in xs.iter() {
            shared.push((x, *x));
        }
    }

    // A growing vector of the allocator's frame, and a box that runs Drop.
    let mut v = frame.frame_vec();
    let len = rng.below(300);
    v.extend((0..len).map(|k| value(n, w, k) as u32));
    let boxed = frame.frame_box(vec![n; rng.below(4) as usize]);
    assert!(
        v.iter()
            .enumerate()
            .all(|(k, x)| *x == value(n, w, k as u64) as u32),
        "frame {n}: a vector element changed"
    );
    assert!(boxed.iter().all(|x| *x == n));
    drop(boxed);

    // Tags, and a budget that must refuse what does not fit.
    alloc.with_tag("soak", || {
        alloc.with_tag("budgeted", || {
            let small = frame.frame_slice(64, n as u8);
            assert!(small.iter().all(|b| *b == n as u8));
            if rng.below(16) == 0 {
                match frame.try_frame_slice(TAG_LIMIT + 1, 0u8) {
                    Err(AllocError::BudgetExceeded { .. }) => {}
                    other => panic!(
                        "frame {n}: an allocation past the tag's budget was not refused: {:?}",
                        other.map(|s| s.len())
                    ),
                }
            }
        });
    });

    // A thread frame with nested scopes; a handle from the last frame must read as stale.
    let keep = rng.below(1000);
    alloc.frame(|mut f| {
        if let Some(old) = stale.lock().expect("no worker panicked").take() {
            assert!(
                old.try_get(&f).is_none(),
                "frame {n}: a handle from an ended thread frame still reads"
            );
        }
        let outer = f.alloc(value(n, w, keep));
        let depth = rng.below(4);
        let inner = f.scope(|g| nest(g, depth, value(n, w, keep + 1)));
        assert_eq!(inner, value(n, w, keep + 1) * (depth + 1));
        assert_eq!(
            *outer,
            value(n, w, keep),
            "frame {n}: a value under a scope changed"
        );
        *stale.lock().expect("no worker panicked") = Some(f.handle(keep));
    });

    // Pool boxes freed on another worker in a later frame.
    let mut mine = Vec::new();
    for k in 0..rng.below(6) {
        let x = value(n, w, k ^ 0xFFFF);
        mine.push((alloc.pool_box([x, !x, x, !x]), x));
    }
    let taken: Vec<_> = {
        let mut mailbox = mailbox.lock().expect("no worker panicked");
        let take = (rng.below(8) as usize).min(mailbox.len());
        let split = mailbox.len() - take;
        let taken = mailbox.split_off(split);
        mailbox.extend(mine);
        let excess = mailbox.len().saturating_sub(MAILBOX_MAX);
        let old: Vec<_> = mailbox.drain(..excess).collect();
        drop(mailbox);
        taken.into_iter().chain(old).collect()
    };
    for (b, x) in taken {
        assert_eq!(*b, [x, !x, x, !x], "frame {n}: a pool block changed");
    }

    assert!(
        v.iter()
            .enumerate()
            .all(|(k, x)| *x == value(n, w, k as u64) as u32),
        "frame {n}: a vector element changed later in the frame"
    );
    drop(v);
    shared
}

/// `depth` scopes nested inside `f`, each allocating `x` before opening the next; the sum of
/// what they read back after the inner ones were rewound.
fn nest(mut f: framealloc::Frame<'_, '_>, depth: u64, x: u64) -> u64 {
    let here = f.alloc(x);
    let xs = f.alloc_slice_fill_copy(16, x);
    let below = if depth == 0 {
        0
    } else {
        f.scope(|g| nest(g, depth - 1, x))
    };
    assert!(xs.iter().all(|m| *m == x), "a value under a scope changed");
    *here + below
}
