//! framealloc beside bumpalo and a hand-written pointer bump, on identical work.
//!
//! Every case is frame-shaped: one iteration allocates a whole frame (`FRAME` operations)
//! and then resets, so no case ever times a full or growing arena. Throughput is per
//! operation, so criterion reports time per allocation.

mod common;

use std::hint::black_box;

use common::{
    configure, frame_of_batches, frame_of_u64, hand_frame_of_batches, hand_frame_of_u64, HandBump,
};
use criterion::{criterion_group, criterion_main, Criterion};
use framealloc::{ArenaConfig, FrameArena};

/// Operations per frame.
const FRAME: usize = 10_000;

#[derive(Clone, Copy)]
#[repr(C)]
struct Bytes64([u64; 8]);

/// Guards off, so that a bench run with the `guards` feature measures the guard code compiled
/// in but switched off (`benches/guards.rs` measures them on).
fn unguarded() -> FrameArena {
    FrameArena::with_config(ArenaConfig::new().guards(false))
}

fn alloc_u64(c: &mut Criterion) {
    let mut g = configure(c, "alloc_u64", FRAME);
    let mut arena = unguarded();
    g.bench_function("framealloc", |b| b.iter(|| frame_of_u64(&mut arena, FRAME)));
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
        b.iter(|| hand_frame_of_u64(&mut hand, FRAME))
    });
    g.finish();
}

fn alloc_64b(c: &mut Criterion) {
    let mut g = configure(c, "alloc_64B", FRAME);
    let value = Bytes64([7; 8]);
    let mut arena = unguarded();
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
    let mut arena = unguarded();
    g.bench_function("framealloc", |b| {
        b.iter(|| frame_of_batches(&mut arena, BATCHES, BATCH))
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
        b.iter(|| hand_frame_of_batches(&mut hand, BATCHES, BATCH))
    });
    g.finish();
}

/// Writing `FRAME` u32s (`0, 1, 2, ..`) into a vector sized up front: element by element
/// (`push`, `push_within_capacity`) and in one `extend`, against a hand-written loop over a
/// slice, which the compiler vectorizes.
fn vec_push_with_capacity(c: &mut Criterion) {
    let mut g = configure(c, "vec_push_with_capacity", FRAME);
    let mut arena = unguarded();
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
