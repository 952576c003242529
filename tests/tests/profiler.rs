//! The sampling allocation profiler: what it records, how well its estimates hold against an
//! exhaustive run, the adaptive interval, the hot-site and leak reports, the exports and the
//! HTML report, and no system allocation on the allocation path once warmed up.
#![cfg(feature = "profiler")]

use std::alloc::Layout;
use std::collections::HashMap;
use std::sync::OnceLock;

use framealloc::layout::FrameLayout;
use framealloc::profile::{
    EventKind, ParseError, Profile, ProfileConfig, ProfileView, Profiler, Record, FORMAT_VERSION,
    MAGIC,
};
use framealloc::{AllocConfig, ArenaConfig, Frame, FrameArena, SmartAlloc};

#[path = "support/counting.rs"]
mod counting;
use counting::allocations;

const MIRI: bool = cfg!(miri);

/// Exact byte counts need the arenas' debug guards off (canaries take room).
fn arena(profiler: &Profiler) -> FrameArena {
    FrameArena::with_config(ArenaConfig::new().guards(false).profiler(profiler))
}

/// xorshift64*: a seeded workload.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}

#[test]
fn a_record_is_32_bytes() {
    assert_eq!(size_of::<Record>(), 32);
    assert_eq!(Record::SIZE, 32);
    assert_eq!(<Record as FrameLayout>::LAYOUT.size, 32);
}

#[test]
fn exhaustive_mode_records_every_request_with_its_site_and_frame() {
    let profiler = Profiler::new(ProfileConfig::new().exhaustive());
    let mut arena = arena(&profiler);
    let line = line!() + 4;
    for _ in 0..3 {
        arena.frame_tagged("physics", |f| {
            for i in 0..10u32 {
                f.alloc(i);
            }
            f.alloc_slice_fill_copy(100, 0u8);
        });
    }
    let profile = profiler.snapshot();
    let allocs: Vec<&Record> = profile
        .records()
        .iter()
        .filter(|r| r.kind() == EventKind::FrameAlloc)
        .collect();
    assert_eq!(allocs.len(), 3 * 11);
    for r in &allocs {
        assert_eq!(r.weight(), 1.0, "{r:?}");
        let site = &profile.sites()[r.site() as usize];
        assert!(site.file.ends_with("profiler.rs"), "{site:?}");
        assert_eq!(&profile.tags()[usize::from(r.tag())], "physics");
    }
    let u32s = allocs.iter().filter(|r| r.size() == 4).count();
    assert_eq!(u32s, 30);
    assert!(allocs.iter().all(|r| r.size() != 4 || r.align() == 4));
    let sites: Vec<u32> = allocs
        .iter()
        .map(|r| profile.sites()[r.site() as usize].line)
        .collect();
    assert!(sites.contains(&line), "{sites:?} lacks {line}");

    let ends: Vec<&Record> = profile
        .records()
        .iter()
        .filter(|r| r.kind() == EventKind::FrameEnd)
        .collect();
    assert_eq!(ends.len(), 3);
    for (i, r) in ends.iter().enumerate() {
        assert_eq!(r.frame() as usize, i);
        assert_eq!(r.size(), 140, "bytes in use at the frame's end");
        assert_eq!(r.peak(), Some(140));
    }
    // Frames: the bytes by tag are exact in exhaustive mode.
    let frames = profile.frames();
    assert_eq!(frames.len(), 3);
    for f in &frames {
        assert_eq!(f.bytes, 140);
        assert_eq!(f.requests, 11);
        assert_eq!(f.by_tag, vec![("physics".to_string(), 140)]);
        assert_eq!(f.peak, 140);
        assert!(!f.spike);
    }
}

/// With the debug guards on (every request takes the cold path and gets canaries), every
/// request is still sampled as without them, and the guards still catch an overrun.
#[test]
fn guards_and_profiling_together() {
    let profiler = Profiler::new(ProfileConfig::new().exhaustive());
    let mut arena = FrameArena::with_config(
        ArenaConfig::new()
            .guards(true)
            .guard_handler(framealloc::guard::GuardHandler::Collect)
            .profiler(&profiler),
    );
    arena.frame(|f| {
        for i in 0..10u32 {
            f.alloc(i);
        }
        let mut v = f.vec::<u8>();
        v.extend_from_slice(&[1; 100]);
    });
    let profile = profiler.snapshot();
    let sizes: Vec<u64> = profile
        .records()
        .iter()
        .filter(|r| r.kind() == EventKind::FrameAlloc)
        .map(Record::size)
        .collect();
    if framealloc::guard::COMPILED_IN {
        assert!(arena.guards_enabled());
    }
    assert_eq!(sizes.iter().filter(|&&s| s == 4).count(), 10, "{sizes:?}");
    assert!(arena.take_guard_reports().is_empty());
}

