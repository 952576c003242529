// Rule 3 (guard form): a guard hands out one frame at a time, so a second frame cannot
// allocate inside the first one's scope.
use framealloc::FrameArena;

fn main() {
    let mut arena = FrameArena::new();
    let mut fg = arena.begin_frame();
    let mut first = fg.frame();
    let second = fg.frame();
    first.scope(|_g| {
        second.alloc(1u8);
    });
}
