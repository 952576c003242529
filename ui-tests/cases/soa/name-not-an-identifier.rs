// Renaming options take an identifier.
use framealloc::soa;

#[soa(soa_name = "Particle Columns")]
struct Particle {
    pos: [f32; 3],
}

fn main() {}
