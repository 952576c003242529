//! Editing a [`FrameVec`] in place: inserting and removing anywhere, filtering, removing
//! duplicates, resizing, splitting and joining, and the raw spare-capacity access. Each
//! method is panic-safe as `std`'s `Vec` is: a panicking closure, `Clone` or `Drop` leaves
//! the vector holding only initialized elements, each dropped once.

use core::mem::MaybeUninit;
use core::ops::RangeBounds;
use core::ptr;

use super::{FrameVec, SetLenOnDrop};
use crate::frame::Frame;

impl<'b, 'f, T> FrameVec<'b, 'f, T> {
    /// Inserts `value` at `index`, shifting the elements after it to the right.
    ///
    /// # Panics
    ///
    /// If `index > len`, or when growing fails.
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let mut v = f.vec();
    ///     v.extend([1, 3]);
    ///     v.insert(1, 2);
    ///     v.insert(3, 4);
    ///     assert_eq!(v, [1, 2, 3, 4]);
    ///     assert_eq!(v.remove(0), 1);
    ///     assert_eq!(v.swap_remove(0), 2); // the last element takes its place
    ///     assert_eq!(v, [4, 3]);
    /// });
    /// ```
    #[track_caller]
    pub fn insert(&mut self, index: usize, value: T) {
        let len = self.len;
        if index > len {
            index_out_of_bounds("insertion index", index, "<=", len);
        }
        self.reserve(1);
        let at = self.slot(index);
        // SAFETY: `index <= len < cap` after the reserve: the shift moves `len - index`
        // initialized elements one slot right, inside the buffer.
        unsafe { ptr::copy(at, at.wrapping_add(1), len - index) };
        // SAFETY: slot `index` is inside the buffer and its element was moved on: free to
        // write. The length grows only after the write.
        unsafe { at.write(value) };
        self.len = len + 1;
    }

    /// Removes and returns the element at `index`, shifting the elements after it to the
    /// left.
    ///
    /// # Panics
    ///
    /// If `index >= len`.
    #[track_caller]
    pub fn remove(&mut self, index: usize) -> T {
        let len = self.len;
        if index >= len {
            index_out_of_bounds("removal index", index, "<", len);
        }
        let at = self.slot(index);
        // SAFETY: `index < len`: the element is initialized, and is read out once.
        let value = unsafe { at.read() };
        // SAFETY: the `len - index - 1` elements after it move one slot left over it, inside
        // the buffer; the length then stops counting the last slot.
        unsafe { ptr::copy(at.wrapping_add(1), at, len - index - 1) };
        self.len = len - 1;
        value
    }

    /// Removes and returns the element at `index`, putting the last element in its place:
    /// O(1), but the order changes.
    ///
    /// # Panics
    ///
    /// If `index >= len`.
    #[track_caller]
    pub fn swap_remove(&mut self, index: usize) -> T {
        let len = self.len;
        if index >= len {
            index_out_of_bounds("swap_remove index", index, "<", len);
        }
        // SAFETY: `index < len`: the element is initialized, and is read out once.
        let value = unsafe { self.slot(index).read() };
        // SAFETY: the last element moves into the vacated slot (onto itself when it is the
        // last); the length then stops counting the last slot.
        unsafe { ptr::copy(self.slot(len - 1), self.slot(index), 1) };
        self.len = len - 1;
        value
    }

