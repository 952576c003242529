// A vector of the allocator's frame cannot outlive the frame.
use framealloc::SmartAlloc;

fn main() {
    let alloc = SmartAlloc::new();
    let frame = alloc.begin_frame();
    let mut xs = frame.frame_vec();
    xs.push(1u32);
    frame.end();
    xs.push(2);
}
