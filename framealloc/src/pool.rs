//! Size-class pools: blocks of 8 bytes to 4 KiB in powers of two, cached per thread, shared
//! between threads in batches, and given back to the system above a retention limit.
//!
//! The public face is [`SmartAlloc::pool_box`](crate::SmartAlloc::pool_box) and
//! [`SmartAlloc::pool_alloc`](crate::SmartAlloc::pool_alloc), and the class bounds
//! [`SmartAlloc::POOL_MIN_BLOCK`](crate::SmartAlloc::POOL_MIN_BLOCK) and
//! [`SmartAlloc::POOL_MAX_BLOCK`](crate::SmartAlloc::POOL_MAX_BLOCK); this module holds the
//! mechanics. An allocation pops a block from the calling thread's cache for its class; a
//! free pushes it onto the cache of the thread that frees it, whichever thread allocated it.
//! A cache that runs dry takes a batch from the class's shared free list (or makes a batch
//! from the system); a cache that overflows gives a batch back. So the shared lock is taken
//! once per [`BATCH`] operations at most, and blocks move freely between threads.

mod free_list;

use core::alloc::Layout;
use core::ptr::NonNull;
use std::vec::Vec;

use free_list::FreeList;
pub(crate) use free_list::{alloc_block, free_block};

use crate::sync::{AtomicUsize, Ordering};

/// Number of size classes: 8, 16, ..., 4096 bytes.
pub(crate) const CLASSES: usize = 10;
/// The smallest class, in bytes.
pub(crate) const MIN_BLOCK: usize = 8;
/// The largest class, in bytes; larger requests are served by the heap.
pub(crate) const MAX_BLOCK: usize = 4096;
/// Blocks moved between a thread cache and the shared list at once.
pub(crate) const BATCH: usize = 32;
/// Blocks a thread cache holds per class before it gives a batch back.
const CACHE_MAX: usize = 2 * BATCH;

/// The class serving `layout`: the smallest power of two of at least 8 bytes that holds its
/// size and its alignment, or `None` above 4 KiB (and for zero-sized layouts, which need no
/// block).
#[inline(always)]
pub(crate) const fn class_of(layout: Layout) -> Option<usize> {
    let size = layout.size();
    if size == 0 {
        return None;
    }
    let need = if size > layout.align() {
        size
    } else {
        layout.align()
    };
    if need > MAX_BLOCK {
        return None;
    }
    let need = if need < MIN_BLOCK { MIN_BLOCK } else { need };
    Some((need.next_power_of_two().trailing_zeros() - MIN_BLOCK.trailing_zeros()) as usize)
}

/// The layout of the blocks of `class`: size and alignment both `8 << class`, so a block
/// serves any layout whose size and alignment fit in it.
#[inline(always)]
pub(crate) const fn class_layout(class: usize) -> Layout {
    let size = MIN_BLOCK << class;
    match Layout::from_size_align(size, size) {
        Ok(layout) => layout,
        Err(_) => panic!("class sizes are powers of two"),
    }
}

/// The pool state shared by all threads of one allocator.
pub(crate) struct PoolShared {
    lists: [FreeList; CLASSES],
    /// Bytes of free blocks in `lists`.
    retained: AtomicUsize,
    /// The most bytes `lists` may hold; blocks beyond go back to the system.
    retain: usize,
    /// Blocks obtained from the system, ever.
    created: AtomicUsize,
    /// Blocks given back to the system, ever.
    released: AtomicUsize,
}

impl PoolShared {
    pub(crate) fn new(retain: usize) -> Self {
        PoolShared {
            lists: core::array::from_fn(|class| FreeList::new(class_layout(class))),
            retained: AtomicUsize::new(0),
            retain,
            created: AtomicUsize::new(0),
            released: AtomicUsize::new(0),
        }
    }

    /// Bytes of free blocks kept in the shared lists.
    pub(crate) fn retained_bytes(&self) -> usize {
        self.retained.load(Ordering::Relaxed)
    }

    /// Blocks obtained from the system and not given back, in use or cached anywhere.
    pub(crate) fn blocks_held(&self) -> usize {
        self.created.load(Ordering::Relaxed) - self.released.load(Ordering::Relaxed)
    }

    /// Blocks in the shared lists now.
    #[cfg(test)]
    pub(crate) fn blocks_shared(&self) -> usize {
        self.lists.iter().map(FreeList::len).sum()
    }

    /// Takes back one block from a thread that has no cache any more (it is exiting).
    pub(crate) fn give_one(&self, class: usize, block: NonNull<u8>) {
        self.give(class, &mut std::vec![block]);
    }

    fn give(&self, class: usize, batch: &mut Vec<NonNull<u8>>) {
        let released = self.lists[class].give(batch, &self.retained, self.retain);
        self.released.fetch_add(released, Ordering::Relaxed);
    }
}

impl Drop for PoolShared {
    fn drop(&mut self) {
        for list in &self.lists {
            let n = list.release_all(&self.retained);
            self.released.fetch_add(n, Ordering::Relaxed);
        }
    }
}

/// One thread's cached free blocks, per class, for one allocator. Only its thread uses it.
#[derive(Default)]
pub(crate) struct ThreadCache {
    bins: [Vec<NonNull<u8>>; CLASSES],
}

