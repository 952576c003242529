// An unknown option names itself and lists the options there are.
use framealloc::soa;

#[soa(align = 64)]
struct Particle {
    pos: [f32; 3],
}

fn main() {}
