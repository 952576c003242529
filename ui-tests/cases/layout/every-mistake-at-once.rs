// Every mistake in the options is reported at once, each on its own token.
use framealloc::FrameLayout;

#[derive(FrameLayout)]
#[frame(align = 6, hot(missing), colour = "red", cache_line = 48)]
struct Particle {
    pos: [f32; 3],
}

fn main() {}
