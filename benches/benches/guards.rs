//! What debug guards cost: framealloc with guards off and on, beside the hand-written bump,
//! on the two operations the guard design must leave untouched when off (one small value,
//! one batch).
//!
//! Run it twice: `cargo bench -p framealloc-benches --bench guards` (a release build: the
//! guard code is compiled out, so only the "off" cases run), and with `--features guards`
//! (the guard code compiled in: "off" is then the runtime switch, "on" the full cost).

mod common;

use common::{
    configure, frame_of_batches, frame_of_u64, hand_frame_of_batches, hand_frame_of_u64, HandBump,
};
use criterion::{criterion_group, criterion_main, Criterion};
use framealloc::guard::COMPILED_IN;
use framealloc::{ArenaConfig, FrameArena};

/// Allocations per frame.
const FRAME: usize = 10_000;
/// Batches per frame, and elements per batch.
const BATCHES: usize = 10;
const BATCH: usize = 1000;

fn arena(guards: bool) -> FrameArena {
    FrameArena::with_config(ArenaConfig::new().guards(guards))
}

/// The framealloc cases that apply to this build: guards off, and on when compiled in.
fn modes() -> &'static [(&'static str, bool)] {
    if COMPILED_IN {
        &[
            ("framealloc_guards_off", false),
            ("framealloc_guards_on", true),
        ]
    } else {
        &[("framealloc_guards_off", false)]
    }
}

fn alloc_u64(c: &mut Criterion) {
    let mut g = configure(c, "guards_alloc_u64", FRAME);
    for &(name, guards) in modes() {
        let mut arena = arena(guards);
        g.bench_function(name, |b| b.iter(|| frame_of_u64(&mut arena, FRAME)));
    }
    let mut hand = HandBump::new(FRAME * 8);
    g.bench_function("hand_bump", |b| {
        b.iter(|| hand_frame_of_u64(&mut hand, FRAME))
    });
    g.finish();
}

fn batch_1000_u64(c: &mut Criterion) {
    let mut g = configure(c, "guards_batch_1000_u64", BATCHES * BATCH);
    for &(name, guards) in modes() {
        let mut arena = arena(guards);
        g.bench_function(name, |b| {
            b.iter(|| frame_of_batches(&mut arena, BATCHES, BATCH))
        });
    }
    let mut hand = HandBump::new(BATCHES * BATCH * 8);
    g.bench_function("hand_bump", |b| {
        b.iter(|| hand_frame_of_batches(&mut hand, BATCHES, BATCH))
    });
    g.finish();
}

criterion_group!(benches, alloc_u64, batch_1000_u64);
criterion_main!(benches);
