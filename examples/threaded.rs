//! A frame loop across worker threads: every frame, rayon workers update entities in
//! parallel, each allocating scratch memory from its own arena (no locks), under tags and a
//! budget, handing pooled events to whichever thread consumes them. The per-frame statistics
//! table is printed every few frames.
//!
//! `cargo run --release --example threaded [-- frames entities]`

use framealloc::{AllocConfig, SmartAlloc, TagBudget};
use rayon::prelude::*;

#[derive(Clone, Copy, Default)]
struct Body {
    pos: [f32; 2],
    vel: [f32; 2],
}

/// Something a worker noticed, sent to the main thread in a pooled box.
struct Event {
    entity: usize,
    speed: f32,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let frames: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(8);
    let entities: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200_000);

    let alloc = SmartAlloc::with_config(
        AllocConfig::new()
            .frame_budget(Some(64 << 20))
            .tag_budget("physics", TagBudget::soft(8 << 20).and_hard(32 << 20))
            .tag_budget("ai", TagBudget::hard(16 << 20))
            .on_soft_limit(|e| {
                eprintln!(
                    "frame {}: `{}` went past its soft limit of {} bytes",
                    e.frame, e.tag, e.limit
                )
            }),
    );
    let mut bodies: Vec<Body> = (0..entities)
        .map(|i| Body {
            pos: [i as f32, 0.0],
            vel: [1.0, (i % 7) as f32],
        })
        .collect();
    rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("worker-{i}"))
        .build_global()
        .expect("the global pool is built once, here");
    let workers = rayon::current_num_threads();
    println!("{entities} entities, {workers} rayon workers, {frames} frames");

    for frame_no in 0..frames {
        let frame = alloc.begin_frame();
        let (tx, rx) = std::sync::mpsc::channel();
        // Physics: each chunk of bodies gets a scratch copy in its worker's arena.
        bodies
            .par_chunks_mut(4096)
            .enumerate()
            .for_each_with(tx, |tx, (c, chunk)| {
                alloc.with_tag("physics", || {
                    let here = frame.for_current_thread();
                    let scratch = here.alloc_slice_copy(chunk);
                    for b in scratch.iter_mut() {
                        b.vel[1] -= 9.8 / 60.0;
                        b.pos[0] += b.vel[0] / 60.0;
                        b.pos[1] += b.vel[1] / 60.0;
                    }
                    chunk.copy_from_slice(scratch);
                });
                // AI: a few fast entities per chunk become events, boxed in the pool.
                alloc.with_tag("ai", || {
                    let speeds = frame.frame_slice(chunk.len(), 0.0f32);
                    for (s, b) in speeds.iter_mut().zip(chunk.iter()) {
                        *s = (b.vel[0] * b.vel[0] + b.vel[1] * b.vel[1]).sqrt();
                    }
                    for (i, &speed) in speeds.iter().enumerate().filter(|(_, &s)| s > 3.0).take(4) {
                        let event = alloc.pool_box(Event {
                            entity: c * 4096 + i,
                            speed,
                        });
                        tx.send(event)
                            .expect("the main thread receives until the senders are gone");
                    }
                });
            });
        // The main thread consumes the events, freeing their pool blocks on this thread.
        let count = rx.iter().fold((0usize, 0.0f32, 0usize), |(n, m, last), e| {
            (n + 1, m.max(e.speed), last.max(e.entity))
        });
        let (count, fastest, _) = (count.0, count.1, count.2);
        let stats = frame.end();
        if frame_no % 4 == 0 || frame_no + 1 == frames {
            println!("\n{count} events, fastest {fastest:.2}");
            print!("{stats}");
        }
    }
    println!("\n{}", alloc.stats());
    if cfg!(not(feature = "count-allocations")) {
        println!(
            "(allocations through for_current_thread() are counted with \
             `--features count-allocations`; the facade's frame_* calls always are)"
        );
    }
}
