//! Re-entrancy: user code that runs while the arena is in the middle of an operation
//! (closures, iterators, `Clone`, callbacks) and calls back into the same arena or
//! allocator.

use std::sync::{Arc, LazyLock, Mutex, OnceLock};

use framealloc::guard::GuardHandler;
use framealloc::{AllocConfig, ArenaConfig, FrameArena, SmartAlloc, SmartFrame, TagBudget};

use crate::{expect_panic, scaled};

/// Closures and iterators that allocate from the frame they are filling.
#[test]
fn allocating_while_filling() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let mut side = Vec::new();
        let xs = f.alloc_slice_fill_with(16, |i| {
            side.push(f.alloc(i as u64));
            i as u64
        });
        assert!(xs.iter().copied().eq(0..16));
        assert!(side.iter().map(|r| **r).eq(0..16));
        let nested = f.alloc_with(|| *f.alloc_with(|| *f.alloc(4u8) + 1) + 1);
        assert_eq!(*nested, 6);
        let ys = f.alloc_iter((0..8u32).map(|i| *f.alloc(i * 2)));
        assert_eq!(ys[7], 14);
        let boxed = f.boxed_slice_fill_with(4, |i| f.vec_with_capacity::<u8>(i + 1).capacity());
        assert_eq!(&*boxed, &[1, 2, 3, 4]);
    });
}

/// A vector extended from an iterator that allocates from the same frame: the buffer stops
/// being the newest block mid-extend, so growing must move it rather than grow over the
/// iterator's allocations.
#[test]
fn extending_a_vector_from_an_allocating_iterator() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let mut v = f.vec();
        let mut markers = Vec::new();
        v.extend((0..scaled(500, 40) as u32).inspect(|&i| {
            markers.push(f.alloc(u64::from(i) << 32));
        }));
        for (i, m) in markers.iter().enumerate() {
            assert_eq!(**m, (i as u64) << 32);
            assert_eq!(v[i], i as u32);
        }
        // Dropping a vector in the middle of another vector's extend.
        let mut w = f.vec();
        w.extend((0..64u32).map(|i| {
            let mut tmp = f.vec();
            tmp.extend([i; 3]);
            tmp.iter().sum::<u32>()
        }));
        assert_eq!(w[63], 189);
    });
}

/// A guard callback that allocates from another arena while this arena is in the middle of
/// a guard check.
#[test]
fn guard_callback_that_allocates() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    let mut arena = FrameArena::with_config(ArenaConfig::new().guards(true).guard_handler(
        GuardHandler::callback(move |report| {
            let mut other = FrameArena::new();
            other.frame(|f| f.alloc_str(&report.to_string()).len());
            sink.lock().unwrap().push(report.size);
        }),
    ));
    let guarded = arena.guards_enabled();
    arena.frame(|f| {
        let block = f.alloc_layout(std::alloc::Layout::new::<[u8; 8]>());
        if guarded {
            // SAFETY: one past the 8-byte block stays inside the arena's chunk (its canary
            // follows the block).
            let canary = unsafe { block.as_ptr().add(8) };
            // SAFETY: a deliberate write into that canary, which nothing else references:
            // the overrun the callback is told about.
            unsafe { canary.write(0x2a) };
        }
        // The callback runs during this check, and allocates from another arena.
        assert_eq!(f.check_guards(), usize::from(guarded));
        assert_eq!(*f.alloc(5u32), 5, "the arena works after the callback");
    });
    // Reported once (the on-demand check marks it, the frame end does not report it again);
    // with guards compiled out (release builds) there is nothing to report.
    let expected: &[usize] = if guarded { &[8] } else { &[] };
    assert_eq!(seen.lock().unwrap().as_slice(), expected);
}

/// The soft-limit callback runs in the middle of an allocation's budget check; one that
/// allocates frame memory from the same allocator, on the same thread, re-enters the arena
/// mid-allocation. Both allocations must come out whole and disjoint.
#[test]
fn soft_limit_callback_that_allocates_from_the_same_allocator() {
    static FRAME: OnceLock<SmartFrame<'static>> = OnceLock::new();
    static INNER: Mutex<Vec<usize>> = Mutex::new(Vec::new());
    static ALLOC: LazyLock<SmartAlloc> = LazyLock::new(|| {
        SmartAlloc::with_config(
            AllocConfig::new()
                .tag_budget("t", TagBudget::soft(64).and_hard(1 << 20))
                .on_soft_limit(|_| {
                    if let Some(frame) = FRAME.get() {
                        let inner = frame.frame_alloc([9u8; 32]);
                        INNER.lock().unwrap().push(inner.as_ptr() as usize);
                        assert_eq!(inner[31], 9);
                    }
                }),
        )
    });
    assert!(FRAME.set(ALLOC.begin_frame()).is_ok());
    let frame = FRAME.get().unwrap();
    ALLOC.with_tag("t", || {
        let a = frame.frame_alloc([1u8; 48]);
        let b = frame.frame_alloc([2u8; 48]); // passes the soft limit: the callback runs
        assert_eq!((a[47], b[0], b[47]), (1, 2, 2));
        let inner = INNER.lock().unwrap().clone();
        assert_eq!(inner.len(), 1, "the callback ran once");
        let (b_start, inner_start) = (b.as_ptr() as usize, inner[0]);
        assert!(inner_start + 32 <= b_start || b_start + 48 <= inner_start);
    });
}

