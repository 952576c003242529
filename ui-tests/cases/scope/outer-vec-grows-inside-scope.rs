// Rule 3: a FrameVec growing from the outer frame cannot be pushed to inside a scope: it
// borrows the outer frame, so the scope does not compile while it lives. Freeze it first.
use framealloc::FrameArena;

fn main() {
    let mut arena = FrameArena::new();
    arena.frame(|mut f| {
        let mut v = f.vec();
        v.push(1u32);
        f.scope(|_g| {
            v.push(2);
        });
    });
}
