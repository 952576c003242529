//! Profiling a game loop: a `SmartAlloc` with the sampling profiler attached runs frames of
//! tagged work on the main thread and two worker threads (scratch vectors, draw lists, a
//! spike every 60 frames, pooled events, and a pooled cache that leaks a block now and then),
//! then prints the hot sites and the leak report and writes three files:
//!
//! - `target/profile/report.html`: the self-contained HTML report (open it in a browser);
//! - `target/profile/trace.json`: a Chrome trace (open it at <https://ui.perfetto.dev> or in
//!   `chrome://tracing`);
//! - `target/profile/profile.fap`: the binary export, read back here to check it.
//!
//! `cargo run --release --example profile [-- frames [interval-bytes]]`

use std::time::Instant;

use framealloc::profile::{ProfileConfig, ProfileView, Profiler, Record};
use framealloc::{AllocConfig, SmartAlloc, SmartFrame};

#[derive(Clone, Copy, Default)]
struct Particle {
    pos: [f32; 3],
    vel: [f32; 3],
}

struct DrawCall {
    mesh: u32,
    depth: f32,
}

fn physics(alloc: &SmartAlloc, frame: &SmartFrame<'_>, particles: &mut [Particle], n: u64) {
    alloc.with_tag("physics", || {
        // A broad-phase grid rebuilt every frame.
        let here = frame.for_current_thread();
        let mut cells = here.frame_vec_with_capacity::<u32>(particles.len());
        for (i, p) in particles.iter_mut().enumerate() {
            p.pos[0] += p.vel[0] * 0.016;
            cells.push((p.pos[0] as u32 ^ i as u32) & 1023);
        }
        alloc.with_tag("contacts", || {
            let mut contacts = here.frame_vec::<(u32, u32)>();
            for w in cells.windows(2).filter(|w| w[0] == w[1]) {
                contacts.push((w[0], w[1]));
            }
            // A spike: every 60 frames a big explosion needs a lot of scratch.
            if n % 60 == 59 {
                let debris = here.alloc_slice_fill_copy(80_000, Particle::default());
                debris[0].vel[1] = contacts.len() as f32;
            }
        });
    });
}

fn render(alloc: &SmartAlloc, frame: &SmartFrame<'_>, particles: &[Particle]) -> usize {
    alloc.with_tag("render", || {
        let here = frame.for_current_thread();
        let mut draws = here.frame_vec::<DrawCall>();
        for (i, p) in particles.iter().enumerate().step_by(16) {
            draws.push(DrawCall {
                mesh: (i % 32) as u32,
                depth: p.pos[2],
            });
        }
        draws.sort_unstable_by(|a, b| a.depth.total_cmp(&b.depth).then(a.mesh.cmp(&b.mesh)));
        let label = framealloc::frame_format!(in &here, "{} draw calls", draws.len());
        label.len() + draws.len()
    })
}

fn ai(alloc: &SmartAlloc, frame: &SmartFrame<'_>, agents: usize, n: u64) -> u64 {
    alloc.with_tag("ai", || {
        let here = frame.for_current_thread();
        let mut total = 0;
        for a in 0..agents {
            // Each agent plans with a small path buffer.
            let path = here.alloc_slice_fill_copy(8 + (a + n as usize) % 24, a as u32);
            total += u64::from(path[path.len() - 1]);
        }
        total
    })
}

fn main() {
    let mut args = std::env::args().skip(1);
    let frames: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(300);
    let interval: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(ProfileConfig::DEFAULT_INTERVAL);

    let profiler = Profiler::new(ProfileConfig::new().sample_interval(interval));
    let alloc = SmartAlloc::with_config(
        AllocConfig::new()
            .frame_budget(Some(6 << 20))
            .profiler(&profiler),
    );
    let mut particles = vec![Particle::default(); 50_000];
    for (i, p) in particles.iter_mut().enumerate() {
        p.vel = [(i % 13) as f32, 1.0, (i % 5) as f32];
        p.pos[2] = (i % 97) as f32;
    }
    let mut cache = Vec::new();
    let mut check = 0u64;
    let start = Instant::now();
    for n in 0..frames {
        let frame = alloc.begin_frame();
        std::thread::scope(|s| {
            let (left, right) = particles.split_at_mut(25_000);
            let frame = &frame;
            let alloc = &alloc;
            let workers: Vec<_> = [left, right]
                .into_iter()
                .enumerate()
                .map(|(w, part)| {
                    std::thread::Builder::new()
                        .name(format!("worker-{w}"))
                        .spawn_scoped(s, move || physics(alloc, frame, part, n))
                        .expect("a worker thread")
                })
                .collect();
            // Joined: a worker's records reach the profiler as its thread exits.
            for w in workers {
                w.join().expect("a worker");
            }
        });
        check += render(&alloc, &frame, &particles) as u64;
        check += ai(&alloc, &frame, 2000, n);
        // Pooled events, freed within the frame; a cache that keeps every 50th entry.
        alloc.with_tag("events", || {
            for e in 0..64u64 {
                let event = alloc.pool_box([e; 4]);
                check += event[0];
            }
            let entry = alloc.pool_box((n, [0u8; 40]));
            if n % 50 == 0 {
                cache.push(entry);
            }
        });
        frame.end();
    }
    let elapsed = start.elapsed();
    // The cache is still alive: its blocks are what the leak report should find.
    let profile = profiler.snapshot();

    println!(
        "{frames} frames in {:.1} ms; {} records of {} bytes (sampling one per {interval} bytes); check {check}",
        elapsed.as_secs_f64() * 1e3,
        profile.records().len(),
        Record::SIZE,
    );
    println!("\nhot sites by bytes (estimated):");
    for s in profile.hot_sites_by_bytes(6) {
        println!(
            "  {:>12} bytes {:>10} requests  {}",
            s.bytes,
            s.requests,
            s.site.to_display()
        );
    }
    println!("\nhot sites by requests (estimated):");
    for s in profile.hot_sites_by_count(4) {
        println!("  {:>10} requests  {}", s.requests, s.site.to_display());
    }
    let frames_seen = profile.frames();
    let spikes: Vec<u32> = frames_seen
        .iter()
        .filter(|f| f.spike)
        .map(|f| f.frame)
        .collect();
    println!("\nspike frames: {spikes:?}");
    let leaks = profile.leaks(100);
    println!("pool blocks alive 100 frames or more: {}", leaks.len());
    for l in leaks.iter().take(3) {
        println!(
            "  {} bytes from frame {} ({} frames old) at {}",
            l.size,
            l.frame,
            l.age,
            l.site.to_display()
        );
    }
    drop(cache);

    let dir = std::path::Path::new("target/profile");
    std::fs::create_dir_all(dir).expect("target/profile can be made");
    let html = profile.to_html_with_leak_age(100);
    std::fs::write(dir.join("report.html"), &html).expect("report.html is written");
    std::fs::write(dir.join("trace.json"), profile.to_chrome_trace()).expect("trace.json");
    let bytes = profile.to_bytes();
    std::fs::write(dir.join("profile.fap"), &bytes).expect("profile.fap is written");
    let view = ProfileView::parse(&bytes).expect("the export reads back");
    assert_eq!(view.len(), profile.records().len());
    println!(
        "\nwrote {0}/report.html ({1} KiB), {0}/trace.json and {0}/profile.fap ({2} KiB)",
        dir.display(),
        html.len() / 1024,
        bytes.len() / 1024
    );
}
