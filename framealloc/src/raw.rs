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

use core::alloc::Layout;
use core::cell::{Cell, RefCell};
use core::ptr::{self, NonNull};
use std::boxed::Box;

use crate::addr;
use crate::chunk::{ChunkList, ChunkSource};
use crate::error::AllocError;
use crate::stats::ArenaStats;

/// The bump state of an arena.
///
/// Invariants (checked by `debug_assert_invariants`):
/// - `chunk_start <= ptr <= end`, all three in (or one past the end of) the chunk at index
///   `next - 1`, or all three equal to the sentinel `NonNull::dangling()` when `next == 0`;
/// - `end` is the lower of that chunk's end and `chunk_start + (budget - used_before)`;
/// - the bytes in `[chunk_start, ptr)` of the current chunk and of every chunk before it are
///   handed out (or padding); everything from `ptr` on and every chunk from `next` on is free.
pub(crate) struct RawArena {
    /// Next free byte of the current chunk.
    ptr: Cell<*mut u8>,
    /// Effective end of the current chunk: the chunk end, or earlier where the budget ends.
    end: Cell<*mut u8>,
    /// Start of the current chunk.
    chunk_start: Cell<*mut u8>,
    /// Index of the chunk after the current one (0: no chunk in use yet this frame).
    next: Cell<usize>,
    /// Bytes used in the chunks before the current one.
    used_before: Cell<usize>,
    /// Bytes left unused at the ends of the chunks before the current one.
    wasted: Cell<usize>,
    /// The most bytes in use at any rewind or reset so far; `stats` folds in the live value.
    high_water: Cell<usize>,
    /// Byte budget per frame; `usize::MAX` when there is none.
    budget: Cell<usize>,
    /// Chunks kept across frames; only touched on the cold path and at reset.
    chunks: RefCell<ChunkList>,
    /// Bytes of chunks kept across a reset; `usize::MAX` keeps everything.
    retain: usize,
    /// Frames completed so far (resets).
    frame_number: Cell<u64>,
    /// Tag of the frame now open, if any.
    tag: Cell<Option<&'static str>>,
    #[cfg(feature = "count-allocations")]
    allocations: Cell<u64>,
}

// SAFETY: the raw pointers all point into chunks this arena owns exclusively (through its
// `ChunkList`, whose source is `Send`); no other value refers to them once the arena is moved,
// because every allocation borrows the arena. Moving the whole arena to another thread moves
// that ownership with it. `RawArena` is not `Sync` (its `Cell`s say so).
unsafe impl Send for RawArena {}

/// A position in the arena to rewind to.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Checkpoint {
    ptr: *mut u8,
    end: *mut u8,
    chunk_start: *mut u8,
    next: usize,
    used_before: usize,
    wasted: usize,
}

fn sentinel() -> *mut u8 {
    NonNull::<u8>::dangling().as_ptr()
}

