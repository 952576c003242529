// `align` must be a power of two.
use framealloc::FrameLayout;

#[derive(FrameLayout)]
#[frame(align = 3)]
struct Particle {
    pos: [f32; 3],
}

fn main() {}
