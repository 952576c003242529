//! [`SmartAlloc`]: one thread-safe object over per-thread frame arenas, size-class pools,
//! tags, budgets and statistics.

mod config;
mod frame;
mod handle;
mod pool_box;
mod registry;
mod thread;

use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::vec::Vec;

mod budget;
mod perf;
mod report;

pub use budget::{SoftLimitEvent, TagBudget};
pub use config::AllocConfig;
pub use frame::{LocalFrame, SmartFrame};
pub use handle::ThreadHandle;
use handle::ThreadRef;
pub use perf::{PerformanceStats, Summary};
pub use pool_box::{PoolBlock, PoolBox};
pub use report::{AllocStats, FrameStats, TagStats, ThreadStats};
use thread::{Snapshot, ThreadState};

use crate::frame::Frame;
use crate::pool::PoolShared;
use crate::sync::lock;
use budget::Book;

static NEXT_ALLOC_ID: AtomicU64 = AtomicU64::new(1);

/// The thread-safe allocator facade: per-thread frame arenas, size-class pools, tags,
/// budgets and statistics. `Clone` gives another handle to the same allocator; it is `Send`
/// and `Sync`.
///
/// # Model
///
/// - Every thread that uses a `SmartAlloc` gets its own frame arena (made on first use, kept
///   across frames, released when the thread or the allocator goes away), so allocation
///   never takes a lock. Two allocators never share an arena.
/// - The allocator has one frame at a time, opened with [`SmartAlloc::begin_frame`] and
///   ended when the returned [`SmartFrame`] is dropped. A `SmartFrame` is `Sync`: worker
///   threads borrow it and allocate from their own arenas through it
///   ([`SmartFrame::frame_alloc`], or [`SmartFrame::for_current_thread`] in hot loops), and
///   what they allocate is typed `&'s T` with `'s` the borrow of the frame, so it can be
///   handed to other threads and stays valid until the frame ends for everyone. Dropping the
///   `SmartFrame` needs every borrow to have ended, so the compiler rejects ending a frame
///   while any thread still holds its memory or can still allocate in it. Each thread's arena
///   is reset when that thread next uses it.
/// - [`SmartAlloc::frame`] runs a closure as a frame of the calling thread alone, with the
///   full [`Frame`] API (scopes included): its memory is released when the closure returns.
/// - Pools ([`SmartAlloc::pool_box`]) serve long-lived objects of up to 4 KiB from per-thread
///   caches; larger requests go to the heap.
/// - [`SmartAlloc::with_tag`] attributes the calling thread's allocations to a tag; budgets
///   ([`AllocConfig::frame_budget`], [`AllocConfig::tag_budget`]) limit frame memory per
///   frame; [`FrameStats`] and [`AllocStats`] report it all.
///
/// ```
/// use framealloc::{SmartAlloc, TagBudget, AllocConfig};
///
/// let alloc = SmartAlloc::with_config(
///     AllocConfig::new().tag_budget("physics", TagBudget::hard(1 << 20)),
/// );
/// for _ in 0..3 {
///     let frame = alloc.begin_frame();
///     std::thread::scope(|s| {
///         for worker in 0..2u32 {
///             let frame = &frame;
///             let alloc = &alloc;
///             s.spawn(move || {
///                 alloc.with_tag("physics", || {
///                     let xs = frame.frame_slice(1000, worker);
///                     assert!(xs.iter().all(|&x| x == worker));
///                 })
///             });
///         }
///     });
///     let stats = frame.end();
///     assert_eq!(stats.threads.len(), 2);
/// }
/// assert_eq!(alloc.frame_number(), 3);
/// let _boxed = alloc.pool_box([0u8; 100]);
/// ```
///
///
/// ```
/// use framealloc::SmartAlloc;
///
/// let alloc = SmartAlloc::new();
/// // A frame of this thread, with scopes and everything `Frame` offers:
/// let n = alloc.frame(|f| f.alloc_slice_fill_copy(64, 1u32).iter().sum::<u32>());
/// assert_eq!(n, 64);
/// // The allocator's frame, for loops:
/// let frame = alloc.begin_frame();
/// let x = frame.frame_alloc(5u64);
/// *x += 1;
/// assert_eq!(*x, 6);
/// drop(frame);
/// assert_eq!(alloc.frame_number(), 1);
/// ```
#[derive(Clone)]
pub struct SmartAlloc {
    shared: Arc<Shared>,
}

