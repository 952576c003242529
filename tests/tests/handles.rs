//! `FrameHandle<T>`: valid in the frame and scope that made it, stale everywhere else (later
//! frames, other arenas, ended scopes), and never a read of reused memory.

use std::panic::{catch_unwind, AssertUnwindSafe};

use framealloc::{FrameArena, FrameHandle};

fn panic_text(f: impl FnOnce()) -> String {
    let payload = catch_unwind(AssertUnwindSafe(f)).expect_err("expected a panic");
    payload
        .downcast_ref::<String>()
        .cloned()
        .expect("a formatted message")
}

#[test]
fn a_handle_reads_and_writes_within_its_frame() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let mut h = f.handle([1u32, 2, 3]);
        assert!(h.is_valid(&f));
        h.get_mut(&f)[1] = 20;
        assert_eq!(*h.get(&f), [1, 20, 3]);
        assert_eq!(h.try_get(&f), Some(&[1, 20, 3]));
        assert_eq!(h.try_get_mut(&f).map(|v| v[2]), Some(3));
    });
}

#[test]
fn a_handle_from_an_earlier_frame_is_stale() {
    let mut arena = FrameArena::new();
    let mut stored: Option<FrameHandle<u64>> = None;
    arena.frame(|f| stored = Some(f.handle(7)));
    arena.frame(|f| {
        // The same address is handed out again: a read through the stale handle would see 8.
        let fresh = f.handle(8u64);
        let old = stored.as_mut().unwrap();
        assert!(!old.is_valid(&f));
        assert!(old.try_get(&f).is_none());
        assert!(old.try_get_mut(&f).is_none());
        assert_eq!(*fresh.get(&f), 8);
        let text = panic_text(|| {
            old.get(&f);
        });
        assert!(
            text.starts_with(
                "stale FrameHandle<u64>: its frame has ended (made in frame 0 of arena #"
            ),
            "{text}"
        );
        assert!(text.contains("used in frame 1"), "{text}");
    });
    // A reset by hand ends the frame too.
    let mut guard = arena.begin_frame();
    let h = guard.frame().handle(1u8);
    drop(guard);
    arena.reset();
    arena.frame(|f| assert!(h.try_get(&f).is_none()));
}

#[test]
fn a_handle_from_another_arena_is_stale() {
    let mut a = FrameArena::new();
    let mut b = FrameArena::new();
    let mut from_a = None;
    a.frame(|f| from_a = Some(f.handle(1i32)));
    // Both arenas are in frame 0 when the handle is used: only the identity tells them apart.
    b.frame(|g| {
        let h = from_a.as_ref().unwrap();
        assert!(h.try_get(&g).is_none());
        let text = panic_text(|| {
            h.get(&g);
        });
        assert!(text.contains("it belongs to another arena"), "{text}");
    });
    // Another arena at the same address (the first one dropped) is still another arena.
    let mut h = None;
    {
        let mut c = FrameArena::new();
        c.frame(|f| h = Some(f.handle(5u16)));
    }
    let mut d = FrameArena::new();
    d.frame(|f| assert!(h.as_ref().unwrap().try_get(&f).is_none()));
}

#[test]
fn scopes_bound_a_handle_made_inside_them() {
    let mut arena = FrameArena::new();
    arena.frame(|mut f| {
        let outer = f.handle(1u32);
        let mut inner_handle = None;
        f.scope(|mut g| {
            // An outer handle is readable inside a scope, at any depth.
            assert_eq!(*outer.get(&g), 1);
            let made_here = g.handle(2u32);
            g.scope(|mut h| {
                assert_eq!(*outer.get(&h), 1);
                assert_eq!(*made_here.get(&h), 2);
                h.scope(|i| assert_eq!(*made_here.get(&i), 2));
            });
            inner_handle = Some(made_here);
        });
        // The scope has ended: its handle is stale in the outer frame...
        let stale = inner_handle.take().unwrap();
        assert!(stale.try_get(&f).is_none());
        let text = panic_text(|| {
            stale.get(&f);
        });
        assert!(text.contains("the scope that made it has ended"), "{text}");
        assert!(text.contains("scope depth 1"), "{text}");
        // ...and in a new scope at the same depth, which reuses the same memory.
        f.scope(|mut g| {
            let reused = g.handle(3u32);
            assert!(stale.try_get(&g).is_none());
            assert_eq!(*reused.get(&g), 3);
            g.scope(|h| assert!(stale.try_get(&h).is_none()));
        });
        assert_eq!(*outer.get(&f), 1);
    });
}

#[test]
fn handles_are_send_and_sync_when_their_value_is() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<FrameHandle<[f32; 4]>>();
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let h = f.handle(11u64);
        let h = std::thread::scope(|s| s.spawn(move || h).join().unwrap());
        assert_eq!(*h.get(&f), 11);
    });
}

/// Handles of a `SmartAlloc`'s frame: made on one thread, read on another in the same frame,
/// stale once it has ended, and never confused with handles of an arena's frame.
#[test]
fn smart_frame_handles_cross_threads_and_go_stale() {
    let alloc = framealloc::SmartAlloc::new();
    let other = framealloc::SmartAlloc::new();
    let frame = alloc.begin_frame_owned();
    let mut made: Vec<framealloc::FrameHandle<[u64; 4]>> = std::thread::scope(|s| {
        let frame = &frame;
        (0..3u64)
            .map(|t| s.spawn(move || frame.handle([t; 4])))
            .collect::<Vec<_>>()
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect()
    });
    for (t, h) in made.iter_mut().enumerate() {
        assert_eq!(h.get(&frame), &[t as u64; 4]);
        h.get_mut(&frame)[1] = 9;
        assert!(h.is_valid(&frame));
    }
    // Read through another allocator's frame, or through a thread frame of the same
    // allocator: refused.
    {
        let theirs = other.begin_frame();
        assert!(made[0].try_get(&theirs).is_none());
    }
    let local = frame.for_current_thread();
    assert!(made[0].try_get(&*local).is_none());
    let arena_handle = local.handle(5u8);
    assert!(arena_handle.try_get(&frame).is_none());
    assert_eq!(arena_handle.try_get(&*local), Some(&5));
    drop(local);
    let stats = frame.end();
    assert_eq!(stats.allocations, None); // the local frame was not counted
    let frame = alloc.begin_frame();
    for h in &made {
        assert!(h.try_get(&frame).is_none());
        assert!(!h.is_valid(&frame));
    }
    let message = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        made[0].get(&frame);
    }))
    .unwrap_err();
    let message = message.downcast_ref::<String>().unwrap();
    assert!(
        message.contains("its frame has ended") && message.contains("of allocator #"),
        "{message}"
    );
}

/// A `'static` frame keeps its allocator alive and ends the allocator's frame when dropped.
#[test]
fn owned_frames_hold_their_allocator() {
    let alloc = framealloc::SmartAlloc::new();
    let frame: framealloc::SmartFrame<'static> = alloc.begin_frame_owned();
    assert!(alloc.try_begin_frame().is_none());
    assert!(alloc.try_begin_frame_owned().is_none());
    let keep = alloc.clone();
    drop(alloc);
    assert_eq!(frame.frame_slice(8, 1u32).iter().sum::<u32>(), 8);
    drop(frame);
    assert_eq!(keep.frame_number(), 1);
    let stats = keep.begin_frame_owned().end();
    assert_eq!(stats.frame, 1);
    assert_eq!(keep.frame_number(), 2);
}
