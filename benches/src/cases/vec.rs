//! Vectors in a frame: `FRAME` `u32`s pushed one by one into a vector sized up front, and into
//! one that starts empty and grows. Each frame's vector lives until the frame's reset (or is
//! freed, for the heap allocators).

use std::hint::black_box;

use allocator_api2_04::vec::Vec as Vec04;
use blink_alloc::BlinkAlloc;
use bump_scope::BumpVec;

use super::alloc::arena;
use super::{builder, Builder, FRAME};
use crate::hand::Mi;
use crate::{timed, Case, Group, Peer};

pub(crate) fn groups() -> Vec<Builder> {
    vec![
        builder("vec_push_fixed", fixed),
        builder("vec_push_growable", growable),
        builder("vec_extend", extend),
    ]
}

const N: u32 = FRAME as u32;

/// The limit for filling a vector: writing `0..N` into a slice, which the compiler vectorizes.
fn hand_slice_write() -> Case {
    let mut slice = vec![0u32; FRAME];
    Case::peer(
        Peer::Hand,
        "slice write (vectorized)",
        timed(move || {
            let s = black_box(slice.as_mut_slice());
            for (i, x) in s.iter_mut().enumerate() {
                *x = i as u32;
            }
            black_box(s);
        }),
    )
}

fn fixed() -> Group {
    let (mut arena, mut arena2) = (arena(), arena());
    let mut bump = bumpalo::Bump::new();
    let mut scope = bump_scope::Bump::<bump_scope::alloc::Global>::new();
    let mut blink = BlinkAlloc::new();
    Group {
        name: "vec_push_fixed".to_owned(),
        title: format!("vec with capacity {FRAME}: push u32"),
        ops: FRAME as u64,
        cases: vec![
            Case::ours(
                "push_within_capacity",
                timed(move || {
                    arena.frame(|f| {
                        let mut v = f.vec_with_capacity::<u32>(black_box(FRAME));
                        for i in 0..N {
                            let _ = v.push_within_capacity(i);
                        }
                        black_box(v.into_slice());
                    })
                }),
            ),
            Case::ours(
                "push",
                timed(move || {
                    arena2.frame(|f| {
                        let mut v = f.vec_with_capacity::<u32>(black_box(FRAME));
                        for i in 0..N {
                            v.push(i);
                        }
                        black_box(v.into_slice());
                    })
                }),
            ),
            Case::peer(
                Peer::Bumpalo,
                "Vec::push",
                timed(move || {
                    {
                        let mut v =
                            bumpalo::collections::Vec::with_capacity_in(black_box(FRAME), &bump);
                        for i in 0..N {
                            v.push(i);
                        }
                        black_box(v.into_bump_slice());
                    }
                    bump.reset();
                }),
            ),
            Case::peer(
                Peer::BumpScope,
                "BumpVec::push",
                timed(move || {
                    {
                        let mut v = BumpVec::with_capacity_in(black_box(FRAME), &scope);
                        for i in 0..N {
                            v.push(i);
                        }
                        black_box(v.into_slice());
                    }
                    scope.reset();
                }),
            ),
            Case::peer(
                Peer::Blink,
                "allocator-api2 Vec::push",
                timed(move || {
                    {
                        let mut v = Vec04::with_capacity_in(black_box(FRAME), &blink);
                        for i in 0..N {
                            v.push(i);
                        }
                        black_box(v.leak());
                    }
                    blink.reset();
                }),
            ),
            Case::peer(
                Peer::Mimalloc,
                "allocator-api2 Vec::push, freed",
                timed(move || {
                    let mut v = allocator_api2::vec::Vec::with_capacity_in(black_box(FRAME), Mi);
                    for i in 0..N {
                        v.push(i);
                    }
                    black_box(&mut v);
                }),
            ),
            Case::peer(
                Peer::System,
                "std Vec::push, freed",
                timed(move || {
                    let mut v = Vec::with_capacity(black_box(FRAME));
                    for i in 0..N {
                        v.push(i);
                    }
                    black_box(&mut v);
                }),
            ),
            hand_slice_write(),
        ],
    }
}

