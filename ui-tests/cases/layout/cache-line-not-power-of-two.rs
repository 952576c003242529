// `cache_line` must be a power of two.
use framealloc::FrameLayout;

#[derive(FrameLayout)]
#[frame(cache_line = 100)]
struct Particle {
    pos: [f32; 3],
}

fn main() {}
