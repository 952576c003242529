// What a `FrameHandle` gives out borrows the frame it was read through: even with the handle
// itself outside the frame, the reference cannot leave the frame.
use framealloc::FrameArena;

fn main() {
    let mut arena = FrameArena::new();
    let mut handle = None;
    arena.frame(|f| handle = Some(f.handle(5u32)));
    let handle = handle.unwrap();
    let value: &u32 = arena.frame(|f| handle.get(&f));
    println!("{value}");
}
