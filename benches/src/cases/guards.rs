//! What debug guards cost: alloc u64 and batches with guards off, and on where the guard code
//! is compiled in (debug builds, or `--features guards`), beside the hand-written bump.

use std::hint::black_box;

use framealloc::guard::COMPILED_IN;
use framealloc::{ArenaConfig, FrameArena};

use super::{builder, Builder, FRAME};
use crate::hand::HandBump;
use crate::{timed, Case, Group, Peer};

pub(crate) fn groups() -> Vec<Builder> {
    vec![
        builder("guards_alloc_u64", || {
            group("guards_alloc_u64", "alloc u64", FRAME as u64, 1)
        }),
        builder("guards_batch_1000_u64", || {
            group(
                "guards_batch_1000_u64",
                "batch of 1000 u64",
                FRAME as u64,
                1000,
            )
        }),
    ]
}

/// A frame of `FRAME / batch` allocations of `batch` `u64`s each (single values for 1).
fn group(name: &str, what: &str, ops: u64, batch: usize) -> Group {
    let batches = FRAME / batch;
    let frame = move |arena: &mut FrameArena| {
        arena.frame(|f| {
            if batch == 1 {
                for i in 0..FRAME as u64 {
                    black_box(f.alloc(black_box(i)));
                }
            } else {
                for _ in 0..batches {
                    let slots = f.alloc_batch::<u64>(black_box(batch));
                    for (i, s) in slots.iter_mut().enumerate() {
                        s.write(i as u64);
                    }
                    black_box(slots);
                }
            }
        })
    };
    let mut cases = Vec::new();
    let modes: &[(&'static str, bool)] = if COMPILED_IN {
        &[("guards off", false), ("guards on", true)]
    } else {
        &[("guards off", false)]
    };
    for &(route, on) in modes {
        let mut arena = FrameArena::with_config(ArenaConfig::new().guards(on));
        cases.push(Case::ours(route, timed(move || frame(&mut arena))));
    }
    let mut hand = HandBump::new(FRAME * 8 + 64);
    cases.push(Case::peer(
        Peer::Hand,
        "pointer bump",
        timed(move || {
            if batch == 1 {
                for i in 0..FRAME as u64 {
                    black_box(hand.alloc(black_box(i)));
                }
            } else {
                for _ in 0..batches {
                    black_box(hand.alloc_slice_fill_with(black_box(batch), |i| i as u64));
                }
            }
            hand.reset();
        }),
    ));
    Group {
        name: name.to_owned(),
        title: format!(
            "{what}, guards{}",
            if COMPILED_IN {
                " compiled in"
            } else {
                " compiled out (build with --features guards for \"on\")"
            }
        ),
        ops,
        cases,
    }
}