/// A budget stops an allocation while the profiler samples: the error is the budget's, the
/// arena and its sampling carry on, and frames after it are recorded.
#[test]
fn a_budget_error_under_profiling_leaves_the_arena_usable() {
    let profiler = Profiler::new(ProfileConfig::new().sample_interval(16).seed(2));
    let mut arena = FrameArena::with_config(
        ArenaConfig::new()
            .guards(false)
            .budget(Some(1024))
            .profiler(&profiler),
    );
    for _ in 0..3 {
        arena.frame(|f| {
            let mut n = 0;
            while f.try_alloc([0u8; 24]).is_ok() {
                n += 1;
            }
            assert_eq!(n, 1024 / 24);
            assert!(f.try_alloc_batch::<u8>(2000).is_err());
            f.alloc_batch::<u8>(1024 - n * 24);
        });
    }
    let frames = profiler.snapshot().frames();
    assert_eq!(frames.len(), 3);
    for f in frames {
        assert_eq!(f.peak, 1024);
        assert!(f.bytes > 500 && f.bytes < 2000, "{f:?}");
    }
}

#[test]
fn scopes_record_their_rewinds_and_vectors_their_growth() {
    let profiler = Profiler::new(ProfileConfig::new().exhaustive());
    let mut arena = arena(&profiler);
    arena.frame(|mut f| {
        f.scope(|g| {
            g.alloc_slice_fill_copy(64, 1u8);
        });
        let mut v = f.vec::<u64>();
        for i in 0..100 {
            v.push(i);
        }
    });
    let profile = profiler.snapshot();
    let scope_site = profile
        .records()
        .iter()
        .find(|r| r.kind() == EventKind::FrameAlloc && r.size() == 64)
        .map(Record::site);
    let rewinds: Vec<u64> = profile
        .records()
        .iter()
        .filter(|r| r.kind() == EventKind::Rewind)
        .map(Record::size)
        .collect();
    assert_eq!(rewinds, vec![64]);
    // The vector's buffers, first and grown (in place, as its growth), add up to its
    // final capacity.
    let vec_bytes: u64 = profile
        .records()
        .iter()
        .filter(|r| r.kind() == EventKind::FrameAlloc && Some(r.site()) != scope_site)
        .map(Record::size)
        .sum();
    assert_eq!(vec_bytes, 128 * 8);
}

/// Memory given back (a vector dropped, a scope ended) is handed out again: the sample
/// points it uncovered must count again, or every request after it goes unsampled.
#[test]
fn memory_given_back_is_sampled_again() {
    let profiler = Profiler::new(ProfileConfig::new().exhaustive());
    let mut arena_ = arena(&profiler);
    let n = if MIRI { 50 } else { 2000 };
    let line = line!() + 12;
    arena_.frame(|mut f| {
        {
            let mut v = f.vec::<u64>();
            for i in 0..n {
                v.push(i);
            }
        }
        f.scope(|g| {
            g.alloc_slice_fill_copy(n as usize, 0u8);
        });
        for i in 0..n {
            f.alloc(i);
        }
    });
    let most = &profiler.snapshot().hot_sites_by_count(1)[0];
    assert_eq!((most.site.line, most.requests), (line, n));

    // Sampled, with scopes giving back most of what they take: the estimate holds.
    let profiler = Profiler::new(ProfileConfig::new().sample_interval(64).seed(9));
    let mut arena_ = arena(&profiler);
    let (frames, scopes) = if MIRI { (1, 20) } else { (20, 2000) };
    arena_.frame(|_| ());
    for _ in 0..frames {
        arena_.frame(|mut f| {
            for _ in 0..scopes {
                f.scope(|g| {
                    for i in 0..10u64 {
                        g.alloc(i);
                    }
                });
            }
        });
    }
    let truth = (frames * scopes * 80) as f64;
    let estimate = profiler.snapshot().hot_sites_by_bytes(1)[0].bytes as f64;
    let tolerance = if MIRI { 0.5 } else { 0.05 };
    assert!(
        (estimate - truth).abs() / truth < tolerance,
        "estimated {estimate}, true {truth}"
    );
}

