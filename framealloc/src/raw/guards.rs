//! The guard side table: the record of each guarded block, placing canaries around new
//! blocks, checking them (at scope and frame end, and on demand), poisoning released memory,
//! and handing reports to the arena's handler. All of it runs on the cold path.

use core::alloc::Layout;
use core::panic::Location;
use core::ptr::{self, NonNull};
use std::vec::Vec;

use super::RawArena;
use crate::error::AllocError;
use crate::guard::{self, GuardCheck, GuardHandler, GuardKind, GuardReport, CANARY, CANARY_LEN};

/// The guard side table and where reports go.
pub(super) struct GuardState {
    records: Vec<GuardRecord>,
    handler: GuardHandler,
    collected: Vec<GuardReport>,
}

/// One guarded block: `[data - before, data)` and `[data + size, data + size + CANARY_LEN)`
/// hold canaries.
struct GuardRecord {
    data: *mut u8,
    size: usize,
    align: usize,
    before: usize,
    site: &'static Location<'static>,
    tag: Option<&'static str>,
    /// Already reported by an on-demand check; not reported again.
    reported: bool,
}

/// Guard settings of a new arena.
pub(crate) struct GuardSettings {
    pub(crate) enabled: bool,
    pub(crate) underruns: bool,
    pub(crate) handler: GuardHandler,
}

impl GuardState {
    pub(super) fn new(handler: GuardHandler) -> Self {
        GuardState {
            records: Vec::new(),
            handler,
            collected: Vec::new(),
        }
    }
}

/// One canary's worth of canary bytes.
const CANARIES: [u8; CANARY_LEN] = [CANARY; CANARY_LEN];

/// The same bytes as one word, to check a canary with one load and compare.
const CANARY_WORD: u128 = u128::from_ne_bytes(CANARIES);

impl RawArena {
    /// A block for `layout` with canaries after it (and before it, when the arena guards
    /// underruns), recorded in the side table. Zero-sized requests get no canaries: nothing
    /// can be written through them.
    #[cold]
    #[inline(never)]
    pub(crate) fn alloc_guarded(
        &self,
        layout: Layout,
        site: &'static Location<'static>,
    ) -> Result<NonNull<u8>, AllocError> {
        let (size, align) = (layout.size(), layout.align());
        if size == 0 {
            return self.alloc_plain(layout);
        }
        let before = if self.underruns { CANARY_LEN } else { 0 };
        let with_canary = size
            .checked_add(CANARY_LEN)
            .filter(|&n| n <= isize::MAX as usize)
            .ok_or(AllocError::LayoutOverflow)?;
        // The budget counts the block, not its canaries: room for them is added while it is
        // placed, and kept while its record lives.
        let canaries = before + CANARY_LEN;
        self.guard_pending.set(canaries);
        self.set_budget_now(self.budget());
        let placed = self.bump_block(before, with_canary, align);
        self.guard_pending.set(0);
        match placed {
            Ok(_) => self.guard_bytes.set(self.guard_bytes.get() + canaries),
            Err(_) => self.set_budget_now(self.budget()),
        }
        let data = placed.map_err(|e| match e {
            AllocError::BudgetExceeded {
                tag,
                limit,
                used,
                set_by,
                ..
            } => AllocError::BudgetExceeded {
                tag,
                limit,
                requested: size,
                used,
                set_by,
            },
            other => other,
        })?;
        self.count_allocation();
        if before > 0 {
            // SAFETY: `bump_block` reserved `[data - before, data + size + CANARY_LEN)` inside
            // the current chunk for this block alone, `before == CANARY_LEN`, and `data`
            // carries the chunk's provenance. One unaligned 16-byte store.
            unsafe { ptr::write_unaligned(data.wrapping_sub(before).cast(), CANARIES) };
        }
        // SAFETY: as above; these are the block's own bytes, uninitialized until handed out.
        unsafe { ptr::write_bytes(data, guard::FILL, size) };
        // SAFETY: as above; the trailing canary is the last part of the reservation.
        unsafe { ptr::write_unaligned(data.wrapping_add(size).cast(), CANARIES) };
        let mut guards = self.guards.borrow_mut();
        guards.records.push(GuardRecord {
            data,
            size,
            align,
            before,
            site,
            tag: self.tag.get(),
            reported: false,
        });
        self.guard_records.set(guards.records.len());
        Ok(NonNull::new(data).expect("pointer into a chunk is non-null"))
    }

