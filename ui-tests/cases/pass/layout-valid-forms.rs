// Every valid form of #[derive(FrameLayout)]: these must compile (and their checks pass).
use core::marker::PhantomData;

use framealloc::layout::{report, FrameLayout};

#[derive(FrameLayout)]
#[frame(max_size = 64, hot(pos, vel), no_drop)]
struct Particle {
    pos: [f32; 3],
    vel: [f32; 3],
    age: u16,
}

#[derive(FrameLayout)]
#[repr(C, align(64))]
#[frame(cache_aligned)]
#[frame(align = 64, max_size = 64)]
struct Transform {
    rotation: [f32; 4],
    translation: [f32; 3],
}

#[derive(FrameLayout)]
#[repr(C)]
#[frame(no_padding)]
struct Packed4 {
    a: u32,
    b: u16,
    c: u8,
    d: u8,
}

#[derive(FrameLayout)]
#[repr(C, packed)]
#[frame(no_padding)]
struct Wire {
    tag: u8,
    len: u32,
}

#[derive(FrameLayout)]
#[frame(hot(0), cache_line = 128)]
struct Pair(u64, [u8; 100]);

#[derive(FrameLayout)]
struct Unit;

#[derive(FrameLayout)]
struct Empty {}

#[derive(FrameLayout)]
#[frame(max_size = 32)]
struct Slot<T: Copy, const N: usize>
where
    T: Default,
{
    id: u32,
    values: [T; N],
    _marker: PhantomData<T>,
}

#[derive(FrameLayout)]
struct Borrowed<'a> {
    name: &'a str,
}

#[derive(FrameLayout)]
#[frame(crate = "framealloc")]
struct Nested {
    inner: Particle,
    flag: bool,
}

fn main() {
    assert_eq!(Particle::LAYOUT.fields.len(), 3);
    assert_eq!(<Slot<u8, 4> as FrameLayout>::LAYOUT.size, 8);
    assert_eq!(Borrowed::LAYOUT.fields[0].type_name, "&'a str");
    let _ = report::<Transform>().to_string();
    let _ = (Packed4::LAYOUT, Wire::LAYOUT, Pair::LAYOUT, Unit::LAYOUT, Empty::LAYOUT, Nested::LAYOUT);
}