/// What all handles of one allocator share.
pub(crate) struct Shared {
    /// Unique in the process, never reused: how a thread finds its state.
    pub(crate) id: u64,
    pub(crate) config: AllocConfig,
    /// Frames ended so far: the number of the open (or next) frame.
    pub(crate) epoch: AtomicU64,
    frame_open: AtomicBool,
    /// Every thread state, including those of exited threads whose memory may still be
    /// referenced by the open frame.
    pub(crate) threads: Mutex<Vec<Arc<ThreadState>>>,
    pub(crate) pool: PoolShared,
    pub(crate) book: Arc<Book>,
    history: Mutex<History>,
    /// Performance tracking: a flag for the frame boundaries to test, and the log.
    perf_on: AtomicBool,
    perf: Mutex<perf::PerfLog>,
}

struct History {
    ring: VecDeque<FrameStats>,
    /// Counted frame allocations over ended frames; `None` once a frame was not counted.
    allocations: Option<u64>,
    bytes: u64,
    peak: usize,
    pool_allocations: u64,
    pool_frees: u64,
    heap_allocations: u64,
    /// Counters of thread states that were let go.
    retired: Snapshot,
}

impl Default for History {
    fn default() -> Self {
        History {
            ring: VecDeque::new(),
            allocations: Some(0),
            bytes: 0,
            peak: 0,
            pool_allocations: 0,
            pool_frees: 0,
            heap_allocations: 0,
            retired: Snapshot::default(),
        }
    }
}

impl SmartAlloc {
    /// The smallest pool size class, in bytes: smaller requests take a block of this size.
    pub const POOL_MIN_BLOCK: usize = crate::pool::MIN_BLOCK;

    /// The largest pool size class, in bytes (classes double from
    /// [`POOL_MIN_BLOCK`](Self::POOL_MIN_BLOCK)); larger requests, or alignments above it, are
    /// served by the heap.
    ///
    /// ```
    /// use core::alloc::Layout;
    /// use framealloc::SmartAlloc;
    ///
    /// let alloc = SmartAlloc::new();
    /// let frame = alloc.begin_frame();
    /// let small = alloc.pool_alloc(Layout::new::<[u8; 24]>()); // a 32-byte class block
    /// let large = alloc.pool_alloc(Layout::array::<u8>(SmartAlloc::POOL_MAX_BLOCK + 1).unwrap());
    /// drop((small, large));
    /// let stats = frame.end();
    /// assert_eq!((stats.pool_allocations, stats.heap_allocations), (1, 1));
    /// ```
    pub const POOL_MAX_BLOCK: usize = crate::pool::MAX_BLOCK;

    /// An allocator with the default [`AllocConfig`]. Allocates nothing until used.
    pub fn new() -> Self {
        Self::with_config(AllocConfig::new())
    }

    /// An allocator with the given configuration. Allocates nothing until used.
    ///
    /// ```
    /// use framealloc::{AllocConfig, SmartAlloc};
    ///
    /// let alloc = SmartAlloc::with_config(AllocConfig::new().frame_budget(Some(1 << 20)));
    /// let frame = alloc.begin_frame();
    /// assert!(frame.try_frame_slice(2 << 20, 0u8).is_err());
    /// ```
    pub fn with_config(mut config: AllocConfig) -> Self {
        let book = Book::new(
            config.frame_budget,
            core::mem::take(&mut config.tag_budgets),
            config.on_soft_limit.take(),
        );
        SmartAlloc {
            shared: Arc::new(Shared {
                id: NEXT_ALLOC_ID.fetch_add(1, Ordering::Relaxed),
                pool: PoolShared::new(config.pool_retain),
                perf_on: AtomicBool::new(false),
                perf: Mutex::new(perf::PerfLog::new(config.history.min(1 << 16))),
                history: Mutex::new(History {
                    ring: VecDeque::with_capacity(config.history.min(1024)),
                    ..History::default()
                }),
                config,
                epoch: AtomicU64::new(0),
                frame_open: AtomicBool::new(false),
                threads: Mutex::new(Vec::new()),
                book: Arc::new(book),
            }),
        }
    }

