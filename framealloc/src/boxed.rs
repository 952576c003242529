//! [`FrameBox<'f, T>`](FrameBox): an owning pointer into a frame that runs `Drop`.

use core::alloc::Layout;
use core::fmt;
use core::marker::PhantomData;
use core::mem::{self, ManuallyDrop};
use core::ops::{Deref, DerefMut};
use core::ptr::{self, NonNull};

use crate::error::{infallible, AllocError};
use crate::frame::Frame;

/// An owned value in frame memory. Like `Box<T>`, it runs `T`'s destructor when dropped;
/// unlike `Box<T>`, its memory is the frame's and is reclaimed when the frame ends.
///
/// `T` may be unsized: slices ([`Frame::boxed_slice_fill_with`], [`FrameVec::into_boxed_slice`](crate::FrameVec::into_boxed_slice))
/// and trait objects through [`frame_box!`](crate::frame_box!).
///
/// ```
/// use framealloc::{frame_box, FrameArena, FrameBox};
/// use std::fmt::Debug;
///
/// let mut arena = FrameArena::new();
/// arena.frame(|f| {
///     let name = f.boxed(String::from("ship")); // String needs Drop: use boxed, not alloc
///     let any: FrameBox<'_, dyn Debug> = frame_box!(f, vec![1, 2, 3]);
///     assert_eq!(format!("{name} {any:?}"), "ship [1, 2, 3]");
/// }); // both destructors have run by here
/// ```
pub struct FrameBox<'f, T: ?Sized> {
    ptr: NonNull<T>,
    /// Owns a `T`, for drop check.
    _owns: PhantomData<T>,
    /// Borrows frame memory for `'f`.
    _frame: PhantomData<&'f ()>,
}

// SAFETY: a `FrameBox` is the unique owner of its `T` (like `Box<T>`), and the frame memory it
// points to is not touched by the arena until `'f` ends, so sending it is sending a `T`.
unsafe impl<T: ?Sized + Send> Send for FrameBox<'_, T> {}
// SAFETY: shared access to a `FrameBox` only gives `&T`.
unsafe impl<T: ?Sized + Sync> Sync for FrameBox<'_, T> {}

impl<'f, T> FrameBox<'f, T> {
    /// Moves `value` into `frame`; the same as [`Frame::boxed`].
    ///
    /// ```
    /// use framealloc::{FrameArena, FrameBox};
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let name = FrameBox::new_in(String::from("player"), &f); // dropped with the box
    ///     assert!(FrameBox::try_new_in(7u64, &f).is_ok());
    ///     let pos = FrameBox::new_in([1.0f32, 2.0], &f);
    ///     let kept: &mut [f32; 2] = FrameBox::leak(pos); // no destructor runs (none needed)
    ///     kept[0] += 1.0;
    ///     assert_eq!((name.len(), *kept), (6, [2.0, 2.0]));
    /// });
    /// ```
    #[inline]
    #[track_caller]
    pub fn new_in(value: T, frame: &Frame<'f, '_>) -> Self {
        infallible(Self::try_new_in(value, frame))
    }

    /// Fallible twin of [`new_in`](Self::new_in).
    #[inline]
    #[track_caller]
    pub fn try_new_in(value: T, frame: &Frame<'f, '_>) -> Result<Self, AllocError> {
        let ptr = frame.try_alloc_layout(Layout::new::<T>())?.cast::<T>();
        // SAFETY: the block is valid for a `T` and aligned for it.
        unsafe { ptr.as_ptr().write(value) };
        Ok(FrameBox {
            ptr,
            _owns: PhantomData,
            _frame: PhantomData,
        })
    }

