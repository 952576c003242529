// Update-frame memory kept in a `Local` past the system run (the next update would reuse it):
// it borrows the `Scratch` parameter.
use bevy_ecs::prelude::*;
use framealloc::bevy::Scratch;

fn keep(scratch: Scratch, mut kept: Local<Option<&'static u64>>) {
    *kept = Some(scratch.update().frame_alloc(1u64));
}

fn main() {
    let _ = keep;
}
