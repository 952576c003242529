//! Single allocations (`u64`, 64 bytes, mixed sizes and alignments) and batches, a frame of
//! them per iteration.

use std::alloc::{Layout, System};
use std::hint::black_box;

use blink_alloc::{Blink, BlinkAlloc};
use bump_scope::traits::BumpAllocatorTyped;
use framealloc::{ArenaConfig, FrameArena};
use mimalloc::MiMalloc;

use super::{builder, Builder, FRAME};
use crate::hand::{HandBump, HeapFrame};
use crate::{timed, Case, Group, Peer};

/// 64 bytes, moved by value.
#[derive(Clone, Copy)]
#[repr(C)]
pub(crate) struct Bytes64(pub [u64; 8]);

pub(crate) fn groups() -> Vec<Builder> {
    vec![
        builder("alloc_u64", || values("alloc_u64", "alloc u64", |i| i)),
        builder("alloc_64B", || {
            values("alloc_64B", "alloc 64 B", |i| Bytes64([i; 8]))
        }),
        builder("alloc_mixed", mixed),
        builder("batch_1000_u64", batch),
    ]
}

/// A frame arena with guards off, so that a build with the guard code compiled in measures
/// it switched off (the guard cases measure it on).
pub(crate) fn arena() -> FrameArena {
    FrameArena::with_config(ArenaConfig::new().guards(false))
}

/// The bump-scope arena with its default settings.
fn bump_scope() -> bump_scope::Bump {
    bump_scope::Bump::new()
}

/// A frame of `FRAME` values `make(i)`, each moved into its own allocation. `make` is a
/// closure type of its own (not a function pointer), so every case inlines it and times the
/// allocation, not an indirect call.
fn values<T: Copy + 'static, M: Fn(u64) -> T + Copy + 'static>(
    name: &str,
    title: &str,
    make: M,
) -> Group {
    let n = FRAME as u64;
    let layout = Layout::new::<T>();
    let mut arena = arena();
    let mut bump = bumpalo::Bump::new();
    let mut scope = bump_scope();
    let mut blink = Blink::new();
    let mut mi = HeapFrame::new(MiMalloc, FRAME);
    let mut sys = HeapFrame::new(System, FRAME);
    let mut hand = HandBump::new(FRAME * layout.size().max(layout.align()) + 64);
    Group {
        name: name.to_owned(),
        title: title.to_owned(),
        ops: n,
        cases: vec![
            Case::ours(
                "FrameArena",
                timed(move || {
                    arena.frame(|f| {
                        for i in 0..n {
                            black_box(f.alloc(make(i)));
                        }
                    })
                }),
            ),
            Case::peer(
                Peer::Bumpalo,
                "Bump::alloc",
                timed(move || {
                    for i in 0..n {
                        black_box(bump.alloc(make(i)));
                    }
                    bump.reset();
                }),
            ),
            Case::peer(
                Peer::BumpScope,
                "Bump::alloc",
                timed(move || {
                    for i in 0..n {
                        black_box(scope.alloc(make(i)).into_mut());
                    }
                    scope.reset();
                }),
            ),
            Case::peer(
                Peer::Blink,
                "Blink::put_no_drop",
                timed(move || {
                    for i in 0..n {
                        black_box(blink.put_no_drop(make(i)));
                    }
                    blink.reset();
                }),
            ),
            Case::peer(
                Peer::Mimalloc,
                "alloc, all freed at frame end",
                timed(move || {
                    for i in 0..n {
                        black_box(mi.alloc(make(i)));
                    }
                    // SAFETY: every block of this frame was allocated with `layout`.
                    unsafe { mi.end(|_| layout) };
                }),
            ),
            Case::peer(
                Peer::System,
                "alloc, all freed at frame end",
                timed(move || {
                    for i in 0..n {
                        black_box(sys.alloc(make(i)));
                    }
                    // SAFETY: every block of this frame was allocated with `layout`.
                    unsafe { sys.end(|_| layout) };
                }),
            ),
            Case::peer(
                Peer::Hand,
                "pointer bump",
                timed(move || {
                    for i in 0..n {
                        black_box(hand.alloc(make(i)));
                    }
                    hand.reset();
                }),
            ),
        ],
    }
}

/// 64 layouts of sizes 1 to 256 bytes and alignments 1 to 64, in a fixed pseudo-random order.
fn mixed_layouts() -> [Layout; 64] {
    const SIZES: [usize; 13] = [1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 100, 128, 256];
    const ALIGNS: [usize; 7] = [1, 2, 4, 8, 16, 32, 64];
    let mut x: u32 = 0x9E37_79B9;
    std::array::from_fn(|_| {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let size = SIZES[x as usize % SIZES.len()];
        let align = ALIGNS[(x >> 8) as usize % ALIGNS.len()];
        Layout::from_size_align(size, align).expect("a power-of-two alignment")
    })
}

