//! The arena's byte budget: folded into the current chunk's limit, so the fast path never
//! checks it, and extended on demand by a [`BudgetHook`] (a lease from a shared budget).

use std::boxed::Box;

use super::RawArena;
use crate::error::AllocError;

/// Extends an arena's budget on demand: an arena whose budget is a lease from a shared budget
/// (see `crate::smart`) asks its hook for more before failing an allocation.
pub(crate) trait BudgetHook: Send {
    /// Called on the cold path when an allocation of `requested` bytes would take the arena's
    /// use to `needed` bytes, past its `budget`; `tag` is the arena's tag. Returns the new
    /// budget (at least `needed`), or the error to fail the allocation with.
    fn grant(
        &self,
        budget: usize,
        requested: usize,
        needed: usize,
        tag: Option<&'static str>,
    ) -> Result<usize, AllocError>;
}

impl RawArena {
    /// Installs the hook asked for more budget; see [`BudgetHook`].
    pub(crate) fn set_budget_hook(&mut self, hook: Box<dyn BudgetHook>) {
        self.budget_hook = Some(hook);
        self.checked_rewinds = true;
    }

    /// Changes the byte budget between frames.
    pub(crate) fn set_budget(&mut self, budget: Option<usize>) {
        self.set_budget_now(budget);
    }

    /// Changes the byte budget, also in the middle of a frame: only the limit of the current
    /// chunk depends on it (later chunks compute theirs when they become current).
    pub(crate) fn set_budget_now(&self, budget: Option<usize>) {
        self.budget.set(budget.unwrap_or(usize::MAX));
        self.note_restart();
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
            self.set_limit(if end.addr() < self.ptr.get().addr() {
                self.ptr.get()
            } else {
                end
            });
        }
    }

    pub(crate) fn budget(&self) -> Option<usize> {
        Some(self.budget.get()).filter(|&b| b != usize::MAX)
    }
}