/// Nesting `SmartAlloc::frame` is refused with a clear panic, and leaves the outer frame
/// working.
#[test]
fn nested_thread_frames_are_refused() {
    let alloc = SmartAlloc::new();
    alloc.frame(|f| {
        let x = f.alloc(1u32);
        let message = expect_panic(|| {
            alloc.frame(|g| {
                g.alloc(2u32);
            })
        });
        assert!(message.contains("already inside a frame"), "{message}");
        let frame_message = expect_panic(|| {
            let frame = alloc.begin_frame();
            frame.frame_alloc(3u32);
        });
        assert!(
            frame_message.contains("inside SmartAlloc::frame"),
            "{frame_message}"
        );
        assert_eq!(*x, 1);
        *x = 4;
        assert_eq!(*f.alloc(5u32) + *x, 9);
    });
}

/// Ending the allocator's frame from inside a thread frame: the thread frame's memory stays
/// valid until its closure returns, and the arena resets afterwards.
#[test]
fn ending_the_allocator_frame_inside_a_thread_frame() {
    let alloc = SmartAlloc::new();
    let outer = alloc.begin_frame();
    let kept = outer.frame_alloc(21u64);
    assert_eq!(*kept, 21);
    alloc.frame(|f| {
        let x = f.alloc_slice_fill_copy(32, 8u8);
        // `outer` is borrowed by `kept`; end a frame through `try_begin_frame` instead.
        assert!(alloc.try_begin_frame().is_none());
        assert_eq!(x, [8; 32]);
    });
    drop(outer);
    let frame = alloc.begin_frame();
    alloc.frame(|f| {
        let x = f.alloc_slice_fill_copy(32, 1u8);
        drop(frame);
        assert_eq!(x, [1; 32]);
        let y = f.alloc(2u8);
        assert_eq!(*y, 2);
    });
    assert_eq!(alloc.frame(|f| *f.alloc(3u8)), 3);
}

/// Vectors of the allocator's frame dropped or frozen inside a thread frame on their
/// thread: their memory lies below the thread frame's checkpoint, and the thread frame's
/// rewind (with its poisoning when guards are on) must not reach memory still in use below
/// it, nor may later allocations overlap what the frozen vector still holds.
#[test]
fn frame_vectors_released_inside_a_thread_frame() {
    for guards in [false, true] {
        let alloc = SmartAlloc::with_config(AllocConfig::new().guards(guards));
        let frame = alloc.begin_frame();
        let below = frame.frame_alloc([7u8; 32]);
        // Dropped inside: the newest block, which a drop would otherwise give back.
        let dropped = frame.frame_vec_with_capacity::<u64>(16);
        alloc.frame(|f| {
            drop(dropped);
            f.alloc_slice_fill_copy(512, 0xABu8);
        });
        let after = frame.frame_alloc_batch::<u8>(512);
        after.iter_mut().for_each(|b| {
            b.write(0xCD);
        });
        assert_eq!(*below, [7u8; 32]);
        // Frozen inside: spare capacity a freeze would otherwise give back.
        let mut frozen = frame.frame_vec_with_capacity::<u32>(64);
        frozen.extend([1, 2, 3]);
        let boxed = alloc.frame(|f| {
            let boxed = frozen.into_boxed_slice();
            f.alloc_slice_fill_copy(1024, u32::MAX);
            boxed
        });
        let after = frame.frame_slice(1024, 0u32);
        assert_eq!((&*boxed, after.len()), (&[1u32, 2, 3][..], 1024));
        // A vector made inside a thread frame is refused, as every frame allocation is.
        let made_inside = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            alloc.frame(|_| drop(frame.frame_vec::<u8>()))
        }));
        assert!(made_inside.is_err());
        drop(boxed);
        frame.end();
    }
}
