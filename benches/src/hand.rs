//! The practical limits and adapters the cases share: a hand-written pointer bump, a
//! hand-written free list, a frame of blocks from any `GlobalAlloc` freed at its end, and an
//! allocator-api2 adapter for mimalloc.

use std::alloc::{GlobalAlloc, Layout};
use std::mem::MaybeUninit;
use std::ptr::NonNull;

use allocator_api2::alloc::{AllocError, Allocator};
use mimalloc::MiMalloc;

/// A pointer bump over one preallocated buffer: no chunks, no budget, no checks beyond the
/// bounds compare. Nothing does less work per allocation.
pub struct HandBump {
    buf: Vec<MaybeUninit<u64>>,
    cursor: usize,
}

impl HandBump {
    /// A bump over `bytes` bytes.
    pub fn new(bytes: usize) -> Self {
        HandBump {
            buf: Vec::with_capacity(bytes / 8 + 1),
            cursor: 0,
        }
    }

    /// A block for `layout`; panics when out of room. A `Layout` keeps its size plus alignment
    /// within `isize::MAX` and its alignment a power of two, so the sums below cannot wrap.
    #[inline(always)]
    pub fn alloc_raw(&mut self, layout: Layout) -> *mut u8 {
        let (size, align) = (layout.size(), layout.align());
        let base = self.buf.as_mut_ptr().cast::<u8>();
        let start = (base.addr() + self.cursor + align - 1) & !(align - 1);
        let end = start - base.addr() + size;
        assert!(end <= self.buf.capacity() * 8, "hand bump out of room");
        self.cursor = end;
        base.wrapping_add(start - base.addr())
    }

    /// Moves `value` into a fresh block.
    #[inline(always)]
    pub fn alloc<T>(&mut self, value: T) -> &mut T {
        let p = self.alloc_raw(Layout::new::<T>()).cast::<T>();
        // SAFETY: `alloc_raw` returned an aligned block of `size_of::<T>()` bytes inside
        // `buf`, not handed out since the last reset.
        unsafe { p.write(value) };
        // SAFETY: just initialized; unique until the next reset, which needs `&mut self`.
        unsafe { &mut *p }
    }

    /// A slice of `n` values made by `f(index)`.
    #[inline(always)]
    pub fn alloc_slice_fill_with<T>(
        &mut self,
        n: usize,
        mut f: impl FnMut(usize) -> T,
    ) -> &mut [T] {
        let p = self
            .alloc_raw(Layout::array::<T>(n).expect("a slice of at most isize::MAX bytes"))
            .cast::<T>();
        for i in 0..n {
            // SAFETY: slot `i < n` lies inside the block of `n` elements.
            unsafe { p.wrapping_add(i).write(f(i)) };
        }
        // SAFETY: all `n` elements were initialized just above.
        unsafe { std::slice::from_raw_parts_mut(p, n) }
    }

    /// The cursor, to rewind to later (a scope).
    pub fn mark(&self) -> usize {
        self.cursor
    }

    /// Rewinds to a mark.
    pub fn rewind(&mut self, mark: usize) {
        self.cursor = mark;
    }

    /// Forgets every block.
    pub fn reset(&mut self) {
        self.cursor = 0;
    }
}

/// Block addresses that a frame frees at its end. Raw pointers are not `Send`; the blocks
/// they point to belong to nobody else, so the list may move between threads.
pub struct Blocks(Vec<*mut u8>);

// SAFETY: the pointers are owned blocks of the system or mimalloc heap, which may be freed
// from any thread; nothing else refers to them.
unsafe impl Send for Blocks {}

/// A frame of blocks from a `GlobalAlloc`, each freed at the frame's end: what a frame costs
/// without an arena.
pub struct HeapFrame<A: GlobalAlloc> {
    heap: A,
    blocks: Blocks,
}

impl<A: GlobalAlloc> HeapFrame<A> {
    /// A frame over `heap` with room to remember `capacity` blocks.
    pub fn new(heap: A, capacity: usize) -> Self {
        HeapFrame {
            heap,
            blocks: Blocks(Vec::with_capacity(capacity)),
        }
    }

    /// A block for `layout`, freed at [`end`](Self::end). Panics on a zero-sized layout,
    /// which `GlobalAlloc` does not accept.
    #[inline(always)]
    pub fn alloc_layout(&mut self, layout: Layout) -> *mut u8 {
        assert!(
            layout.size() > 0,
            "HeapFrame needs a layout that is not zero-sized"
        );
        // SAFETY: the layout is not zero-sized (asserted just above).
        let p = unsafe { self.heap.alloc(layout) };
        assert!(!p.is_null(), "out of memory");
        self.blocks.0.push(p);
        p
    }

