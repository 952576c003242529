//! [`FrameVec<'b, 'f, T>`](FrameVec): a growable vector in frame memory.

use core::alloc::Layout;
use core::fmt;
use core::marker::PhantomData;
use core::mem::{self, ManuallyDrop};
use core::ops::{Deref, DerefMut};
use core::ptr::{self, NonNull};

use crate::boxed::FrameBox;
use crate::error::{alloc_failed, infallible, AllocError};
use crate::frame::Frame;

mod drain;
mod edit;
mod traits;

pub use drain::{Drain, IntoIter};

/// A growable vector whose buffer lives in a frame. It drops its elements, grows in place
/// when its buffer is the newest allocation of the frame, and fills reserved capacity
/// ([`extend`](Extend::extend), [`extend_from_slice`](Self::extend_from_slice)) with a loop
/// the compiler vectorizes; [`push_within_capacity`](Self::push_within_capacity) never
/// allocates.
///
/// Two lifetimes: `'b` is the borrow of the frame it grows from, `'f` the frame itself. The
/// borrow keeps the frame from opening a scope while the vector can still grow (a scope
/// rewind would free memory the vector grew into); when you are done growing, freeze it with
/// [`into_slice`](Self::into_slice) or [`into_boxed_slice`](Self::into_boxed_slice), which
/// give back the frame and keep the elements for all of `'f`.
///
/// ```
/// use framealloc::FrameArena;
///
/// let mut arena = FrameArena::new();
/// arena.frame(|mut f| {
///     let mut hits = f.vec();
///     for i in 0..100u32 {
///         if i % 7 == 0 {
///             hits.push(i);
///         }
///     }
///     let hits: &mut [u32] = hits.into_slice(); // frozen: the frame is free again
///     f.scope(|g| {
///         let doubled = g.alloc_iter(hits.iter().map(|h| h * 2));
///         assert_eq!(doubled[1], 14);
///     });
///     assert_eq!(hits.len(), 15);
/// });
/// ```
pub struct FrameVec<'b, 'f, T> {
    /// Start of the buffer; dangling (and `cap == 0`) before the first allocation, and for
    /// zero-sized `T` (with `cap == usize::MAX`).
    ptr: NonNull<T>,
    /// Initialized elements: `ptr[..len]`. Invariant: `len <= cap`.
    len: usize,
    /// Elements the buffer can hold.
    cap: usize,
    /// The frame, its `'env` shortened to `'f` (a frame may point into less, never more).
    frame: &'b Frame<'f, 'f>,
    _owns: PhantomData<T>,
}

impl<'b, 'f, T> FrameVec<'b, 'f, T> {
    const IS_ZST: bool = mem::size_of::<T>() == 0;

    /// An empty vector that will allocate from `frame`. Allocates nothing yet.
    ///
    /// ```
    /// use framealloc::{FrameArena, FrameVec};
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let mut a: FrameVec<'_, '_, u8> = FrameVec::new_in(&f);
    ///     let b = FrameVec::<u8>::with_capacity_in(16, &f);
    ///     a.push(1);
    ///     assert_eq!((a.len(), b.capacity()), (1, 16));
    ///     assert!(FrameVec::<u64>::try_with_capacity_in(usize::MAX, &f).is_err());
    /// });
    /// ```
    #[inline]
    pub fn new_in(frame: &'b Frame<'f, '_>) -> Self {
        FrameVec {
            ptr: NonNull::dangling(),
            len: 0,
            cap: if Self::IS_ZST { usize::MAX } else { 0 },
            frame,
            _owns: PhantomData,
        }
    }

    /// An empty vector with room for exactly `capacity` elements.
    #[inline]
    #[track_caller]
    pub fn with_capacity_in(capacity: usize, frame: &'b Frame<'f, '_>) -> Self {
        infallible(Self::try_with_capacity_in(capacity, frame))
    }

    /// Fallible twin of [`with_capacity_in`](Self::with_capacity_in).
    #[inline]
    #[track_caller]
    pub fn try_with_capacity_in(
        capacity: usize,
        frame: &'b Frame<'f, '_>,
    ) -> Result<Self, AllocError> {
        let mut v = Self::new_in(frame);
        // A new buffer is a plain bump (`regrow`'s in-place attempt and copy have nothing to
        // do here); zero-sized types already have `cap == usize::MAX`.
        if capacity > v.cap {
            if frame.fenced() {
                fenced_growth();
            }
            let layout = Layout::array::<T>(capacity).map_err(|_| AllocError::LayoutOverflow)?;
            v.ptr = frame.raw().try_alloc_layout(layout)?.cast();
            v.cap = capacity;
        }
        Ok(v)
    }

