//! Struct-of-arrays storage: [`SoaVec`] keeps N columns in **one allocation**, each column
//! starting on a cache-line boundary, generic over an `allocator_api2` allocator.
//!
//! `#[soa]` generates a named wrapper around `SoaVec<(F0, F1, ..), A>` (one tuple element per
//! field); this module holds all of its unsafe code. The column types are carried by the
//! tuple type, so every operation here is type-safe: the generated code only moves fields in
//! and out of tuples.
//!
//! With guards compiled in ([`guard::COMPILED_IN`]: `debug_assertions` or the `guards`
//! feature), every column is followed by [`CANARY_LEN`] canary bytes inside the gap before the
//! next column, checked by [`SoaVec::check_guards`], before the storage moves to a bigger
//! block, and when it is dropped: a SIMD loop that writes past a column's end is reported
//! with the column, its field name and the line that sized the storage.

use core::alloc::Layout;
use core::marker::PhantomData;
use core::panic::Location;
use core::ptr::{self, NonNull};

use allocator_api2::alloc::{Allocator, Global};

use crate::addr;
use crate::error::{alloc_failed, AllocError};
use crate::guard::{self, GuardCheck, GuardKind, GuardReport, CANARY, CANARY_LEN};

/// The most fields a `#[soa]` struct may have.
pub const MAX_COLUMNS: usize = 32;

/// The start of every column of a block, in column order (unused entries are dangling).
/// Part of [`Columns`]' implementation, not of the API.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct ColumnPtrs([*mut u8; MAX_COLUMNS]);

mod sealed {
    pub trait Sealed {}
}

/// A tuple of column element types, `(F0, F1, ..)`, that [`SoaVec`] can store. Implemented
/// for tuples of 1 to [`MAX_COLUMNS`] elements; it cannot be implemented outside this crate.
///
/// # Safety
///
/// Implementations (all in this module) read and write column `i` as the tuple's `i`-th type.
///
/// ```
/// use framealloc::allocator_api2::alloc::Global;
/// use framealloc::soa::SoaVec;
///
/// // A tuple of column types, stored column by column in one block.
/// let mut v: SoaVec<(f32, u32)> = SoaVec::new_in(64, Global);
/// v.push((1.5, 7));
/// v.push((2.5, 8));
/// let (xs, ids) = v.slices();
/// assert_eq!((xs, ids), (&[1.5, 2.5][..], &[7, 8][..]));
/// ```
pub unsafe trait Columns: sealed::Sealed + Sized {
    /// Number of columns.
    const COUNT: usize;
    /// Layout of one element of each column, in column order.
    const LAYOUTS: [Layout; MAX_COLUMNS];
    /// One shared reference per column.
    type Refs<'a>
    where
        Self: 'a;
    /// One mutable reference per column.
    type Muts<'a>
    where
        Self: 'a;
    /// Every column as a shared slice.
    type Slices<'a>
    where
        Self: 'a;
    /// Every column as a mutable slice.
    type SlicesMut<'a>
    where
        Self: 'a;

    /// Moves each element into its column at `index`.
    ///
    /// # Safety
    ///
    /// Every column of `cols` has room for an element at `index`, which is uninitialized.
    unsafe fn write_at(self, cols: &ColumnPtrs, index: usize);
    /// Moves the element at `index` out of every column.
    ///
    /// # Safety
    ///
    /// The element at `index` is initialized in every column, and is treated as
    /// uninitialized afterwards.
    unsafe fn read_at(cols: &ColumnPtrs, index: usize) -> Self;
    /// # Safety
    ///
    /// The element at `index` is initialized in every column and not mutably borrowed for `'a`.
    unsafe fn refs_at<'a>(cols: &ColumnPtrs, index: usize) -> Self::Refs<'a>;
    /// # Safety
    ///
    /// The element at `index` is initialized in every column and not otherwise borrowed for `'a`.
    unsafe fn muts_at<'a>(cols: &ColumnPtrs, index: usize) -> Self::Muts<'a>;
    /// # Safety
    ///
    /// The first `len` elements of every column are initialized and not mutably borrowed for `'a`.
    unsafe fn slices<'a>(cols: &ColumnPtrs, len: usize) -> Self::Slices<'a>;
    /// # Safety
    ///
    /// The first `len` elements of every column are initialized and not otherwise borrowed for `'a`.
    unsafe fn slices_mut<'a>(cols: &ColumnPtrs, len: usize) -> Self::SlicesMut<'a>;
    /// Drops elements `start..end` of every column.
    ///
    /// # Safety
    ///
    /// Those elements are initialized and are treated as uninitialized afterwards.
    unsafe fn drop_range(cols: &ColumnPtrs, start: usize, end: usize);
}

macro_rules! columns_for_tuple {
    ($count:expr; $($t:ident $i:tt),+) => {
        impl<$($t),+> sealed::Sealed for ($($t,)+) {}

        // SAFETY: column `$i` is always accessed as `$t`, the tuple's `$i`-th type.
        unsafe impl<$($t),+> Columns for ($($t,)+) {
            const COUNT: usize = $count;
            const LAYOUTS: [Layout; MAX_COLUMNS] = {
                let mut layouts = [Layout::new::<()>(); MAX_COLUMNS];
                $(layouts[$i] = Layout::new::<$t>();)+
                layouts
            };
            type Refs<'a> = ($(&'a $t,)+) where Self: 'a;
            type Muts<'a> = ($(&'a mut $t,)+) where Self: 'a;
            type Slices<'a> = ($(&'a [$t],)+) where Self: 'a;
            type SlicesMut<'a> = ($(&'a mut [$t],)+) where Self: 'a;

            #[inline(always)]
            unsafe fn write_at(self, cols: &ColumnPtrs, index: usize) {
                $(
                    // SAFETY: the caller guarantees room at `index` in column `$i`, which holds `$t`s.
                    unsafe { cols.0[$i].cast::<$t>().wrapping_add(index).write(self.$i) };
                )+
            }

            #[inline(always)]
            unsafe fn read_at(cols: &ColumnPtrs, index: usize) -> Self {
                // SAFETY: the caller guarantees an initialized `$t` at `index` in column `$i`,
                // which it gives up.
                ($(unsafe { cols.0[$i].cast::<$t>().wrapping_add(index).read() },)+)
            }

            #[inline(always)]
            unsafe fn refs_at<'a>(cols: &ColumnPtrs, index: usize) -> Self::Refs<'a> {
                // SAFETY: initialized and not mutably borrowed for `'a` (caller).
                ($(unsafe { &*cols.0[$i].cast::<$t>().wrapping_add(index) },)+)
            }

            #[inline(always)]
            unsafe fn muts_at<'a>(cols: &ColumnPtrs, index: usize) -> Self::Muts<'a> {
                // SAFETY: initialized and not otherwise borrowed for `'a` (caller); the columns
                // are disjoint, so the references do not alias each other.
                ($(unsafe { &mut *cols.0[$i].cast::<$t>().wrapping_add(index) },)+)
            }

            #[inline(always)]
            unsafe fn slices<'a>(cols: &ColumnPtrs, len: usize) -> Self::Slices<'a> {
                // SAFETY: `len` initialized elements, not mutably borrowed for `'a` (caller).
                ($(unsafe { core::slice::from_raw_parts(cols.0[$i].cast::<$t>(), len) },)+)
            }

            #[inline(always)]
            unsafe fn slices_mut<'a>(cols: &ColumnPtrs, len: usize) -> Self::SlicesMut<'a> {
                // SAFETY: `len` initialized elements, not otherwise borrowed for `'a` (caller);
                // the columns are disjoint.
                ($(unsafe { core::slice::from_raw_parts_mut(cols.0[$i].cast::<$t>(), len) },)+)
            }

            #[inline]
            unsafe fn drop_range(cols: &ColumnPtrs, start: usize, end: usize) {
                // Columns without destructors: nothing to call (`truncate`, `clear` and drop
                // of plain data stay free).
                if !core::mem::needs_drop::<Self>() {
                    return;
                }
                let columns: [unsafe fn(*mut u8, usize, usize); $count] =
                    [$(drop_column::<$t>),+];
                // SAFETY: column `k` holds `$t`s for the `k`-th entry, and those elements are
                // initialized and given up (caller).
                unsafe { drop_columns(&columns, cols, start, end) };
            }
        }
    };
}

