// Update-frame memory taken through `Res::into_inner`, which borrows the world for the system
// run only, stored in a resource.
use bevy_ecs::prelude::*;
use framealloc::bevy::UpdateFrame;

#[derive(Resource)]
struct Kept(Option<&'static u64>);

fn keep(update: Res<UpdateFrame>, mut kept: ResMut<Kept>) {
    kept.0 = Some(Res::into_inner(update).frame_alloc(1u64));
}

fn main() {
    let _ = keep;
}
