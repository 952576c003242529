//! Macro inputs: what `frame_box!`, `frame!`, `#[soa]` and `#[derive(FrameLayout)]` accept
//! must behave; what they must refuse is in `ui-tests` (for `frame_box!`, every coercion but
//! unsizing, the shape of hole 2).

use std::any::Any;
use std::fmt::Debug;

use framealloc::layout::FrameLayout;
use framealloc::{frame, frame_box, soa, FrameArena, FrameBox};

use crate::{Ledger, Tracked};

trait Shape {
    fn area(&self) -> u32;
}

/// A square whose second field is there for its `Drop`.
struct Square(u32, #[allow(dead_code)] Tracked);

impl Shape for Square {
    fn area(&self) -> u32 {
        self.0 * self.0
    }
}

/// `frame_box!` unsizes to trait objects and slices and drops through the vtable, once.
#[test]
fn frame_box_unsizes_and_drops_once() {
    let ledger = Ledger::new();
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let shapes: Vec<FrameBox<'_, dyn Shape>> = (0..5)
            .map(|i| -> FrameBox<'_, dyn Shape> { frame_box!(f, Square(i, ledger.track(i))) })
            .collect();
        assert_eq!(shapes.iter().map(|s| s.area()).sum::<u32>(), 30);
        let slice: FrameBox<'_, [Tracked]> = frame_box!(f, [ledger.track(10), ledger.track(11)]);
        assert_eq!(slice.len(), 2);
        let any: FrameBox<'_, dyn Any> = frame_box!(&f, 5u16);
        assert_eq!(any.downcast_ref::<u16>(), Some(&5));
        let debug: FrameBox<'_, dyn Debug + Send> = frame_box!(f, "text");
        assert_eq!(format!("{debug:?}"), "\"text\"");
        let same: FrameBox<'_, u8> = frame_box!(f, 3u8); // no unsizing: the identity
        assert_eq!(*same, 3);
        let zero_sized: FrameBox<'_, dyn Debug> = frame_box!(f, ());
        assert_eq!(format!("{zero_sized:?}"), "()");
        drop(shapes);
        assert_eq!(ledger.dropped(), [0, 1, 2, 3, 4]);
    });
    assert_eq!(ledger.count(), 7);
}

/// `frame!` bodies that return early, and an arena given as an expression with side effects
/// (evaluated once).
#[test]
fn frame_macro_with_early_return_and_expression_arena() {
    let mut arenas = [FrameArena::new(), FrameArena::new()];
    let mut evaluated = 0;
    let n = frame!({ evaluated += 1; &mut arenas[1] } => f {
        let x = f.alloc(3u32);
        if *x == 3 {
            return *x + 1;
        }
        0
    });
    assert_eq!((n, evaluated), (4, 1));
    assert_eq!(arenas[1].frame_number(), 1);
    assert_eq!(arenas[0].frame_number(), 0);
}

/// `#[soa]` on a struct with lifetimes, const generics, where-clauses and a raw identifier.
#[soa]
#[derive(Debug, PartialEq)]
struct Tricky<'a, T: Copy, const N: usize>
where
    T: PartialEq,
{
    r#type: [T; N],
    name: &'a str,
    r#loop: Option<Box<T>>,
}

#[test]
fn soa_with_unusual_fields() {
    let names = [String::from("a"), String::from("b")];
    let mut soa = TrickySoa::<'_, u8, 3>::new();
    for (i, name) in names.iter().enumerate() {
        soa.push(Tricky {
            r#type: [i as u8; 3],
            name,
            r#loop: Some(Box::new(i as u8)),
        });
    }
    assert_eq!(soa.r#type()[1], [1; 3]);
    assert_eq!(soa.name(), &["a", "b"]);
    assert_eq!(
        soa.pop(),
        Some(Tricky {
            r#type: [1; 3],
            name: "b",
            r#loop: Some(Box::new(1)),
        })
    );
}

/// `#[derive(FrameLayout)]` facts agree with the compiler on awkward layouts.
#[test]
fn frame_layout_facts_on_awkward_structs() {
    #[derive(FrameLayout)]
    #[allow(dead_code)]
    struct Empty {}

    #[derive(FrameLayout)]
    #[allow(dead_code)]
    #[repr(C, packed)]
    struct Packed {
        a: u8,
        b: u64,
    }

    #[derive(FrameLayout)]
    #[allow(dead_code)]
    #[repr(C, align(128))]
    struct Wide {
        a: u8,
        z: [u64; 0],
    }

    assert_eq!((Empty::LAYOUT.size, Empty::LAYOUT.align), (0, 1));
    assert_eq!(Packed::LAYOUT.size, std::mem::size_of::<Packed>());
    assert_eq!(Packed::LAYOUT.padding_bytes(), 0);
    assert_eq!(Wide::LAYOUT.size, 128);
    assert_eq!(Wide::LAYOUT.align, 128);
    assert_eq!(Wide::LAYOUT.padding_bytes(), 127);
}
