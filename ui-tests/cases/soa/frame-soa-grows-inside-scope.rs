// A container in the outer frame cannot grow inside a scope (rule 3 of the arena).
use framealloc::{soa, FrameArena};

#[soa]
struct Particle {
    pos: [f32; 3],
}

fn main() {
    let mut arena = FrameArena::new();
    arena.frame(|mut f| {
        let mut soa = ParticleSoa::new_in(&f);
        f.scope(|_g| {
            soa.push(Particle { pos: [0.0; 3] });
        });
    });
}
