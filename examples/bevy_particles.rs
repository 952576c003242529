//! A headless Bevy app with 100,000 particles whose systems use frame memory: a spatial grid
//! rebuilt every update, sorted draw lists, per-system temporary vectors, and a handle that
//! carries update memory from one system to the next. It prints the per-system memory table
//! every N updates.
//!
//! ```text
//! cargo run --release --example bevy_particles --features bevy [updates] [every] [particles]
//! ```

use std::time::{Duration, Instant};

use bevy_ecs::prelude::*;
use framealloc::bevy::app::{
    App, AppExit, PostUpdate, ScheduleRunnerPlugin, TaskPoolPlugin, Update,
};
use framealloc::bevy::{FrameAllocPlugin, MemoryStats, Scratch};
use framealloc::FrameHandle;

/// Grid cells per side, over the unit square.
const CELLS: usize = 64;

#[derive(Component, Clone, Copy)]
struct Position([f32; 2]);

#[derive(Component, Clone, Copy)]
struct Velocity([f32; 2]);

/// How many particles share this particle's grid cell, from the last grid.
#[derive(Component, Default)]
struct Crowding(u32);

#[derive(Resource)]
struct Settings {
    updates: u64,
    every: u64,
}

/// The draw list's front, made by `sort_draws` in update memory and read by `present`.
#[derive(Resource, Default)]
struct FrontOfDrawList(Option<FrameHandle<[u32; 16]>>);

#[derive(Resource, Default)]
struct Totals {
    updates: u64,
    drawn: u64,
    crowded: u64,
    started: Option<Instant>,
}

fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<u64>());
    let mut next = |default: u64, what: &str| match args.next() {
        None => default,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("usage: bevy_particles [updates] [every] [particles] ({what}: a positive whole number)");
            std::process::exit(2);
        }
    };
    let updates = next(300, "updates");
    let every = next(100, "every");
    let particles = next(100_000, "particles") as usize;

    let mut app = App::new();
    app.add_plugins((
        TaskPoolPlugin::default(),
        ScheduleRunnerPlugin::run_loop(Duration::ZERO),
        FrameAllocPlugin::new(),
    ))
    .insert_resource(Settings { updates, every })
    .init_resource::<FrontOfDrawList>()
    .init_resource::<Totals>()
    .add_systems(
        Update,
        (
            integrate,
            (rebuild_grid, sort_draws, collect_fast).after(integrate),
        ),
    )
    .add_systems(PostUpdate, (present, report).chain());
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut unit = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng >> 40) as f32 / (1u64 << 24) as f32
    };
    app.world_mut()
        .spawn_batch(
            (0..particles)
                .map(|_| {
                    (
                        Position([unit(), unit()]),
                        Velocity([(unit() - 0.5) * 0.01, (unit() - 0.5) * 0.01]),
                        Crowding::default(),
                    )
                })
                .collect::<Vec<_>>(),
        )
        .for_each(drop);
    println!("{particles} particles, {updates} updates, the table every {every}");
    app.run();
}

/// Moves every particle, bouncing off the unit square's edges (in parallel; no frame memory).
fn integrate(mut particles: Query<(&mut Position, &mut Velocity)>) {
    particles.par_iter_mut().for_each(|(mut p, mut v)| {
        for axis in 0..2 {
            p.0[axis] += v.0[axis];
            if !(0.0..1.0).contains(&p.0[axis]) {
                v.0[axis] = -v.0[axis];
                p.0[axis] = p.0[axis].clamp(0.0, 0.999_999);
            }
        }
    });
}

fn cell_of(p: [f32; 2]) -> usize {
    let x = (p[0] * CELLS as f32) as usize;
    let y = (p[1] * CELLS as f32) as usize;
    y.min(CELLS - 1) * CELLS + x.min(CELLS - 1)
}

