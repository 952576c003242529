// For a generic struct the checks run per instantiation: this one is fine for `u8` and
// too large for `[u8; 100]`, which fails where its layout is used.
use framealloc::layout::{report, FrameLayout};

#[derive(FrameLayout)]
#[frame(max_size = 16)]
struct Slot<T> {
    id: u32,
    value: T,
}

fn main() {
    let _ = report::<Slot<u8>>();
    let _ = report::<Slot<[u8; 100]>>();
}
