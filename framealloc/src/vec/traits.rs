//! The standard traits of a [`FrameVec`]: `Clone` into the same frame, comparisons with
//! vectors, arrays and slices, ordering, hashing, and `io::Write` for bytes.

use core::cmp::Ordering;
use core::hash::{Hash, Hasher};

use super::FrameVec;

impl<'b, 'f, T: Clone> Clone for FrameVec<'b, 'f, T> {
    /// A copy in the same frame, with room for exactly its elements.
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let mut a = f.vec();
    ///     a.extend(["x", "y"].map(String::from));
    ///     let b = a.clone();
    ///     a.push(String::from("z"));
    ///     assert_eq!(b, ["x", "y"]);
    ///     assert!(a > b && b == b.clone());
    /// });
    /// ```
    #[track_caller]
    fn clone(&self) -> Self {
        let mut copy = FrameVec::with_capacity_in(self.len, self.frame);
        copy.extend(self.iter().cloned());
        copy
    }
}

macro_rules! eq_impls {
    ($([$($generics:tt)*] $lhs:ty, $rhs:ty;)*) => {$(
        impl<$($generics)*> PartialEq<$rhs> for $lhs
        where
            T: PartialEq<U>,
        {
            #[inline]
            fn eq(&self, other: &$rhs) -> bool {
                self[..] == other[..]
            }
        }
    )*};
}

eq_impls! {
    ['b1, 'f1, 'b2, 'f2, T, U] FrameVec<'b1, 'f1, T>, FrameVec<'b2, 'f2, U>;
    [T, U] FrameVec<'_, '_, T>, [U];
    [T, U] FrameVec<'_, '_, T>, &[U];
    [T, U] FrameVec<'_, '_, T>, &mut [U];
    [T, U, const N: usize] FrameVec<'_, '_, T>, [U; N];
    [T, U, const N: usize] FrameVec<'_, '_, T>, &[U; N];
    [T, U] FrameVec<'_, '_, T>, std::vec::Vec<U>;
    [T, U] std::vec::Vec<T>, FrameVec<'_, '_, U>;
    [T, U] [T], FrameVec<'_, '_, U>;
    [T, U] &[T], FrameVec<'_, '_, U>;
    [T, U, const N: usize] [T; N], FrameVec<'_, '_, U>;
}

impl<T: Eq> Eq for FrameVec<'_, '_, T> {}

impl<T: PartialOrd> PartialOrd for FrameVec<'_, '_, T> {
    #[inline]
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        self[..].partial_cmp(&other[..])
    }
}

impl<T: Ord> Ord for FrameVec<'_, '_, T> {
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        self[..].cmp(&other[..])
    }
}

impl<T: Hash> Hash for FrameVec<'_, '_, T> {
    /// Hashes as the slice does, so a `FrameVec` and a `Vec` with equal elements hash alike.
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        self[..].hash(state);
    }
}

impl std::io::Write for FrameVec<'_, '_, u8> {
    /// Appends all of `buf`; an allocation failure is an `OutOfMemory` error.
    ///
    /// ```
    /// use std::io::Write;
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let mut out = f.vec();
    ///     write!(out, "frame {}", 7).unwrap();
    ///     assert_eq!(out, b"frame 7");
    /// });
    /// ```
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.try_reserve(buf.len())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::OutOfMemory, e))?;
        self.extend_from_slice(buf);
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
