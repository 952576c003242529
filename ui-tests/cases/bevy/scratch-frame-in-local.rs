// The scratch frame itself kept in a `Local`, to allocate from after the run.
use bevy_ecs::prelude::*;
use framealloc::bevy::Scratch;
use framealloc::Frame;

fn keep(mut scratch: Scratch, mut kept: Local<Option<Frame<'static, 'static>>>) {
    scratch.frame(|f| {
        *kept = Some(f);
    });
}

fn main() {
    let _ = keep;
}
