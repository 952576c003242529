//! `SmartAlloc`: instances kept apart, frames across threads, pools, tags, budgets, exact
//! statistics, chunk sources, and an 8-thread stress test.

use std::alloc::Layout;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};

use framealloc::{
    AllocConfig, AllocError, ChunkSource, NumaSource, SmartAlloc, SystemSource, TagBudget,
};

/// Exact byte counts need the arenas' debug guards off (canaries take room).
fn exact() -> AllocConfig {
    AllocConfig::new().guards(false)
}

const MIRI: bool = cfg!(miri);

/// The types shared between threads stay shareable (a configuration holding a per-arena
/// item that is not `Sync` would silently take it away).
#[test]
fn the_facade_is_shared_between_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<SmartAlloc>();
    send_sync::<framealloc::SmartFrame<'static>>();
    send_sync::<AllocConfig>();
    send_sync::<framealloc::FrameStats>();
    send_sync::<framealloc::AllocStats>();
}

#[test]
fn two_instances_on_one_thread_never_touch_each_other() {
    let (a, b) = (SmartAlloc::new(), SmartAlloc::new());
    for round in 0..if MIRI { 3 } else { 20 } {
        let fa = a.begin_frame();
        let xs = fa.frame_slice(100, round as u32);
        // b's frames come and go, on this thread, while a's memory is in use.
        for _ in 0..3 {
            let fb = b.begin_frame();
            let ys = fb.frame_slice(100, u32::MAX);
            assert!(ys.iter().all(|&y| y == u32::MAX));
            b.frame(|f| {
                f.alloc_slice_fill_copy(1000, 7u8);
            });
        }
        assert!(xs.iter().all(|&x| x == round as u32), "b reset a's memory");
        drop(fa);
    }
    assert_eq!(a.frame_number(), if MIRI { 3 } else { 20 });
    assert_eq!(b.frame_number(), if MIRI { 9 } else { 60 });
}

#[test]
fn two_instances_across_threads_never_touch_each_other() {
    let (a, b) = (SmartAlloc::new(), SmartAlloc::new());
    let threads = if MIRI { 2 } else { 4 };
    for round in 0..if MIRI { 2 } else { 10 } {
        let fa = a.begin_frame();
        let kept: Vec<&[u64]> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..threads)
                .map(|t| {
                    let (fa, b) = (&fa, &b);
                    s.spawn(move || {
                        let mine = &*fa.frame_slice(64, (round * 100 + t) as u64);
                        for _ in 0..3 {
                            let fb = b.begin_frame_or_wait();
                            fb.frame_slice(64, 0xdead_u64);
                        }
                        mine
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for (t, xs) in kept.iter().enumerate() {
            assert!(xs.iter().all(|&x| x == (round * 100 + t) as u64));
        }
        drop(kept);
        fa.end();
    }
}

/// `begin_frame` that waits while another thread has the allocator's frame open.
trait BeginOrWait {
    fn begin_frame_or_wait(&self) -> framealloc::SmartFrame<'_>;
}

impl BeginOrWait for SmartAlloc {
    fn begin_frame_or_wait(&self) -> framealloc::SmartFrame<'_> {
        loop {
            if let Some(f) = self.try_begin_frame() {
                return f;
            }
            std::thread::yield_now();
        }
    }
}

#[test]
fn frame_memory_of_an_exited_thread_lives_until_the_frame_ends() {
    let alloc = SmartAlloc::new();
    let frame = alloc.begin_frame();
    let x: &u64 = std::thread::scope(|s| s.spawn(|| &*frame.frame_alloc(42u64)).join().unwrap());
    // The thread is gone; its arena is not.
    let filler = std::thread::scope(|s| {
        s.spawn(|| frame.frame_slice(1000, 1u64).len())
            .join()
            .unwrap()
    });
    assert_eq!((*x, filler), (42, 1000));
    let stats = frame.end();
    assert_eq!(stats.threads.len(), 2);
    assert_eq!(alloc.stats().threads, 0);
}

#[test]
fn second_begin_frame_is_refused() {
    let alloc = SmartAlloc::new();
    let f = alloc.begin_frame();
    assert!(alloc.try_begin_frame().is_none());
    let err = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = alloc.begin_frame();
    }))
    .unwrap_err();
    let msg = err.downcast_ref::<String>().unwrap();
    assert!(
        msg.contains("frame 0 of this allocator is already open"),
        "{msg}"
    );
    drop(f);
    assert!(alloc.try_begin_frame().is_some());
}

