// `cache_aligned` on a struct aligned to less than a cache line says which repr to add.
use framealloc::FrameLayout;

#[derive(FrameLayout)]
#[frame(cache_aligned)]
struct Transform {
    rotation: [f32; 4],
    translation: [f32; 3],
}

fn main() {}