columns_for_tuple!(1; A0 0);
columns_for_tuple!(2; A0 0, A1 1);
columns_for_tuple!(3; A0 0, A1 1, A2 2);
columns_for_tuple!(4; A0 0, A1 1, A2 2, A3 3);
columns_for_tuple!(5; A0 0, A1 1, A2 2, A3 3, A4 4);
columns_for_tuple!(6; A0 0, A1 1, A2 2, A3 3, A4 4, A5 5);
columns_for_tuple!(7; A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6);
columns_for_tuple!(8; A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7);
columns_for_tuple!(9; A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8);
columns_for_tuple!(10; A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9);
columns_for_tuple!(11; A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10);
columns_for_tuple!(12; A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11);
columns_for_tuple!(13; A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12);
columns_for_tuple!(14; A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12, A13 13);
columns_for_tuple!(15; A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12, A13 13, A14 14);
columns_for_tuple!(16; A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12, A13 13, A14 14, A15 15);
columns_for_tuple!(17; A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12, A13 13, A14 14, A15 15, A16 16);
columns_for_tuple!(18; A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12, A13 13, A14 14, A15 15, A16 16, A17 17);
columns_for_tuple!(19; A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12, A13 13, A14 14, A15 15, A16 16, A17 17, A18 18);
columns_for_tuple!(20; A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12, A13 13, A14 14, A15 15, A16 16, A17 17, A18 18, A19 19);
columns_for_tuple!(21; A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12, A13 13, A14 14, A15 15, A16 16, A17 17, A18 18, A19 19, A20 20);
columns_for_tuple!(22; A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12, A13 13, A14 14, A15 15, A16 16, A17 17, A18 18, A19 19, A20 20, A21 21);
columns_for_tuple!(23; A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12, A13 13, A14 14, A15 15, A16 16, A17 17, A18 18, A19 19, A20 20, A21 21, A22 22);
columns_for_tuple!(24; A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12, A13 13, A14 14, A15 15, A16 16, A17 17, A18 18, A19 19, A20 20, A21 21, A22 22, A23 23);
columns_for_tuple!(25; A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12, A13 13, A14 14, A15 15, A16 16, A17 17, A18 18, A19 19, A20 20, A21 21, A22 22, A23 23, A24 24);
columns_for_tuple!(26; A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12, A13 13, A14 14, A15 15, A16 16, A17 17, A18 18, A19 19, A20 20, A21 21, A22 22, A23 23, A24 24, A25 25);
columns_for_tuple!(27; A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12, A13 13, A14 14, A15 15, A16 16, A17 17, A18 18, A19 19, A20 20, A21 21, A22 22, A23 23, A24 24, A25 25, A26 26);
columns_for_tuple!(28; A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12, A13 13, A14 14, A15 15, A16 16, A17 17, A18 18, A19 19, A20 20, A21 21, A22 22, A23 23, A24 24, A25 25, A26 26, A27 27);
columns_for_tuple!(29; A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12, A13 13, A14 14, A15 15, A16 16, A17 17, A18 18, A19 19, A20 20, A21 21, A22 22, A23 23, A24 24, A25 25, A26 26, A27 27, A28 28);
columns_for_tuple!(30; A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12, A13 13, A14 14, A15 15, A16 16, A17 17, A18 18, A19 19, A20 20, A21 21, A22 22, A23 23, A24 24, A25 25, A26 26, A27 27, A28 28, A29 29);
columns_for_tuple!(31; A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12, A13 13, A14 14, A15 15, A16 16, A17 17, A18 18, A19 19, A20 20, A21 21, A22 22, A23 23, A24 24, A25 25, A26 26, A27 27, A28 28, A29 29, A30 30);
columns_for_tuple!(32; A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12, A13 13, A14 14, A15 15, A16 16, A17 17, A18 18, A19 19, A20 20, A21 21, A22 22, A23 23, A24 24, A25 25, A26 26, A27 27, A28 28, A29 29, A30 30, A31 31);

/// Drops elements `start..end` of a column of `T`s starting at `column`.
///
/// # Safety
///
/// `column` holds `T`s, and elements `start..end` are initialized and given up.
unsafe fn drop_column<T>(column: *mut u8, start: usize, end: usize) {
    let elements =
        ptr::slice_from_raw_parts_mut(column.cast::<T>().wrapping_add(start), end - start);
    // SAFETY: those elements are initialized and given up (caller).
    unsafe { ptr::drop_in_place(elements) }
}

