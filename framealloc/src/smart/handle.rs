//! [`ThreadHandle`]: the calling thread's way into a [`SmartAlloc`] without a lookup per call.

use core::alloc::Layout;
use core::fmt;
use core::marker::PhantomData;
use core::ptr::NonNull;
use core::sync::atomic::Ordering;
use std::boxed::Box;

use super::pool_box::{PoolBlock, PoolBox};
use super::thread::{bump, ThreadState};
use super::SmartAlloc;
use crate::error::{infallible, AllocError};
use crate::frame::{run_scoped, Frame};
use crate::pool::{class_layout, class_of};

/// The calling thread's state of an allocator, for the length of one call: what
/// [`ThreadHandle`] and the allocator's own methods run on. It does not count itself as a
/// borrower of the state: the thread cannot exit (and its registry cannot be destroyed)
/// while a call runs on it, since thread-local destructors run one after another, each from
/// start to end.
#[derive(Clone, Copy)]
pub(crate) struct ThreadRef<'a> {
    alloc: &'a SmartAlloc,
    state: &'a ThreadState,
    /// Neither `Send` nor `Sync`: the state belongs to this thread.
    _thread: PhantomData<*const ()>,
}

impl<'a> ThreadRef<'a> {
    #[inline(always)]
    pub(crate) fn new(alloc: &'a SmartAlloc, state: &'a ThreadState) -> Self {
        ThreadRef {
            alloc,
            state,
            _thread: PhantomData,
        }
    }