    /// Pointer to element slot `index`; inside the buffer (or one past it) when
    /// `index <= cap`, which every caller guarantees before using it.
    #[inline(always)]
    fn slot(&self, index: usize) -> *mut T {
        self.ptr.as_ptr().wrapping_add(index)
    }

    /// Number of elements.
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no elements.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Number of elements the vector can hold without growing.
    #[inline]
    pub fn capacity(&self) -> usize {
        self.cap
    }

    /// The elements as a slice.
    #[inline]
    pub fn as_slice(&self) -> &[T] {
        // SAFETY: `ptr[..len]` are initialized and owned by the vector.
        unsafe { core::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }

    /// The elements as a mutable slice.
    #[inline]
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        // SAFETY: `ptr[..len]` are initialized and uniquely owned by the vector.
        unsafe { core::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }

    /// Appends an element, growing the buffer if it is full.
    ///
    /// # Performance
    ///
    /// A compare, a write and an increment; growing doubles the capacity, in place when the
    /// buffer is the frame's newest allocation.
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let mut v = f.vec_with_capacity(2);
    ///     v.push(1u32);
    ///     assert!(v.push_within_capacity(2).is_ok());
    ///     assert_eq!(v.push_within_capacity(3), Err(3)); // full: no growth
    ///     v.push(3); // grows, in place when it can
    ///     assert!(v.try_push(4).is_ok());
    ///     assert_eq!((v.pop(), v.len()), (Some(4), 3));
    /// });
    /// ```
    #[inline]
    #[track_caller]
    pub fn push(&mut self, value: T) {
        if self.len == self.cap {
            // By value, not `&mut self`: the vector's fields then stay in registers in a
            // push loop instead of being stored and reloaded around every push.
            // SAFETY: the vector's own buffer, state and frame; it adopts the result.
            (self.ptr, self.cap) =
                unsafe { grow_for_push(self.frame, self.ptr, self.len, self.cap) };
        }
        // SAFETY: `len < cap`, so slot `len` is inside the buffer and uninitialized.
        unsafe { self.slot(self.len).write(value) };
        self.len += 1;
    }

    /// Fallible twin of [`push`](Self::push): gives the value back if growing fails.
    #[inline]
    #[track_caller]
    pub fn try_push(&mut self, value: T) -> Result<(), (T, AllocError)> {
        if self.len == self.cap {
            if let Err(e) = self.try_reserve(1) {
                return Err((value, e));
            }
        }
        // SAFETY: `len < cap`, as in `push`.
        unsafe { self.slot(self.len).write(value) };
        self.len += 1;
        Ok(())
    }

    /// Appends an element if there is room, without ever allocating; gives it back if full.
    ///
    /// # Performance
    ///
    /// A compare and a write per element, never a call. A loop of these does not vectorize
    /// (each element has its capacity check); to fill a vector at the speed of a slice
    /// write, use [`extend`](Extend::extend) or [`extend_from_slice`](Self::extend_from_slice).
    #[inline(always)]
    pub fn push_within_capacity(&mut self, value: T) -> Result<(), T> {
        if self.len == self.cap {
            return Err(value);
        }
        // SAFETY: `len < cap`, so slot `len` is inside the buffer and uninitialized.
        unsafe { self.slot(self.len).write(value) };
        self.len += 1;
        Ok(())
    }

    /// Removes and returns the last element.
    #[inline]
    pub fn pop(&mut self) -> Option<T> {
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        // SAFETY: slot `len` was initialized, and lowering `len` first hands ownership of it
        // to the read.
        Some(unsafe { self.slot(self.len).read() })
    }

    /// Drops the elements from `len` on.
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len {
            return;
        }
        let tail = ptr::slice_from_raw_parts_mut(self.slot(len), self.len - len);
        // Lower `len` first, so a panicking destructor leaks the rest instead of the vector
        // dropping them twice.
        self.len = len;
        // SAFETY: the tail elements were initialized and are no longer counted by the vector.
        unsafe { ptr::drop_in_place(tail) };
    }

    /// Drops every element; keeps the buffer.
    pub fn clear(&mut self) {
        self.truncate(0);
    }

