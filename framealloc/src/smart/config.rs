//! [`AllocConfig`]: how a [`SmartAlloc`](crate::SmartAlloc) sizes its arenas and pools and
//! what it limits.

use std::boxed::Box;
use std::collections::HashMap;
use std::string::String;
use std::sync::Arc;

use super::budget::{SoftLimitEvent, SoftLimitFn, TagBudget};
use crate::chunk::{ChunkSource, SystemSource};
use crate::frame::config::clamp_chunk_size;
use crate::frame::ArenaConfig;
use crate::guard;

/// Makes the chunk source of each thread's arena.
type SourceFactory = Arc<dyn Fn() -> Box<dyn ChunkSource> + Send + Sync>;

/// How a [`SmartAlloc`](crate::SmartAlloc) gets and limits its memory.
///
/// Arena settings apply to each thread's arena (the defaults of [`ArenaConfig`]); budgets
/// apply to frame memory per frame over all threads.
///
/// ```
/// use framealloc::{AllocConfig, PageSource, SmartAlloc, TagBudget};
///
/// let alloc = SmartAlloc::with_config(
///     AllocConfig::new()
///         .first_chunk_size(16 << 10)
///         .with_chunk_source(PageSource)
///         .frame_budget(Some(8 << 20))
///         .tag_budget("physics", TagBudget::soft(1 << 20).and_hard(2 << 20))
///         .on_soft_limit(|e| eprintln!("{} passed {} bytes in frame {}", e.tag, e.limit, e.frame))
///         .pool_retain_bytes(1 << 20)
///         .history_len(120),
/// );
/// assert!(alloc.stats().chunk_source.contains("page-aligned"));
/// ```
pub struct AllocConfig {
    pub(crate) first_chunk: usize,
    pub(crate) max_chunk: usize,
    pub(crate) retain: Option<usize>,
    pub(crate) guards: bool,
    pub(crate) source: SourceFactory,
    pub(crate) source_name: String,
    pub(crate) pool_retain: usize,
    pub(crate) frame_budget: Option<usize>,
    pub(crate) tag_budgets: HashMap<String, TagBudget>,
    pub(crate) on_soft_limit: Option<SoftLimitFn>,
    pub(crate) history: usize,
}

impl AllocConfig {
    /// The default pool retention: 4 MiB of free blocks kept for reuse.
    pub const DEFAULT_POOL_RETAIN: usize = 4 << 20;
    /// The default number of frames kept in the history.
    pub const DEFAULT_HISTORY: usize = 120;

    /// The defaults: arenas as [`ArenaConfig::new`], chunks from the system allocator, 4 MiB
    /// of pool retention, no budgets, 120 frames of history.
    pub fn new() -> Self {
        AllocConfig {
            first_chunk: ArenaConfig::DEFAULT_FIRST_CHUNK,
            max_chunk: ArenaConfig::DEFAULT_MAX_CHUNK,
            retain: None,
            guards: guard::COMPILED_IN,
            source: Arc::new(|| Box::new(SystemSource)),
            source_name: SystemSource.describe().into_owned(),
            pool_retain: Self::DEFAULT_POOL_RETAIN,
            frame_budget: None,
            tag_budgets: HashMap::new(),
            on_soft_limit: None,
            history: Self::DEFAULT_HISTORY,
        }
    }

    /// Size of each thread arena's first chunk, rounded and clamped as
    /// [`ArenaConfig::first_chunk_size`] does.
    pub fn first_chunk_size(mut self, bytes: usize) -> Self {
        self.first_chunk = clamp_chunk_size(bytes);
        self.max_chunk = self.max_chunk.max(self.first_chunk);
        self
    }

    /// Cap on each thread arena's chunk size, rounded and clamped as
    /// [`ArenaConfig::max_chunk_size`] does.
    pub fn max_chunk_size(mut self, bytes: usize) -> Self {
        self.max_chunk = clamp_chunk_size(bytes).max(self.first_chunk);
        self
    }

    /// Bytes of chunks each thread arena keeps across frames (see
    /// [`ArenaConfig::retain_bytes`]).
    pub fn retain_bytes(mut self, bytes: Option<usize>) -> Self {
        self.retain = bytes;
        self
    }

    /// Arena-wide debug guards in each thread arena (see [`ArenaConfig::guards`]).
    pub fn guards(mut self, on: bool) -> Self {
        self.guards = on;
        self
    }

    /// Where each thread arena's chunks come from: the system allocator (the default),
    /// [`PageSource`](crate::PageSource), [`NumaSource`](crate::NumaSource) or your own. Each
    /// thread's arena gets a clone of `source`.
    pub fn with_chunk_source<S>(mut self, source: S) -> Self
    where
        S: ChunkSource + Clone + Sync + 'static,
    {
        self.source_name = source.describe().into_owned();
        self.source = Arc::new(move || Box::new(source.clone()));
        self
    }

    /// Bytes of free pool blocks kept for reuse; blocks freed beyond it go back to the system.
    /// Blocks in threads' caches (at most 64 per size class per thread) are not counted.
    pub fn pool_retain_bytes(mut self, bytes: usize) -> Self {
        self.pool_retain = bytes;
        self
    }

    /// The most frame bytes all threads together may allocate in one frame. Checked on every
    /// frame allocation (see [`TagBudget`] for how); past it, `try_*` methods return
    /// [`AllocError::BudgetExceeded`](crate::AllocError::BudgetExceeded) with no tag, and the
    /// others panic with its message.
    pub fn frame_budget(mut self, bytes: Option<usize>) -> Self {
        self.frame_budget = bytes;
        self
    }

    /// Soft and hard limits on the frame bytes allocated under the tag `path` (a full path,
    /// like `"render/shadows"`) in one frame, over all threads. Allocations count against
    /// their innermost tag only.
    pub fn tag_budget(mut self, path: &str, budget: TagBudget) -> Self {
        self.tag_budgets.insert(path.into(), budget);
        self
    }

    /// Called once per frame per tag when the tag goes past its soft limit, on the thread
    /// whose allocation went past. It must not allocate frame memory from this allocator.
    pub fn on_soft_limit(
        mut self,
        callback: impl Fn(&SoftLimitEvent) + Send + Sync + 'static,
    ) -> Self {
        self.on_soft_limit = Some(Box::new(callback));
        self
    }

    /// How many ended frames' [`FrameStats`](crate::FrameStats) to keep (at least 1).
    pub fn history_len(mut self, frames: usize) -> Self {
        self.history = frames.max(1);
        self
    }

    /// The arena configuration of one thread.
    pub(crate) fn arena_config(&self) -> ArenaConfig {
        let mut config = ArenaConfig::new()
            .first_chunk_size(self.first_chunk)
            .max_chunk_size(self.max_chunk)
            .retain_bytes(self.retain)
            .guards(self.guards);
        config.source = (self.source)();
        config
    }
}

impl Default for AllocConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl core::fmt::Debug for AllocConfig {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AllocConfig")
            .field("first_chunk", &self.first_chunk)
            .field("max_chunk", &self.max_chunk)
            .field("retain", &self.retain)
            .field("guards", &self.guards)
            .field("source", &self.source_name)
            .field("pool_retain", &self.pool_retain)
            .field("frame_budget", &self.frame_budget)
            .field("tag_budgets", &self.tag_budgets)
            .field("history", &self.history)
            .finish_non_exhaustive()
    }
}
