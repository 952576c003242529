#[automatically_derived]
impl<'a, T: Copy, const N: usize> fa::__private::FrameLayout for Pair<'a, T, N>
where
    T: Default,
{
    const LAYOUT: fa::__private::LayoutInfo = {
        ::core::assert!(
            ::core::mem::size_of:: < Self > () <= 128usize,
            "#[frame(max_size = 128)]: `Pair` is larger than 128 bytes; shrink or reorder its fields (framealloc::layout::report shows where the bytes go)"
        );
        fa::__private::LayoutInfo {
            name: "Pair",
            size: ::core::mem::size_of::<Self>(),
            align: ::core::mem::align_of::<Self>(),
            fields: &[
                fa::__private::FieldInfo {
                    name: "items",
                    type_name: "[T; N]",
                    offset: ::core::mem::offset_of!(Self, items),
                    size: ::core::mem::size_of::<[T; N]>(),
                    align: ::core::mem::align_of::<[T; N]>(),
                },
                fa::__private::FieldInfo {
                    name: "name",
                    type_name: "&'a str",
                    offset: ::core::mem::offset_of!(Self, name),
                    size: ::core::mem::size_of::<&'a str>(),
                    align: ::core::mem::align_of::<&'a str>(),
                },
            ],
            cache_line: 64usize,
        }
    };
}
