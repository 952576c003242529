//! Handles: `FrameHandle`s used in the wrong arena, frame or scope, after a rewind that put
//! new values at the same address, and across threads.

use framealloc::{FrameArena, FrameHandle, SmartAlloc};

use crate::expect_panic;

/// A handle whose scope ended, checked in a sibling scope whose memory reuses the same
/// address with another value: `None`, never the new value.
#[test]
fn handle_to_rewound_memory_reused_at_the_same_address() {
    let mut arena = FrameArena::new();
    arena.frame(|mut f| {
        let mut kept: Option<FrameHandle<u64>> = None;
        let mut first_addr = 0;
        f.scope(|g| {
            let h = g.handle(1u64);
            first_addr = h.get(&g) as *const u64 as usize;
            kept = Some(h);
        });
        let h = kept.take().unwrap();
        f.scope(|g| {
            let other = g.alloc(2u64);
            assert_eq!(
                other as *const u64 as usize, first_addr,
                "same address reused"
            );
            assert!(h.try_get(&g).is_none());
            let message = expect_panic(|| {
                h.get(&g);
            });
            assert!(
                message.contains("scope that made it has ended"),
                "{message}"
            );
        });
        assert!(h.try_get(&f).is_none());
    });
}

/// Handles of one arena checked against another arena, and of an old frame in a new one.
#[test]
fn handle_in_the_wrong_arena_or_frame() {
    let mut a = FrameArena::new();
    let mut b = FrameArena::new();
    let mut kept = None;
    a.frame(|f| {
        let h = f.handle(5u32);
        b.frame(|g| {
            assert!(h.try_get(&g).is_none());
            let message = expect_panic(|| {
                h.get(&g);
            });
            assert!(message.contains("another arena"), "{message}");
        });
        assert_eq!(*h.get(&f), 5);
        kept = Some(h);
    });
    let mut h = kept.unwrap();
    a.frame(|f| {
        f.alloc(7u32);
        assert!(h.try_get_mut(&f).is_none());
        assert!(!h.is_valid(&f));
    });
}

/// A handle made in a deep scope is valid in scopes nested under it and invalid in a
/// sibling at the same depth.
#[test]
fn handle_across_nested_and_sibling_scopes() {
    let mut arena = FrameArena::new();
    arena.frame(|mut f| {
        f.scope(|mut g| {
            let mut h = g.handle([1u8; 4]);
            g.scope(|mut k| {
                h.get_mut(&k)[0] = 9;
                k.scope(|m| assert_eq!(h.get(&m)[0], 9));
            });
            let mut stale = None;
            g.scope(|k| stale = Some(k.handle(3u8)));
            let stale = stale.unwrap();
            g.scope(|k| assert!(stale.try_get(&k).is_none()));
            assert!(stale.try_get(&g).is_none());
        });
    });
}

/// A handle sent to another thread cannot be read there without the arena; a handle made in
/// a thread frame of a `SmartAlloc` is stale in the next thread frame.
#[test]
fn handles_across_threads_and_thread_frames() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let h = f.handle(10u64);
        let h = std::thread::scope(|s| {
            s.spawn(move || {
                let mut other = FrameArena::new();
                other.frame(|g| assert!(h.try_get(&g).is_none()));
                h
            })
            .join()
            .unwrap()
        });
        assert_eq!(*h.get(&f), 10);
    });
    let alloc = SmartAlloc::new();
    let h = alloc.frame(|f| {
        let h = f.handle(1u32);
        assert_eq!(*h.get(&f), 1);
        h
    });
    alloc.frame(|f| {
        f.alloc(2u32);
        assert!(h.try_get(&f).is_none());
    });
}

/// A handle from a `begin_frame` guard is stale once the guard has reset the arena, and a
/// handle from a `LocalFrame` is stale once its thread's arena moved to the next frame.
#[test]
fn handles_across_guards_and_allocator_frames() {
    let mut arena = FrameArena::new();
    let mut fg = arena.begin_frame();
    let h = fg.frame().handle(1u32);
    assert_eq!(*h.get(&fg.frame()), 1);
    drop(fg);
    let mut fg = arena.begin_frame();
    let f = fg.frame();
    f.alloc(2u32);
    assert!(h.try_get(&f).is_none());

    let alloc = SmartAlloc::new();
    let frame = alloc.begin_frame();
    let here = frame.for_current_thread();
    let h = here.handle(3u64);
    assert_eq!(*h.get(&here), 3);
    drop(here);
    frame.end();
    let frame = alloc.begin_frame();
    let here = frame.for_current_thread();
    here.alloc(4u64);
    assert!(h.try_get(&here).is_none());
}
