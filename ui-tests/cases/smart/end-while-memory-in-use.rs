// The allocator's frame cannot end while memory allocated in it is still used.
use framealloc::SmartAlloc;

fn main() {
    let alloc = SmartAlloc::new();
    let frame = alloc.begin_frame();
    let x = frame.frame_alloc(1u32);
    drop(frame);
    *x += 1;
}