    /// See [`SmartAlloc::frame`].
    #[track_caller]
    pub fn frame<'env, R>(&self, body: impl for<'f> FnOnce(Frame<'f, 'env>) -> R) -> R {
        let (shared, state) = (&*self.alloc.shared, self.state);
        state.sync_epoch(shared.epoch.load(Ordering::Acquire));
        if state.in_frame() {
            panic!(
                "SmartAlloc::frame: this thread is already inside a frame of this allocator; \
                 open a scope with `f.scope(|g| ..)` instead of nesting frames"
            );
        }
        if state.locals.get() > 0 {
            panic!(
                "SmartAlloc::frame: this thread holds a LocalFrame of the allocator's open \
                 frame (from SmartFrame::for_current_thread); drop it before opening a frame \
                 of the thread, or allocate through it"
            );
        }
        struct Exit<'a>(&'a ThreadState);
        impl Drop for Exit<'_> {
            fn drop(&mut self) {
                self.0.rebase_lease();
                self.0.set_in_frame(false);
                self.0.publish();
            }
        }
        state.set_in_frame(true);
        let _exit = Exit(state);
        state.note_uncounted();
        #[cfg(feature = "count-allocations")]
        let counted = state.arena.lent_allocations();
        // SAFETY: while `body` runs, the arena is fenced (`in_frame`), so on this thread no
        // `SmartFrame` allocates from the arena, its vectors neither grow nor give memory back
        // (`Frame::fenced`), no `LocalFrame` exists (none did when it was set, and none can be
        // made), no other `frame` opens and the arena is not reset (`sync_epoch` waits for
        // the fence to clear). Other threads never touch this thread's arena while it can use
        // it. So only `body`'s frame allocates from, rewinds or resets the arena.
        unsafe {
            run_scoped(&state.arena, None, |f| {
                let r = body(f);
                #[cfg(feature = "count-allocations")]
                state.count_frame_allocations(state.arena.lent_allocations().wrapping_sub(counted));
                state.settle_lease(&shared.book);
                r
            })
        }
    }

    /// See [`SmartAlloc::with_tag`].
    #[track_caller]
    pub fn with_tag<R>(&self, name: &'static str, body: impl FnOnce() -> R) -> R {
        let (book, state) = (&*self.alloc.shared.book, self.state);
        let parent = state.top_tag();
        let tag = book.tag(parent.as_deref(), name);
        state.settle_lease(book);
        state.push_tag(tag);
        struct Pop<'a>(&'a ThreadState, &'a super::budget::Book);
        impl Drop for Pop<'_> {
            fn drop(&mut self) {
                self.0.settle_lease(self.1);
                self.0.pop_tag();
            }
        }
        let _pop = Pop(state, book);
        body()
    }

    /// A block for `layout`: a pool block up to 4 KiB, a heap block above, a dangling one for
    /// zero bytes.
    #[inline(always)]
    #[track_caller]
    fn block(&self, layout: Layout) -> Result<NonNull<u8>, AllocError> {
        let state = self.state;
        match class_of(layout) {
            Some(class) => {
                // SAFETY: this is the owner thread (the handle is neither `Send` nor `Sync`),
                // and the reference is used for this one call, which runs no user code.
                let cache = unsafe { state.cache() };
                let block =
                    cache
                        .alloc(&self.alloc.shared.pool, class)
                        .ok_or(AllocError::OutOfMemory {
                            requested: class_layout(class).size(),
                        })?;
                bump(&state.counters.pool_allocations, 1);
                state.count_tagged(layout.size());
                #[cfg(feature = "profiler")]
                state.arena.profile_event(
                    crate::profile::EventKind::PoolAlloc,
                    layout,
                    block.as_ptr().addr(),
                    Some(core::panic::Location::caller()),
                );
                Ok(block)
            }
            None if layout.size() == 0 => Ok(crate::addr::dangling(layout.align())),
            None => self.heap_block(layout),
        }
    }

    #[cold]
    #[inline(never)]
    #[track_caller]
    fn heap_block(&self, layout: Layout) -> Result<NonNull<u8>, AllocError> {
        // SAFETY: `layout` is not zero-sized (checked by the caller).
        let block =
            NonNull::new(unsafe { std::alloc::alloc(layout) }).ok_or(AllocError::OutOfMemory {
                requested: layout.size(),
            })?;
        bump(&self.state.counters.heap_allocations, 1);
        self.state.count_tagged(layout.size());
        #[cfg(feature = "profiler")]
        self.state.arena.profile_event(
            crate::profile::EventKind::Heap,
            layout,
            block.as_ptr().addr(),
            Some(core::panic::Location::caller()),
        );
        Ok(block)
    }

    /// See [`SmartAlloc::pool_box`].
    #[inline]
    #[track_caller]
    pub fn pool_box<T>(&self, value: T) -> PoolBox<'a, T> {
        infallible(self.try_pool_box(value))
    }

    /// See [`SmartAlloc::try_pool_box`].
    #[inline]
    #[track_caller]
    pub fn try_pool_box<T>(&self, value: T) -> Result<PoolBox<'a, T>, AllocError> {
        let block = self.block(Layout::new::<T>())?.cast::<T>();
        // SAFETY: the block is valid for writes of a `T` (its class, or the heap or dangling
        // block for `T`'s layout, holds `T`'s size and alignment) and is ours alone.
        unsafe { block.as_ptr().write(value) };
        // SAFETY: `block` holds a `T` just written, from `block(Layout::new::<T>())`.
        Ok(unsafe { PoolBox::from_raw(block, self.alloc) })
    }

    /// See [`SmartAlloc::pool_alloc`].
    #[inline]
    #[track_caller]
    pub fn pool_alloc(&self, layout: Layout) -> PoolBlock<'a> {
        infallible(self.try_pool_alloc(layout))
    }

    /// See [`SmartAlloc::try_pool_alloc`].
    #[inline]
    #[track_caller]
    pub fn try_pool_alloc(&self, layout: Layout) -> Result<PoolBlock<'a>, AllocError> {
        let block = self.block(layout)?;
        Ok(PoolBlock::new(block, layout, self.alloc))
    }

    /// See [`SmartAlloc::heap_box`].
    #[track_caller]
    pub fn heap_box<T>(&self, value: T) -> Box<T> {
        bump(&self.state.counters.heap_allocations, 1);
        self.state.count_tagged(core::mem::size_of::<T>());
        let boxed = Box::new(value);
        #[cfg(feature = "profiler")]
        self.state.arena.profile_event(
            crate::profile::EventKind::Heap,
            Layout::new::<T>(),
            core::ptr::from_ref(&*boxed).addr(),
            Some(core::panic::Location::caller()),
        );
        boxed
    }
}

