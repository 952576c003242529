// Flags take no value.
use framealloc::FrameLayout;

#[derive(FrameLayout)]
#[frame(no_padding = true)]
struct Particle {
    pos: [f32; 3],
}

fn main() {}
