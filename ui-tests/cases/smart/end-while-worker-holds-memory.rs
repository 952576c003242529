// Memory a worker allocated and handed back keeps the frame open.
use framealloc::SmartAlloc;

fn main() {
    let alloc = SmartAlloc::new();
    let frame = alloc.begin_frame();
    let from_worker: &u64 = std::thread::scope(|s| {
        s.spawn(|| &*frame.frame_alloc(7u64)).join().unwrap()
    });
    frame.end();
    println!("{from_worker}");
}
