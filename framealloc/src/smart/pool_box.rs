//! [`PoolBox`] and [`PoolBlock`]: owners of pool blocks that give them back when dropped.

use core::alloc::Layout;
use core::fmt;
use core::marker::PhantomData;
use core::ops::{Deref, DerefMut};
use core::ptr::NonNull;

use super::registry;
use super::thread::bump;
use super::SmartAlloc;
use crate::pool::class_of;

/// A value in a pool block of a [`SmartAlloc`]; see [`SmartAlloc::pool_box`]. Dropping it
/// runs the value's `Drop` and gives the block back, to the pool cache of the thread that
/// drops it (any thread: a `PoolBox<T>` is `Send` when `T` is).
///
/// ```
/// let alloc = framealloc::SmartAlloc::new();
/// let b = alloc.pool_box(String::from("pooled"));
/// let moved = std::thread::scope(|s| s.spawn(move || b.len()).join().unwrap());
/// assert_eq!(moved, 6);
/// ```
pub struct PoolBox<'a, T> {
    ptr: NonNull<T>,
    alloc: &'a SmartAlloc,
    _owns: PhantomData<T>,
}

// SAFETY: a `PoolBox` owns its `T` like a `Box` does, and giving its block back works from any
// thread (it goes to the dropping thread's cache); `&SmartAlloc` is `Send`.
unsafe impl<T: Send> Send for PoolBox<'_, T> {}
// SAFETY: shared access to a `PoolBox` is shared access to its `T`.
unsafe impl<T: Sync> Sync for PoolBox<'_, T> {}

impl<'a, T> PoolBox<'a, T> {
    /// # Safety
    ///
    /// `ptr` holds a `T` and was allocated by `ThreadHandle::block(Layout::new::<T>())` of
    /// `alloc`, and nothing else owns it.
    pub(crate) unsafe fn from_raw(ptr: NonNull<T>, alloc: &'a SmartAlloc) -> Self {
        PoolBox {
            ptr,
            alloc,
            _owns: PhantomData,
        }
    }

    /// Moves the value out and gives the block back.
    ///
    /// ```
    /// use framealloc::{PoolBox, SmartAlloc};
    ///
    /// let alloc = SmartAlloc::new();
    /// let b = alloc.pool_box(vec![1, 2, 3]);
    /// let v: Vec<i32> = PoolBox::into_inner(b); // the value moves out, the block goes back
    /// assert_eq!(v, [1, 2, 3]);
    /// assert_eq!(alloc.stats().pool_blocks_in_use, 0);
    /// ```
    pub fn into_inner(this: Self) -> T {
        let this = core::mem::ManuallyDrop::new(this);
        // SAFETY: the box holds a `T`, read once here; the box is not dropped (so the value is
        // not dropped again), and the block is given back right after.
        let value = unsafe { this.ptr.as_ptr().read() };
        // SAFETY: the block came from `block(Layout::new::<T>())` of this allocator and holds
        // nothing now.
        unsafe { give_back(this.alloc, this.ptr.cast(), Layout::new::<T>()) };
        value
    }
}

impl<T> Deref for PoolBox<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the box owns a valid `T`; shared access follows the borrow of `self`.
        unsafe { self.ptr.as_ref() }
    }
}

impl<T> DerefMut for PoolBox<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the box owns a valid `T`; unique access follows the borrow of `self`.
        unsafe { self.ptr.as_mut() }
    }
}

