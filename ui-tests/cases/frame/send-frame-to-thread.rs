// Rule 2: a frame is not Send: its arena is single-threaded.
use framealloc::FrameArena;

fn main() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        std::thread::scope(|s| {
            s.spawn(move || f.alloc(1u8));
        });
    });
}
