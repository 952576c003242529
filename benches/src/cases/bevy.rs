//! One Bevy system's per-update scratch work over 100,000 entities, three ways: framealloc's
//! `Scratch`, a `Local<Vec>` cleared and reused (the hand-written limit), and `Vec::new` per
//! run (the system allocator). The work is a spatial grid's rebuild: gather each entity's
//! cell, count the cells, place the entities in cell order. Each case is one `App::update`
//! of an app with `FrameAllocPlugin` and this one system, so all three pay the same update
//! overhead.

use std::hint::black_box;

use bevy_ecs::prelude::*;
use framealloc::bevy::app::{App, Update};
use framealloc::bevy::{FrameAllocPlugin, Scratch};

use super::{builder, Builder};
use crate::{timed, Case, Group, Peer};

pub(crate) fn groups() -> Vec<Builder> {
    vec![builder("bevy_scratch", group)]
}

const ENTITIES: u32 = 100_000;
const CELLS: usize = 64 * 64;

#[derive(Component)]
struct Position([f32; 2]);

fn cell(p: &Position) -> u32 {
    let x = ((p.0[0] * 64.0) as usize).min(63);
    let y = ((p.0[1] * 64.0) as usize).min(63);
    (y * 64 + x) as u32
}

/// Counting sort of `(cell, entity)` pairs into `sorted`, with `counts` as scratch; returns a
/// checksum so nothing is optimized away.
fn place(cells: &[(u32, u32)], counts: &mut [u32], sorted: &mut [u32]) -> u32 {
    for &(c, _) in cells {
        counts[c as usize + 1] += 1;
    }
    for i in 1..counts.len() {
        counts[i] += counts[i - 1];
    }
    for &(c, e) in cells {
        let slot = &mut counts[c as usize];
        sorted[*slot as usize] = e;
        *slot += 1;
    }
    sorted[sorted.len() / 2]
}

fn with_scratch(mut scratch: Scratch, q: Query<&Position>) {
    let sum = scratch.frame(|f| {
        let mut cells = f.vec::<(u32, u32)>();
        cells.extend(q.iter().enumerate().map(|(i, p)| (cell(p), i as u32)));
        let counts = f.alloc_slice_fill_copy(CELLS + 1, 0u32);
        let sorted = f.alloc_slice_fill_copy(cells.len(), 0u32);
        place(&cells, counts, sorted)
    });
    black_box(sum);
}

/// The three buffers a `Local` keeps between runs: cells, counts, the sorted order.
type Buffers = (Vec<(u32, u32)>, Vec<u32>, Vec<u32>);

fn with_local(q: Query<&Position>, mut buffers: Local<Buffers>) {
    let (cells, counts, sorted) = &mut *buffers;
    cells.clear();
    cells.extend(q.iter().enumerate().map(|(i, p)| (cell(p), i as u32)));
    counts.clear();
    counts.resize(CELLS + 1, 0);
    sorted.clear();
    sorted.resize(cells.len(), 0);
    black_box(place(cells, counts, sorted));
}

fn with_vec_new(q: Query<&Position>) {
    let mut cells = Vec::new();
    cells.extend(q.iter().enumerate().map(|(i, p)| (cell(p), i as u32)));
    let mut counts = vec![0u32; CELLS + 1];
    let mut sorted = vec![0u32; cells.len()];
    black_box(place(&cells, &mut counts, &mut sorted));
}

fn app<M>(system: impl IntoScheduleConfigs<bevy_ecs::system::ScheduleSystem, M>) -> App {
    let mut app = App::new();
    app.add_plugins(FrameAllocPlugin::new())
        .add_systems(Update, system);
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut unit = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 40) as f32 / (1u64 << 24) as f32
    };
    let positions: Vec<Position> = (0..ENTITIES).map(|_| Position([unit(), unit()])).collect();
    app.world_mut().spawn_batch(positions).for_each(drop);
    // Warm-up: the scratch arena and the `Local` reach their size.
    for _ in 0..3 {
        app.update();
    }
    app
}

fn group() -> Group {
    let mut scratch = app(with_scratch);
    let mut local = app(with_local);
    let mut fresh = app(with_vec_new);
    Group {
        name: "bevy_scratch".to_owned(),
        title: format!("Bevy system, grid rebuild of {ENTITIES} entities per update"),
        ops: u64::from(ENTITIES),
        cases: vec![
            Case::ours("Scratch::frame", timed(move || scratch.update())),
            Case::peer(
                Peer::Hand,
                "Local<Vec> cleared and reused",
                timed(move || local.update()),
            ),
            Case::peer(
                Peer::System,
                "Vec::new per run",
                timed(move || fresh.update()),
            ),
        ],
    }
}
