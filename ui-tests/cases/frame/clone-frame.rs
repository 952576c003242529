// Rule 2: a frame cannot be cloned (a copy could allocate inside the original's scope).
use framealloc::FrameArena;

fn main() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let copy = f.clone();
        copy.alloc(1u8);
    });
}
