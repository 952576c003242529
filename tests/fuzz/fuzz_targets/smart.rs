//! Multi-threaded `SmartAlloc` operation sequences: each frame, two workers run their own
//! operations on the allocator's frame (values, vectors, boxes, tags, thread frames with
//! scopes, a tag budget) and pass pool boxes to each other to free; values shared across
//! threads are checked before the frame ends, and every frame is counted.
#![no_main]

use std::sync::Mutex;

use framealloc::{AllocConfig, AllocError, PoolBox, SmartAlloc, TagBudget};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    tag_limit: u16,
    frames: Vec<[Vec<Op>; 2]>,
}

#[derive(Arbitrary, Debug)]
enum Op {
    Value(u64),
    Local(u8),
    Vec(u8),
    Boxed(u8),
    Tagged(u16),
    ThreadFrame(u8, u8),
    Pool(u8),
    Free,
}

fuzz_target!(|input: Input| {
    let limit = usize::from(input.tag_limit) + 1;
    let alloc = SmartAlloc::with_config(
        AllocConfig::new()
            .guards(false)
            .tag_budget("fuzz", TagBudget::hard(limit)),
    );
    let mailbox: Mutex<Vec<(PoolBox<'_, [u8; 24]>, u8)>> = Mutex::new(Vec::new());
    for (n, work) in input.frames.iter().take(8).enumerate() {
        let frame = alloc.begin_frame();
        let shared: Vec<Vec<(&u64, u64)>> = std::thread::scope(|s| {
            let workers: Vec<_> = work
                .iter()
                .map(|ops| {
                    let (alloc, frame, mailbox) = (&alloc, &frame, &mailbox);
                    s.spawn(move || {
                        let mut shared = Vec::new();
                        for op in ops.iter().take(64) {
                            match *op {
                                Op::Value(x) => shared.push((&*frame.frame_alloc(x), x)),
                                Op::Local(len) => {
                                    let here = frame.for_current_thread();
                                    let xs = here
                                        .alloc_slice_fill_copy(usize::from(len), u64::from(len));
                                    shared.extend(xs.iter().map(|x| (x, u64::from(len))));
                                }
                                Op::Vec(len) => {
                                    let mut v = frame.frame_vec();
                                    v.extend(0..u32::from(len));
                                    assert!(v.iter().copied().eq(0..u32::from(len)));
                                }
                                Op::Boxed(len) => {
                                    let b = frame.frame_box(vec![len; usize::from(len)]);
                                    assert!(b.iter().all(|x| *x == len));
                                }
                                Op::Tagged(bytes) => alloc.with_tag("fuzz", || {
                                    match frame.try_frame_slice(usize::from(bytes), 7u8) {
                                        Ok(s) => assert!(s.iter().all(|b| *b == 7)),
                                        Err(AllocError::BudgetExceeded { .. }) => {}
                                        Err(e) => panic!("a tagged allocation failed: {e}"),
                                    }
                                }),
                                Op::ThreadFrame(a, b) => {
                                    let sum = alloc.frame(|mut f| {
                                        let x = f.alloc(u32::from(a));
                                        let inner = f.scope(|g| {
                                            let ys = g.alloc_slice_fill_copy(usize::from(b), 1u32);
                                            ys.iter().sum::<u32>()
                                        });
                                        *x + inner
                                    });
                                    assert_eq!(sum, u32::from(a) + u32::from(b));
                                }
                                Op::Pool(x) => {
                                    let b = alloc.pool_box([x; 24]);
                                    mailbox.lock().unwrap().push((b, x));
                                }
                                Op::Free => {
                                    let taken = mailbox.lock().unwrap().pop();
                                    if let Some((b, x)) = taken {
                                        assert_eq!(*b, [x; 24], "a pool block changed");
                                    }
                                }
                            }
                        }
                        shared
                    })
                })
                .collect();
            workers.into_iter().map(|w| w.join().unwrap()).collect()
        });
        for (got, want) in shared.iter().flatten() {
            assert_eq!(**got, *want, "a frame value read on another thread");
        }
        drop(shared);
        let stats = frame.end();
        assert_eq!(stats.frame, n as u64);
    }
    mailbox.lock().unwrap().clear();
    assert_eq!(alloc.stats().frames, input.frames.len().min(8) as u64);
});
