// Rule 5: the slice forms refuse element types that need Drop too.
use framealloc::FrameArena;

fn main() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let lists = f.alloc_slice_clone(&[vec![1u8], vec![2]]);
        lists[0].push(3);
    });
}
