// A frame string cannot be kept past its frame, growing or frozen.
use framealloc::FrameArena;

fn main() {
    let mut arena = FrameArena::new();
    let mut kept = None;
    arena.frame(|f| {
        let s = f.string();
        kept = Some(s);
    });
    drop(kept);
}