/// Drops elements `start..end` of every column, column after column, the `k`-th with
/// `drops[k]`. A destructor that panics does not stop the others: the remaining columns are
/// dropped while the panic unwinds (as `std`'s `Vec` keeps dropping its other elements), so
/// every value is dropped once. A second panic while unwinding aborts, as in `std`.
///
/// # Safety
///
/// `drops[k]` is `drop_column::<Fk>` for the type `Fk` of column `k`, and elements
/// `start..end` of every column are initialized and given up.
unsafe fn drop_columns(
    drops: &[unsafe fn(*mut u8, usize, usize)],
    cols: &ColumnPtrs,
    start: usize,
    end: usize,
) {
    /// The columns not dropped yet, from `next` on: dropped by `Drop` if one panics.
    struct Rest<'a> {
        drops: &'a [unsafe fn(*mut u8, usize, usize)],
        cols: &'a ColumnPtrs,
        start: usize,
        end: usize,
        next: usize,
    }
    impl Rest<'_> {
        fn run(&mut self) {
            while let Some(&drop_column) = self.drops.get(self.next) {
                let column = self.cols.0[self.next];
                // Counted before the call: a panicking column is not dropped again.
                self.next += 1;
                // SAFETY: `drop_column` is the drop of this column's element type, and its
                // elements `start..end` are initialized and given up (`drop_columns`'
                // caller); each column is dropped once, as `next` only moves forward.
                unsafe { drop_column(column, self.start, self.end) };
            }
        }
    }
    impl Drop for Rest<'_> {
        fn drop(&mut self) {
            self.run();
        }
    }
    let mut rest = Rest {
        drops,
        cols,
        start,
        end,
        next: 0,
    };
    rest.run();
}

/// Canary bytes after each column of a non-zero-sized type: [`CANARY_LEN`] with guards
/// compiled in, else none.
const fn column_canary(element: &Layout) -> usize {
    if guard::COMPILED_IN && element.size() > 0 {
        CANARY_LEN
    } else {
        0
    }
}

/// Where each column of a block of `cap` elements starts, and the block's layout: column
/// `k` starts at the first multiple of `max(column_align, align_of::<Fk>())` after column
/// `k - 1` ends (and its canary, with guards compiled in).
fn block_layout<C: Columns>(
    cap: usize,
    column_align: usize,
) -> Result<(Layout, [usize; MAX_COLUMNS]), AllocError> {
    let mut offsets = [0; MAX_COLUMNS];
    let mut end = 0usize;
    let mut align = column_align;
    for (k, element) in C::LAYOUTS.iter().enumerate().take(C::COUNT) {
        let column_align = column_align.max(element.align());
        let start = addr::round_up(end, column_align).ok_or(AllocError::LayoutOverflow)?;
        let size = element
            .size()
            .checked_mul(cap)
            .ok_or(AllocError::LayoutOverflow)?;
        offsets[k] = start;
        end = start
            .checked_add(size)
            .and_then(|end| end.checked_add(column_canary(element)))
            .ok_or(AllocError::LayoutOverflow)?;
        align = align.max(column_align);
    }
    let layout = Layout::from_size_align(end, align).map_err(|_| AllocError::LayoutOverflow)?;
    Ok((layout, offsets))
}

/// Columns of a block starting at `base`; dangling (but aligned) pointers for an empty one.
fn column_ptrs<C: Columns>(
    base: Option<NonNull<u8>>,
    offsets: &[usize; MAX_COLUMNS],
) -> ColumnPtrs {
    let mut cols = [ptr::null_mut(); MAX_COLUMNS];
    for (k, col) in cols.iter_mut().enumerate() {
        *col = match base {
            // `wrapping_add` stays inside the block: offsets lie within its layout.
            Some(base) if k < C::COUNT => base.as_ptr().wrapping_add(offsets[k]),
            _ => addr::dangling(C::LAYOUTS[k].align()).as_ptr(),
        };
    }
    ColumnPtrs(cols)
}

/// A growable struct-of-arrays container: `C` is a tuple of column types, all columns share
/// one length, one capacity and one allocation, and each column starts on a multiple of the
/// column alignment (64 bytes by default, one cache line).
///
/// This is the storage behind `#[soa]`; use the named wrapper it generates rather than this
/// type directly.
///
/// ```
/// use framealloc::{soa, FrameArena};
///
/// #[soa]
/// struct Particle { pos: [f32; 2], mass: f32 }
///
/// // `#[soa]` generates `ParticleSoa`, a named wrapper around a `SoaVec<([f32; 2], f32)>`.
/// let mut arena = FrameArena::new();
/// arena.frame(|f| {
///     let mut ps = ParticleSoa::new_in(&f); // in the frame; `ParticleSoa::new()` for the heap
///     ps.push(Particle { pos: [1.0, 2.0], mass: 3.0 });
///     assert_eq!(ps.mass(), &[3.0]);
///     assert_eq!(ps.column_ptrs()[0] as usize % 64, 0, "columns start on a cache line");
/// });
/// ```
pub struct SoaVec<C: Columns, A: Allocator = Global> {
    /// Start of the block; `None` while no block is allocated (capacity 0, or all columns
    /// zero-sized).
    base: Option<NonNull<u8>>,
    /// Start of each column; inside the block, or dangling and aligned when there is none.
    cols: ColumnPtrs,
    /// Initialized elements in every column. Invariant: `len <= cap`.
    len: usize,
    /// Elements every column has room for (`usize::MAX` when all columns are zero-sized).
    cap: usize,
    column_align: usize,
    alloc: A,
    /// Where the current block was sized (for guard reports).
    site: &'static Location<'static>,
    /// Field names of the columns, for guard reports (empty when unknown).
    names: &'static [&'static str],
    _owns: PhantomData<C>,
}

// SAFETY: a `SoaVec` owns its elements (like `Vec<C>`) and its allocator; sending it sends them.
unsafe impl<C: Columns + Send, A: Allocator + Send> Send for SoaVec<C, A> {}
// SAFETY: shared access only gives shared references to elements and the allocator.
unsafe impl<C: Columns + Sync, A: Allocator + Sync> Sync for SoaVec<C, A> {}

impl<C: Columns, A: Allocator> SoaVec<C, A> {
    /// An empty container whose columns start on multiples of `column_align` (a power of two).
    ///
    /// # Panics
    ///
    /// If `column_align` is not a power of two.
    #[track_caller]
    pub fn new_in(column_align: usize, alloc: A) -> Self {
        assert!(
            column_align.is_power_of_two(),
            "SoaVec: column alignment {column_align} is not a power of two"
        );
        let all_zero_sized = C::LAYOUTS.iter().take(C::COUNT).all(|l| l.size() == 0);
        SoaVec {
            base: None,
            cols: column_ptrs::<C>(None, &[0; MAX_COLUMNS]),
            len: 0,
            cap: if all_zero_sized { usize::MAX } else { 0 },
            column_align,
            alloc,
            site: Location::caller(),
            names: &[],
            _owns: PhantomData,
        }
    }

