//! The slow path of allocation: the cursor's real limit, the budget (and its hook), and
//! moving on to the next chunk.

use core::alloc::Layout;
use core::ptr::NonNull;

use super::{sentinel, RawArena};
use crate::addr;
use crate::error::AllocError;

impl RawArena {
    /// A block for `layout` without canaries.
    pub(super) fn alloc_plain(&self, layout: Layout) -> Result<NonNull<u8>, AllocError> {
        let (size, align) = (layout.size(), layout.align());
        if size == 0 {
            self.count_allocation();
            // A zero-sized access through a non-null aligned pointer is valid.
            return Ok(addr::dangling(align));
        }
        let start = self.bump_block(0, size, align)?;
        self.count_allocation();
        Ok(NonNull::new(start).expect("pointer into a chunk is non-null"))
    }

    /// Reserves `lead + size` bytes such that the returned start is aligned to `align` and
    /// `lead` bytes above the cursor or more: `[start - lead, start + size)` is the caller's.
    /// Moves on to a new chunk when the current one is full, and asks the budget hook, if
    /// there is one, for more budget when the budget stops it. `size` is not zero.
    pub(super) fn bump_block(
        &self,
        lead: usize,
        size: usize,
        align: usize,
    ) -> Result<*mut u8, AllocError> {
        match self.bump_block_once(lead, size, align) {
            Err(AllocError::BudgetExceeded { .. }) if self.budget_hook.is_some() => {
                // Enough for the block wherever it lands: the lead, the worst alignment
                // padding and the block itself.
                // In the budget's terms: without canaries (the lead is a canary, and so is
                // part of `size`; `budget_room` leaves room for this block's).
                let needed = self
                    .budget_used()
                    .saturating_sub(self.guard_pending.get())
                    .checked_add(lead)
                    .and_then(|n| n.checked_add(size))
                    .and_then(|n| n.checked_add(align - 1))
                    .ok_or(AllocError::LayoutOverflow)?;
                let hook = self.budget_hook.as_ref().expect("checked above");
                let budget = hook.grant(self.budget.get(), size, needed, self.tag.get())?;
                self.set_budget_now(Some(budget));
                self.bump_block_once(lead, size, align)
            }
            other => other,
        }
    }

    fn bump_block_once(
        &self,
        lead: usize,
        size: usize,
        align: usize,
    ) -> Result<*mut u8, AllocError> {
        let ptr = self.ptr.get();
        // The fast path tried `end`, which may be null (guards) or equal to `limit`; try the
        // real limit, with the lead, before moving on.
        if let Some(new) = ptr
            .addr()
            .checked_add(lead)
            .filter(|&cursor| cursor <= addr::ADDRESS_LIMIT)
            .and_then(|cursor| addr::bump(cursor, self.limit.get().addr(), size, align))
        {
            return Ok(self.advance(ptr, new, size));
        }
        let next = self.next.get();
        // The part of the current chunk past `limit` is only cut off by the budget: if the
        // request fits into the whole chunk, the budget is what stops it.
        let current_end = self.current_chunk_end();
        let fits_chunk = ptr
            .addr()
            .checked_add(lead)
            .filter(|&cursor| cursor <= addr::ADDRESS_LIMIT)
            .and_then(|cursor| addr::bump(cursor, current_end.addr(), size, align))
            .is_some();
        let total = lead.checked_add(size).ok_or(AllocError::LayoutOverflow)?;
        if fits_chunk
            || self
                .used()
                .checked_add(total)
                .is_none_or(|used| used > self.budget_room())
        {
            return Err(self.budget_error(size));
        }

        // Move on to the next chunk. `prepare` leaves the state untouched when it fails, so
        // a failed chunk request leaves the arena usable and every allocation intact. The
        // chunk starts aligned to `align`, so a lead rounded up to it plus `size` fits.
        let padded_lead = addr::round_up(lead, align).ok_or(AllocError::LayoutOverflow)?;
        let needed = padded_lead
            .checked_add(size)
            .ok_or(AllocError::LayoutOverflow)?;
        self.chunks.borrow_mut().prepare(next, needed, align)?;
        let chunks = self.chunks.borrow();
        self.note_chunks(&chunks);
        let chunk = chunks.get(next).expect("prepare made this chunk");
        self.fold_peak();
        if next > 0 {
            self.used_before
                .set(self.used_before.get() + (ptr.addr() - self.chunk_start.get().addr()));
            self.wasted
                .set(self.wasted.get() + (current_end.addr() - ptr.addr()));
        }
        let start = chunk.start.as_ptr();
        chunk
            .entered
            .set((self.used_before.get(), self.wasted.get()));
        self.chunk_start.set(start);
        self.ptr.set(start);
        self.chunk_entered();
        self.set_limit(self.effective_end(start, chunk.size(), self.used_before.get()));
        self.next.set(next + 1);
        self.reach.set(self.reach.get().max(next + 1));
        drop(chunks);
        self.debug_assert_invariants();

        // The chunk can hold the request from its start; only the budget can still refuse
        // it, when the padding at the new chunk's start pushes it over.
        // (A lead past `ADDRESS_LIMIT` fits nowhere: every chunk ends at or below it.)
        let cursor = start.addr().saturating_add(lead);
        match (cursor <= addr::ADDRESS_LIMIT)
            .then(|| addr::bump(cursor, self.limit.get().addr(), size, align))
            .flatten()
        {
            Some(new) => Ok(self.advance(start, new, size)),
            None => Err(self.budget_error(size)),
        }
    }

    pub(super) fn budget_error(&self, requested: usize) -> AllocError {
        AllocError::BudgetExceeded {
            tag: self.tag.get(),
            limit: self.budget.get(),
            requested,
            used: self.budget_used(),
            set_by: crate::error::BudgetSource::Arena,
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
}
