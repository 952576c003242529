// `guard` is a flag: a value is a spanned error that says how to write it.
use framealloc::FrameLayout;

#[derive(FrameLayout)]
#[frame(guard = true)]
struct Packet {
    len: u32,
}

fn main() {}
