//! A game loop of frames over many particles, with all per-frame scratch memory in a frame
//! arena: forces, a spatial grid, and a struct-of-arrays list of floor contacts. The
//! particles themselves live in `#[soa]` storage, integrated with flat scalar lanes. Prints
//! one line per frame: frame number, bytes used, high-water mark, chunks, and time per frame.
//!
//! Run with `cargo run --release --example particles` (add a particle count and a frame
//! count to change the workload: `-- 200000 120`).

use std::time::Instant;

use framealloc::{frame, soa, ArenaStats, Frame, FrameArena};

/// Particle state, stored column by column in a `ParticleSoa`.
#[soa]
#[derive(Clone, Copy, Debug, Default)]
struct Particle {
    pos: [f32; 2],
    vel: [f32; 2],
    age: u16,
}

/// A particle that went through the floor this frame; a per-frame SoA in the frame arena.
#[soa]
struct Contact {
    index: u32,
    depth: f32,
}

/// A uniform grid over the unit square, built anew each frame in frame memory.
struct Grid<'f> {
    cells: usize,
    /// Start of each cell's run in `items` (prefix sums), `cells * cells + 1` entries.
    starts: &'f [u32],
    /// Particle indices sorted by cell.
    items: &'f [u32],
}

const CELLS: usize = 64;
const DT: f32 = 1.0 / 60.0;

fn cell_of(pos: &[f32; 2]) -> usize {
    let cx = ((pos[0].clamp(0.0, 0.999)) * CELLS as f32) as usize;
    let cy = ((pos[1].clamp(0.0, 0.999)) * CELLS as f32) as usize;
    cy * CELLS + cx
}

fn build_grid<'f>(f: &mut Frame<'f, '_>, positions: &[[f32; 2]]) -> Grid<'f> {
    let n_cells = CELLS * CELLS;
    let cell_ids = f.alloc_iter(positions.iter().map(|p| cell_of(p) as u32));
    let starts = f.alloc_slice_fill_copy(n_cells + 1, 0u32);
    for &c in cell_ids.iter() {
        starts[c as usize + 1] += 1;
    }
    for i in 0..n_cells {
        starts[i + 1] += starts[i];
    }
    // The write cursors are temporary: a scope gives their memory back when done.
    let items = f.alloc_slice_fill_copy(positions.len(), 0u32);
    f.scope(|g| {
        let cursor = g.alloc_slice_copy(&starts[..n_cells]);
        for (i, &c) in cell_ids.iter().enumerate() {
            items[cursor[c as usize] as usize] = i as u32;
            cursor[c as usize] += 1;
        }
    });
    Grid {
        cells: n_cells,
        starts,
        items,
    }
}

fn step(f: &mut Frame, particles: &mut ParticleSoa, rng: &mut u64) -> usize {
    // Forces: gravity plus a pull towards the centre of each particle's grid cell.
    let grid = build_grid(f, particles.pos());
    let forces = f.alloc_slice_fill_copy(particles.len(), [0.0f32, -0.5]);
    let positions = particles.pos();
    for cell in 0..grid.cells {
        let run = &grid.items[grid.starts[cell] as usize..grid.starts[cell + 1] as usize];
        if run.len() < 2 {
            continue;
        }
        let inv = 1.0 / run.len() as f32;
        let (mut cx, mut cy) = (0.0, 0.0);
        for &i in run {
            cx += positions[i as usize][0] * inv;
            cy += positions[i as usize][1] * inv;
        }
        for &i in run {
            let p = positions[i as usize];
            forces[i as usize][0] += (cx - p[0]) * 0.1;
            forces[i as usize][1] += (cy - p[1]) * 0.1;
        }
    }

    // Integrate over flat scalar lanes: every column at once, loops the compiler vectorizes.
    {
        let s = particles.slices_mut();
        for (v, a) in s
            .vel
            .as_flattened_mut()
            .iter_mut()
            .zip(forces.as_flattened())
        {
            *v += a * DT;
        }
        for (p, v) in s
            .pos
            .as_flattened_mut()
            .iter_mut()
            .zip(s.vel.as_flattened())
        {
            *p += v * DT;
        }
        for age in s.age.iter_mut() {
            *age = age.saturating_add(1);
        }
    }

    // Floor contacts, collected in a struct-of-arrays that lives in the frame.
    let mut contacts = ContactSoa::new_in(&*f);
    for (i, p) in particles.pos_mut().iter_mut().enumerate() {
        p[0] = p[0].rem_euclid(1.0);
        if p[1] < 0.0 {
            contacts.push(Contact {
                index: i as u32,
                depth: -p[1],
            });
        }
    }
    for c in contacts.iter() {
        let m = particles
            .get_mut(*c.index as usize)
            .expect("contact of a live particle");
        m.pos[1] = *c.depth;
        m.vel[1] = -m.vel[1] * 0.8;
        if *m.age > 300 {
            // Respawn old particles from the top.
            *rng ^= *rng << 13;
            *rng ^= *rng >> 7;
            *rng ^= *rng << 17;
            let x = (*rng % 10_000) as f32 / 10_000.0;
            *m.pos = [x, 0.95];
            *m.vel = [0.0, 0.0];
            *m.age = 0;
        }
    }
    contacts.len()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let frames: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(60);

    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut particles: ParticleSoa = (0..count)
        .map(|i| {
            let x = (i % 1000) as f32 / 1000.0;
            let y = 0.2 + 0.7 * (i / 1000) as f32 / (count / 1000).max(1) as f32;
            Particle {
                pos: [x, y],
                vel: [0.0, 0.0],
                age: (i % 400) as u16,
            }
        })
        .collect();

    let mut arena = FrameArena::new();
    println!("framealloc particles: {count} particles, {frames} frames");
    println!(
        "{:>6} {:>12} {:>12} {:>7} {:>9} {:>10}",
        "frame", "bytes used", "high water", "chunks", "bounced", "time"
    );
    let start = Instant::now();
    for _ in 0..frames {
        let t = Instant::now();
        let (bounced, stats): (usize, ArenaStats) = frame!(arena, tag = "simulation" => f {
            let bounced = step(&mut f, &mut particles, &mut rng);
            (bounced, f.stats())
        });
        let elapsed = t.elapsed();
        println!(
            "{:>6} {:>12} {:>12} {:>7} {:>9} {:>8.2}ms",
            stats.frame_number,
            stats.bytes_used,
            stats.high_water_mark,
            stats.chunks,
            bounced,
            elapsed.as_secs_f64() * 1e3
        );
    }
    let s = arena.stats();
    println!(
        "done: {frames} frames in {:.1} ms; {} chunks ({} bytes) held, reused every frame",
        start.elapsed().as_secs_f64() * 1e3,
        s.chunks,
        s.capacity
    );
}
