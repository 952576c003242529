//! A global allocator that can be told to fail: a failing chunk request gives `AllocError`,
//! the arena stays usable, and earlier allocations are intact.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use framealloc::{AllocError, ArenaConfig, FrameArena};

thread_local! {
    /// The next request of at least this many bytes fails, on this thread only (so parallel
    /// tests and the harness are unaffected).
    static FAIL_FROM: Cell<usize> = const { Cell::new(usize::MAX) };
    /// Whether failing goes on after the first refusal.
    static STICKY: Cell<bool> = const { Cell::new(false) };
}

struct Failing;

// SAFETY: forwards to `System`, or returns null (a legal "out of memory" answer).
unsafe impl GlobalAlloc for Failing {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.size() >= FAIL_FROM.with(Cell::get) {
            // Unless sticky: one refusal, then recover, so a panic can still be reported.
            if !STICKY.with(Cell::get) {
                FAIL_FROM.with(|c| c.set(usize::MAX));
            }
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded from the caller.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded from the caller; every block came from `System`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Failing = Failing;

/// Runs `body` with the next request of at least 1 KiB (every chunk request) failing.
fn failing_next_chunk<R>(body: impl FnOnce() -> R) -> R {
    FAIL_FROM.with(|c| c.set(1024));
    let r = body();
    FAIL_FROM.with(|c| c.set(usize::MAX));
    r
}

/// Runs `body` with every request of at least 1 KiB failing; `body` must not panic.
fn failing_every_chunk<R>(body: impl FnOnce() -> R) -> R {
    STICKY.with(|c| c.set(true));
    let r = failing_next_chunk(body);
    STICKY.with(|c| c.set(false));
    r
}

#[test]
fn failed_chunk_request_is_an_error_and_the_arena_survives() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let early = f.alloc_slice_fill_with(1000, |i| i as u32);
        let used = f.stats().bytes_used;
        let err = failing_next_chunk(|| f.try_alloc_slice_fill_copy(100_000, 0u8)).unwrap_err();
        assert_eq!(
            err,
            AllocError::OutOfMemory {
                requested: 128 << 10
            }
        );
        assert!(err.to_string().contains("out of memory"));
        // Nothing moved, and the current chunk still serves what fits in it.
        assert_eq!(f.stats().bytes_used, used);
        assert_eq!(f.stats().chunks, 1);
        assert!(early.iter().enumerate().all(|(i, &x)| x == i as u32));
        assert_eq!(*f.alloc(9u8), 9);
        // Once the source recovers, the same request succeeds.
        assert_eq!(f.alloc_batch::<u8>(100_000).len(), 100_000);
        assert!(early.iter().enumerate().all(|(i, &x)| x == i as u32));
    });
}

#[test]
fn first_chunk_can_fail_too() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let err = failing_next_chunk(|| f.try_alloc(5u64)).unwrap_err();
        assert_eq!(
            err,
            AllocError::OutOfMemory {
                requested: 64 << 10
            }
        );
        assert_eq!(f.stats().chunks, 0);
        assert_eq!(*f.alloc(5u64), 5);
    });
}

#[test]
fn containers_report_failure_without_losing_values() {
    let mut arena = FrameArena::with_config(
        ArenaConfig::new()
            .first_chunk_size(1024)
            .max_chunk_size(1024),
    );
    arena.frame(|f| {
        let mut v = f.vec_with_capacity::<u64>(100);
        v.extend(0..100);
        let _blocker = f.alloc(0u8); // the vector can no longer grow in place
        let (value, err) = failing_every_chunk(|| v.try_push(100)).unwrap_err();
        assert_eq!(value, 100);
        assert!(matches!(err, AllocError::OutOfMemory { .. }));
        assert_eq!(v.len(), 100);
        assert!(failing_every_chunk(|| f.try_boxed([0u8; 2000])).is_err());
        v.push(100);
        assert_eq!(v.iter().sum::<u64>(), 100 * 101 / 2);
    });
}

#[test]
#[should_panic(
    expected = "frame arena out of memory: the chunk source could not supply 65536 bytes"
)]
fn infallible_allocation_panics_with_the_error() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        failing_next_chunk(|| f.alloc(1u8));
    });
}
