// Frames in flight: a reference into a Flight cannot outlive the Flight, whose drop lets the
// ring recycle the frame's memory.
use framealloc::flight::FrameRing;

fn main() {
    let mut ring = FrameRing::new(2);
    let list = ring.begin_frame().publish_iter(0..4u32);
    let first: &u32 = &list[0];
    drop(list);
    println!("{first}");
}
