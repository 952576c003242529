//! The state one thread keeps for one allocator (its arena, pool caches and tag stack), and
//! how a thread finds it.

use core::cell::{Cell, OnceCell, RefCell, UnsafeCell};

use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::string::String;
use std::sync::{Arc, Mutex};
use std::vec::Vec;

use super::budget::TagInfo;
use super::report::ThreadStats;
use super::Shared;
use crate::frame::{raw_arena, Frame};
use crate::pool::ThreadCache;
use crate::raw::{Gauges, RawArena};
use crate::sync::lock;

/// One thread's state for one allocator.
///
/// Everything but the atomics and `seen` belongs to the owner thread: it is touched only by
/// that thread while it holds a strong reference to the allocator (directly or through a
/// borrow), or by whoever drops the last reference to the allocator or to this state, when
/// no such access can be running (see the `Sync` impl).
pub(crate) struct ThreadState {
    pub(crate) arena: RawArena,
    /// The allocator frame the arena's contents belong to; behind it, the arena is reset
    /// before its next use.
    epoch: Cell<u64>,
    /// The frame vectors of `SmartFrame::frame_vec` hold: the arena with no scope link,
    /// made on first use, when the state is at its final address. Its `'static` is never
    /// used: [`view`](Self::view) lends it for the borrow of an open `SmartFrame` only.
    view: OnceCell<Frame<'static, 'static>>,
    /// `LocalFrame`s alive on this arena.
    pub(crate) locals: Cell<usize>,
    /// `ThreadHandle`s alive on this state (those `for_current_thread` hands out).
    pub(crate) handles: Cell<usize>,
    /// The thread's registry was destroyed while handles or local frames were alive (kept in
    /// thread-locals destroyed after it): the last of them to be dropped finishes the exit.
    exit_pending: Cell<bool>,
    cache: UnsafeCell<ThreadCache>,
    tags: RefCell<Vec<TagEntry>>,
    pub(crate) counters: Counters,
    /// The counters at the end of the last frame; only the thread ending a frame touches it.
    seen: Mutex<Snapshot>,
    name: String,
    /// The thread has exited; its state waits for the frame to end.
    pub(crate) exited: AtomicBool,
    /// The allocator uses budgets, so the arena's budget is a lease.
    budgets: bool,
}

// SAFETY: the non-atomic parts (`arena`, the `Cell`s, `view`, `cache`, `tags`) are used by the owner
// thread only, while it holds a strong reference to the allocator (every public entry point
// borrows a `SmartAlloc`, and the thread-exit path upgrades its weak reference first); by
// `Shared`'s `Drop`, which runs when no strong reference is left, so the owner cannot be
// using them (the last reference's release/acquire orders the owner's accesses before);
// and by this state's own `Drop`. Everything else is atomics and a `Mutex`. Sending the state
// (as part of an `Arc`) moves nothing the owner is using, for the same reasons.
unsafe impl Sync for ThreadState {}
// SAFETY: as above.
unsafe impl Send for ThreadState {}

/// One open `with_tag`.
struct TagEntry {
    info: Arc<TagInfo>,
    /// Arena bytes in use when the tag was entered.
    used_start: usize,
    /// The arena's bytes given back (rewinds, give-backs) when the tag was entered.
    given_back_start: u64,
    /// Arena bytes released by resets while the tag was open.
    released: usize,
    /// Bytes attributed to tags nested in this one.
    child: usize,
    /// Pool and heap allocations under the tag.
    allocations: u64,
    /// Frame allocations counted (`frame_allocations_now`) when the tag was entered.
    frame_allocations_start: u64,
    /// `counters.uncounted` when the tag was entered, or `u64::MAX` if a lent frame was alive
    /// then (the tag's count cannot be complete).
    uncounted_start: u64,
    /// How far `counters.uncounted` moved inside tags nested in this one (theirs, not its).
    child_uncounted: u64,
    /// Frame allocations attributed to tags nested in this one.
    child_allocations: u64,
    /// Pool and heap bytes allocated under the tag.
    other_bytes: usize,
}