    /// Keeps only the elements for which `keep` returns `true`, in order.
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let mut v = f.vec();
    ///     v.extend(1..=10);
    ///     v.retain(|x| x % 3 == 0);
    ///     assert_eq!(v, [3, 6, 9]);
    ///     v.retain_mut(|x| {
    ///         *x += 1;
    ///         *x < 10
    ///     });
    ///     assert_eq!(v, [4, 7]);
    /// });
    /// ```
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        self.retain_mut(|x| keep(x));
    }

    /// [`retain`](Self::retain) with mutable access to each element.
    pub fn retain_mut(&mut self, mut keep: impl FnMut(&mut T) -> bool) {
        let len = self.len;
        // Until the guard puts it back, the vector owns nothing: a panic in `keep` or in a
        // destructor leaves the guard to close the gap and set the length.
        self.len = 0;
        let mut g = Compact {
            base: self.ptr.as_ptr(),
            len: &mut self.len,
            read: 0,
            write: 0,
            end: len,
        };
        while g.read < g.end {
            // SAFETY: `read < end`: the element at `read` is initialized and not yet moved.
            let cur = unsafe { &mut *g.base.wrapping_add(g.read) };
            if keep(cur) {
                if g.read != g.write {
                    // SAFETY: `write < read`: slot `write` was vacated (dropped or moved
                    // out); the element moves there.
                    unsafe {
                        ptr::copy_nonoverlapping(
                            g.base.wrapping_add(g.read),
                            g.base.wrapping_add(g.write),
                            1,
                        )
                    };
                }
                g.write += 1;
                g.read += 1;
            } else {
                // Counted as gone before it is dropped, so a panicking destructor does not
                // have it dropped again.
                g.read += 1;
                // SAFETY: the element at `read - 1` is initialized, owned by the vector and
                // no longer counted: it is dropped exactly once.
                unsafe { ptr::drop_in_place(g.base.wrapping_add(g.read - 1)) };
            }
        }
    }

    /// Removes consecutive elements for which `same(later, earlier)` is true, keeping the
    /// first of each run.
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let mut v = f.vec();
    ///     v.extend([1, 1, 2, 3, 3, 3, 1]);
    ///     v.dedup();
    ///     assert_eq!(v, [1, 2, 3, 1]);
    ///     v.dedup_by_key(|x| *x / 2);
    ///     assert_eq!(v, [1, 2, 1]);
    ///     v.dedup_by(|a, b| a < b); // drops each element smaller than the one kept before it
    ///     assert_eq!(v, [1, 2]);
    /// });
    /// ```
    pub fn dedup_by(&mut self, mut same: impl FnMut(&mut T, &mut T) -> bool) {
        let len = self.len;
        if len <= 1 {
            return;
        }
        self.len = 0;
        let mut g = Compact {
            base: self.ptr.as_ptr(),
            len: &mut self.len,
            read: 1,
            write: 1,
            end: len,
        };
        while g.read < g.end {
            // SAFETY: `write <= read < end`: the element at `read` is initialized.
            let cur = unsafe { &mut *g.base.wrapping_add(g.read) };
            // SAFETY: `0 < write <= read`: the kept element at `write - 1` is initialized and
            // a different slot from `read`.
            let prev = unsafe { &mut *g.base.wrapping_add(g.write - 1) };
            if same(cur, prev) {
                g.read += 1;
                // SAFETY: as in `retain_mut`: counted as gone, then dropped once.
                unsafe { ptr::drop_in_place(g.base.wrapping_add(g.read - 1)) };
            } else {
                if g.read != g.write {
                    // SAFETY: as in `retain_mut`.
                    unsafe {
                        ptr::copy_nonoverlapping(
                            g.base.wrapping_add(g.read),
                            g.base.wrapping_add(g.write),
                            1,
                        )
                    };
                }
                g.write += 1;
                g.read += 1;
            }
        }
    }

    /// Removes consecutive elements with equal keys, keeping the first of each run.
    pub fn dedup_by_key<K: PartialEq>(&mut self, mut key: impl FnMut(&mut T) -> K) {
        self.dedup_by(|a, b| key(a) == key(b));
    }

    /// Removes consecutive equal elements, keeping the first of each run.
    pub fn dedup(&mut self)
    where
        T: PartialEq,
    {
        self.dedup_by(|a, b| a == b);
    }

    /// Makes the length `new_len`: truncates, or appends clones of `value`.
    ///
    /// # Panics
    ///
    /// When growing fails.
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let mut v = f.vec();
    ///     v.resize(3, String::from("a"));
    ///     v.resize(1, String::new());
    ///     let mut n = 0;
    ///     v.resize_with(3, || {
    ///         n += 1;
    ///         n.to_string()
    ///     });
    ///     assert_eq!(v, ["a", "1", "2"]);
    /// });
    /// ```
    #[track_caller]
    pub fn resize(&mut self, new_len: usize, value: T)
    where
        T: Clone,
    {
        if new_len <= self.len {
            self.truncate(new_len);
            return;
        }
        let extra = new_len - self.len;
        self.reserve(extra);
        let base = self.ptr.as_ptr();
        let mut len = SetLenOnDrop {
            local: self.len,
            len: &mut self.len,
        };
        for _ in 1..extra {
            // SAFETY: `local < new_len <= cap`: the slot is inside the buffer and
            // uninitialized; the length counts it only once written.
            unsafe { base.wrapping_add(len.local).write(value.clone()) };
            len.local += 1;
        }
        // SAFETY: as above, for the last slot, which takes `value` itself.
        unsafe { base.wrapping_add(len.local).write(value) };
        len.local += 1;
    }

    /// Makes the length `new_len`: truncates, or appends values made by `make`.
    ///
    /// # Panics
    ///
    /// When growing fails.
    #[track_caller]
    pub fn resize_with(&mut self, new_len: usize, mut make: impl FnMut() -> T) {
        if new_len <= self.len {
            self.truncate(new_len);
            return;
        }
        self.reserve(new_len - self.len);
        let base = self.ptr.as_ptr();
        let mut len = SetLenOnDrop {
            local: self.len,
            len: &mut self.len,
        };
        while len.local < new_len {
            // SAFETY: as in `resize`.
            unsafe { base.wrapping_add(len.local).write(make()) };
            len.local += 1;
        }
    }

    /// Appends clones of the elements in `range` of this vector.
    ///
    /// # Panics
    ///
    /// If the range is out of bounds, or when growing fails.
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let mut v = f.vec();
    ///     v.extend([1, 2, 3]);
    ///     v.extend_from_within(1..);
    ///     assert_eq!(v, [1, 2, 3, 2, 3]);
    /// });
    /// ```
    #[track_caller]
    pub fn extend_from_within(&mut self, range: impl RangeBounds<usize>)
    where
        T: Clone,
    {
        let (start, end) = crate::addr::checked_range("FrameVec", range, self.len);
        self.reserve(end - start);
        let base = self.ptr.as_ptr();
        let mut len = SetLenOnDrop {
            local: self.len,
            len: &mut self.len,
        };
        for i in start..end {
            // SAFETY: `i < end <= old len`: the source is initialized and stays where it is
            // (the buffer does not move after the reserve); the destination, at `local <
            // cap`, is a different, uninitialized slot.
            let item = unsafe { (*base.wrapping_add(i)).clone() };
            // SAFETY: see above: the destination slot is inside the buffer and uninitialized.
            unsafe { base.wrapping_add(len.local).write(item) };
            len.local += 1;
        }
    }

    /// Splits off the elements from `at` on into a new vector of the same frame.
    ///
    /// # Panics
    ///
    /// If `at > len`, or when allocating fails.
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let mut v = f.vec();
    ///     v.extend([1, 2, 3, 4]);
    ///     let mut tail = v.split_off(2);
    ///     assert_eq!((&v[..], &tail[..]), (&[1, 2][..], &[3, 4][..]));
    ///     v.append(&mut tail);
    ///     assert_eq!((v.len(), tail.len()), (4, 0));
    /// });
    /// ```
    #[track_caller]
    pub fn split_off(&mut self, at: usize) -> FrameVec<'b, 'f, T> {
        let len = self.len;
        if at > len {
            index_out_of_bounds("split_off index", at, "<=", len);
        }
        let mut tail = FrameVec::with_capacity_in(len - at, self.frame);
        // SAFETY: the `len - at` elements from `at` move into the new vector's buffer, which
        // holds that many; each is then owned by exactly one vector.
        unsafe {
            ptr::copy_nonoverlapping(self.slot(at), tail.slot(0), len - at);
            tail.len = len - at;
        }
        self.len = at;
        tail
    }

    /// Moves every element of `other` to the end of this vector, leaving `other` empty.
    ///
    /// # Panics
    ///
    /// When growing fails.
    #[track_caller]
    pub fn append(&mut self, other: &mut FrameVec<'_, '_, T>) {
        let n = other.len;
        self.reserve(n);
        // SAFETY: `other`'s `n` elements move into this vector's spare capacity (at least
        // `n` after the reserve; the two buffers are distinct), and `other` stops counting
        // them.
        unsafe {
            ptr::copy_nonoverlapping(other.slot(0), self.slot(self.len), n);
            other.len = 0;
        }
        self.len += n;
    }

    /// The spare capacity, to be written and then counted with [`set_len`](Self::set_len).
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let mut v = f.vec_with_capacity::<u32>(4);
    ///     for (i, slot) in v.spare_capacity_mut().iter_mut().enumerate() {
    ///         slot.write(i as u32);
    ///     }
    ///     // SAFETY: the first four slots were just written.
    ///     unsafe { v.set_len(4) };
    ///     assert_eq!(v, [0, 1, 2, 3]);
    /// });
    /// ```
    pub fn spare_capacity_mut(&mut self) -> &mut [MaybeUninit<T>] {
        let spare = self.cap - self.len;
        // SAFETY: slots `len..cap` lie inside the buffer (for zero-sized `T`, a dangling
        // aligned pointer serves any length); they are uninitialized, and `MaybeUninit`
        // says so. The borrow of `self` keeps the buffer from moving meanwhile.
        unsafe {
            core::slice::from_raw_parts_mut(self.slot(self.len).cast::<MaybeUninit<T>>(), spare)
        }
    }

    /// Sets the length without touching the elements.
    ///
    /// # Safety
    ///
    /// `new_len <= capacity`, and the first `new_len` elements are initialized. Elements
    /// dropped from the count are not dropped (they leak).
    pub unsafe fn set_len(&mut self, new_len: usize) {
        debug_assert!(new_len <= self.cap);
        self.len = new_len;
    }

    /// A vector of the items of `iter`, in `frame`: any iterator, exact size or not.
    ///
    /// ```
    /// use framealloc::{FrameArena, FrameVec};
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let evens = FrameVec::from_iter_in((0..20).filter(|x| x % 2 == 0), &f);
    ///     assert_eq!(evens.len(), 10);
    /// });
    /// ```
    #[track_caller]
    pub fn from_iter_in(iter: impl IntoIterator<Item = T>, frame: &'b Frame<'f, '_>) -> Self {
        let mut v = FrameVec::new_in(frame);
        v.extend(iter);
        v
    }
}

/// The state of a compaction (`retain_mut`, `dedup_by`): elements before `write` are kept,
/// `read..end` are still to be looked at, and those between were dropped or moved. Whether
/// the loop finishes or a closure or destructor panics, dropping it moves the unvisited
/// elements down to `write` and sets the vector's length, so every element is owned once.
struct Compact<'a, T> {
    base: *mut T,
    len: &'a mut usize,
    read: usize,
    write: usize,
    end: usize,
}

impl<T> Drop for Compact<'_, T> {
    fn drop(&mut self) {
        let rest = self.end - self.read;
        if rest > 0 && self.read != self.write {
            // SAFETY: `read..end` are initialized and not yet visited; they move down to
            // `write <= read` (possibly overlapping, hence `copy`).
            unsafe {
                ptr::copy(
                    self.base.wrapping_add(self.read),
                    self.base.wrapping_add(self.write),
                    rest,
                )
            };
        }
        *self.len = self.write + rest;
    }
}

#[cold]
#[inline(never)]
#[track_caller]
fn index_out_of_bounds(what: &str, index: usize, relation: &str, len: usize) -> ! {
    panic!("FrameVec: {what} (is {index}) should be {relation} len (is {len})")
}
