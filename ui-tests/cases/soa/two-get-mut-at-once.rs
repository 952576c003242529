// Two mutable views of elements at once do not compile (they could be the same element).
use framealloc::soa;

#[soa]
struct Particle {
    pos: [f32; 3],
    mass: f32,
}

fn main() {
    let mut soa = ParticleSoa::new();
    soa.push(Particle { pos: [0.0; 3], mass: 1.0 });
    soa.push(Particle { pos: [1.0; 3], mass: 2.0 });
    let a = soa.get_mut(0).unwrap();
    let b = soa.get_mut(1).unwrap();
    *a.mass += *b.mass;
}
