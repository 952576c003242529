//! The unsafe core: the bump pointer, alignment, checkpoint/rewind and reset.
//!
//! All pointer arithmetic of the arena lives here. The address arithmetic itself (does it
//! fit, how much padding) is done on plain integers by [`crate::addr`]; this module turns
//! its answers into pointers derived from the chunk they point into, so provenance is kept.
//!
//! `RawArena` works through `&self` (its fields are `Cell`s) because every `Frame` hands out
//! allocations through a shared reference. The operations that release memory
//! ([`RawArena::rewind`], [`RawArena::reset`]) are `unsafe`: their callers, the safe types in
//! [`crate::frame`], prove with lifetimes that nothing handed out after the point they
//! release to is still reachable.
//!
//! This file is the bump state, its invariants, the fast path, rewind and reset; the rest of
//! the arena's cold paths live beside it: [`refill`] (the slow path and new chunks),
//! [`guards`] (the guard side table) and [`budget`] (the budget and its hook).

mod budget;
mod gauges;
mod guards;
mod refill;
#[cfg(feature = "profiler")]
mod sampling;

pub(crate) use budget::BudgetHook;
pub(crate) use gauges::Gauges;
pub(crate) use guards::GuardSettings;
use guards::GuardState;

use core::alloc::Layout;
use core::cell::{Cell, RefCell};
use core::panic::Location;
use core::ptr::{self, NonNull};
use core::sync::atomic::{AtomicU64, Ordering};
use std::boxed::Box;
use std::vec::Vec;

use crate::addr;
use crate::chunk::Retention;
use crate::chunk::{ChunkList, ChunkSource};
use crate::error::AllocError;
use crate::guard::{self, GuardCheck};
use crate::stats::ArenaStats;

/// The bump state of an arena.
///
/// Invariants (checked by `debug_assert_invariants`):
/// - `chunk_start <= ptr <= limit`, all three in (or one past the end of) the chunk at index
///   `next - 1`, or all three equal to the sentinel `NonNull::dangling()` when `next == 0`;
/// - `limit` is the lower of that chunk's end and `chunk_start + (budget - used_before)`;
/// - `end` is `limit`, or null when arena-wide guards are on (so the fast path fits nothing
///   and every allocation takes the cold path, which places canaries);
/// - `guard_records` is the length of `guards.records`, whose entries are the guarded blocks
///   handed out since the last reset, in allocation order;
/// - the bytes in `[chunk_start, ptr)` of the current chunk and of every chunk before it are
///   handed out (or padding); everything from `ptr` on and every chunk from `next` on is free.
#[repr(C)]
pub(crate) struct RawArena {
    // The first cache line: what an allocation, a rewind and a reset touch.
    /// Next free byte of the current chunk.
    ptr: Cell<*mut u8>,
    /// The fast path's end: `limit`, or null while arena-wide guards are on.
    end: Cell<*mut u8>,
    /// Effective end of the current chunk: the chunk end, or earlier where the budget ends.
    limit: Cell<*mut u8>,
    /// Start of the current chunk.
    chunk_start: Cell<*mut u8>,
    /// Index of the chunk after the current one (0: no chunk in use yet this frame).
    next: Cell<usize>,
    /// Bytes used in the chunks before the current one.
    used_before: Cell<usize>,
    /// Bytes left unused at the ends of the chunks before the current one.
    wasted: Cell<usize>,
    /// The most bytes in use since the last [`RawArena::take_peak`] at any rewind, reset or
    /// give-back before the current chunk was entered; see `peak_cursor` for the rest.
    peak: Cell<usize>,

