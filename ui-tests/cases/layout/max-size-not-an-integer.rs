// `max_size` takes a number of bytes.
use framealloc::FrameLayout;

#[derive(FrameLayout)]
#[frame(max_size = "one cache line")]
struct Particle {
    pos: [f32; 3],
}

fn main() {}