#[test]
fn thread_frames_are_scopes_of_the_thread() {
    let alloc = SmartAlloc::new();
    let frame = alloc.begin_frame();
    let kept = frame.frame_alloc(5u32);
    let n = alloc.frame(|mut f| {
        let xs = f.alloc_slice_fill_copy(100, 1u32);
        let inner = f.scope(|g| g.alloc_slice_fill_copy(10, 2u32).iter().sum::<u32>());
        xs.iter().sum::<u32>() + inner
    });
    assert_eq!((n, *kept), (120, 5));
    // Misuse is a clear panic, not a corruption.
    let nested = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        alloc.frame(|_| alloc.frame(|_| ()))
    }));
    let msg = nested.unwrap_err().downcast::<&str>().unwrap();
    assert!(msg.contains("instead of nesting frames"), "{msg}");
    let direct = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        alloc.frame(|_| {
            frame.frame_alloc(1u8);
        })
    }));
    let msg = direct.unwrap_err().downcast::<&str>().unwrap();
    assert!(msg.contains("inside SmartAlloc::frame"), "{msg}");
    let here = frame.for_current_thread();
    let with_local = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| alloc.frame(|_| ())));
    let msg = with_local.unwrap_err().downcast::<&str>().unwrap();
    assert!(msg.contains("holds a LocalFrame"), "{msg}");
    assert_eq!(*here.alloc(3u8), 3);
    drop(here);
    // Still usable after every refusal.
    assert_eq!(alloc.frame(|f| *f.alloc(9u8)), 9);
    assert_eq!(*kept, 5);
}

#[test]
fn frame_vectors_of_the_allocators_frame() {
    let alloc = SmartAlloc::with_config(exact());
    for round in 0..3u32 {
        let frame = alloc.begin_frame();
        let mut xs = frame.frame_vec();
        xs.extend(0..1000u32);
        let mut names = frame.frame_vec_with_capacity(4);
        for i in 0..10 {
            names.push(format!("item {i}")); // grows past its capacity, drops the strings
        }
        let kept = frame.frame_alloc(round);
        assert_eq!(xs.iter().sum::<u32>(), 499_500);
        assert_eq!((names.len(), names[9].as_str()), (10, "item 9"));
        // A thread frame works beside the vectors (they are not local frames).
        let doubled = alloc.frame(|f| {
            let ys = f.alloc_slice_fill_with(xs.len(), |i| xs[i] * 2);
            ys.iter().sum::<u32>()
        });
        assert_eq!(doubled, 999_000);
        // The vectors grow again once the thread frame has returned.
        xs.push(1000);
        assert_eq!((xs.len(), xs[1000], *kept), (1001, 1000, round));
        // Zero-sized elements take no memory; a huge capacity is an error, not a panic.
        let mut units = frame.frame_vec_with_capacity::<()>(usize::MAX);
        units.push(());
        assert!(frame
            .try_frame_vec_with_capacity::<u64>(usize::MAX)
            .is_err());
        // Each worker's vector lives in that worker's arena and stays on that thread.
        let sums: Vec<u64> = std::thread::scope(|s| {
            let frame = &frame;
            let workers: Vec<_> = (0..2u64)
                .map(|t| {
                    s.spawn(move || {
                        let mut v = frame.frame_vec();
                        v.extend((0..100u64).map(|i| i * t));
                        v.iter().sum::<u64>()
                    })
                })
                .collect();
            workers.into_iter().map(|w| w.join().unwrap()).collect()
        });
        assert_eq!(sums, [0, 4950]);
        drop((xs, names, units));
        let stats = frame.end();
        assert!(stats.bytes >= 4000, "{stats:?}");
    }
}

