// A hot field that does not exist is an error on its name, listing the fields there are.
use framealloc::FrameLayout;

#[derive(FrameLayout)]
#[frame(hot(pos, velocity))]
struct Particle {
    pos: [f32; 3],
    vel: [f32; 3],
}

fn main() {}