/// The estimates test of the issue: on a seeded workload, each site holding at least 1% of
/// the bytes has its estimated bytes within 5% of an exhaustive run's.
#[test]
fn sampled_estimates_are_within_five_percent_of_an_exhaustive_run() {
    fn workload(f: &Frame<'_, '_>, rng: &mut Rng, requests: usize) {
        for _ in 0..requests {
            // Twelve call sites, each its own size range and frequency; three of them
            // hold under 1% of the bytes. (Slices are left uninitialized: filling them
            // would only slow the test under Miri.)
            let pick = rng.below(100);
            let size = |rng: &mut Rng, lo: u64, hi: u64| (lo + rng.below(hi - lo + 1)) as usize;
            match pick {
                0..=24 => drop(f.alloc_batch::<u8>(size(rng, 8, 64))),
                25..=36 => drop(f.alloc_batch::<u8>(size(rng, 32, 256))),
                37..=44 => drop(f.alloc_batch::<u8>(size(rng, 100, 400))),
                45..=54 => drop(f.alloc(rng.below(9))),
                55..=62 => drop(f.alloc([0u64; 8])),
                63..=70 => drop(f.alloc_batch::<u32>(size(rng, 16, 128))),
                71..=76 => drop(f.alloc_batch::<u8>(size(rng, 200, 500))),
                77..=82 => drop(f.alloc_batch::<u64>(size(rng, 8, 32))),
                83..=85 => drop(f.alloc_batch::<u8>(size(rng, 300, 480))),
                86 => drop(f.alloc_batch::<u8>(size(rng, 2000, 3000))),
                87..=96 => drop(f.alloc([0u16; 3])),
                _ => drop(f.alloc_batch::<u16>(size(rng, 1, 16))),
            }
        }
    }
    fn run(config: ProfileConfig, frames: usize, requests: usize) -> Profile {
        let profiler = Profiler::new(config.seed(7));
        let mut arena = arena(&profiler);
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..frames {
            arena.frame(|f| workload(&f, &mut rng, requests));
        }
        profiler.snapshot()
    }
    // About 140 MB in a million requests, one sample per KiB: the smallest site above 1%
    // (3.6% of the bytes) has about 5,000 records.
    let (frames, requests, interval) = if MIRI {
        (1, 100, 4)
    } else {
        (50, 20_000, 1024)
    };
    let exact = run(ProfileConfig::new().exhaustive(), frames, requests);
    let sampled = run(
        ProfileConfig::new().sample_interval(interval),
        frames,
        requests,
    );
    let truth: HashMap<_, u64> = exact
        .hot_sites_by_bytes(usize::MAX)
        .into_iter()
        .map(|s| (s.site, s.bytes))
        .collect();
    let estimate: HashMap<_, u64> = sampled
        .hot_sites_by_bytes(usize::MAX)
        .into_iter()
        .map(|s| (s.site, s.bytes))
        .collect();
    let total: u64 = truth.values().sum();
    let records = |p: &Profile| p.records().len();
    // (Under Miri the workload is too small for sampling to pay; the paths still run.)
    assert!(
        MIRI || records(&sampled) * 4 < records(&exact),
        "sampling should record far fewer: {} of {}",
        records(&sampled),
        records(&exact)
    );
    let mut checked = 0;
    let mut worst = 0.0f64;
    for (site, &bytes) in &truth {
        if bytes * 100 < total {
            continue;
        }
        checked += 1;
        let est = estimate.get(site).copied().unwrap_or(0);
        let err = (est as f64 - bytes as f64).abs() / bytes as f64;
        worst = worst.max(err);
        assert!(
            err <= 0.05,
            "{}: estimated {est} bytes, exhaustive {bytes} ({:.1}% off)",
            site.to_display(),
            err * 100.0
        );
    }
    assert!(
        checked >= if MIRI { 5 } else { 9 },
        "only {checked} sites hold 1% of the bytes"
    );
    eprintln!(
        "{checked} sites, worst estimate {:.2}% off, {} records sampled, {} exhaustive",
        worst * 100.0,
        records(&sampled),
        records(&exact)
    );
}

