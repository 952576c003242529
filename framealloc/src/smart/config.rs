//! [`AllocConfig`]: how a [`SmartAlloc`](crate::SmartAlloc) sizes its arenas and pools and
//! what it limits.

use std::boxed::Box;
use std::collections::HashMap;
use std::string::String;
use std::sync::Arc;

use super::budget::{SoftLimitEvent, SoftLimitFn, TagBudget};
use crate::chunk::{ChunkSource, SystemSource};
use crate::frame::config::ArenaSettings;
use crate::frame::ArenaConfig;
use crate::guard::{GuardHandler, GuardReport};

/// Makes the chunk source of each thread's arena.
type SourceFactory = Arc<dyn Fn() -> Box<dyn ChunkSource> + Send + Sync>;

/// Called with each guard violation found in any thread's arena.
type GuardFn = Arc<dyn Fn(&GuardReport) + Send + Sync>;

/// How a [`SmartAlloc`](crate::SmartAlloc) gets and limits its memory.
///
/// Arena settings apply to each thread's arena (the defaults of [`ArenaConfig`]); budgets
/// apply to frame memory per frame over all threads.
///
/// Each thread's arena is made from one template: its chunk sizes, retention and guard
/// settings, a clone of the chunk source, and a guard handler that calls
/// [`on_guard_violation`](Self::on_guard_violation) (or panics, the default).
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
    /// Each thread arena's settings (its source and guard handler are made per arena).
    arena: ArenaSettings,
    on_guard: Option<GuardFn>,
    pub(crate) source: SourceFactory,
    pub(crate) source_name: String,
    pub(crate) pool_retain: usize,
    pub(crate) frame_budget: Option<usize>,
    pub(crate) tag_budgets: HashMap<String, TagBudget>,
    pub(crate) on_soft_limit: Option<SoftLimitFn>,
    pub(crate) history: usize,
    #[cfg(feature = "profiler")]
    pub(crate) profiler: Option<crate::profile::Profiler>,
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
            arena: ArenaSettings::DEFAULT,
            on_guard: None,
            source: Arc::new(|| Box::new(SystemSource)),
            source_name: SystemSource.describe().into_owned(),
            pool_retain: Self::DEFAULT_POOL_RETAIN,
            frame_budget: None,
            tag_budgets: HashMap::new(),
            on_soft_limit: None,
            history: Self::DEFAULT_HISTORY,
            #[cfg(feature = "profiler")]
            profiler: None,
        }
    }

    /// Size of each thread arena's first chunk, rounded and clamped as
    /// [`ArenaConfig::first_chunk_size`] does.
    pub fn first_chunk_size(mut self, bytes: usize) -> Self {
        self.arena = self.arena.first_chunk_size(bytes);
        self
    }

    /// Cap on each thread arena's chunk size, rounded and clamped as
    /// [`ArenaConfig::max_chunk_size`] does.
    pub fn max_chunk_size(mut self, bytes: usize) -> Self {
        self.arena = self.arena.max_chunk_size(bytes);
        self
    }

    /// Bytes of chunks each thread arena keeps across frames (see
    /// [`ArenaConfig::retain_bytes`]).
    pub fn retain_bytes(mut self, bytes: Option<usize>) -> Self {
        self.arena.retention = crate::Retention::from_limit(bytes);
        self
    }

    /// How much chunk memory each thread arena keeps when a frame ends (see
    /// [`ArenaConfig::retention`]; the default is [`Retention::DEFAULT`](crate::Retention::DEFAULT)).
    ///
    /// ```
    /// use framealloc::{AllocConfig, Retention, SmartAlloc};
    ///
    /// let alloc = SmartAlloc::with_config(AllocConfig::new().retention(Retention::adaptive(60, 25)));
    /// alloc.begin_frame().frame_alloc(0u64);
    /// ```
    pub fn retention(mut self, retention: crate::Retention) -> Self {
        self.arena.retention = retention;
        self
    }

    /// Arena-wide debug guards in each thread arena (see [`ArenaConfig::guards`]).
    pub fn guards(mut self, on: bool) -> Self {
        self.arena.guards = on;
        self
    }

    /// Canaries before each guarded allocation too, in each thread arena (see
    /// [`ArenaConfig::guard_underruns`]).
    pub fn guard_underruns(mut self, on: bool) -> Self {
        self.arena.guard_underruns = on;
        self
    }

    /// Called with each guard violation (an overrun into a canary, a write to poisoned
    /// memory) found in any thread's arena, on the thread that found it, instead of the
    /// default panic. It must not allocate frame memory from this allocator.
    ///
    /// ```
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// use std::sync::Arc;
    /// use framealloc::{AllocConfig, SmartAlloc};
    ///
    /// let found = Arc::new(AtomicUsize::new(0));
    /// let seen = Arc::clone(&found);
    /// let alloc = SmartAlloc::with_config(
    ///     AllocConfig::new()
    ///         .guards(true)
    ///         .guard_underruns(true)
    ///         .on_guard_violation(move |report| {
    ///             eprintln!("{report}");
    ///             seen.fetch_add(1, Ordering::Relaxed);
    ///         }),
    /// );
    /// let frame = alloc.begin_frame();
    /// let here = frame.for_current_thread();
    /// here.alloc_slice_fill_copy(8, 0u8);
    /// assert_eq!(here.check_guards(), 0); // nothing overran
    /// # drop(here);
    /// # frame.end();
    /// assert_eq!(found.load(Ordering::Relaxed), 0);
    /// ```
    pub fn on_guard_violation(
        mut self,
        callback: impl Fn(&GuardReport) + Send + Sync + 'static,
    ) -> Self {
        self.on_guard = Some(Arc::new(callback));
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

    /// Each thread arena's chunks from reserved virtual memory, as
    /// [`ArenaConfig::virtual_memory`] sets them for one arena: every thread that allocates
    /// reserves `source`'s reservation once (address space only; pages are backed as its
    /// frames touch them), so a frame of any size is one chunk per thread, and the
    /// [`Retention`](crate::Retention) gives back the pages a spike used. Where `source` falls
    /// back (not Linux, or Miri), only the source is set and chunks keep the usual sizes;
    /// [`AllocStats::chunk_source`](crate::AllocStats::chunk_source) says which.
    ///
    /// ```
    /// use framealloc::{AllocConfig, Retention, SmartAlloc, VirtualSource};
    ///
    /// let alloc = SmartAlloc::with_config(
    ///     AllocConfig::new()
    ///         .virtual_memory(VirtualSource::new(16 << 30))
    ///         .retention(Retention::adaptive(120, 25)),
    /// );
    /// let frame = alloc.begin_frame();
    /// assert_eq!(frame.frame_slice(1000, 1u32).iter().sum::<u32>(), 1000);
    /// frame.end();
    /// let source = alloc.stats().chunk_source;
    /// assert!(source.contains("virtual memory"), "{source}");
    /// ```
    pub fn virtual_memory(mut self, source: crate::VirtualSource) -> Self {
        self.arena = self.arena.virtual_memory(&source);
        self.with_chunk_source(source)
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
        let handler = match &self.on_guard {
            Some(callback) => {
                let callback = Arc::clone(callback);
                GuardHandler::callback(move |report| callback(report))
            }
            None => GuardHandler::Panic,
        };
        #[allow(unused_mut)]
        let mut config = self.arena.with((self.source)(), handler);
        #[cfg(feature = "profiler")]
        {
            config.profiler = self.profiler.clone();
            // The reports' budget line: the frame budget, not the arenas' leases.
            config.profile_budget = self.frame_budget;
            config.profile_marks_frames = false;
        }
        config
    }

    /// Records every thread arena's allocations, rewinds and frame ends, and the pools' and
    /// heap's allocations and frees, into `profiler` (the `profiler` feature; see
    /// [`profile`](crate::profile)). Records carry the allocator's frame numbers.
    ///
    /// ```
    /// use framealloc::profile::{ProfileConfig, Profiler};
    /// use framealloc::{AllocConfig, SmartAlloc};
    ///
    /// let profiler = Profiler::new(ProfileConfig::new());
    /// let alloc = SmartAlloc::with_config(AllocConfig::new().profiler(&profiler));
    /// let frame = alloc.begin_frame();
    /// alloc.with_tag("ai", || frame.frame_slice(10_000, 0u8)); // above 8 KiB: recorded
    /// frame.end(); // this thread's arena hands its records over
    /// let profile = profiler.snapshot();
    /// assert_eq!(profile.frames()[0].by_tag, vec![("ai".to_string(), 10_000)]);
    /// ```
    #[cfg(feature = "profiler")]
    pub fn profiler(mut self, profiler: &crate::profile::Profiler) -> Self {
        self.profiler = Some(profiler.clone());
        self
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
            .field("first_chunk", &self.arena.first_chunk)
            .field("max_chunk", &self.arena.max_chunk)
            .field("retention", &self.arena.retention)
            .field("guards", &self.arena.guards)
            .field("guard_underruns", &self.arena.guard_underruns)
            .field("on_guard_violation", &self.on_guard.is_some())
            .field("source", &self.source_name)
            .field("pool_retain", &self.pool_retain)
            .field("frame_budget", &self.frame_budget)
            .field("tag_budgets", &self.tag_budgets)
            .field("history", &self.history)
            .finish_non_exhaustive()
    }
}
