//! The Tracy sink, with a Tracy client started in this process (no server needs to listen:
//! the client keeps what it is sent). The events themselves are checked through a recording
//! sink in `event_sink.rs`; this proves the feature builds and its calls into Tracy run.
#![cfg(feature = "tracy")]

use std::sync::Arc;

use framealloc::profile::tracy::TracySink;
use framealloc::profile::{EventSink, ProfileConfig, Profiler};
use framealloc::{AllocConfig, ArenaConfig, FrameArena, SmartAlloc};

#[test]
fn profiling_into_tracy_runs() {
    let sink = Arc::new(TracySink::start());
    // Names with a NUL (a user's tag could have one) are still valid pool names.
    sink.alloc("a\0pool", 64, 8);
    sink.discard("a\0pool");
    let profiler = Profiler::new(ProfileConfig::new().sample_interval(64).sink(sink));
    let mut arena = FrameArena::with_config(ArenaConfig::new().profiler(&profiler));
    for _ in 0..10 {
        arena.frame_tagged("physics", |f| {
            for i in 0..1000u64 {
                f.alloc(i);
            }
        });
    }
    let alloc = SmartAlloc::with_config(AllocConfig::new().profiler(&profiler));
    for _ in 0..10 {
        let frame = alloc.begin_frame();
        alloc.with_tag("ai", || frame.frame_slice(4096, 0u8));
        drop(alloc.pool_box([0u64; 4]));
        frame.end();
    }
    let profile = profiler.snapshot();
    assert!(profile.frames().len() >= 10);
    assert!(!profile.hot_sites_by_bytes(1).is_empty());
}
