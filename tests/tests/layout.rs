//! `#[derive(FrameLayout)]` against what the compiler says: for every struct shape, the
//! facts in `LAYOUT` equal `size_of`, `align_of` and `offset_of!`; and the report's text.

use core::marker::PhantomData;
use core::mem::{align_of, offset_of, size_of};

use framealloc::layout::{report, FieldInfo, FrameLayout, Gap};

/// Checks a type's `LAYOUT` against the compiler, field by field, in declaration order.
macro_rules! assert_layout {
    ($ty:ty { $($field:tt : $fty:ty),* $(,)? }) => {{
        let info = <$ty as FrameLayout>::LAYOUT;
        assert_eq!(info.size, size_of::<$ty>(), "size of {}", stringify!($ty));
        assert_eq!(info.align, align_of::<$ty>(), "align of {}", stringify!($ty));
        let expected: &[(&str, usize, usize, usize)] =
            &[$((stringify!($field), offset_of!($ty, $field), size_of::<$fty>(), align_of::<$fty>())),*];
        let got: Vec<(&str, usize, usize, usize)> =
            info.fields.iter().map(|f| (f.name, f.offset, f.size, f.align)).collect();
        assert_eq!(got, expected, "fields of {}", stringify!($ty));
        let covered: usize = expected.iter().map(|f| f.2).sum();
        assert_eq!(info.padding_bytes(), size_of::<$ty>() - covered);
        info
    }};
}

#[derive(FrameLayout)]
struct Named {
    a: u8,
    b: u64,
    c: u16,
}

#[derive(FrameLayout)]
#[repr(C)]
struct ReprC {
    a: u8,
    b: u64,
    c: u16,
}

#[derive(FrameLayout)]
struct Tuple(u8, u32, u16);

#[derive(FrameLayout)]
struct Unit;

#[derive(FrameLayout)]
struct EmptyBraces {}

#[derive(FrameLayout)]
#[repr(C, packed)]
struct Packed {
    a: u8,
    b: u64,
    c: u16,
}

#[derive(FrameLayout)]
#[repr(C, packed(2))]
struct Packed2 {
    a: u8,
    b: u64,
}

#[derive(FrameLayout)]
#[repr(align(64))]
struct Aligned64 {
    a: u32,
}

#[derive(FrameLayout)]
#[repr(C, align(32))]
struct CAligned32 {
    a: u8,
    b: [f32; 3],
}

#[derive(FrameLayout)]
struct Generic<T> {
    tag: u8,
    value: T,
}

#[derive(FrameLayout)]
struct Bounded<T: Copy + Default, U>
where
    U: Clone,
{
    t: T,
    u: U,
    n: u16,
}

#[derive(FrameLayout)]
struct ConstGeneric<T, const N: usize> {
    len: u8,
    items: [T; N],
}

#[derive(FrameLayout)]
struct WithLifetime<'a> {
    name: &'a str,
    id: u32,
}

#[derive(FrameLayout)]
struct ZeroSized {
    a: u32,
    unit: (),
    marker: PhantomData<String>,
    empty: [u64; 0],
    b: u8,
}

#[derive(FrameLayout, Clone, Copy)]
struct Inner {
    x: f32,
    y: f32,
}

#[derive(FrameLayout)]
struct Outer {
    flag: bool,
    inner: Inner,
    more: [Inner; 2],
}

#[derive(FrameLayout)]
struct Niche {
    boxed: Option<Box<u8>>,
    small: Option<u8>,
}

#[derive(FrameLayout)]
struct Wide {
    a: u128,
    b: u8,
}

#[derive(FrameLayout)]
struct Pointers {
    f: fn(u32) -> u32,
    s: &'static [u8],
    d: &'static dyn Send,
}

#[derive(FrameLayout)]
struct Single {
    only: [u16; 5],
}

#[derive(FrameLayout)]
#[frame(cache_line = 128)]
struct Straddler {
    head: [u8; 100],
    body: [u8; 100],
}

#[derive(FrameLayout)]
struct Chars {
    c: char,
    b: bool,
    t: (u8, u32),
}

