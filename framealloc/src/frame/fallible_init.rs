//! Initialisers that can fail: the closure's error comes back to the caller, and the memory
//! taken for the value is given back when it is still the frame's newest block.

use core::mem::{self, MaybeUninit};
use core::ptr::NonNull;

use super::{Frame, NoDrop};
use crate::error::infallible;

impl<'f> Frame<'f, '_> {
    /// Builds a value in place with `make`, or returns its error. `T` must not need `Drop`.
    ///
    /// The slot is taken first and `make` writes into it; when `make` fails, the slot goes
    /// back to the frame if nothing was allocated after it.
    ///
    /// # Panics
    ///
    /// When allocating fails (before `make` is called).
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let port: &mut u16 = f.alloc_try_with(|| "8080".parse()).unwrap();
    ///     assert_eq!(*port, 8080);
    ///     assert!(f.alloc_try_with(|| "http".parse::<u16>()).is_err());
    ///     let ids = f.alloc_slice_try_fill_with(3, |i| u8::try_from(i * 100)).unwrap();
    ///     assert_eq!(ids, [0, 100, 200]);
    ///     assert!(f.alloc_slice_try_fill_with(4, |i| u8::try_from(i * 100)).is_err());
    /// });
    /// ```
    #[track_caller]
    pub fn alloc_try_with<T, E>(
        &self,
        make: impl FnOnce() -> Result<T, E>,
    ) -> Result<&'f mut T, E> {
        let () = NoDrop::<T>::ASSERT;
        let slot: &'f mut MaybeUninit<T> = infallible(self.try_alloc_uninit::<T>());
        let at = NonNull::from(&mut *slot).cast::<u8>();
        match make() {
            Ok(value) => Ok(slot.write(value)),
            Err(e) => {
                // SAFETY: the slot is a block of `size_of::<T>()` bytes from this frame's
                // arena that nothing uses (it was never written, and the reference to it ends
                // here); it goes back only if it is still the newest block.
                unsafe { self.raw().release_if_last(at, mem::size_of::<T>()) };
                Err(e)
            }
        }
    }

    /// Fills a slice of `len` values from `make(index)`, or returns the first error. `T`
    /// must not need `Drop`.
    ///
    /// # Panics
    ///
    /// When allocating fails (before `make` is called).
    #[track_caller]
    pub fn alloc_slice_try_fill_with<T, E>(
        &self,
        len: usize,
        mut make: impl FnMut(usize) -> Result<T, E>,
    ) -> Result<&'f mut [T], E> {
        let () = NoDrop::<T>::ASSERT;
        let slots = infallible(self.try_alloc_batch::<T>(len));
        let bytes = mem::size_of_val(slots);
        let at = NonNull::from(&mut *slots).cast::<u8>();
        for (i, slot) in slots.iter_mut().enumerate() {
            match make(i) {
                Ok(value) => {
                    slot.write(value);
                }
                Err(e) => {
                    // SAFETY: as in `alloc_try_with`: the block (whose written elements need
                    // no drop) is given back only if still the newest, and is not used again.
                    unsafe { self.raw().release_if_last(at, bytes) };
                    return Err(e);
                }
            }
        }
        // SAFETY: every slot was written by the loop.
        Ok(unsafe { super::assume_init_slice(slots) })
    }
}
