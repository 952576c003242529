// Frames in flight: a reference read through a pin cannot outlive the pin, whose drop lets
// the ring recycle the frame.
use framealloc::flight::FrameRing;

fn main() {
    let mut ring = FrameRing::new(2);
    let shared = ring.begin_frame().share([1u32, 2, 3]);
    let first: &u32 = {
        let pinned = shared.pin().unwrap();
        &pinned[0]
    };
    println!("{first}");
}
