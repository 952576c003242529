// `frame_box!` cannot reinterpret a value as a type of the same size: only unsizing
// coercions compile.
use framealloc::{frame_box, FrameArena, FrameBox};

fn main() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let b: FrameBox<'_, u64> = frame_box!(f, [0u8; 8]);
        assert_eq!(*b, 0);
    });
}
