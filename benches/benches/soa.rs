//! The particle update `pos += vel * dt` over 100,000 particles of 64 bytes with `[f32; 3]`
//! position and velocity, in every storage a user might pick, on identical work.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use framealloc::soa;
use soa_derive::StructOfArray;

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

/// The same particle for the common SoA derive (one `Vec` per field).
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

/// Hand-written scalar SoA: one `Vec<f32>` per component.
struct HandSoa {
    px: Vec<f32>,
    py: Vec<f32>,
    pz: Vec<f32>,
    vx: Vec<f32>,
    vy: Vec<f32>,
    vz: Vec<f32>,
}

fn particle_update(c: &mut Criterion) {
    assert_eq!(std::mem::size_of::<Particle>(), 64);
    let mut g = c.benchmark_group("particle_update");
    g.throughput(Throughput::Elements(N as u64));
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(2));
    g.sample_size(40);

    let mut soa: ParticleSoa = (0..N).map(particle).collect();
    g.bench_function("soa_lanes", |b| {
        b.iter(|| {
            let s = soa.slices_mut();
            for (p, v) in s
                .pos
                .as_flattened_mut()
                .iter_mut()
                .zip(s.vel.as_flattened())
            {
                *p += v * DT;
            }
            black_box(soa.pos_lanes());
        })
    });
    g.bench_function("soa_iter_mut", |b| {
        b.iter(|| {
            for m in soa.iter_mut() {
                for k in 0..3 {
                    m.pos[k] += m.vel[k] * DT;
                }
            }
            black_box(soa.pos());
        })
    });
    g.bench_function("hand_zip_columns", |b| {
        b.iter(|| {
            let s = soa.slices_mut();
            for (p, v) in s.pos.iter_mut().zip(s.vel.iter()) {
                for k in 0..3 {
                    p[k] += v[k] * DT;
                }
            }
            black_box(soa.pos());
        })
    });

    let mut aos: Vec<Particle> = (0..N).map(particle).collect();
    g.bench_function("aos_vec", |b| {
        b.iter(|| {
            for p in aos.iter_mut() {
                for k in 0..3 {
                    p.pos[k] += p.vel[k] * DT;
                }
            }
            black_box(&aos);
        })
    });

    let mut sd = ParticleSdVec::new();
    for i in 0..N {
        let p = particle(i);
        sd.push(ParticleSd {
            pos: p.pos,
            vel: p.vel,
            id: p.id,
            ..ParticleSd::default()
        });
    }
    g.bench_function("soa_derive", |b| {
        b.iter(|| {
            for p in sd.iter_mut() {
                for k in 0..3 {
                    p.pos[k] += p.vel[k] * DT;
                }
            }
            black_box(&sd.pos);
        })
    });

    let col = |k: usize, vel: bool| -> Vec<f32> {
        (0..N)
            .map(particle)
            .map(|p| if vel { p.vel[k] } else { p.pos[k] })
            .collect()
    };
    let mut hand = HandSoa {
        px: col(0, false),
        py: col(1, false),
        pz: col(2, false),
        vx: col(0, true),
        vy: col(1, true),
        vz: col(2, true),
    };
    g.bench_function("hand_scalar_soa", |b| {
        b.iter(|| {
            for (p, v) in [
                (&mut hand.px, &hand.vx),
                (&mut hand.py, &hand.vy),
                (&mut hand.pz, &hand.vz),
            ] {
                for (p, v) in p.iter_mut().zip(v.iter()) {
                    *p += v * DT;
                }
            }
            black_box(&hand.px);
        })
    });
    g.finish();
}

criterion_group!(benches, particle_update);
criterion_main!(benches);
