//! The derive names the runtime only through `#[frame(crate = "...")]` and absolute paths:
//! here `framealloc` is not a dependency at all (only `fa` is), no trait is imported, and
//! local items named like the ones the expansion uses do not capture it. The same holds for
//! `#[soa]`.

#![allow(dead_code)]

/// Local look-alikes that a non-absolute path in the expansion would pick up.
mod core {}
mod framealloc {}
struct LayoutInfo;
struct FieldInfo;
trait FrameLayout {}
fn size_of() {}
#[allow(unused_macros, reason = "a trap: the expansion must never use it")]
macro_rules! assert {
    ($($t:tt)*) => {
        compile_error!("the expansion used a local `assert!`")
    };
}

#[derive(fa::FrameLayout)]
#[frame(crate = "fa", max_size = 64, hot(a), no_drop, no_padding)]
#[repr(C)]
struct Renamed {
    a: u32,
    b: u32,
}

#[derive(fa::FrameLayout)]
#[frame(crate = "::fa")]
struct Generic<T> {
    value: T,
}

#[fa::soa(crate = "fa")]
#[derive(Clone)]
struct Particle<T: Copy> {
    pos: [f32; 3],
    tag: T,
}

#[test]
fn soa_works_under_another_crate_name() {
    let mut soa = ParticleSoa::<u8>::new();
    soa.push(Particle {
        pos: [1.0, 2.0, 3.0],
        tag: 7,
    });
    soa.extend(::core::iter::once(Particle {
        pos: [0.0; 3],
        tag: 8,
    }));
    ::core::assert!(soa.pos_lanes() == [1.0, 2.0, 3.0, 0.0, 0.0, 0.0]);
    ::core::assert!(soa.iter().map(|r| *r.tag).eq([7, 8]));
    let back: Particle<u8> = soa.get(1).unwrap().into();
    ::core::assert!(back.tag == 8);
}

#[test]
fn derive_works_under_another_crate_name() {
    let info = <Renamed as fa::layout::FrameLayout>::LAYOUT;
    assert_eq!((info.size, info.fields.len()), (8, 2));
    let info = <Generic<u16> as fa::layout::FrameLayout>::LAYOUT;
    assert_eq!(info.size, 2);
    ::core::assert!(fa::layout::report::<Renamed>()
        .to_string()
        .starts_with("Renamed: 8 bytes"));
}