    /// A handle for the calling thread that skips the per-call lookup of its state: use it
    /// in hot loops of pool allocations or thread frames. It is neither `Send` nor `Sync`.
    ///
    /// ```
    /// let alloc = framealloc::SmartAlloc::new();
    /// let here = alloc.for_current_thread();
    /// let boxes: Vec<_> = (0..100).map(|i| here.pool_box(i)).collect();
    /// assert_eq!(boxes.iter().map(|b| **b).sum::<i32>(), 4950);
    /// ```
    ///
    /// # Panics
    ///
    /// When called while the thread is exiting (from a thread-local's destructor).
    #[inline]
    #[track_caller]
    pub fn for_current_thread(&self) -> ThreadHandle<'_> {
        ThreadHandle::new(self, self.state())
    }

    /// The calling thread's state for the length of one call of the allocator's own
    /// methods (see [`ThreadRef`]).
    #[inline(always)]
    #[track_caller]
    fn here(&self) -> ThreadRef<'_> {
        ThreadRef::new(self, self.state())
    }

    #[inline(always)]
    #[track_caller]
    fn state(&self) -> &ThreadState {
        self.state_by_id(self.shared.id)
    }

    /// [`state`](Self::state) with the allocator's id already at hand.
    #[inline(always)]
    #[track_caller]
    pub(crate) fn state_by_id(&self, id: u64) -> &ThreadState {
        state_of(&self.shared, id)
    }

    /// Runs `body` as a frame of the calling thread: everything `f` allocates is released when
    /// `body` returns (or unwinds). `f` is a full [`Frame`], with scopes, vectors, boxes and
    /// handles. It does not end the allocator's frame ([`begin_frame`](Self::begin_frame)),
    /// and allocations made earlier in that frame on this thread stay valid.
    ///
    /// # Panics
    ///
    /// If this thread is already inside `frame` of this allocator (use `f.scope` instead), or
    /// holds a [`LocalFrame`] of it.
    ///
    /// ```
    /// use framealloc::SmartAlloc;
    ///
    /// let alloc = SmartAlloc::new();
    /// let sum = alloc.frame(|mut f| {
    ///     let xs = f.alloc_slice_fill_with(100, |i| i as u64);
    ///     f.scope(|g| g.alloc_slice_copy(xs).len());
    ///     xs.iter().sum::<u64>()
    /// }); // everything `f` allocated is released here
    /// assert_eq!(sum, 4950);
    /// ```
    #[track_caller]
    pub fn frame<'env, R>(&self, body: impl for<'f> FnOnce(Frame<'f, 'env>) -> R) -> R {
        self.here().frame(body)
    }

    /// Opens the allocator's frame: allocate through the returned [`SmartFrame`] from any
    /// thread; the frame ends, and every thread's frame memory is released, when it is
    /// dropped (or [`end`](SmartFrame::end)ed).
    ///
    /// # Panics
    ///
    /// If a frame is already open; see [`try_begin_frame`](Self::try_begin_frame).
    ///
    /// ```
    /// let alloc = framealloc::SmartAlloc::new();
    /// for n in 0..3 {
    ///     let frame = alloc.begin_frame();
    ///     assert!(alloc.try_begin_frame().is_none()); // one frame at a time
    ///     assert_eq!(*frame.frame_alloc(n), n);
    /// }
    /// assert_eq!(alloc.frame_number(), 3);
    /// ```
    #[track_caller]
    pub fn begin_frame(&self) -> SmartFrame<'_> {
        match self.try_begin_frame() {
            Some(frame) => frame,
            None => panic!(
                "SmartAlloc::begin_frame: frame {} of this allocator is already open; end it \
                 (drop its SmartFrame) before beginning the next",
                self.frame_number()
            ),
        }
    }

    /// [`begin_frame`](Self::begin_frame), or `None` if a frame is already open.
    pub fn try_begin_frame(&self) -> Option<SmartFrame<'_>> {
        self.open_frame(frame::Holder::Borrowed(self))
    }

    /// Opens the allocator's frame, reached through `alloc`.
    fn open_frame<'a>(&self, alloc: frame::Holder<'a>) -> Option<SmartFrame<'a>> {
        self.shared
            .frame_open
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .ok()?;
        if self.shared.perf_on.load(Ordering::Relaxed) {
            lock(&self.shared.perf).frame_began();
        }
        Some(SmartFrame::new(
            alloc,
            self.shared.epoch.load(Ordering::Acquire),
        ))
    }

    /// [`begin_frame`](Self::begin_frame) for places that need a `'static` frame (an ECS
    /// resource, a struct without a lifetime parameter): the frame holds the allocator
    /// (one more reference to it) instead of borrowing it. Allocations still borrow the
    /// `SmartFrame` itself, so the frame cannot end while any of them is in use. Forgetting
    /// it (`mem::forget`) leaves the frame open and keeps the allocator alive for good.
    ///
    /// # Panics
    ///
    /// If a frame is already open; see [`try_begin_frame_owned`](Self::try_begin_frame_owned).
    ///
    /// ```
    /// use framealloc::{SmartAlloc, SmartFrame};
    ///
    /// struct Game {
    ///     frame: Option<SmartFrame<'static>>,
    /// }
    ///
    /// let alloc = SmartAlloc::new();
    /// let mut game = Game { frame: Some(alloc.begin_frame_owned()) };
    /// drop(alloc); // the frame keeps the allocator alive
    /// let frame = game.frame.as_ref().unwrap();
    /// assert_eq!(frame.frame_slice(4, 7u8).iter().sum::<u8>(), 28);
    /// let stats = game.frame.take().unwrap().end();
    /// assert_eq!(stats.frame, 0);
    /// ```
    #[track_caller]
    pub fn begin_frame_owned(&self) -> SmartFrame<'static> {
        match self.try_begin_frame_owned() {
            Some(frame) => frame,
            None => panic!(
                "SmartAlloc::begin_frame_owned: frame {} of this allocator is already open; \
                 end it (drop its SmartFrame) before beginning the next",
                self.frame_number()
            ),
        }
    }

    /// [`begin_frame_owned`](Self::begin_frame_owned), or `None` if a frame is already open.
    pub fn try_begin_frame_owned(&self) -> Option<SmartFrame<'static>> {
        self.open_frame(frame::Holder::Owned(self.clone()))
    }

    /// Runs `body` with `name` as the calling thread's innermost tag: the thread's allocations
    /// in it are attributed to the tag (its path is `outer/name` inside a tag `outer`), and
    /// its frame allocations count against the tag's budget.
    ///
    /// Tags belong to a thread: work `body` hands to other threads is not tagged unless those
    /// threads call `with_tag` themselves.
    ///
    /// ```
    /// let alloc = framealloc::SmartAlloc::new();
    /// alloc.with_tag("render", || {
    ///     alloc.with_tag("shadows", || alloc.frame(|f| { f.alloc([0u8; 256]); }));
    /// });
    /// let frame = alloc.begin_frame();
    /// let stats = frame.end();
    /// assert_eq!(stats.tags[0].tag, "render/shadows");
    /// assert!(stats.tags[0].bytes >= 256);
    /// ```
    #[track_caller]
    pub fn with_tag<R>(&self, name: &'static str, body: impl FnOnce() -> R) -> R {
        self.here().with_tag(name, body)
    }

    /// Moves `value` into a pool block (a heap block above 4 KiB); the block goes back to a
    /// pool when the box is dropped, on any thread.
    ///
    /// # Panics
    ///
    /// When the system is out of memory; see [`try_pool_box`](Self::try_pool_box).
    ///
    /// ```
    /// let alloc = framealloc::SmartAlloc::new();
    /// let event = alloc.pool_box([0u8; 48]); // a 64-byte class block
    /// let big = alloc.heap_box([0u8; 8192]); // above the largest class: a plain Box
    /// let moved = std::thread::scope(|s| s.spawn(move || event.len()).join().unwrap()); // freed there
    /// assert_eq!((moved, big.len()), (48, 8192));
    /// assert!(alloc.try_pool_box(1u64).is_ok());
    /// ```
    #[inline]
    #[track_caller]
    pub fn pool_box<T>(&self, value: T) -> PoolBox<'_, T> {
        self.here().pool_box(value)
    }

    /// [`pool_box`](Self::pool_box), or the error when the system is out of memory.
    #[inline]
    #[track_caller]
    pub fn try_pool_box<T>(&self, value: T) -> Result<PoolBox<'_, T>, crate::AllocError> {
        self.here().try_pool_box(value)
    }

    /// A raw pool block for `layout` (a heap block above 4 KiB), given back when dropped.
    ///
    /// # Panics
    ///
    /// When the system is out of memory; see [`try_pool_alloc`](Self::try_pool_alloc).
    #[inline]
    #[track_caller]
    pub fn pool_alloc(&self, layout: core::alloc::Layout) -> PoolBlock<'_> {
        self.here().pool_alloc(layout)
    }

    /// [`pool_alloc`](Self::pool_alloc), or the error when the system is out of memory.
    #[inline]
    #[track_caller]
    pub fn try_pool_alloc(
        &self,
        layout: core::alloc::Layout,
    ) -> Result<PoolBlock<'_>, crate::AllocError> {
        self.here().try_pool_alloc(layout)
    }

    /// `Box::new(value)`, counted in the statistics and attributed to the innermost tag.
    #[track_caller]
    pub fn heap_box<T>(&self, value: T) -> std::boxed::Box<T> {
        self.here().heap_box(value)
    }

    /// Frames ended so far: the number of the open (or next) frame.
    pub fn frame_number(&self) -> u64 {
        self.shared.epoch.load(Ordering::Acquire)
    }

    /// The statistics of the last ended frame, if any.
    pub fn frame_stats(&self) -> Option<FrameStats> {
        lock(&self.shared.history).ring.back().cloned()
    }

    /// Copies the statistics of the last ended frame into `out`, reusing its buffers (so a
    /// loop that keeps one `FrameStats` allocates nothing once they are large enough), and
    /// returns `true`; `false`, with `out` unchanged, before any frame has ended.
    ///
    /// ```
    /// use framealloc::{FrameStats, SmartAlloc};
    ///
    /// let alloc = SmartAlloc::new();
    /// let mut last = FrameStats::default();
    /// assert!(!alloc.frame_stats_into(&mut last));
    /// for _ in 0..3 {
    ///     let frame = alloc.begin_frame();
    ///     frame.frame_slice(10, 0u8);
    ///     drop(frame);
    ///     assert!(alloc.frame_stats_into(&mut last));
    /// }
    /// assert_eq!((last.frame, last.allocations), (2, Some(1)));
    /// ```
    pub fn frame_stats_into(&self, out: &mut FrameStats) -> bool {
        match lock(&self.shared.history).ring.back() {
            Some(last) => {
                out.clone_from(last);
                true
            }
            None => false,
        }
    }

    /// The statistics of the last ended frames, oldest first (at most
    /// [`AllocConfig::history_len`] of them).
    pub fn history(&self) -> Vec<FrameStats> {
        lock(&self.shared.history).ring.iter().cloned().collect()
    }

    /// Turns per-frame performance tracking on (from an empty record) or off: the time from
    /// `begin_frame` to each frame's end, and its allocations, bytes and peak, for the last
    /// [`AllocConfig::history_len`] frames. It costs a clock read at each frame's start and
    /// end and nothing per allocation; once on, a steady frame loop records without
    /// allocating.
    ///
    /// ```
    /// let alloc = framealloc::SmartAlloc::new();
    /// assert!(alloc.performance_stats().is_none());
    /// alloc.enable_performance_tracking(true);
    /// alloc.begin_frame().frame_slice(64, 0u8);
    /// assert_eq!(alloc.performance_stats().unwrap().frames, 1);
    /// alloc.enable_performance_tracking(false);
    /// assert!(alloc.performance_stats().is_none());
    /// ```
    pub fn enable_performance_tracking(&self, on: bool) {
        lock(&self.shared.perf).enable(on);
        self.shared.perf_on.store(on, Ordering::Relaxed);
    }

    /// Means and percentiles of frame time, allocations, bytes and peak over the frames
    /// recorded since tracking was turned on (the last [`AllocConfig::history_len`] of them);
    /// `None` while tracking is off or before a frame ended. See [`PerformanceStats`].
    pub fn performance_stats(&self) -> Option<PerformanceStats> {
        lock(&self.shared.perf).stats()
    }

    /// Totals and the current state.
    ///
    /// ```
    /// let alloc = framealloc::SmartAlloc::new();
    /// for _ in 0..3 {
    ///     let frame = alloc.begin_frame();
    ///     frame.frame_slice(100, 0u32);
    /// }
    /// let last = alloc.frame_stats().unwrap();
    /// assert_eq!((last.frame, alloc.history().len()), (2, 3));
    /// assert_eq!(alloc.stats().frames, 3);
    /// println!("{}", alloc.stats());
    /// ```
    pub fn stats(&self) -> AllocStats {
        let shared = &*self.shared;
        let threads = lock(&shared.threads);
        let h = lock(&shared.history);
        let mut all = h.retired;
        for t in threads.iter() {
            let s = t.counters.snapshot();
            all.pool_allocations += s.pool_allocations;
            all.pool_frees += s.pool_frees;
        }
        AllocStats {
            frames: shared.epoch.load(Ordering::Acquire),
            frame_open: shared.frame_open.load(Ordering::Acquire),
            threads: threads
                .iter()
                .filter(|t| !t.exited.load(Ordering::Acquire))
                .count(),
            allocations: h.allocations,
            bytes: h.bytes,
            peak_bytes: h.peak,
            pool_allocations: h.pool_allocations,
            pool_frees: h.pool_frees,
            heap_allocations: h.heap_allocations,
            pool_blocks_in_use: all.pool_allocations.saturating_sub(all.pool_frees),
            pool_blocks_held: shared.pool.blocks_held(),
            pool_bytes_retained: shared.pool.retained_bytes(),
            tags: shared.book.totals(),
            chunk_source: shared.config.source_name.clone(),
        }
    }
}

