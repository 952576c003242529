//! Derive macros for [framealloc](https://docs.rs/framealloc). Use them through the
//! `framealloc` crate (feature `derive`, on by default), not directly.

mod frame_layout;
mod util;

use proc_macro::TokenStream;

/// Implements `framealloc::layout::FrameLayout` and checks layout intentions at compile time.
///
/// Options, in `#[frame(...)]` (several per attribute, or several attributes):
///
/// | option | compile error unless |
/// | --- | --- |
/// | `max_size = N` | `size_of::<T>() <= N` |
/// | `cache_aligned` | `align_of::<T>()` is at least one cache line |
/// | `align = N` | `align_of::<T>() >= N` (`N` a power of two) |
/// | `no_padding` | the fields cover every byte |
/// | `hot(a, b, ..)` | those fields lie inside the first cache line |
/// | `no_drop` | `T` does not need `Drop` |
/// | `cache_line = N` | (sets the cache-line size, 64 by default; a power of two) |
/// | `crate = "path"` | (the path to the framealloc crate, if renamed) |
///
/// For non-generic structs the checks fail under `cargo check`; for generic ones they run per
/// instantiation, when its `LAYOUT` is used.
#[proc_macro_derive(FrameLayout, attributes(frame))]
pub fn derive_frame_layout(input: TokenStream) -> TokenStream {
    frame_layout::derive(input.into()).into()
}