    /// Makes room for at least `additional` more elements.
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let mut v = f.vec::<u64>();
    ///     v.reserve(100);
    ///     assert!(v.capacity() >= 100);
    ///     v.extend_from_slice(&[1, 2, 3]);
    ///     v.truncate(1);
    ///     assert_eq!(v.as_slice(), &[1]);
    ///     assert!(v.try_reserve(usize::MAX).is_err());
    ///     v.clear();
    ///     assert!(v.is_empty());
    /// });
    /// ```
    #[track_caller]
    pub fn reserve(&mut self, additional: usize) {
        if let Err(e) = self.try_reserve(additional) {
            alloc_failed(e)
        }
    }

    /// Fallible twin of [`reserve`](Self::reserve).
    #[inline]
    #[track_caller]
    pub fn try_reserve(&mut self, additional: usize) -> Result<(), AllocError> {
        if self.cap - self.len >= additional {
            return Ok(());
        }
        (self.ptr, self.cap) =
            // SAFETY: the vector's own buffer, state and frame; it adopts the result.
            unsafe { reserve_buffer(self.frame, self.ptr, self.len, self.cap, additional)? };
        Ok(())
    }

    /// Appends clones of `src`, growing once.
    ///
    /// # Performance
    ///
    /// One reserve, then a counted loop of writes with no capacity checks; for `Copy` types
    /// it compiles to a copy.
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let mut v = f.vec_with_capacity(8);
    ///     v.extend_from_slice(&[1u32, 2, 3]);
    ///     v.extend(4..=6);
    ///     v.push(7);
    ///     assert_eq!(v.pop(), Some(7));
    ///     v.truncate(4);
    ///     assert_eq!((v.len(), v.capacity() >= 8), (4, true));
    ///     assert_eq!(v.as_slice(), &[1, 2, 3, 4]);
    ///     let frozen: &mut [u32] = v.into_slice();
    ///     frozen.reverse();
    ///     assert_eq!(frozen, [4, 3, 2, 1]);
    /// });
    /// ```
    #[track_caller]
    pub fn extend_from_slice(&mut self, src: &[T])
    where
        T: Clone,
    {
        self.reserve(src.len());
        self.fill_spare(&mut src.iter().cloned());
    }

    /// Appends a copy of `src` with one `memcpy`, growing once if needed: the path strings
    /// take, where fragments are short and a per-element loop would cost more than the copy.
    #[inline]
    #[track_caller]
    pub(crate) fn try_extend_copy(&mut self, src: &[T]) -> Result<(), AllocError>
    where
        T: Copy,
    {
        self.try_reserve(src.len())?;
        // SAFETY: after the reserve, `src.len()` slots from `len` are inside the buffer and
        // uninitialized; `src` is a different allocation (the vector is borrowed mutably, so
        // `src` cannot point into it).
        unsafe { ptr::copy_nonoverlapping(src.as_ptr(), self.slot(self.len), src.len()) };
        self.len += src.len();
        Ok(())
    }

    /// Moves items from `iter` into the spare capacity until it is full or `iter` ends.
    ///
    /// The loop is counted (`take(room)`) and checks no capacity per element, which is what
    /// lets the compiler vectorize `extend` from ranges, maps and slices.
    #[inline]
    fn fill_spare(&mut self, iter: &mut impl Iterator<Item = T>) {
        let base = self.ptr.as_ptr();
        let room = self.cap - self.len;
        let mut len = SetLenOnDrop {
            local: self.len,
            len: &mut self.len,
        };
        for item in iter.take(room) {
            // SAFETY: at most `room = cap - len` items are written, each at slot `local`,
            // which starts at `len` and stays below `cap`: inside the buffer, uninitialized.
            unsafe { base.wrapping_add(len.local).write(item) };
            len.local += 1;
        }
    }

