// frame_alloc never skips a destructor: a type that needs Drop goes in frame_box.
use framealloc::SmartAlloc;

fn main() {
    let alloc = SmartAlloc::new();
    let frame = alloc.begin_frame();
    frame.frame_alloc(String::from("leaks"));
}
