//! [`SmartFrame`], the allocator's frame shared by all threads, and [`LocalFrame`], one
//! thread's view of it.

use core::fmt;
use core::mem::MaybeUninit;
use core::ops::Deref;
use std::sync::Arc;

use super::report::FrameStats;
use super::thread::ThreadState;
use super::{Shared, SmartAlloc};
use crate::boxed::FrameBox;
use crate::error::{infallible, AllocError};
use crate::frame::Frame;
use crate::handle::{FrameHandle, HandleScope};
use crate::vec::FrameVec;
use core::ptr::NonNull;

/// The allocator's open frame; it ends when dropped. See [`SmartAlloc::begin_frame`].
///
/// A `SmartFrame` is `Sync`: share `&frame` with worker threads (scoped threads, rayon), and
/// each allocates from its own arena with no lock. Allocations are typed `&'s T`, where `'s`
/// is the borrow of the frame, so they can be handed between threads (when `T: Sync`) and the
/// frame cannot end while any of them, or any borrow of the frame, is alive.
///
/// ```
/// use framealloc::SmartAlloc;
///
/// let alloc = SmartAlloc::new();
/// let frame = alloc.begin_frame();
/// let shared: Vec<&u64> = std::thread::scope(|s| {
///     let handles: Vec<_> = (0..4u64)
///         .map(|i| {
///             let frame = &frame;
///             s.spawn(move || &*frame.frame_alloc(i * 10))
///         })
///         .collect();
///     handles.into_iter().map(|h| h.join().unwrap()).collect()
/// });
/// // Memory from four threads' arenas, read here until the frame ends.
/// assert_eq!(shared.iter().copied().sum::<u64>(), 60);
/// drop(shared);
/// frame.end();
/// ```
///
/// The compiler refuses to end a frame whose memory is still in use:
///
/// ```compile_fail
/// let alloc = framealloc::SmartAlloc::new();
/// let frame = alloc.begin_frame();
/// let x = frame.frame_alloc(1u32);
/// drop(frame); // error: `frame` is borrowed by `x`
/// *x += 1;
/// ```
#[must_use = "the frame ends as soon as the SmartFrame is dropped"]
pub struct SmartFrame<'a> {
    alloc: Holder<'a>,
    number: u64,
    /// The allocator's id, kept here so a lookup needs no load through `alloc`.
    id: u64,
}

/// How a frame reaches its allocator: by the borrow it was begun from, or by a handle of its
/// own (a `'static` frame, [`SmartAlloc::begin_frame_owned`]). A forgotten borrowing frame
/// leaks nothing; a forgotten owning one keeps its allocator alive.
pub(crate) enum Holder<'a> {
    Borrowed(&'a SmartAlloc),
    Owned(SmartAlloc),
}

impl Holder<'_> {
    /// The allocator's shared state. Only the first use of an allocator on a thread and the
    /// frame's end read it: the per-call lookup compares the id.
    #[inline(always)]
    fn shared(&self) -> &Arc<Shared> {
        match self {
            Holder::Borrowed(alloc) => &alloc.shared,
            Holder::Owned(alloc) => &alloc.shared,
        }
    }
}

impl<'a> SmartFrame<'a> {
    pub(crate) fn new(alloc: Holder<'a>, number: u64) -> Self {
        SmartFrame {
            id: alloc.shared().id,
            alloc,
            number,
        }
    }

    /// The frame's number: frames of this allocator ended before it began.
    ///
    /// ```
    /// let alloc = framealloc::SmartAlloc::new();
    /// alloc.begin_frame().end();
    /// let frame = alloc.begin_frame();
    /// assert_eq!(frame.frame_number(), 1);
    /// ```
    pub fn frame_number(&self) -> u64 {
        self.number
    }

