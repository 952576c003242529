#[automatically_derived]
impl ::framealloc::__private::FrameLayout for Body {
    const LAYOUT: ::framealloc::__private::LayoutInfo = {
        ::framealloc::__private::LayoutInfo {
            name: "Body",
            size: ::core::mem::size_of::<Self>(),
            align: ::core::mem::align_of::<Self>(),
            fields: &[
                ::framealloc::__private::FieldInfo {
                    name: "pos",
                    type_name: "[f32; 3]",
                    offset: ::core::mem::offset_of!(Self, pos),
                    size: ::core::mem::size_of::<[f32; 3]>(),
                    align: ::core::mem::align_of::<[f32; 3]>(),
                },
                ::framealloc::__private::FieldInfo {
                    name: "vel",
                    type_name: "[f32; 3]",
                    offset: ::core::mem::offset_of!(Self, vel),
                    size: ::core::mem::size_of::<[f32; 3]>(),
                    align: ::core::mem::align_of::<[f32; 3]>(),
                },
                ::framealloc::__private::FieldInfo {
                    name: "mass",
                    type_name: "f32",
                    offset: ::core::mem::offset_of!(Self, mass),
                    size: ::core::mem::size_of::<f32>(),
                    align: ::core::mem::align_of::<f32>(),
                },
                ::framealloc::__private::FieldInfo {
                    name: "id",
                    type_name: "u32",
                    offset: ::core::mem::offset_of!(Self, id),
                    size: ::core::mem::size_of::<u32>(),
                    align: ::core::mem::align_of::<u32>(),
                },
            ],
            cache_line: 64usize,
        }
    };
}
const _: () = {
    ::core::assert!(
        ::core::mem::size_of:: < Body > () <= 64usize,
        "#[frame(max_size = 64)]: `Body` is larger than 64 bytes; shrink or reorder its fields (framealloc::layout::report shows where the bytes go)"
    );
};
const _: () = {
    ::core::assert!(
        ::core::mem::size_of:: < Body > () == ::core::mem::size_of:: < [f32; 3] > () +
        ::core::mem::size_of:: < [f32; 3] > () + ::core::mem::size_of:: < f32 > () +
        ::core::mem::size_of:: < u32 > (),
        "#[frame(no_padding)]: `Body` has padding bytes; order its fields from the largest alignment to the smallest, or make the padding an explicit field (framealloc::layout::report shows where it is)"
    );
};
const _: () = {
    ::core::assert!(
        ::core::mem::offset_of!(Body, pos) + ::core::mem::size_of:: < [f32; 3] > () <=
        64usize,
        "#[frame(hot(..))]: field `pos` of `Body` does not lie within the first 64-byte cache line; move it before the cold fields"
    );
};
const _: () = {
    ::core::assert!(
        ::core::mem::offset_of!(Body, vel) + ::core::mem::size_of:: < [f32; 3] > () <=
        64usize,
        "#[frame(hot(..))]: field `vel` of `Body` does not lie within the first 64-byte cache line; move it before the cold fields"
    );
};
const _: () = {
    ::core::assert!(
        ! ::core::mem::needs_drop:: < Body > (),
        "#[frame(no_drop)]: `Body` needs Drop (it or one of its fields has a destructor), which frame memory would never run; remove the destructor, or allocate it with Frame::boxed and drop #[frame(no_drop)]"
    );
};
#[automatically_derived]
impl ::framealloc::__private::Guarded for Body {}
