//! Sequences of frame-arena operations (raw blocks of any size and alignment, values, slices,
//! boxes that run `Drop`, growing vectors, handles, nested scopes, frames) on arenas of any
//! chunk sizes, budget and guard setting, checked against a model: every block is aligned,
//! disjoint from every live block and keeps its contents until its scope or frame ends;
//! handles read while their scope is open and never after; only a budget refuses memory.
#![no_main]

use core::alloc::Layout;

use framealloc::{AllocError, ArenaConfig, Frame, FrameArena, FrameBox, FrameHandle};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    first_chunk: u16,
    max_chunk: u16,
    budget: Option<u16>,
    guards: bool,
    frames: Vec<Vec<Op>>,
}

#[derive(Arbitrary, Debug)]
enum Op {
    Raw {
        size: u16,
        align_log: u8,
        fill: u8,
    },
    Value(u64),
    Slice {
        len: u8,
        value: u32,
    },
    Boxed {
        len: u8,
        fill: u8,
    },
    Vec {
        len: u16,
    },
    Handle(u32),
    Scope(Vec<Op>),
    Check,
    /// `alloc_iter` of a filter (no exact size: grown as the newest block, then shrunk).
    Filtered {
        len: u8,
        keep_mod: u8,
    },
    /// `alloc_slice_try_fill_with` failing at `fail_at` (or succeeding past the end).
    TryFill {
        len: u8,
        fail_at: u8,
    },
}

/// A live block and what it must hold.
struct Live {
    start: usize,
    bytes: Vec<u8>,
    depth: usize,
}

const MAX_DEPTH: usize = 8;

fn check_all(live: &[Live]) {
    for l in live {
        // SAFETY: every live block is frame memory of an open scope or frame, valid for its
        // length (the model drops blocks when their scope ends).
        let now = unsafe { core::slice::from_raw_parts(l.start as *const u8, l.bytes.len()) };
        assert_eq!(now, &l.bytes[..], "a live block changed");
    }
}

fn admit(live: &mut Vec<Live>, start: usize, bytes: Vec<u8>, align: usize, depth: usize) {
    assert_eq!(start % align, 0, "a block is misaligned");
    let end = start + bytes.len();
    if !bytes.is_empty() {
        for l in live.iter().filter(|l| !l.bytes.is_empty()) {
            let (s, e) = (l.start, l.start + l.bytes.len());
            assert!(end <= s || e <= start, "two live blocks overlap");
        }
    }
    live.push(Live {
        start,
        bytes,
        depth,
    });
}

fn refused(e: AllocError, budgeted: bool) {
    match e {
        AllocError::BudgetExceeded { .. } if budgeted => {}
        AllocError::LayoutOverflow => {}
        other => panic!("an allocation failed without a budget: {other}"),
    }
}