    /// Freezes the vector into a slice that lives for the whole frame and gives the frame
    /// back (so it can open scopes again); gives unused capacity back when the buffer is the
    /// newest allocation. `T` must not need `Drop`: the slice would never
    /// drop it (a compile-time error); use [`into_boxed_slice`](Self::into_boxed_slice) then.
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|mut f| {
    ///     let mut ids = f.vec();
    ///     ids.extend([3u32, 1, 2]);
    ///     let ids: &mut [u32] = ids.into_slice(); // frozen: the frame is free again
    ///     ids.sort_unstable();
    ///     f.scope(|g| *g.alloc(0u8));
    ///     assert_eq!(ids, &[1, 2, 3]);
    /// });
    /// ```
    #[inline]
    pub fn into_slice(self) -> &'f mut [T] {
        const {
            assert!(
                !mem::needs_drop::<T>(),
                "FrameVec::into_slice cannot hand out elements that need Drop; use into_boxed_slice"
            )
        };
        let this = ManuallyDrop::new(self);
        if !Self::IS_ZST && this.cap > this.len && !this.frame.fenced() {
            let size = mem::size_of::<T>();
            // SAFETY: the buffer is a block of `cap * size` bytes from the frame's arena,
            // owned by the (forgotten) vector; the slice keeps its first `len` elements, and
            // the spare capacity goes back when the buffer is the newest block. The arena is
            // not fenced, so no scope the frame cannot see is open above it.
            let shrunk = unsafe {
                this.frame.raw().try_grow_in_place(
                    this.ptr.cast(),
                    this.cap * size,
                    this.len * size,
                )
            };
            if let Some(start) = shrunk {
                // SAFETY: the shrunk block starts where the buffer did and holds the `len`
                // elements, in frame memory valid for `'f`.
                return unsafe { core::slice::from_raw_parts_mut(start.cast().as_ptr(), this.len) };
            }
        }
        // SAFETY: the elements are initialized and in frame memory valid for `'f`; the vector
        // is forgotten, so the slice is their only owner.
        unsafe { core::slice::from_raw_parts_mut(this.ptr.as_ptr(), this.len) }
    }

    /// Freezes the vector into a [`FrameBox`] that drops the elements and lives for the whole
    /// frame; gives unused capacity back when the buffer is the newest allocation.
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let mut names = f.vec_with_capacity(8);
    ///     names.push(String::from("a"));
    ///     let names = names.into_boxed_slice(); // spare room given back; drops the Strings
    ///     assert_eq!(names.len(), 1);
    /// });
    /// ```
    pub fn into_boxed_slice(self) -> FrameBox<'f, [T]> {
        let this = ManuallyDrop::new(self);
        let mut ptr = this.ptr;
        if !Self::IS_ZST && this.cap > this.len && !this.frame.fenced() {
            let size = mem::size_of::<T>();
            // SAFETY: the buffer is a block of `cap * size` bytes from the frame's arena,
            // owned by the (forgotten) vector; the box takes the shrunk block in its place.
            // The arena is not fenced, so no scope the frame cannot see is open above it.
            let shrunk = unsafe {
                this.frame
                    .raw()
                    .try_grow_in_place(ptr.cast(), this.cap * size, this.len * size)
            };
            if let Some(start) = shrunk {
                ptr = start.cast();
            }
        }
        // SAFETY: the elements are initialized, in frame memory valid for `'f`, and the
        // vector is forgotten, so the box is their only owner.
        unsafe { FrameBox::from_raw_slice(ptr, this.len) }
    }
}

impl<'f> Frame<'f, '_> {
    /// An empty [`FrameVec`] that allocates from this frame; see [`FrameVec::new_in`].
    #[inline]
    #[doc(alias = "frame_vec")]
    pub fn vec<T>(&self) -> FrameVec<'_, 'f, T> {
        FrameVec::new_in(self)
    }

    /// A [`FrameVec`] with room for `capacity` elements; see [`FrameVec::with_capacity_in`].
    #[inline]
    #[track_caller]
    #[doc(alias = "frame_vec_with_capacity")]
    pub fn vec_with_capacity<T>(&self, capacity: usize) -> FrameVec<'_, 'f, T> {
        FrameVec::with_capacity_in(capacity, self)
    }
}

impl<'b, 'f, T> FrameVec<'b, 'f, T> {
    /// Takes the vector apart without dropping anything: its buffer start, its length (the
    /// initialized elements, now owned by the caller), its capacity and its frame. The
    /// buffer's spare capacity stays used until the frame ends.
    pub(crate) fn into_raw_parts(self) -> (NonNull<T>, usize, usize, &'b Frame<'f, 'f>) {
        let this = ManuallyDrop::new(self);
        (this.ptr, this.len, this.cap, this.frame)
    }

    /// Rebuilds a vector from [`into_raw_parts`](Self::into_raw_parts)' parts.
    ///
    /// # Safety
    ///
    /// The parts came from `into_raw_parts` of one vector, whose buffer held at least `cap`
    /// elements, `len <= cap`, and were not used to rebuild a vector before.
    pub(crate) unsafe fn from_raw_parts(
        ptr: NonNull<T>,
        len: usize,
        cap: usize,
        frame: &'b Frame<'f, 'f>,
    ) -> Self {
        FrameVec {
            ptr,
            len,
            cap: if Self::IS_ZST { usize::MAX } else { cap },
            frame,
            _owns: PhantomData,
        }
    }
}

