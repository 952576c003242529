//! A global allocator that counts each thread's system allocations, for the tests that
//! prove a loop makes none. A test binary includes it with
//! `#[path = "support/counting.rs"] mod counting;`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Bytes allocated from the system and not yet freed, by all threads.
static LIVE: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// System allocations made by this thread (each test thread counts its own).
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

struct Counting;

// SAFETY: forwards to `System`; counting touches only a const-initialized thread local.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarded from the caller.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarded from the caller; every block came from `System`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// System allocations the calling thread has made so far.
pub fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

/// Bytes allocated from the system and not yet freed, by all threads (`realloc` is counted as
/// the `alloc` and `dealloc` it is made of).
#[allow(dead_code)] // not every test binary reads it
pub fn live_bytes() -> usize {
    LIVE.load(Ordering::Relaxed)
}
