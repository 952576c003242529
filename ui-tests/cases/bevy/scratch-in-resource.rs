// Scratch memory pushed into a resource, for another system to read.
use bevy_ecs::prelude::*;
use framealloc::bevy::Scratch;

#[derive(Resource)]
struct Kept(Vec<&'static [u32]>);

fn keep(mut scratch: Scratch, mut kept: ResMut<Kept>) {
    scratch.frame(|f| {
        kept.0.push(f.alloc_slice_fill_copy(4, 0u32));
    });
}

fn main() {
    let _ = keep;
}
