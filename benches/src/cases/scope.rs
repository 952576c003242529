//! Nested scopes (enter, allocate, rewind) and the reset of a frame holding 10,000
//! allocations.

use std::alloc::{Layout, System};
use std::hint::black_box;
use std::time::{Duration, Instant};

use blink_alloc::Blink;
use framealloc::FrameArena;
use mimalloc::MiMalloc;

use super::alloc::{arena, Bytes64};
use super::{builder, Builder, FRAME};
use crate::hand::{HandBump, HeapFrame};
use crate::{timed, Case, Group, Peer, Timed};

pub(crate) fn groups() -> Vec<Builder> {
    vec![
        builder("scope", scope),
        builder("reset_10000", reset::group),
    ]
}

/// Scopes per frame, and `u64`s allocated in each.
const SCOPES: u64 = 1000;
const PER_SCOPE: u64 = 8;

fn scope() -> Group {
    let mut arena = arena();
    let mut scope = bump_scope::Bump::<bump_scope::alloc::Global>::new();
    let mut hand = HandBump::new(1024);
    Group {
        name: "scope".to_owned(),
        title: format!("scope: enter, alloc {PER_SCOPE} u64, rewind"),
        ops: SCOPES,
        cases: vec![
            Case::ours(
                "Frame::scope",
                timed(move || {
                    arena.frame(|mut f| {
                        for _ in 0..SCOPES {
                            f.scope(|g| {
                                for i in 0..PER_SCOPE {
                                    black_box(g.alloc(black_box(i)));
                                }
                            })
                        }
                    })
                }),
            ),
            Case::peer(
                Peer::BumpScope,
                "Bump::scoped",
                timed(move || {
                    for _ in 0..SCOPES {
                        scope.scoped(|g| {
                            for i in 0..PER_SCOPE {
                                black_box(g.alloc(black_box(i)).into_mut());
                            }
                        })
                    }
                    scope.reset();
                }),
            ),
            Case::peer(
                Peer::Hand,
                "mark, bump, rewind",
                timed(move || {
                    for _ in 0..SCOPES {
                        let mark = hand.mark();
                        for i in 0..PER_SCOPE {
                            black_box(hand.alloc(black_box(i)));
                        }
                        hand.rewind(mark);
                    }
                    hand.reset();
                }),
            ),
        ],
    }
}

/// The reset alone: each iteration fills `ARENAS` frames with `FRAME` 64-byte allocations
/// (not timed), then times resetting them all.
mod reset {
    use super::*;

    /// Frames reset per timed region, so that the clock reads weigh 1/16 on each.
    const ARENAS: usize = 16;

    /// Fills `ARENAS` allocators untimed and times `reset` on each.
    fn case<S: 'static>(
        mut states: Vec<S>,
        mut fill: impl FnMut(&mut S) + 'static,
        mut reset: impl FnMut(&mut S) + 'static,
    ) -> Timed {
        Box::new(move |iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                states.iter_mut().for_each(&mut fill);
                let start = Instant::now();
                states.iter_mut().for_each(&mut reset);
                total += start.elapsed();
            }
            total
        })
    }

    fn many<S>(make: impl Fn() -> S) -> Vec<S> {
        (0..ARENAS).map(|_| make()).collect()
    }

    fn value(i: u64) -> Bytes64 {
        Bytes64([black_box(i); 8])
    }

    fn framealloc() -> Timed {
        let mut arenas: Vec<FrameArena> = many(arena);
        Box::new(move |iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let mut guards = Vec::with_capacity(ARENAS);
                for a in &mut arenas {
                    let mut g = a.begin_frame();
                    let f = g.frame();
                    for i in 0..FRAME as u64 {
                        black_box(f.alloc(value(i)));
                    }
                    guards.push(g);
                }
                let start = Instant::now();
                guards.clear();
                total += start.elapsed();
            }
            total
        })
    }

    pub(super) fn group() -> Group {
        let n = FRAME as u64;
        let layout = Layout::new::<Bytes64>();
        Group {
            name: "reset_10000".to_owned(),
            title: format!("reset of a frame holding {FRAME} allocations of 64 B"),
            ops: ARENAS as u64,
            cases: vec![
                Case::ours("FrameArena", framealloc()),
                Case::peer(
                    Peer::Bumpalo,
                    "Bump::reset",
                    case(
                        many(bumpalo::Bump::new),
                        move |b| {
                            (0..n).for_each(|i| {
                                black_box(b.alloc(value(i)));
                            })
                        },
                        bumpalo::Bump::reset,
                    ),
                ),
                Case::peer(
                    Peer::BumpScope,
                    "Bump::reset",
                    case(
                        many(bump_scope::Bump::<bump_scope::alloc::Global>::new),
                        move |b| {
                            (0..n).for_each(|i| {
                                black_box(b.alloc(value(i)).into_mut());
                            })
                        },
                        bump_scope::Bump::reset,
                    ),
                ),
                Case::peer(
                    Peer::Blink,
                    "Blink::reset",
                    case(
                        many(Blink::new),
                        move |b| {
                            (0..n).for_each(|i| {
                                black_box(b.put_no_drop(value(i)));
                            })
                        },
                        Blink::reset,
                    ),
                ),
                Case::peer(
                    Peer::Mimalloc,
                    "free each block",
                    case(
                        many(|| HeapFrame::new(MiMalloc, FRAME)),
                        move |h| {
                            (0..n).for_each(|i| {
                                black_box(h.alloc(value(i)));
                            })
                        },
                        // SAFETY: every block was allocated with `layout`, the layout of `Bytes64`.
                        move |h| unsafe { h.end(|_| layout) },
                    ),
                ),
                Case::peer(
                    Peer::System,
                    "free each block",
                    case(
                        many(|| HeapFrame::new(System, FRAME)),
                        move |h| {
                            (0..n).for_each(|i| {
                                black_box(h.alloc(value(i)));
                            })
                        },
                        // SAFETY: every block was allocated with `layout`, the layout of `Bytes64`.
                        move |h| unsafe { h.end(|_| layout) },
                    ),
                ),
                Case::peer(
                    Peer::Hand,
                    "cursor = 0",
                    case(
                        many(|| HandBump::new(FRAME * 64 + 64)),
                        move |h| {
                            (0..n).for_each(|i| {
                                black_box(h.alloc(value(i)));
                            })
                        },
                        HandBump::reset,
                    ),
                ),
            ],
        }
    }
}
