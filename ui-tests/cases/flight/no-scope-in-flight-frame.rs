// Frames in flight: a FlightFrame lends its frame shared only, so no scope (whose memory is
// released when it ends) can be opened in it, and nothing published can sit in released
// memory. Scratch work that wants scopes uses a FrameArena of its own.
use framealloc::flight::FrameRing;

fn main() {
    let mut ring = FrameRing::new(2);
    let frame = ring.begin_frame();
    frame.frame().scope(|inner| {
        inner.alloc(1u32);
    });
}