    /// The frame's number; the same as [`frame_number`](Self::frame_number), the name every
    /// frame-like type uses.
    #[deprecated(
        since = "0.1.0",
        note = "use `frame_number`, the name every frame-like type uses"
    )]
    pub fn number(&self) -> u64 {
        self.number
    }

    /// The calling thread's arena, moved on to this frame.
    #[inline(always)]
    #[track_caller]
    fn arena(&self) -> &ThreadState {
        let state = super::state_of(self.alloc.shared(), self.id);
        state.sync_epoch(self.number);
        if state.in_frame() {
            in_thread_frame();
        }
        state
    }

    /// A frame of the calling thread's arena, lent for this borrow, and the thread's state;
    /// the caller allocates once from the frame and then calls [`counted`](Self::counted).
    /// (A closure taking the frame would lose the caller's location, which guard reports and
    /// the profiler name.)
    #[inline(always)]
    #[track_caller]
    fn lend(&self) -> (&ThreadState, Frame<'_, '_>) {
        let state = self.arena();
        // SAFETY: the frame's lifetime is the borrow of the allocator's open frame (this
        // `SmartFrame`); the
        // thread's arena is reset only by `sync_epoch` once that frame has ended, and is not
        // rewound below this point (a `SmartAlloc::frame` body rewinds only to its own
        // checkpoint, and `arena()` refuses to run inside one).
        (state, unsafe { Frame::new(&state.arena) })
    }

    /// Counts the one allocation made from [`lend`](Self::lend)'s frame.
    #[inline(always)]
    fn counted(state: &ThreadState) {
        state.count_frame_allocations(1);
        state.publish_used();
    }

    /// The calling thread's part of the frame, without the per-call lookup: a [`Frame`] (by
    /// `Deref`) whose allocations live as long as this `SmartFrame`'s borrow. It is neither
    /// `Send` nor `Sync`, and it cannot open scopes (use [`SmartAlloc::frame`] for those).
    ///
    /// # Panics
    ///
    /// Inside [`SmartAlloc::frame`] of the same allocator on this thread.
    ///
    /// ```
    /// let alloc = framealloc::SmartAlloc::new();
    /// let frame = alloc.begin_frame();
    /// let here = frame.for_current_thread();
    /// let xs: Vec<&mut u32> = (0..100).map(|i| here.alloc(i)).collect();
    /// let mut v = here.frame_vec();
    /// v.extend(xs.iter().map(|x| **x));
    /// assert_eq!(v.iter().sum::<u32>(), 4950);
    /// ```
    #[track_caller]
    pub fn for_current_thread(&self) -> LocalFrame<'_> {
        let state = self.arena();
        state.locals.set(state.locals.get() + 1);
        state.note_uncounted();
        LocalFrame {
            // SAFETY: as in `SmartFrame::lend`; also, while this `LocalFrame` lives, `locals` keeps
            // `sync_epoch` from resetting the arena and `SmartAlloc::frame` from opening.
            frame: unsafe { Frame::new(&state.arena) },
            state,
            shared: self.alloc.shared(),
            #[cfg(feature = "count-allocations")]
            counted: state.arena.lent_allocations(),
        }
    }

    /// Moves `value` into the calling thread's arena. Types that need `Drop` are refused at
    /// compile time (use [`frame_box`](Self::frame_box)).
    ///
    /// # Performance
    ///
    /// A thread-local lookup, then the arena's pointer bump; in hot loops,
    /// [`for_current_thread`](Self::for_current_thread) skips the lookup.
    ///
    /// # Panics
    ///
    /// When a budget is exceeded or memory runs out (see
    /// [`try_frame_alloc`](Self::try_frame_alloc)), and inside [`SmartAlloc::frame`] of the
    /// same allocator on this thread.
    ///
    /// ```
    /// let alloc = framealloc::SmartAlloc::new();
    /// let frame = alloc.begin_frame();
    /// let position = frame.frame_alloc([0.0f32; 3]);
    /// let name = frame.frame_box(String::from("player")); // runs Drop
    /// let grid = frame.frame_slice(64, 0u8);
    /// let slots = frame.frame_alloc_batch::<u32>(16);
    /// position[1] = 2.0;
    /// assert_eq!((name.len(), grid.len(), slots.len()), (6, 64, 16));
    /// assert!(frame.try_frame_alloc([0u8; 32]).is_ok());
    /// drop((position, name, grid, slots));
    /// frame.end();
    /// ```
    #[inline]
    #[track_caller]
    #[doc(alias = "alloc")]
    // Each call returns fresh frame memory, not a part of `self`.
    #[allow(clippy::mut_from_ref)]
    pub fn frame_alloc<T>(&self, value: T) -> &mut T {
        let state = self.arena();
        // SAFETY: as in `lend`.
        let frame = unsafe { Frame::new(&state.arena) };
        // Not through `try_frame_alloc`: counting after the allocation succeeded (a failure
        // panics, at the caller's line) keeps the `Result` out of the hot path.
        let r = frame.alloc(value);
        state.count_frame_allocations(1);
        state.publish_used();
        r
    }

    /// [`frame_alloc`](Self::frame_alloc), or the error.
    #[inline]
    #[track_caller]
    pub fn try_frame_alloc<T>(&self, value: T) -> Result<&mut T, AllocError> {
        let (state, f) = self.lend();
        let r = f.try_alloc(value);
        Self::counted(state);
        r
    }

    /// Moves `value` into the calling thread's arena in a box that runs its `Drop`.
    #[inline]
    #[track_caller]
    #[doc(alias = "boxed")]
    pub fn frame_box<T>(&self, value: T) -> FrameBox<'_, T> {
        infallible(self.try_frame_box(value))
    }

    /// [`frame_box`](Self::frame_box), or the error.
    #[inline]
    #[track_caller]
    pub fn try_frame_box<T>(&self, value: T) -> Result<FrameBox<'_, T>, AllocError> {
        let (state, f) = self.lend();
        let r = f.try_boxed(value);
        Self::counted(state);
        r
    }

    /// A slice of `len` copies of `value` in the calling thread's arena.
    #[inline]
    #[track_caller]
    #[doc(alias = "alloc_slice_fill_copy")]
    pub fn frame_slice<T: Copy>(&self, len: usize, value: T) -> &mut [T] {
        infallible(self.try_frame_slice(len, value))
    }

    /// [`frame_slice`](Self::frame_slice), or the error.
    #[inline]
    #[track_caller]
    pub fn try_frame_slice<T: Copy>(&self, len: usize, value: T) -> Result<&mut [T], AllocError> {
        let (state, f) = self.lend();
        let r = f.try_alloc_slice_fill_copy(len, value);
        Self::counted(state);
        r
    }

    /// Room for `n` values in the calling thread's arena, in one step, to be filled by the
    /// caller.
    #[inline]
    #[track_caller]
    #[doc(alias = "alloc_batch")]
    pub fn frame_alloc_batch<T>(&self, n: usize) -> &mut [MaybeUninit<T>] {
        infallible(self.try_frame_alloc_batch(n))
    }

    /// [`frame_alloc_batch`](Self::frame_alloc_batch), or the error.
    #[inline]
    #[track_caller]
    pub fn try_frame_alloc_batch<T>(&self, n: usize) -> Result<&mut [MaybeUninit<T>], AllocError> {
        let (state, f) = self.lend();
        let r = f.try_alloc_batch(n);
        Self::counted(state);
        r
    }

    /// An empty growable vector in the calling thread's arena, living as long as this
    /// borrow of the frame. It runs its elements' `Drop` and grows in place when it can.
    ///
    /// Like any [`FrameVec`] it stays on the thread that made it. It cannot grow inside
    /// [`SmartAlloc::frame`] on that thread, whose memory is released when the closure
    /// returns (it panics there; pushing within its capacity works): reserve room first, or
    /// use a vector of the closure's frame. In hot loops,
    /// [`for_current_thread`](Self::for_current_thread) skips the per-call lookup.
    ///
    /// # Panics
    ///
    /// Inside [`SmartAlloc::frame`] of the same allocator on this thread.
    ///
    /// ```
    /// let alloc = framealloc::SmartAlloc::new();
    /// let frame = alloc.begin_frame();
    /// let mut visible = frame.frame_vec();
    /// visible.extend((0..1000u32).filter(|i| i % 3 == 0));
    /// let mut names = frame.frame_vec_with_capacity(2);
    /// names.push(String::from("enemy")); // dropped with the vector
    /// // Scratch memory of the thread's own frame, released when the closure returns:
    /// let sum = alloc.frame(|f| {
    ///     let doubled = f.alloc_slice_fill_with(visible.len(), |i| visible[i] * 2);
    ///     doubled.iter().sum::<u32>()
    /// });
    /// assert_eq!(sum, 2 * visible.iter().sum::<u32>());
    /// assert!(frame.try_frame_vec_with_capacity::<u64>(usize::MAX).is_err());
    /// drop((visible, names));
    /// frame.end();
    /// ```
    #[inline]
    #[track_caller]
    #[doc(alias = "vec")]
    pub fn frame_vec<T>(&self) -> FrameVec<'_, '_, T> {
        FrameVec::new_in(self.view())
    }

    /// A vector with room for `capacity` elements in the calling thread's arena; see
    /// [`frame_vec`](Self::frame_vec).
    ///
    /// # Panics
    ///
    /// When a budget is exceeded or memory runs out (see
    /// [`try_frame_vec_with_capacity`](Self::try_frame_vec_with_capacity)), and inside
    /// [`SmartAlloc::frame`] of the same allocator on this thread.
    #[inline]
    #[track_caller]
    #[doc(alias = "vec_with_capacity")]
    pub fn frame_vec_with_capacity<T>(&self, capacity: usize) -> FrameVec<'_, '_, T> {
        infallible(self.try_frame_vec_with_capacity(capacity))
    }

    /// [`frame_vec_with_capacity`](Self::frame_vec_with_capacity), or the error.
    #[inline]
    #[track_caller]
    pub fn try_frame_vec_with_capacity<T>(
        &self,
        capacity: usize,
    ) -> Result<FrameVec<'_, '_, T>, AllocError> {
        let state = self.arena();
        // SAFETY: `self` is the allocator's open frame, borrowed for the vector's lifetime,
        // and `arena()` moved the thread's arena on to its epoch.
        let vec = FrameVec::try_with_capacity_in(capacity, unsafe { state.view() })?;
        // The first buffer is counted here; the arena counts each growth.
        if vec.capacity() > 0 && core::mem::size_of::<T>() != 0 {
            state.count_frame_allocations(1);
            state.publish_used();
        }
        Ok(vec)
    }

    /// The calling thread's arena as a frame for vectors, lent for this borrow.
    #[inline]
    #[track_caller]
    fn view(&self) -> &Frame<'_, '_> {
        let state = self.arena();
        // SAFETY: `self` is the allocator's open frame, borrowed for the returned lifetime,
        // and `arena()` moved the thread's arena on to its epoch.
        unsafe { state.view() }
    }

    /// Moves `value` into the calling thread's arena and returns a [`FrameHandle`] to it: a
    /// handle without a lifetime (for an ECS component, resource or event), read through this
    /// frame from any thread, and stale (`None` from [`FrameHandle::try_get`]) once the frame
    /// has ended. `T` must not need `Drop`.
    ///
    /// # Panics
    ///
    /// As [`frame_alloc`](Self::frame_alloc) does.
    ///
    /// ```
    /// use framealloc::{FrameHandle, SmartAlloc};
    ///
    /// let alloc = SmartAlloc::new();
    /// let frame = alloc.begin_frame();
    /// // Made on a worker thread, read on this one, in the same frame:
    /// let mut path: FrameHandle<[u16; 8]> =
    ///     std::thread::scope(|s| s.spawn(|| frame.handle([3; 8])).join().unwrap());
    /// path.get_mut(&frame)[0] = 1;
    /// assert_eq!(path.try_get(&frame).map(|p| p[0]), Some(1));
    /// frame.end();
    /// let frame = alloc.begin_frame();
    /// assert!(path.try_get(&frame).is_none()); // the frame that made it has ended
    /// ```
    #[track_caller]
    pub fn handle<'s, T: 's>(&'s self, value: T) -> FrameHandle<T> {
        infallible(self.try_handle(value))
    }

    /// [`handle`](Self::handle), or the error.
    #[track_caller]
    pub fn try_handle<'s, T: 's>(&'s self, value: T) -> Result<FrameHandle<T>, AllocError> {
        let (state, f) = self.lend();
        let r = f.try_alloc(value);
        Self::counted(state);
        Ok(FrameHandle::of_smart_frame(
            NonNull::from(r?),
            self.id,
            self.number,
        ))
    }

    /// Ends the frame and returns its statistics (as dropping it would, without them).
    ///
    /// ```
    /// let alloc = framealloc::SmartAlloc::new();
    /// let frame = alloc.begin_frame();
    /// frame.frame_slice(256, 0u8);
    /// let stats = frame.end();
    /// assert_eq!((stats.frame, stats.allocations), (0, Some(1)));
    /// assert!(stats.bytes >= 256);
    /// ```
    pub fn end(self) -> FrameStats {
        let this = core::mem::ManuallyDrop::new(self);
        // SAFETY: `this` is neither used nor dropped again (`ManuallyDrop`), so the holder
        // (and the allocator handle an owning frame holds) is moved out of it exactly once.
        let alloc = unsafe { core::ptr::read(&this.alloc) };
        let shared = alloc.shared();
        let stats = shared.end_frame(this.number, true);
        #[cfg(feature = "profiler")]
        super::profile_frame_ended(shared, this.number);
        stats.expect("end_frame returns the record when asked for it")
    }
}

