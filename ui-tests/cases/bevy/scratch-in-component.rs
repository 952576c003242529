// Scratch memory in a component of a spawned entity.
use bevy_ecs::prelude::*;
use framealloc::bevy::Scratch;

#[derive(Component)]
struct Path(&'static [u32]);

fn spawn(mut scratch: Scratch, mut commands: Commands) {
    scratch.frame(|f| {
        commands.spawn(Path(f.alloc_slice_fill_copy(4, 0u32)));
    });
}

fn main() {
    let _ = spawn;
}
