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

/// The editing operations of vectors and struct-of-arrays containers on zero-sized and
/// over-aligned elements: every index computation multiplies by a size of 0 or steps over
/// 64-byte slots.
#[test]
fn editing_operations_on_zero_sized_and_over_aligned_elements() {
    #[derive(Clone, Copy, Debug, PartialEq)]
    #[repr(align(64))]
    struct Wide(u8);
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let mut units = f.vec::<()>();
        units.resize(10, ());
        units.insert(3, ());
        units.remove(0);
        units.retain(|_| true);
        assert_eq!(units.drain(2..5).count(), 3);
        let mut tail = units.split_off(2);
        units.append(&mut tail);
        assert_eq!(units.len(), 7);
        assert_eq!(units.into_iter().count(), 7);
        let mut wide = f.vec::<Wide>();
        wide.extend((0..8).map(Wide));
        wide.insert(0, Wide(9));
        wide.retain(|w| w.0 % 2 == 1);
        wide.dedup();
        assert!(wide
            .iter()
            .all(|w| (w as *const Wide as usize).is_multiple_of(64)));
        assert_eq!(
            wide.drain(..).map(|w| w.0).collect::<Vec<_>>(),
            [9, 1, 3, 5, 7]
        );
    });
    let mut soa_zst =
        framealloc::soa::SoaVec::<((), u8)>::new_in(64, allocator_api2::alloc::Global);
    soa_zst.extend((0..6).map(|i| ((), i)));
    soa_zst.insert(0, ((), 9));
    soa_zst.sort_by_key(|(_, x)| *x);
    soa_zst.retain(|(_, x)| *x != 3);
    assert_eq!(soa_zst.remove(0), ((), 0));
    assert_eq!(soa_zst.drain(..2).count(), 2);
    assert_eq!(soa_zst.slices().1, &[4, 5, 9]);
    let mut all_zst =
        framealloc::soa::SoaVec::<((), ())>::new_in(64, allocator_api2::alloc::Global);
    all_zst.extend([((), ()); 4]);
    all_zst.insert(2, ((), ()));
    all_zst.sort_by(|_, _| core::cmp::Ordering::Equal);
    assert_eq!(all_zst.drain(1..).count(), 4);
    assert_eq!(all_zst.len(), 1);
}
