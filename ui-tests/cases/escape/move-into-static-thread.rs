// Rule 1: an allocation cannot be sent to a thread that may outlive the frame.
use framealloc::FrameArena;

fn main() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let counter = f.alloc(1u32);
        std::thread::spawn(move || *counter += 1);
    });
}
