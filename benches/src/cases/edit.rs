//! Editing vectors and formatting strings in a frame: `retain`, `drain` and `insert` on a
//! vector of `FRAME` `u32`s, and `format!` of a short label, beside bumpalo's `Vec` and
//! `format!`, bump-scope's `BumpVec` and `std`.

use std::fmt::Write as _;
use std::hint::black_box;

use bump_scope::BumpVec;

use super::alloc::arena;
use super::{builder, Builder, FRAME};
use crate::{timed, Case, Group, Peer};

pub(crate) fn groups() -> Vec<Builder> {
    vec![
        builder("vec_retain", retain),
        builder("vec_drain", drain),
        builder("vec_insert", insert),
        builder("format", format),
    ]
}

const N: u32 = FRAME as u32;
/// Inserts at the front per frame (each shifts the whole vector).
const INSERTS: u32 = 256;
/// Labels formatted per frame.
const LABELS: u64 = 1000;

/// The predicate every `retain` case keeps elements by: half of them, not in a pattern the
/// branch predictor learns at once.
#[inline(always)]
fn keep(x: u32) -> bool {
    (x.wrapping_mul(0x9E37_79B9) >> 31) == 0
}

/// One group of vector cases: each fills a vector of `0..N` (untimed work is not separable
/// here, so the fill is part of every case alike) and applies `edit`.
macro_rules! vec_group {
    ($name:expr, $title:expr, $ops:expr, |$v:ident| $edit:expr) => {{
        let mut arena = arena();
        let mut bump = bumpalo::Bump::new();
        let mut scope = bump_scope::Bump::<bump_scope::alloc::Global>::new();
        Group {
            name: $name.to_owned(),
            title: $title,
            ops: $ops,
            cases: vec![
                Case::ours(
                    "FrameVec",
                    timed(move || {
                        arena.frame(|f| {
                            let mut $v = f.vec_with_capacity::<u32>(FRAME);
                            $v.extend(0..black_box(N));
                            $edit;
                            black_box($v.into_slice());
                        })
                    }),
                ),
                Case::peer(
                    Peer::Bumpalo,
                    "Vec",
                    timed(move || {
                        {
                            let mut $v = bumpalo::collections::Vec::with_capacity_in(FRAME, &bump);
                            $v.extend(0..black_box(N));
                            $edit;
                            black_box($v.into_bump_slice());
                        }
                        bump.reset();
                    }),
                ),
                Case::peer(
                    Peer::BumpScope,
                    "BumpVec",
                    timed(move || {
                        {
                            let mut $v = BumpVec::with_capacity_in(FRAME, &scope);
                            $v.extend(0..black_box(N));
                            $edit;
                            black_box($v.into_slice());
                        }
                        scope.reset();
                    }),
                ),
                Case::peer(
                    Peer::System,
                    "std Vec, freed",
                    timed(move || {
                        let mut $v = Vec::with_capacity(FRAME);
                        $v.extend(0..black_box(N));
                        $edit;
                        black_box($v);
                    }),
                ),
            ],
        }
    }};
}

fn retain() -> Group {
    vec_group!(
        "vec_retain",
        format!("vec of {FRAME} u32: fill, retain half (per element)"),
        FRAME as u64,
        |v| v.retain(|x| keep(*x))
    )
}

fn drain() -> Group {
    vec_group!(
        "vec_drain",
        format!("vec of {FRAME} u32: fill, drain the middle half and sum it (per element)"),
        FRAME as u64,
        |v| black_box(
            v.drain(FRAME / 4..3 * FRAME / 4)
                .map(u64::from)
                .sum::<u64>()
        )
    )
}

fn insert() -> Group {
    vec_group!(
        "vec_insert",
        format!("vec of {FRAME} u32: fill, insert {INSERTS} at the front (per insert)"),
        u64::from(INSERTS),
        |v| {
            for i in 0..INSERTS {
                v.insert(0, black_box(i));
            }
        }
    )
}

fn format() -> Group {
    let mut arena = arena();
    let mut bump = bumpalo::Bump::new();
    Group {
        name: "format".to_owned(),
        title: format!("format! of a label (\"unit {{}}: {{:.1}} hp\"), {LABELS} per frame"),
        ops: LABELS,
        cases: vec![
            Case::ours(
                "frame_format!",
                timed(move || {
                    arena.frame(|f| {
                        for i in 0..LABELS {
                            let hp = black_box(i as f32 * 0.5);
                            black_box(
                                framealloc::frame_format!(in &f, "unit {}: {:.1} hp", i, hp)
                                    .into_str(),
                            );
                        }
                    })
                }),
            ),
            Case::peer(
                Peer::Bumpalo,
                "bumpalo::format!",
                timed(move || {
                    for i in 0..LABELS {
                        let hp = black_box(i as f32 * 0.5);
                        black_box(
                            bumpalo::format!(in &bump, "unit {}: {:.1} hp", i, hp).into_bump_str(),
                        );
                    }
                    bump.reset();
                }),
            ),
            Case::peer(
                Peer::System,
                "std format!, freed",
                timed(move || {
                    for i in 0..LABELS {
                        let hp = black_box(i as f32 * 0.5);
                        black_box(format!("unit {}: {:.1} hp", i, hp));
                    }
                }),
            ),
            Case::peer(Peer::Hand, "write! into one reused String", {
                let mut s = String::with_capacity(64);
                timed(move || {
                    for i in 0..LABELS {
                        let hp = black_box(i as f32 * 0.5);
                        s.clear();
                        write!(s, "unit {}: {:.1} hp", i, hp).expect("a String takes any text");
                        black_box(s.as_str());
                    }
                })
            }),
        ],
    }
}
