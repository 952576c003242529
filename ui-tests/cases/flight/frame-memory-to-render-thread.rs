// Frames in flight: frame memory cannot be sent to another thread as a plain reference (it
// would outlive the frame); publish it as a Flight instead.
use framealloc::flight::FrameRing;

fn main() {
    let mut ring = FrameRing::new(2);
    let frame = ring.begin_frame();
    let draws = frame.frame().alloc_slice_fill_copy(8, 1u32);
    std::thread::spawn(move || draws.len()).join().unwrap();
}
