//! [`ArenaConfig`]: how an arena sizes, keeps and limits its memory.

use std::boxed::Box;

use crate::chunk::Retention;
use crate::chunk::{ChunkSource, SystemSource, CHUNK_ALIGN};
use crate::guard::{self, GuardHandler};

/// How a [`FrameArena`](crate::FrameArena) gets, keeps and limits its memory.
///
/// The defaults: chunks of 64 KiB doubling to 1 MiB, kept across frames as the
/// [adaptive retention](Retention::DEFAULT) decides (what the last 300 frames reached, plus a
/// fifth), no budget, chunks from the global allocator.
///
/// ```
/// use framealloc::{ArenaConfig, FrameArena, PageSource};
///
/// let arena = FrameArena::with_config(
///     ArenaConfig::new()
///         .first_chunk_size(16 << 10)
///         .max_chunk_size(256 << 10)
///         .retain_bytes(Some(4 << 20))
///         .budget(Some(8 << 20))
///         .source(PageSource),
/// );
/// assert_eq!(arena.budget(), Some(8 << 20));
/// ```
pub struct ArenaConfig {
    pub(crate) settings: ArenaSettings,
    pub(crate) source: Box<dyn ChunkSource>,
    pub(crate) guard_handler: GuardHandler,
    #[cfg(feature = "profiler")]
    pub(crate) profiler: Option<crate::profile::Profiler>,
    /// The budget the profiler's reports draw, when not the arena's own.
    #[cfg(feature = "profiler")]
    pub(crate) profile_budget: Option<usize>,
    /// Whether the arena's frame ends are the profiler's frame marks (a `SmartAlloc` marks
    /// its own frames instead).
    #[cfg(feature = "profiler")]
    pub(crate) profile_marks_frames: bool,
}

/// The plain settings of an arena: what [`AllocConfig`](crate::AllocConfig) keeps once and
/// gives every thread's arena (the source and the guard handler are made per arena).
#[derive(Clone, Copy, Debug)]
pub(crate) struct ArenaSettings {
    pub(crate) first_chunk: usize,
    pub(crate) max_chunk: usize,
    pub(crate) retention: Retention,
    /// Chunks are reserved address space ([`VirtualSource`](crate::VirtualSource)): the
    /// retention policy looks at every frame's end.
    pub(crate) every_frame: bool,
    pub(crate) budget: Option<usize>,
    pub(crate) guards: bool,
    pub(crate) guard_underruns: bool,
}

impl ArenaSettings {
    pub(crate) const DEFAULT: ArenaSettings = ArenaSettings {
        first_chunk: ArenaConfig::DEFAULT_FIRST_CHUNK,
        max_chunk: ArenaConfig::DEFAULT_MAX_CHUNK,
        retention: Retention::DEFAULT,
        every_frame: false,
        budget: None,
        guards: guard::COMPILED_IN,
        guard_underruns: false,
    };

    /// The chunk sizes and retention checks for chunks from `source` (see
    /// [`ArenaConfig::virtual_memory`]); unchanged where `source` falls back.
    pub(crate) fn virtual_memory(mut self, source: &crate::VirtualSource) -> Self {
        if source.is_virtual() {
            self = self
                .first_chunk_size(source.reserve())
                .max_chunk_size(source.reserve());
            self.every_frame = true;
        }
        self
    }

    /// See [`ArenaConfig::first_chunk_size`].
    pub(crate) fn first_chunk_size(mut self, bytes: usize) -> Self {
        self.first_chunk = clamp_chunk_size(bytes);
        self.max_chunk = self.max_chunk.max(self.first_chunk);
        self
    }

    /// See [`ArenaConfig::max_chunk_size`].
    pub(crate) fn max_chunk_size(mut self, bytes: usize) -> Self {
        self.max_chunk = clamp_chunk_size(bytes).max(self.first_chunk);
        self
    }

    /// An arena configuration of these settings, `source` and `guard_handler`.
    pub(crate) fn with(
        self,
        source: Box<dyn ChunkSource>,
        guard_handler: GuardHandler,
    ) -> ArenaConfig {
        ArenaConfig {
            settings: self,
            source,
            guard_handler,
            #[cfg(feature = "profiler")]
            profiler: None,
            #[cfg(feature = "profiler")]
            profile_budget: None,
            #[cfg(feature = "profiler")]
            profile_marks_frames: true,
        }
    }
}

