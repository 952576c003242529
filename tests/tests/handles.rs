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