    /// Names the columns (in column order) for guard reports.
    pub fn named(mut self, names: &'static [&'static str]) -> Self {
        self.names = names;
        self
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

    /// Elements every column has room for.
    #[inline]
    pub fn capacity(&self) -> usize {
        self.cap
    }

    /// The allocator.
    pub fn allocator(&self) -> &A {
        &self.alloc
    }

    /// Makes room for `additional` more elements.
    #[track_caller]
    pub fn reserve(&mut self, additional: usize) {
        if let Err(e) = self.try_reserve(additional) {
            alloc_failed(e)
        }
    }

    /// Fallible twin of [`reserve`](Self::reserve).
    #[track_caller]
    pub fn try_reserve(&mut self, additional: usize) -> Result<(), AllocError> {
        if self.cap - self.len >= additional {
            return Ok(());
        }
        let needed = self
            .len
            .checked_add(additional)
            .ok_or(AllocError::LayoutOverflow)?;
        self.grow_to(needed.max(self.cap.saturating_mul(2)).max(4))
    }

    #[cold]
    #[track_caller]
    fn grow_to(&mut self, new_cap: usize) -> Result<(), AllocError> {
        // A damaged canary of the old block is reported before anything moves.
        self.check_release();
        let (layout, offsets) = block_layout::<C>(new_cap, self.column_align)?;
        let block = self
            .alloc
            .allocate(layout)
            .map_err(|_| AllocError::OutOfMemory {
                requested: layout.size(),
            })?
            .cast::<u8>();
        let new_cols = column_ptrs::<C>(Some(block), &offsets);
        let canary_at = |k: usize| new_cols.0[k].wrapping_add(new_cap * C::LAYOUTS[k].size());
        for (k, element) in C::LAYOUTS.iter().enumerate().take(C::COUNT) {
            // SAFETY: `block_layout` left `column_canary` bytes after the column's
            // `new_cap` elements, inside the fresh block.
            unsafe { ptr::write_bytes(canary_at(k), CANARY, column_canary(element)) };
        }
        for (k, element) in C::LAYOUTS.iter().enumerate().take(C::COUNT) {
            // SAFETY: the old column holds `len` initialized elements of `element.size()`
            // bytes; the new one is a fresh, disjoint block with room for `new_cap >= len`.
            // This moves them bitwise; the old block is freed below without dropping anything.
            unsafe {
                ptr::copy_nonoverlapping(self.cols.0[k], new_cols.0[k], self.len * element.size())
            };
        }
        self.release_block();
        self.base = Some(block);
        self.cols = new_cols;
        self.cap = new_cap;
        self.site = Location::caller();
        Ok(())
    }

    /// Checks the canary after every column (with guards compiled in; otherwise there are
    /// none and this returns `Ok`). Returns the first damaged one.
    ///
    /// The canaries are also checked before the storage moves to a bigger block and when it is
    /// dropped; a damaged one then panics with the report.
    ///
    /// ```
    /// use framealloc::soa::SoaVec;
    ///
    /// let mut v = SoaVec::<(u8, u64)>::new_in(64, allocator_api2::alloc::Global).named(&["kind", "id"]);
    /// v.push((1, 2));
    /// assert!(v.check_guards().is_ok());
    /// let cols = v.column_ptrs(); // each column on its own 64-byte line
    /// assert_eq!((cols[0] as usize % 64, cols[1] as usize % 64), (0, 0));
    /// ```
    pub fn check_guards(&self) -> Result<(), GuardReport> {
        self.check(GuardCheck::OnDemand)
    }

    fn check(&self, checked_at: GuardCheck) -> Result<(), GuardReport> {
        if self.base.is_none() {
            return Ok(());
        }
        for (k, element) in C::LAYOUTS.iter().enumerate().take(C::COUNT) {
            let len = column_canary(element);
            let mut canary = [CANARY; CANARY_LEN];
            let size = self.cap * element.size();
            // SAFETY: with a block, column `k` is followed by `len` canary bytes inside it
            // (`block_layout`), which no element reference covers.
            unsafe {
                ptr::copy_nonoverlapping(
                    self.cols.0[k].wrapping_add(size),
                    canary.as_mut_ptr(),
                    len,
                )
            };
            if let Some((i, found)) = guard::first_damaged(&canary[..len]) {
                return Err(GuardReport {
                    kind: GuardKind::Overrun,
                    site: self.site,
                    tag: None,
                    size,
                    align: self.column_align.max(element.align()),
                    frame: None,
                    offset: (size + i) as isize,
                    found,
                    column: Some(k),
                    column_name: self.names.get(k).copied(),
                    checked_at,
                });
            }
        }
        Ok(())
    }

    /// Checks the canaries before the block is given up; panics with a damaged one.
    fn check_release(&self) {
        if guard::COMPILED_IN {
            if let Err(report) = self.check(GuardCheck::StorageRelease) {
                guard::panic_with(&[report]);
            }
        }
    }

    /// Gives the current block back to the allocator (its elements must already be moved or
    /// dropped).
    fn release_block(&mut self) {
        if let Some(base) = self.base.take() {
            let (layout, _) = block_layout::<C>(self.cap, self.column_align)
                .expect("the current block's layout was valid");
            // SAFETY: `base` was allocated by `self.alloc` with exactly this layout (the same
            // capacity and alignment), and `take` makes sure it is freed once.
            unsafe { self.alloc.deallocate(base, layout) };
        }
    }

    /// Appends an element. The value is fully built before anything is written, and writing
    /// cannot panic, so a panic (in growing) leaves every column the same length.
    ///
    /// ```
    /// use framealloc::soa::SoaVec;
    ///
    /// let mut v: SoaVec<(u32, f32)> = SoaVec::new_in(64, allocator_api2::alloc::Global);
    /// v.push((1, 1.5));
    /// v.extend([(2, 2.5), (3, 3.5)]);
    /// assert_eq!(v.pop(), Some((3, 3.5)));
    /// assert_eq!(v.swap_remove(0), (1, 1.5));
    /// v.truncate(1);
    /// assert_eq!(v.len(), 1);
    /// v.clear();
    /// assert!(v.is_empty());
    /// ```
    #[inline]
    #[track_caller]
    pub fn push(&mut self, value: C) {
        if self.len == self.cap {
            self.reserve(1);
        }
        // SAFETY: `len < cap`: every column has room at `len`, uninitialized.
        unsafe { value.write_at(&self.cols, self.len) };
        self.len += 1;
    }

    /// Removes and returns the last element.
    #[inline]
    pub fn pop(&mut self) -> Option<C> {
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        // SAFETY: the element at the old last index is initialized; lowering `len` first
        // gives it up.
        Some(unsafe { C::read_at(&self.cols, self.len) })
    }

    /// Removes the element at `index`, moving the last element into its place.
    ///
    /// # Panics
    ///
    /// If `index >= len`.
    #[track_caller]
    pub fn swap_remove(&mut self, index: usize) -> C {
        let len = self.len;
        assert!(
            index < len,
            "swap_remove index {index} is out of bounds (len {len})"
        );
        // SAFETY: `index < len`: initialized; it is moved out, and replaced or cut off below.
        let value = unsafe { C::read_at(&self.cols, index) };
        self.len = len - 1;
        if index != len - 1 {
            // SAFETY: the last element is initialized and moved into the hole at `index`;
            // `len` no longer counts its old slot.
            let last = unsafe { C::read_at(&self.cols, len - 1) };
            // SAFETY: slot `index` was vacated above and is inside the columns.
            unsafe { last.write_at(&self.cols, index) };
        }
        value
    }

    /// Inserts `value` at `index`, shifting the elements after it one place up in every
    /// column.
    ///
    /// # Panics
    ///
    /// If `index > len`, or when growing fails.
    ///
    /// ```
    /// use framealloc::soa::SoaVec;
    ///
    /// let mut v: SoaVec<(u32, char)> = SoaVec::new_in(64, allocator_api2::alloc::Global);
    /// v.extend([(1, 'a'), (3, 'c')]);
    /// v.insert(1, (2, 'b'));
    /// assert_eq!(v.remove(0), (1, 'a'));
    /// v.sort_by_key(|(n, _)| core::cmp::Reverse(*n));
    /// assert_eq!(v.slices(), (&[3, 2][..], &['c', 'b'][..]));
    /// v.retain(|(n, _)| *n > 2);
    /// assert_eq!(v.len(), 1);
    /// ```
    #[track_caller]
    pub fn insert(&mut self, index: usize, value: C) {
        let len = self.len;
        assert!(
            index <= len,
            "insertion index {index} is out of bounds (len {len})"
        );
        self.reserve(1);
        for (k, element) in C::LAYOUTS.iter().enumerate().take(C::COUNT) {
            let at = self.cols.0[k].wrapping_add(index * element.size());
            // SAFETY: `index <= len < cap` after the reserve: the `len - index` elements from
            // `index` move one place up inside column `k`.
            unsafe {
                ptr::copy(
                    at,
                    at.wrapping_add(element.size()),
                    (len - index) * element.size(),
                )
            };
        }
        // SAFETY: slot `index` of every column was vacated by the shift.
        unsafe { value.write_at(&self.cols, index) };
        self.len = len + 1;
    }

    /// Removes and returns the element at `index`, shifting the elements after it one place
    /// down in every column.
    ///
    /// # Panics
    ///
    /// If `index >= len`.
    #[track_caller]
    pub fn remove(&mut self, index: usize) -> C {
        let len = self.len;
        assert!(
            index < len,
            "removal index {index} is out of bounds (len {len})"
        );
        // SAFETY: `index < len`: initialized, and moved out here once.
        let value = unsafe { C::read_at(&self.cols, index) };
        for (k, element) in C::LAYOUTS.iter().enumerate().take(C::COUNT) {
            let at = self.cols.0[k].wrapping_add(index * element.size());
            // SAFETY: the `len - index - 1` elements after `index` move one place down over
            // the vacated slot, inside column `k`.
            unsafe {
                ptr::copy(
                    at.wrapping_add(element.size()),
                    at,
                    (len - index - 1) * element.size(),
                )
            };
        }
        self.len = len - 1;
        value
    }

    /// Keeps only the elements for which `keep` returns `true`, in order. Every column stays
    /// the same length even if `keep` or a destructor panics.
    pub fn retain(&mut self, mut keep: impl FnMut(C::Refs<'_>) -> bool) {
        /// Closes the gap between the kept elements (`..write`) and the unvisited ones
        /// (`read..end`) and sets the length, when the loop ends or unwinds.
        struct Gap<'a> {
            cols: &'a ColumnPtrs,
            len: &'a mut usize,
            read: usize,
            write: usize,
            end: usize,
            sizes: [usize; MAX_COLUMNS],
            count: usize,
        }
        impl Drop for Gap<'_> {
            fn drop(&mut self) {
                let rest = self.end - self.read;
                if rest > 0 && self.read != self.write {
                    for k in 0..self.count {
                        let size = self.sizes[k];
                        let col = self.cols.0[k];
                        // SAFETY: `read..end` are initialized and unvisited; they move down to
                        // `write <= read` inside column `k`.
                        unsafe {
                            ptr::copy(
                                col.wrapping_add(self.read * size),
                                col.wrapping_add(self.write * size),
                                rest * size,
                            )
                        };
                    }
                }
                *self.len = self.write + rest;
            }
        }
        let end = self.len;
        // Until the guard sets it, the container counts nothing: whatever happens, no element
        // is dropped twice.
        self.len = 0;
        let mut sizes = [0; MAX_COLUMNS];
        for (k, element) in C::LAYOUTS.iter().enumerate().take(C::COUNT) {
            sizes[k] = element.size();
        }
        let mut g = Gap {
            cols: &self.cols,
            len: &mut self.len,
            read: 0,
            write: 0,
            end,
            sizes,
            count: C::COUNT,
        };
        while g.read < g.end {
            // SAFETY: `read < end`: initialized and unvisited; nothing mutates it while
            // `keep` looks at it.
            let kept = keep(unsafe { C::refs_at(g.cols, g.read) });
            let i = g.read;
            g.read += 1;
            if kept {
                if i != g.write {
                    // SAFETY: element `i` is initialized and moves to the vacated slot
                    // `write < i`.
                    let value = unsafe { C::read_at(g.cols, i) };
                    // SAFETY: slot `write` was vacated (moved or dropped).
                    unsafe { value.write_at(g.cols, g.write) };
                }
                g.write += 1;
            } else {
                // SAFETY: element `i` is initialized and, `read` being past it, no longer
                // counted: dropped exactly once.
                unsafe { C::drop_range(g.cols, i, i + 1) };
            }
        }
    }

    /// Sorts the elements by `compare`, moving every column alike (a stable sort: equal
    /// elements keep their order). The order is found first, on a permutation; if `compare`
    /// panics, nothing has moved.
    pub fn sort_by(
        &mut self,
        mut compare: impl FnMut(C::Refs<'_>, C::Refs<'_>) -> core::cmp::Ordering,
    ) {
        let mut order: Vec<usize> = (0..self.len).collect();
        order.sort_by(|&a, &b| {
            // SAFETY: `a < len`: initialized; nothing mutates it during the sort.
            let ra = unsafe { C::refs_at(&self.cols, a) };
            // SAFETY: as above, for `b`.
            let rb = unsafe { C::refs_at(&self.cols, b) };
            compare(ra, rb)
        });
        self.permute(&order);
    }

    /// Reorders the elements so that element `order[i]` ends up at index `i`, in every
    /// column. Runs no user code; what generated containers sort with.
    ///
    /// # Panics
    ///
    /// If `order` is not a permutation of `0..len` (nothing moves then).
    ///
    /// ```
    /// use framealloc::soa::SoaVec;
    ///
    /// let mut v: SoaVec<(u8, char)> = SoaVec::new_in(64, allocator_api2::alloc::Global);
    /// v.extend([(0, 'a'), (1, 'b'), (2, 'c')]);
    /// v.permute(&[2, 0, 1]);
    /// assert_eq!(v.slices(), (&[2, 0, 1][..], &['c', 'a', 'b'][..]));
    /// v.retain_mask(&[true, false, true]);
    /// assert_eq!(v.slices().1, &['c', 'b']);
    /// assert!(std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| v.permute(&[0, 0]))).is_err());
    /// ```
    #[track_caller]
    pub fn permute(&mut self, order: &[usize]) {
        let len = self.len;
        let mut seen = vec![false; len];
        let valid = order.len() == len
            && order
                .iter()
                .all(|&i| i < len && !core::mem::replace(&mut seen[i], true));
        assert!(
            valid,
            "SoaVec::permute: the order is not a permutation of 0..{len}"
        );
        // Element `order[i]` goes to slot `i`: follow each cycle once, holding one element
        // aside. Moves cannot panic, so the columns are never left half-permuted.
        let mut done = seen;
        done.fill(false);
        for start in 0..len {
            if done[start] || order[start] == start {
                continue;
            }
            // SAFETY: `start < len`: initialized; set aside while its cycle moves.
            let held = unsafe { C::read_at(&self.cols, start) };
            let mut slot = start;
            loop {
                done[slot] = true;
                let from = order[slot];
                if from == start {
                    // SAFETY: `slot` was vacated by the move before it.
                    unsafe { held.write_at(&self.cols, slot) };
                    break;
                }
                // SAFETY: `from` is initialized (each element moves once per cycle) and goes
                // to the vacated `slot`.
                let value = unsafe { C::read_at(&self.cols, from) };
                // SAFETY: as above.
                unsafe { value.write_at(&self.cols, slot) };
                slot = from;
            }
        }
    }

    /// Keeps the elements whose flag in `keep` is `true`, in order, and drops the others;
    /// what generated containers filter with, once their predicate has run over every
    /// element. Every column stays the same length even if a destructor panics.
    ///
    /// # Panics
    ///
    /// If `keep.len() != len` (nothing changes then).
    #[track_caller]
    pub fn retain_mask(&mut self, keep: &[bool]) {
        assert_eq!(
            keep.len(),
            self.len,
            "SoaVec::retain_mask: one flag per element"
        );
        let mut flags = keep.iter();
        self.retain(|_| *flags.next().expect("one flag per element"));
    }

    /// Sorts the elements by the key `key` makes of each (stable), moving every column alike.
    pub fn sort_by_key<K: Ord>(&mut self, mut key: impl FnMut(C::Refs<'_>) -> K) {
        self.sort_by(|a, b| key(a).cmp(&key(b)));
    }

    /// Drops the elements from `len` on.
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len {
            return;
        }
        let old = self.len;
        // Lower `len` first: a panicking destructor then leaks the rest rather than letting
        // the container drop them twice.
        self.len = len;
        // SAFETY: elements `len..old` are initialized and no longer counted.
        unsafe { C::drop_range(&self.cols, len, old) };
    }

    /// Drops every element; keeps the block.
    pub fn clear(&mut self) {
        self.truncate(0);
    }

    /// References to the element at `index`, one per column.
    #[inline]
    pub fn get(&self, index: usize) -> Option<C::Refs<'_>> {
        // SAFETY: `index < len`: initialized; `&self` keeps it from being mutated meanwhile.
        (index < self.len).then(|| unsafe { C::refs_at(&self.cols, index) })
    }

    /// Mutable references to the element at `index`, one per column.
    #[inline]
    pub fn get_mut(&mut self, index: usize) -> Option<C::Muts<'_>> {
        // SAFETY: `index < len`: initialized; `&mut self` makes the borrow unique.
        (index < self.len).then(|| unsafe { C::muts_at(&self.cols, index) })
    }

    /// Every column as a slice.
    ///
    /// ```
    /// use framealloc::soa::SoaVec;
    ///
    /// let mut v: SoaVec<(u32, f32)> = SoaVec::new_in(64, allocator_api2::alloc::Global);
    /// v.reserve(16);
    /// v.extend((0..4).map(|i| (i, i as f32)));
    /// let (ids, weights) = v.slices_mut();
    /// weights.iter_mut().zip(ids.iter()).for_each(|(w, i)| *w += *i as f32);
    /// let (_, weights) = v.slices();
    /// assert_eq!(weights, &[0.0, 2.0, 4.0, 6.0]);
    /// let (id, w) = v.get(3).unwrap();
    /// assert_eq!((*id, *w), (3, 6.0));
    /// assert!(v.capacity() >= 16);
    /// ```
    #[inline]
    pub fn slices(&self) -> C::Slices<'_> {
        // SAFETY: the first `len` elements are initialized; `&self` keeps them unmutated.
        unsafe { C::slices(&self.cols, self.len) }
    }

    /// Every column as a mutable slice, all at once (the columns are disjoint).
    #[inline]
    pub fn slices_mut(&mut self) -> C::SlicesMut<'_> {
        // SAFETY: the first `len` elements are initialized; `&mut self` makes the borrow unique.
        unsafe { C::slices_mut(&self.cols, self.len) }
    }

    /// The columns of the elements in `range`, as slices: a view of part of the container.
    ///
    /// # Panics
    ///
    /// If the range is out of bounds.
    ///
    /// ```
    /// use framealloc::soa::SoaVec;
    ///
    /// let mut v: SoaVec<(u32, char)> = SoaVec::new_in(64, allocator_api2::alloc::Global);
    /// v.extend([(1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')]);
    /// assert_eq!(v.slices_range(1..3), (&[2, 3][..], &['b', 'c'][..]));
    /// let drained: Vec<(u32, char)> = v.drain(..2).collect();
    /// assert_eq!(drained, [(1, 'a'), (2, 'b')]);
    /// let mut tail = v.split_off(1);
    /// assert_eq!((v.len(), tail.len()), (1, 1));
    /// v.append(&mut tail);
    /// assert_eq!(v.slices().1, &['c', 'd']);
    /// ```
    #[track_caller]
    pub fn slices_range(&self, range: impl core::ops::RangeBounds<usize>) -> C::Slices<'_> {
        let (start, end) = crate::addr::checked_range("SoaVec", range, self.len);
        // SAFETY: `start..end` lies within the `len` initialized elements; `&self` keeps them
        // unmutated.
        unsafe { C::slices(&self.offset_cols(start), end - start) }
    }

    /// The columns of the elements in `range`, as mutable slices.
    ///
    /// # Panics
    ///
    /// If the range is out of bounds.
    #[track_caller]
    pub fn slices_range_mut(
        &mut self,
        range: impl core::ops::RangeBounds<usize>,
    ) -> C::SlicesMut<'_> {
        let (start, end) = crate::addr::checked_range("SoaVec", range, self.len);
        // SAFETY: as in `slices_range`; `&mut self` makes the borrow unique.
        unsafe { C::slices_mut(&self.offset_cols(start), end - start) }
    }

    /// The column pointers moved on by `start` elements (inside or one past each column when
    /// `start <= cap`).
    fn offset_cols(&self, start: usize) -> ColumnPtrs {
        let mut cols = self.cols.0;
        for (k, element) in C::LAYOUTS.iter().enumerate().take(C::COUNT) {
            cols[k] = cols[k].wrapping_add(start * element.size());
        }
        ColumnPtrs(cols)
    }

    /// Splits off the elements from `at` on into a new container in a clone of the
    /// allocator.
    ///
    /// # Panics
    ///
    /// If `at > len`, or when allocating fails.
    #[track_caller]
    pub fn split_off(&mut self, at: usize) -> Self
    where
        A: Clone,
    {
        let len = self.len;
        assert!(
            at <= len,
            "split_off index {at} is out of bounds (len {len})"
        );
        let mut tail = SoaVec::new_in(self.column_align, self.alloc.clone()).named(self.names);
        tail.reserve(len - at);
        let from = self.offset_cols(at);
        for (k, element) in C::LAYOUTS.iter().enumerate().take(C::COUNT) {
            // SAFETY: the `len - at` elements from `at` move to the new container's column,
            // which has room for them; the two blocks are distinct.
            unsafe {
                ptr::copy_nonoverlapping(from.0[k], tail.cols.0[k], (len - at) * element.size())
            };
        }
        self.len = at;
        tail.len = len - at;
        tail
    }

    /// Moves every element of `other` to the end of this container, leaving `other` empty.
    ///
    /// # Panics
    ///
    /// When growing fails.
    #[track_caller]
    pub fn append<B: Allocator>(&mut self, other: &mut SoaVec<C, B>) {
        let n = other.len;
        self.reserve(n);
        let to = self.offset_cols(self.len);
        for (k, element) in C::LAYOUTS.iter().enumerate().take(C::COUNT) {
            // SAFETY: `other`'s `n` elements move into this container's spare room (at least
            // `n` after the reserve); the blocks are distinct.
            unsafe { ptr::copy_nonoverlapping(other.cols.0[k], to.0[k], n * element.size()) };
        }
        other.len = 0;
        self.len += n;
    }

    /// Removes the elements in `range` and returns them as an iterator; the elements after
    /// the range move down when it is dropped (the rest of the range is dropped then).
    ///
    /// # Panics
    ///
    /// If the range is out of bounds.
    #[track_caller]
    pub fn drain(&mut self, range: impl core::ops::RangeBounds<usize>) -> SoaDrain<'_, C, A> {
        let len = self.len;
        let (start, end) = crate::addr::checked_range("SoaVec", range, len);
        // The container owns only the head while the iterator lives.
        self.len = start;
        SoaDrain {
            vec: self,
            front: start,
            back: end,
            tail_start: end,
            tail_len: len - end,
        }
    }

    /// The start of each column, for checking their alignment.
    pub fn column_ptrs(&self) -> [*const u8; MAX_COLUMNS] {
        self.cols.0.map(|p| p.cast_const())
    }
}

