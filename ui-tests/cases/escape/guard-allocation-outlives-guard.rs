// Rule 1 (guard form): an allocation from a `begin_frame` guard cannot outlive the guard.
use framealloc::FrameArena;

fn main() {
    let mut arena = FrameArena::new();
    let kept = {
        let mut fg = arena.begin_frame();
        fg.frame().alloc(7u64)
    };
    println!("{kept}");
}
