// Rule 3: the inner frame itself cannot be smuggled out of its scope and used after the rewind.
use framealloc::{Frame, FrameArena};

fn main() {
    let mut arena = FrameArena::new();
    arena.frame(|mut f| {
        let mut smuggled: Option<Frame<'_>> = None;
        f.scope(|g| smuggled = Some(g));
        smuggled.unwrap().alloc(1u8);
    });
}
