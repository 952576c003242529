// A mistake in an option is one error: the container is still generated (the option at its
// default), so code that uses it does not add errors of its own.
use framealloc::soa;

#[soa(column_align = 48)]
struct Particle {
    pos: [f32; 3],
    mass: f32,
}

fn main() {
    let mut ps = ParticleSoa::new();
    ps.push(Particle { pos: [0.0; 3], mass: 1.0 });
    assert_eq!(ps.mass(), &[1.0]);
}
