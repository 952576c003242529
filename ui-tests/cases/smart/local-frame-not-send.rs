// A thread's part of the frame stays on its thread.
use framealloc::SmartAlloc;

fn main() {
    let alloc = SmartAlloc::new();
    let frame = alloc.begin_frame();
    let here = frame.for_current_thread();
    std::thread::scope(|s| {
        s.spawn(move || {
            here.alloc(1u8);
        });
    });
}