    // The second: the rest of what a reset touches when it keeps every chunk.
    /// Number of guarded blocks recorded (`guards.records.len()`), readable without a borrow.
    guard_records: Cell<usize>,
    /// Canary bytes of the recorded guarded blocks, and of the one being placed: the budget
    /// does not count them (a program admits the same allocations with guards on and off),
    /// so the limit sits this much further out.
    guard_bytes: Cell<usize>,
    guard_pending: Cell<usize>,
    /// The highest the cursor reached in the current chunk, as far as it was noted before
    /// moving back (a rewind or give-back notes it): the period's peak is the larger of
    /// `peak` and the bytes up to here (or up to `ptr`, if higher). An address, so that a
    /// scope's rewind notes it with one maximum; folded into `peak` before the chunk
    /// changes.
    peak_cursor: Cell<*mut u8>,
    /// Byte budget per frame; `usize::MAX` when there is none.
    budget: Cell<usize>,
    /// The first chunk's start and size (the sentinel and 0 when there is none), kept beside
    /// the list so that a reset need not borrow it.
    first: Cell<(*mut u8, usize)>,
    /// Where a reset puts the limit and the chunk index: the first chunk's effective end under
    /// the budget, and 1 (0 when no chunk is held). Kept current by `note_chunks` and
    /// `set_budget_now`, so that a reset computes neither.
    restart_at: Cell<(*mut u8, usize)>,
    /// Bytes of the chunks held (the list's capacity), kept beside the list for the same
    /// reason.
    held: Cell<usize>,
    /// The number of chunks a frame must reach for its reset to leave the retention policy
    /// nothing to do (see [`ChunkList::quiet_reach`]); kept current by `note_chunks`.
    quiet_reach: Cell<usize>,
    /// The most chunks entered this frame (the highest `next`).
    reach: Cell<usize>,
    /// The furthest position (chunks laid end to end) the cursor reached in frame
    /// `mark_frame`, as far as chunk changes and rewinds to earlier chunks noted it; the
    /// current chunk's part is folded in at the frame's end. Tagged with its frame rather
    /// than cleared by every reset, so that the quick reset does not touch it.
    frame_mark: Cell<usize>,
    mark_frame: Cell<u64>,
    /// Frames completed so far (resets).
    frame_number: Cell<u64>,

    /// Tag of the frame now open, if any.
    tag: Cell<Option<&'static str>>,
    /// The most bytes in use at any rewind or reset before the last [`RawArena::take_peak`];
    /// `stats` folds in `peak` and the live value.
    high_water: Cell<usize>,
    /// Asked for more budget when the budget stops an allocation (cold path only).
    budget_hook: Option<Box<dyn BudgetHook>>,
    /// Rewinds take the checked path: there is a budget hook to follow or gauges to count
    /// for (one flag, so a scope's rewind tests one byte for both).
    checked_rewinds: bool,
    /// Where a facade's arena publishes its figures for other threads.
    gauges: Option<std::sync::Arc<Gauges>>,
    /// Bytes given back since the arena was made, counted when it has gauges.
    given_back: Cell<u64>,
    /// Container buffers allocated since the arena was made, counted when it has gauges.
    buffers: Cell<u64>,
    /// The profiler's recorder, when one is attached, and the next sample point (an address
    /// in the chunk that started at `sample_chunk`; stale when that is not the current one).
    #[cfg(feature = "profiler")]
    recorder: Option<Box<crate::profile::recorder::Recorder>>,
    #[cfg(feature = "profiler")]
    sample_at: Cell<*mut u8>,
    #[cfg(feature = "profiler")]
    sample_chunk: Cell<*mut u8>,
    /// Of `buffers`, those that took a fresh block (which `allocations` counts too).
    #[cfg(feature = "count-allocations")]
    fresh_buffers: Cell<u64>,
    /// Chunks kept across frames; only touched on the cold path and at reset.
    chunks: RefCell<ChunkList>,
    #[cfg(feature = "count-allocations")]
    allocations: Cell<u64>,
    /// Unique among all arenas of the process, so a `FrameHandle` can tell arenas apart.
    id: u64,
    /// Counts scopes opened so far; each scope's number identifies it to `FrameHandle`s.
    scope_serial: Cell<u64>,
    /// A scope is open that frames without a scope link (the facade's per-thread frame,
    /// which a `FrameVec` may hold across it) must not allocate across: see
    /// [`fenced`](Self::fenced).
    fenced: Cell<bool>,
    /// Arena-wide guards requested and compiled in.
    guards_on: bool,
    /// Canaries before each guarded block too.
    underruns: bool,
    /// The side table of guarded blocks, the handler and collected reports; only touched on
    /// the cold path, at rewind and at reset.
    guards: RefCell<GuardState>,
}

static NEXT_ARENA_ID: AtomicU64 = AtomicU64::new(1);

// SAFETY: the raw pointers all point into chunks this arena owns exclusively (through its
// `ChunkList`, whose source is `Send`); no other value refers to them once the arena is moved,
// because every allocation borrows the arena. Moving the whole arena to another thread moves
// that ownership with it. `RawArena` is not `Sync` (its `Cell`s say so).
unsafe impl Send for RawArena {}

