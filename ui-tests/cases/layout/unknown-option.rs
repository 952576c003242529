// An unknown option names itself and lists the options there are.
use framealloc::FrameLayout;

#[derive(FrameLayout)]
#[frame(max_bytes = 64)]
struct Particle {
    pos: [f32; 3],
}

fn main() {}