impl Default for SmartAlloc {
    fn default() -> Self {
        Self::new()
    }
}

impl core::fmt::Debug for SmartAlloc {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SmartAlloc")
            .field("id", &self.shared.id)
            .field("frame_number", &self.frame_number())
            .field("config", &self.shared.config)
            .finish_non_exhaustive()
    }
}

/// With a profiler, the thread ending frame `number` has its arena end the frame now,
/// handing its records over (other threads' arenas do on their next use of the allocator).
#[cfg(feature = "profiler")]
fn profile_frame_ended(shared: &Arc<Shared>, number: u64) {
    if let Some(profiler) = &shared.config.profiler {
        if let Some(state) = registry::current_by_id(shared.id, shared) {
            state.sync_epoch(number + 1);
        }
        profiler.frame_mark();
    }
}

impl Shared {
    /// Ends frame `number`: collects its statistics into the history, lets go of exited
    /// threads' states, and moves every arena on to the next frame (each resets on its
    /// thread's next use). Returns a copy of the record if `want` (dropping a frame does not).
    ///
    /// In a steady loop this allocates nothing once the history is full: the record reuses
    /// the buffers of the oldest one it replaces, thread names included.
    fn end_frame(&self, number: u64, want: bool) -> Option<FrameStats> {
        let mut stats = {
            let mut h = lock(&self.history);
            if h.ring.len() >= self.config.history {
                h.ring.pop_front()
            } else {
                None
            }
        }
        .unwrap_or_default();
        stats.frame = number;
        stats.allocations = Some(0);
        stats.bytes = 0;
        stats.peak_bytes = 0;
        stats.pool_allocations = 0;
        stats.pool_frees = 0;
        stats.heap_allocations = 0;
        let mut gone = Vec::new();
        {
            let mut threads = lock(&self.threads);
            let mut filled = 0;
            // A plain loop rather than `retain`: exits are rare, and this runs every frame.
            let mut i = 0;
            while let Some(t) = threads.get(i) {
                if let Some(figures) = t.collect(number) {
                    stats.allocations = stats
                        .allocations
                        .filter(|_| !figures.uncounted)
                        .map(|n| n + figures.allocations);
                    stats.bytes += figures.bytes;
                    stats.peak_bytes += figures.peak_bytes;
                    stats.pool_allocations += figures.pool_allocations;
                    stats.pool_frees += figures.pool_frees;
                    stats.heap_allocations += figures.heap_allocations;
                    match stats.threads.get_mut(filled) {
                        Some(slot) => figures.write_to(slot, t.name()),
                        None => stats.threads.push(figures.with_name(t.name())),
                    }
                    filled += 1;
                }
                if t.exited.load(Ordering::Acquire) {
                    gone.push(threads.remove(i));
                } else {
                    i += 1;
                }
            }
            stats.threads.truncate(filled);
        }
        self.book.end_frame(number, &mut stats.tags);
        let copy = want.then(|| stats.clone());
        {
            let mut h = lock(&self.history);
            for t in &gone {
                h.retire(t);
            }
            h.allocations = h.allocations.zip(stats.allocations).map(|(a, b)| a + b);
            h.bytes += stats.bytes as u64;
            h.peak = h.peak.max(stats.peak_bytes);
            h.pool_allocations += stats.pool_allocations;
            h.pool_frees += stats.pool_frees;
            h.heap_allocations += stats.heap_allocations;
            if h.ring.len() >= self.config.history {
                h.ring.pop_front();
            }
            if self.perf_on.load(Ordering::Relaxed) {
                let mut perf = lock(&self.perf);
                if perf.enabled() {
                    perf.frame_ended(&stats);
                }
            }
            h.ring.push_back(stats);
        }
        self.epoch.store(number + 1, Ordering::Release);
        self.frame_open.store(false, Ordering::Release);
        // The states of exited threads are freed here, arenas and all: the frame that could
        // reach their memory has just ended.
        drop(gone);
        copy
    }

