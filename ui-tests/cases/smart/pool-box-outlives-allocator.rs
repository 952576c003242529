// A pool box cannot outlive the allocator its block goes back to.
use framealloc::SmartAlloc;

fn main() {
    let boxed = {
        let alloc = SmartAlloc::new();
        alloc.pool_box(5u32)
    };
    println!("{}", *boxed);
}
