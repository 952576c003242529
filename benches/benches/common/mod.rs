//! What every bench file shares: the hand-written pointer bump (the practical limit) and the
//! criterion group settings.
#![allow(dead_code)] // each bench uses its own part of this module

use std::mem::{self, MaybeUninit};
use std::time::Duration;

use std::hint::black_box;

use criterion::{BenchmarkGroup, Criterion, Throughput};
use framealloc::FrameArena;

/// The practical limit: a bump pointer over one preallocated buffer, no checks beyond the
/// bounds compare, no chunks, no budget.
pub struct HandBump {
    buf: Vec<MaybeUninit<u64>>,
    cursor: usize,
}

impl HandBump {
    pub fn new(bytes: usize) -> Self {
        HandBump {
            buf: Vec::with_capacity(bytes / 8 + 1),
            cursor: 0,
        }
    }

    #[inline(always)]
    pub fn alloc_raw(&mut self, size: usize, align: usize) -> *mut u8 {
        let base = self.buf.as_mut_ptr().cast::<u8>();
        let start = (base.addr() + self.cursor + align - 1) & !(align - 1);
        let end = start - base.addr() + size;
        assert!(end <= self.buf.capacity() * 8, "hand bump out of room");
        self.cursor = end;
        base.wrapping_add(start - base.addr())
    }

    #[inline(always)]
    pub fn alloc<T>(&mut self, value: T) -> &mut T {
        let p = self
            .alloc_raw(mem::size_of::<T>(), mem::align_of::<T>())
            .cast::<T>();
        // SAFETY: `alloc_raw` returned an aligned block of `size_of::<T>()` bytes inside
        // `buf`, not handed out before this frame's reset.
        unsafe {
            p.write(value);
        }
        // SAFETY: just initialized; unique until the next reset, which needs `&mut self`.
        unsafe { &mut *p }
    }

    #[inline(always)]
    pub fn alloc_slice_fill_with<T>(
        &mut self,
        n: usize,
        mut f: impl FnMut(usize) -> T,
    ) -> &mut [T] {
        let p = self
            .alloc_raw(mem::size_of::<T>() * n, mem::align_of::<T>())
            .cast::<T>();
        for i in 0..n {
            // SAFETY: slot `i < n` lies inside the block of `n` elements.
            unsafe { p.wrapping_add(i).write(f(i)) };
        }
        // SAFETY: all `n` elements were initialized just above.
        unsafe { std::slice::from_raw_parts_mut(p, n) }
    }

    pub fn reset(&mut self) {
        self.cursor = 0;
    }
}

pub fn configure<'a>(
    c: &'a mut Criterion,
    name: &str,
    ops: usize,
) -> BenchmarkGroup<'a, criterion::measurement::WallTime> {
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Elements(ops as u64));
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(2));
    g.sample_size(40);
    g
}

/// One frame of `n` single `u64` allocations.
#[inline(always)]
pub fn frame_of_u64(arena: &mut FrameArena, n: usize) {
    arena.frame(|f| {
        for i in 0..n as u64 {
            black_box(f.alloc(i));
        }
    })
}

/// The same frame on the hand-written bump.
#[inline(always)]
pub fn hand_frame_of_u64(hand: &mut HandBump, n: usize) {
    for i in 0..n as u64 {
        black_box(hand.alloc(i));
    }
    hand.reset();
}

/// One frame of `batches` batches of `batch` `u64`s, each filled with its indices.
#[inline(always)]
pub fn frame_of_batches(arena: &mut FrameArena, batches: usize, batch: usize) {
    arena.frame(|f| {
        for _ in 0..batches {
            let slots = f.alloc_batch::<u64>(batch);
            for (i, s) in slots.iter_mut().enumerate() {
                s.write(i as u64);
            }
            black_box(slots);
        }
    })
}

/// The same frame on the hand-written bump.
#[inline(always)]
pub fn hand_frame_of_batches(hand: &mut HandBump, batches: usize, batch: usize) {
    for _ in 0..batches {
        black_box(hand.alloc_slice_fill_with(batch, |i| i as u64));
    }
    hand.reset();
}
