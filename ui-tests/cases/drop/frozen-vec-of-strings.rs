// Rule 5: freezing a FrameVec into a plain slice would skip its elements' Drop.
use framealloc::FrameArena;

fn main() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let mut v = f.vec();
        v.push(String::from("a"));
        let frozen: &mut [String] = v.into_slice();
        frozen[0].push('b');
    });
}
