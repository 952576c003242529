// `no_padding` on a struct with padding says how to remove it.
use framealloc::FrameLayout;

#[derive(FrameLayout)]
#[repr(C)]
#[frame(no_padding)]
struct Command {
    kind: u8,
    mesh: u32,
}

fn main() {}
