// The function behind `frame_box!` only accepts a coercion of the value it hands out: a
// closure cannot return a reference to anything else, because nothing else has its type.
use framealloc::{FrameArena, FrameBox};

fn main() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let mut other = 5u32;
        let b = f.boxed(1u32);
        let stolen: FrameBox<'_, u32> = FrameBox::__coerce(b, |_| &mut other);
        drop(stolen);
    });
}
