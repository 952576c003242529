// A struct larger than its `max_size` fails to compile, pointing at the option.
use framealloc::FrameLayout;

#[derive(FrameLayout)]
#[frame(max_size = 64)]
struct Particle {
    pos: [f32; 3],
    vel: [f32; 3],
    history: [[f32; 3]; 8],
}

fn main() {}
