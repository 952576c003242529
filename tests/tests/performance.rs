//! `SmartAlloc::enable_performance_tracking` and `performance_stats`: means and percentiles
//! of the last frames, counted frames apart from uncounted ones, and no system allocation
//! per frame once tracking is on.

use framealloc::{AllocConfig, SmartAlloc};
use std::time::Duration;

#[path = "support/counting.rs"]
mod counting;
use counting::allocations;

fn exact() -> AllocConfig {
    AllocConfig::new().guards(false)
}

#[test]
fn summaries_of_known_frames() {
    let alloc = SmartAlloc::with_config(exact());
    // Frames before tracking are not recorded.
    alloc.begin_frame().frame_slice(100, [0u8; 1000]);
    alloc.enable_performance_tracking(true);
    for n in 1..=20 {
        let frame = alloc.begin_frame();
        frame.frame_slice(n * 100, 0u8);
    }
    let perf = alloc.performance_stats().unwrap();
    assert_eq!(perf.frames, 20);
    let b = perf.bytes;
    // 100, 200, .., 2000: mean 1050; nearest-rank median the 10th, p95 the 19th, p99 the 20th.
    assert_eq!(
        (b.mean, b.median, b.p95, b.p99, b.max),
        (1050, 1000, 1900, 2000, 2000)
    );
    assert_eq!(perf.peak_bytes, b);
    let a = perf.allocations.unwrap();
    assert_eq!((a.mean, a.median, a.max), (1, 1, 1));
    assert_eq!(perf.uncounted_frames, 0);
    assert!(perf.frame_time.max >= perf.frame_time.median);
    let table = perf.to_string();
    assert!(
        table.contains("last 20 frames") && table.contains("1050"),
        "{table}"
    );
}

#[test]
fn keeps_the_last_history_len_frames() {
    let alloc = SmartAlloc::with_config(exact().history_len(5));
    alloc.enable_performance_tracking(true);
    for n in 1..=20 {
        alloc.begin_frame().frame_slice(n * 100, 0u8);
    }
    let perf = alloc.performance_stats().unwrap();
    assert_eq!(perf.frames, 5);
    assert_eq!((perf.bytes.median, perf.bytes.max), (1800, 2000));
    // Turning it off and on starts an empty record.
    alloc.enable_performance_tracking(false);
    assert!(alloc.performance_stats().is_none());
    alloc.enable_performance_tracking(true);
    assert!(alloc.performance_stats().is_none());
}

#[test]
fn frames_with_uncounted_allocations_are_left_out_of_the_count() {
    let alloc = SmartAlloc::with_config(exact());
    alloc.enable_performance_tracking(true);
    for n in 0..10u64 {
        let frame = alloc.begin_frame();
        if n % 2 == 0 {
            frame.frame_alloc(n);
        } else {
            frame.for_current_thread().alloc(n);
        }
    }
    let perf = alloc.performance_stats().unwrap();
    let counted = cfg!(feature = "count-allocations");
    assert_eq!(perf.uncounted_frames, if counted { 0 } else { 5 });
    assert_eq!(perf.allocations.unwrap().max, 1);
    if !counted {
        assert!(perf.to_string().contains("(5 frames not counted)"));
    }
}

#[test]
fn frame_time_is_measured() {
    let alloc = SmartAlloc::new();
    alloc.enable_performance_tracking(true);
    let frame = alloc.begin_frame();
    std::thread::sleep(Duration::from_millis(2));
    drop(frame);
    let perf = alloc.performance_stats().unwrap();
    assert!(perf.frame_time.max >= Duration::from_millis(2), "{perf}");
}

#[test]
fn tracking_allocates_nothing_per_frame() {
    let alloc = SmartAlloc::with_config(exact().history_len(16));
    alloc.enable_performance_tracking(true);
    let frame_loop = |frames: usize| {
        for n in 0..frames {
            let frame = alloc.begin_frame();
            frame.frame_slice(64 + n % 7, 0u8);
            drop(frame);
        }
    };
    // Warm-up: the arena's chunk, the history's records and thread names.
    frame_loop(40);
    let before = allocations();
    frame_loop(if cfg!(miri) { 10 } else { 200 });
    assert_eq!(allocations() - before, 0);
    assert_eq!(alloc.performance_stats().unwrap().frames, 16);
}