/// A spatial grid rebuilt each update in scratch memory (a counting sort of particles into
/// cells), then each particle's crowding read from it.
fn rebuild_grid(
    mut scratch: Scratch,
    mut particles: Query<(&Position, &mut Crowding)>,
    mut totals: ResMut<Totals>,
) {
    let crowded = scratch.frame(|mut f| {
        let n = particles.iter().len();
        let cell = f.alloc_slice_fill_copy(n, 0u32);
        let counts = f.alloc_slice_fill_copy(CELLS * CELLS + 1, 0u32);
        for ((p, _), c) in particles.iter().zip(cell.iter_mut()) {
            *c = cell_of(p.0) as u32;
            counts[*c as usize + 1] += 1;
        }
        // Prefix sums: each cell's first slot in the sorted order.
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        // The sort itself, in a scope: the cursors are released at its end.
        let sorted = f.alloc_slice_fill_copy(n, 0u32);
        f.scope(|g| {
            let cursor = g.alloc_slice_copy(counts);
            for (i, &c) in cell.iter().enumerate() {
                let slot = &mut cursor[c as usize];
                sorted[*slot as usize] = i as u32;
                *slot += 1;
            }
        });
        let mut crowded = 0;
        for ((_, mut crowding), &c) in particles.iter_mut().zip(cell.iter()) {
            crowding.0 = counts[c as usize + 1] - counts[c as usize];
            crowded += u64::from(crowding.0 > 40);
        }
        std::hint::black_box(&sorted[..]);
        crowded
    });
    totals.crowded += crowded;
}

/// A draw list of the particles in view, sorted back to front, in scratch memory; its front
/// goes to `present` as a handle to update memory.
fn sort_draws(
    mut scratch: Scratch,
    particles: Query<&Position>,
    mut front: ResMut<FrontOfDrawList>,
) {
    let first = scratch.frame(|f| {
        let mut draws = f.vec_with_capacity::<(u32, u32)>(1024);
        for (i, p) in particles.iter().enumerate() {
            if p.0[0] < 0.5 {
                // Depth as a sortable integer, and the particle.
                draws.push(((p.0[1] * 1e6) as u32, i as u32));
            }
        }
        draws.sort_unstable();
        let mut first = [0u32; 16];
        for (slot, draw) in first.iter_mut().zip(draws.iter()) {
            *slot = draw.1;
        }
        (first, draws.len())
    });
    let (first, drawn) = first;
    front.0 = Some(scratch.tagged(|update| update.handle(first)));
    std::hint::black_box(drawn);
}

/// A per-system temporary vector: the fast particles, counted by speed band.
fn collect_fast(mut scratch: Scratch, particles: Query<&Velocity>) {
    let bands = scratch.frame(|f| {
        let mut fast = f.vec::<f32>();
        fast.extend(
            particles
                .iter()
                .map(|v| v.0[0].hypot(v.0[1]))
                .filter(|&s| s > 0.005),
        );
        let mut bands = [0u32; 4];
        for s in fast.iter() {
            bands[((s - 0.005) / 0.0005).min(3.0) as usize] += 1;
        }
        bands
    });
    std::hint::black_box(bands);
}

/// Reads the draw list's front through the handle `sort_draws` made this update.
fn present(scratch: Scratch, front: Res<FrontOfDrawList>, mut totals: ResMut<Totals>) {
    let first = front
        .0
        .as_ref()
        .and_then(|h| h.try_get(scratch.update()))
        .expect("sort_draws made this update's handle");
    totals.drawn += first.iter().filter(|&&i| i != 0).count() as u64;
}

/// Every `every` updates, the per-system table; after the last, the totals and the exit.
fn report(
    settings: Res<Settings>,
    stats: Res<MemoryStats>,
    mut totals: ResMut<Totals>,
    mut exit: MessageWriter<AppExit>,
) {
    let started = *totals.started.get_or_insert_with(Instant::now);
    totals.updates += 1;
    // `MemoryStats` holds the update before this one: this one ends after `PostUpdate`.
    if totals.updates > 1 && (totals.updates - 1).is_multiple_of(settings.every) {
        println!("\n{}", *stats);
    }
    if totals.updates == settings.updates {
        let elapsed = started.elapsed();
        println!(
            "\n{} updates in {:.2?} ({:.2?} per update); {} draws presented, {} crowded particle-updates",
            totals.updates,
            elapsed,
            elapsed / totals.updates as u32,
            totals.drawn,
            totals.crowded
        );
        exit.write(AppExit::Success);
    }
}
