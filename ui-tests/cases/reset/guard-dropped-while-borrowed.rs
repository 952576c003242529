// Rule 4: a begin_frame guard cannot be dropped (resetting the arena) while its memory is used.
use framealloc::FrameArena;

fn main() {
    let mut arena = FrameArena::new();
    let mut fg = arena.begin_frame();
    let x = fg.frame().alloc(1u32);
    drop(fg);
    *x += 1;
}