impl<T> Drop for FrameVec<'_, '_, T> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: `ptr[..len]` are initialized and owned by the vector, dropped once here.
        unsafe { ptr::drop_in_place(ptr::slice_from_raw_parts_mut(self.ptr.as_ptr(), self.len)) };
        if !Self::IS_ZST && self.cap > 0 {
            // SAFETY: the buffer is a block of `cap * size_of::<T>()` bytes from the frame's
            // arena, owned by this vector, whose elements were just dropped.
            unsafe { give_back(self.frame, self.ptr.cast(), self.cap * mem::size_of::<T>()) };
        }
    }
}

/// Gives a dropped vector's buffer back to the frame if it is the newest block.
///
/// Out of line and by value, so that a vector's drop is small enough to be inlined where a
/// panic unwinds past it: a drop called out of line needs the vector in memory, which makes a
/// push loop store its length on every push.
///
/// # Safety
///
/// `ptr` is a block of `size` bytes from `frame`'s arena that nothing uses any more.
#[inline(never)]
unsafe fn give_back(frame: &Frame<'_, '_>, ptr: NonNull<u8>, size: usize) {
    if !frame.fenced() {
        // SAFETY: the caller's guarantee; the arena is not fenced, so no scope the frame
        // cannot see is open above the block.
        unsafe { frame.raw().release_if_last(ptr, size) };
    }
}

impl<T> Deref for FrameVec<'_, '_, T> {
    type Target = [T];
    #[inline]
    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T> DerefMut for FrameVec<'_, '_, T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut [T] {
        self.as_mut_slice()
    }
}

/// Grows the buffer for one more element, or panics with the allocation error.
///
/// # Safety
///
/// As for [`regrow`].
#[cold]
#[inline(never)]
#[track_caller]
unsafe fn grow_for_push<T>(
    frame: &Frame<'_, '_>,
    ptr: NonNull<T>,
    len: usize,
    cap: usize,
) -> (NonNull<T>, usize) {
    // SAFETY: the caller's guarantees, passed on.
    infallible(unsafe { reserve_buffer(frame, ptr, len, cap, 1) })
}

/// A buffer with room for `additional` more than `len` elements: doubled capacity (at least
/// a few elements), or exactly what is needed if doubling does not fit.
///
/// # Safety
///
/// As for [`regrow`].
// Out of line: the callers' check for room is then all that inlines into `push_str`,
// `extend_from_slice` and `write!`, which keeps their fast paths free of the registers the
// growth needs.
#[inline(never)]
#[track_caller]
unsafe fn reserve_buffer<T>(
    frame: &Frame<'_, '_>,
    ptr: NonNull<T>,
    len: usize,
    cap: usize,
    additional: usize,
) -> Result<(NonNull<T>, usize), AllocError> {
    let needed = len
        .checked_add(additional)
        .ok_or(AllocError::LayoutOverflow)?;
    let min_cap = if mem::size_of::<T>() == 1 { 8 } else { 4 };
    let new_cap = needed.max(cap.saturating_mul(2)).max(min_cap);
    // SAFETY: the caller's guarantees, passed on; a failed `regrow` leaves the buffer as it
    // was, so the second try gets the same one.
    match unsafe { regrow(frame, ptr, len, cap, new_cap) } {
        Ok(buffer) => Ok(buffer),
        // SAFETY: as above.
        Err(_) => unsafe { regrow(frame, ptr, len, cap, needed) },
    }
}

