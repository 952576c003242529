// The lookup-free handle belongs to the thread that made it.
use framealloc::SmartAlloc;

fn main() {
    let alloc = SmartAlloc::new();
    let here = alloc.for_current_thread();
    std::thread::scope(|s| {
        s.spawn(move || here.pool_box(1u8));
    });
}