    /// Moves `value` into a fresh block.
    #[inline(always)]
    pub fn alloc<T>(&mut self, value: T) -> &mut T {
        let p = self.alloc_layout(Layout::new::<T>()).cast::<T>();
        // SAFETY: a fresh block sized and aligned for `T`.
        unsafe { p.write(value) };
        // SAFETY: initialized just above; the block lives until `end`, which needs `&mut self`.
        unsafe { &mut *p }
    }

    /// Frees every block of the frame.
    ///
    /// # Safety
    ///
    /// `layout_of(i)` returns the layout block `i` (in allocation order) was allocated with.
    #[inline(always)]
    pub unsafe fn end(&mut self, mut layout_of: impl FnMut(usize) -> Layout) {
        for (i, p) in self.blocks.0.drain(..).enumerate() {
            // SAFETY: `p` came from `self.heap.alloc(layout_of(i))` (the caller's promise) and
            // is freed once: `drain` removes it from the list.
            unsafe { self.heap.dealloc(p, layout_of(i)) };
        }
    }
}

/// A hand-written pool of 64-byte blocks: a stack of free blocks refilled from the system.
pub struct HandPool {
    free: Blocks,
}

impl HandPool {
    const LAYOUT: Layout = Layout::new::<[u64; 8]>();

    /// An empty pool.
    pub fn new() -> Self {
        HandPool {
            free: Blocks(Vec::with_capacity(64)),
        }
    }

    /// A 64-byte block.
    #[inline(always)]
    pub fn alloc(&mut self) -> *mut [u64; 8] {
        match self.free.0.pop() {
            Some(p) => p.cast(),
            None => {
                // SAFETY: the layout is not zero-sized.
                let p = unsafe { std::alloc::alloc(Self::LAYOUT) };
                assert!(!p.is_null(), "out of memory");
                p.cast()
            }
        }
    }

    /// Returns a block to the pool.
    ///
    /// # Safety
    ///
    /// `p` came from [`alloc`](Self::alloc) on this pool and is not used again.
    #[inline(always)]
    pub unsafe fn free(&mut self, p: *mut [u64; 8]) {
        self.free.0.push(p.cast());
    }
}

impl Drop for HandPool {
    fn drop(&mut self) {
        for p in self.free.0.drain(..) {
            // SAFETY: every pooled block came from `std::alloc::alloc(LAYOUT)`.
            unsafe { std::alloc::dealloc(p, Self::LAYOUT) };
        }
    }
}

/// mimalloc as an allocator-api2 allocator, for allocator-api2 vectors.
#[derive(Clone, Copy, Default)]
pub struct Mi;

// SAFETY: blocks come from mimalloc's `GlobalAlloc`, which hands out distinct blocks that stay
// valid until freed through the same allocator; `Mi` is a unit, so every copy is the same
// allocator.
unsafe impl Allocator for Mi {
    fn allocate(&self, layout: Layout) -> Result<NonNull<[u8]>, AllocError> {
        if layout.size() == 0 {
            let dangling = NonNull::new(layout.align() as *mut u8).ok_or(AllocError)?;
            return Ok(NonNull::slice_from_raw_parts(dangling, 0));
        }
        // SAFETY: the layout is not zero-sized.
        let p = unsafe { MiMalloc.alloc(layout) };
        NonNull::new(p)
            .map(|p| NonNull::slice_from_raw_parts(p, layout.size()))
            .ok_or(AllocError)
    }

    unsafe fn deallocate(&self, ptr: NonNull<u8>, layout: Layout) {
        if layout.size() != 0 {
            // SAFETY: the caller passes a block this allocator returned for `layout`.
            unsafe { MiMalloc.dealloc(ptr.as_ptr(), layout) }
        }
    }

    unsafe fn grow(
        &self,
        ptr: NonNull<u8>,
        old: Layout,
        new: Layout,
    ) -> Result<NonNull<[u8]>, AllocError> {
        if old.size() == 0 || old.align() != new.align() {
            let fresh = self.allocate(new)?;
            // SAFETY: the old block holds `old.size()` readable bytes, the new one at least as
            // many, and they are distinct blocks.
            unsafe {
                std::ptr::copy_nonoverlapping(ptr.as_ptr(), fresh.as_ptr().cast(), old.size())
            };
            // SAFETY: the caller passes a block this allocator returned for `old`.
            unsafe { self.deallocate(ptr, old) };
            return Ok(fresh);
        }
        // SAFETY: `ptr` is a live block for `old` (the caller's promise), the alignment is
        // unchanged and the new size is not zero.
        let p = unsafe { MiMalloc.realloc(ptr.as_ptr(), old, new.size()) };
        NonNull::new(p)
            .map(|p| NonNull::slice_from_raw_parts(p, new.size()))
            .ok_or(AllocError)
    }
}