/// A frame of `FRAME` raw allocations cycling through [`mixed_layouts`].
fn mixed() -> Group {
    let layouts = mixed_layouts();
    let at = move |i: usize| layouts[i % 64];
    let bytes: usize = (0..FRAME).map(|i| at(i).size() + at(i).align()).sum();
    let mut arena = arena();
    let mut bump = bumpalo::Bump::new();
    let mut scope = bump_scope();
    let mut blink = BlinkAlloc::new();
    let mut mi = HeapFrame::new(MiMalloc, FRAME);
    let mut sys = HeapFrame::new(System, FRAME);
    let mut hand = HandBump::new(bytes + 64);
    Group {
        name: "alloc_mixed".to_owned(),
        title: "alloc mixed sizes (1-256 B) and alignments (1-64)".to_owned(),
        ops: FRAME as u64,
        cases: vec![
            Case::ours(
                "FrameArena",
                timed(move || {
                    arena.frame(|f| {
                        for i in 0..FRAME {
                            black_box(f.alloc_layout(at(black_box(i))));
                        }
                    })
                }),
            ),
            Case::peer(
                Peer::Bumpalo,
                "Bump::alloc_layout",
                timed(move || {
                    for i in 0..FRAME {
                        black_box(bump.alloc_layout(at(black_box(i))));
                    }
                    bump.reset();
                }),
            ),
            Case::peer(
                Peer::BumpScope,
                "allocate_layout",
                timed(move || {
                    for i in 0..FRAME {
                        black_box(scope.allocate_layout(at(black_box(i))));
                    }
                    scope.reset();
                }),
            ),
            Case::peer(
                Peer::Blink,
                "BlinkAlloc::allocate",
                timed(move || {
                    for i in 0..FRAME {
                        black_box(blink.allocate(at(black_box(i))).expect("out of memory"));
                    }
                    blink.reset();
                }),
            ),
            Case::peer(
                Peer::Mimalloc,
                "alloc, all freed at frame end",
                timed(move || {
                    for i in 0..FRAME {
                        black_box(mi.alloc_layout(at(black_box(i))));
                    }
                    // SAFETY: block `i` was allocated with `at(i)`.
                    unsafe { mi.end(at) };
                }),
            ),
            Case::peer(
                Peer::System,
                "alloc, all freed at frame end",
                timed(move || {
                    for i in 0..FRAME {
                        black_box(sys.alloc_layout(at(black_box(i))));
                    }
                    // SAFETY: block `i` was allocated with `at(i)`.
                    unsafe { sys.end(at) };
                }),
            ),
            Case::peer(
                Peer::Hand,
                "pointer bump",
                timed(move || {
                    for i in 0..FRAME {
                        let l = at(black_box(i));
                        black_box(hand.alloc_raw(l));
                    }
                    hand.reset();
                }),
            ),
        ],
    }
}

/// Ten batches of 1000 `u64`s a frame, each allocated at once and filled with its indices.
fn batch() -> Group {
    const BATCH: usize = 1000;
    const BATCHES: usize = FRAME / BATCH;
    let layout = Layout::array::<u64>(BATCH).expect("a small array");
    let mut arena = arena();
    let mut bump = bumpalo::Bump::new();
    let mut scope = bump_scope();
    let mut blink = Blink::new();
    let mut mi = HeapFrame::new(MiMalloc, BATCHES);
    let mut sys = HeapFrame::new(System, BATCHES);
    let mut hand = HandBump::new(FRAME * 8 + 64);
    /// Fills a heap block with its indices, as the arenas' fills do.
    fn fill(p: *mut u8) -> *mut u8 {
        let p = p.cast::<u64>();
        for i in 0..BATCH {
            // SAFETY: `p` is a fresh block of `BATCH` `u64`s.
            unsafe { p.wrapping_add(i).write(i as u64) };
        }
        p.cast()
    }
    Group {
        name: "batch_1000_u64".to_owned(),
        title: "batch of 1000 u64, alloc + fill".to_owned(),
        ops: FRAME as u64,
        cases: vec![
            Case::ours(
                "alloc_batch",
                timed(move || {
                    arena.frame(|f| {
                        for _ in 0..BATCHES {
                            let slots = f.alloc_batch::<u64>(black_box(BATCH));
                            for (i, s) in slots.iter_mut().enumerate() {
                                s.write(i as u64);
                            }
                            black_box(slots);
                        }
                    })
                }),
            ),
            Case::peer(
                Peer::Bumpalo,
                "alloc_slice_fill_with",
                timed(move || {
                    for _ in 0..BATCHES {
                        black_box(bump.alloc_slice_fill_with(black_box(BATCH), |i| i as u64));
                    }
                    bump.reset();
                }),
            ),
            Case::peer(
                Peer::BumpScope,
                "alloc_slice_fill_with",
                timed(move || {
                    for _ in 0..BATCHES {
                        let mut i = 0u64;
                        let s = scope.alloc_slice_fill_with(black_box(BATCH), || {
                            i += 1;
                            i - 1
                        });
                        black_box(s.into_mut());
                    }
                    scope.reset();
                }),
            ),
            Case::peer(
                Peer::Blink,
                "emplace_no_drop().from_iter",
                timed(move || {
                    for _ in 0..BATCHES {
                        black_box(
                            blink
                                .emplace_no_drop::<u64>()
                                .from_iter(0..black_box(BATCH) as u64),
                        );
                    }
                    blink.reset();
                }),
            ),
            Case::peer(
                Peer::Mimalloc,
                "alloc + fill, freed at frame end",
                timed(move || {
                    for _ in 0..BATCHES {
                        black_box(fill(mi.alloc_layout(black_box(layout))));
                    }
                    // SAFETY: every block of this frame was allocated with `layout`.
                    unsafe { mi.end(|_| layout) };
                }),
            ),
            Case::peer(
                Peer::System,
                "alloc + fill, freed at frame end",
                timed(move || {
                    for _ in 0..BATCHES {
                        black_box(fill(sys.alloc_layout(black_box(layout))));
                    }
                    // SAFETY: every block of this frame was allocated with `layout`.
                    unsafe { sys.end(|_| layout) };
                }),
            ),
            Case::peer(
                Peer::Hand,
                "pointer bump + fill",
                timed(move || {
                    for _ in 0..BATCHES {
                        black_box(hand.alloc_slice_fill_with(black_box(BATCH), |i| i as u64));
                    }
                    hand.reset();
                }),
            ),
        ],
    }
}
