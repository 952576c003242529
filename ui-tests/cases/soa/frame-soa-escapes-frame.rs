// A container in a frame cannot outlive the frame.
use framealloc::{soa, FrameArena};

#[soa]
struct Particle {
    pos: [f32; 3],
}

fn main() {
    let mut arena = FrameArena::new();
    let kept = arena.frame(|f| {
        let mut soa = ParticleSoa::new_in(&f);
        soa.push(Particle { pos: [0.0; 3] });
        soa
    });
    println!("{}", kept.len());
}
