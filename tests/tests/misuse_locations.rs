//! Misuse panics name the caller's line, not a line inside framealloc: each case panics
//! through the public API and the panic's location must be this file, at the call.
//!
//! One test, run in its own binary: it installs a panic hook (process-wide) to read the
//! locations.

use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex};

use framealloc::{FrameArena, SmartAlloc};

/// Runs `f`, which must panic, and returns the panic's (file, line). The hook that records
/// it is installed for this call only, so the test's own assertions report as usual.
fn panic_location(f: impl FnOnce()) -> (String, u32) {
    let seen = Arc::new(Mutex::new(None));
    let sink = Arc::clone(&seen);
    panic::set_hook(Box::new(move |info| {
        if let Some(l) = info.location() {
            *sink.lock().unwrap() = Some((l.file().to_owned(), l.line()));
        }
    }));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    let _ = panic::take_hook();
    assert!(result.is_err(), "the case was expected to panic");
    let seen = seen.lock().unwrap().take();
    seen.expect("the panic hook saw the panic")
}

#[test]
fn misuse_panics_report_the_callers_line() {
    let here = file!();
    let alloc = SmartAlloc::new();
    // The line of the call each case expects the panic at, set just before the call.
    let at = std::cell::Cell::new(0);

    let (file, line) = panic_location(|| {
        alloc.frame(|_| {
            // nested thread frame:
            at.set(line!() + 1);
            alloc.frame(|_| {});
        });
    });
    assert_eq!(
        (file.as_str(), line),
        (here, at.get()),
        "nested SmartAlloc::frame"
    );

    let (file, line) = panic_location(|| {
        let frame = alloc.begin_frame();
        alloc.frame(|_| {
            // the allocator's frame inside a thread frame:
            at.set(line!() + 1);
            frame.frame_alloc(1u32);
        });
    });
    assert_eq!(
        (file.as_str(), line),
        (here, at.get()),
        "frame_alloc in a thread frame"
    );

    let (file, line) = panic_location(|| {
        let frame = alloc.begin_frame();
        alloc.frame(|_| {
            // a local frame inside a thread frame:
            at.set(line!() + 1);
            frame.for_current_thread();
        });
    });
    assert_eq!(
        (file.as_str(), line),
        (here, at.get()),
        "LocalFrame in a thread frame"
    );

    let (file, line) = panic_location(|| {
        let frame = alloc.begin_frame();
        let _local = frame.for_current_thread();
        let handle = alloc.for_current_thread();
        // a thread frame while a local frame is alive:
        at.set(line!() + 1);
        handle.frame(|_| {});
    });
    assert_eq!(
        (file.as_str(), line),
        (here, at.get()),
        "ThreadHandle::frame"
    );

    let (file, line) = panic_location(|| {
        let frame = alloc.begin_frame();
        let mut xs = frame.frame_vec::<u32>();
        alloc.frame(|_| {
            // a vector of the allocator's frame growing in a thread frame:
            at.set(line!() + 1);
            xs.push(1);
        });
    });
    assert_eq!(
        (file.as_str(), line),
        (here, at.get()),
        "SmartFrame::frame_vec growing in a thread frame"
    );

    let (file, line) = panic_location(|| {
        let small = SmartAlloc::with_config(framealloc::AllocConfig::new().frame_budget(Some(64)));
        let frame = small.begin_frame();
        // an allocation past the allocator's budget:
        at.set(line!() + 1);
        frame.frame_alloc([0u8; 1024]);
    });
    assert_eq!(
        (file.as_str(), line),
        (here, at.get()),
        "SmartFrame::frame_alloc past the budget"
    );

    let (file, line) = panic_location(|| {
        let _open = alloc.begin_frame();
        // a frame is already open:
        at.set(line!() + 1);
        let _second = alloc.begin_frame();
    });
    assert_eq!((file.as_str(), line), (here, at.get()), "begin_frame twice");

    let (file, line) = panic_location(|| {
        let mut arena = FrameArena::new();
        let mut kept = None;
        arena.frame(|f| kept = Some(f.handle(1u8)));
        let h = kept.unwrap();
        arena.frame(|f| {
            // a stale handle:
            at.set(line!() + 1);
            h.get(&f);
        });
    });
    assert_eq!((file.as_str(), line), (here, at.get()), "stale FrameHandle");

    let (file, line) = panic_location(|| {
        let mut arena = FrameArena::new();
        arena.frame(|f| {
            // an allocation that cannot fit:
            at.set(line!() + 1);
            f.alloc_slice_fill_copy(usize::MAX / 2, 0u64);
        });
    });
    assert_eq!((file.as_str(), line), (here, at.get()), "layout overflow");
}
