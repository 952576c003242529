// A hot field past the first cache line is an error on that field's name.
use framealloc::FrameLayout;

#[derive(FrameLayout)]
#[repr(C)]
#[frame(hot(pos, vel))]
struct Particle {
    pos: [f32; 3],
    history: [[f32; 3]; 8],
    vel: [f32; 3],
}

fn main() {}
