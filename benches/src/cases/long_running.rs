//! Long-running games: the reset of a frame against its size (system chunks, virtual-memory
//! chunks, bumpalo), and frames in flight beside a plain frame arena. Resident memory over a
//! spiky run, per retention policy, is [`crate::resident`].

use std::hint::black_box;
use std::time::{Duration, Instant};

use framealloc::flight::FrameRing;
use framealloc::{ArenaConfig, FrameArena, VirtualSource};

use super::alloc::arena;
use super::{builder, Builder, FRAME};
use crate::hand::HandBump;
use crate::{timed, Case, Group, Peer, Timed};

pub(crate) fn groups() -> Vec<Builder> {
    vec![
        builder("reset_by_frame_size", reset_by_size),
        builder("flight_alloc_u64", flight_alloc),
        builder("flight_publish", flight_publish),
    ]
}

/// Frames reset per timed region, so that the clock reads weigh little on each.
const ARENAS: usize = 8;
/// Allocations per frame, whatever its size: frames of every size are filled by the same
/// number of calls (blocks of `bytes / ALLOCS`, not written: the reset does not read them),
/// so that the only difference the resets see is the frame's size.
const ALLOCS: usize = 16 << 10;

/// Frames of `bytes`, filled untimed in `ALLOCS` blocks, `ARENAS` at a time; times their
/// resets.
fn framealloc_reset(bytes: usize, make: impl Fn() -> FrameArena) -> Timed {
    let mut arenas: Vec<FrameArena> = (0..ARENAS).map(|_| make()).collect();
    Box::new(move |iters| {
        let mut total = Duration::ZERO;
        for _ in 0..iters {
            let mut guards = Vec::with_capacity(ARENAS);
            for a in &mut arenas {
                let mut g = a.begin_frame();
                let f = g.frame();
                for _ in 0..ALLOCS {
                    black_box(f.alloc_batch::<u8>(bytes / ALLOCS).as_ptr());
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

fn bumpalo_reset(bytes: usize) -> Timed {
    let mut bumps: Vec<bumpalo::Bump> = (0..ARENAS).map(|_| bumpalo::Bump::new()).collect();
    let layout = std::alloc::Layout::from_size_align(bytes / ALLOCS, 1).unwrap();
    Box::new(move |iters| {
        let mut total = Duration::ZERO;
        for _ in 0..iters {
            for b in &mut bumps {
                for _ in 0..ALLOCS {
                    black_box(b.alloc_layout(layout));
                }
            }
            let start = Instant::now();
            bumps.iter_mut().for_each(bumpalo::Bump::reset);
            total += start.elapsed();
        }
        total
    })
}

fn virtual_arena() -> FrameArena {
    FrameArena::with_config(
        ArenaConfig::new()
            .guards(false)
            .virtual_memory(VirtualSource::new(2 << 30)),
    )
}

fn reset_by_size() -> Group {
    if !VirtualSource::new(1).is_virtual() {
        crate::note(format!(
            "reset by frame size: virtual-memory chunks fell back here ({}), so their rows \
             are page-aligned chunks",
            VirtualSource::new(1).fallback_reason().unwrap_or("?")
        ));
    }
    const KIB64: usize = 64 << 10;
    const MIB16: usize = 16 << 20;
    const GIB: usize = 1 << 30;
    Group {
        name: "reset_by_frame_size".to_owned(),
        title: "reset of one frame".to_owned(),
        ops: ARENAS as u64,
        cases: vec![
            Case::ours(
                "virtual memory, 64 KiB frame",
                framealloc_reset(KIB64, virtual_arena),
            ),
            Case::ours(
                "virtual memory, 16 MiB frame",
                framealloc_reset(MIB16, virtual_arena),
            ),
            Case::ours(
                "virtual memory, 1 GiB frame",
                framealloc_reset(GIB, virtual_arena),
            ),
            Case::ours(
                "system chunks, 64 KiB frame",
                framealloc_reset(KIB64, arena),
            ),
            Case::ours(
                "system chunks, 16 MiB frame",
                framealloc_reset(MIB16, arena),
            ),
            Case::ours("system chunks, 1 GiB frame", framealloc_reset(GIB, arena)),
            Case::peer(
                Peer::Bumpalo,
                "Bump::reset of a 1 GiB frame",
                bumpalo_reset(GIB),
            ),
        ],
    }
}

fn flight_alloc() -> Group {
    let n = FRAME as u64;
    let mut arena = arena();
    let mut ring = FrameRing::with_config(3, || ArenaConfig::new().guards(false));
    let mut bump = bumpalo::Bump::new();
    let mut hand = HandBump::new(FRAME * 8 + 64);
    Group {
        name: "flight_alloc_u64".to_owned(),
        title: "alloc u64, frames in flight".to_owned(),
        ops: n,
        cases: vec![
            Case::ours(
                "FlightFrame (3 in flight)",
                timed(move || {
                    let frame = ring.begin_frame();
                    let f = frame.frame();
                    for i in 0..n {
                        black_box(f.alloc(black_box(i)));
                    }
                }),
            ),
            Case::ours(
                "FrameArena",
                timed(move || {
                    arena.frame(|f| {
                        for i in 0..n {
                            black_box(f.alloc(black_box(i)));
                        }
                    })
                }),
            ),
            Case::peer(
                Peer::Bumpalo,
                "Bump::alloc",
                timed(move || {
                    for i in 0..n {
                        black_box(bump.alloc(black_box(i)));
                    }
                    bump.reset();
                }),
            ),
            Case::peer(
                Peer::Hand,
                "pointer bump",
                timed(move || {
                    for i in 0..n {
                        black_box(hand.alloc(black_box(i)));
                    }
                    hand.reset();
                }),
            ),
        ],
    }
}

/// Values handed to another frame (or thread) per frame.
const PUBLISHED: u64 = 1000;

fn flight_publish() -> Group {
    let mut ring = FrameRing::with_config(3, || ArenaConfig::new().guards(false));
    let mut kept: Vec<framealloc::flight::Flight<[u64; 4]>> =
        Vec::with_capacity(PUBLISHED as usize);
    let mut boxes: Vec<Box<[u64; 4]>> = Vec::with_capacity(PUBLISHED as usize);
    Group {
        name: "flight_publish".to_owned(),
        title: "value of 32 B owned past its frame, then dropped".to_owned(),
        ops: PUBLISHED,
        cases: vec![
            Case::ours(
                "FlightFrame::publish",
                timed(move || {
                    {
                        let frame = ring.begin_frame();
                        for i in 0..PUBLISHED {
                            kept.push(frame.publish([black_box(i); 4]));
                        }
                    }
                    kept.clear();
                }),
            ),
            Case::peer(
                Peer::System,
                "Box::new",
                timed(move || {
                    for i in 0..PUBLISHED {
                        boxes.push(Box::new([black_box(i); 4]));
                    }
                    boxes.clear();
                }),
            ),
        ],
    }
}
