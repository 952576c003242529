// A guarded type that needs Drop is refused like any other frame allocation of one.
use framealloc::{FrameArena, FrameLayout};

#[derive(FrameLayout)]
#[frame(guard)]
struct Named {
    name: String,
}

fn main() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        f.alloc_guarded(Named { name: String::new() });
    });
}