/// A position in the arena to rewind to: the cursor and the chunk it is in. The rest of the
/// cursor's bookkeeping (the chunk's start, the bytes before it, the limit) follows from the
/// chunk, which records what it was entered with.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Checkpoint {
    ptr: *mut u8,
    next: usize,
    guard_records: usize,
}

fn sentinel() -> *mut u8 {
    NonNull::<u8>::dangling().as_ptr()
}

impl RawArena {
    pub(crate) fn new(
        source: Box<dyn ChunkSource>,
        first_chunk: usize,
        max_chunk: usize,
        retention: Retention,
        every_frame: bool,
        budget: Option<usize>,
        guards: GuardSettings,
    ) -> Self {
        let guards_on = guard::COMPILED_IN && guards.enabled;
        RawArena {
            ptr: Cell::new(sentinel()),
            end: Cell::new(if guards_on {
                ptr::null_mut()
            } else {
                sentinel()
            }),
            limit: Cell::new(sentinel()),
            chunk_start: Cell::new(sentinel()),
            next: Cell::new(0),
            used_before: Cell::new(0),
            wasted: Cell::new(0),
            high_water: Cell::new(0),
            peak: Cell::new(0),
            peak_cursor: Cell::new(sentinel()),
            budget_hook: None,
            checked_rewinds: false,
            gauges: None,
            given_back: Cell::new(0),
            buffers: Cell::new(0),
            #[cfg(feature = "count-allocations")]
            fresh_buffers: Cell::new(0),
            #[cfg(feature = "profiler")]
            recorder: None,
            #[cfg(feature = "profiler")]
            sample_at: Cell::new(ptr::null_mut()),
            #[cfg(feature = "profiler")]
            sample_chunk: Cell::new(ptr::null_mut()),
            budget: Cell::new(budget.unwrap_or(usize::MAX)),
            first: Cell::new((sentinel(), 0)),
            restart_at: Cell::new((sentinel(), 0)),
            held: Cell::new(0),
            chunks: RefCell::new(ChunkList::new(
                source,
                first_chunk,
                max_chunk,
                retention,
                every_frame,
            )),
            quiet_reach: Cell::new(0),
            reach: Cell::new(0),
            frame_mark: Cell::new(0),
            mark_frame: Cell::new(0),
            frame_number: Cell::new(0),
            tag: Cell::new(None),
            #[cfg(feature = "count-allocations")]
            allocations: Cell::new(0),
            id: NEXT_ARENA_ID.fetch_add(1, Ordering::Relaxed),
            scope_serial: Cell::new(0),
            fenced: Cell::new(false),
            guards_on,
            underruns: guards.underruns,
            guard_records: Cell::new(0),
            guard_bytes: Cell::new(0),
            guard_pending: Cell::new(0),
            guards: RefCell::new(GuardState::new(guards.handler)),
        }
    }

    /// Allocates a block for `layout`.
    ///
    /// The block is valid for `layout.size()` bytes, aligned, disjoint from every other live
    /// block, and stays valid until a [`rewind`](Self::rewind) to a checkpoint taken before
    /// it, or a [`reset`](Self::reset). Zero-sized requests get a dangling aligned pointer.
    ///
    /// # Performance
    ///
    /// Align, compare, bump, store; everything else is on the cold path. With arena-wide
    /// guards on, the fast path's end is null, so every request goes to the cold path, which
    /// places canaries around the block and records it (at the caller's location).
    #[inline(always)]
    #[track_caller]
    pub(crate) fn try_alloc_layout(&self, layout: Layout) -> Result<NonNull<u8>, AllocError> {
        let ptr = self.ptr.get();
        let end = self.end.get();
        // `bump`'s precondition `ptr <= ADDRESS_LIMIT` holds: the cursor is the sentinel or
        // inside a chunk, and `ChunkList::prepare` refuses chunks that end above the limit.
        match addr::bump(ptr.addr(), end.addr(), layout.size(), layout.align()) {
            Some(new) => {
                // SAFETY: `bump` says `ptr <= new - size <= new <= end`, so `end` is not the
                // null a guarded arena uses (nothing fits below the cursor) but `limit`, and
                // `[ptr, limit]` lies in the current chunk (or is the empty sentinel range,
                // where `new == ptr` and `size == 0`), so the offset stays inside it.
                let new_ptr = unsafe { ptr.add(new - ptr.addr()) };
                self.ptr.set(new_ptr);
                self.count_allocation();
                // SAFETY: as above; the start is `new - size >= ptr`, in the same chunk and
                // non-null because `ptr` is.
                Ok(unsafe { NonNull::new_unchecked(new_ptr.wrapping_sub(layout.size())) })
            }
            None => self.alloc_slow(layout),
        }
    }

