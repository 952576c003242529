// Rule 2: a frame is not Sync: two threads cannot bump the same arena through `&Frame`.
use framealloc::FrameArena;

fn main() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let f = &f;
        std::thread::scope(|s| {
            s.spawn(move || f.alloc(1u8));
            s.spawn(move || f.alloc(2u8));
        });
    });
}
