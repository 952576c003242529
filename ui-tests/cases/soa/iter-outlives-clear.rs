// The views `for x in &container` yields borrow the container: clearing it while one is
// held does not compile.
use framealloc::soa;

#[soa]
struct Particle {
    mass: f32,
}

fn main() {
    let mut soa = ParticleSoa::new();
    soa.push(Particle { mass: 1.0 });
    let mut first = None;
    for p in &soa {
        first = Some(p);
    }
    soa.clear();
    println!("{}", first.unwrap().mass);
}