/// The calling thread's handle on a [`SmartAlloc`]; see [`SmartAlloc::for_current_thread`].
/// Every method is the allocator's method of the same name, minus the thread lookup.
///
/// A handle may be kept anywhere its borrow of the allocator allows, a thread-local of a
/// `'static` allocator included: the thread's state stays alive until the last handle is
/// dropped, even if that happens while the thread's thread-locals are being destroyed.
///
/// ```
/// let alloc = framealloc::SmartAlloc::new();
/// let here = alloc.for_current_thread(); // one lookup, then no more per call
/// let boxes: Vec<_> = (0..100u64).map(|i| here.pool_box(i)).collect();
/// let sum = here.frame(|f| f.alloc_iter(boxes.iter().map(|b| **b)).iter().sum::<u64>());
/// assert_eq!(sum, 4950);
/// ```
pub struct ThreadHandle<'a> {
    /// Counted in `state.handles` while the handle lives.
    inner: ThreadRef<'a>,
}

impl<'a> ThreadHandle<'a> {
    /// A handle the user may keep: counted as a borrower of `state`, which the thread's exit
    /// then leaves alive until the handle is dropped.
    pub(crate) fn new(alloc: &'a SmartAlloc, state: &'a ThreadState) -> Self {
        state.handles.set(state.handles.get() + 1);
        ThreadHandle {
            inner: ThreadRef::new(alloc, state),
        }
    }

    /// See [`SmartAlloc::frame`].
    ///
    /// ```
    /// let alloc = framealloc::SmartAlloc::new();
    /// let here = alloc.for_current_thread(); // looked up once
    /// let sum = here.frame(|f| f.alloc_slice_fill_with(100, |i| i as u32).iter().sum::<u32>());
    /// let n = here.with_tag("ui", || here.pool_box(7u16));
    /// assert_eq!((sum, *n), (4950, 7));
    /// ```
    #[track_caller]
    pub fn frame<'env, R>(&self, body: impl for<'f> FnOnce(Frame<'f, 'env>) -> R) -> R {
        self.inner.frame(body)
    }

    /// See [`SmartAlloc::with_tag`].
    #[track_caller]
    pub fn with_tag<R>(&self, name: &'static str, body: impl FnOnce() -> R) -> R {
        self.inner.with_tag(name, body)
    }

    /// See [`SmartAlloc::pool_box`].
    #[inline]
    #[track_caller]
    pub fn pool_box<T>(&self, value: T) -> PoolBox<'a, T> {
        self.inner.pool_box(value)
    }

    /// See [`SmartAlloc::try_pool_box`].
    #[inline]
    #[track_caller]
    pub fn try_pool_box<T>(&self, value: T) -> Result<PoolBox<'a, T>, AllocError> {
        self.inner.try_pool_box(value)
    }

    /// See [`SmartAlloc::pool_alloc`].
    #[inline]
    #[track_caller]
    pub fn pool_alloc(&self, layout: Layout) -> PoolBlock<'a> {
        self.inner.pool_alloc(layout)
    }

    /// See [`SmartAlloc::try_pool_alloc`].
    #[inline]
    #[track_caller]
    pub fn try_pool_alloc(&self, layout: Layout) -> Result<PoolBlock<'a>, AllocError> {
        self.inner.try_pool_alloc(layout)
    }

    /// See [`SmartAlloc::heap_box`].
    #[track_caller]
    pub fn heap_box<T>(&self, value: T) -> Box<T> {
        self.inner.heap_box(value)
    }
}

impl Drop for ThreadHandle<'_> {
    /// Inline, so that a handle kept in a loop's caller stays in registers: an out-of-line
    /// drop taking its address would make every call in the loop reload it.
    #[inline]
    fn drop(&mut self) {
        let (state, shared) = (self.inner.state, &*self.inner.alloc.shared);
        state.handles.set(state.handles.get() - 1);
        if state.exit_pending() {
            // Dropped after the last use of `state`: it may be the last reference to it.
            drop(state.borrow_ended(shared));
        }
    }
}

impl fmt::Debug for ThreadHandle<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ThreadHandle").finish_non_exhaustive()
    }
}
