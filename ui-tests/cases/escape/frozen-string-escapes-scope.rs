// A string frozen in a scope lives for the scope, not the frame around it.
use framealloc::{frame_format, FrameArena};

fn main() {
    let mut arena = FrameArena::new();
    arena.frame(|mut f| {
        let label: &mut str = f.scope(|g| frame_format!(in &g, "{}", 1).into_str());
        label.make_ascii_uppercase();
    });
}
