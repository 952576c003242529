//! Panic safety: a panic at every point user code runs (destructors, clones, closures,
//! iterators) must leave no value dropped twice, no uninitialized value exposed, no block
//! leaked, and the arena usable afterwards.

use std::alloc::Layout;
use std::cell::Cell;
use std::ptr::NonNull;

use allocator_api2::alloc::{AllocError, Allocator, Global};
use framealloc::{soa, FrameArena, SmartAlloc};

use crate::{expect_panic, Ledger, Tracked, PANIC_IDS};

/// An allocator that counts the blocks it has handed out and not yet been given back.
#[derive(Clone, Default)]
struct Counting {
    live: std::rc::Rc<Cell<isize>>,
}

// SAFETY: every call is forwarded to `Global`, which upholds the contract; the counter is
// bookkeeping only.
unsafe impl Allocator for Counting {
    fn allocate(&self, layout: Layout) -> Result<NonNull<[u8]>, AllocError> {
        self.live.set(self.live.get() + 1);
        Global.allocate(layout)
    }

    unsafe fn deallocate(&self, ptr: NonNull<u8>, layout: Layout) {
        self.live.set(self.live.get() - 1);
        // SAFETY: forwarded: `ptr` came from `Global.allocate(layout)` above.
        unsafe { Global.deallocate(ptr, layout) }
    }
}

#[soa]
struct Pair {
    a: Tracked,
    b: Tracked,
}

/// Hole 4: a panicking destructor in one column used to skip the other columns and the
/// storage block.
#[test]
fn soa_drop_with_a_panicking_destructor_drops_everything_and_frees_the_block() {
    let ledger = Ledger::new();
    let alloc = Counting::default();
    let mut soa = PairSoa::new_in(alloc.clone());
    soa.push(Pair {
        a: ledger.track(1),
        b: ledger.track(2),
    });
    soa.push(Pair {
        a: ledger.track(PANIC_IDS),
        b: ledger.track(4),
    });
    assert_eq!(alloc.live.get(), 1);
    let message = expect_panic(move || drop(soa));
    assert!(message.contains("panics in drop"), "{message}");
    assert_eq!(ledger.dropped(), [1, 2, 4, PANIC_IDS]);
    assert_eq!(alloc.live.get(), 0, "the storage block was not given back");
}

/// The same through `truncate`: the container stays usable, with equal column lengths.
#[test]
fn soa_truncate_with_a_panicking_destructor() {
    let ledger = Ledger::new();
    let alloc = Counting::default();
    let mut soa = PairSoa::new_in(alloc.clone());
    for i in 0..4 {
        let first = if i == 2 { PANIC_IDS } else { 10 * i };
        soa.push(Pair {
            a: ledger.track(first),
            b: ledger.track(10 * i + 1),
        });
    }
    expect_panic(|| soa.truncate(1));
    assert_eq!(ledger.dropped(), [10, 11, 21, 30, 31, PANIC_IDS]);
    assert_eq!(soa.len(), 1);
    assert_eq!((soa.a().len(), soa.b().len()), (1, 1));
    soa.push(Pair {
        a: ledger.track(40),
        b: ledger.track(41),
    });
    drop(soa);
    assert_eq!(ledger.count(), 10);
    assert_eq!(alloc.live.get(), 0);
}

/// `Extend` from an iterator that panics halfway keeps every column the same length and
/// every pushed value owned once.
#[test]
fn soa_extend_from_a_panicking_iterator() {
    let ledger = Ledger::new();
    let mut soa = PairSoa::new();
    expect_panic(|| {
        soa.extend((0..10).map(|i| {
            assert!(i != 5, "iterator panics");
            Pair {
                a: ledger.track(2 * i),
                b: ledger.track(2 * i + 1),
            }
        }))
    });
    assert_eq!((soa.len(), soa.a().len(), soa.b().len()), (5, 5, 5));
    drop(soa);
    assert_eq!(ledger.dropped(), (0..10).collect::<Vec<_>>());
}

/// A `FrameVec` whose element panics in `Drop` drops the rest (std's `Vec` does too).
#[test]
fn frame_vec_drop_and_truncate_with_a_panicking_destructor() {
    let mut arena = FrameArena::new();
    let ledger = Ledger::new();
    arena.frame(|f| {
        let mut v = f.vec();
        for i in 0..6 {
            v.push(ledger.track(if i == 1 { PANIC_IDS } else { i }));
        }
        expect_panic(|| v.truncate(0));
        assert_eq!(v.len(), 0);
        assert_eq!(ledger.count(), 6);
        v.push(ledger.track(10));
        v.push(ledger.track(PANIC_IDS + 1));
        v.push(ledger.track(12));
        expect_panic(move || drop(v));
        assert_eq!(ledger.count(), 9);
    });
}

/// `FrameVec::extend` from an iterator that panics keeps what it wrote, exactly once.
#[test]
fn frame_vec_extend_from_a_panicking_iterator() {
    let mut arena = FrameArena::new();
    let ledger = Ledger::new();
    arena.frame(|f| {
        let mut v = f.vec_with_capacity(3);
        expect_panic(|| {
            v.extend((0..10).map(|i| {
                assert!(i != 7, "iterator panics");
                ledger.track(i)
            }))
        });
        assert_eq!(v.len(), 7);
        assert!(v.iter().map(|t| t.id).eq(0..7));
        drop(v);
        assert_eq!(ledger.dropped(), (0..7).collect::<Vec<_>>());
    });
}

