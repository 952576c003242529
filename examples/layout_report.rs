//! Prints the cache-line layout report of a few typical game structs, with the layout
//! intentions each one declares checked at compile time.
//!
//! Run with `cargo run --example layout_report`.

use framealloc::layout::{report, FrameLayout};

/// Hot per-frame data: must stay within one cache line, position and velocity first.
#[derive(FrameLayout, Clone, Copy, Default)]
#[frame(max_size = 64, hot(pos, vel), no_drop)]
struct Particle {
    pos: [f32; 3],
    vel: [f32; 3],
    color: u32,
    age: u16,
    alive: bool,
}

/// A transform used by SIMD code: cache-line aligned, no padding allowed.
#[derive(FrameLayout, Clone, Copy)]
#[repr(C, align(64))]
#[frame(cache_aligned, max_size = 64)]
struct Transform {
    rotation: [f32; 4],
    translation: [f32; 3],
    scale: f32,
    parent: u32,
    flags: u32,
}

/// A render command in declaration order (`repr(C)`): the report shows the padding this
/// order costs and a field that straddles a cache line.
#[derive(FrameLayout, Clone, Copy)]
#[repr(C)]
struct RenderCommand {
    kind: u8,
    mesh: u32,
    material: u16,
    model: [[f32; 4]; 4],
    depth: f32,
    visible: bool,
}

fn main() {
    println!("{}", report::<Particle>());
    println!("{}", report::<Transform>());
    println!("{}", report::<RenderCommand>());
    let padding = RenderCommand::LAYOUT.padding_bytes();
    println!("RenderCommand wastes {padding} bytes per command to padding in declaration order.");
}
