// A column slice cannot be held across a push (growing may move every column).
use framealloc::soa;

#[soa]
struct Particle {
    pos: [f32; 3],
    mass: f32,
}

fn main() {
    let mut soa = ParticleSoa::new();
    soa.push(Particle { pos: [0.0; 3], mass: 1.0 });
    let masses = soa.mass();
    soa.push(Particle { pos: [1.0; 3], mass: 2.0 });
    println!("{}", masses[0]);
}
