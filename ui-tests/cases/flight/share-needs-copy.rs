// Frames in flight: a FlightRef's value is never dropped (the frame's memory is recycled
// wholesale), so only `Copy` values can be shared; an owned value is published as a Flight.
use framealloc::flight::FrameRing;

fn main() {
    let mut ring = FrameRing::new(2);
    let frame = ring.begin_frame();
    let _names = frame.share(String::from("player"));
}
