//! `mem::forget`, `mem::swap`, `mem::replace` and leaks: skipping a destructor the library
//! relies on, or exchanging two values it tells apart, must never free memory that is still
//! reachable.

use std::cell::Cell;
use std::mem;
use std::sync::{LazyLock, Mutex};

use framealloc::{FrameArena, FrameBox, PoolBox, SmartAlloc};

use crate::Ledger;

/// Forgetting a `FrameGuard` keeps the arena borrowed: no reset can happen, so the memory
/// stays valid (it is leaked to the guard, not freed).
#[test]
fn forgotten_frame_guard() {
    let mut arena = FrameArena::new();
    let mut guard = arena.begin_frame();
    let x: &mut u64 = guard.frame().alloc(5);
    *x += 1;
    assert_eq!(*x, 6);
    mem::forget(guard);
}

/// Forgetting a `SmartFrame` leaves the frame open: allocations stay valid, and the next
/// `begin_frame` reports the open frame instead of resetting under them.
#[test]
fn forgotten_smart_frame() {
    let alloc = SmartAlloc::new();
    let frame = alloc.begin_frame();
    let x = frame.frame_alloc(7u32);
    assert_eq!(*x, 7);
    mem::forget(frame);
    assert!(alloc.try_begin_frame().is_none());
    assert!(alloc.stats().frame_open);
}

/// Forgetting a `LocalFrame` keeps its thread's arena from resetting (the count of live
/// local frames never drops): later frames keep allocating after the old memory.
#[test]
fn forgotten_local_frame() {
    let alloc = SmartAlloc::new();
    let frame = alloc.begin_frame();
    let local = frame.for_current_thread();
    let kept: *const u64 = local.alloc(11u64);
    mem::forget(local);
    frame.end();
    let frame = alloc.begin_frame();
    let fresh = frame.frame_alloc(12u64);
    assert_ne!(fresh as *const u64, kept);
    assert_eq!(*fresh, 12);
    drop(frame);
}

/// Counts its drops without owning heap memory (so forgetting one leaks nothing that a
/// leak checker would report).
struct Flag<'a>(&'a Cell<u32>);

impl Drop for Flag<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

/// Forgetting a `FrameVec` or `FrameBox` leaks its elements' destructors, nothing else.
#[test]
fn forgotten_containers() {
    let mut arena = FrameArena::new();
    let drops = Cell::new(0);
    arena.frame(|f| {
        let mut v = f.vec();
        v.push(Flag(&drops));
        mem::forget(v);
        let b = f.boxed(Flag(&drops));
        mem::forget(b);
        let after = f.alloc(3u32);
        assert_eq!(*after, 3);
    });
    assert_eq!(drops.get(), 0);
}

/// Swapping two `FrameVec`s of the same frame, and a `FrameVec` whose buffer is the newest
/// allocation with one whose buffer is not: each frees (gives back) only its own buffer.
#[test]
fn swapped_frame_vecs() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let mut a = f.vec_with_capacity(4);
        a.extend([1u32, 2, 3, 4]);
        let mut b = f.vec_with_capacity(4);
        b.extend([5u32, 6, 7, 8]);
        mem::swap(&mut a, &mut b);
        drop(a); // the newest buffer (b's), given back
        let c = f.alloc_slice_fill_copy(4, 9u32);
        assert_eq!(b, [1, 2, 3, 4][..]);
        b.push(10); // must not grow in place over `c`
        assert_eq!(c, [9; 4]);
        assert_eq!(b, [1, 2, 3, 4, 10][..]);
    });
}

