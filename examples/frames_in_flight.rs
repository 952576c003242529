//! Frames in flight: a simulation thread builds frame N's draw lists while a render thread
//! draws frame N - 1's, with the lists passed between them without a copy, and no system
//! allocation on either thread after warm-up (counted by this program's global allocator).
//!
//! `cargo run --release --example frames_in_flight [frames] [entities]`

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Instant;

use framealloc::flight::{Flight, FrameRing};
use framealloc::ArenaConfig;

/// Counts every system allocation of the process.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: forwards to `System`; counting touches only an atomic.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded from the caller.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded from the caller; every block came from `System`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[derive(Clone, Copy, Debug)]
struct Entity {
    pos: [f32; 2],
    vel: [f32; 2],
    mesh: u32,
}

/// One draw call: what the render thread needs, sorted by material then depth.
#[derive(Clone, Copy, Debug)]
struct Draw {
    key: u64,
    mesh: u32,
    pos: [f32; 2],
}

/// What the simulation sends each frame: the draw list and the frame's visible count.
struct FramePacket {
    draws: Flight<[Draw]>,
    visible: Flight<usize>,
}

const WARM_UP: u64 = 10;

/// A one-place mailbox between the two threads. (`std::sync::mpsc` allocates the first time
/// each side blocks, which may happen long after warm-up; this makes no allocation after
/// `new`.)
struct Mailbox<T> {
    state: Mutex<(Option<T>, bool)>,
    changed: Condvar,
}

impl<T> Mailbox<T> {
    fn new() -> Arc<Self> {
        Arc::new(Mailbox {
            state: Mutex::new((None, false)),
            changed: Condvar::new(),
        })
    }

    /// Waits until the mailbox is empty, then puts `item` in it.
    fn send(&self, item: T) {
        let mut state = self.state.lock().unwrap();
        while state.0.is_some() {
            state = self.changed.wait(state).unwrap();
        }
        state.0 = Some(item);
        self.changed.notify_all();
    }

    /// Waits for an item; `None` once the mailbox is closed and empty.
    fn recv(&self) -> Option<T> {
        let mut state = self.state.lock().unwrap();
        loop {
            if let Some(item) = state.0.take() {
                self.changed.notify_all();
                return Some(item);
            }
            if state.1 {
                return None;
            }
            state = self.changed.wait(state).unwrap();
        }
    }

    fn close(&self) {
        self.state.lock().unwrap().1 = true;
        self.changed.notify_all();
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let frames: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(600);
    let entities: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20_000);

    // One packet may wait in the mailbox while the renderer draws the previous one: with
    // three frames in flight the simulation never waits for memory in steady state.
    let mailbox = Mailbox::<FramePacket>::new();
    let from_sim = Arc::clone(&mailbox);
    let render = thread::spawn(move || {
        let mut checksum = 0.0f64;
        let mut drawn = 0usize;
        while let Some(packet) = from_sim.recv() {
            // "Draw": walk the sorted list, as a renderer would record its commands.
            let mut last_mesh = u32::MAX;
            for d in packet.draws.iter() {
                if d.mesh != last_mesh {
                    last_mesh = d.mesh; // a material or mesh change
                }
                checksum += f64::from(d.pos[0] + d.pos[1]);
            }
            drawn += *packet.visible;
        } // the packet's flights drop here: its frame's memory may be recycled
        (drawn, checksum)
    });

    let mut world: Vec<Entity> = (0..entities)
        .map(|i| Entity {
            pos: [(i % 1000) as f32, (i / 1000) as f32],
            vel: [((i * 7) % 13) as f32 - 6.0, ((i * 3) % 11) as f32 - 5.0],
            mesh: (i % 64) as u32,
        })
        .collect();

    let mut ring = FrameRing::with_config(3, || ArenaConfig::new().guards(false));
    let mut after_warm_up = 0;
    let start = Instant::now();
    for frame in 0..frames {
        if frame == WARM_UP {
            after_warm_up = ALLOCATIONS.load(Ordering::Relaxed);
        }
        let sim = ring.begin_frame();
        let f = sim.frame();
        for e in world.iter_mut() {
            e.pos[0] = (e.pos[0] + e.vel[0] * 0.016).rem_euclid(1000.0);
            e.pos[1] = (e.pos[1] + e.vel[1] * 0.016).rem_euclid(1000.0);
        }
        // Frame-only scratch: which entities the camera sees this frame.
        let camera = (frame as f32 * 3.0) % 1000.0;
        let visible = f.alloc_slice_fill_copy(world.len(), false);
        for (v, e) in visible.iter_mut().zip(&world) {
            *v = (e.pos[0] - camera).abs() < 400.0;
        }
        // The draw list, built and sorted in the ring's memory, then published whole.
        let mut draws = f.vec_with_capacity(world.len());
        for (e, _) in world.iter().zip(visible.iter()).filter(|(_, &v)| v) {
            let depth = (e.pos[1] * 64.0) as u64;
            draws.push(Draw {
                key: (u64::from(e.mesh) << 32) | depth,
                mesh: e.mesh,
                pos: e.pos,
            });
        }
        draws.sort_unstable_by_key(|d| d.key);
        let count = draws.len();
        let packet = FramePacket {
            draws: sim.publish_vec(draws),
            visible: sim.publish(count),
        };
        mailbox.send(packet);
    }
    mailbox.close();
    let (drawn, checksum) = render.join().expect("the render thread finished");
    let elapsed = start.elapsed();
    let allocations = ALLOCATIONS.load(Ordering::Relaxed) - after_warm_up;
    println!(
        "{frames} frames of {entities} entities in {:.2?} ({:.1} µs per frame), {drawn} draws rendered (checksum {checksum:.0})",
        elapsed,
        elapsed.as_secs_f64() * 1e6 / frames as f64
    );
    println!(
        "3 frames in flight: {allocations} system allocations after warm-up (frame {WARM_UP} on), on both threads"
    );
    assert_eq!(allocations, 0, "a frame loop allocated after warm-up");
}