/// Figures the owner writes and the thread ending a frame reads. Only the owner stores to
/// them (with a plain load and store: no read-modify-write on the hot paths), and they never
/// go back to zero except the gauges' `used` and `peak` and `epoch`, which describe the
/// arena's current frame.
#[derive(Default)]
pub(crate) struct Counters {
    pub(crate) allocations: AtomicU64,
    /// How many times frame allocations may have been made where they are not counted (see
    /// `note_uncounted`); a frame whose count moved shows its allocations as not counted.
    pub(crate) uncounted: AtomicU64,
    pub(crate) pool_allocations: AtomicU64,
    pub(crate) pool_frees: AtomicU64,
    pub(crate) heap_allocations: AtomicU64,
    /// What the arena publishes: bytes in use, peak, bytes given back.
    pub(crate) gauges: Arc<Gauges>,
    /// The frame the gauges' `used` and `peak` belong to.
    pub(crate) epoch: AtomicU64,
}

/// Adds one to an owner-written counter.
#[inline(always)]
pub(crate) fn bump(counter: &AtomicU64, by: u64) {
    counter.store(counter.load(Ordering::Relaxed) + by, Ordering::Relaxed);
}

#[derive(Clone, Copy, Default)]
pub(crate) struct Snapshot {
    pub(crate) allocations: u64,
    pub(crate) uncounted: u64,
    pub(crate) given_back: u64,
    pub(crate) buffers: u64,
    pub(crate) pool_allocations: u64,
    pub(crate) pool_frees: u64,
    pub(crate) heap_allocations: u64,
}

impl Counters {
    pub(crate) fn snapshot(&self) -> Snapshot {
        Snapshot {
            allocations: self.allocations.load(Ordering::Relaxed),
            uncounted: self.uncounted.load(Ordering::Relaxed),
            given_back: self.gauges.given_back.load(Ordering::Relaxed),
            buffers: self.gauges.buffers.load(Ordering::Relaxed),
            pool_allocations: self.pool_allocations.load(Ordering::Relaxed),
            pool_frees: self.pool_frees.load(Ordering::Relaxed),
            heap_allocations: self.heap_allocations.load(Ordering::Relaxed),
        }
    }
}

impl ThreadState {
    pub(crate) fn new(shared: &Shared) -> Self {
        let mut arena = raw_arena(shared.config.arena_config());
        let budgets = shared.book.has_budgets();
        if budgets {
            arena.set_budget(Some(0));
            arena.set_budget_hook(std::boxed::Box::new(super::budget::BookHook(Arc::clone(
                &shared.book,
            ))));
        }
        let thread = std::thread::current();
        let name = match thread.name() {
            Some(name) => name.into(),
            None => format!("{:?}", thread.id()),
        };
        let epoch = shared.epoch.load(Ordering::Acquire);
        #[cfg(feature = "profiler")]
        if let Some(recorder) = arena.recorder() {
            recorder.set_frame(epoch);
        }
        let counters = Counters::default();
        counters.epoch.store(epoch, Ordering::Relaxed);
        arena.set_gauges(Arc::clone(&counters.gauges));
        ThreadState {
            arena,
            epoch: Cell::new(epoch),
            view: OnceCell::new(),
            locals: Cell::new(0),
            handles: Cell::new(0),
            exit_pending: Cell::new(false),
            cache: UnsafeCell::new(ThreadCache::default()),
            tags: RefCell::new(Vec::new()),
            counters,
            seen: Mutex::new(Snapshot::default()),
            name,
            exited: AtomicBool::new(false),
            budgets,
        }
    }

    /// Resets the arena if the allocator's frame has ended since the arena was last used and
    /// nothing of this thread still uses it.
    #[inline(always)]
    pub(crate) fn sync_epoch(&self, epoch: u64) {
        if self.epoch.get() != epoch {
            self.new_epoch(epoch);
        }
    }