    /// Checks the canaries of the guarded blocks from index `from` on, and drops their records
    /// when `release` (else marks them reported, so each violation is reported once).
    #[cold]
    #[inline(never)]
    pub(super) fn check_records(
        &self,
        from: usize,
        checked_at: GuardCheck,
        release: bool,
    ) -> Vec<GuardReport> {
        let mut guards = self.guards.borrow_mut();
        let mut reports = Vec::new();
        for record in &mut guards.records[from..] {
            if record.reported {
                continue;
            }
            if let Some(report) = self.check_record(record, checked_at) {
                reports.push(report);
                record.reported = true;
            }
        }
        if release {
            let canaries: usize = guards.records[from..]
                .iter()
                .map(|r| r.before + CANARY_LEN)
                .sum();
            self.guard_bytes
                .set(self.guard_bytes.get().saturating_sub(canaries));
            guards.records.truncate(from);
            self.guard_records.set(from);
        }
        reports
    }

    /// The first damaged canary byte of `record`, underruns before overruns.
    #[inline]
    fn check_record(&self, record: &GuardRecord, checked_at: GuardCheck) -> Option<GuardReport> {
        let before = if record.before > 0 {
            // SAFETY: `[data - before, data)` is the block's leading canary (`before` is
            // `CANARY_LEN`), reserved for it in a chunk the arena still holds (records are
            // dropped when their blocks are released); no Rust reference covers it, so
            // reading it cannot conflict with the user's.
            unsafe { ptr::read_unaligned(record.data.wrapping_sub(record.before).cast::<u128>()) }
        } else {
            CANARY_WORD
        };
        // SAFETY: the same for the trailing canary `[data + size, data + size + CANARY_LEN)`.
        let after =
            unsafe { ptr::read_unaligned(record.data.wrapping_add(record.size).cast::<u128>()) };
        // The common case, intact canaries, is two 16-byte loads and compares.
        if before == CANARY_WORD && after == CANARY_WORD {
            return None;
        }
        let damaged_before = guard::first_damaged(&before.to_ne_bytes());
        let (kind, offset, found) = if let Some((i, found)) = damaged_before {
            (
                GuardKind::Underrun,
                i as isize - record.before as isize,
                found,
            )
        } else {
            let (i, found) = guard::first_damaged(&after.to_ne_bytes())?;
            (GuardKind::Overrun, (record.size + i) as isize, found)
        };
        Some(GuardReport {
            kind,
            site: record.site,
            tag: record.tag,
            size: record.size,
            align: record.align,
            frame: Some(self.frame_number.get()),
            offset,
            found,
            column: None,
            column_name: None,
            checked_at,
        })
    }

    /// Checks every guarded block of the frame now, reporting each damaged one once. Returns
    /// how many new violations it found.
    pub(crate) fn check_guards(&self) -> usize {
        if self.guard_records.get() == 0 {
            return 0;
        }
        let reports = self.check_records(0, GuardCheck::OnDemand, false);
        let found = reports.len();
        self.dispatch(reports);
        found
    }

    /// Hands reports to the handler.
    pub(super) fn dispatch(&self, reports: Vec<GuardReport>) {
        if reports.is_empty() {
            return;
        }
        let mut guards = self.guards.borrow_mut();
        let GuardState {
            handler, collected, ..
        } = &mut *guards;
        guard::dispatch(handler, collected, reports);
    }

    /// The reports kept by a collecting handler.
    pub(crate) fn take_guard_reports(&self) -> Vec<GuardReport> {
        core::mem::take(&mut self.guards.borrow_mut().collected)
    }

    /// Fills the memory from `from` in chunk `first` up to the cursor with [`guard::POISON`].
    ///
    /// # Safety
    ///
    /// That memory was handed out (or is free) and nothing uses it again.
    #[cold]
    #[inline(never)]
    pub(super) unsafe fn poison_from(&self, first: usize, from: *mut u8) {
        let Some(last) = self.next.get().checked_sub(1) else {
            return;
        };
        let chunks = self.chunks.borrow();
        for index in first..=last {
            let chunk = chunks
                .get(index)
                .expect("chunks up to the current one are held");
            let start = chunk.start.as_ptr();
            let lo = if index == first && from.addr() >= start.addr() {
                from
            } else {
                start
            };
            let hi = if index == last {
                self.ptr.get().addr()
            } else {
                start.addr() + chunk.size()
            };
            // SAFETY: `[lo, hi)` lies inside chunk `index` (`lo` is its start or a cursor
            // position in it, `hi` the cursor or its end), which the arena owns, and the
            // caller guarantees no one uses that memory again.
            unsafe { ptr::write_bytes(lo, guard::POISON, hi.saturating_sub(lo.addr())) };
        }
    }
}
