// Rule 3: the same for an allocator-api2 collection that uses the outer frame as its allocator.
use allocator_api2::vec::Vec;
use framealloc::FrameArena;

fn main() {
    let mut arena = FrameArena::new();
    arena.frame(|mut f| {
        let mut v = Vec::new_in(&f);
        v.push(1u32);
        f.scope(|_g| {
            v.push(2);
        });
    });
}