impl crate::handle::sealed::Sealed for SmartFrame<'_> {
    #[inline]
    fn admits(&self, origin: &crate::handle::sealed::Origin) -> bool {
        origin.owner == self.id | crate::handle::sealed::SMART && origin.frame == self.number
    }

    fn whereabouts(&self) -> (u64, u64) {
        (self.id | crate::handle::sealed::SMART, self.number)
    }
}

impl HandleScope for SmartFrame<'_> {}

impl Drop for SmartFrame<'_> {
    fn drop(&mut self) {
        let shared = self.alloc.shared();
        shared.end_frame(self.number, false);
        #[cfg(feature = "profiler")]
        super::profile_frame_ended(shared, self.number);
    }
}

impl fmt::Debug for SmartFrame<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmartFrame")
            .field("number", &self.number)
            .finish_non_exhaustive()
    }
}

/// One thread's part of a [`SmartFrame`]: see [`SmartFrame::for_current_thread`]. Derefs to a
/// [`Frame`] whose allocations live as long as the `SmartFrame`'s borrow.
///
/// Like a [`ThreadHandle`](crate::ThreadHandle), a local frame keeps its thread's state alive
/// until it is dropped, even from a thread-local destroyed after framealloc's own.
///
/// ```
/// let alloc = framealloc::SmartAlloc::new();
/// let frame = alloc.begin_frame();
/// std::thread::scope(|s| {
///     for t in 0..2u32 {
///         let frame = &frame;
///         s.spawn(move || {
///             let here = frame.for_current_thread(); // this thread's arena, looked up once
///             let xs = here.alloc_slice_fill_with(100, |i| i as u32 * t);
///             let mut v = here.frame_vec();
///             v.extend(xs.iter().copied().filter(|x| x % 2 == 0));
///             assert_eq!(v.len(), if t == 0 { 100 } else { 50 });
///         });
///     }
/// });
/// frame.end();
/// ```
pub struct LocalFrame<'s> {
    frame: Frame<'s, 's>,
    state: &'s ThreadState,
    shared: &'s super::Shared,
    #[cfg(feature = "count-allocations")]
    counted: u64,
}

