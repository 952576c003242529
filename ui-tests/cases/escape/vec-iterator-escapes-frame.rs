// Iterating a frame vector by value keeps the frame borrowed: the iterator cannot outlive it.
use framealloc::{frame_vec, FrameArena};

fn main() {
    let mut arena = FrameArena::new();
    let mut kept = None;
    arena.frame(|f| {
        kept = Some(frame_vec![in &f; 1, 2, 3].into_iter());
    });
    drop(kept);
}
