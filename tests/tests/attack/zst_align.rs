//! Zero-sized and over-aligned types in every container: zero-sized values must not alias
//! in ways that double-drop, and over-aligned ones must come out aligned, across chunk
//! boundaries and in every allocator.

use std::alloc::Layout;
use std::sync::atomic::{AtomicUsize, Ordering};

use framealloc::{soa, AllocConfig, ArenaConfig, FrameArena, SmartAlloc};

use crate::Ledger;

#[derive(Clone, Copy, Debug, PartialEq)]
#[repr(align(4096))]
struct Page(u8);

#[derive(Clone, Copy, Debug, PartialEq)]
#[repr(align(64))]
struct Line([u8; 3]);

/// Drops of `Token`s.
static TOKEN_DROPS: AtomicUsize = AtomicUsize::new(0);

/// A zero-sized type with a destructor.
struct Token;

impl Drop for Token {
    fn drop(&mut self) {
        TOKEN_DROPS.fetch_add(1, Ordering::Relaxed);
    }
}

#[test]
fn zero_sized_values_with_destructors_are_dropped_once_each() {
    let drops = &TOKEN_DROPS;
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let a = f.boxed(Token);
        let b = f.boxed(Token);
        let mut v = f.vec();
        for _ in 0..100 {
            v.push(Token);
        }
        assert_eq!(v.len(), 100);
        v.truncate(40);
        assert_eq!(drops.load(Ordering::Relaxed), 60);
        let s = v.into_boxed_slice();
        assert_eq!(s.len(), 40);
        drop((a, b, s));
    });
    assert_eq!(drops.load(Ordering::Relaxed), 102);
}

#[test]
fn over_aligned_values_in_every_allocation_form() {
    let mut arena = FrameArena::with_config(ArenaConfig::new().first_chunk_size(64));
    for _ in 0..3 {
        arena.frame(|f| {
            for i in 0..10u8 {
                let p = f.alloc(Page(i));
                assert_eq!(p as *const Page as usize % 4096, 0);
                let l = f.alloc_slice_fill_copy(3, Line([i; 3]));
                assert_eq!(l.as_ptr() as usize % 64, 0);
                let b = f.boxed(Page(i));
                assert_eq!(&*b as *const Page as usize % 4096, 0);
                let mut v = f.vec();
                v.extend([Line([1; 3]), Line([2; 3])]);
                assert_eq!(v.as_ptr() as usize % 64, 0);
                let raw = f.alloc_layout(Layout::from_size_align(1, 1 << 16).unwrap());
                assert_eq!(raw.as_ptr() as usize % (1 << 16), 0);
                assert_eq!((p.0, b.0), (i, i));
            }
        });
    }
}

#[test]
fn over_aligned_pool_and_smart_frame_values() {
    let alloc = SmartAlloc::with_config(AllocConfig::new().first_chunk_size(16));
    let b = alloc.pool_box(Page(3));
    assert_eq!(&*b as *const Page as usize % 4096, 0);
    let big = alloc.pool_alloc(Layout::from_size_align(8, 8192).unwrap());
    assert_eq!(big.as_ptr().as_ptr() as usize % 8192, 0);
    let frame = alloc.begin_frame();
    let p = frame.frame_alloc(Page(4));
    assert_eq!(p as *const Page as usize % 4096, 0);
    let zs = frame.frame_slice(1000, ());
    assert_eq!(zs.len(), 1000);
    let zst_pool = alloc.pool_box(());
    assert_eq!(*zst_pool, ());
    drop(frame);
}

#[soa]
struct Odd {
    page: Page,
    unit: (),
    line: Line,
}

#[soa]
struct Units {
    a: (),
    b: [u64; 0],
}

#[test]
fn soa_with_over_aligned_and_zero_sized_columns() {
    let mut soa = OddSoa::new();
    for i in 0..20u8 {
        soa.push(Odd {
            page: Page(i),
            unit: (),
            line: Line([i; 3]),
        });
    }
    assert_eq!(soa.page().as_ptr() as usize % 4096, 0);
    assert_eq!(soa.line().as_ptr() as usize % 64, 0);
    assert_eq!(soa.page()[19], Page(19));
    let mut units = UnitsSoa::new();
    for _ in 0..1000 {
        units.push(Units { a: (), b: [] });
    }
    assert_eq!(units.len(), 1000);
    units.truncate(3);
    assert_eq!(units.pop().map(|u| u.a), Some(()));
}

#[soa]
struct WithZstDrop {
    id: u32,
    token: Ledgered,
}

/// Held for its `Drop`.
struct Ledgered(#[allow(dead_code)] crate::Tracked);

#[test]
fn soa_in_a_frame_with_dropping_columns() {
    let ledger = Ledger::new();
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let mut soa = WithZstDropSoa::new_in(&f);
        for i in 0..50 {
            soa.push(WithZstDrop {
                id: i,
                token: Ledgered(ledger.track(i)),
            });
        }
        drop(soa.swap_remove(3));
        assert_eq!(soa.id()[3], 49);
    });
    assert_eq!(ledger.count(), 50);
}
