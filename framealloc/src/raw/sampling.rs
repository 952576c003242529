//! The profiler's hooks in the arena (the `profiler` feature).
//!
//! Sampling costs the fast path nothing: while a recorder is attached, the fast path's end
//! is the nearer of the limit and the next sample point, so the one request that crosses the
//! sample point takes the cold path ([`RawArena::alloc_sampled`]), which records it and
//! moves the sample point on by whole intervals. Sample points are a lattice with a random
//! phase, drawn anew for each chunk and frame: a request is sampled with probability
//! `footprint / interval` (1 from the interval up), and its record weighs the inverse.

use core::alloc::Layout;
use core::panic::Location;
use core::ptr::{self, NonNull};
use std::boxed::Box;

use super::RawArena;
use crate::error::AllocError;
use crate::profile::recorder::{Recorder, SampleSite};
use crate::profile::EventKind;

impl RawArena {
    /// Attaches a recorder: from now on the arena samples its allocations, and records its
    /// rewinds and frame ends, into it.
    pub(crate) fn set_recorder(&mut self, recorder: Recorder) {
        self.recorder = Some(Box::new(recorder));
        // Rewinds take the checked path, which records them.
        self.checked_rewinds = true;
        self.sample_chunk.set(ptr::null_mut());
        self.set_limit(self.limit.get());
    }

    /// The attached recorder, if any.
    pub(crate) fn recorder(&self) -> Option<&Recorder> {
        self.recorder.as_deref()
    }

    /// Sets the fast path's end while a recorder is attached: arms a sample point in the
    /// current chunk if the one set is stale (a new chunk, a new frame), then takes the
    /// nearer of it and the limit.
    #[cold]
    #[inline(never)]
    pub(super) fn set_sampled_end(&self) {
        let Some(recorder) = self.recorder() else {
            return;
        };
        let start = self.chunk_start.get();
        if self.sample_chunk.get() != start {
            self.sample_chunk.set(start);
            // Only ever compared by address, never dereferenced.
            self.sample_at.set(start.wrapping_add(recorder.gap()));
        }
        self.refresh_end();
    }

    fn refresh_end(&self) {
        let (limit, at) = (self.limit.get(), self.sample_at.get());
        self.end.set(if self.guards_on() {
            ptr::null_mut()
        } else if at.addr() < limit.addr() {
            at
        } else {
            limit
        });
    }

    /// The cold path while a recorder is attached: the allocation as without it, then the
    /// sample, if the request crossed the sample point.
    #[cold]
    #[inline(never)]
    pub(super) fn alloc_sampled(
        &self,
        layout: Layout,
        site: &'static Location<'static>,
    ) -> Result<NonNull<u8>, AllocError> {
        let (before, chunk_before) = (self.ptr.get(), self.chunk_start.get());
        let block = if self.guards_on() {
            self.alloc_guarded(layout, site)
        } else {
            self.alloc_plain(layout)
        }?;
        // A request that opened a chunk took its footprint from the chunk's start.
        let base = if self.chunk_start.get() == chunk_before {
            before
        } else {
            self.chunk_start.get()
        };
        let address = block.as_ptr().addr();
        self.note_sample(base, layout.size(), layout.align(), address, site);
        Ok(block)
    }

    /// A vector grew in place by `grown` bytes from the cursor `before`: sampled as a
    /// request of that many bytes, if it crossed the sample point.
    #[cold]
    #[inline(never)]
    pub(super) fn sample_growth(
        &self,
        before: *mut u8,
        grown: usize,
        site: &'static Location<'static>,
    ) {
        self.note_sample(before, grown, 1, before.addr(), site);
    }

    /// The cursor moved from `base` to where it is now for a request of `size` bytes: if
    /// that crossed the sample point, records the request and moves the point past the
    /// cursor by whole intervals. Then resets the fast path's end.
    fn note_sample(
        &self,
        base: *mut u8,
        size: usize,
        align: usize,
        address: usize,
        site: &'static Location<'static>,
    ) {
        let Some(recorder) = self.recorder() else {
            return;
        };
        if self.sample_chunk.get() != self.chunk_start.get() {
            return self.set_sampled_end();
        }
        let (after, at) = (self.ptr.get(), self.sample_at.get());
        if at.addr() < base.addr() {
            // The point was left behind (a rewind to an earlier chunk, then forward again
            // past it): a new phase from here.
            self.sample_at.set(after.wrapping_add(recorder.gap()));
        } else if after.addr() > at.addr() {
            let footprint = after.addr() - base.addr();
            recorder.sampled(SampleSite {
                kind: EventKind::FrameAlloc,
                size,
                align,
                extra: recorder.weight(footprint),
                site: Some(site),
                tag: self.tag.get(),
                address,
            });
            let interval = recorder.interval();
            let steps = (after.addr() - at.addr()).div_ceil(interval);
            self.sample_at
                .set(at.wrapping_add(steps.saturating_mul(interval)));
        }
        self.refresh_end();
    }

    /// The cursor moved back (a rewind, a block given back): the next sample point is drawn
    /// anew above it. (Keeping the lattice would sample a scope that allocates the same
    /// addresses again and again at the same places: unbiased over frames, but only as good
    /// as one draw per frame.)
    #[cold]
    #[inline(never)]
    pub(super) fn sample_cursor_back(&self) {
        let Some(recorder) = self.recorder() else {
            return;
        };
        if self.sample_chunk.get() != self.chunk_start.get() {
            return self.set_sampled_end();
        }
        let ptr = self.ptr.get();
        // Only ever compared by address, never dereferenced.
        self.sample_at.set(ptr.wrapping_add(recorder.gap()));
        self.refresh_end();
    }

    /// Records the end of a frame (bytes in use and the frame's peak), and draws a new phase
    /// for the next frame's sample points.
    pub(crate) fn profile_frame_end(&self) {
        if let Some(recorder) = self.recorder() {
            let used = self.used();
            let peak = self.take_peak();
            recorder.frame_ended(used, peak, self.tag.get());
            self.sample_chunk.set(ptr::null_mut());
        }
    }

    /// Records a rewind that gave `bytes` back.
    #[cold]
    #[inline(never)]
    pub(super) fn profile_rewind(&self, bytes: usize) {
        if let Some(recorder) = self.recorder().filter(|_| bytes > 0) {
            recorder.record(SampleSite {
                kind: EventKind::Rewind,
                size: bytes,
                align: 1,
                extra: 0,
                site: None,
                tag: self.tag.get(),
                address: 0,
            });
        }
    }

    /// Records an event of the allocator around the arena (pools, heap), if a recorder is
    /// attached: one test inline, the rest out of line.
    #[inline(always)]
    pub(crate) fn profile_event(
        &self,
        kind: EventKind,
        layout: Layout,
        address: usize,
        site: Option<&'static Location<'static>>,
    ) {
        if self.recorder.is_some() {
            self.record_event(kind, layout, address, site);
        }
    }

    #[cold]
    #[inline(never)]
    fn record_event(
        &self,
        kind: EventKind,
        layout: Layout,
        address: usize,
        site: Option<&'static Location<'static>>,
    ) {
        if let Some(recorder) = self.recorder() {
            recorder.record(SampleSite {
                kind,
                size: layout.size(),
                align: layout.align(),
                extra: address as u64,
                site,
                tag: self.tag.get(),
                address,
            });
        }
    }
}
