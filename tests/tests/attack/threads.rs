//! Threads and thread-local destruction: handles kept in thread-locals that outlive the
//! allocator's own thread-local registry, frames ended while other threads exit, and memory
//! handed between threads.

use std::cell::RefCell;
use std::sync::{Arc, Barrier, LazyLock};

use framealloc::{SmartAlloc, SmartFrame, ThreadHandle};

/// Uses a `ThreadHandle` from its destructor: by then framealloc's registry of this thread
/// may have been destroyed.
struct UseAtExit(RefCell<Option<ThreadHandle<'static>>>);

impl Drop for UseAtExit {
    fn drop(&mut self) {
        if let Some(here) = self.0.get_mut().take() {
            let boxed = here.pool_box([7u64; 4]);
            assert_eq!(boxed[3], 7);
            drop(boxed);
            let sum = here.frame(|f| f.alloc_slice_fill_copy(64, 2u32).iter().sum::<u32>());
            assert_eq!(sum, 128);
            here.with_tag("exit", || here.pool_box(1u8));
        }
    }
}

thread_local! {
    static LATE: UseAtExit = const { UseAtExit(RefCell::new(None)) };
}

/// Hole 1: a `ThreadHandle<'static>` in a thread-local whose destructor runs after the
/// registry's (it was registered first, and thread-locals are destroyed in reverse order).
/// The registry used to free the thread's state at exit when no frame was open, leaving the
/// handle dangling.
#[test]
fn handle_in_a_thread_local_destroyed_after_the_registry() {
    static ALLOC: LazyLock<SmartAlloc> = LazyLock::new(SmartAlloc::new);
    for _ in 0..2 {
        std::thread::spawn(|| {
            LATE.with(|_| {}); // registered before the registry: destroyed after it
            let here = ALLOC.for_current_thread();
            here.pool_box(1u32);
            LATE.with(|late| *late.0.borrow_mut() = Some(here));
        })
        .join()
        .unwrap();
    }
    // The exited threads' states were let go once their last handle was dropped.
    let frame = ALLOC.begin_frame();
    drop(frame);
    assert_eq!(ALLOC.stats().threads, 0);
}

/// Uses a handle from its destructor after waiting for another thread to end the
/// allocator's frame: the registry is gone by then, and the frame that kept the thread's
/// state alive has ended.
struct WaitThenUse(RefCell<Option<(ThreadHandle<'static>, Arc<Barrier>)>>);

impl Drop for WaitThenUse {
    fn drop(&mut self) {
        if let Some((here, barrier)) = self.0.get_mut().take() {
            barrier.wait(); // the registry's destructor has run
            barrier.wait(); // the frame has ended
            let boxed = here.pool_box([3u32; 8]);
            assert_eq!(boxed[7], 3);
            assert_eq!(here.frame(|f| *f.alloc(4u64)), 4);
        }
    }
}

thread_local! {
    static WAITING: WaitThenUse = const { WaitThenUse(RefCell::new(None)) };
}

/// The same with the allocator's frame open while the thread exits, ended by another
/// thread while the exiting thread still holds the handle: the end of the frame used to free
/// the exited thread's state under it.
#[test]
fn handle_in_a_thread_local_while_another_thread_ends_the_frame() {
    static ALLOC: LazyLock<SmartAlloc> = LazyLock::new(SmartAlloc::new);
    let barrier = Arc::new(Barrier::new(2));
    let frame = ALLOC.begin_frame();
    let worker = {
        let barrier = Arc::clone(&barrier);
        std::thread::spawn(move || {
            WAITING.with(|_| {});
            let here = ALLOC.for_current_thread();
            here.pool_box(1u8);
            WAITING.with(|w| *w.0.borrow_mut() = Some((here, barrier)));
        })
    };
    barrier.wait();
    frame.end();
    barrier.wait();
    worker.join().unwrap();
    // The last handle let the state go when it was dropped.
    assert_eq!(ALLOC.stats().threads, 0);
}

/// A `LocalFrame<'static>` kept in a thread-local and used from its destructor.
#[test]
fn local_frame_in_a_thread_local() {
    static ALLOC: LazyLock<SmartAlloc> = LazyLock::new(SmartAlloc::new);
    static FRAME: LazyLock<SmartFrame<'static>> = LazyLock::new(|| ALLOC.begin_frame());

    struct Keep(RefCell<Option<framealloc::LocalFrame<'static>>>);
    impl Drop for Keep {
        fn drop(&mut self) {
            if let Some(local) = self.0.get_mut().take() {
                let xs = local.alloc_slice_fill_copy(100, 5u16);
                assert_eq!(xs.iter().map(|&x| u32::from(x)).sum::<u32>(), 500);
            }
        }
    }
    thread_local! {
        static KEEP: Keep = const { Keep(RefCell::new(None)) };
    }
    std::thread::spawn(|| {
        KEEP.with(|_| {});
        let local = FRAME.for_current_thread();
        local.alloc(1u64);
        KEEP.with(|k| *k.0.borrow_mut() = Some(local));
    })
    .join()
    .unwrap();
}

/// Frame memory of threads that exited while the allocator's frame was open stays valid
/// until the frame ends, and is read after they are gone.
#[test]
fn memory_of_exited_threads_lives_until_the_frame_ends() {
    let alloc = SmartAlloc::new();
    for _ in 0..crate::scaled(3, 2) {
        let frame = alloc.begin_frame();
        let parts: Vec<&[u64]> = std::thread::scope(|s| {
            let workers: Vec<_> = (0..3u64)
                .map(|t| {
                    let frame = &frame;
                    s.spawn(move || &*frame.frame_slice(64, t))
                })
                .collect();
            workers.into_iter().map(|w| w.join().unwrap()).collect()
        });
        // The workers have exited (their registries destroyed); their arenas wait for the
        // frame to end.
        for (t, part) in parts.iter().enumerate() {
            assert!(part.iter().all(|&x| x == t as u64));
        }
        drop(parts);
        frame.end();
    }
    assert_eq!(alloc.stats().threads, 0);
}

/// Two allocators used in turn on one thread (the one-entry lookup cache switches between
/// them), one dropped while the thread still has a state for it.
#[test]
fn allocators_interleaved_and_dropped_on_one_thread() {
    let a = SmartAlloc::new();
    let b = SmartAlloc::new();
    for i in 0..crate::scaled(100, 10) as u32 {
        let x = a.pool_box(i);
        let y = b.pool_box(i + 1);
        assert_eq!(*x + 1, *y);
        let sum = a.frame(|f| *f.alloc(i) + b.frame(|g| *g.alloc(1u32)));
        assert_eq!(sum, i + 1);
    }
    drop(a);
    let c = SmartAlloc::new();
    assert_eq!(b.frame(|f| *f.alloc(2u8)) + c.frame(|f| *f.alloc(3u8)), 5);
    let here = c.for_current_thread();
    drop(here);
    assert_eq!(c.stats().threads, 1);
}

/// Pool boxes made on exiting threads and dropped on others, and the reverse, while the
/// makers' registries are being destroyed.
#[test]
fn pool_boxes_cross_exiting_threads() {
    let alloc = SmartAlloc::new();
    let boxes: Vec<_> = std::thread::scope(|s| {
        (0..4u32)
            .map(|t| {
                let alloc = &alloc;
                s.spawn(move || {
                    (0..16u32)
                        .map(|i| alloc.pool_box([t, i]))
                        .collect::<Vec<_>>()
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    assert_eq!(boxes.len(), 64);
    std::thread::scope(|s| {
        let alloc = &alloc;
        for chunk in boxes.chunks(16) {
            let chunk: Vec<_> = chunk.iter().map(|b| **b).collect();
            s.spawn(move || {
                let mine: Vec<_> = chunk.iter().map(|&v| alloc.pool_box(v)).collect();
                assert!(mine.iter().zip(&chunk).all(|(m, c)| **m == *c));
            });
        }
    });
    drop(boxes);
    let stats = alloc.stats();
    assert_eq!(stats.pool_blocks_in_use, 0, "{stats:?}");
}