#[test]
fn requests_at_or_above_the_interval_are_always_recorded() {
    let profiler = Profiler::new(ProfileConfig::new());
    let mut arena = arena(&profiler);
    for _ in 0..if MIRI { 2 } else { 20 } {
        arena.frame(|f| {
            for _ in 0..10 {
                f.alloc_batch::<u8>(8 << 10);
                f.alloc_batch::<u64>(1250);
                f.alloc_batch::<u8>(10_000);
            }
        });
    }
    let profile = profiler.snapshot();
    let big = profile
        .records()
        .iter()
        .filter(|r| r.kind() == EventKind::FrameAlloc)
        .inspect(|r| assert_eq!(r.weight(), 1.0))
        .count();
    assert_eq!(big, profile.frames().len() * 30);
}

#[test]
fn the_adaptive_interval_holds_records_per_frame_under_the_allowance() {
    let allowance = 64;
    let profiler = Profiler::new(
        ProfileConfig::new()
            .sample_interval(8)
            .max_records_per_frame(Some(allowance))
            .seed(3),
    );
    let mut arena = arena(&profiler);
    let (frames, requests) = if MIRI { (3, 2000) } else { (30, 100_000) };
    for _ in 0..frames {
        arena.frame(|f| {
            for i in 0..requests {
                f.alloc(i as u64);
            }
        });
    }
    let profile = profiler.snapshot();
    let mut per_frame: HashMap<u32, usize> = HashMap::new();
    for r in profile.records() {
        if r.kind() == EventKind::FrameAlloc {
            *per_frame.entry(r.frame()).or_default() += 1;
        }
    }
    assert_eq!(per_frame.len(), frames);
    for (frame, n) in &per_frame {
        assert!(*n < allowance, "frame {frame}: {n} records");
    }
    // The weights keep the estimate honest: once the interval has adapted (the first frame
    // ran out of its allowance early), within 25% of the truth per frame, with so few
    // records.
    for f in profile.frames().iter().skip(1) {
        let truth = requests as f64 * 8.0;
        assert!(
            (f.bytes as f64 - truth).abs() / truth < 0.25,
            "frame {}: {} estimated, {truth} true",
            f.frame,
            f.bytes
        );
    }
}

#[test]
fn no_system_allocation_on_the_allocation_path_after_warm_up() {
    let profiler = Profiler::new(ProfileConfig::new().sample_interval(64).seed(1));
    let mut arena = arena(&profiler);
    let frames = if MIRI { 3 } else { 50 };
    let mut during = 0;
    for frame in 0..frames {
        arena.frame(|f| {
            let before = allocations();
            for i in 0..if MIRI { 100 } else { 5000 } {
                f.alloc(i as u64);
                f.alloc_slice_fill_copy(i % 40, 0u8);
            }
            if frame >= 2 {
                during += allocations() - before;
            }
        });
    }
    assert_eq!(
        during, 0,
        "system allocations while allocating, after warm-up"
    );
    assert!(profiler.record_count() > 0);
}

#[test]
fn hot_sites_rank_by_bytes_and_by_count_per_frame_and_overall() {
    let profiler = Profiler::new(ProfileConfig::new().exhaustive());
    let mut arena = arena(&profiler);
    let many = line!() + 4;
    let large = line!() + 5;
    arena.frame(|f| {
        for i in 0..100u64 {
            f.alloc(i); // 800 bytes in 100 requests
        }
        f.alloc_batch::<u8>(4000); // 4000 bytes in one
    });
    arena.frame(|f| {
        f.alloc(1u64);
    });
    let profile = profiler.snapshot();
    let by_bytes = profile.hot_sites_by_bytes(2);
    assert_eq!(
        (
            by_bytes[0].site.line,
            by_bytes[0].bytes,
            by_bytes[0].requests
        ),
        (large, 4000, 1)
    );
    assert_eq!(
        (
            by_bytes[1].site.line,
            by_bytes[1].bytes,
            by_bytes[1].requests
        ),
        (many, 800, 100)
    );
    let by_count = profile.hot_sites_by_count(1);
    assert_eq!(by_count[0].site.line, many);
    let frame1 = profile.hot_sites_in_frame(1, 5);
    assert_eq!(frame1.len(), 1);
    assert_eq!((frame1[0].bytes, frame1[0].requests), (8, 1));
    assert_eq!(profile.hot_sites_in_frame_by_count(0, 1)[0].site.line, many);
    assert!(profile.hot_sites_in_frame(9, 5).is_empty());
}

