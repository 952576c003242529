// Rule 1: an allocation cannot be returned out of its frame.
use framealloc::FrameArena;

fn main() {
    let mut arena = FrameArena::new();
    let leaked = arena.frame(|f| f.alloc(1u32));
    println!("{leaked}");
}
