// FrameLayout describes structs; a union is a spanned error.
use framealloc::FrameLayout;

#[derive(FrameLayout)]
union Bits {
    f: f32,
    u: u32,
}

fn main() {}
