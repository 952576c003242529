//! A counting global allocator: after its first frames, a frame loop with varied sizes
//! makes zero calls to the system allocator.

use framealloc::FrameArena;

#[path = "support/counting.rs"]
mod counting;
use counting::allocations;

/// xorshift64*: deterministic sizes without a dependency that might allocate.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n) as usize
    }
}

#[derive(Clone, Copy, Default)]
struct Particle {
    pos: [f32; 3],
    vel: [f32; 3],
}

#[test]
fn frame_loop_makes_no_system_allocations_after_warm_up() {
    // Under Miri every byte a frame touches (and, with guards, poisons) is slow to interpret:
    // fewer and smaller frames, the same loop.
    let (frames, warm_up) = if cfg!(miri) { (12, 3) } else { (1000, 8) };
    let scale = |native: u64, miri: u64| if cfg!(miri) { miri } else { native };
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut arena = FrameArena::new();
    assert_eq!(arena.guards_enabled(), framealloc::guard::COMPILED_IN);
    let mut after_warm_up = 0;
    for frame in 0..frames {
        if frame == warm_up {
            after_warm_up = allocations();
        }
        // Warm-up frames are the largest the loop makes (every random size at its maximum),
        // so later frames fit in what they left; with debug guards on (the default in tests)
        // a frame's size depends on more than its allocations, so a random warm-up might
        // not reach the largest frame.
        let largest = frame < warm_up;
        let mut pick = |n: u64| {
            if largest {
                n as usize - 1
            } else {
                rng.below(n)
            }
        };
        arena.frame(|mut f| {
            let n = 100 + pick(if cfg!(miri) { 200 } else { 20_000 });
            let ps = f.alloc_slice_fill_with(n, |i| Particle {
                pos: [i as f32; 3],
                vel: [1.0; 3],
            });
            for p in ps.iter_mut() {
                p.pos[0] += p.vel[0];
            }
            for _ in 0..pick(scale(50, 10)) {
                let len = pick(scale(4096, 512));
                f.alloc_slice_fill_copy(len, 0u8);
                f.alloc(pick(1000) as u64);
            }
            let mut v = f.vec();
            for i in 0..pick(scale(5000, 500)) {
                v.push(i);
            }
            let frozen = v.into_slice();
            f.scope(|g| {
                let tmp = g.alloc_slice_copy(frozen);
                let boxed = g.boxed(String::new()); // an empty String does not allocate
                assert!(boxed.is_empty() && tmp.len() == frozen.len());
            });
        });
    }
    // The counter works: warm-up took chunks from the system allocator.
    assert!(after_warm_up > 0);
    let during_loop = allocations() - after_warm_up;
    assert_eq!(
        during_loop, 0,
        "system allocations after warm-up: {during_loop}"
    );
    assert!(arena.stats().capacity > 0);
}