/// Moves a buffer of `cap` elements, `len` of them initialized, to one of `new_cap > cap`
/// elements: in place when it is the frame's newest block and there is room, otherwise to a
/// new block (the old one stays frame memory until the frame ends).
///
/// # Safety
///
/// `ptr` is a buffer of `cap` elements from `frame`'s arena (dangling when `cap == 0`), the
/// first `len` initialized, owned by the caller; on success the caller adopts the returned
/// buffer in its place and no longer uses the old one.
#[track_caller]
unsafe fn regrow<T>(
    frame: &Frame<'_, '_>,
    ptr: NonNull<T>,
    len: usize,
    cap: usize,
    new_cap: usize,
) -> Result<(NonNull<T>, usize), AllocError> {
    debug_assert!(mem::size_of::<T>() != 0 && new_cap > cap && len <= cap);
    if frame.fenced() {
        fenced_growth();
    }
    let new_layout = Layout::array::<T>(new_cap).map_err(|_| AllocError::LayoutOverflow)?;
    let raw = frame.raw();
    if cap > 0 {
        // SAFETY: `ptr` is the caller's buffer of `cap` elements from the frame's arena; the
        // caller adopts the returned buffer in its place.
        let grown = unsafe {
            raw.try_grow_in_place(ptr.cast(), cap * mem::size_of::<T>(), new_layout.size())
        };
        if let Some(start) = grown {
            // A facade's arena tells other threads how much it holds now.
            raw.note_buffer();
            return Ok((start.cast(), new_cap));
        }
    }
    let new_ptr = raw.try_alloc_layout(new_layout)?.cast::<T>();
    // SAFETY: the old buffer holds `len` initialized elements; the new one is a fresh,
    // disjoint block of `new_cap >= len` elements. The caller adopts the new buffer.
    unsafe { ptr::copy_nonoverlapping(ptr.as_ptr(), new_ptr.as_ptr(), len) };
    raw.note_fresh_buffer();
    Ok((new_ptr, new_cap))
}

/// A vector of a [`SmartFrame`](crate::SmartFrame) tried to grow inside
/// [`SmartAlloc::frame`](crate::SmartAlloc::frame) on its thread: the new buffer would be
/// released when the closure returns, under a vector that outlives it.
#[cold]
#[inline(never)]
#[track_caller]
fn fenced_growth() -> ! {
    panic!(
        "FrameVec: this vector belongs to the SmartFrame and cannot grow inside \
         SmartAlloc::frame on its thread, whose memory is released when the closure returns; \
         reserve room before calling SmartAlloc::frame, or use a vector of the closure's frame"
    )
}

/// Writes a vector's length back even if producing an element panics, so the vector never
/// counts an element that was not written and never forgets one that was.
struct SetLenOnDrop<'a> {
    len: &'a mut usize,
    local: usize,
}

impl Drop for SetLenOnDrop<'_> {
    fn drop(&mut self) {
        *self.len = self.local;
    }
}

impl<T> Extend<T> for FrameVec<'_, '_, T> {
    /// Reserves the iterator's lower size bound, fills the spare capacity with a loop that
    /// the compiler can vectorize, and grows again only if the iterator has more.
    #[track_caller]
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        let mut iter = iter.into_iter();
        loop {
            self.reserve(iter.size_hint().0);
            self.fill_spare(&mut iter);
            match iter.next() {
                Some(item) => self.push(item),
                None => return,
            }
        }
    }
}

impl<'a, T: Copy + 'a> Extend<&'a T> for FrameVec<'_, '_, T> {
    #[track_caller]
    fn extend<I: IntoIterator<Item = &'a T>>(&mut self, iter: I) {
        self.extend(iter.into_iter().copied());
    }
}

impl<'v, T> IntoIterator for &'v FrameVec<'_, '_, T> {
    type Item = &'v T;
    type IntoIter = core::slice::Iter<'v, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl<'v, T> IntoIterator for &'v mut FrameVec<'_, '_, T> {
    type Item = &'v mut T;
    type IntoIter = core::slice::IterMut<'v, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_mut_slice().iter_mut()
    }
}

impl<T: fmt::Debug> fmt::Debug for FrameVec<'_, '_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_slice().fmt(f)
    }
}

/// A [`FrameVec`] of the listed elements, or of `n` clones of one, in a frame: `vec!` for
/// frames.
///
/// ```
/// use framealloc::{frame_vec, FrameArena};
///
/// let mut arena = FrameArena::new();
/// arena.frame(|f| {
///     let xs = frame_vec![in &f; 1, 2, 3];
///     let zeros = frame_vec![in &f; 0u8; 16];
///     let mut names = frame_vec![in &f];
///     names.push("a");
///     assert_eq!((xs, zeros.len(), names.len()), (frame_vec![in &f; 1, 2, 3], 16, 1));
/// });
/// ```
#[macro_export]
macro_rules! frame_vec {
    (in $frame:expr $(;)?) => {
        $crate::FrameVec::new_in($frame)
    };
    (in $frame:expr; $value:expr; $n:expr) => {{
        let mut v = $crate::FrameVec::new_in($frame);
        v.resize($n, $value);
        v
    }};
    (in $frame:expr; $($x:expr),+ $(,)?) => {
        $crate::FrameVec::from_iter_in([$($x),+], $frame)
    };
}