    /// Moves the value out, leaving its memory to the frame.
    ///
    /// ```
    /// use framealloc::{FrameArena, FrameBox};
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let name = FrameBox::new_in(String::from("ship"), &f);
    ///     let owned: String = FrameBox::into_inner(name); // moved out: back on the heap's terms
    ///     let kept: &mut [u8; 2] = FrameBox::leak(f.boxed([1, 2])); // lives for the whole frame
    ///     kept[1] = 3;
    ///     assert_eq!((owned.as_str(), kept[1]), ("ship", 3));
    /// });
    /// ```
    #[inline]
    pub fn into_inner(this: Self) -> T {
        let this = ManuallyDrop::new(this);
        // SAFETY: the box owns an initialized `T`; `ManuallyDrop` keeps it from being
        // dropped again, so the read moves it out exactly once.
        unsafe { this.ptr.as_ptr().read() }
    }
}

impl<'f, T: ?Sized> FrameBox<'f, T> {
    /// Gives up ownership without running the destructor, returning a reference that lives
    /// as long as the frame (like `Box::leak`).
    #[inline]
    pub fn leak(this: Self) -> &'f mut T
    where
        T: 'f,
    {
        let this = ManuallyDrop::new(this);
        // SAFETY: the box uniquely owns an initialized `T` in memory that stays valid for
        // `'f`; forgetting the box hands that unique access to the reference.
        unsafe { &mut *this.ptr.as_ptr() }
    }

    /// A raw pointer to the value.
    #[inline]
    pub fn as_ptr(this: &Self) -> *const T {
        this.ptr.as_ptr()
    }

    /// Unsizes a box through `coerce`, which gets the box's value wrapped in [`Unsizing`]
    /// and returns it coerced (`|v| v as _`). Used by [`frame_box!`](crate::frame_box!);
    /// stable Rust has no `CoerceUnsized` for user types.
    ///
    /// `Unsizing` has no `Deref` and no public constructor, so the only coercion from
    /// `&mut Unsizing<T>` to `&mut Unsizing<U>` is an unsizing one, and the only
    /// `&'f mut Unsizing<U>` a closure can return is one it was handed by a call like this:
    /// a value some box gave up, never a field or value that another owner still drops.
    #[doc(hidden)]
    pub fn __coerce<U: ?Sized + 'f>(
        this: Self,
        coerce: impl FnOnce(&'f mut Unsizing<T>) -> &'f mut Unsizing<U>,
    ) -> FrameBox<'f, U>
    where
        T: 'f,
    {
        let this = ManuallyDrop::new(this);
        // SAFETY: the box uniquely owns an initialized `T` in memory valid for `'f`, and it
        // is forgotten, so the reference is the value's only owner from here on;
        // `Unsizing<T>` is `repr(transparent)` over `T`.
        let value = unsafe { &mut *(this.ptr.as_ptr() as *mut Unsizing<T>) };
        // Same metadata, same layout (`repr(transparent)`): a pointer to the `U` inside.
        let coerced = coerce(value) as *mut Unsizing<U> as *mut U;
        FrameBox {
            // `coerced` came from a reference, so it is not null.
            ptr: NonNull::new(coerced).expect("a reference is not null"),
            _owns: PhantomData,
            _frame: PhantomData,
        }
    }
}

/// A value on its way through [`frame_box!`](crate::frame_box!): a transparent wrapper with
/// no `Deref`, no public constructor and no field access, so that references to it convert
/// only by unsizing (`&mut Unsizing<[u8; 4]>` to `&mut Unsizing<[u8]>`, `&mut Unsizing<S>`
/// to `&mut Unsizing<dyn Trait>`), never by deref coercion or to an unrelated value.
#[doc(hidden)]
#[repr(transparent)]
pub struct Unsizing<T: ?Sized>(T);

impl<'f, T> FrameBox<'f, [T]> {
    /// # Safety
    ///
    /// `ptr` points to `len` initialized `T`s in frame memory valid for `'f`, owned by nobody
    /// else from now on.
    pub(crate) unsafe fn from_raw_slice(ptr: NonNull<T>, len: usize) -> Self {
        FrameBox {
            ptr: NonNull::slice_from_raw_parts(ptr, len),
            _owns: PhantomData,
            _frame: PhantomData,
        }
    }
}

