//! The guarded allocation family: `alloc_guarded`, `alloc_batch_guarded` and
//! `alloc_slice_guarded` for types marked `#[frame(guard)]`, with canaries in every build.

use core::alloc::Layout;
use core::mem::MaybeUninit;
use core::ptr::NonNull;

use super::{init_with, Frame, NoDrop};
use crate::error::{infallible, AllocError};
use crate::guard::Guarded;

impl<'f> Frame<'f, '_> {
    /// Moves `value` of a [`Guarded`] type (`#[frame(guard)]`) into the frame with canaries
    /// around it, whether or not the arena's guards are on, in every build.
    ///
    /// # Performance
    ///
    /// The cold path: canaries and fill written, one side-table record.
    ///
    /// ```
    /// use framealloc::{FrameArena, FrameLayout};
    ///
    /// #[derive(FrameLayout, Clone, Copy)]
    /// #[frame(guard)]
    /// struct Sample { left: f32, right: f32 }
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let s = f.alloc_guarded(Sample { left: 0.0, right: 1.0 });
    ///     let many = f.alloc_slice_guarded(64, |i| Sample { left: i as f32, right: 0.5 });
    ///     let room = f.alloc_batch_guarded::<Sample>(8);
    ///     s.left = many[63].right;
    ///     assert_eq!((room.len(), f.check_guards()), (8, 0));
    /// });
    /// ```
    #[inline]
    #[track_caller]
    pub fn alloc_guarded<T: Guarded>(&self, value: T) -> &'f mut T {
        let () = NoDrop::<T>::ASSERT;
        infallible(self.try_alloc_guarded(value))
    }

    /// Fallible twin of [`alloc_guarded`](Self::alloc_guarded).
    #[inline]
    #[track_caller]
    pub fn try_alloc_guarded<T: Guarded>(&self, value: T) -> Result<&'f mut T, AllocError> {
        let () = NoDrop::<T>::ASSERT;
        let slot = self.try_guarded_array::<T>(1)?;
        // SAFETY: a fresh, aligned block for one `T`, exclusively ours for `'f`.
        Ok(unsafe { &mut *slot.as_ptr() }.write(value))
    }

    /// Allocates `n` uninitialized values of a [`Guarded`] type, with canaries around the
    /// whole slice, in every build. The memory reads as [`FILL`](crate::guard::FILL) bytes
    /// until written.
    #[inline]
    #[track_caller]
    pub fn alloc_batch_guarded<T: Guarded>(&self, n: usize) -> &'f mut [MaybeUninit<T>] {
        infallible(self.try_alloc_batch_guarded(n))
    }

    /// Fallible twin of [`alloc_batch_guarded`](Self::alloc_batch_guarded).
    #[inline]
    #[track_caller]
    pub fn try_alloc_batch_guarded<T: Guarded>(
        &self,
        n: usize,
    ) -> Result<&'f mut [MaybeUninit<T>], AllocError> {
        let ptr = self.try_guarded_array::<T>(n)?;
        // SAFETY: the block holds `n` elements, is aligned, exclusively ours for `'f`, and
        // `MaybeUninit` needs no initialization.
        Ok(unsafe { core::slice::from_raw_parts_mut(ptr.as_ptr(), n) })
    }

    /// Allocates `len` values of a [`Guarded`] type, the `i`-th being `make(i)`, with
    /// canaries around the slice, in every build.
    #[inline]
    #[track_caller]
    pub fn alloc_slice_guarded<T: Guarded>(
        &self,
        len: usize,
        make: impl FnMut(usize) -> T,
    ) -> &'f mut [T] {
        let () = NoDrop::<T>::ASSERT;
        infallible(self.try_alloc_slice_guarded(len, make))
    }

    /// Fallible twin of [`alloc_slice_guarded`](Self::alloc_slice_guarded).
    #[inline]
    #[track_caller]
    pub fn try_alloc_slice_guarded<T: Guarded>(
        &self,
        len: usize,
        make: impl FnMut(usize) -> T,
    ) -> Result<&'f mut [T], AllocError> {
        let () = NoDrop::<T>::ASSERT;
        Ok(init_with(self.try_alloc_batch_guarded::<T>(len)?, make))
    }

    #[inline]
    #[track_caller]
    fn try_guarded_array<T>(&self, n: usize) -> Result<NonNull<MaybeUninit<T>>, AllocError> {
        let layout = Layout::array::<T>(n).map_err(|_| AllocError::LayoutOverflow)?;
        Ok(self
            .raw()
            .alloc_guarded(layout, core::panic::Location::caller())?
            .cast())
    }
}
