// Frames in flight: memory a FlightFrame's frame hands out is this frame's only; it cannot be
// used once the ring begins the next frame (publish it to keep it for N frames).
use framealloc::flight::FrameRing;

fn main() {
    let mut ring = FrameRing::new(3);
    let first = ring.begin_frame();
    let positions = first.frame().alloc_slice_fill_copy(16, 0.0f32);
    drop(first);
    let _next = ring.begin_frame();
    positions[0] += 1.0;
}
