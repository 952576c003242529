// Rule 1: frame memory may point at what outlives the frame, never at a local that dies
// before the frame ends.
use framealloc::FrameArena;

fn main() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let slot = {
            let short_lived = 5u32;
            f.alloc(&short_lived)
        };
        println!("{slot}");
    });
}