fn growable() -> Group {
    let mut arena = arena();
    let mut bump = bumpalo::Bump::new();
    let mut scope = bump_scope::Bump::<bump_scope::alloc::Global>::new();
    let mut blink = BlinkAlloc::new();
    Group {
        name: "vec_push_growable".to_owned(),
        title: format!("growable vec: push {FRAME} u32"),
        ops: FRAME as u64,
        cases: vec![
            Case::ours(
                "push",
                timed(move || {
                    arena.frame(|f| {
                        let mut v = f.vec::<u32>();
                        for i in 0..black_box(N) {
                            v.push(i);
                        }
                        black_box(v.into_slice());
                    })
                }),
            ),
            Case::peer(
                Peer::Bumpalo,
                "Vec::push",
                timed(move || {
                    {
                        let mut v = bumpalo::collections::Vec::new_in(&bump);
                        for i in 0..black_box(N) {
                            v.push(i);
                        }
                        black_box(v.into_bump_slice());
                    }
                    bump.reset();
                }),
            ),
            Case::peer(
                Peer::BumpScope,
                "BumpVec::push",
                timed(move || {
                    {
                        let mut v = BumpVec::new_in(&scope);
                        for i in 0..black_box(N) {
                            v.push(i);
                        }
                        black_box(v.into_slice());
                    }
                    scope.reset();
                }),
            ),
            Case::peer(
                Peer::Blink,
                "allocator-api2 Vec::push",
                timed(move || {
                    {
                        let mut v = Vec04::new_in(&blink);
                        for i in 0..black_box(N) {
                            v.push(i);
                        }
                        black_box(v.leak());
                    }
                    blink.reset();
                }),
            ),
            Case::peer(
                Peer::Mimalloc,
                "allocator-api2 Vec::push, freed",
                timed(move || {
                    let mut v = allocator_api2::vec::Vec::new_in(Mi);
                    for i in 0..black_box(N) {
                        v.push(i);
                    }
                    black_box(&mut v);
                }),
            ),
            Case::peer(
                Peer::System,
                "std Vec::push, freed",
                timed(move || {
                    let mut v = Vec::new();
                    for i in 0..black_box(N) {
                        v.push(i);
                    }
                    black_box(&mut v);
                }),
            ),
        ],
    }
}

/// `extend(0..N)` into a vector sized up front: the counted loop that vectorizes.
fn extend() -> Group {
    let mut arena = arena();
    let mut bump = bumpalo::Bump::new();
    let mut scope = bump_scope::Bump::<bump_scope::alloc::Global>::new();
    Group {
        name: "vec_extend".to_owned(),
        title: format!("vec with capacity {FRAME}: extend(0..n) u32"),
        ops: FRAME as u64,
        cases: vec![
            Case::ours(
                "extend",
                timed(move || {
                    arena.frame(|f| {
                        let mut v = f.vec_with_capacity::<u32>(black_box(FRAME));
                        v.extend(0..black_box(N));
                        black_box(v.into_slice());
                    })
                }),
            ),
            Case::peer(
                Peer::Bumpalo,
                "Vec::extend",
                timed(move || {
                    {
                        let mut v =
                            bumpalo::collections::Vec::with_capacity_in(black_box(FRAME), &bump);
                        v.extend(0..black_box(N));
                        black_box(v.into_bump_slice());
                    }
                    bump.reset();
                }),
            ),
            Case::peer(
                Peer::BumpScope,
                "BumpVec::extend",
                timed(move || {
                    {
                        let mut v = BumpVec::with_capacity_in(black_box(FRAME), &scope);
                        v.extend(0..black_box(N));
                        black_box(v.into_slice());
                    }
                    scope.reset();
                }),
            ),
            Case::peer(
                Peer::System,
                "std Vec::extend, freed",
                timed(move || {
                    let mut v = Vec::with_capacity(black_box(FRAME));
                    v.extend(0..black_box(N));
                    black_box(&mut v);
                }),
            ),
            hand_slice_write(),
        ],
    }
}
