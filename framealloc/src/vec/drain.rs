//! Moving elements out of a [`FrameVec`]: [`Drain`] for a range, [`IntoIter`] for all of it.

use core::fmt;
use core::iter::FusedIterator;
use core::marker::PhantomData;
use core::mem::ManuallyDrop;
use core::ops::RangeBounds;
use core::ptr::{self, NonNull};

use super::{give_back, FrameVec};
use crate::frame::Frame;

/// The elements of a range of a [`FrameVec`], moved out one by one; see
/// [`FrameVec::drain`]. Dropping it drops the elements not taken and closes the gap.
pub struct Drain<'v, 'b, 'f, T> {
    vec: &'v mut FrameVec<'b, 'f, T>,
    /// The next element from the front, and one past the next from the back.
    front: usize,
    back: usize,
    /// Where the elements after the range start, and how many there are.
    tail_start: usize,
    tail_len: usize,
}

impl<'b, 'f, T> FrameVec<'b, 'f, T> {
    /// Removes the elements in `range` and returns them as an iterator. The elements after
    /// the range move down when the iterator is dropped, also when it was not run to the end
    /// (the rest of the range is dropped then).
    ///
    /// # Panics
    ///
    /// If the range is out of bounds.
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let mut v = f.vec();
    ///     v.extend(0..10);
    ///     let taken: Vec<i32> = v.drain(2..5).collect();
    ///     assert_eq!(taken, [2, 3, 4]);
    ///     v.drain(..2).next_back();
    ///     assert_eq!(v, [5, 6, 7, 8, 9]);
    /// });
    /// ```
    #[track_caller]
    pub fn drain(&mut self, range: impl RangeBounds<usize>) -> Drain<'_, 'b, 'f, T> {
        let len = self.len;
        let (start, end) = crate::addr::checked_range("FrameVec", range, len);
        // The vector owns only the head while the iterator lives: forgetting the iterator
        // leaks the range and the tail, never exposes a moved-out element.
        self.len = start;
        Drain {
            vec: self,
            front: start,
            back: end,
            tail_start: end,
            tail_len: len - end,
        }
    }
}

impl<T> Drain<'_, '_, '_, T> {
    /// The elements not yet taken.
    pub fn as_slice(&self) -> &[T] {
        // SAFETY: `front..back` are initialized and still owned by the iterator.
        unsafe { core::slice::from_raw_parts(self.vec.slot(self.front), self.back - self.front) }
    }
}

impl<T> Iterator for Drain<'_, '_, '_, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        if self.front == self.back {
            return None;
        }
        self.front += 1;
        // SAFETY: the element at `front - 1` is initialized and, now past `front`, no longer
        // counted: it is moved out exactly once.
        Some(unsafe { self.vec.slot(self.front - 1).read() })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }
}

impl<T> DoubleEndedIterator for Drain<'_, '_, '_, T> {
    fn next_back(&mut self) -> Option<T> {
        if self.front == self.back {
            return None;
        }
        self.back -= 1;
        // SAFETY: as in `next`, for the element at `back`.
        Some(unsafe { self.vec.slot(self.back).read() })
    }
}

impl<T> ExactSizeIterator for Drain<'_, '_, '_, T> {}
impl<T> FusedIterator for Drain<'_, '_, '_, T> {}

impl<T> Drop for Drain<'_, '_, '_, T> {
    fn drop(&mut self) {
        /// Moves the tail down to the end of the head, even if dropping the rest of the range
        /// panics.
        struct MoveTail<'r, 'v, 'b, 'f, T>(&'r mut Drain<'v, 'b, 'f, T>);
        impl<T> Drop for MoveTail<'_, '_, '_, '_, T> {
            fn drop(&mut self) {
                let d = &mut *self.0;
                let start = d.vec.len;
                if d.tail_len > 0 && d.tail_start != start {
                    // SAFETY: the tail's `tail_len` elements are initialized; they move down
                    // to `start <= tail_start` (possibly overlapping, hence `copy`).
                    unsafe { ptr::copy(d.vec.slot(d.tail_start), d.vec.slot(start), d.tail_len) };
                }
                d.vec.len = start + d.tail_len;
            }
        }
        let (front, back) = (self.front, self.back);
        self.front = back;
        let guard = MoveTail(self);
        // SAFETY: `front..back` are the range's elements not taken: initialized, owned by the
        // iterator, and no longer counted (`front` moved past them). Dropping a slice drops
        // every element even if one of them panics.
        unsafe {
            ptr::drop_in_place(ptr::slice_from_raw_parts_mut(
                guard.0.vec.slot(front),
                back - front,
            ))
        };
    }
}