    /// The calling thread is exiting and nothing of it borrows its state any more: its pool
    /// cache goes to the shared lists, and its state is let go now, or when the open frame
    /// (which may hold its memory) ends.
    ///
    /// Returns the allocator's reference to the state when it let go of it now. The caller
    /// drops it after its last use of `state`: it may be the last reference.
    #[must_use]
    pub(crate) fn thread_exit(&self, state: &ThreadState) -> Option<Arc<ThreadState>> {
        // SAFETY: this runs on the owner thread (in a thread-local's destructor), holding a
        // strong reference to the allocator; no other reference from `cache` is alive.
        unsafe { state.cache() }.flush(&self.pool);
        state.publish();
        // The thread's frame ends here for the profiler, and its records reach it now, not
        // when its state is freed.
        #[cfg(feature = "profiler")]
        if state.arena.recorder().is_some() {
            state.arena.profile_frame_end();
        }
        state.exited.store(true, Ordering::Release);
        if self.frame_open.load(Ordering::Acquire) {
            return None;
        }
        let mut threads = lock(&self.threads);
        let i = threads
            .iter()
            .position(|t| core::ptr::eq(Arc::as_ptr(t), state))?;
        let t = threads.swap_remove(i);
        drop(threads);
        lock(&self.history).retire(&t);
        Some(t)
    }
}

impl History {
    fn retire(&mut self, t: &ThreadState) {
        let s = t.counters.snapshot();
        self.retired.pool_allocations += s.pool_allocations;
        self.retired.pool_frees += s.pool_frees;
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        for t in self
            .threads
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .drain(..)
        {
            // SAFETY: no strong reference to the allocator is left, so no owner thread is
            // using its state (they all need one: see `ThreadState`'s `Sync` impl) or can
            // start to; no frame memory can be referenced (every frame borrows the
            // allocator).
            unsafe { t.arena.release_all() };
            // SAFETY: as above: no owner thread can be using the cache.
            unsafe { t.cache() }.release();
        }
    }
}

/// The calling thread's state of the allocator `shared` (whose id is `id`).
#[inline(always)]
#[track_caller]
pub(crate) fn state_of(shared: &Arc<Shared>, id: u64) -> &ThreadState {
    match registry::current_by_id(id, shared) {
        Some(state) => state,
        None => thread_exiting(),
    }
}

#[cold]
#[inline(never)]
#[track_caller]
fn thread_exiting() -> ! {
    panic!(
        "SmartAlloc: this thread is exiting (its thread-locals are being destroyed) and can no \
         longer get an arena or pool cache; allocate before the thread ends"
    )
}
