// What `split_off` returns lives in the same frame as the container it came from, so it
// cannot leave the frame either.
use framealloc::{soa, FrameArena};

#[soa]
struct Particle {
    mass: f32,
}

fn main() {
    let mut arena = FrameArena::new();
    let tail = arena.frame(|f| {
        let mut soa = ParticleSoa::new_in(&f);
        soa.push(Particle { mass: 1.0 });
        soa.push(Particle { mass: 2.0 });
        soa.split_off(1)
    });
    println!("{}", tail.len());
}