    #[inline(always)]
    fn count_allocation(&self) {
        #[cfg(feature = "count-allocations")]
        self.allocations.set(self.allocations.get() + 1);
    }

    /// The cold path: guarded arenas, zero-sized requests that did not fit, the budget, and
    /// new chunks.
    #[cold]
    #[inline(never)]
    #[track_caller]
    fn alloc_slow(&self, layout: Layout) -> Result<NonNull<u8>, AllocError> {
        #[cfg(feature = "profiler")]
        if self.recorder.is_some() {
            return self.alloc_sampled(layout, Location::caller());
        }
        if self.guards_on() {
            return self.alloc_guarded(layout, Location::caller());
        }
        self.alloc_plain(layout)
    }

    /// Moves the cursor from `ptr` to address `new` and returns the block start `new - size`.
    fn advance(&self, ptr: *mut u8, new: usize, size: usize) -> *mut u8 {
        // SAFETY: the caller got `new` from `bump(ptr + lead, limit, size, ..)`, which says
        // `ptr <= ptr + lead <= new - size <= new <= limit`, and `[ptr, limit]` lies in the
        // current chunk, so the offset stays inside it.
        let new_ptr = unsafe { ptr.add(new - ptr.addr()) };
        self.ptr.set(new_ptr);
        new_ptr.wrapping_sub(size)
    }

    /// Sets the current chunk's limit, and the fast path's end from it.
    #[inline(always)]
    fn set_limit(&self, limit: *mut u8) {
        self.limit.set(limit);
        #[cfg(feature = "profiler")]
        if self.recorder.is_some() {
            return self.set_sampled_end();
        }
        self.end.set(if self.guards_on() {
            ptr::null_mut()
        } else {
            limit
        });
    }

    /// Whether arena-wide guards are on (constant `false` when they are compiled out).
    #[inline(always)]
    pub(crate) fn guards_on(&self) -> bool {
        guard::COMPILED_IN && self.guards_on
    }

    /// The lower of the chunk's end and where the budget runs out inside it.
    fn effective_end(&self, start: *mut u8, chunk_size: usize, used_before: usize) -> *mut u8 {
        let budget_left = self.budget_room().saturating_sub(used_before);
        // `wrapping_add` by at most the chunk's size stays in (or one past) the chunk.
        start.wrapping_add(chunk_size.min(budget_left))
    }

    /// Resizes the block `[ptr, ptr + old_size)` to `new_size` bytes in place, if it is the
    /// newest block of the current chunk and the chunk (and budget) has room. Returns the
    /// block's start, or `None` if it could not.
    ///
    /// The returned pointer is derived from the arena's cursor, which carries the chunk's
    /// provenance; `ptr` is only compared, never adopted. A caller's pointer may cover only its
    /// old block (a collection derives it from a reference to its elements), so a block grown
    /// through it would extend past what it may access, and a cursor set from it would make
    /// every later allocation inherit that narrower provenance.
    ///
    /// # Safety
    ///
    /// `[ptr, ptr + old_size)` is a block this arena handed out that the caller owns: on
    /// success the caller owns `[start, start + new_size)` instead, and nothing else uses
    /// the old block.
    ///
    /// # Performance
    ///
    /// Two compares and a store; used by growable vectors to grow without copying.
    #[inline]
    #[track_caller]
    pub(crate) unsafe fn try_grow_in_place(
        &self,
        ptr: NonNull<u8>,
        old_size: usize,
        new_size: usize,
    ) -> Option<NonNull<u8>> {
        let (p, cursor, end) = (ptr.as_ptr(), self.ptr.get(), self.limit.get());
        let is_last = p.addr() >= self.chunk_start.get().addr()
            && p.addr().checked_add(old_size) == Some(cursor.addr());
        if !is_last || new_size > end.addr() - p.addr() {
            return None;
        }
        // `cursor - old_size` is the block's start (`p`'s address), inside the current chunk
        // (`chunk_start <= p <= cursor`), with the chunk's provenance.
        let start = cursor.wrapping_sub(old_size);
        // SAFETY: `start + new_size <= end`, the current chunk's effective end, so the offset
        // stays inside the chunk.
        let new_cursor = unsafe { start.add(new_size) };
        if new_size < old_size {
            self.note_high_water();
            self.ptr.set(new_cursor);
            self.note_given_back(old_size - new_size);
            #[cfg(feature = "profiler")]
            if self.recorder.is_some() {
                self.sample_cursor_back();
            }
        } else {
            self.ptr.set(new_cursor);
            #[cfg(feature = "profiler")]
            if self.recorder.is_some() {
                self.sample_growth(cursor, new_size - old_size, Location::caller());
            }
        }
        NonNull::new(start)
    }