impl RawArena {
    pub(crate) fn new(
        source: Box<dyn ChunkSource>,
        first_chunk: usize,
        max_chunk: usize,
        retain: Option<usize>,
        budget: Option<usize>,
    ) -> Self {
        RawArena {
            ptr: Cell::new(sentinel()),
            end: Cell::new(sentinel()),
            chunk_start: Cell::new(sentinel()),
            next: Cell::new(0),
            used_before: Cell::new(0),
            wasted: Cell::new(0),
            high_water: Cell::new(0),
            budget: Cell::new(budget.unwrap_or(usize::MAX)),
            chunks: RefCell::new(ChunkList::new(source, first_chunk, max_chunk)),
            retain: retain.unwrap_or(usize::MAX),
            frame_number: Cell::new(0),
            tag: Cell::new(None),
            #[cfg(feature = "count-allocations")]
            allocations: Cell::new(0),
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
    /// Align, compare, bump, store; everything else is on the cold path.
    #[inline(always)]
    pub(crate) fn try_alloc_layout(&self, layout: Layout) -> Result<NonNull<u8>, AllocError> {
        let ptr = self.ptr.get();
        let end = self.end.get();
        match addr::bump(ptr.addr(), end.addr(), layout.size(), layout.align()) {
            Some(new) => {
                // SAFETY: `bump` says `ptr <= new - size <= new <= end`, and `[ptr, end]` lies
                // in the current chunk (or is the empty sentinel range, where `new == ptr` and
                // `size == 0`), so the offset stays inside it.
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

    /// The cold path: zero-sized requests that did not fit, the budget, and new chunks.
    #[cold]
    #[inline(never)]
    fn alloc_slow(&self, layout: Layout) -> Result<NonNull<u8>, AllocError> {
        let (size, align) = (layout.size(), layout.align());
        if size == 0 {
            self.count_allocation();
            // A dangling pointer at the alignment itself is non-null and aligned, and a
            // zero-sized access through it is valid.
            return Ok(
                NonNull::new(ptr::without_provenance_mut(align)).expect("alignment is non-zero")
            );
        }
        let ptr = self.ptr.get();
        let next = self.next.get();
        // The part of the current chunk past `end` is only cut off by the budget: if the
        // request fits into the whole chunk, the budget is what stops it.
        let current_end = self.current_chunk_end();
        if addr::bump(ptr.addr(), current_end.addr(), size, align).is_some()
            || self
                .used()
                .checked_add(size)
                .is_none_or(|total| total > self.budget.get())
        {
            return Err(self.budget_error(size));
        }

        // Move on to the next chunk. `prepare` leaves the state untouched when it fails, so
        // a failed chunk request leaves the arena usable and every allocation intact.
        self.chunks.borrow_mut().prepare(next, size, align)?;
        let chunks = self.chunks.borrow();
        let chunk = chunks.get(next).expect("prepare made this chunk");
        if next > 0 {
            self.used_before
                .set(self.used_before.get() + (ptr.addr() - self.chunk_start.get().addr()));
            self.wasted
                .set(self.wasted.get() + (current_end.addr() - ptr.addr()));
        }
        let start = chunk.start.as_ptr();
        self.chunk_start.set(start);
        self.ptr.set(start);
        self.end
            .set(self.effective_end(start, chunk.size(), self.used_before.get()));
        self.next.set(next + 1);
        drop(chunks);
        self.debug_assert_invariants();

        // The chunk can hold the request from its start; only the budget can still refuse
        // it, when the padding at the new chunk's start pushes it over.
        let ptr = self.ptr.get();
        match addr::bump(ptr.addr(), self.end.get().addr(), size, align) {
            Some(new) => {
                // SAFETY: `bump` says `ptr <= new - size <= new <= end`, inside the chunk just
                // entered.
                let new_ptr = unsafe { ptr.add(new - ptr.addr()) };
                self.ptr.set(new_ptr);
                self.count_allocation();
                Ok(NonNull::new(new_ptr.wrapping_sub(size))
                    .expect("pointer into a chunk is non-null"))
            }
            None => Err(self.budget_error(size)),
        }
    }

    fn budget_error(&self, requested: usize) -> AllocError {
        AllocError::BudgetExceeded {
            tag: self.tag.get(),
            limit: self.budget.get(),
            requested,
            used: self.used(),
        }
    }

    /// End of the current chunk, ignoring the budget (the sentinel when there is none).
    fn current_chunk_end(&self) -> *mut u8 {
        match self.next.get().checked_sub(1) {
            None => sentinel(),
            Some(index) => {
                let chunks = self.chunks.borrow();
                let chunk = chunks.get(index).expect("the current chunk is held");
                chunk.start.as_ptr().wrapping_add(chunk.size())
            }
        }
    }

    /// The lower of the chunk's end and where the budget runs out inside it.
    fn effective_end(&self, start: *mut u8, chunk_size: usize, used_before: usize) -> *mut u8 {
        let budget_left = self.budget.get().saturating_sub(used_before);
        // `wrapping_add` by at most the chunk's size stays in (or one past) the chunk.
        start.wrapping_add(chunk_size.min(budget_left))
    }

    /// Extends the block `[ptr, ptr + old_size)` to `new_size` bytes in place, if it is the
    /// newest block of the current chunk and the chunk (and budget) has room. Returns whether
    /// it did.
    ///
    /// # Performance
    ///
    /// Two compares and a store; used by growable vectors to grow without copying.
    #[inline]
    pub(crate) fn try_grow_in_place(
        &self,
        ptr: NonNull<u8>,
        old_size: usize,
        new_size: usize,
    ) -> bool {
        let (p, cursor, end) = (ptr.as_ptr(), self.ptr.get(), self.end.get());
        let is_last = p.addr() >= self.chunk_start.get().addr()
            && p.addr().checked_add(old_size) == Some(cursor.addr());
        if !is_last || new_size > end.addr() - p.addr() {
            return false;
        }
        // SAFETY: `p` lies in the current chunk (`chunk_start <= p <= cursor <= end`) and
        // `p + new_size <= end`, so the offset stays inside it. The pointer is derived from
        // `cursor`'s allocation because `p` was handed out from this chunk.
        let new_ptr = unsafe { p.add(new_size) };
        if new_size < old_size {
            self.note_high_water();
        }
        self.ptr.set(new_ptr);
        true
    }

    /// Gives back `[ptr, ptr + size)` if it is the newest block of the current chunk, so the
    /// next allocation reuses it. Any other block stays used until the frame or scope ends.
    #[inline]
    pub(crate) fn release_if_last(&self, ptr: NonNull<u8>, size: usize) {
        let p = ptr.as_ptr();
        if size > 0
            && p.addr() >= self.chunk_start.get().addr()
            && p.addr().checked_add(size) == Some(self.ptr.get().addr())
        {
            self.note_high_water();
            self.ptr.set(p);
        }
    }

    fn note_high_water(&self) {
        self.high_water.set(self.high_water.get().max(self.used()));
    }

    /// The current position, to [`rewind`](Self::rewind) to later.
    #[inline]
    pub(crate) fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            ptr: self.ptr.get(),
            end: self.end.get(),
            chunk_start: self.chunk_start.get(),
            next: self.next.get(),
            used_before: self.used_before.get(),
            wasted: self.wasted.get(),
        }
    }

    /// Releases every block allocated since `cp` was taken.
    ///
    /// # Safety
    ///
    /// `cp` was taken on this arena; since it was taken the arena has been neither reset nor
    /// rewound to a checkpoint taken before `cp` (so everything `cp` records is still in use
    /// up to it); and no reference to a block allocated after `cp` is used again.
    #[inline]
    pub(crate) unsafe fn rewind(&self, cp: Checkpoint) {
        self.note_high_water();
        self.ptr.set(cp.ptr);
        self.end.set(cp.end);
        self.chunk_start.set(cp.chunk_start);
        self.next.set(cp.next);
        self.used_before.set(cp.used_before);
        self.wasted.set(cp.wasted);
        self.debug_assert_invariants();
    }

    /// Releases every block and starts the next frame; gives chunks above the retention
    /// limit back to the source.
    ///
    /// # Safety
    ///
    /// No reference to any block allocated since the last reset is used again.
    pub(crate) unsafe fn reset(&self) {
        self.note_high_water();
        let mut chunks = self.chunks.borrow_mut();
        if chunks.capacity() > self.retain {
            chunks.release_above(self.retain);
        }
        match chunks.get(0) {
            Some(first) => {
                let start = first.start.as_ptr();
                self.chunk_start.set(start);
                self.ptr.set(start);
                self.end.set(self.effective_end(start, first.size(), 0));
                self.next.set(1);
            }
            None => {
                self.chunk_start.set(sentinel());
                self.ptr.set(sentinel());
                self.end.set(sentinel());
                self.next.set(0);
            }
        }
        drop(chunks);
        self.used_before.set(0);
        self.wasted.set(0);
        self.frame_number.set(self.frame_number.get() + 1);
        self.tag.set(None);
        #[cfg(feature = "count-allocations")]
        self.allocations.set(0);
        self.debug_assert_invariants();
    }

    /// Changes the byte budget. Only called between frames (through `&mut FrameArena`),
    /// right before or after a reset, so recomputing `end` for the current chunk suffices.
    pub(crate) fn set_budget(&mut self, budget: Option<usize>) {
        self.budget.set(budget.unwrap_or(usize::MAX));
        if let Some(index) = self.next.get().checked_sub(1) {
            let size = self
                .chunks
                .borrow()
                .get(index)
                .expect("the current chunk is held")
                .size();
            let start = self.chunk_start.get();
            let end = self.effective_end(start, size, self.used_before.get());
            // A lowered budget may end below the cursor; the cursor then stays where it is
            // and the next allocation takes the cold path and reports the budget.
            self.end.set(if end.addr() < self.ptr.get().addr() {
                self.ptr.get()
            } else {
                end
            });
        }
    }

    pub(crate) fn budget(&self) -> Option<usize> {
        Some(self.budget.get()).filter(|&b| b != usize::MAX)
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
            high_water_mark: self.high_water.get().max(used),
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
            let (start, ptr, end) = (self.chunk_start.get(), self.ptr.get(), self.end.get());
            debug_assert!(start.addr() <= ptr.addr() && ptr.addr() <= end.addr());
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
