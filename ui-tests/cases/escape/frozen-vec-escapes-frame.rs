// Rule 1: a FrameVec frozen into a slice still lives only as long as its frame.
use framealloc::FrameArena;

fn main() {
    let mut arena = FrameArena::new();
    let slice = arena.frame(|f| {
        let mut v = f.vec();
        v.push(1u32);
        v.into_slice()
    });
    println!("{slice:?}");
}
