//! `allocator_api2::alloc::Allocator` for `&Frame<'f, 'env>`, so `allocator_api2::vec::Vec`,
//! `hashbrown::HashMap` and other allocator-aware collections can live in a frame.
//!
//! The collection holds `&Frame<'f, 'env>`, i.e. it borrows the frame: while it lives the frame
//! cannot open a scope, so it can never grow into memory a scope would rewind.

use core::alloc::Layout;
use core::ptr::NonNull;

use allocator_api2::alloc::{AllocError, Allocator};

use super::Frame;

// SAFETY:
// - blocks come from `RawArena::try_alloc_layout`, which returns memory valid for the layout
//   and disjoint from every other live block; it stays valid until the frame `'f` ends (or its
//   scope rewinds), and `&'a Frame<'f, '_>` (with `'f: 'a`) cannot outlive that;
// - the allocator is a shared reference, so copies are the same allocator and any of them can
//   free or grow a block another one allocated;
// - `deallocate` only ever moves the bump pointer back over the block it is given, when that
//   block is the newest one, so it never frees memory of another live block.
unsafe impl Allocator for &Frame<'_, '_> {
    #[inline(always)]
    #[track_caller]
    fn allocate(&self, layout: Layout) -> Result<NonNull<[u8]>, AllocError> {
        let ptr = self.raw().try_alloc_layout(layout)?;
        Ok(NonNull::slice_from_raw_parts(ptr, layout.size()))
    }

    #[inline]
    unsafe fn deallocate(&self, ptr: NonNull<u8>, layout: Layout) {
        // SAFETY: the caller guarantees `ptr` is a block of `layout` from this allocator (so
        // from this frame's arena) that it no longer uses.
        unsafe { self.raw().release_if_last(ptr, layout.size()) };
    }

    #[inline]
    #[track_caller]
    unsafe fn grow(
        &self,
        ptr: NonNull<u8>,
        old: Layout,
        new: Layout,
    ) -> Result<NonNull<[u8]>, AllocError> {
        debug_assert!(new.size() >= old.size());
        // SAFETY: forwarded from the caller: `ptr` is a block of `old` from this allocator and
        // `new.size() >= old.size()`.
        unsafe { self.resize(ptr, old, new) }
    }

    #[inline]
    #[track_caller]
    unsafe fn shrink(
        &self,
        ptr: NonNull<u8>,
        old: Layout,
        new: Layout,
    ) -> Result<NonNull<[u8]>, AllocError> {
        debug_assert!(new.size() <= old.size());
        // SAFETY: forwarded from the caller, as in `grow`.
        unsafe { self.resize(ptr, old, new) }
    }
}

impl Frame<'_, '_> {
    /// Resizes a block in place when it is the newest one (or shrinks and stays aligned), and
    /// otherwise moves it.
    ///
    /// # Safety
    ///
    /// `ptr` is a live block allocated from this frame with layout `old`.
    #[track_caller]
    unsafe fn resize(
        &self,
        ptr: NonNull<u8>,
        old: Layout,
        new: Layout,
    ) -> Result<NonNull<[u8]>, AllocError> {
        if ptr.as_ptr().addr().is_multiple_of(new.align()) {
            // In place, the block comes back through a pointer derived from the arena's own,
            // which covers the grown part (the caller's may cover only the old block).
            // SAFETY: `ptr` is a live block of `old.size()` bytes from this arena, owned by
            // the caller, who adopts the returned block in its place (`resize`'s contract).
            let grown = unsafe { self.raw().try_grow_in_place(ptr, old.size(), new.size()) };
            if let Some(start) = grown {
                self.raw().note_buffer();
                return Ok(NonNull::slice_from_raw_parts(start, new.size()));
            }
            if new.size() <= old.size() {
                return Ok(NonNull::slice_from_raw_parts(ptr, new.size()));
            }
        }
        let moved = self.raw().try_alloc_layout(new)?;
        // SAFETY: `ptr` is valid for `old.size()` bytes (caller), `moved` is a fresh block of
        // `new.size()` bytes, so both ranges are valid for the copy, which is of the smaller
        // size, and they cannot overlap.
        unsafe {
            core::ptr::copy_nonoverlapping(ptr.as_ptr(), moved.as_ptr(), old.size().min(new.size()))
        };
        self.raw().note_fresh_buffer();
        Ok(NonNull::slice_from_raw_parts(moved, new.size()))
    }
}
