//! Derive macros for [framealloc](https://docs.rs/framealloc). Use them through the
//! `framealloc` crate (feature `derive`, on by default), not directly.

mod frame_layout;
mod soa;
mod util;

#[cfg(test)]
mod tests;

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
/// | `guard` | (implements `framealloc::guard::Guarded`: `Frame::alloc_guarded` and its family put canaries around every allocation of `T`, in every build) |
/// | `cache_line = N` | (sets the cache-line size, 64 by default; a power of two) |
/// | `crate = "path"` | (the path to the framealloc crate, if renamed) |
///
/// For non-generic structs the checks fail under `cargo check`; for generic ones they run per
/// instantiation, when its `LAYOUT` is used.
#[proc_macro_derive(FrameLayout, attributes(frame))]
pub fn derive_frame_layout(input: TokenStream) -> TokenStream {
    frame_layout::derive(input.into()).into()
}

/// Keeps a struct with named fields and generates its struct-of-arrays container.
///
/// For `struct Particle { pos: [f32; 3], vel: [f32; 3] }` it generates `ParticleSoa<A = Global>`
/// (one length, one capacity, **one allocation** for all columns, each starting on a cache-line
/// boundary, generic over an `allocator_api2` allocator such as `&Frame`), the views
/// `ParticleRef`, `ParticleMut`, `ParticleSlices` and `ParticleSlicesMut`, and per field the
/// column accessors `pos()`/`pos_mut()` (plus `pos_lanes()`/`pos_lanes_mut()` for array fields).
///
/// Options: `crate = "path"`, `column_align = N` (a power of two, 64 by default), and
/// `soa_name`, `ref_name`, `mut_name`, `slices_name`, `slices_mut_name` to rename the
/// generated types.
///
/// Fields whose types need `Drop` work; a struct that implements `Drop` itself is refused
/// with an error saying so, since a column store never holds a whole value for its
/// destructor to run on.
#[proc_macro_attribute]
pub fn soa(args: TokenStream, item: TokenStream) -> TokenStream {
    soa::soa(args.into(), item.into()).into()
}
