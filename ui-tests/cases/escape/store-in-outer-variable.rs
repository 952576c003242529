// Rule 1: an allocation cannot be stored in a variable that outlives the frame.
use framealloc::FrameArena;

fn main() {
    let mut arena = FrameArena::new();
    let mut kept: Option<&mut u32> = None;
    arena.frame(|f| {
        kept = Some(f.alloc(1u32));
    });
    println!("{kept:?}");
}