impl<T> Drop for PoolBox<'_, T> {
    fn drop(&mut self) {
        /// Gives the block back after the value is dropped, even if its `Drop` panics.
        struct GiveBack<'a>(&'a SmartAlloc, NonNull<u8>, Layout);
        impl Drop for GiveBack<'_> {
            fn drop(&mut self) {
                // SAFETY: as in `into_inner`: the block is this allocator's, and the value
                // it held has been dropped (or its destructor unwound: it is gone either way).
                unsafe { give_back(self.0, self.1, self.2) };
            }
        }
        if core::mem::needs_drop::<T>() {
            let _give_back = GiveBack(self.alloc, self.ptr.cast(), Layout::new::<T>());
            // SAFETY: the box owns a valid `T`, dropped exactly once here.
            unsafe { self.ptr.as_ptr().drop_in_place() };
        } else {
            // Nothing to drop, nothing that can panic: no guard on the hot path.
            // SAFETY: as in `into_inner`: the block is this allocator's, and the `T` in it
            // needs no drop.
            unsafe { give_back(self.alloc, self.ptr.cast(), Layout::new::<T>()) };
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for PoolBox<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// A raw pool block of a [`SmartAlloc`]; see [`SmartAlloc::pool_alloc`]. Given back when
/// dropped, on any thread.
///
/// ```
/// use core::alloc::Layout;
///
/// let alloc = framealloc::SmartAlloc::new();
/// let block = alloc.pool_alloc(Layout::new::<[u64; 4]>());
/// assert_eq!(block.as_ptr().as_ptr() as usize % 8, 0);
/// // SAFETY: the block is valid for writes of its layout's size.
/// unsafe { block.as_ptr().cast::<[u64; 4]>().write([1, 2, 3, 4]) };
/// ```
pub struct PoolBlock<'a> {
    ptr: NonNull<u8>,
    layout: Layout,
    alloc: &'a SmartAlloc,
}

// SAFETY: the block is plain memory the `PoolBlock` owns; giving it back works from any thread.
unsafe impl Send for PoolBlock<'_> {}
// SAFETY: a shared `PoolBlock` only hands out its address.
unsafe impl Sync for PoolBlock<'_> {}

impl<'a> PoolBlock<'a> {
    pub(crate) fn new(ptr: NonNull<u8>, layout: Layout, alloc: &'a SmartAlloc) -> Self {
        PoolBlock { ptr, layout, alloc }
    }

    /// The block's start: valid for reads and writes of `layout().size()` bytes, aligned to
    /// `layout().align()`, until the `PoolBlock` is dropped. Its contents start uninitialized.
    ///
    /// ```
    /// use core::alloc::Layout;
    ///
    /// let alloc = framealloc::SmartAlloc::new();
    /// let block = alloc.pool_alloc(Layout::from_size_align(100, 16).unwrap());
    /// assert_eq!(block.layout().size(), 100);
    /// assert_eq!(block.as_ptr().as_ptr() as usize % 16, 0);
    /// // SAFETY: the block is valid for 100 bytes until it is dropped.
    /// unsafe { block.as_ptr().as_ptr().write_bytes(0, 100) };
    /// ```
    pub fn as_ptr(&self) -> NonNull<u8> {
        self.ptr
    }

    /// The layout asked for.
    pub fn layout(&self) -> Layout {
        self.layout
    }
}

impl Drop for PoolBlock<'_> {
    fn drop(&mut self) {
        // SAFETY: the block came from `block(self.layout)` of this allocator, and nothing
        // may use it after its owner is dropped.
        unsafe { give_back(self.alloc, self.ptr, self.layout) };
    }
}

impl fmt::Debug for PoolBlock<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PoolBlock")
            .field("ptr", &self.ptr)
            .field("layout", &self.layout)
            .finish()
    }
}

/// Gives a block back: to the calling thread's pool cache, to the heap above 4 KiB.
///
/// # Safety
///
/// `block` came from `ThreadHandle::block(layout)` of `alloc` and is not used again.
#[inline]
unsafe fn give_back(alloc: &SmartAlloc, block: NonNull<u8>, layout: Layout) {
    match class_of(layout) {
        Some(class) => match registry::current_by_id(alloc.shared.id, &alloc.shared) {
            Some(state) => {
                // SAFETY: `current` returns the calling thread's own state, and the reference
                // is used for this one call, which runs no user code.
                unsafe { state.cache() }.free(&alloc.shared.pool, class, block);
                bump(&state.counters.pool_frees, 1);
                #[cfg(feature = "profiler")]
                state.arena.profile_event(
                    crate::profile::EventKind::PoolFree,
                    layout,
                    block.as_ptr().addr(),
                    None,
                );
            }
            None => {
                alloc.shared.pool.give_one(class, block);
                // A thread without an arena of this allocator: its free goes straight to the
                // profiler, under its lock (no buffer to put it in).
                #[cfg(feature = "profiler")]
                if let Some(profiler) = &alloc.shared.config.profiler {
                    profiler.record_foreign_free(layout, block.as_ptr().addr());
                }
            }
        },
        None if layout.size() == 0 => {}
        // SAFETY: blocks above 4 KiB come from `std::alloc::alloc(layout)`.
        None => unsafe { std::alloc::dealloc(block.as_ptr(), layout) },
    }
}
