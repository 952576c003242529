// An option given twice is an error on the second one.
use framealloc::FrameLayout;

#[derive(FrameLayout)]
#[frame(max_size = 64)]
#[frame(max_size = 32)]
struct Particle {
    pos: [f32; 3],
}

fn main() {}