impl ArenaConfig {
    /// The default size of the first chunk: 64 KiB.
    pub const DEFAULT_FIRST_CHUNK: usize = 64 << 10;
    /// The default cap on the size of policy chunks: 1 MiB.
    pub const DEFAULT_MAX_CHUNK: usize = 1 << 20;

    /// The default configuration.
    pub fn new() -> Self {
        ArenaSettings::DEFAULT.with(Box::new(SystemSource), GuardHandler::Panic)
    }

    /// The largest chunk size a configuration holds, `2^62 - 16` bytes on 64-bit targets:
    /// larger sizes are clamped to it (no system has that much memory; asking for it fails
    /// with [`AllocError::OutOfMemory`](crate::AllocError::OutOfMemory) on first use).
    pub const LARGEST_CHUNK: usize = (isize::MAX as usize / 2) & !(CHUNK_ALIGN - 1);

    /// Size of the first chunk; each later chunk doubles it up to
    /// [`max_chunk_size`](Self::max_chunk_size). Rounded up to a multiple of 16 bytes, at
    /// least 16 and at most [`LARGEST_CHUNK`](Self::LARGEST_CHUNK). Raises the cap to this
    /// size if it is smaller.
    pub fn first_chunk_size(mut self, bytes: usize) -> Self {
        self.settings = self.settings.first_chunk_size(bytes);
        self
    }

    /// Cap on the size chunks double to. An allocation larger than this gets a chunk of its
    /// own size. Rounded as [`first_chunk_size`](Self::first_chunk_size) is, and raised to
    /// the first chunk size if smaller.
    pub fn max_chunk_size(mut self, bytes: usize) -> Self {
        self.settings = self.settings.max_chunk_size(bytes);
        self
    }

    /// A fixed retention limit: `Some(bytes)` keeps at most `bytes` of chunks across a reset
    /// (chunks beyond it, newest first, go back to the source at the end of each frame);
    /// `None` keeps every chunk. The same as [`retention`](Self::retention) with
    /// [`Retention::from_limit`].
    pub fn retain_bytes(mut self, bytes: Option<usize>) -> Self {
        self.settings.retention = Retention::from_limit(bytes);
        self
    }

    /// How much chunk memory is kept when a frame ends (see [`Retention`]). The default,
    /// [`Retention::DEFAULT`], keeps what the last 300 frames reached plus a fifth, so a
    /// steady loop stops calling the source after warm-up and a spike's memory goes back
    /// 300 frames later.
    ///
    /// ```
    /// use framealloc::{ArenaConfig, FrameArena, Retention};
    ///
    /// let mut arena =
    ///     FrameArena::with_config(ArenaConfig::new().guards(false).retention(Retention::KeepAll));
    /// arena.frame(|f| f.alloc_batch::<u8>(4 << 20).len());
    /// for _ in 0..1000 {
    ///     arena.frame(|f| f.alloc(1u8).clone());
    /// }
    /// assert!(arena.stats().capacity >= 4 << 20, "kept for good");
    /// ```
    pub fn retention(mut self, retention: Retention) -> Self {
        self.settings.retention = retention;
        self
    }

    /// Bytes a single frame may allocate (alignment padding included). An allocation past it
    /// fails with [`AllocError::BudgetExceeded`](crate::AllocError::BudgetExceeded). The check
    /// is folded into the bump limit, so it costs the fast path nothing.
    pub fn budget(mut self, bytes: Option<usize>) -> Self {
        self.settings.budget = bytes;
        self
    }

    /// Chunks from reserved virtual memory ([`VirtualSource`](crate::VirtualSource)): one chunk of `source`'s
    /// reservation holds a frame of any size, its pages backed as the frame first touches
    /// them and given back as the [`Retention`] decides. Sets the source and both chunk sizes
    /// to the reservation; where the source falls back (not Linux, or Miri), only the source
    /// is set and chunks keep the usual sizes.
    ///
    /// ```
    /// use framealloc::{ArenaConfig, FrameArena, Retention, VirtualSource};
    ///
    /// let mut arena = FrameArena::with_config(
    ///     ArenaConfig::new()
    ///         .virtual_memory(VirtualSource::new(16 << 30).huge_pages(true))
    ///         .retention(Retention::adaptive(120, 25)),
    /// );
    /// let sum = arena.frame(|f| f.alloc_slice_fill_copy(1000, 1u32).iter().sum::<u32>());
    /// assert_eq!(sum, 1000);
    /// ```
    pub fn virtual_memory(mut self, source: crate::VirtualSource) -> Self {
        self.settings = self.settings.virtual_memory(&source);
        self.source = Box::new(source);
        self
    }

