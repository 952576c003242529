// Tuple structs name hot fields by index; an index past the last field is an error.
use framealloc::FrameLayout;

#[derive(FrameLayout)]
#[frame(hot(0, 2))]
struct Pair(u32, u32);

fn main() {}
