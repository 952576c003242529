//! [`ArenaConfig`]: how an arena sizes, keeps and limits its memory.

use std::boxed::Box;

use crate::chunk::{ChunkSource, SystemSource, CHUNK_ALIGN};

/// How a [`FrameArena`](crate::FrameArena) gets, keeps and limits its memory.
///
/// The defaults: chunks of 64 KiB doubling to 1 MiB, every chunk kept across frames, no
/// budget, chunks from the global allocator.
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
    pub(crate) first_chunk: usize,
    pub(crate) max_chunk: usize,
    pub(crate) retain: Option<usize>,
    pub(crate) budget: Option<usize>,
    pub(crate) source: Box<dyn ChunkSource>,
}

impl ArenaConfig {
    /// The default size of the first chunk: 64 KiB.
    pub const DEFAULT_FIRST_CHUNK: usize = 64 << 10;
    /// The default cap on the size of policy chunks: 1 MiB.
    pub const DEFAULT_MAX_CHUNK: usize = 1 << 20;

    /// The default configuration.
    pub fn new() -> Self {
        ArenaConfig {
            first_chunk: Self::DEFAULT_FIRST_CHUNK,
            max_chunk: Self::DEFAULT_MAX_CHUNK,
            retain: None,
            budget: None,
            source: Box::new(SystemSource),
        }
    }

    /// Size of the first chunk; each later chunk doubles it up to
    /// [`max_chunk_size`](Self::max_chunk_size). Rounded up to a multiple of 16 bytes, and at
    /// least 16.
    pub fn first_chunk_size(mut self, bytes: usize) -> Self {
        self.first_chunk = bytes
            .clamp(CHUNK_ALIGN, isize::MAX as usize / 2)
            .next_multiple_of(CHUNK_ALIGN);
        self.max_chunk = self.max_chunk.max(self.first_chunk);
        self
    }

    /// Cap on the size chunks double to. An allocation larger than this gets a chunk of its
    /// own size. Raised to the first chunk size if smaller.
    pub fn max_chunk_size(mut self, bytes: usize) -> Self {
        self.max_chunk = bytes
            .clamp(self.first_chunk, isize::MAX as usize / 2)
            .next_multiple_of(CHUNK_ALIGN);
        self
    }

    /// Bytes of chunks kept across a reset: chunks beyond it (newest first) go back to the
    /// source at the end of each frame. `None` (the default) keeps every chunk, so a frame
    /// loop stops calling the source after warm-up.
    pub fn retain_bytes(mut self, bytes: Option<usize>) -> Self {
        self.retain = bytes;
        self
    }

    /// Bytes a single frame may allocate (alignment padding included). An allocation past it
    /// fails with [`AllocError::BudgetExceeded`](crate::AllocError::BudgetExceeded). The check
    /// is folded into the bump limit, so it costs the fast path nothing.
    pub fn budget(mut self, bytes: Option<usize>) -> Self {
        self.budget = bytes;
        self
    }

    /// Where chunks come from: [`SystemSource`] (the default), [`PageSource`](crate::PageSource),
    /// or your own [`ChunkSource`].
    pub fn source(mut self, source: impl ChunkSource + 'static) -> Self {
        self.source = Box::new(source);
        self
    }
}

impl Default for ArenaConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl core::fmt::Debug for ArenaConfig {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ArenaConfig")
            .field("first_chunk", &self.first_chunk)
            .field("max_chunk", &self.max_chunk)
            .field("retain", &self.retain)
            .field("budget", &self.budget)
            .finish_non_exhaustive()
    }
}
