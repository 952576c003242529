// Rule 2: a frame is not Copy: moving it away leaves nothing behind to allocate from.
use framealloc::FrameArena;

fn main() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let moved = f;
        moved.alloc(1u8);
        f.alloc(2u8);
    });
}
