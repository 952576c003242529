//! `SmartAlloc` beside its limits and peers: frame allocation through the facade against
//! the hand-written bump, and pool alloc+free pairs against mimalloc and the system allocator
//! from 1 to 8 threads.
//!
//! `cargo bench -p framealloc-benches --bench smart`

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::Barrier;
use std::time::{Duration, Instant};

use common::{configure, hand_frame_of_u64, HandBump};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use framealloc::{AllocConfig, FrameArena, SmartAlloc};
use mimalloc::MiMalloc;

const ALLOCS: usize = 10_000;

fn smart() -> SmartAlloc {
    SmartAlloc::with_config(AllocConfig::new().guards(false))
}

/// One frame of `ALLOCS` `u64`s through each route, reset between frames.
fn frame_alloc(c: &mut Criterion) {
    let mut g = configure(c, "smart_frame_alloc_u64", ALLOCS);
    let mut hand = HandBump::new(ALLOCS * 8 + 64);
    g.bench_function("hand_bump", |b| {
        b.iter(|| hand_frame_of_u64(&mut hand, ALLOCS))
    });
    let alloc = smart();
    g.bench_function("smart_for_current_thread", |b| {
        b.iter(|| {
            let frame = alloc.begin_frame();
            let here = frame.for_current_thread();
            for i in 0..ALLOCS as u64 {
                black_box(here.alloc(i));
            }
        })
    });
    g.bench_function("smart_direct", |b| {
        b.iter(|| {
            let frame = alloc.begin_frame();
            for i in 0..ALLOCS as u64 {
                black_box(frame.frame_alloc(i));
            }
        })
    });
    let mut arena = FrameArena::with_config(framealloc::ArenaConfig::new().guards(false));
    g.bench_function("frame_arena", |b| {
        b.iter(|| common::frame_of_u64(&mut arena, ALLOCS))
    });
    g.finish();
}

/// Runs `pairs` on `threads` threads at once and returns the wall time from the common start
/// to the last thread's end.
fn on_threads(threads: usize, iters: u64, pairs: &(dyn Fn(u64) + Sync)) -> Duration {
    let start = Barrier::new(threads + 1);
    std::thread::scope(|s| {
        let hs: Vec<_> = (0..threads)
            .map(|_| {
                let start = &start;
                s.spawn(move || {
                    start.wait();
                    pairs(iters);
                    Instant::now()
                })
            })
            .collect();
        start.wait();
        let t0 = Instant::now();
        let end = hs.into_iter().map(|h| h.join().unwrap()).max().unwrap();
        end - t0
    })
}

/// One alloc+free pair of a 64-byte object, `iters` times, through a `GlobalAlloc`.
fn global_pairs(a: &impl GlobalAlloc, iters: u64) {
    let layout = Layout::new::<[u64; 8]>();
    for i in 0..iters {
        // SAFETY: the layout is not zero-sized.
        let p = unsafe { a.alloc(layout) }.cast::<[u64; 8]>();
        assert!(!p.is_null());
        // SAFETY: `p` is a fresh block for `[u64; 8]`.
        unsafe { p.write([i; 8]) };
        // SAFETY: initialized just above.
        black_box(unsafe { &*p });
        // SAFETY: `p` came from `a.alloc(layout)` and is not used again.
        unsafe { a.dealloc(p.cast(), layout) };
    }
}

/// Pool alloc+free pairs from 1, 2, 4 and 8 threads; the time is per pair per thread.
fn pool_pairs(c: &mut Criterion) {
    let mut g = configure(c, "pool_alloc_free_pair", 1);
    let alloc = smart();
    for threads in [1usize, 2, 4, 8] {
        g.throughput(Throughput::Elements(1));
        g.bench_with_input(
            BenchmarkId::new("smart_pool_for_current_thread", threads),
            &threads,
            |b, &t| {
                b.iter_custom(|iters| {
                    on_threads(t, iters, &|n| {
                        let here = alloc.for_current_thread();
                        for i in 0..n {
                            black_box(here.pool_box([i; 8]));
                        }
                    })
                })
            },
        );
        g.bench_with_input(
            BenchmarkId::new("smart_pool_direct", threads),
            &threads,
            |b, &t| {
                b.iter_custom(|iters| {
                    on_threads(t, iters, &|n| {
                        for i in 0..n {
                            black_box(alloc.pool_box([i; 8]));
                        }
                    })
                })
            },
        );
        g.bench_with_input(BenchmarkId::new("mimalloc", threads), &threads, |b, &t| {
            b.iter_custom(|iters| on_threads(t, iters, &|n| global_pairs(&MiMalloc, n)))
        });
        g.bench_with_input(BenchmarkId::new("system", threads), &threads, |b, &t| {
            b.iter_custom(|iters| on_threads(t, iters, &|n| global_pairs(&System, n)))
        });
    }
    g.finish();
}

criterion_group!(benches, frame_alloc, pool_pairs);
criterion_main!(benches);