impl<'f> Frame<'f, '_> {
    /// Moves `value` into the frame behind a [`FrameBox`], which runs its destructor when the
    /// box is dropped. Works for every `T`; see [`frame_box!`](crate::frame_box!) for
    /// `FrameBox<'f, dyn Trait>`.
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let mut names = f.boxed(vec![String::from("a")]); // dropped with the box
    ///     names.push(String::from("b"));
    ///     let slots = f.boxed_slice_fill_with(3, |i| format!("slot {i}"));
    ///     assert_eq!((names.len(), &slots[2][..]), (2, "slot 2"));
    ///     assert!(f.try_boxed([0u8; 64]).is_ok());
    /// });
    /// ```
    #[inline]
    #[track_caller]
    #[doc(alias = "frame_box")]
    pub fn boxed<T>(&self, value: T) -> FrameBox<'f, T> {
        infallible(self.try_boxed(value))
    }

    /// Fallible twin of [`boxed`](Self::boxed).
    #[inline]
    #[track_caller]
    pub fn try_boxed<T>(&self, value: T) -> Result<FrameBox<'f, T>, AllocError> {
        FrameBox::try_new_in(value, self)
    }

    /// A boxed slice of `len` elements, the `i`-th being `make(i)`; any `T`, the box drops
    /// them. If `make` panics, the elements made so far are dropped.
    #[track_caller]
    pub fn boxed_slice_fill_with<T: 'f>(
        &self,
        len: usize,
        make: impl FnMut(usize) -> T,
    ) -> FrameBox<'f, [T]> {
        infallible(self.try_boxed_slice_fill_with(len, make))
    }

    /// Clones of the elements of `src` in a [`FrameBox`] that drops them.
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let names = f.boxed_slice_clone(&[String::from("a"), String::from("b")]);
    ///     let blanks = f.boxed_slice_fill(3, String::from("-"));
    ///     let words = f.boxed_slice_from_iter("x y z".split(' ').map(String::from));
    ///     assert_eq!((names.len(), &blanks[2][..]), (2, "-"));
    ///     assert_eq!(*words, ["x", "y", "z"]);
    /// });
    /// ```
    #[track_caller]
    pub fn boxed_slice_clone<T: Clone + 'f>(&self, src: &[T]) -> FrameBox<'f, [T]> {
        self.boxed_slice_from_iter(src.iter().cloned())
    }

    /// `len` clones of `value` in a [`FrameBox`] that drops them (`value` itself is the
    /// last).
    #[track_caller]
    pub fn boxed_slice_fill<T: Clone + 'f>(&self, len: usize, value: T) -> FrameBox<'f, [T]> {
        let mut v = crate::vec::FrameVec::new_in(self);
        v.resize(len, value);
        v.into_boxed_slice()
    }

    /// The items of any iterator in a [`FrameBox`] that drops them: grown as the frame's
    /// newest allocation, with the unused room given back.
    #[track_caller]
    pub fn boxed_slice_from_iter<T: 'f>(
        &self,
        iter: impl IntoIterator<Item = T>,
    ) -> FrameBox<'f, [T]> {
        crate::vec::FrameVec::from_iter_in(iter, self).into_boxed_slice()
    }

    /// Fallible twin of [`boxed_slice_fill_with`](Self::boxed_slice_fill_with).
    #[track_caller]
    pub fn try_boxed_slice_fill_with<T: 'f>(
        &self,
        len: usize,
        mut make: impl FnMut(usize) -> T,
    ) -> Result<FrameBox<'f, [T]>, AllocError> {
        // Every write goes through `base`, derived once from the fresh block, so no later
        // reborrow of the block invalidates it (and the prefix guard) under Stacked Borrows.
        let base = NonNull::from(self.try_alloc_batch::<T>(len)?).cast::<T>();
        /// Drops the initialized prefix if `make` panics.
        struct Prefix<T> {
            base: NonNull<T>,
            done: usize,
        }
        impl<T> Drop for Prefix<T> {
            fn drop(&mut self) {
                // SAFETY: the first `done` elements from `base` were initialized and are owned
                // by nobody else (the box is only made after the loop).
                unsafe {
                    ptr::drop_in_place(ptr::slice_from_raw_parts_mut(self.base.as_ptr(), self.done))
                }
            }
        }
        let mut prefix = Prefix { base, done: 0 };
        while prefix.done < len {
            let value = make(prefix.done);
            // SAFETY: slot `done < len` lies inside the block of `len` elements and is not
            // initialized yet.
            unsafe { base.as_ptr().wrapping_add(prefix.done).write(value) };
            prefix.done += 1;
        }
        mem::forget(prefix);
        // SAFETY: all `len` elements are initialized, in memory valid for `'f`, and the
        // `MaybeUninit` slice that referred to them is not used again.
        Ok(unsafe { FrameBox::from_raw_slice(base, len) })
    }
}