#[test]
fn facts_match_the_compiler_for_every_shape() {
    assert_layout!(Named {
        a: u8,
        b: u64,
        c: u16
    });
    assert_layout!(ReprC {
        a: u8,
        b: u64,
        c: u16
    });
    assert_layout!(Tuple {
        0: u8,
        1: u32,
        2: u16
    });
    assert_layout!(Unit {});
    assert_layout!(EmptyBraces {});
    assert_layout!(Packed {
        a: u8,
        b: u64,
        c: u16
    });
    assert_layout!(Packed2 { a: u8, b: u64 });
    assert_layout!(Aligned64 { a: u32 });
    assert_layout!(CAligned32 { a: u8, b: [f32; 3] });
    assert_layout!(Generic<u8> { tag: u8, value: u8 });
    assert_layout!(Generic<[u64; 3]> { tag: u8, value: [u64; 3] });
    assert_layout!(Bounded<u32, String> { t: u32, u: String, n: u16 });
    assert_layout!(ConstGeneric<u32, 7> { len: u8, items: [u32; 7] });
    assert_layout!(ConstGeneric<u8, 0> { len: u8, items: [u8; 0] });
    assert_layout!(WithLifetime<'static> { name: &'static str, id: u32 });
    assert_layout!(ZeroSized { a: u32, unit: (), marker: PhantomData<String>, empty: [u64; 0], b: u8 });
    assert_layout!(Inner { x: f32, y: f32 });
    assert_layout!(Outer {
        flag: bool,
        inner: Inner,
        more: [Inner; 2]
    });
    assert_layout!(Niche { boxed: Option<Box<u8>>, small: Option<u8> });
    assert_layout!(Wide { a: u128, b: u8 });
    assert_layout!(Pointers { f: fn(u32) -> u32, s: &'static [u8], d: &'static dyn Send });
    assert_layout!(Single { only: [u16; 5] });
    assert_layout!(Straddler {
        head: [u8; 100],
        body: [u8; 100]
    });
    assert_layout!(Chars {
        c: char,
        b: bool,
        t: (u8, u32)
    });
}

#[test]
fn names_and_type_names_are_as_written() {
    let info = Bounded::<u32, String>::LAYOUT;
    assert_eq!(info.name, "Bounded");
    let types: Vec<&str> = info.fields.iter().map(|f| f.type_name).collect();
    assert_eq!(types, ["T", "U", "u16"]);
    assert_eq!(Pointers::LAYOUT.fields[0].type_name, "fn(u32) -> u32");
    assert_eq!(Pointers::LAYOUT.fields[2].type_name, "&'static dyn Send");
    assert_eq!(ZeroSized::LAYOUT.fields[2].type_name, "PhantomData<String>");
    assert_eq!(Tuple::LAYOUT.fields[1].name, "1");
    assert_eq!(Straddler::LAYOUT.cache_line, 128);
    assert_eq!(Named::LAYOUT.cache_line, 64);
}

#[test]
fn memory_order_gaps_and_straddling() {
    // repr(Rust) may reorder; memory order is by offset whatever the declaration order.
    let order: Vec<usize> = Named::LAYOUT
        .fields_in_memory_order()
        .iter()
        .map(|f| f.offset)
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    // repr(C) u8, u64, u16: 7 bytes after `a`, 6 at the end.
    assert_eq!(
        ReprC::LAYOUT.gaps(),
        [
            Gap { offset: 1, size: 7 },
            Gap {
                offset: 18,
                size: 6
            }
        ]
    );
    assert_eq!(Packed::LAYOUT.gaps(), []);
    assert_eq!(
        Aligned64::LAYOUT.gaps(),
        [Gap {
            offset: 4,
            size: 60
        }]
    );
    let straddling: Vec<&str> = Straddler::LAYOUT
        .straddling_fields()
        .iter()
        .map(|f| f.name)
        .collect();
    assert_eq!(straddling, ["body"]);
    assert_eq!(Straddler::LAYOUT.cache_lines(), 2);
    assert_eq!(Unit::LAYOUT.cache_lines(), 0);
    let f = FieldInfo {
        name: "x",
        type_name: "u8",
        offset: 63,
        size: 2,
        align: 1,
    };
    assert!(f.straddles(64) && !f.straddles(128));
    assert!(ReprC::LAYOUT.field("c").is_some() && ReprC::LAYOUT.field("z").is_none());
}

#[test]
fn report_reads_as_a_cache_line_map() {
    let text = report::<ReprC>().to_string();
    let expected = "\
ReprC: 24 bytes, align 8, 13 padding bytes (54.2%), spans 1 cache line of 64 bytes
  line 0 [0..64)
        0..1     a              1 B  align 1   u8
        1..8     (padding)      7 B
        8..16    b              8 B  align 8   u64
       16..18    c              2 B  align 2   u16
       18..24    (padding)      6 B
";
    assert_eq!(text, expected);

    let text = report::<Straddler>().to_string();
    assert!(text.starts_with("Straddler: 200 bytes, align 1, 0 padding bytes (0.0%), spans 2 cache lines of 128 bytes"), "{text}");
    assert!(
        text.contains("  line 1 [128..256)\n      100..200   body       (continued)\n"),
        "{text}"
    );
    assert!(
        text.ends_with("  warning: `body` (100 B at offset 100) straddles cache lines 0 and 1\n"),
        "{text}"
    );

    let text = report::<Unit>().to_string();
    assert_eq!(
        text,
        "Unit: 0 bytes, align 1, 0 padding bytes (0.0%), spans 0 cache lines of 64 bytes\n"
    );
}