impl<C: Columns, A: Allocator> Drop for SoaVec<C, A> {
    fn drop(&mut self) {
        /// Gives the block back even when an element's destructor panics.
        struct Release<'a, C: Columns, A: Allocator>(&'a mut SoaVec<C, A>);
        impl<C: Columns, A: Allocator> Drop for Release<'_, C, A> {
            fn drop(&mut self) {
                let damaged = if guard::COMPILED_IN {
                    self.0.check(GuardCheck::StorageRelease).err()
                } else {
                    None
                };
                self.0.release_block();
                if let Some(report) = damaged {
                    // While unwinding, `panic_with` prints the report instead of panicking
                    // again (which would abort).
                    guard::panic_with(&[report]);
                }
            }
        }
        let len = core::mem::replace(&mut self.len, 0);
        let release = Release(self);
        // SAFETY: the first `len` elements are initialized; `len` is zero now, so they are
        // dropped once, here, whether or not a destructor panics.
        unsafe { C::drop_range(&release.0.cols, 0, len) };
    }
}

impl<C: Columns, A: Allocator> Extend<C> for SoaVec<C, A> {
    #[track_caller]
    fn extend<I: IntoIterator<Item = C>>(&mut self, iter: I) {
        let iter = iter.into_iter();
        self.reserve(iter.size_hint().0);
        for value in iter {
            self.push(value);
        }
    }
}

