::core::compile_error! {
    "#[frame(align = 3)]: must be a power of two, like 4"
}
#[automatically_derived]
impl ::framealloc::__private::Guarded for Packet {}
#[automatically_derived]
impl ::framealloc::__private::FrameLayout for Packet {
    const LAYOUT: ::framealloc::__private::LayoutInfo = ::framealloc::__private::LayoutInfo {
        name: "Packet",
        size: ::core::mem::size_of::<Self>(),
        align: ::core::mem::align_of::<Self>(),
        fields: &[],
        cache_line: 64,
    };
}