impl<'s> LocalFrame<'s> {
    /// An empty growable vector in this thread's arena (see [`Frame::vec`]).
    #[doc(alias = "vec")]
    pub fn frame_vec<T>(&self) -> FrameVec<'_, 's, T> {
        self.frame.vec()
    }

    /// A vector with room for `capacity` elements in this thread's arena (see
    /// [`Frame::vec_with_capacity`]).
    #[track_caller]
    #[doc(alias = "vec_with_capacity")]
    pub fn frame_vec_with_capacity<T>(&self, capacity: usize) -> FrameVec<'_, 's, T> {
        self.frame.vec_with_capacity(capacity)
    }
}

impl<'s> Deref for LocalFrame<'s> {
    type Target = Frame<'s, 's>;

    fn deref(&self) -> &Frame<'s, 's> {
        &self.frame
    }
}

impl crate::handle::sealed::Sealed for LocalFrame<'_> {
    #[inline]
    fn admits(&self, origin: &crate::handle::sealed::Origin) -> bool {
        self.frame.admits(origin)
    }

    fn whereabouts(&self) -> (u64, u64) {
        self.frame.whereabouts()
    }
}

/// A local frame reads the handles of its thread's arena (as the `Frame` it derefs to does).
impl HandleScope for LocalFrame<'_> {}

impl Drop for LocalFrame<'_> {
    fn drop(&mut self) {
        let state = self.state;
        #[cfg(feature = "count-allocations")]
        {
            let now = state.arena.lent_allocations();
            state.count_frame_allocations(now.wrapping_sub(self.counted));
        }
        state.locals.set(state.locals.get() - 1);
        state.publish();
        if state.exit_pending() {
            // Dropped after the last use of `state`: it may be the last reference to it.
            drop(state.borrow_ended(self.shared));
        }
    }
}

impl fmt::Debug for LocalFrame<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalFrame")
            .field("frame", &self.frame)
            .finish()
    }
}

#[cold]
#[inline(never)]
#[track_caller]
fn in_thread_frame() -> ! {
    panic!(
        "SmartFrame: this thread is inside SmartAlloc::frame of the same allocator, whose \
         memory is released when its closure returns; allocate through that closure's frame, \
         or outside the closure"
    )
}