impl ThreadCache {
    /// A block of `class`.
    ///
    /// # Performance
    ///
    /// A `Vec` pop; once per [`BATCH`] allocations at most, a batch from the shared list
    /// under its lock (or from the system).
    #[inline(always)]
    pub(crate) fn alloc(&mut self, shared: &PoolShared, class: usize) -> Option<NonNull<u8>> {
        match self.bins[class].pop() {
            Some(block) => Some(block),
            None => self.refill(shared, class),
        }
    }

    #[cold]
    #[inline(never)]
    fn refill(&mut self, shared: &PoolShared, class: usize) -> Option<NonNull<u8>> {
        let bin = &mut self.bins[class];
        bin.reserve_exact(CACHE_MAX.saturating_sub(bin.len()));
        if shared.lists[class].take(bin, BATCH, &shared.retained) == 0 {
            let layout = class_layout(class);
            for _ in 0..BATCH {
                let Some(block) = alloc_block(layout) else {
                    break;
                };
                shared.created.fetch_add(1, Ordering::Relaxed);
                bin.push(block);
            }
        }
        bin.pop()
    }

    /// Takes back a block of `class` (from any thread's allocation).
    ///
    /// # Performance
    ///
    /// A `Vec` push; once per [`BATCH`] frees at most, a batch to the shared list.
    #[inline(always)]
    pub(crate) fn free(&mut self, shared: &PoolShared, class: usize, block: NonNull<u8>) {
        let bin = &mut self.bins[class];
        if bin.len() >= CACHE_MAX || bin.capacity() == 0 {
            self.make_room(shared, class);
        }
        self.bins[class].push(block);
    }

    #[cold]
    #[inline(never)]
    fn make_room(&mut self, shared: &PoolShared, class: usize) {
        let bin = &mut self.bins[class];
        if bin.capacity() == 0 {
            bin.reserve_exact(CACHE_MAX);
            return;
        }
        let mut batch: Vec<NonNull<u8>> = bin.drain(..BATCH).collect();
        shared.give(class, &mut batch);
    }

    /// Gives every cached block to the shared lists (retention applies); for a thread that
    /// is going away.
    pub(crate) fn flush(&mut self, shared: &PoolShared) {
        for (class, bin) in self.bins.iter_mut().enumerate() {
            if !bin.is_empty() {
                shared.give(class, bin);
            }
        }
    }

    /// Gives every cached block back to the system; for an allocator that is going away.
    /// Returns how many blocks it gave back.
    pub(crate) fn release(&mut self) -> usize {
        let mut n = 0;
        for (class, bin) in self.bins.iter_mut().enumerate() {
            n += bin.len();
            for block in bin.drain(..) {
                // SAFETY: cached blocks of `class` were made by `alloc_block` with this class's
                // layout, and the cache owned them.
                unsafe { free_block(block, class_layout(class)) };
            }
        }
        n
    }

    /// Blocks cached now.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.bins.iter().map(Vec::len).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        let l = |s, a| Layout::from_size_align(s, a).unwrap();
        assert_eq!(class_of(l(0, 1)), None);
        assert_eq!(class_of(l(1, 1)), Some(0));
        assert_eq!(class_of(l(8, 8)), Some(0));
        assert_eq!(class_of(l(9, 1)), Some(1));
        assert_eq!(class_of(l(24, 8)), Some(2));
        assert_eq!(class_of(l(4, 64)), Some(3));
        assert_eq!(class_of(l(4096, 1)), Some(9));
        assert_eq!(class_of(l(4097, 1)), None);
        assert_eq!(class_of(l(8, 8192)), None);
        for class in 0..CLASSES {
            let layout = class_layout(class);
            assert_eq!(class_of(layout), Some(class));
            assert_eq!(layout.size(), layout.align());
        }
    }

    /// A cache refills and overflows in batches, and every block ends up in the shared list.
    #[test]
    fn batches() {
        let shared = PoolShared::new(usize::MAX);
        let mut cache = ThreadCache::default();
        let n = if cfg!(miri) { BATCH + 3 } else { 5 * BATCH + 3 };
        let blocks: Vec<_> = (0..n).map(|_| cache.alloc(&shared, 2).unwrap()).collect();
        assert_eq!(shared.blocks_held(), n.div_ceil(BATCH) * BATCH);
        let mut other = ThreadCache::default();
        for b in blocks {
            other.free(&shared, 2, b);
        }
        assert!(other.len() <= CACHE_MAX);
        other.flush(&shared);
        cache.flush(&shared);
        assert_eq!(shared.blocks_shared(), shared.blocks_held());
    }

    /// Above the retention, flushed blocks go back to the system.
    #[test]
    fn retention() {
        let shared = PoolShared::new(4 * 64);
        let mut cache = ThreadCache::default();
        let blocks: Vec<_> = (0..10).map(|_| cache.alloc(&shared, 3).unwrap()).collect();
        for b in blocks {
            cache.free(&shared, 3, b);
        }
        cache.flush(&shared);
        assert_eq!(shared.blocks_shared(), 4);
        assert_eq!(shared.retained_bytes(), 4 * 64);
        assert_eq!(shared.blocks_held(), 4);
    }
}