    #[cold]
    #[inline(never)]
    fn new_epoch(&self, epoch: u64) {
        if self.in_frame() || self.locals.get() > 0 {
            return;
        }
        // Open tags count the bytes the reset releases as released, so a tag spanning frame
        // ends still gets every byte allocated under it.
        let used = self.arena.used();
        for entry in self.tags.borrow_mut().iter_mut() {
            entry.released += used;
        }
        // SAFETY: the arena holds blocks of allocator frames that have ended (`epoch`
        // moved on, which happens only when a `SmartFrame`, which every such block's lifetime
        // borrows, is dropped) and blocks of `frame` bodies, which rewound when they
        // returned. No frame of this arena is open (`in_frame()` and `locals` say so), so
        // nothing can reach any of its blocks.
        unsafe { self.arena.reset() };
        let top = self.tags.borrow().last().map(|e| e.info.path);
        self.arena.set_tag(top);
        if self.budgets {
            self.arena.set_budget_now(Some(0));
        }
        // The new frame's peak starts from the empty arena.
        self.arena.take_peak();
        self.epoch.set(epoch);
        #[cfg(feature = "profiler")]
        if let Some(recorder) = self.arena.recorder() {
            recorder.set_frame(epoch);
        }
        let gauges = &self.counters.gauges;
        gauges.used.store(0, Ordering::Relaxed);
        gauges.peak.store(0, Ordering::Relaxed);
        self.counters.epoch.store(epoch, Ordering::Release);
    }

    /// Whether a `SmartAlloc::frame` body is running on this arena (it fences the arena).
    #[inline(always)]
    pub(crate) fn in_frame(&self) -> bool {
        self.arena.fenced()
    }

    /// Marks a `SmartAlloc::frame` body as running on this arena, or as ended.
    pub(crate) fn set_in_frame(&self, in_frame: bool) {
        self.arena.set_fenced(in_frame);
    }

