//! Frame-scoped memory for games, simulations and real-time loops.
//!
//! A game loop allocates thousands of short-lived objects every frame. `framealloc` makes
//! that memory cost a pointer bump and makes its lifetime a compile-time fact:
//!
//! - [`FrameArena`] is a chunked bump arena reset once per frame; its chunks are kept, so
//!   after warm-up a frame makes no system allocations.
//! - [`Frame<'f, 'env>`](Frame) is the frame: everything allocated from it is typed with
//!   `'f`, so the borrow checker rejects any use of frame memory after the frame ends; frame
//!   memory may point at anything that outlives the frame (`'env`).
//! - [`Frame::scope`] opens nested scopes that rewind when they end.
//! - [`FrameBox`] and [`FrameVec`] run `Drop`; plain [`Frame::alloc`] refuses, at compile
//!   time, types whose destructor it would skip.
//! - [`#[derive(FrameLayout)]`](layout) records a struct's layout as a constant, turns layout
//!   intentions (`max_size`, `hot(..)`, `no_padding`, ...) into compile errors, and
//!   [`layout::report`] draws it as a cache-line map.
//! - [`#[soa]`](macro@soa) keeps a struct and generates its struct-of-arrays container: all
//!   columns in one allocation, each on a cache-line boundary, on the heap or in a frame
//!   (see [`soa`](mod@soa)).
//! - [`guard`]: in debug builds, canaries after every allocation are checked when scopes and
//!   frames end, and released memory is poisoned; an overrun is reported with the line that
//!   allocated the memory.
//! - [`FrameHandle`] reaches frame memory without a lifetime, checked on every access.
//! - `&Frame` is an [`allocator_api2`] allocator, so `allocator_api2::vec::Vec` and
//!   `hashbrown::HashMap` can live in a frame.
//!
//! ```
//! use framealloc::{frame, FrameArena};
//!
//! #[derive(Clone, Copy, Default)]
//! struct Particle { pos: [f32; 2], vel: [f32; 2] }
//!
//! let mut arena = FrameArena::new();
//! for _frame in 0..3 {
//!     let live = frame!(arena => f {
//!         let ps = f.alloc_slice_fill_with(256, |i| Particle { pos: [0.0; 2], vel: [i as f32, 1.0] });
//!         for p in ps.iter_mut() {
//!             p.pos[0] += p.vel[0] / 60.0;
//!             p.pos[1] += p.vel[1] / 60.0;
//!         }
//!         ps.iter().filter(|p| p.pos[0] < 1.0).count()
//!     });
//!     assert_eq!(live, 60);
//! }
//! ```
//!
//! # Names
//!
//! Every frame-like type speaks one vocabulary, and the `SmartAlloc` facade keeps the names
//! users of the original framealloc know. Each pair is linked by a `#[doc(alias)]`, so a
//! search for either name finds both.
//!
//! | operation | on [`Frame`] (and [`LocalFrame`], [`FrameGuard::frame`]) | on [`SmartFrame`] |
//! | --- | --- | --- |
//! | move a value in | [`alloc`](Frame::alloc) | [`frame_alloc`](SmartFrame::frame_alloc) |
//! | a value that runs `Drop` | [`boxed`](Frame::boxed) | [`frame_box`](SmartFrame::frame_box) |
//! | `n` copies of a value | [`alloc_slice_fill_copy`](Frame::alloc_slice_fill_copy) | [`frame_slice`](SmartFrame::frame_slice) |
//! | room for `n` values | [`alloc_batch`](Frame::alloc_batch) | [`frame_alloc_batch`](SmartFrame::frame_alloc_batch) |
//! | a growable vector | [`vec`](Frame::vec), [`vec_with_capacity`](Frame::vec_with_capacity) | [`frame_vec`](SmartFrame::frame_vec), [`frame_vec_with_capacity`](SmartFrame::frame_vec_with_capacity) (also on [`LocalFrame`]) |
//! | the frame's number | [`frame_number`](Frame::frame_number) | [`frame_number`](SmartFrame::frame_number) |
//! | the calling thread's view | — | [`SmartFrame::for_current_thread`] gives a [`LocalFrame`] (frame memory); [`SmartAlloc::for_current_thread`] a [`ThreadHandle`] (pools, thread frames, tags) |
//!
//! Fallible forms add `try_` (`try_alloc`, `try_frame_alloc`) and return
//! [`AllocError`]; the others panic with its message, at the caller's line.
//!
//! # Soundness rules
//!
//! 1. An allocation cannot outlive its frame or scope.
//! 2. `Frame<'f, 'env>` is invariant in `'f`, neither `Clone` nor `Copy`, neither `Send` nor
//!    `Sync`.
//! 3. A scope borrows its outer frame mutably: the outer frame (and any collection growing
//!    from it) cannot allocate while the scope is open. [`SmartAlloc::frame`] borrows
//!    nothing, so it checks at run time: on its thread, the allocator's frame cannot allocate
//!    (a panic), and [`SmartFrame::frame_vec`] vectors neither grow nor give memory back,
//!    while its closure runs.
//! 4. Resetting an arena needs `&mut FrameArena`, impossible while frame memory is borrowed.
//! 5. [`Frame::alloc`] of a type that needs `Drop` does not compile; [`FrameBox`] and
//!    [`FrameVec`] run `Drop`.
//!
//! # Features
//!
//! - `derive` (default): `#[derive(FrameLayout)]`, layout facts and compile-time layout checks
//!   (see [`layout`]).
//! - `guards`: arena-wide debug guards in release builds too (they are on with
//!   `debug_assertions` anyway). Without it, a release build has no guard code on the
//!   allocation path at all.
//! - `count-allocations`: counts allocations per frame in [`ArenaStats::allocations`], at the
//!   cost of a counter increment on the allocation fast path.
//! - `profiler`: the sampling allocation profiler, `profile` (hot sites, leak report, binary
//!   and Chrome trace exports, an HTML report). The allocation fast path is the same with it.
#![warn(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

