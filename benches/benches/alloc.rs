//! framealloc beside bumpalo and a hand-written pointer bump, on identical work.
//!
//! Every case is frame-shaped: one iteration allocates a whole frame (`FRAME` operations)
//! and then resets, so no case ever times a full or growing arena. Throughput is per
//! operation, so criterion reports time per allocation.

use std::hint::black_box;
use std::mem::{self, MaybeUninit};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, Throughput};
use framealloc::FrameArena;

/// Operations per frame.
const FRAME: usize = 10_000;

/// The practical limit: a bump pointer over one preallocated buffer, no checks beyond the
/// bounds compare, no chunks, no budget.
struct HandBump {
    buf: Vec<MaybeUninit<u64>>,
    cursor: usize,
}

impl HandBump {
    fn new(bytes: usize) -> Self {
        HandBump {
            buf: Vec::with_capacity(bytes / 8 + 1),
            cursor: 0,
        }
    }

    #[inline(always)]
    fn alloc_raw(&mut self, size: usize, align: usize) -> *mut u8 {
        let base = self.buf.as_mut_ptr().cast::<u8>();
        let start = (base.addr() + self.cursor + align - 1) & !(align - 1);
        let end = start - base.addr() + size;
        assert!(end <= self.buf.capacity() * 8, "hand bump out of room");
        self.cursor = end;
        base.wrapping_add(start - base.addr())
    }

    #[inline(always)]
    fn alloc<T>(&mut self, value: T) -> &mut T {
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
    fn alloc_slice_fill_with<T>(&mut self, n: usize, mut f: impl FnMut(usize) -> T) -> &mut [T] {
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

    fn reset(&mut self) {
        self.cursor = 0;
    }
}

#[derive(Clone, Copy)]
#[repr(C)]
struct Bytes64([u64; 8]);

fn configure<'a>(
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

fn alloc_u64(c: &mut Criterion) {
    let mut g = configure(c, "alloc_u64", FRAME);
    let mut arena = FrameArena::new();
    g.bench_function("framealloc", |b| {
        b.iter(|| {
            arena.frame(|f| {
                for i in 0..FRAME as u64 {
                    black_box(f.alloc(i));
                }
            })
        })
    });
    let mut bump = bumpalo::Bump::new();
    g.bench_function("bumpalo", |b| {
        b.iter(|| {
            for i in 0..FRAME as u64 {
                black_box(bump.alloc(i));
            }
            bump.reset();
        })
    });
    let mut hand = HandBump::new(FRAME * 8);
    g.bench_function("hand_bump", |b| {
        b.iter(|| {
            for i in 0..FRAME as u64 {
                black_box(hand.alloc(i));
            }
            hand.reset();
        })
    });
    g.finish();
}

fn alloc_64b(c: &mut Criterion) {
    let mut g = configure(c, "alloc_64B", FRAME);
    let value = Bytes64([7; 8]);
    let mut arena = FrameArena::new();
    g.bench_function("framealloc", |b| {
        b.iter(|| {
            arena.frame(|f| {
                for _ in 0..FRAME {
                    black_box(f.alloc(black_box(value)));
                }
            })
        })
    });
    let mut bump = bumpalo::Bump::new();
    g.bench_function("bumpalo", |b| {
        b.iter(|| {
            for _ in 0..FRAME {
                black_box(bump.alloc(black_box(value)));
            }
            bump.reset();
        })
    });
    let mut hand = HandBump::new(FRAME * 64);
    g.bench_function("hand_bump", |b| {
        b.iter(|| {
            for _ in 0..FRAME {
                black_box(hand.alloc(black_box(value)));
            }
            hand.reset();
        })
    });
    g.finish();
}

/// Batches of 1000 u64 per allocation, filled; ten batches a frame.
fn batch_1000_u64(c: &mut Criterion) {
    const BATCH: usize = 1000;
    const BATCHES: usize = FRAME / BATCH;
    let mut g = configure(c, "batch_1000_u64_fill", FRAME);
    let mut arena = FrameArena::new();
    g.bench_function("framealloc", |b| {
        b.iter(|| {
            arena.frame(|f| {
                for _ in 0..BATCHES {
                    let slots = f.alloc_batch::<u64>(BATCH);
                    for (i, s) in slots.iter_mut().enumerate() {
                        s.write(i as u64);
                    }
                    black_box(slots);
                }
            })
        })
    });
    let mut bump = bumpalo::Bump::new();
    g.bench_function("bumpalo", |b| {
        b.iter(|| {
            for _ in 0..BATCHES {
                black_box(bump.alloc_slice_fill_with(BATCH, |i| i as u64));
            }
            bump.reset();
        })
    });
    let mut hand = HandBump::new(FRAME * 8);
    g.bench_function("hand_bump", |b| {
        b.iter(|| {
            for _ in 0..BATCHES {
                black_box(hand.alloc_slice_fill_with(BATCH, |i| i as u64));
            }
            hand.reset();
        })
    });
    g.finish();
}

/// Writing `FRAME` u32s (`0, 1, 2, ..`) into a vector sized up front: element by element
/// (`push`, `push_within_capacity`) and in one `extend`, against a hand-written loop over a
/// slice, which the compiler vectorizes.
fn vec_push_with_capacity(c: &mut Criterion) {
    let mut g = configure(c, "vec_push_with_capacity", FRAME);
    let mut arena = FrameArena::new();
    g.bench_function("framealloc_push_within_capacity", |b| {
        b.iter(|| {
            arena.frame(|f| {
                let mut v = f.vec_with_capacity::<u32>(FRAME);
                for i in 0..FRAME as u32 {
                    let _ = v.push_within_capacity(i);
                }
                black_box(v.into_slice());
            })
        })
    });
    g.bench_function("framealloc_push", |b| {
        b.iter(|| {
            arena.frame(|f| {
                let mut v = f.vec_with_capacity::<u32>(FRAME);
                for i in 0..FRAME as u32 {
                    v.push(i);
                }
                black_box(v.into_slice());
            })
        })
    });
    g.bench_function("framealloc_extend", |b| {
        b.iter(|| {
            arena.frame(|f| {
                let mut v = f.vec_with_capacity::<u32>(FRAME);
                v.extend(0..FRAME as u32);
                black_box(v.into_slice());
            })
        })
    });
    let mut bump = bumpalo::Bump::new();
    g.bench_function("bumpalo_vec_extend", |b| {
        b.iter(|| {
            {
                let mut v = bumpalo::collections::Vec::with_capacity_in(FRAME, &bump);
                v.extend(0..FRAME as u32);
                black_box(v.into_bump_slice());
            }
            bump.reset();
        })
    });
    g.bench_function("bumpalo_vec_push", |b| {
        b.iter(|| {
            {
                let mut v = bumpalo::collections::Vec::with_capacity_in(FRAME, &bump);
                for i in 0..FRAME as u32 {
                    v.push(i);
                }
                black_box(v.into_bump_slice());
            }
            bump.reset();
        })
    });
    let mut slice = vec![0u32; FRAME];
    g.bench_function("hand_slice_write", |b| {
        b.iter(|| {
            let s = black_box(slice.as_mut_slice());
            for (i, x) in s.iter_mut().enumerate() {
                *x = i as u32;
            }
            black_box(s);
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    alloc_u64,
    alloc_64b,
    batch_1000_u64,
    vec_push_with_capacity
);
criterion_main!(benches);
