// Rule 4: the next frame cannot begin while memory of the current one is still in use.
use framealloc::FrameArena;

fn main() {
    let mut arena = FrameArena::new();
    let mut fg = arena.begin_frame();
    let x = fg.frame().alloc(1u32);
    arena.frame(|_f| {});
    *x += 1;
}
