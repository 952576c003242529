// Rule 5: `alloc` of a type that needs Drop does not compile; the message points to `boxed`.
use framealloc::FrameArena;

fn main() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let name = f.alloc(String::from("leaks"));
        name.push('!');
    });
}
