// Every violated intention of a struct is reported at once, each on its own option.
use framealloc::FrameLayout;

#[derive(FrameLayout)]
#[repr(C)]
#[frame(max_size = 16, hot(late), no_padding, no_drop)]
struct Everything {
    tag: u8,
    bulk: [u64; 10],
    late: u32,
    name: String,
}

fn main() {}