#[test]
fn frame_vectors_cannot_grow_inside_a_thread_frame() {
    let alloc = SmartAlloc::with_config(exact());
    let frame = alloc.begin_frame();
    let before = frame.frame_alloc(7u64);
    let mut xs = frame.frame_vec_with_capacity::<u64>(4);
    xs.extend([1, 2, 3]);
    let grew = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        alloc.frame(|f| {
            let _scratch = f.alloc_slice_fill_copy(64, 0u8);
            xs.push(4); // within capacity: fine
            xs.push(5); // would grow into memory released when the closure returns
        })
    }));
    let msg = grew.unwrap_err().downcast::<&str>().unwrap();
    assert!(
        msg.contains("cannot grow inside SmartAlloc::frame"),
        "{msg}"
    );
    assert_eq!(&xs[..], &[1, 2, 3, 4]);
    // `try_reserve` refuses the same way: a misuse, not an allocation failure.
    let reserved = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        alloc.frame(|_| xs.try_reserve(100))
    }));
    assert!(reserved.is_err());
    // Outside the thread frame it grows, and nothing it holds was overwritten.
    let after = alloc.frame(|f| *f.alloc(9u64));
    xs.extend(5..=100);
    let other = frame.frame_alloc_batch::<u64>(200);
    other.iter_mut().for_each(|slot| {
        slot.write(u64::MAX);
    });
    assert!(xs.iter().copied().eq(1..=100));
    assert_eq!((*before, after), (7, 9));
}

#[test]
fn handles_from_a_thread_frame_go_stale() {
    let alloc = SmartAlloc::new();
    let h = alloc.frame(|f| f.handle(1u32));
    alloc.frame(|f| {
        f.alloc(2u32);
        assert!(h.try_get(&f).is_none());
    });
}

/// Counts drops, to check every pooled value is dropped exactly once.
struct Counted(Arc<AtomicUsize>, [u8; 40]);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

#[test]
fn pools_run_drop_and_take_blocks_back_from_any_thread() {
    let alloc = SmartAlloc::new();
    let drops = Arc::new(AtomicUsize::new(0));
    let n = if MIRI { 40 } else { 1000 };
    let boxes: Vec<_> = (0..n)
        .map(|i| alloc.pool_box(Counted(drops.clone(), [i as u8; 40])))
        .collect();
    for (i, b) in boxes.iter().enumerate() {
        assert_eq!(b.1, [i as u8; 40]);
        assert_eq!(&**b as *const Counted as usize % 8, 0);
    }
    // Freed on another thread.
    std::thread::scope(|s| {
        s.spawn(move || drop(boxes));
    });
    assert_eq!(drops.load(Ordering::Relaxed), n);
    let s = alloc.stats();
    assert_eq!(s.pool_blocks_in_use, 0);
    // Every block is cached somewhere or retained; nothing leaked.
    assert!(s.pool_blocks_held >= 1);
    // Sizes: every class, the heap above 4 KiB, zero-sized values, over-aligned values.
    #[repr(align(256))]
    struct Aligned([u8; 3]);
    let a = alloc.pool_box(Aligned([1, 2, 3]));
    assert_eq!((&*a as *const Aligned as usize % 256, a.0), (0, [1, 2, 3]));
    let big = alloc.pool_box([7u8; 10_000]);
    assert!(big.iter().all(|&b| b == 7));
    let zst = alloc.pool_box(());
    assert_eq!(framealloc::PoolBox::into_inner(zst), ());
    let s = framealloc::PoolBox::into_inner(alloc.pool_box(String::from("out")));
    assert_eq!(s, "out");
    for shift in 0..14 {
        let layout = Layout::from_size_align(1 << shift, 8).unwrap();
        let block = alloc.pool_alloc(layout);
        // SAFETY: the block is valid for `layout.size()` bytes.
        unsafe { block.as_ptr().as_ptr().write_bytes(0xab, layout.size()) };
    }
    drop((a, big));
    let s = alloc.stats();
    assert_eq!(s.pool_blocks_in_use, 0);
}

/// A chunk source that counts the chunks it has out.
#[derive(Clone, Default)]
struct Counting(Arc<AtomicUsize>);

// SAFETY: delegates to `SystemSource`, which upholds the contract.
unsafe impl ChunkSource for Counting {
    fn allocate(&self, layout: Layout) -> Option<NonNull<u8>> {
        self.0.fetch_add(1, Ordering::Relaxed);
        SystemSource.allocate(layout)
    }

