// Rule 1: an allocation cannot be returned out of the scope that rewinds it.
use framealloc::FrameArena;

fn main() {
    let mut arena = FrameArena::new();
    arena.frame(|mut f| {
        let inner = f.scope(|g| g.alloc_slice_fill_copy(4, 0u8));
        inner[0] = 1;
    });
}
