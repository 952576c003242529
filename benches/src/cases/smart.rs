//! `SmartAlloc`: pool alloc+free pairs on one thread, and from 1, 2, 4 and 8 threads both frame
//! allocation and pool pairs. Threaded cases run on a rayon pool of that many threads, one
//! `broadcast` per frame (what a job system does); the time is wall time per operation per
//! thread, so on this 2-core machine 8 threads take about 4x the 1-thread time for every
//! allocator alike.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::{Arc, Mutex};

use blink_alloc::SyncBlinkAlloc;
use framealloc::{AllocConfig, SmartAlloc};
use mimalloc::MiMalloc;
use rayon::ThreadPool;

use super::{builder, Builder, FRAME};
use crate::hand::{HandBump, HandPool, HeapFrame};
use crate::{timed, Case, Group, Peer};

pub(crate) fn groups() -> Vec<Builder> {
    let mut all = vec![builder("pool_pair", pool_pair)];
    for threads in [1, 2, 4, 8] {
        all.push(builder(&format!("threads_frame_{threads}"), move || {
            threads_frame(threads)
        }));
    }
    for threads in [1, 2, 4, 8] {
        all.push(builder(&format!("threads_pool_{threads}"), move || {
            threads_pool(threads)
        }));
    }
    all
}

/// Alloc+free pairs per iteration, per thread.
const PAIRS: u64 = FRAME as u64;
/// `u64` frame allocations per frame, per thread.
const PER_THREAD: u64 = 50_000;

fn smart() -> SmartAlloc {
    SmartAlloc::with_config(AllocConfig::new().guards(false))
}

fn rayon_pool(threads: usize) -> Arc<ThreadPool> {
    Arc::new(
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("bench-worker-{i}"))
            .build()
            .expect("could not start the bench's worker threads"),
    )
}

/// One value per worker of a pool, each behind its own (uncontended) lock.
fn per_thread<T>(threads: usize, make: impl Fn() -> T) -> Arc<Vec<Mutex<T>>> {
    Arc::new((0..threads).map(|_| Mutex::new(make())).collect())
}

/// `n` alloc+free pairs of a 64-byte object through a `GlobalAlloc`.
#[inline(always)]
fn global_pairs(heap: &impl GlobalAlloc, n: u64) {
    let layout = Layout::new::<[u64; 8]>();
    for i in 0..n {
        // SAFETY: the layout is not zero-sized.
        let p = unsafe { heap.alloc(layout) }.cast::<[u64; 8]>();
        assert!(!p.is_null(), "out of memory");
        // SAFETY: `p` is a fresh block for `[u64; 8]`.
        unsafe { p.write([i; 8]) };
        // SAFETY: initialized just above.
        black_box(unsafe { &*p });
        // SAFETY: `p` came from `heap.alloc(layout)` and is not used again.
        unsafe { heap.dealloc(p.cast(), layout) };
    }
}

/// `n` pairs on a hand-written free list.
#[inline(always)]
fn hand_pairs(pool: &mut HandPool, n: u64) {
    for i in 0..n {
        let p = pool.alloc();
        // SAFETY: `p` is a block for `[u64; 8]` that nobody else holds.
        unsafe { p.write([i; 8]) };
        // SAFETY: initialized just above.
        black_box(unsafe { &*p });
        // SAFETY: `p` came from `pool.alloc()` and is not used after this.
        unsafe { pool.free(p) };
    }
}

fn pool_pair() -> Group {
    let a = smart();
    let b = smart();
    let mut hand = HandPool::new();
    Group {
        name: "pool_pair".to_owned(),
        title: "pool alloc+free pair, 64 B".to_owned(),
        ops: PAIRS,
        cases: vec![
            Case::ours(
                "ThreadHandle::pool_box",
                timed(move || {
                    let here = a.for_current_thread();
                    for i in 0..PAIRS {
                        black_box(here.pool_box([black_box(i); 8]));
                    }
                }),
            ),
            Case::ours(
                "SmartAlloc::pool_box",
                timed(move || {
                    for i in 0..PAIRS {
                        black_box(b.pool_box([black_box(i); 8]));
                    }
                }),
            ),
            Case::peer(
                Peer::Mimalloc,
                "alloc + free",
                timed(|| global_pairs(&MiMalloc, PAIRS)),
            ),
            Case::peer(
                Peer::System,
                "alloc + free",
                timed(|| global_pairs(&System, PAIRS)),
            ),
            Case::peer(
                Peer::Hand,
                "free-list stack",
                timed(move || hand_pairs(&mut hand, PAIRS)),
            ),
        ],
    }
}

