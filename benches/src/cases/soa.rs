//! The particle update `pos += vel * dt` over 100,000 particles of 64 bytes with `[f32; 3]`
//! position and velocity: as whole columns (update), and particle by particle through each
//! container's iterator (iteration).

use std::hint::black_box;

use framealloc::soa;
use soa_derive::StructOfArray;

use super::{builder, Builder};
use crate::{timed, Case, Group, Peer};

pub(crate) fn groups() -> Vec<Builder> {
    vec![
        builder("soa_update", update),
        builder("soa_iter", iterate),
        builder("soa_sort", sort),
    ]
}

const N: usize = 100_000;
const DT: f32 = 1.0 / 60.0;

/// 64 bytes: position, velocity and acceleration, then cold data.
#[soa]
#[derive(Clone, Copy, Default)]
struct Particle {
    pos: [f32; 3],
    vel: [f32; 3],
    acc: [f32; 3],
    mass: f32,
    radius: f32,
    life: f32,
    color: u32,
    id: u32,
    flags: u32,
    age: u32,
}

/// The same particle for soa_derive (one `Vec` per field).
#[derive(Clone, Copy, Default, StructOfArray)]
struct ParticleSd {
    pos: [f32; 3],
    vel: [f32; 3],
    acc: [f32; 3],
    mass: f32,
    radius: f32,
    life: f32,
    color: u32,
    id: u32,
    flags: u32,
    age: u32,
}

fn particle(i: usize) -> Particle {
    let f = i as f32;
    Particle {
        pos: [f, f * 0.5, 0.0],
        vel: [1.0, 0.5 + f * 1e-6, -0.25],
        id: i as u32,
        ..Particle::default()
    }
}

fn ours() -> ParticleSoa {
    assert_eq!(std::mem::size_of::<Particle>(), 64);
    (0..N).map(particle).collect()
}

fn theirs() -> ParticleSdVec {
    let mut sd = ParticleSdVec::with_capacity(N);
    for p in (0..N).map(particle) {
        sd.push(ParticleSd {
            pos: p.pos,
            vel: p.vel,
            id: p.id,
            ..ParticleSd::default()
        });
    }
    sd
}

/// Hand-written scalar SoA: one `Vec<f32>` per component.
struct HandSoa {
    pos: [Vec<f32>; 3],
    vel: [Vec<f32>; 3],
}

fn hand() -> HandSoa {
    let col = |f: &dyn Fn(Particle) -> f32| (0..N).map(particle).map(f).collect::<Vec<f32>>();
    HandSoa {
        pos: [col(&|p| p.pos[0]), col(&|p| p.pos[1]), col(&|p| p.pos[2])],
        vel: [col(&|p| p.vel[0]), col(&|p| p.vel[1]), col(&|p| p.vel[2])],
    }
}

/// `p += v * DT` over two flat columns.
#[inline(always)]
fn axpy(p: &mut [f32], v: &[f32]) {
    for (p, v) in p.iter_mut().zip(v) {
        *p += v * DT;
    }
}

fn update() -> Group {
    let mut soa = ours();
    let mut sd = theirs();
    let mut hand = hand();
    Group {
        name: "soa_update".to_owned(),
        title: format!("SoA particle update, {N} particles, whole columns"),
        ops: N as u64,
        cases: vec![
            Case::ours(
                "#[soa] lanes",
                timed(move || {
                    let s = soa.slices_mut();
                    axpy(s.pos.as_flattened_mut(), s.vel.as_flattened());
                    black_box(soa.pos_lanes());
                }),
            ),
            Case::peer(
                Peer::SoaDerive,
                "pos/vel columns, flattened",
                timed(move || {
                    axpy(sd.pos.as_flattened_mut(), sd.vel.as_flattened());
                    black_box(&sd.pos);
                }),
            ),
            Case::peer(
                Peer::Hand,
                "one Vec<f32> per component",
                timed(move || {
                    for (p, v) in hand.pos.iter_mut().zip(&hand.vel) {
                        axpy(p, v);
                    }
                    black_box(&hand.pos);
                }),
            ),
        ],
    }
}

fn iterate() -> Group {
    let mut soa = ours();
    let mut zipped = ours();
    let mut sd = theirs();
    Group {
        name: "soa_iter".to_owned(),
        title: format!("SoA particle update, {N} particles, one particle at a time"),
        ops: N as u64,
        cases: vec![
            Case::ours(
                "#[soa] iter_mut",
                timed(move || {
                    for m in soa.iter_mut() {
                        for k in 0..3 {
                            m.pos[k] += m.vel[k] * DT;
                        }
                    }
                    black_box(soa.pos());
                }),
            ),
            Case::peer(
                Peer::SoaDerive,
                "iter_mut",
                timed(move || {
                    for p in sd.iter_mut() {
                        for k in 0..3 {
                            p.pos[k] += p.vel[k] * DT;
                        }
                    }
                    black_box(&sd.pos);
                }),
            ),
            Case::peer(
                Peer::Hand,
                "zipping the column slices",
                timed(move || {
                    let s = zipped.slices_mut();
                    for (p, v) in s.pos.iter_mut().zip(s.vel.iter()) {
                        for k in 0..3 {
                            p[k] += v[k] * DT;
                        }
                    }
                    black_box(zipped.pos());
                }),
            ),
        ],
    }
}

/// A key that puts the particles in a new pseudo-random order each round.
#[inline(always)]
fn scrambled(id: u32, round: u32) -> u32 {
    (id ^ round).wrapping_mul(0x9E37_79B9)
}

fn sort() -> Group {
    let mut soa = ours();
    let mut sd = theirs();
    let mut aos: Vec<Particle> = (0..N).map(particle).collect();
    let (mut r1, mut r2, mut r3) = (0u32, 0u32, 0u32);
    Group {
        name: "soa_sort".to_owned(),
        title: format!("SoA sort_by_key of {N} particles by a scrambled id (per particle)"),
        ops: N as u64,
        cases: vec![
            Case::ours(
                "#[soa] sort_by_key",
                timed(move || {
                    r1 = r1.wrapping_add(1);
                    let round = r1;
                    soa.sort_by_key(|p| scrambled(*p.id, round));
                    black_box(soa.id());
                }),
            ),
            Case::peer(
                Peer::SoaDerive,
                "sort_by_key",
                timed(move || {
                    r2 = r2.wrapping_add(1);
                    let round = r2;
                    sd.as_mut_slice().sort_by_key(|p| scrambled(*p.id, round));
                    black_box(&sd.id);
                }),
            ),
            Case::peer(
                Peer::Hand,
                "Vec<Particle>::sort_by_key (array of structs)",
                timed(move || {
                    r3 = r3.wrapping_add(1);
                    let round = r3;
                    aos.sort_by_key(|p| scrambled(p.id, round));
                    black_box(&aos);
                }),
            ),
        ],
    }
}