    unsafe fn deallocate(&self, ptr: NonNull<u8>, layout: Layout) {
        self.0.fetch_sub(1, Ordering::Relaxed);
        // SAFETY: the caller's guarantee, passed on.
        unsafe { SystemSource.deallocate(ptr, layout) }
    }
}

#[test]
fn arenas_go_when_their_thread_or_their_allocator_goes() {
    let out = Counting::default();
    let alloc = SmartAlloc::with_config(AllocConfig::new().with_chunk_source(out.clone()));
    // A thread that exits between frames: its arena goes with it. (An explicit `join` waits
    // for the thread's thread-local destructors; the end of a scope does not.)
    std::thread::scope(|s| {
        s.spawn(|| alloc.frame(|f| f.alloc_slice_fill_copy(100, 0u8).len()))
            .join()
            .unwrap();
    });
    assert_eq!(out.0.load(Ordering::Relaxed), 0);
    // A thread that exits inside a frame: its arena goes when the frame ends.
    let frame = alloc.begin_frame();
    std::thread::scope(|s| {
        s.spawn(|| frame.frame_slice(100, 0u8).len())
            .join()
            .unwrap();
    });
    assert_eq!(out.0.load(Ordering::Relaxed), 1);
    drop(frame);
    assert_eq!(out.0.load(Ordering::Relaxed), 0);
    // A thread that outlives the allocator: the arena goes with the allocator.
    let (tx, rx) = mpsc::channel::<()>();
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let alloc2 = alloc.clone();
    let t = std::thread::spawn(move || {
        alloc2.frame(|f| {
            f.alloc(1u8);
        });
        drop(alloc2);
        done_tx.send(()).unwrap();
        rx.recv().unwrap();
    });
    done_rx.recv().unwrap();
    assert_eq!(out.0.load(Ordering::Relaxed), 1);
    drop(alloc);
    assert_eq!(out.0.load(Ordering::Relaxed), 0);
    tx.send(()).unwrap();
    t.join().unwrap();
}

/// Budgets count bytes: the budget tests allocate them 1,000 at a time, as one array each,
/// which Miri copies in one step rather than byte by byte.
const K: [u8; 1000] = [0; 1000];

#[test]
fn global_and_tag_hard_limits() {
    let alloc = SmartAlloc::with_config(
        exact()
            .frame_budget(Some(64 << 10))
            .tag_budget("ai", TagBudget::hard(10_000)),
    );
    let frame = alloc.begin_frame();
    alloc.with_tag("ai", || {
        frame.frame_slice(9, K);
        let err = frame.try_frame_slice(2, K).unwrap_err();
        assert_eq!(
            err,
            AllocError::BudgetExceeded {
                tag: Some("ai"),
                limit: 10_000,
                requested: 2_000,
                used: 9_000,
                set_by: framealloc::BudgetSource::Tag,
            }
        );
        // What is left still fits.
        frame.frame_slice(1, K);
    });
    // Outside the tag only the global limit applies.
    frame.frame_slice(50, K);
    let err = frame.try_frame_slice(10, K).unwrap_err();
    assert!(
        matches!(
            err,
            AllocError::BudgetExceeded {
                tag: None,
                limit: 65_536,
                requested: 10_000,
                ..
            }
        ),
        "{err:?}"
    );
    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        frame.frame_slice(10, K);
    }));
    let msg = panic.unwrap_err().downcast::<String>().unwrap();
    assert!(msg.contains("budget exceeded"), "{msg}");
    drop(frame);
    // The next frame starts with the whole budget.
    let frame = alloc.begin_frame();
    alloc.with_tag("ai", || frame.frame_slice(10, K).len());
    frame.frame_slice(50, K);
}

