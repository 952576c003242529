//! What the sampling profiler costs: alloc u64 with no profiler, with one at one sample in
//! 1,000 `u64`s (an interval of 8,000 bytes), and exhaustive, beside bumpalo and the
//! hand-written bump; and, as notes under the table, the record size, the memory each
//! arena's recorder holds and how fast a profile exports.

use std::hint::black_box;
use std::time::Instant;

use framealloc::profile::{Profile, ProfileConfig, ProfileView, Profiler, Record};
use framealloc::{ArenaConfig, FrameArena};

use super::{builder, Builder, FRAME};
use crate::hand::HandBump;
use crate::{note, timed, Case, Group, Peer};

pub(crate) fn groups() -> Vec<Builder> {
    vec![builder("profile_alloc_u64", group)]
}

fn group() -> Group {
    let frame = |arena: &mut FrameArena| {
        arena.frame(|f| {
            for i in 0..FRAME as u64 {
                black_box(f.alloc(black_box(i)));
            }
        })
    };
    let mut cases = Vec::new();
    let mut off = FrameArena::with_config(ArenaConfig::new().guards(false));
    cases.push(Case::ours("profiler off", timed(move || frame(&mut off))));
    for (route, config) in [
        (
            "profiler 1 in 1000",
            ProfileConfig::new().sample_interval(8000),
        ),
        ("profiler exhaustive", ProfileConfig::new().exhaustive()),
    ] {
        let profiler = Profiler::new(config.seed(1));
        let mut arena =
            FrameArena::with_config(ArenaConfig::new().guards(false).profiler(&profiler));
        cases.push(Case::ours(
            route,
            timed(move || {
                frame(&mut arena);
                // What the frame handed over is dropped, so that memory stays flat.
                profiler.clear();
            }),
        ));
    }
    let mut bump = bumpalo::Bump::with_capacity(FRAME * 8 + 64);
    cases.push(Case::peer(
        Peer::Bumpalo,
        "Bump::alloc, reset",
        timed(move || {
            for i in 0..FRAME as u64 {
                black_box(bump.alloc(black_box(i)));
            }
            bump.reset();
        }),
    ));
    let mut hand = HandBump::new(FRAME * 8 + 64);
    cases.push(Case::peer(
        Peer::Hand,
        "pointer bump",
        timed(move || {
            for i in 0..FRAME as u64 {
                black_box(hand.alloc(black_box(i)));
            }
            hand.reset();
        }),
    ));
    notes();
    Group {
        name: "profile_alloc_u64".to_owned(),
        title: "alloc u64, profiled".to_owned(),
        ops: FRAME as u64,
        cases,
    }
}

/// The record size, a recorder's memory, and export speed, as notes under the table.
fn notes() {
    let config = ProfileConfig::new();
    note(format!(
        "profiler: a record is {} bytes; each arena's recorder holds {} KiB (a buffer of {} \
         records, {} KiB, and its caches of names)",
        Record::SIZE,
        config.recorder_bytes() / 1024,
        ProfileConfig::DEFAULT_BUFFER_RECORDS,
        ProfileConfig::DEFAULT_BUFFER_RECORDS * Record::SIZE / 1024,
    ));
    let profile = exhaustive_profile(200);
    let n = profile.records().len() as f64;
    let rate = |f: &mut dyn FnMut()| {
        let start = Instant::now();
        let mut runs = 0;
        while runs < 3 || start.elapsed().as_millis() < 300 {
            f();
            runs += 1;
        }
        n * runs as f64 / start.elapsed().as_secs_f64()
    };
    let bytes = profile.to_bytes();
    let write = rate(&mut || drop(black_box(profile.to_bytes())));
    let read = rate(&mut || {
        let view = ProfileView::parse(black_box(&bytes)).expect("the export reads back");
        black_box(view.records().map(|r| r.size()).sum::<u64>());
    });
    let trace = rate(&mut || drop(black_box(profile.to_chrome_trace())));
    note(format!(
        "profiler exports ({} records): binary {:.0} M records/s written, {:.0} M records/s \
         read back in place; Chrome trace JSON {:.1} M records/s",
        profile.records().len(),
        write / 1e6,
        read / 1e6,
        trace / 1e6
    ));
}

/// A profile of `frames` frames of `FRAME` allocations each, every one recorded.
fn exhaustive_profile(frames: usize) -> Profile {
    let profiler = Profiler::new(ProfileConfig::new().exhaustive());
    let mut arena = FrameArena::with_config(ArenaConfig::new().guards(false).profiler(&profiler));
    for _ in 0..frames {
        arena.frame(|f| {
            for i in 0..FRAME as u64 {
                black_box(f.alloc(i));
            }
        });
    }
    drop(arena);
    profiler.snapshot()
}
