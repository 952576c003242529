// The guarded allocation methods take only types marked `#[frame(guard)]`; the error says
// where to add it.
use framealloc::{FrameArena, FrameLayout};

#[derive(FrameLayout, Clone, Copy)]
struct Plain {
    len: u32,
}

fn main() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        f.alloc_guarded(Plain { len: 0 });
    });
}