#[test]
fn budgets_hold_across_threads() {
    let threads = if MIRI { 2 } else { 4 };
    let alloc = SmartAlloc::with_config(exact().tag_budget("physics", TagBudget::hard(256 << 10)));
    let frame = alloc.begin_frame();
    let got: usize = std::thread::scope(|s| {
        let hs: Vec<_> = (0..threads)
            .map(|_| {
                let (alloc, frame) = (&alloc, &frame);
                s.spawn(move || {
                    alloc.with_tag("physics", || {
                        let mut n = 0;
                        while frame.try_frame_slice(1, K).is_ok() {
                            n += 1000;
                        }
                        n
                    })
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).sum()
    });
    // Exact up to the leases the other threads hold unused (at most 4 KiB each).
    assert!(got <= 256 << 10, "{got}");
    assert!(got + threads * 5000 >= 256 << 10, "{got}");
    let stats = frame.end();
    assert_eq!(stats.tags[0].bytes, got);
}

#[test]
fn soft_limit_calls_back_once_per_frame_per_tag() {
    let calls = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = calls.clone();
    let alloc = SmartAlloc::with_config(
        exact()
            .tag_budget("fx", TagBudget::soft(10_000))
            .tag_budget("fx/sparks", TagBudget::soft(1_000))
            .on_soft_limit(move |e| seen.lock().unwrap().push((e.tag, e.limit, e.frame))),
    );
    for _ in 0..3 {
        let frame = alloc.begin_frame();
        alloc.with_tag("fx", || {
            for _ in 0..30 {
                frame.frame_slice(1, K);
            }
            alloc.with_tag("sparks", || {
                for _ in 0..5 {
                    frame.frame_slice(1, K);
                }
            });
        });
    }
    let calls = calls.lock().unwrap();
    assert_eq!(
        *calls,
        vec![
            ("fx", 10_000, 0),
            ("fx/sparks", 1_000, 0),
            ("fx", 10_000, 1),
            ("fx/sparks", 1_000, 1),
            ("fx", 10_000, 2),
            ("fx/sparks", 1_000, 2)
        ]
    );
}

#[test]
fn stats_are_exact_for_a_counted_workload() {
    let alloc = SmartAlloc::with_config(exact().history_len(2));
    for round in 0..3u64 {
        let frame = alloc.begin_frame();
        for _ in 0..10 {
            frame.frame_alloc(round);
        }
        alloc.with_tag("net", || {
            frame.frame_slice(100, 0u32);
            let _b = alloc.pool_box([0u8; 24]);
            alloc.with_tag("decode", || {
                frame.frame_slice(50, 0u8);
                alloc.frame(|f| {
                    f.alloc_slice_fill_copy(1000, 0u8);
                });
            });
        });
        let _heap = alloc.heap_box(1u8);
        let stats = frame.end();
        assert_eq!(stats.frame, round);
        // The `frame` body's allocation is counted only with the feature; without it, the
        // frame's count and its innermost tag's say "not counted" rather than fall short.
        let counted = cfg!(feature = "count-allocations");
        assert_eq!(stats.allocations, counted.then_some(13));
        assert_eq!(stats.bytes, 80 + 400 + 50 + 1000);
        assert_eq!(stats.peak_bytes, 80 + 400 + 50 + 1000);
        assert_eq!(
            (
                stats.pool_allocations,
                stats.pool_frees,
                stats.heap_allocations
            ),
            (1, 1, 1)
        );
        assert_eq!(stats.threads.len(), 1);
        let tags: Vec<_> = stats
            .tags
            .iter()
            .map(|t| (t.tag, t.allocations, t.bytes))
            .collect();
        assert_eq!(
            tags,
            vec![
                ("net", Some(2), 400 + 24),
                ("net/decode", counted.then_some(2), 1050)
            ]
        );
        let table = stats.to_string();
        let head = if counted {
            format!("frame {round}: 13 allocations")
        } else {
            format!("frame {round}: allocations not counted")
        };
        assert!(table.contains(&head), "{table}");
        assert!(table.contains("net/decode"), "{table}");
    }
    assert_eq!(
        alloc.history().iter().map(|s| s.frame).collect::<Vec<_>>(),
        vec![1, 2]
    );
    assert_eq!(alloc.frame_stats().unwrap().frame, 2);
    let total = alloc.stats();
    assert_eq!(
        (total.frames, total.allocations, total.bytes),
        (
            3,
            cfg!(feature = "count-allocations").then_some(39),
            3 * 1530
        )
    );
    assert_eq!(
        total.tags.iter().map(|t| t.high_water).collect::<Vec<_>>(),
        vec![424, 1050]
    );
    assert!(total.to_string().contains("3 frames"));
}

/// A tag left open across frame ends (whose arena resets under it) still gets every byte.
#[test]
fn a_tag_spanning_frames_keeps_its_bytes() {
    let alloc = SmartAlloc::with_config(exact());
    alloc.with_tag("level", || {
        for _ in 0..3 {
            let frame = alloc.begin_frame();
            frame.frame_slice(100, 0u64);
            frame.end();
        }
        // The arena resets on its next use, inside the tag.
        let frame = alloc.begin_frame();
        frame.frame_slice(10, 0u64);
        drop(frame);
    });
    let tags = alloc.stats().tags;
    assert_eq!(
        (tags[0].tag, tags[0].allocations, tags[0].bytes),
        ("level", Some(4), 3 * 800 + 80)
    );
}

#[test]
fn numa_source_says_whether_it_is_bound() {
    let source = NumaSource::new(0);
    let alloc = SmartAlloc::with_config(AllocConfig::new().with_chunk_source(source.clone()));
    assert_eq!(
        alloc.frame(|f| f.alloc_slice_fill_copy(12_500, 3u64).iter().sum::<u64>()),
        37_500
    );
    let described = alloc.stats().chunk_source;
    match source.fallback_reason() {
        Some(why) => assert!(described.contains(why), "{described}"),
        None => assert!(described.contains("bound with mbind"), "{described}"),
    }
    let absent = NumaSource::new(4000);
    assert!(!absent.is_bound());
}

/// Eight threads, bounded in frames: frame memory, pools with frees on other threads, tags
/// and budgets, every value read back intact and every pool block returned.
#[test]
fn eight_thread_stress() {
    const THREADS: usize = 8;
    let frames = if MIRI { 2 } else { 40 };
    let per_frame = if MIRI { 4 } else { 200 };
    let alloc = SmartAlloc::with_config(
        AllocConfig::new()
            .tag_budget("sim", TagBudget::soft(64 << 10).and_hard(64 << 20))
            .pool_retain_bytes(64 << 10),
    );
    for frame_no in 0..frames {
        let frame = alloc.begin_frame();
        let (txs, rxs): (Vec<_>, Vec<_>) = (0..THREADS).map(|_| mpsc::channel()).unzip();
        let sums: Vec<u64> = std::thread::scope(|s| {
            let hs: Vec<_> = rxs
                .into_iter()
                .enumerate()
                .map(|(t, rx)| {
                    let (alloc, frame) = (&alloc, &frame);
                    let next = txs[(t + 1) % THREADS].clone();
                    s.spawn(move || {
                        let here = frame.for_current_thread();
                        let mut sum = 0u64;
                        alloc.with_tag("sim", || {
                            for i in 0..per_frame {
                                let v = (frame_no * 1_000_000 + t * 10_000 + i) as u64;
                                let xs = frame.frame_slice(1 + i % 17, v);
                                let y = here.alloc([v; 3]);
                                let b = alloc.pool_box([v; 5]);
                                assert!(xs.iter().all(|&x| x == v) && *y == [v; 3] && *b == [v; 5]);
                                sum += v;
                                next.send(b).unwrap();
                            }
                        });
                        drop(next);
                        // Free the neighbour's boxes here, checking them first.
                        for b in rx.iter().take(per_frame) {
                            assert!(b.iter().all(|&x| x == b[0]));
                        }
                        sum
                    })
                })
                .collect();
            drop(txs);
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let expect: Vec<u64> = (0..THREADS)
            .map(|t| {
                (0..per_frame)
                    .map(|i| (frame_no * 1_000_000 + t * 10_000 + i) as u64)
                    .sum()
            })
            .collect();
        assert_eq!(sums, expect);
        let stats = frame.end();
        assert_eq!(stats.pool_allocations, (THREADS * per_frame) as u64);
        assert_eq!(stats.pool_frees, (THREADS * per_frame) as u64);
    }
    let s = alloc.stats();
    assert_eq!(s.pool_blocks_in_use, 0, "a pool block was not returned");
    assert_eq!(s.frames, frames as u64);
}
