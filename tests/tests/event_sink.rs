//! The events the profiler sends live to a sink (what Tracy receives through
//! `profile::tracy::TracySink`), observed through a sink that records them.
#![cfg(feature = "profiler")]

use std::sync::{Arc, Mutex};

use framealloc::profile::{EventSink, ProfileConfig, Profiler};
use framealloc::{AllocConfig, ArenaConfig, FrameArena, SmartAlloc};

#[derive(Debug, Clone, PartialEq)]
enum Event {
    FrameMark,
    Alloc(String, usize, usize),
    Free(String, usize),
    Discard(String),
    Plot(String, f64),
}

#[derive(Default)]
struct Recording(Mutex<Vec<Event>>);

impl EventSink for Recording {
    fn frame_mark(&self) {
        self.0.lock().unwrap().push(Event::FrameMark);
    }
    fn alloc(&self, pool: &str, address: usize, size: usize) {
        self.0
            .lock()
            .unwrap()
            .push(Event::Alloc(pool.into(), address, size));
    }
    fn free(&self, pool: &str, address: usize) {
        self.0
            .lock()
            .unwrap()
            .push(Event::Free(pool.into(), address));
    }
    fn discard(&self, pool: &str) {
        self.0.lock().unwrap().push(Event::Discard(pool.into()));
    }
    fn plot(&self, name: &str, value: f64) {
        self.0.lock().unwrap().push(Event::Plot(name.into(), value));
    }
}

impl Recording {
    fn take(&self) -> Vec<Event> {
        std::mem::take(&mut self.0.lock().unwrap())
    }
}

/// A `FrameArena`: its sampled allocations into its pool, one discard (not a free per block)
/// and a plot per tag at each reset, and the reset as the frame mark.
#[test]
fn an_arena_sends_allocations_one_discard_plots_and_a_frame_mark() {
    let sink = Arc::new(Recording::default());
    let profiler = Profiler::new(ProfileConfig::new().exhaustive().sink(sink.clone()));
    let mut arena = FrameArena::with_config(ArenaConfig::new().guards(false).profiler(&profiler));
    let mut addresses = Vec::new();
    arena.frame_tagged("physics", |f| {
        for i in 0..3u64 {
            addresses.push(core::ptr::from_ref(f.alloc(i)).addr());
        }
    });
    let pool = format!(
        "framealloc frame memory: {}",
        std::thread::current().name().unwrap()
    );
    let thread = std::thread::current().name().unwrap().to_owned();
    assert_eq!(
        sink.take(),
        vec![
            Event::Alloc(pool.clone(), addresses[0], 8),
            Event::Alloc(pool.clone(), addresses[1], 8),
            Event::Alloc(pool.clone(), addresses[2], 8),
            Event::Discard(pool.clone()),
            Event::Plot(format!("framealloc {thread}: physics"), 24.0),
            Event::FrameMark,
        ]
    );
    // The next frame plots the tag again (0 if it took nothing).
    arena.frame(|f| {
        f.alloc(1u8);
    });
    let events = sink.take();
    assert!(events.contains(&Event::Plot(format!("framealloc {thread}: physics"), 0.0)));
    assert!(events.contains(&Event::Plot(
        format!("framealloc {thread}: (untagged)"),
        1.0
    )));
    assert_eq!(events.last(), Some(&Event::FrameMark));
}

/// A `SmartAlloc`: pool blocks into "framealloc pools" and back, heap allocations into
/// "framealloc heap", one frame mark per frame (from `end`, not from each thread's arena).
#[test]
fn a_smart_alloc_sends_pool_events_and_one_frame_mark_per_frame() {
    let sink = Arc::new(Recording::default());
    let profiler = Profiler::new(ProfileConfig::new().exhaustive().sink(sink.clone()));
    let alloc = SmartAlloc::with_config(AllocConfig::new().guards(false).profiler(&profiler));
    for _ in 0..3 {
        let frame = alloc.begin_frame();
        let b = alloc.pool_box(7u64);
        let address = core::ptr::from_ref(&*b).addr();
        drop(b);
        let big = alloc.pool_alloc(std::alloc::Layout::from_size_align(10_000, 8).unwrap());
        let big_address = big.as_ptr().as_ptr().addr();
        drop(big);
        frame.frame_alloc(1u32);
        frame.end();
        let events = sink.take();
        assert_eq!(events.iter().filter(|e| **e == Event::FrameMark).count(), 1);
        assert_eq!(events.last(), Some(&Event::FrameMark));
        assert!(events.contains(&Event::Alloc("framealloc pools".into(), address, 8)));
        assert!(events.contains(&Event::Free("framealloc pools".into(), address)));
        assert!(events.contains(&Event::Alloc("framealloc heap".into(), big_address, 10_000)));
        assert!(events
            .iter()
            .any(|e| matches!(e, Event::Discard(p) if p.starts_with("framealloc frame memory"))));
    }
}
