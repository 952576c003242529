// `align = 16` on a 4-byte-aligned struct says which repr to add.
use framealloc::FrameLayout;

#[derive(FrameLayout)]
#[frame(align = 16)]
struct Vec4 {
    xyzw: [f32; 4],
}

fn main() {}
