//! The shared free list of one size class: where thread caches put blocks back in batches and
//! take them from in batches, and where memory above the retention goes back to the system.

use core::alloc::Layout;
use core::ptr::NonNull;
use std::vec::Vec;

use crate::sync::{lock_model as lock, AtomicUsize, ModelMutex as Mutex, Ordering};

/// Free blocks of one layout, shared by all threads of an allocator.
///
/// One lock per class, taken once per batch of blocks (never per allocation). `retained`
/// counts the bytes of free blocks in all lists of the allocator, shared between them so the
/// retention limit covers the whole pool.
pub(crate) struct FreeList {
    blocks: Mutex<Vec<NonNull<u8>>>,
    layout: Layout,
}

// SAFETY: the pointers are free blocks this list owns exclusively (taken out of a cache or
// made for it, given to one cache when taken); they carry no thread affinity (they come from
// the global allocator), and every access to the list is under its lock.
unsafe impl Send for FreeList {}
// SAFETY: as above; shared access goes through the lock.
unsafe impl Sync for FreeList {}

impl FreeList {
    pub(crate) fn new(layout: Layout) -> Self {
        FreeList {
            blocks: Mutex::new(Vec::new()),
            layout,
        }
    }

    /// Moves up to `n` blocks into `out`; returns how many it moved.
    pub(crate) fn take(
        &self,
        out: &mut Vec<NonNull<u8>>,
        n: usize,
        retained: &AtomicUsize,
    ) -> usize {
        let mut blocks = lock(&self.blocks);
        let moved = n.min(blocks.len());
        let from = blocks.len() - moved;
        out.extend(blocks.drain(from..));
        drop(blocks);
        retained.fetch_sub(moved * self.layout.size(), Ordering::Relaxed);
        moved
    }

    /// Takes every block of `batch`: keeps them while the pool retains no more than `retain`
    /// bytes, and gives the rest back to the system. Returns how many went to the system.
    pub(crate) fn give(
        &self,
        batch: &mut Vec<NonNull<u8>>,
        retained: &AtomicUsize,
        retain: usize,
    ) -> usize {
        let size = self.layout.size();
        {
            let mut blocks = lock(&self.blocks);
            while let Some(&block) = batch.last() {
                // Reserve room under the retention limit before keeping the block.
                let reserved = retained.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |r| {
                    r.checked_add(size).filter(|&n| n <= retain)
                });
                if reserved.is_err() {
                    break;
                }
                blocks.push(block);
                batch.pop();
            }
        }
        let released = batch.len();
        for block in batch.drain(..) {
            // SAFETY: every block of a pool class is allocated by `alloc_block` with this
            // list's layout; the batch owned it and gives it up here.
            unsafe { free_block(block, self.layout) };
        }
        released
    }

    /// Gives every block back to the system; for an allocator being dropped.
    pub(crate) fn release_all(&self, retained: &AtomicUsize) -> usize {
        let mut blocks = lock(&self.blocks);
        let n = blocks.len();
        for block in blocks.drain(..) {
            // SAFETY: as in `give`: the list owned the block, which has this layout.
            unsafe { free_block(block, self.layout) };
        }
        retained.fetch_sub(n * self.layout.size(), Ordering::Relaxed);
        n
    }

    /// Blocks in the list now.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        lock(&self.blocks).len()
    }
}

/// A new block of `layout` (never zero-sized) from the global allocator.
pub(crate) fn alloc_block(layout: Layout) -> Option<NonNull<u8>> {
    debug_assert!(layout.size() > 0);
    // SAFETY: pool layouts are 8 bytes or more, the only precondition of `alloc`.
    NonNull::new(unsafe { std::alloc::alloc(layout) })
}

/// Gives a block back to the global allocator.
///
/// # Safety
///
/// `block` came from [`alloc_block`] with this `layout` and is not used again.
pub(crate) unsafe fn free_block(block: NonNull<u8>, layout: Layout) {
    // SAFETY: the caller guarantees `block` was allocated with `layout` and is given up.
    unsafe { std::alloc::dealloc(block.as_ptr(), layout) }
}

/// Model checks of the list under every interleaving loom explores:
/// `RUSTFLAGS="--cfg loom" cargo test -p framealloc --lib --release free_list`.
#[cfg(all(test, loom))]
mod loom_tests {
    use super::*;
    use loom::sync::Arc;
    use loom::thread;

    fn blocks(layout: Layout, n: usize) -> Vec<NonNull<u8>> {
        (0..n).map(|_| alloc_block(layout).unwrap()).collect()
    }

    /// Two threads give and take batches concurrently: no block is lost or handed out twice,
    /// and `retained` matches the list at the end.
    #[test]
    fn give_and_take_keep_every_block() {
        loom::model(|| {
            let layout = Layout::from_size_align(16, 16).unwrap();
            let list = Arc::new(FreeList::new(layout));
            let retained = Arc::new(AtomicUsize::new(0));
            let mut seed = blocks(layout, 2);
            list.give(&mut seed, &retained, usize::MAX);
            let handles: Vec<_> = (0..2)
                .map(|_| {
                    let (list, retained) = (Arc::clone(&list), Arc::clone(&retained));
                    thread::spawn(move || {
                        let mut mine = blocks(layout, 1);
                        list.give(&mut mine, &retained, usize::MAX);
                        let mut got = Vec::new();
                        list.take(&mut got, 2, &retained);
                        got
                    })
                })
                .collect();
            let mut out: Vec<NonNull<u8>> = handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect();
            let left = list.len();
            assert_eq!(out.len() + left, 4, "a block was lost or duplicated");
            assert_eq!(retained.load(Ordering::Relaxed), left * 16);
            out.sort();
            out.dedup();
            assert_eq!(out.len() + left, 4, "a block was handed out twice");
            list.give(&mut out, &retained, usize::MAX);
            list.release_all(&retained);
            assert_eq!(retained.load(Ordering::Relaxed), 0);
        });
    }

    /// Two threads flush against a retention of one block: exactly one is kept, the other
    /// goes back to the system, whatever the interleaving.
    #[test]
    fn retention_is_never_exceeded() {
        loom::model(|| {
            let layout = Layout::from_size_align(32, 32).unwrap();
            let list = Arc::new(FreeList::new(layout));
            let retained = Arc::new(AtomicUsize::new(0));
            let handles: Vec<_> = (0..2)
                .map(|_| {
                    let (list, retained) = (Arc::clone(&list), Arc::clone(&retained));
                    thread::spawn(move || {
                        let mut mine = blocks(layout, 1);
                        list.give(&mut mine, &retained, 32)
                    })
                })
                .collect();
            let released: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
            assert_eq!(released, 1);
            assert_eq!(list.len(), 1);
            assert_eq!(retained.load(Ordering::Relaxed), 32);
            list.release_all(&retained);
        });
    }
}