    /// Gives back `[ptr, ptr + size)` if it is the newest block of the current chunk, so the
    /// next allocation reuses it. Any other block stays used until the frame or scope ends.
    ///
    /// The cursor moves back by `size` from where it is: `ptr` is only compared, never
    /// adopted (see [`try_grow_in_place`](Self::try_grow_in_place) for why).
    ///
    /// # Safety
    ///
    /// `[ptr, ptr + size)` is a block this arena handed out, and nothing uses it again.
    #[inline]
    pub(crate) unsafe fn release_if_last(&self, ptr: NonNull<u8>, size: usize) {
        let (p, cursor) = (ptr.as_ptr(), self.ptr.get());
        if size > 0
            && p.addr() >= self.chunk_start.get().addr()
            && p.addr().checked_add(size) == Some(cursor.addr())
        {
            self.note_high_water();
            // `cursor - size` is `p`'s address, at or above the chunk's start.
            self.ptr.set(cursor.wrapping_sub(size));
            self.note_given_back(size);
            #[cfg(feature = "profiler")]
            if self.recorder.is_some() {
                self.sample_cursor_back();
            }
        }
    }

    /// Notes the cursor before it moves back. Only the current chunk's highest address: the
    /// period's peak in bytes takes it in when the chunk changes or the period ends, so a
    /// scope's rewind pays for one maximum of two addresses.
    #[inline]
    fn note_high_water(&self) {
        let ptr = self.ptr.get();
        if ptr.addr() > self.peak_cursor.get().addr() {
            self.peak_cursor.set(ptr);
        }
    }

    /// The period's peak so far: `peak`, or the bytes up to the highest noted cursor in the
    /// current chunk (or the cursor itself), whichever is more.
    fn period_peak(&self) -> usize {
        let top = self.peak_cursor.get().addr().max(self.ptr.get().addr());
        let here = self.used_before.get() + (top - self.chunk_start.get().addr());
        self.peak.get().max(here)
    }

    /// Folds the current chunk's part of the peak into `peak`, and of the frame's mark into
    /// `frame_mark`, before the current chunk changes; [`chunk_entered`](Self::chunk_entered)
    /// follows the change.
    fn fold_peak(&self) {
        self.peak.set(self.period_peak());
        self.frame_mark.set(self.frame_mark_now());
        self.mark_frame.set(self.frame_number.get());
    }

    /// The frame's mark so far: the furthest position the cursor reached, counting the
    /// current chunk's highest noted cursor.
    fn frame_mark_now(&self) -> usize {
        let top = self.peak_cursor.get().addr().max(self.ptr.get().addr());
        let here =
            self.used_before.get() + self.wasted.get() + (top - self.chunk_start.get().addr());
        if self.mark_frame.get() == self.frame_number.get() {
            self.frame_mark.get().max(here)
        } else {
            here
        }
    }

    /// Starts noting the peak in the chunk now current, from the cursor now set.
    fn chunk_entered(&self) {
        self.peak_cursor.set(self.ptr.get());
    }

    /// The most bytes in use at any moment since the last call (as far as rewinds, resets and
    /// now can tell: bytes released by a scope count at its end), and starts a new period.
    pub(crate) fn take_peak(&self) -> usize {
        let peak = self.period_peak();
        self.high_water.set(self.high_water.get().max(peak));
        self.peak.set(self.used());
        self.peak_cursor.set(self.ptr.get());
        peak
    }

