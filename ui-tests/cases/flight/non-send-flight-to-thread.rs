// Frames in flight: a Flight is Send only when its value is.
use framealloc::flight::FrameRing;
use std::rc::Rc;

fn to_render_thread<T: Send>(_: T) {}

fn main() {
    let mut ring = FrameRing::new(2);
    let shared = ring.begin_frame().publish(Rc::new(5u32));
    to_render_thread(shared);
}
