// Giving `guard` twice (here across two attributes) points at the repeat.
use framealloc::FrameLayout;

#[derive(FrameLayout)]
#[frame(guard)]
#[frame(max_size = 64, guard)]
struct Packet {
    len: u32,
}

fn main() {}
