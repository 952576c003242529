// `crate` takes a path as a string.
use framealloc::FrameLayout;

#[derive(FrameLayout)]
#[frame(crate = "not a path")]
struct Particle {
    pos: [f32; 3],
}

fn main() {}