impl<C: Columns, A: Allocator> core::fmt::Debug for SoaVec<C, A> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SoaVec")
            .field("len", &self.len)
            .field("capacity", &self.cap)
            .finish_non_exhaustive()
    }
}

/// What every `#[soa]` container is, for code generic over any of them: the struct it
/// stores (`Item`), its element view (`Ref`), and the operations that take or give whole
/// elements. Each generated container implements it by forwarding to its own methods.
///
/// ```
/// use framealloc::soa;
/// use framealloc::soa::SoaContainer;
///
/// #[soa]
/// struct Enemy { hp: u32, armor: u8 }
/// #[soa]
/// struct Bullet { speed: f32 }
///
/// /// Keeps at most `n` elements of any container, returning how many it dropped.
/// fn cap_to<S: SoaContainer>(s: &mut S, n: usize) -> usize {
///     let extra = s.len().saturating_sub(n);
///     s.truncate(n);
///     extra
/// }
///
/// let mut enemies: EnemySoa = (0..5).map(|i| Enemy { hp: i, armor: 1 }).collect();
/// let mut bullets = BulletSoa::new();
/// bullets.push(Bullet { speed: 1.0 });
/// assert_eq!((cap_to(&mut enemies, 3), cap_to(&mut bullets, 3)), (2, 0));
/// assert_eq!(*SoaContainer::get(&enemies, 2).unwrap().hp, 2);
/// ```
pub trait SoaContainer {
    /// The struct stored, one column per field.
    type Item;
    /// References to one element's fields.
    type Ref<'a>
    where
        Self: 'a;

