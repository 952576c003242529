//! What an arena of the `SmartAlloc` facade publishes for other threads: the bytes it holds,
//! its peak and the bytes it gave back within frames, so that the thread ending a frame can
//! read true figures for every thread's arena without touching the arena itself.

use core::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use super::RawArena;

/// The published figures. Only the owner thread stores to them (plain stores); any thread
/// may load them.
#[derive(Debug, Default)]
pub(crate) struct Gauges {
    /// Bytes in use, as of the last publication.
    pub(crate) used: AtomicUsize,
    /// The most bytes in use since the facade last cleared it (at each new frame).
    pub(crate) peak: AtomicUsize,
    /// Bytes given back since the arena was made: scope and `frame` rewinds, vectors and
    /// boxes handing their memory back, shrinks. Never goes down.
    pub(crate) given_back: AtomicU64,
    /// Container buffers allocated since the arena was made: each vector buffer, first or
    /// grown. Never goes down.
    pub(crate) buffers: AtomicU64,
}

impl RawArena {
    /// Makes the arena publish its figures to `gauges`, and count what it gives back (its
    /// rewinds then take the checked path, which counts them).
    pub(crate) fn set_gauges(&mut self, gauges: Arc<Gauges>) {
        self.gauges = Some(gauges);
        self.checked_rewinds = true;
    }

    /// Bytes given back since the arena was made (counted only with gauges).
    pub(crate) fn given_back(&self) -> u64 {
        self.given_back.get()
    }

    /// Container buffers allocated since the arena was made (counted only with gauges).
    pub(crate) fn buffers(&self) -> u64 {
        self.buffers.get()
    }

    /// A container grew its buffer in place: counts it and publishes; a no-op without
    /// gauges.
    #[inline]
    pub(crate) fn note_buffer(&self) {
        if self.gauges.is_some() {
            self.count_buffer();
        }
    }

    /// A container took a fresh block for its buffer: counts it and publishes; a no-op
    /// without gauges.
    #[inline]
    pub(crate) fn note_fresh_buffer(&self) {
        if self.gauges.is_some() {
            #[cfg(feature = "count-allocations")]
            self.fresh_buffers.set(self.fresh_buffers.get() + 1);
            self.count_buffer();
        }
    }

    /// A running count of the allocations the arena counted that are not container buffers
    /// (those are counted by [`buffers`](Self::buffers)); compare two readings with
    /// `wrapping_sub` within one frame. What a lent frame adds to its thread's count.
    #[cfg(feature = "count-allocations")]
    pub(crate) fn lent_allocations(&self) -> u64 {
        self.allocations
            .get()
            .wrapping_sub(self.fresh_buffers.get())
    }

    #[inline(never)]
    fn count_buffer(&self) {
        self.buffers.set(self.buffers.get() + 1);
        self.publish();
    }

    /// Counts `bytes` given back, and publishes; a no-op without gauges.
    #[inline]
    pub(super) fn note_given_back(&self, bytes: usize) {
        if self.gauges.is_some() {
            self.count_given_back(bytes);
        }
    }

    #[inline(never)]
    fn count_given_back(&self, bytes: usize) {
        self.given_back.set(self.given_back.get() + bytes as u64);
        self.publish();
    }

    /// Publishes the bytes in use, the peak and the bytes given back, if the arena has
    /// gauges; what a facade calls where a borrow of the arena ends and where the arena's use
    /// changed outside the allocation fast path.
    #[inline]
    pub(crate) fn publish(&self) {
        if let Some(gauges) = &self.gauges {
            self.publish_to(gauges);
        }
    }

    #[inline(never)]
    fn publish_to(&self, gauges: &Gauges) {
        gauges.used.store(self.used(), Ordering::Relaxed);
        let peak = self.period_peak();
        if peak > gauges.peak.load(Ordering::Relaxed) {
            gauges.peak.store(peak, Ordering::Relaxed);
        }
        gauges
            .given_back
            .store(self.given_back.get(), Ordering::Relaxed);
        gauges.buffers.store(self.buffers.get(), Ordering::Relaxed);
    }
}
