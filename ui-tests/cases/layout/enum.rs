// FrameLayout describes structs; an enum is a spanned error that says what to do instead.
use framealloc::FrameLayout;

#[derive(FrameLayout)]
enum Shape {
    Circle(f32),
    Square(f32),
}

fn main() {}