    /// Number of elements.
    fn len(&self) -> usize;
    /// Whether there are no elements.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Appends an element.
    fn push(&mut self, item: Self::Item);
    /// Removes and returns the last element.
    fn pop(&mut self) -> Option<Self::Item>;
    /// The fields of the element at `index`.
    fn get(&self, index: usize) -> Option<Self::Ref<'_>>;
    /// Inserts an element at `index`, shifting the rest up.
    fn insert(&mut self, index: usize, item: Self::Item);
    /// Removes the element at `index`, shifting the rest down.
    fn remove(&mut self, index: usize) -> Self::Item;
    /// Removes the element at `index`, moving the last into its place.
    fn swap_remove(&mut self, index: usize) -> Self::Item;
    /// Drops the elements from `len` on.
    fn truncate(&mut self, len: usize);
    /// Drops every element.
    fn clear(&mut self) {
        self.truncate(0);
    }
}

/// The elements of a range of a [`SoaVec`], moved out one by one; see [`SoaVec::drain`].
pub struct SoaDrain<'v, C: Columns, A: Allocator> {
    vec: &'v mut SoaVec<C, A>,
    front: usize,
    back: usize,
    tail_start: usize,
    tail_len: usize,
}

impl<C: Columns, A: Allocator> Iterator for SoaDrain<'_, C, A> {
    type Item = C;

    fn next(&mut self) -> Option<C> {
        if self.front == self.back {
            return None;
        }
        self.front += 1;
        // SAFETY: the element at `front - 1` is initialized and, now past `front`, no longer
        // counted: moved out exactly once.
        Some(unsafe { C::read_at(&self.vec.cols, self.front - 1) })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }
}