fn run(
    f: &mut Frame<'_, '_>,
    ops: &[Op],
    depth: usize,
    live: &mut Vec<Live>,
    budgeted: bool,
) -> Vec<FrameHandle<u32>> {
    let mut boxes: Vec<(FrameBox<'_, Vec<u8>>, u8)> = Vec::new();
    let mut handles: Vec<(FrameHandle<u32>, u32)> = Vec::new();
    let mut expired: Vec<FrameHandle<u32>> = Vec::new();
    for op in ops {
        match op {
            Op::Raw {
                size,
                align_log,
                fill,
            } => {
                let align = 1usize << (align_log % 13);
                let layout = Layout::from_size_align(*size as usize, align).unwrap();
                match f.try_alloc_layout(layout) {
                    Ok(p) => {
                        // SAFETY: a fresh block of `size` bytes.
                        unsafe { p.as_ptr().write_bytes(*fill, *size as usize) };
                        admit(
                            live,
                            p.as_ptr() as usize,
                            vec![*fill; *size as usize],
                            align,
                            depth,
                        );
                    }
                    Err(e) => refused(e, budgeted),
                }
            }
            Op::Value(v) => match f.try_alloc(*v) {
                Ok(r) => {
                    let p = r as *mut u64 as usize;
                    admit(live, p, v.to_ne_bytes().to_vec(), 8, depth);
                }
                Err(e) => refused(e, budgeted),
            },
            Op::Slice { len, value } => match f.try_alloc_slice_fill_copy(*len as usize, *value) {
                Ok(s) => {
                    let bytes = s.iter().flat_map(|x| x.to_ne_bytes()).collect();
                    admit(live, s.as_ptr() as usize, bytes, 4, depth);
                }
                Err(e) => refused(e, budgeted),
            },
            Op::Boxed { len, fill } => match f.try_boxed(vec![*fill; *len as usize]) {
                Ok(b) => boxes.push((b, *fill)),
                Err(e) => refused(e, budgeted),
            },
            Op::Vec { len } => {
                let mut v = f.vec::<u16>();
                let mut model = Vec::new();
                for i in 0..*len {
                    match v.try_push(i) {
                        Ok(()) => model.push(i),
                        Err((_, e)) => {
                            refused(e, budgeted);
                            break;
                        }
                    }
                }
                assert_eq!(&v[..], &model[..], "a vector's contents");
                let s = v.into_slice();
                let bytes = s.iter().flat_map(|x| x.to_ne_bytes()).collect();
                admit(live, s.as_ptr() as usize, bytes, 2, depth);
            }
            Op::Handle(x) => match f.try_handle(*x) {
                Ok(h) => handles.push((h, *x)),
                Err(e) => refused(e, budgeted),
            },
            Op::Scope(inner) => {
                if depth < MAX_DEPTH {
                    let gone = f.scope(|mut g| run(&mut g, inner, depth + 1, live, budgeted));
                    live.retain(|l| l.depth <= depth);
                    expired.extend(gone);
                }
            }
            Op::Check => {
                assert_eq!(f.check_guards(), 0, "a guard found damage nobody did");
            }
            Op::Filtered { len, keep_mod } => {
                let m = u32::from(*keep_mod).max(1);
                let want: Vec<u32> = (0..u32::from(*len)).filter(|i| i % m == 0).collect();
                match f.try_alloc_iter((0..u32::from(*len)).filter(|i| i % m == 0)) {
                    Ok(s) => {
                        assert_eq!(s, &want[..], "alloc_iter of a filter");
                        let bytes = s.iter().flat_map(|x| x.to_ne_bytes()).collect();
                        admit(live, s.as_ptr() as usize, bytes, 4, depth);
                    }
                    Err(e) => refused(e, budgeted),
                }
            }
            // It panics when the block itself cannot be had; a budget could refuse it.
            Op::TryFill { .. } if budgeted => {}
            Op::TryFill { len, fail_at } => {
                let r = f.alloc_slice_try_fill_with(usize::from(*len), |i| {
                    if i == usize::from(*fail_at) {
                        Err(i)
                    } else {
                        Ok(i as u16)
                    }
                });
                match r {
                    Ok(s) => {
                        assert!(*fail_at >= *len);
                        let bytes = s.iter().flat_map(|x| x.to_ne_bytes()).collect();
                        admit(live, s.as_ptr() as usize, bytes, 2, depth);
                    }
                    Err(i) => assert_eq!(i, usize::from(*fail_at)),
                }
            }
        }
        check_all(live);
        for (b, fill) in &boxes {
            assert!(b.iter().all(|x| x == fill), "a box's contents changed");
        }
        for (h, x) in &handles {
            assert_eq!(h.try_get(f), Some(x), "a handle of an open scope");
        }
        for h in &expired {
            assert!(
                h.try_get(f).is_none(),
                "a handle of a closed scope still reads"
            );
        }
    }
    handles.into_iter().map(|(h, _)| h).collect()
}

fuzz_target!(|input: Input| {
    let mut config = ArenaConfig::new()
        .first_chunk_size(input.first_chunk as usize)
        .max_chunk_size(input.max_chunk as usize)
        .guards(input.guards);
    if let Some(b) = input.budget {
        config = config.budget(Some(b as usize));
    }
    let mut arena = FrameArena::with_config(config);
    let budgeted = input.budget.is_some();
    let mut stale = Vec::new();
    for ops in input.frames.iter().take(16) {
        let mut live = Vec::new();
        let made = arena.frame(|mut f| {
            for h in &stale {
                let h: &FrameHandle<u32> = h;
                assert!(
                    h.try_get(&f).is_none(),
                    "a handle of an ended frame still reads"
                );
            }
            run(&mut f, ops, 0, &mut live, budgeted)
        });
        stale = made;
        assert_eq!(
            arena.stats().bytes_used,
            0,
            "a frame's end releases everything"
        );
    }
});