    /// Where chunks come from: [`SystemSource`] (the default), [`PageSource`](crate::PageSource),
    /// [`VirtualSource`](crate::VirtualSource) (through
    /// [`virtual_memory`](Self::virtual_memory)), or your own [`ChunkSource`].
    pub fn source(mut self, source: impl ChunkSource + 'static) -> Self {
        self.source = Box::new(source);
        self
    }
}

impl ArenaConfig {
    /// Turns arena-wide debug guards on or off (see [`crate::guard`]): canaries after every
    /// allocation, checked at scope and frame end, and poison/fill patterns.
    ///
    /// The default is on when the guard code is compiled in ([`guard::COMPILED_IN`]: with
    /// `debug_assertions` or the `guards` feature). In a release build without the feature
    /// there is no guard code to turn on, and `guards(true)` leaves them off;
    /// [`FrameArena::guards_enabled`](crate::FrameArena::guards_enabled) tells which you got.
    /// Turn them off where exact byte counts matter: canaries take room in the chunks, so
    /// [`ArenaStats::bytes_used`](crate::ArenaStats::bytes_used) counts them.
    ///
    /// ```
    /// use framealloc::guard::GuardHandler;
    /// use framealloc::{ArenaConfig, FrameArena};
    ///
    /// let mut arena = FrameArena::with_config(
    ///     ArenaConfig::new()
    ///         .guards(true)
    ///         .guard_underruns(true)
    ///         .guard_handler(GuardHandler::Collect),
    /// );
    /// arena.frame(|f| {
    ///     f.alloc_slice_fill_copy(8, 0u8);
    /// });
    /// assert!(arena.take_guard_reports().is_empty());
    /// ```
    pub fn guards(mut self, on: bool) -> Self {
        self.settings.guards = on;
        self
    }

    /// Also puts canaries before each guarded allocation, to catch underruns (writes before
    /// its start). Off by default. Applies to [`Guarded`](crate::guard::Guarded) types too.
    pub fn guard_underruns(mut self, on: bool) -> Self {
        self.settings.guard_underruns = on;
        self
    }

    /// What to do with a [`GuardReport`](crate::guard::GuardReport): panic (the default),
    /// collect, or call back.
    pub fn guard_handler(mut self, handler: GuardHandler) -> Self {
        self.guard_handler = handler;
        self
    }

    /// Records the arena's allocations, rewinds and frame ends into `profiler` (the
    /// `profiler` feature; see [`profile`](crate::profile)). The fast path is unchanged:
    /// only sampled requests take the cold path.
    ///
    /// ```
    /// use framealloc::profile::{ProfileConfig, Profiler};
    /// use framealloc::{ArenaConfig, FrameArena};
    ///
    /// let profiler = Profiler::new(ProfileConfig::new().exhaustive());
    /// let mut arena = FrameArena::with_config(ArenaConfig::new().profiler(&profiler));
    /// arena.frame(|f| {
    ///     f.alloc(1u32);
    /// });
    /// // One allocation and one frame end.
    /// assert_eq!(profiler.record_count(), 2);
    /// ```
    #[cfg(feature = "profiler")]
    pub fn profiler(mut self, profiler: &crate::profile::Profiler) -> Self {
        self.profiler = Some(profiler.clone());
        self
    }
}

/// A chunk size rounded up to a multiple of [`CHUNK_ALIGN`], within
/// `CHUNK_ALIGN..=ArenaConfig::LARGEST_CHUNK` (a multiple of `CHUNK_ALIGN` itself, so the
/// rounding cannot leave the range).
pub(crate) fn clamp_chunk_size(bytes: usize) -> usize {
    bytes
        .clamp(CHUNK_ALIGN, ArenaConfig::LARGEST_CHUNK)
        .next_multiple_of(CHUNK_ALIGN)
}

impl Default for ArenaConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl core::fmt::Debug for ArenaConfig {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ArenaConfig")
            .field("first_chunk", &self.settings.first_chunk)
            .field("max_chunk", &self.settings.max_chunk)
            .field("retention", &self.settings.retention)
            .field("budget", &self.settings.budget)
            .field("guards", &self.settings.guards)
            .field("guard_underruns", &self.settings.guard_underruns)
            .field("guard_handler", &self.guard_handler)
            .finish_non_exhaustive()
    }
}