impl<C: Columns, A: Allocator> DoubleEndedIterator for SoaDrain<'_, C, A> {
    fn next_back(&mut self) -> Option<C> {
        if self.front == self.back {
            return None;
        }
        self.back -= 1;
        // SAFETY: as in `next`, for the element at `back`.
        Some(unsafe { C::read_at(&self.vec.cols, self.back) })
    }
}

impl<C: Columns, A: Allocator> ExactSizeIterator for SoaDrain<'_, C, A> {}

impl<C: Columns, A: Allocator> Drop for SoaDrain<'_, C, A> {
    fn drop(&mut self) {
        /// Moves the tail down to the end of the head in every column, even if dropping the
        /// rest of the range panics.
        struct MoveTail<'r, 'v, C: Columns, A: Allocator>(&'r mut SoaDrain<'v, C, A>);
        impl<C: Columns, A: Allocator> Drop for MoveTail<'_, '_, C, A> {
            fn drop(&mut self) {
                let d = &mut *self.0;
                let start = d.vec.len;
                if d.tail_len > 0 && d.tail_start != start {
                    for (k, element) in C::LAYOUTS.iter().enumerate().take(C::COUNT) {
                        let col = d.vec.cols.0[k];
                        // SAFETY: the tail's elements are initialized; they move down to
                        // `start <= tail_start` inside column `k` (possibly overlapping).
                        unsafe {
                            ptr::copy(
                                col.wrapping_add(d.tail_start * element.size()),
                                col.wrapping_add(start * element.size()),
                                d.tail_len * element.size(),
                            )
                        };
                    }
                }
                d.vec.len = start + d.tail_len;
            }
        }
        let (front, back) = (self.front, self.back);
        self.front = back;
        let guard = MoveTail(self);
        // SAFETY: `front..back` are the range's elements not taken: initialized, no longer
        // counted, dropped once (a panicking destructor leaves the guard to move the tail).
        unsafe { C::drop_range(&guard.0.vec.cols, front, back) };
    }
}

/// The refusal of a struct that implements `Drop`, for `#[soa]`'s generated code.
///
/// A column store never holds a whole value for the struct's destructor to run on, so
/// `#[soa]` refuses such a struct. Rust has no `T: !Drop` bound; instead each generated body
/// that takes a value apart asks `DropProbe` which type its `probe` returns (method lookup
/// prefers the by-value `impl` for `T: Drop` over the by-reference fallback), and only
/// `NotDrop` satisfies `NoDropFor`. The unmet bound is the one error the user sees, in
/// words; it also stops the compiler from adding "cannot move out of a type that implements
/// `Drop`" on the same line.
#[doc(hidden)]
pub mod drop_check {
    use core::marker::PhantomData;

    /// What `probe` is called on: `(&DropProbe::<T>::new()).probe()`.
    pub struct DropProbe<T: ?Sized>(PhantomData<T>);

    #[allow(clippy::new_without_default)] // only generated code makes one
    impl<T: ?Sized> DropProbe<T> {
        /// A probe for `T`.
        #[inline(always)]
        pub const fn new() -> Self {
            DropProbe(PhantomData)
        }
    }

    /// `probe`'s answer for a type without its own `Drop`.
    pub struct NotDrop;
    /// `probe`'s answer for a type that implements `Drop`.
    pub struct ImplementsDrop;

    /// Found first by method lookup, and only for a type that implements `Drop`.
    pub trait ProbeImplementsDrop {
        /// [`ImplementsDrop`].
        #[inline(always)]
        fn probe(&self) -> ImplementsDrop {
            ImplementsDrop
        }
    }
    #[allow(drop_bounds)] // the point: whether `T` itself implements `Drop`
    impl<T: Drop + ?Sized> ProbeImplementsDrop for DropProbe<T> {}

    /// The fallback, one auto-reference later.
    pub trait ProbeNotDrop {
        /// [`NotDrop`].
        #[inline(always)]
        fn probe(&self) -> NotDrop {
            NotDrop
        }
    }
    impl<T: ?Sized> ProbeNotDrop for &DropProbe<T> {}

    /// Met only by [`NotDrop`]: the bound whose failure is the refusal's message.
    #[diagnostic::on_unimplemented(
        message = "`#[soa]` cannot split `{T}` into columns: `{T}` implements `Drop`",
        label = "`{T}` has its own destructor",
        note = "a struct-of-arrays container never holds a whole `{T}` for `Drop::drop` to run on; \
                move the destructor onto a field's type, or remove the `impl Drop`"
    )]
    pub trait NoDropFor<T: ?Sized> {}
    impl<T: ?Sized> NoDropFor<T> for NotDrop {}

    /// Compiles only when `answer` is [`NotDrop`].
    #[inline(always)]
    pub fn assert_no_drop<T: ?Sized, R: NoDropFor<T>>(answer: R) {
        let _ = answer;
    }
}