/// `boxed_slice_fill_with` whose maker panics drops the elements it made, once.
#[test]
fn boxed_slice_fill_with_a_panicking_maker() {
    let mut arena = FrameArena::new();
    let ledger = Ledger::new();
    arena.frame(|f| {
        expect_panic(|| {
            f.boxed_slice_fill_with(8, |i| {
                assert!(i != 5, "maker panics");
                ledger.track(i as u32)
            });
        });
        assert_eq!(ledger.dropped(), [0, 1, 2, 3, 4]);
        let ok = f.boxed_slice_fill_with(3, |i| ledger.track(100 + i as u32));
        assert_eq!(ok.len(), 3);
    });
    assert_eq!(ledger.count(), 8);
}

/// A `FrameBox<[T]>` whose element panics in `Drop` drops the others.
#[test]
fn frame_box_slice_with_a_panicking_destructor() {
    let mut arena = FrameArena::new();
    let ledger = Ledger::new();
    arena.frame(|f| {
        let b = f.boxed_slice_fill_with(4, |i| {
            ledger.track(if i == 0 { PANIC_IDS } else { i as u32 })
        });
        expect_panic(move || drop(b));
    });
    assert_eq!(ledger.dropped(), [1, 2, 3, PANIC_IDS]);
}

/// A panicking scope body rewinds; the outer frame's memory is intact and the arena keeps
/// working, frame after frame.
#[test]
fn panics_in_scopes_and_frames_leave_the_arena_usable() {
    let mut arena = FrameArena::new();
    arena.frame(|mut f| {
        let kept = f.alloc_slice_fill_copy(16, 3u8);
        let before = f.stats().bytes_used;
        expect_panic(|| {
            f.scope(|g| {
                g.alloc_slice_fill_copy(4096, 0xAAu8);
                panic!("scope body panics");
            })
        });
        assert_eq!(f.stats().bytes_used, before);
        assert_eq!(kept, [3; 16]);
    });
    expect_panic(|| {
        arena.frame(|f| {
            f.alloc(1u64);
            panic!("frame body panics");
        })
    });
    let n = arena.frame(|f| f.alloc_slice_fill_copy(100, 1u8).len());
    assert_eq!(n, 100);
    assert_eq!(arena.stats().bytes_used, 0);
}

/// A frame body that panics inside the `SmartAlloc` facade: the thread's frame flag and
/// tag stack are restored, so the next frame and tag work.
#[test]
fn panics_in_smart_frames_and_tags() {
    let alloc = SmartAlloc::new();
    expect_panic(|| {
        alloc.with_tag("outer", || {
            alloc.frame(|f| {
                f.alloc([1u8; 128]);
                panic!("thread frame panics");
            })
        })
    });
    let n = alloc.frame(|f| f.alloc_slice_fill_copy(10, 1u8).len());
    assert_eq!(n, 10);
    alloc.with_tag("second", || alloc.frame(|f| f.alloc(2u32).to_owned()));
    let stats = alloc.begin_frame().end();
    let tags: Vec<&str> = stats.tags.iter().map(|t| t.tag).collect();
    assert!(tags.contains(&"second"), "{tags:?}");
    assert!(!tags.iter().any(|t| t.starts_with("outer/")), "{tags:?}");
}

/// A pool box whose value panics in `Drop` still gives its block back.
#[test]
fn pool_box_with_a_panicking_destructor() {
    let alloc = SmartAlloc::new();
    let ledger = Ledger::new();
    let before = alloc.stats().pool_blocks_in_use;
    let b = alloc.pool_box(ledger.track(PANIC_IDS));
    assert_eq!(alloc.stats().pool_blocks_in_use, before + 1);
    expect_panic(move || drop(b));
    assert_eq!(alloc.stats().pool_blocks_in_use, before);
    assert_eq!(ledger.count(), 1);
}

/// A `Clone` that panics halfway through `alloc_slice_clone`: nothing needs dropping (the
/// element type cannot need `Drop`), and the frame keeps working.
#[test]
fn alloc_slice_clone_with_a_panicking_clone() {
    struct Picky(u32);
    impl Clone for Picky {
        fn clone(&self) -> Self {
            assert!(self.0 != 3, "clone panics");
            Picky(self.0)
        }
    }
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let src: Vec<Picky> = (0..6).map(Picky).collect();
        expect_panic(|| {
            f.alloc_slice_clone(&src);
        });
        let ok = f.alloc_slice_clone(&src[..3]);
        assert_eq!(ok.iter().map(|p| p.0).sum::<u32>(), 3);
    });
}

/// A soft-limit callback that panics in the middle of an allocation's budget check: the
/// allocation unwinds, and the arena and the frame keep working.
#[test]
fn panicking_soft_limit_callback() {
    use framealloc::{AllocConfig, TagBudget};

    let alloc = SmartAlloc::with_config(
        AllocConfig::new()
            // Leases are 4 KiB: the first allocation stays under the soft limit.
            .tag_budget("t", TagBudget::soft(8 << 10).and_hard(1 << 20))
            .on_soft_limit(|e| panic!("soft limit of {} passed", e.tag)),
    );
    alloc.with_tag("t", || {
        let frame = alloc.begin_frame();
        let a = frame.frame_alloc([1u8; 32]);
        let message = expect_panic(|| {
            frame.frame_alloc([2u8; 16 << 10]);
        });
        assert!(message.contains("soft limit of t passed"), "{message}");
        let b = frame.frame_alloc([3u8; 32]);
        assert_eq!((a[31], b[31]), (1, 3));
    });
    let n = alloc.frame(|f| f.alloc_slice_fill_copy(100, 4u8).len());
    assert_eq!(n, 100);
}