fn threads_frame(threads: usize) -> Group {
    let pool = rayon_pool(threads);
    let (a, b) = (smart(), smart());
    let bumps = per_thread(threads, bumpalo::Bump::new);
    let mut blink = SyncBlinkAlloc::new();
    let hands = per_thread(threads, || HandBump::new(PER_THREAD as usize * 8 + 64));
    let layout = Layout::new::<u64>();
    let p = [(); 6].map(|_| pool.clone());
    let [p0, p1, p2, p3, p4, p5] = p;
    Group {
        name: format!("threads_frame_{threads}"),
        title: format!(
            "{threads} thread{}: frame alloc u64, {PER_THREAD} per thread per frame",
            if threads == 1 { "" } else { "s" }
        ),
        ops: PER_THREAD,
        cases: vec![
            Case::ours(
                "SmartFrame::for_current_thread",
                timed(move || {
                    let frame = a.begin_frame();
                    p0.broadcast(|_| {
                        let here = frame.for_current_thread();
                        for i in 0..PER_THREAD {
                            black_box(here.alloc(i));
                        }
                    });
                }),
            ),
            Case::ours(
                "SmartFrame::frame_alloc",
                timed(move || {
                    let frame = b.begin_frame();
                    p1.broadcast(|_| {
                        for i in 0..PER_THREAD {
                            black_box(frame.frame_alloc(i));
                        }
                    });
                }),
            ),
            Case::peer(
                Peer::Bumpalo,
                "a Bump per thread, reset on its next frame",
                timed(move || {
                    p2.broadcast(|ctx| {
                        let mut bump = bumps[ctx.index()].lock().expect("no panics");
                        bump.reset();
                        for i in 0..PER_THREAD {
                            black_box(bump.alloc(i));
                        }
                    });
                }),
            ),
            Case::peer(
                Peer::Blink,
                "SyncBlinkAlloc::local, reset after the frame",
                timed(move || {
                    p3.broadcast(|_| {
                        let local = blink.local();
                        for i in 0..PER_THREAD {
                            let p = local.allocate(layout).expect("out of memory").cast::<u64>();
                            // SAFETY: a fresh block for a `u64`.
                            unsafe { p.write(i) };
                            black_box(p);
                        }
                    });
                    blink.reset();
                }),
            ),
            heap_frames(Peer::Mimalloc, p4, || MiMalloc),
            heap_frames(Peer::System, pool, || System),
            Case::peer(
                Peer::Hand,
                "a pointer bump per thread",
                timed(move || {
                    p5.broadcast(|ctx| {
                        let mut hand = hands[ctx.index()].lock().expect("no panics");
                        hand.reset();
                        for i in 0..PER_THREAD {
                            black_box(hand.alloc(i));
                        }
                    });
                }),
            ),
        ],
    }
}

/// Frames of `PER_THREAD` `u64`s on each worker of `pool`, each block from a `heap()` and all
/// freed at the frame's end.
fn heap_frames<A>(peer: Peer, pool: Arc<ThreadPool>, heap: fn() -> A) -> Case
where
    A: GlobalAlloc + Send + 'static,
{
    let layout = Layout::new::<u64>();
    let heaps = per_thread(pool.current_num_threads(), || {
        HeapFrame::new(heap(), PER_THREAD as usize)
    });
    Case::peer(
        peer,
        "alloc, all freed at frame end",
        timed(move || {
            pool.broadcast(|ctx| {
                let mut heap = heaps[ctx.index()].lock().expect("no panics");
                for i in 0..PER_THREAD {
                    black_box(heap.alloc(black_box(i)));
                }
                // SAFETY: every block of this frame was allocated with `layout`.
                unsafe { heap.end(|_| layout) };
            });
        }),
    )
}

fn threads_pool(threads: usize) -> Group {
    let pool = rayon_pool(threads);
    let (a, b) = (smart(), smart());
    let hands = per_thread(threads, HandPool::new);
    let [p0, p1, p2, p3] = [(); 4].map(|_| pool.clone());
    Group {
        name: format!("threads_pool_{threads}"),
        title: format!(
            "{threads} thread{}: pool alloc+free pair, 64 B",
            if threads == 1 { "" } else { "s" }
        ),
        ops: PAIRS,
        cases: vec![
            Case::ours(
                "ThreadHandle::pool_box",
                timed(move || {
                    p0.broadcast(|_| {
                        let here = a.for_current_thread();
                        for i in 0..PAIRS {
                            black_box(here.pool_box([black_box(i); 8]));
                        }
                    });
                }),
            ),
            Case::ours(
                "SmartAlloc::pool_box",
                timed(move || {
                    p1.broadcast(|_| {
                        for i in 0..PAIRS {
                            black_box(b.pool_box([black_box(i); 8]));
                        }
                    });
                }),
            ),
            Case::peer(
                Peer::Mimalloc,
                "alloc + free",
                timed(move || {
                    p2.broadcast(|_| global_pairs(&MiMalloc, PAIRS));
                }),
            ),
            Case::peer(
                Peer::System,
                "alloc + free",
                timed(move || {
                    p3.broadcast(|_| global_pairs(&System, PAIRS));
                }),
            ),
            Case::peer(
                Peer::Hand,
                "a free-list stack per thread",
                timed(move || {
                    pool.broadcast(|ctx| {
                        let mut hand = hands[ctx.index()].lock().expect("no panics");
                        hand_pairs(&mut hand, PAIRS);
                    });
                }),
            ),
        ],
    }
}