mod addr;
#[cfg(feature = "bevy")]
pub mod bevy;
pub mod boxed;
pub mod chunk;
mod error;
pub mod flight;
pub mod frame;
pub mod guard;
mod handle;
pub mod layout;
mod pool;
#[cfg(feature = "profiler")]
pub mod profile;
mod raw;
mod smart;
pub mod soa;
mod stats;
pub mod string;
mod sync;
pub mod vec;

pub use allocator_api2;
pub use boxed::FrameBox;
pub use chunk::{ChunkSource, NumaSource, PageSource, Retention, SystemSource, VirtualSource};
pub use error::{AllocError, BudgetSource};
pub use frame::{ArenaConfig, Frame, FrameArena, FrameGuard};
/// `#[derive(FrameLayout)]`: see [`layout::FrameLayout`] and the derive's options.
#[cfg(feature = "derive")]
pub use framealloc_derive::{soa, FrameLayout};
pub use handle::{FrameHandle, HandleScope};
pub use smart::{
    AllocConfig, AllocStats, FrameStats, LocalFrame, PerformanceStats, PoolBlock, PoolBox,
    SmartAlloc, SmartFrame, SoftLimitEvent, Summary, TagBudget, TagStats, ThreadHandle,
    ThreadStats,
};
pub use stats::ArenaStats;
pub use string::FrameString;
pub use vec::FrameVec;

/// The only door the code generated by `#[derive(FrameLayout)]` and `#[soa]` goes through
/// into this crate: the derive crate names these paths and nothing else, so the runtime's
/// public modules can change without breaking generated code. Not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use crate::error::AllocError;
    pub use crate::guard::{GuardReport, Guarded};
    pub use crate::layout::{FieldInfo, FrameLayout, LayoutInfo};
    pub use crate::soa::drop_check;
    pub use crate::soa::{SoaContainer, SoaVec, MAX_COLUMNS};
    pub use allocator_api2::alloc::{Allocator, Global};
    pub use std::vec::Vec;
}

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// Runs a block as one frame of an arena: `frame!(arena => f { ... })`, optionally tagged:
/// `frame!(arena, tag = "physics" => f { ... })`.
///
/// `f` is the block's [`Frame`] (declared `mut`, so it can open scopes); the arena is reset
/// when the block ends, and the block's value is the macro's value. The block is a closure
/// body: `return` leaves the frame, not the enclosing function. `arena` is anything with a
/// `frame` method taking a closure, such as a [`FrameArena`] or `&mut FrameArena`.
///
/// ```
/// use framealloc::{frame, FrameArena};
///
/// let mut arena = FrameArena::new();
/// let n = frame!(arena, tag = "ai" => f {
///     assert_eq!(f.tag(), Some("ai"));
///     f.alloc_slice_fill_copy(10, 0u8).len()
/// });
/// assert_eq!(n, 10);
/// ```
#[macro_export]
macro_rules! frame {
    ($arena:expr => $f:ident $body:block) => {
        ($arena).frame(
            #[allow(unused_mut)]
            |mut $f| $body,
        )
    };
    ($arena:expr, tag = $tag:expr => $f:ident $body:block) => {
        ($arena).frame_tagged(
            $tag,
            #[allow(unused_mut)]
            |mut $f| $body,
        )
    };
}
