// Scratch memory kept in a `Local`, to read in the next run: its memory is released when the
// closure returns, and a `Local` holds only `'static` data.
use bevy_ecs::prelude::*;
use framealloc::bevy::Scratch;

fn keep(mut scratch: Scratch, mut kept: Local<Option<&'static u32>>) {
    scratch.frame(|f| {
        *kept = Some(f.alloc(1u32));
    });
}

fn main() {
    let _ = keep;
}
