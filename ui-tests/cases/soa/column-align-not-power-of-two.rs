// `column_align` must be a power of two.
use framealloc::soa;

#[soa(column_align = 48)]
struct Particle {
    pos: [f32; 3],
}

fn main() {}