/// Frames are rows of frame memory: frames with only pool events (and a free from a thread
/// without an arena, which carries no frame number) add no row.
#[test]
fn pool_events_alone_make_no_frame_rows() {
    let profiler = Profiler::new(ProfileConfig::new().exhaustive());
    let alloc = SmartAlloc::with_config(AllocConfig::new().guards(false).profiler(&profiler));
    for i in 0..3u64 {
        let frame = alloc.begin_frame();
        drop(alloc.pool_box(i));
        if i == 2 {
            frame.frame_alloc(i);
        }
        frame.end();
    }
    let profile = profiler.snapshot();
    assert!(profile.records().len() >= 6, "the pool events are recorded");
    let rows: Vec<u32> = profile.frames().iter().map(|f| f.frame).collect();
    assert_eq!(rows, vec![2]);
}

#[test]
fn spike_frames_are_marked() {
    let profiler = Profiler::new(ProfileConfig::new().exhaustive());
    let mut arena = arena(&profiler);
    for i in 0..9 {
        arena.frame(|f| {
            let n = if i == 5 { 10_000 } else { 1000 };
            f.alloc_batch::<u8>(n);
        });
    }
    let spikes: Vec<u32> = profiler
        .snapshot()
        .frames()
        .iter()
        .filter(|f| f.spike)
        .map(|f| f.frame)
        .collect();
    assert_eq!(spikes, vec![5]);
}

/// The leak report of `SmartAlloc` pools: blocks alive longer than N frames, with the site
/// that allocated them; blocks freed (on any thread) are not listed.
#[test]
fn the_leak_report_lists_pool_blocks_alive_too_long() {
    let profiler = Profiler::new(ProfileConfig::new());
    let alloc = SmartAlloc::with_config(AllocConfig::new().guards(false).profiler(&profiler));
    let mut kept = Vec::new();
    let mut held_line = 0;
    let frames = if MIRI { 12 } else { 100 };
    for frame in 0..frames {
        let f = alloc.begin_frame();
        // Freed within the frame.
        drop(alloc.pool_box([frame; 4]));
        if frame == 1 {
            held_line = line!() + 1;
            kept.push(alloc.pool_box(0xAAu64));
            kept.push(alloc.pool_box(0xBBu64));
        }
        if frame == 2 {
            // Freed on another thread, frames later.
            let b = alloc.pool_box(7u32);
            // Joined, so that the thread has exited (its records are handed over as its
            // thread-locals are destroyed, which the end of a scope does not wait for).
            std::thread::scope(|s| s.spawn(move || drop(b)).join().unwrap());
        }
        f.end();
    }
    let profile = profiler.snapshot();
    let old = (frames - 10) as u32;
    let leaks = profile.leaks(old);
    assert_eq!(leaks.len(), 2, "{leaks:?}");
    for (l, line) in leaks.iter().zip([held_line, held_line + 1]) {
        assert_eq!(l.site.line, line);
        assert!(l.site.file.ends_with("profiler.rs"));
        assert_eq!(l.size, 8);
        assert_eq!(l.frame, 1, "allocated in the second frame");
        assert!(l.age >= old);
    }
    // With a small age, only what is alive counts: the two kept blocks.
    assert_eq!(profile.leaks(0).len(), 2);
    assert!(profile.to_html_with_leak_age(old).contains("profiler.rs"));
    drop(kept);
}

#[test]
fn smart_alloc_frames_carry_the_allocators_numbers_tags_and_threads() {
    let profiler = Profiler::new(ProfileConfig::new().exhaustive());
    let alloc = SmartAlloc::with_config(
        AllocConfig::new()
            .guards(false)
            .frame_budget(Some(1 << 20))
            .profiler(&profiler),
    );
    for _ in 0..3 {
        let frame = alloc.begin_frame();
        alloc.with_tag("ai", || {
            frame.frame_slice(100, 0u8);
        });
        std::thread::scope(|s| {
            std::thread::Builder::new()
                .name("physics-worker".into())
                .spawn_scoped(s, || {
                    alloc.with_tag("physics", || {
                        frame.frame_slice(300, 0u8);
                    });
                })
                .unwrap()
                .join()
                .unwrap();
        });
        frame.end();
    }
    // Each worker's arena handed its records over as the thread exited (joined above: the
    // end of a scope does not wait for thread-locals to be destroyed).
    let profile = profiler.snapshot();
    assert_eq!(profile.budget(), Some(1 << 20));
    assert!(profile.threads().iter().any(|t| t == "physics-worker"));
    let frames = profile.frames();
    assert_eq!(frames.len(), 3, "{frames:?}");
    for f in &frames {
        assert_eq!(
            f.by_tag,
            vec![("physics".to_string(), 300), ("ai".to_string(), 100)]
        );
    }
    assert_eq!(
        frames.iter().map(|f| f.frame).collect::<Vec<_>>(),
        vec![0, 1, 2]
    );
}

