// `hot()` must name at least one field.
use framealloc::FrameLayout;

#[derive(FrameLayout)]
#[frame(hot())]
struct Particle {
    pos: [f32; 3],
}

fn main() {}
