//! Misuse panics name the caller's line, not a line inside framealloc: each case panics
//! through the public API and the panic's location must be this file, at the call.
//!
//! One test, run in its own binary: it installs a panic hook (process-wide) to read the
//! locations.

use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex};

use framealloc::{FrameArena, SmartAlloc};

/// Runs `f`, which must panic, and returns the panic's (file, line).
fn panic_location(seen: &Mutex<Option<(String, u32)>>, f: impl FnOnce()) -> (String, u32) {
    *seen.lock().unwrap() = None;
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    assert!(result.is_err(), "the case was expected to panic");
    seen.lock()
        .unwrap()
        .take()
        .expect("the panic hook saw the panic")
}

#[test]
fn misuse_panics_report_the_callers_line() {
    let seen = Arc::new(Mutex::new(None));
    let sink = Arc::clone(&seen);
    panic::set_hook(Box::new(move |info| {
        if let Some(l) = info.location() {
            *sink.lock().unwrap() = Some((l.file().to_owned(), l.line()));
        }
    }));
    let here = file!();
    let alloc = SmartAlloc::new();

    let (file, line) = panic_location(&seen, || {
        alloc.frame(|_| {
            alloc.frame(|_| {}); // nested thread frame
        });
    });
    assert_eq!(
        (file.as_str(), line),
        (here, line!() - 3),
        "nested SmartAlloc::frame"
    );

    let (file, line) = panic_location(&seen, || {
        let frame = alloc.begin_frame();
        alloc.frame(|_| {
            frame.frame_alloc(1u32); // the allocator's frame inside a thread frame
        });
    });
    assert_eq!(
        (file.as_str(), line),
        (here, line!() - 3),
        "frame_alloc in a thread frame"
    );

    let (file, line) = panic_location(&seen, || {
        let frame = alloc.begin_frame();
        alloc.frame(|_| {
            frame.for_current_thread(); // a local frame inside a thread frame
        });
    });
    assert_eq!(
        (file.as_str(), line),
        (here, line!() - 3),
        "LocalFrame in a thread frame"
    );

    let (file, line) = panic_location(&seen, || {
        let frame = alloc.begin_frame();
        let _local = frame.for_current_thread();
        let handle = alloc.for_current_thread();
        handle.frame(|_| {}); // a thread frame while a local frame is alive
    });
    assert_eq!(
        (file.as_str(), line),
        (here, line!() - 2),
        "ThreadHandle::frame"
    );

    let (file, line) = panic_location(&seen, || {
        let _open = alloc.begin_frame();
        let _second = alloc.begin_frame(); // a frame is already open
    });
    assert_eq!(
        (file.as_str(), line),
        (here, line!() - 2),
        "begin_frame twice"
    );

    let (file, line) = panic_location(&seen, || {
        let mut arena = FrameArena::new();
        let mut kept = None;
        arena.frame(|f| kept = Some(f.handle(1u8)));
        let h = kept.unwrap();
        arena.frame(|f| {
            h.get(&f); // a stale handle
        });
    });
    assert_eq!(
        (file.as_str(), line),
        (here, line!() - 3),
        "stale FrameHandle"
    );

    let (file, line) = panic_location(&seen, || {
        let mut arena = FrameArena::new();
        arena.frame(|f| {
            f.alloc_slice_fill_copy(usize::MAX / 2, 0u64); // an allocation that cannot fit
        });
    });
    assert_eq!(
        (file.as_str(), line),
        (here, line!() - 3),
        "layout overflow"
    );

    let _ = panic::take_hook();
}