impl<T: fmt::Debug> fmt::Debug for Drain<'_, '_, '_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Drain").field(&self.as_slice()).finish()
    }
}

/// The elements of a [`FrameVec`], moved out one by one (`for x in vec`). Dropping it drops
/// the elements not taken and gives the buffer back to the frame when it is the newest
/// allocation.
pub struct IntoIter<'b, 'f, T> {
    ptr: NonNull<T>,
    cap: usize,
    front: usize,
    back: usize,
    frame: &'b Frame<'f, 'f>,
    _owns: PhantomData<T>,
}

impl<'b, 'f, T> IntoIterator for FrameVec<'b, 'f, T> {
    type Item = T;
    type IntoIter = IntoIter<'b, 'f, T>;

    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let mut v = f.vec();
    ///     v.extend(["a", "b", "c"].map(String::from));
    ///     let mut joined = String::new();
    ///     for s in v {
    ///         joined += &s;
    ///     }
    ///     assert_eq!(joined, "abc");
    /// });
    /// ```
    fn into_iter(self) -> IntoIter<'b, 'f, T> {
        let v = ManuallyDrop::new(self);
        IntoIter {
            ptr: v.ptr,
            cap: v.cap,
            front: 0,
            back: v.len,
            frame: v.frame,
            _owns: PhantomData,
        }
    }
}

impl<T> IntoIter<'_, '_, T> {
    /// The elements not yet taken.
    pub fn as_slice(&self) -> &[T] {
        // SAFETY: `front..back` are initialized and owned by the iterator.
        unsafe {
            core::slice::from_raw_parts(
                self.ptr.as_ptr().wrapping_add(self.front),
                self.back - self.front,
            )
        }
    }
}

impl<T> Iterator for IntoIter<'_, '_, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        if self.front == self.back {
            return None;
        }
        self.front += 1;
        // SAFETY: as in `Drain::next`.
        Some(unsafe { self.ptr.as_ptr().wrapping_add(self.front - 1).read() })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }
}

impl<T> DoubleEndedIterator for IntoIter<'_, '_, T> {
    fn next_back(&mut self) -> Option<T> {
        if self.front == self.back {
            return None;
        }
        self.back -= 1;
        // SAFETY: as in `Drain::next_back`.
        Some(unsafe { self.ptr.as_ptr().wrapping_add(self.back).read() })
    }
}

impl<T> ExactSizeIterator for IntoIter<'_, '_, T> {}
impl<T> FusedIterator for IntoIter<'_, '_, T> {}

impl<T> Drop for IntoIter<'_, '_, T> {
    fn drop(&mut self) {
        /// Gives the buffer back after the elements, even if one of their destructors panics.
        struct GiveBack<'r, 'b, 'f, T>(&'r IntoIter<'b, 'f, T>);
        impl<T> Drop for GiveBack<'_, '_, '_, T> {
            fn drop(&mut self) {
                let it = self.0;
                let bytes = it.cap * core::mem::size_of::<T>();
                if bytes > 0 {
                    // SAFETY: the buffer is a block of `cap` elements from the frame's arena,
                    // owned by the iterator, whose elements are all moved out or dropped.
                    unsafe { give_back(it.frame, it.ptr.cast(), bytes) };
                }
            }
        }
        let (front, back) = (self.front, self.back);
        self.front = back;
        let guard = GiveBack(self);
        // SAFETY: `front..back` are initialized, owned by the iterator and no longer counted.
        unsafe {
            ptr::drop_in_place(ptr::slice_from_raw_parts_mut(
                guard.0.ptr.as_ptr().wrapping_add(front),
                back - front,
            ))
        };
    }
}

impl<T: fmt::Debug> fmt::Debug for IntoIter<'_, '_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("IntoIter").field(&self.as_slice()).finish()
    }
}