    /// The current position, to [`rewind`](Self::rewind) to later.
    #[inline]
    pub(crate) fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            ptr: self.ptr.get(),
            next: self.next.get(),
            guard_records: self.guard_records.get(),
        }
    }

    /// Releases every block allocated since `cp` was taken.
    ///
    /// # Safety
    ///
    /// `cp` was taken on this arena; since it was taken the arena has been neither reset nor
    /// rewound to a checkpoint taken before `cp` (so everything `cp` records is still in use
    /// up to it); and no reference to a block allocated after `cp` is used again.
    ///
    /// Guarded blocks among them are checked first; released memory is poisoned when
    /// arena-wide guards are on; reports go to the handler last, when the arena is consistent
    /// again (the default handler panics).
    #[inline]
    pub(crate) unsafe fn rewind(&self, cp: &Checkpoint) {
        if self.checked_rewinds || self.guards_on() || self.guard_records.get() > cp.guard_records {
            // SAFETY: the caller's guarantees, passed on unchanged.
            return unsafe { self.rewind_checked(cp.ptr, cp.next, cp.guard_records) };
        }
        // The common case: nothing to check or poison, no budget to follow. Without a chunk
        // switch since `cp` (the chunk index is unchanged), only the cursor moved: the chunk's
        // start, the bytes before it, the waste and the limit change only on a switch.
        self.note_high_water();
        if self.next.get() == cp.next {
            self.ptr.set(cp.ptr);
        } else {
            self.restore(cp.ptr, cp.next);
        }
        self.debug_assert_invariants();
    }

    /// [`rewind`](Self::rewind) with guard records to check, memory to poison or a budget
    /// hook to follow: kept out of line so that scopes without them stay a few stores.
    ///
    /// # Safety
    ///
    /// As for [`rewind`](Self::rewind), for the checkpoint with these fields (passed one by
    /// one, in registers: a scope then keeps its checkpoint out of memory).
    #[cold]
    #[inline(never)]
    unsafe fn rewind_checked(&self, ptr: *mut u8, next: usize, guard_records: usize) {
        let cp = Checkpoint {
            ptr,
            next,
            guard_records,
        };
        let reports = if self.guard_records.get() > cp.guard_records {
            self.check_records(cp.guard_records, GuardCheck::ScopeEnd, true)
        } else {
            Vec::new()
        };
        let used_before_rewind = self.used();
        self.note_high_water();
        if self.guards_on() {
            let first = cp.next.saturating_sub(1);
            // SAFETY: everything from `cp.ptr` to the cursor was handed out after `cp`, and
            // the caller guarantees none of it is used again.
            unsafe { self.poison_from(first, cp.ptr) };
        }
        self.restore(cp.ptr, cp.next);
        if self.budget_hook.is_some() {
            // The hook may have changed the budget since `cp`; the limit follows the budget.
            self.set_budget_now(self.budget());
        }
        self.note_given_back(used_before_rewind - self.used());
        #[cfg(feature = "profiler")]
        if self.recorder.is_some() {
            self.profile_rewind(used_before_rewind - self.used());
            self.sample_cursor_back();
        }
        self.debug_assert_invariants();
        self.dispatch(reports);
    }

    /// Moves the cursor and its bookkeeping back to the checkpoint with cursor `ptr` and
    /// chunk index `next`, which may be in an earlier chunk.
    ///
    /// The checkpoint's chunk is still held and is entered with the same figures as when `cp` was
    /// taken (chunks are entered in order, and nothing rewound past `cp` since), so its start,
    /// the bytes before it and its limit under the current budget follow from it.
    #[cold]
    #[inline(never)]
    fn restore(&self, ptr: *mut u8, next: usize) {
        self.fold_peak();
        match next.checked_sub(1) {
            None => {
                self.chunk_start.set(sentinel());
                self.used_before.set(0);
                self.wasted.set(0);
                self.set_limit(sentinel());
            }
            Some(index) => {
                let chunks = self.chunks.borrow();
                let chunk = chunks.get(index).expect("a checkpoint's chunk is held");
                let start = chunk.start.as_ptr();
                let (used_before, wasted) = chunk.entered.get();
                self.chunk_start.set(start);
                self.used_before.set(used_before);
                self.wasted.set(wasted);
                self.set_limit(self.effective_end(start, chunk.size(), used_before));
            }
        }
        self.ptr.set(ptr);
        self.next.set(next);
        self.chunk_entered();
    }

    /// Releases every block and starts the next frame; gives chunks above the retention
    /// limit back to the source.
    ///
    /// # Safety
    ///
    /// No reference to any block allocated since the last reset is used again.
    ///
    /// Guarded blocks are checked first and released memory is poisoned, as in
    /// [`rewind`](Self::rewind).
    pub(crate) unsafe fn reset(&self) {
        if self.guard_records.get() > 0
            || self.guards_on()
            || self.reach.get() < self.quiet_reach.get()
            || self.profiling()
        {
            // SAFETY: the caller's guarantee, passed on.
            return unsafe { self.reset_checked() };
        }
        // The common case: nothing to check or poison, every chunk kept. Back to the start of
        // the first chunk, without borrowing the list. (`restart` folds the peak in.)
        self.restart();
    }

    /// [`reset`](Self::reset) with guard records to check, memory to poison or chunks to
    /// give back.
    ///
    /// # Safety
    ///
    /// As for [`reset`](Self::reset).
    #[cold]
    #[inline(never)]
    unsafe fn reset_checked(&self) {
        let reports = if self.guard_records.get() > 0 {
            self.check_records(0, GuardCheck::FrameEnd, true)
        } else {
            Vec::new()
        };
        self.note_high_water();
        if self.guards_on() {
            // SAFETY: the caller guarantees no block of this frame is used again.
            unsafe { self.poison_from(0, sentinel()) };
        }
        #[cfg(feature = "profiler")]
        self.profile_frame_end();
        let mark = self.frame_mark_now();
        let mut chunks = self.chunks.borrow_mut();
        // SAFETY: the caller guarantees no block of this frame is used again, and nothing
        // outlives a frame.
        if unsafe { chunks.end_frame(self.frame_number.get(), self.reach.get(), mark) } {
            self.note_chunks(&chunks);
        }
        drop(chunks);
        self.restart();
        self.dispatch(reports);
    }

    /// Notes the first chunk and the bytes held, after the list changed.
    pub(super) fn note_chunks(&self, chunks: &ChunkList) {
        self.first.set(match chunks.get(0) {
            Some(first) => (first.start.as_ptr(), first.size()),
            None => (sentinel(), 0),
        });
        self.held.set(chunks.capacity());
        self.quiet_reach.set(chunks.quiet_reach());
        self.note_restart();
    }

    /// Recomputes `restart_at` after the first chunk or the budget changed. (A reset drops
    /// every guarded block, so the budget's room then has no canaries in it.)
    pub(super) fn note_restart(&self) {
        let (start, size) = self.first.get();
        let end = start.wrapping_add(size.min(self.budget.get()));
        self.restart_at.set((end, usize::from(size > 0)));
    }

    /// How far the arena's use may go: the budget, plus the canary bytes it does not count.
    pub(super) fn budget_room(&self) -> usize {
        self.budget
            .get()
            .saturating_add(self.guard_bytes.get() + self.guard_pending.get())
    }

    /// Bytes in use as the budget counts them: without canaries.
    pub(super) fn budget_used(&self) -> usize {
        self.used().saturating_sub(self.guard_bytes.get())
    }

    /// Whether a profiler is attached (constant `false` without the `profiler` feature).
    #[inline(always)]
    pub(crate) fn profiling(&self) -> bool {
        #[cfg(feature = "profiler")]
        return self.recorder.is_some();
        #[cfg(not(feature = "profiler"))]
        false
    }

    /// Puts the cursor at the start of the first chunk (or the sentinel) for a new frame.
    #[inline]
    fn restart(&self) {
        let start = self.first.get().0;
        self.peak.set(self.period_peak());
        self.peak_cursor.set(start);
        self.chunk_start.set(start);
        self.ptr.set(start);
        let (limit, next) = self.restart_at.get();
        self.set_limit(limit);
        self.next.set(next);
        self.reach.set(next);
        self.used_before.set(0);
        self.wasted.set(0);
        self.frame_number.set(self.frame_number.get() + 1);
        self.tag.set(None);
        #[cfg(feature = "count-allocations")]
        self.allocations.set(0);
        self.debug_assert_invariants();
    }

    /// Releases every block and gives every chunk back to the source; the arena stays usable.
    ///
    /// # Safety
    ///
    /// As for [`reset`](Self::reset): no reference to any block is used again.
    pub(crate) unsafe fn release_all(&self) {
        // SAFETY: the caller's guarantee is `reset`'s precondition.
        unsafe { self.reset() };
        let mut chunks = self.chunks.borrow_mut();
        // SAFETY: the caller guarantees no block is used again (`reset`'s precondition).
        unsafe { chunks.release_above(0, false) };
        self.note_chunks(&chunks);
        drop(chunks);
        self.fold_peak();
        self.chunk_start.set(sentinel());
        self.ptr.set(sentinel());
        self.peak_cursor.set(sentinel());
        self.set_limit(sentinel());
        self.next.set(0);
        self.reach.set(0);
        self.debug_assert_invariants();
    }

    pub(crate) fn set_tag(&self, tag: Option<&'static str>) {
        self.tag.set(tag);
    }

    pub(crate) fn tag(&self) -> Option<&'static str> {
        self.tag.get()
    }

    pub(crate) fn frame_number(&self) -> u64 {
        self.frame_number.get()
    }

    /// This arena's process-wide identity.
    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    /// A new number for a scope being opened.
    #[inline]
    pub(crate) fn next_scope_serial(&self) -> u64 {
        let serial = self.scope_serial.get() + 1;
        self.scope_serial.set(serial);
        serial
    }

    /// Whether a scope opened by the arena's owner is running that a frame with no scope
    /// link must not allocate in, nor give memory back across.
    ///
    /// Native frames never need it: a scope borrows its outer frame mutably, so nothing
    /// holding the outer frame can allocate while it runs. The facade's per-thread frame
    /// body (`SmartAlloc::frame`) borrows nothing, so it fences the arena instead, and the
    /// growable containers that can outlive such a body check the fence on their slow paths.
    #[inline]
    pub(crate) fn fenced(&self) -> bool {
        self.fenced.get()
    }

    /// Sets or clears the fence (see [`fenced`](Self::fenced)).
    #[inline]
    pub(crate) fn set_fenced(&self, fenced: bool) {
        self.fenced.set(fenced);
    }

    /// Bytes handed out (with alignment padding) since the last reset.
    #[inline]
    pub(crate) fn used(&self) -> usize {
        self.used_before.get() + (self.ptr.get().addr() - self.chunk_start.get().addr())
    }

    pub(crate) fn stats(&self) -> ArenaStats {
        let chunks = self.chunks.borrow();
        let used = self.used();
        ArenaStats {
            bytes_used: used,
            capacity: chunks.capacity(),
            wasted: self.wasted.get(),
            high_water_mark: self.high_water.get().max(self.period_peak()),
            chunks: chunks.len(),
            frame_number: self.frame_number.get(),
            budget: self.budget(),
            #[cfg(feature = "count-allocations")]
            allocations: Some(self.allocations.get()),
            #[cfg(not(feature = "count-allocations"))]
            allocations: None,
        }
    }

    fn debug_assert_invariants(&self) {
        #[cfg(debug_assertions)]
        {
            let (start, ptr, end) = (self.chunk_start.get(), self.ptr.get(), self.limit.get());
            debug_assert!(start.addr() <= ptr.addr() && ptr.addr() <= end.addr());
            debug_assert!(start.addr() <= self.peak_cursor.get().addr());
            if !self.profiling() {
                debug_assert_eq!(
                    self.end.get(),
                    if self.guards_on() {
                        ptr::null_mut()
                    } else {
                        end
                    }
                );
            }
            {
                let chunks = self.chunks.borrow();
                let first = chunks.get(0).map(|c| (c.start.as_ptr(), c.size()));
                debug_assert_eq!(self.first.get(), first.unwrap_or((sentinel(), 0)));
                debug_assert_eq!(self.held.get(), chunks.capacity());
            }
            if let Some(index) = self.next.get().checked_sub(1) {
                let chunks = self.chunks.borrow();
                let chunk = chunks.get(index).expect("the current chunk is held");
                debug_assert_eq!(chunk.start.as_ptr(), start);
                debug_assert!(end.addr() <= start.addr() + chunk.size());
            } else {
                debug_assert_eq!(ptr, sentinel());
            }
        }
    }
}

impl core::fmt::Debug for RawArena {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RawArena")
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}
