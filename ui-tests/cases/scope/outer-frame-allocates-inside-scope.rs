// Rule 3: the outer frame cannot allocate while an inner scope is open (the scope's rewind
// would free it).
use framealloc::FrameArena;

fn main() {
    let mut arena = FrameArena::new();
    arena.frame(|mut f| {
        f.scope(|_g| {
            f.alloc(1u32);
        });
    });
}