impl<T: ?Sized> Drop for FrameBox<'_, T> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the box uniquely owns an initialized `T`, dropped here exactly once; the
        // memory itself belongs to the frame and is not freed.
        unsafe { ptr::drop_in_place(self.ptr.as_ptr()) }
    }
}

impl<T: ?Sized> Deref for FrameBox<'_, T> {
    type Target = T;
    #[inline]
    fn deref(&self) -> &T {
        // SAFETY: the box owns an initialized `T`; `&self` gives shared access to it.
        unsafe { self.ptr.as_ref() }
    }
}

impl<T: ?Sized> DerefMut for FrameBox<'_, T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the box uniquely owns an initialized `T`; `&mut self` gives unique access.
        unsafe { self.ptr.as_mut() }
    }
}

impl<T: ?Sized> AsRef<T> for FrameBox<'_, T> {
    fn as_ref(&self) -> &T {
        self
    }
}

impl<T: ?Sized> AsMut<T> for FrameBox<'_, T> {
    fn as_mut(&mut self) -> &mut T {
        self
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for FrameBox<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for FrameBox<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl<T: ?Sized + PartialEq> PartialEq for FrameBox<'_, T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: ?Sized + Eq> Eq for FrameBox<'_, T> {}

/// Moves a value into a frame as a [`FrameBox`], unsizing it to the box type the context
/// asks for (`FrameBox<'f, dyn Trait>`, `FrameBox<'f, [T]>`), which stable Rust cannot do for
/// user types directly.
///
/// `frame_box!(frame, value)`, where `frame` is a [`Frame`] or a reference to one.
///
/// Only unsizing compiles: a conversion through `Deref` (a wrapper into the value it points
/// at) or to an unrelated type of the same size is refused at compile time, with
/// "non-primitive cast: `&mut Unsizing<From>` as `&mut Unsizing<To>`".
///
/// ```
/// use framealloc::{frame_box, FrameArena, FrameBox};
///
/// trait Shape { fn area(&self) -> f32; }
/// struct Square(f32);
/// impl Shape for Square { fn area(&self) -> f32 { self.0 * self.0 } }
///
/// let mut arena = FrameArena::new();
/// arena.frame(|f| {
///     let shapes: [FrameBox<'_, dyn Shape>; 2] = [frame_box!(f, Square(2.0)), frame_box!(f, Square(3.0))];
///     assert_eq!(shapes.iter().map(|s| s.area()).sum::<f32>(), 13.0);
/// });
/// ```
#[macro_export]
macro_rules! frame_box {
    ($frame:expr, $value:expr $(,)?) => {
        $crate::FrameBox::__coerce($crate::Frame::boxed(&$frame, $value), |__frame_box_value| {
            __frame_box_value as _
        })
    };
}
