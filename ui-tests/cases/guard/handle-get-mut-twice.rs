// `get_mut` borrows the handle mutably: two live `&mut` to one value do not compile.
use framealloc::FrameArena;

fn main() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let mut h = f.handle([0u32; 4]);
        let a = h.get_mut(&f);
        let b = h.get_mut(&f);
        a[0] = b[0];
    });
}
