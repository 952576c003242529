// A drain borrows its container until it is dropped: nothing can be pushed meanwhile (the
// drain still owns the hole it is closing).
use framealloc::soa;

#[soa]
struct Particle {
    pos: [f32; 3],
    mass: f32,
}

fn main() {
    let mut soa = ParticleSoa::new();
    soa.push(Particle { pos: [0.0; 3], mass: 1.0 });
    let mut drained = soa.drain(..);
    soa.push(Particle { pos: [1.0; 3], mass: 2.0 });
    let _ = drained.next();
}