/// A small SmartAlloc session with tags, a spike frame, pool blocks (one kept alive), heap
/// boxes and a budget; made once for the export and report tests.
fn sample_profile() -> &'static Profile {
    static PROFILE: OnceLock<Profile> = OnceLock::new();
    PROFILE.get_or_init(|| {
        let profiler = Profiler::new(ProfileConfig::new().exhaustive());
        let alloc = SmartAlloc::with_config(
            AllocConfig::new()
                .guards(false)
                .frame_budget(Some(48 << 10))
                .profiler(&profiler),
        );
        let mut kept = Vec::new();
        for i in 0..6 {
            let frame = alloc.begin_frame();
            alloc.with_tag("<render & \"ui\">", || {
                frame.frame_slice(if i == 4 { 40_000 } else { 1000 }, 0u8);
            });
            frame.frame_slice(200, 0u16);
            if i == 0 {
                kept.push(alloc.pool_box(1u64));
            }
            alloc.pool_alloc(Layout::new::<[u8; 48]>());
            drop(alloc.heap_box([0u8; 16]));
            frame.end();
        }
        let profile = profiler.snapshot();
        drop(kept);
        profile
    })
}

#[test]
#[cfg_attr(
    miri,
    ignore = "formats a finished profile: safe code only, run natively; recording is under Miri above"
)]
fn the_binary_export_reads_back_the_same_profile() {
    let profile = sample_profile();
    let bytes = profile.to_bytes();
    assert_eq!(&bytes[..8], &MAGIC);
    assert_eq!(
        u32::from_le_bytes(bytes[8..12].try_into().unwrap()),
        FORMAT_VERSION
    );
    assert_eq!((bytes.len() - profile.records().len() * 32) % 8, 0);
    let view = ProfileView::parse(&bytes).unwrap();
    assert_eq!(view.len(), profile.records().len());
    assert!(view.records().eq(profile.records().iter().copied()));
    let back = view.to_profile();
    assert_eq!(back.records(), profile.records());
    assert_eq!(back.sites(), profile.sites());
    assert_eq!(back.tags(), profile.tags());
    assert_eq!(back.threads(), profile.threads());
    assert_eq!(back.budget(), Some(48 << 10));
    assert_eq!(back.frames(), profile.frames());
    assert_eq!(back.to_html(), profile.to_html());
}

#[test]
#[cfg_attr(
    miri,
    ignore = "formats a finished profile: safe code only, run natively; recording is under Miri above"
)]
fn damaged_exports_are_refused_not_misread() {
    let profile = sample_profile();
    let bytes = profile.to_bytes();
    // Every truncation is an error, never a panic.
    let step = if MIRI { 97 } else { 1 };
    for len in (0..bytes.len()).step_by(step) {
        assert!(ProfileView::parse(&bytes[..len]).is_err(), "length {len}");
    }
    assert_eq!(
        ProfileView::parse(b"not a profile").unwrap_err(),
        ParseError::NotAProfile
    );
    let mut v2 = bytes.clone();
    v2[8] = 2;
    let err = ProfileView::parse(&v2).unwrap_err();
    assert_eq!(err, ParseError::UnsupportedVersion(2));
    assert!(err.to_string().contains("version 2 is not supported"));
    let mut extra = bytes.clone();
    extra.push(0);
    assert_eq!(
        ProfileView::parse(&extra).unwrap_err(),
        ParseError::TrailingBytes
    );
    let mut bad_kind = bytes.clone();
    let last = bad_kind.len() - 1;
    bad_kind[last] = 7;
    assert!(matches!(
        ProfileView::parse(&bad_kind),
        Err(ParseError::BadRecord { .. })
    ));
    // Absurd counts in the header are truncation, not a huge allocation.
    let mut huge = bytes.clone();
    huge[40..44].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(ProfileView::parse(&huge).is_err());
    let mut huge_records = bytes;
    huge_records[56..64].copy_from_slice(&u64::MAX.to_le_bytes());
    assert!(ProfileView::parse(&huge_records).is_err());
}