/// Swapping `FrameVec`s of two different frames (an outer frame and a scope cannot both be
/// borrowed, but two arenas can): each returns its buffer to its own arena.
#[test]
fn swapped_frame_vecs_of_two_arenas() {
    let mut one = FrameArena::new();
    let mut two = FrameArena::new();
    one.frame(|f| {
        two.frame(|g| {
            let mut a = f.vec();
            a.extend([1u8, 2]);
            let mut b = g.vec();
            b.extend([3u8]);
            // Different frame lifetimes: the types differ, so only values swap, not buffers.
            mem::swap(&mut a[0], &mut b[0]);
            assert_eq!((&a[..], &b[..]), (&[3u8, 2][..], &[1u8][..]));
        });
    });
}

/// Swapping the contents of two `FrameBox`es, and replacing one: drops follow the values.
#[test]
fn swapped_and_replaced_frame_boxes() {
    let mut arena = FrameArena::new();
    let ledger = Ledger::new();
    arena.frame(|f| {
        let mut a: FrameBox<'_, _> = f.boxed(ledger.track(1));
        let mut b = f.boxed(ledger.track(2));
        mem::swap(&mut *a, &mut *b);
        assert_eq!((a.id, b.id), (2, 1));
        let old = mem::replace(&mut *a, ledger.track(3));
        assert_eq!(old.id, 2);
        drop(old);
        assert_eq!(ledger.dropped(), [2]);
        mem::swap(&mut a, &mut b);
        assert_eq!(FrameBox::into_inner(a).id, 1);
    });
    assert_eq!(ledger.dropped(), [1, 2, 3]);
}

/// `FrameBox::leak` hands out a reference for the whole frame; its destructor never runs.
#[test]
fn leaked_frame_box() {
    let mut arena = FrameArena::new();
    let drops = Cell::new(0);
    arena.frame(|mut f| {
        let leaked = FrameBox::leak(f.boxed((7u8, Flag(&drops))));
        f.scope(|g| {
            g.alloc([0u8; 256]);
        });
        assert_eq!(leaked.0, 7);
    });
    assert_eq!(drops.get(), 0);
}

/// Never dropping a `PoolBox` leaks its block; the pool keeps working. (The box is kept in a
/// static rather than forgotten, so that Miri's leak check, which this leak would fail,
/// still checks everything else.)
#[test]
fn forgotten_pool_box() {
    static ALLOC: LazyLock<SmartAlloc> = LazyLock::new(SmartAlloc::new);
    static NEVER_DROPPED: Mutex<Vec<PoolBox<'static, [u64; 8]>>> = Mutex::new(Vec::new());
    let b = ALLOC.pool_box([1u64; 8]);
    NEVER_DROPPED.lock().unwrap().push(b);
    let c = ALLOC.pool_box([2u64; 8]);
    assert_eq!(c[7], 2);
    assert_eq!(ALLOC.stats().pool_blocks_in_use, 2);
}

/// A forgotten drain of either container leaks the range and the tail; what the container
/// still counts stays valid, and nothing is dropped twice. (The elements hold no heap memory,
/// so the leak is of frame or column memory only, which Miri's leak check allows.)
#[test]
fn forgotten_drains_leak_and_never_double_drop() {
    struct Counted<'a>(&'a Cell<u32>, u32);
    impl Drop for Counted<'_> {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }
    let drops = Cell::new(0);
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let mut v = f.vec();
        v.extend((0..6).map(|i| Counted(&drops, i)));
        mem::forget(v.drain(1..4));
        assert_eq!(v.len(), 1);
        v.push(Counted(&drops, 9));
        assert_eq!((v[0].1, v[1].1), (0, 9));
        drop(v);
    });
    assert_eq!(drops.get(), 2, "only the two counted elements were dropped");
    let mut s =
        framealloc::soa::SoaVec::<(u32, Counted<'_>)>::new_in(64, allocator_api2::alloc::Global);
    s.extend((0..6).map(|i| (i, Counted(&drops, i))));
    mem::forget(s.drain(2..));
    assert_eq!(s.slices().0, &[0, 1]);
    s.push((7, Counted(&drops, 7)));
    drop(s);
    assert_eq!(drops.get(), 5);
}