    /// The arena as a frame with no scope link, for the vectors of `SmartFrame::frame_vec`.
    ///
    /// # Safety
    ///
    /// The caller holds, for all of `'s`, a borrow of the allocator's open `SmartFrame`, and
    /// the arena's epoch is that frame's (the caller ran `sync_epoch` with its number).
    pub(crate) unsafe fn view<'s>(&'s self) -> &'s Frame<'s, 's> {
        let frame = self.view.get_or_init(|| {
            // SAFETY: the state lives in an `Arc` and does not move again, so its arena stays
            // at this address while the state (and so this cell) lives. The `'static` is a
            // placeholder that is never used: the frame is only lent out below, for a borrow
            // of an open `SmartFrame`.
            let arena: &'static RawArena = unsafe { &*core::ptr::addr_of!(self.arena) };
            // SAFETY: as above; `Frame::new`'s contract is met for each lending, below.
            unsafe { Frame::new(arena) }
        });
        // SAFETY: `Frame`'s layout does not depend on its lifetimes. Lent for `'s`, it meets
        // `Frame::new`'s contract: the arena is reset only by `sync_epoch` once the frame the
        // caller borrows has ended, which cannot happen within `'s`; a `SmartAlloc::frame`
        // body rewinds only to its own checkpoint, and fences the arena while it runs, so
        // this frame's vectors neither allocate nor give memory back across it (the frame has
        // no scope link).
        unsafe { &*(frame as *const Frame<'static, 'static>).cast::<Frame<'s, 's>>() }
    }

    /// Whether a `ThreadHandle` or `LocalFrame` borrows this state.
    pub(crate) fn borrowed(&self) -> bool {
        self.handles.get() > 0 || self.locals.get() > 0
    }

    /// The thread's registry is being destroyed while this state is borrowed: the last
    /// borrower to go finishes the exit.
    pub(crate) fn defer_exit(&self) {
        self.exit_pending.set(true);
    }

    /// Whether the thread's registry is gone and put off letting this state go.
    #[inline(always)]
    pub(crate) fn exit_pending(&self) -> bool {
        self.exit_pending.get()
    }

    /// Called after a `ThreadHandle` or `LocalFrame` stopped borrowing this state: the last
    /// one finishes an exit the registry put off (see the registry's destructor in `registry.rs`).
    ///
    /// Returns the allocator's reference to the state if it let go of it; the caller drops it
    /// after its last use of `self`, since it may be the last reference.
    #[must_use]
    #[cold]
    #[inline(never)]
    pub(crate) fn borrow_ended(&self, shared: &Shared) -> Option<Arc<ThreadState>> {
        if !self.exit_pending.get() || self.borrowed() {
            return None;
        }
        self.exit_pending.set(false);
        shared.thread_exit(self)
    }

    /// Publishes the arena's use, peak and bytes given back for the thread ending the frame
    /// to read: where a borrow of the arena ends.
    #[inline]
    pub(crate) fn publish(&self) {
        self.arena.publish();
    }

    /// Publishes the arena's use only: after a facade call allocated (the peak is at least
    /// the use, and the rest changes only where memory is given back, which publishes).
    #[inline(always)]
    pub(crate) fn publish_used(&self) {
        self.counters
            .gauges
            .used
            .store(self.arena.used(), Ordering::Relaxed);
    }

    /// Notes that frame allocations may be made where they are not counted: through a lent
    /// `Frame` (a `LocalFrame`, a `SmartAlloc::frame` body) without the `count-allocations`
    /// feature. The frame's count then says "not counted".
    #[inline]
    pub(crate) fn note_uncounted(&self) {
        if !cfg!(feature = "count-allocations") {
            bump(&self.counters.uncounted, 1);
        }
    }

    /// Frame allocations counted so far on this thread: the facade's `frame_*` calls (and
    /// what lent frames counted, with the feature) and the buffers of facade vectors.
    fn frame_allocations_now(&self) -> u64 {
        self.counters.allocations.load(Ordering::Relaxed) + self.arena.buffers()
    }

    /// Whether a lent `Frame` is alive, whose allocations a tag cannot see: counted (with the
    /// feature) only when the lent frame ends, if at all.
    fn lent(&self) -> bool {
        self.locals.get() > 0 || self.in_frame()
    }

    /// This thread's pool cache.
    ///
    /// # Safety
    ///
    /// No other thread uses the cache meanwhile (the caller is the owner thread, or no owner
    /// access can run: see the `Sync` impl), and the reference is dropped before the next
    /// call (no user code runs while it lives).
    #[allow(clippy::mut_from_ref)]
    #[inline(always)]
    pub(crate) unsafe fn cache(&self) -> &mut ThreadCache {
        // SAFETY: the caller guarantees exclusive use of the cache for the reference's life.
        unsafe { &mut *self.cache.get() }
    }

    /// Counts one allocation of `bytes` pool or heap bytes under the innermost tag.
    #[inline]
    pub(crate) fn count_tagged(&self, bytes: usize) {
        if let Ok(mut tags) = self.tags.try_borrow_mut() {
            if let Some(top) = tags.last_mut() {
                top.allocations += 1;
                top.other_bytes += bytes;
            }
        }
    }

    /// Counts `n` frame allocations; the innermost tag gets them when it is left (from the
    /// counter's difference), so counting costs one load and store.
    #[inline(always)]
    pub(crate) fn count_frame_allocations(&self, n: u64) {
        bump(&self.counters.allocations, n);
    }

    /// Gives unused leased budget back and makes the next allocation lease afresh (for the
    /// tag that is innermost then).
    pub(crate) fn settle_lease(&self, book: &super::budget::Book) {
        if !self.budgets {
            return;
        }
        let used = self.arena.used();
        if let Some(budget) = self.arena.budget() {
            let top = self.tags.borrow().last().map(|e| Arc::clone(&e.info));
            book.refund(top.as_deref(), budget.saturating_sub(used));
        }
        self.arena.set_budget_now(Some(used));
    }

    /// After a `frame` body released memory: the lease ends where the arena is now.
    pub(crate) fn rebase_lease(&self) {
        if self.budgets {
            self.arena.set_budget_now(Some(self.arena.used()));
        }
    }

    /// Enters tag `info`.
    pub(crate) fn push_tag(&self, info: Arc<TagInfo>) {
        let path = info.path;
        self.tags.borrow_mut().push(TagEntry {
            info,
            used_start: self.arena.used(),
            given_back_start: self.arena.given_back(),
            released: 0,
            child: 0,
            allocations: 0,
            frame_allocations_start: self.frame_allocations_now(),
            uncounted_start: if self.lent() {
                u64::MAX
            } else {
                self.counters.uncounted.load(Ordering::Relaxed)
            },
            child_uncounted: 0,
            child_allocations: 0,
            other_bytes: 0,
        });
        self.arena.set_tag(Some(path));
    }

    /// Leaves the innermost tag, adding its figures to it.
    pub(crate) fn pop_tag(&self) {
        let mut tags = self.tags.borrow_mut();
        let Some(entry) = tags.pop() else {
            return;
        };
        // Everything handed out while the tag was open: in use now, given back since, and
        // released by resets since, less what was in use when it opened.
        let given_back = (self.arena.given_back() - entry.given_back_start) as usize;
        let total =
            (self.arena.used() + given_back + entry.released).saturating_sub(entry.used_start);
        let own = total.saturating_sub(entry.child);
        let frame_allocations = self.frame_allocations_now() - entry.frame_allocations_start;
        let own_frame_allocations = frame_allocations - entry.child_allocations;
        // Not counted if a lent frame was alive at either end, or one was lent while the tag
        // was innermost (its nested tags account for their own).
        let moved = self
            .counters
            .uncounted
            .load(Ordering::Relaxed)
            .checked_sub(entry.uncounted_start);
        let uncounted = self.lent() || moved.is_none_or(|m| m != entry.child_uncounted);
        entry.info.add(
            entry.allocations + own_frame_allocations,
            own + entry.other_bytes,
            uncounted,
        );
        if let Some(parent) = tags.last_mut() {
            parent.child += total;
            parent.child_allocations += frame_allocations;
            parent.child_uncounted += moved.unwrap_or(0);
        }
        self.arena.set_tag(tags.last().map(|e| e.info.path));
    }

    /// The innermost tag.
    pub(crate) fn top_tag(&self) -> Option<Arc<TagInfo>> {
        self.tags.borrow().last().map(|e| Arc::clone(&e.info))
    }

    /// The thread's name, as its statistics show it.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// This thread's figures for the frame `epoch` that is ending, and the counters noted for
    /// the next. `None` if the thread did nothing in it.
    pub(crate) fn collect(&self, epoch: u64) -> Option<Figures> {
        let now = self.counters.snapshot();
        let mut seen = lock(&self.seen);
        let before = *seen;
        *seen = now;
        drop(seen);
        let current = self.counters.epoch.load(Ordering::Acquire) == epoch;
        let gauges = &self.counters.gauges;
        let (used, peak) = if current {
            (
                gauges.used.load(Ordering::Relaxed),
                gauges.peak.load(Ordering::Relaxed),
            )
        } else {
            (0, 0)
        };
        // Bytes handed out in the frame: those still in use, and those given back within
        // it (by scopes, `frame` bodies, vectors and boxes).
        let given_back = usize::try_from(now.given_back - before.given_back).unwrap_or(usize::MAX);
        let figures = Figures {
            allocations: (now.allocations - before.allocations) + (now.buffers - before.buffers),
            uncounted: now.uncounted != before.uncounted,
            bytes: used + given_back,
            peak_bytes: peak.max(used),
            pool_allocations: now.pool_allocations - before.pool_allocations,
            pool_frees: now.pool_frees - before.pool_frees,
            heap_allocations: now.heap_allocations - before.heap_allocations,
        };
        let idle = figures.allocations == 0
            && !figures.uncounted
            && figures.bytes == 0
            && figures.pool_allocations == 0
            && figures.pool_frees == 0
            && figures.heap_allocations == 0;
        (!idle).then_some(figures)
    }
}