#[test]
#[cfg_attr(
    miri,
    ignore = "formats a finished profile: safe code only, run natively; recording is under Miri above"
)]
fn the_chrome_trace_is_valid_trace_event_json() {
    let profile = sample_profile();
    let json = profile.to_chrome_trace();
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let events = value["traceEvents"]
        .as_array()
        .expect("a traceEvents array");
    let count = |ph: &str| events.iter().filter(|e| e["ph"] == ph).count();
    assert!(count("M") >= 1, "thread names");
    assert_eq!(count("X"), 6, "one slice per frame");
    assert!(count("i") >= 6 * 4, "allocations as instant events");
    assert!(count("C") >= 12, "counters");
    for e in events {
        assert!(e["pid"].is_u64() && e["tid"].is_u64(), "{e}");
        if e["ph"] != "M" {
            assert!(e["ts"].as_f64().unwrap() >= 0.0, "{e}");
        }
    }
    // The tag's name, quotes and all, survives the escaping.
    assert!(events
        .iter()
        .any(|e| e["args"]["tag"] == "<render & \"ui\">"));
    let mut last_ts: HashMap<u64, f64> = HashMap::new();
    for e in events.iter().filter(|e| e["ph"] == "i") {
        let tid = e["tid"].as_u64().unwrap();
        let ts = e["ts"].as_f64().unwrap();
        assert!(
            ts >= *last_ts.get(&tid).unwrap_or(&0.0),
            "time goes forward per thread"
        );
        last_ts.insert(tid, ts);
    }
}

#[test]
#[cfg_attr(
    miri,
    ignore = "formats a finished profile: safe code only, run natively; recording is under Miri above"
)]
fn the_html_report_draws_the_chart_and_the_tables() {
    let profile = sample_profile();
    let html = profile.to_html_with_leak_age(3);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg id=\"chart\""));
    assert!(html.matches("<rect class=\"bar\"").count() >= 6 * 2);
    assert!(html.contains("<polyline class=\"peak\""));
    assert!(html.contains("<line class=\"budget\""));
    assert_eq!(
        html.matches("class=\"spike\"").count(),
        1,
        "frame 4 is the spike"
    );
    assert!(html.contains("id=\"hot-bytes\"") && html.contains("id=\"hot-count\""));
    assert!(html.contains("<table id=\"leaks\">"), "the kept pool box");
    // Names are escaped; nothing is fetched.
    assert!(html.contains("&lt;render &amp; &quot;ui&quot;&gt;"));
    assert!(!html.contains("<render"));
    assert!(!html.contains("http://") || html.matches("http://").count() == 1); // the SVG namespace
    assert!(!html.contains("https://") && !html.contains("<script"));

    // A budget far above the data is named, not drawn (it would flatten the bars).
    let profiler = Profiler::new(ProfileConfig::new().exhaustive());
    let mut arena = FrameArena::with_config(
        ArenaConfig::new()
            .guards(false)
            .budget(Some(1 << 30))
            .profiler(&profiler),
    );
    arena.frame(|f| {
        f.alloc_batch::<u8>(100);
    });
    let html = profiler.snapshot().to_html();
    assert!(html.contains("budget 1.0 GiB (above the chart)"), "{html}");
    assert!(!html.contains("<line class=\"budget\""));
}

#[test]
fn an_empty_profile_still_reports() {
    let profiler = Profiler::new(ProfileConfig::new());
    let profile = profiler.snapshot();
    assert!(profile.frames().is_empty());
    assert!(profile.hot_sites_by_bytes(10).is_empty());
    assert!(profile.leaks(0).is_empty());
    assert!(profile.to_html().contains("0 frames"));
    let json: serde_json::Value = serde_json::from_str(&profile.to_chrome_trace()).unwrap();
    assert!(json["traceEvents"].as_array().unwrap().is_empty());
    let bytes = profile.to_bytes();
    assert!(ProfileView::parse(&bytes).unwrap().is_empty());
}
