//! Arena statistics, derived from the arena's pointers rather than counted per allocation.

/// A snapshot of an arena's memory use.
///
/// Everything here is derived from the bump pointers and the chunk list when you ask, so
/// keeping it costs the allocation fast path nothing; the one counted figure,
/// [`allocations`](ArenaStats::allocations), is behind the `count-allocations` feature.
///
/// With debug guards on (see [`crate::guard`]), the byte counts include the canaries around
/// each allocation.
///
/// ```
/// use framealloc::{ArenaConfig, FrameArena};
///
/// // Guards off, so the counts are exactly the bytes asked for.
/// let mut arena = FrameArena::with_config(ArenaConfig::new().guards(false));
/// arena.frame(|f| {
///     f.alloc_slice_fill_copy(100, 0u8);
///     let s = f.stats();
///     assert_eq!(s.bytes_used, 100);
///     assert_eq!(s.chunks, 1);
/// });
/// let s = arena.stats();
/// assert_eq!((s.bytes_used, s.high_water_mark, s.frame_number), (0, 100, 1));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ArenaStats {
    /// Bytes handed out in the current frame, alignment padding included. Drops back after a
    /// scope ends and to zero at reset.
    pub bytes_used: usize,
    /// Bytes of all chunks the arena holds (used or kept for reuse).
    pub capacity: usize,
    /// Bytes left unused at the ends of chunks the current frame has moved past.
    pub wasted: usize,
    /// The most bytes in use at any moment since the arena was created.
    pub high_water_mark: usize,
    /// Number of chunks held.
    pub chunks: usize,
    /// Number of frames completed (resets) so far; the frame now open has this number.
    pub frame_number: u64,
    /// The byte budget per frame, if one is set.
    pub budget: Option<usize>,
    /// Allocations made in the current frame; `None` unless the `count-allocations` feature
    /// is enabled (it adds a counter increment to every allocation).
    pub allocations: Option<u64>,
}
