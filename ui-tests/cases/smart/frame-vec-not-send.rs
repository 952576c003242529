// A vector of the allocator's frame grows in the arena of the thread that made it, so it
// cannot move to another thread.
use framealloc::SmartAlloc;

fn main() {
    let alloc = SmartAlloc::new();
    let frame = alloc.begin_frame();
    let mut xs = frame.frame_vec::<u32>();
    xs.push(1);
    std::thread::scope(|s| {
        s.spawn(move || xs.push(2));
    });
}