/// One thread's figures for one frame: a [`ThreadStats`] without the name, so that a record
/// being reused keeps its name's buffer.
#[derive(Clone, Copy)]
pub(crate) struct Figures {
    pub(crate) allocations: u64,
    /// Some frame allocations were not counted.
    pub(crate) uncounted: bool,
    pub(crate) bytes: usize,
    pub(crate) peak_bytes: usize,
    pub(crate) pool_allocations: u64,
    pub(crate) pool_frees: u64,
    pub(crate) heap_allocations: u64,
}

impl Figures {
    /// The figures as the statistics of the thread `name`.
    pub(crate) fn with_name(self, name: &str) -> ThreadStats {
        let mut stats = ThreadStats::default();
        self.write_to(&mut stats, name);
        stats
    }

    /// Overwrites `slot` with these figures of the thread `name`, reusing its name's buffer.
    pub(crate) fn write_to(self, slot: &mut ThreadStats, name: &str) {
        slot.thread.clear();
        slot.thread.push_str(name);
        slot.allocations = (!self.uncounted).then_some(self.allocations);
        slot.bytes = self.bytes;
        slot.peak_bytes = self.peak_bytes;
        slot.pool_allocations = self.pool_allocations;
        slot.pool_frees = self.pool_frees;
        slot.heap_allocations = self.heap_allocations;
    }
}

impl Drop for ThreadState {
    fn drop(&mut self) {
        // The pool cache's blocks go back to the system; the arena's chunks go with it.
        self.cache.get_mut().release();
    }
}
