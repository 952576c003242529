// Rule 4: the arena cannot be reset from inside one of its frames.
use framealloc::FrameArena;

fn main() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let x = f.alloc(1u32);
        arena.reset();
        *x += 1;
    });
}
