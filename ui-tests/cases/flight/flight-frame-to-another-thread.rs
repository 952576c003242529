// Frames in flight: the frame itself stays on the thread that began it (its arena is not
// thread-safe); other threads get Flights.
use framealloc::flight::FrameRing;

fn main() {
    let mut ring = FrameRing::new(2);
    let frame = ring.begin_frame();
    std::thread::scope(|s| {
        s.spawn(|| frame.publish(1u8));
    });
}
