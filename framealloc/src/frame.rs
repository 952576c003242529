//! The safe API: [`FrameArena`], [`Frame<'f>`](Frame), nested scopes and the `frame!` block.
//!
//! A frame is a lifetime brand: everything allocated from a `Frame<'f>` is typed with `'f`,
//! and `'f` ends before the arena is reset or the scope rewound, so the borrow checker
//! rejects every use of frame memory after its frame.

mod allocator;
mod arena;
pub(crate) mod config;
mod fallible_init;
mod guarded;
mod scope;

pub(crate) use arena::raw_arena;
pub use arena::{FrameArena, FrameGuard};
pub use config::ArenaConfig;
pub(crate) use scope::{run_scoped, ScopeLink};

use core::alloc::Layout;
use core::fmt;
use core::marker::PhantomData;
use core::mem::{self, MaybeUninit};
use core::ptr::NonNull;

use crate::error::{infallible, AllocError};
use crate::raw::RawArena;
use crate::stats::ArenaStats;

/// A handle to the frame now open on an arena; everything allocated through it lives for
/// `'f` and no longer.
///
/// You get one from [`FrameArena::frame`], [`FrameGuard::frame`], the [`frame!`](crate::frame!)
/// macro, or as the inner frame of [`Frame::scope`]. Allocation takes `&self`, so any number
/// of allocations can be alive at once; the arena is reset when the frame ends, and the
/// lifetime `'f` makes sure none of them is used after that.
///
/// The second lifetime, `'env`, is what frame memory may point into: everything that outlives
/// the frame, such as the variables a [`FrameArena::frame`] closure borrows, or the outer
/// frame's memory inside a [`scope`](Self::scope). In signatures it can usually be elided:
/// `fn update(f: &Frame) { .. }`.
///
/// `Frame<'f, 'env>` is invariant in `'f`, is neither `Clone` nor `Copy`, and is neither
/// `Send` nor `Sync`: its arena is single-threaded and a frame cannot be duplicated into a
/// scope.
///
/// ```
/// use framealloc::FrameArena;
///
/// struct Mesh { vertices: usize }
/// let meshes = vec![Mesh { vertices: 3 }, Mesh { vertices: 4 }];
///
/// let mut arena = FrameArena::new();
/// arena.frame(|mut f| {
///     // A draw list of references to data that outlives the frame.
///     let draw: &mut [&Mesh] = f.alloc_iter(meshes.iter());
///     f.scope(|g| {
///         // A scope may point into its outer frame.
///         let mut big = g.vec::<&Mesh>();
///         big.extend(draw.iter().filter(|m| m.vertices > 3));
///         assert_eq!(big.len(), 1);
///     });
/// });
/// ```
///
/// ```
/// use framealloc::FrameArena;
///
/// let mut arena = FrameArena::new();
/// let total = arena.frame(|f| {
///     let xs = f.alloc_slice_fill_with(8, |i| i as u32);
///     let name = f.alloc_str("player");
///     xs.iter().sum::<u32>() + name.len() as u32
/// });
/// assert_eq!(total, 28 + 6);
/// ```
pub struct Frame<'f, 'env: 'f> {
    /// The arena, shared for `'f` (allocation goes through its `Cell`s). Stored as a pointer
    /// so that the frame's one thread-safety marker is this field: a frame is neither `Send`
    /// nor `Sync`, and the compiler's error says so once.
    raw: NonNull<RawArena>,
    /// The innermost scope this frame is (`None` for the frame itself), so that a
    /// [`FrameHandle`] can tell whether the scope it was made in is still open.
    link: Option<&'f ScopeLink<'f>>,
    _brand: Brand<'f>,
    /// Covariant: a frame may be treated as pointing into less than it may.
    _env: PhantomData<&'env ()>,
}

/// Makes `'f` invariant: a frame of one lifetime can never stand in for one of another.
type Brand<'f> = PhantomData<fn(&'f ()) -> &'f ()>;

/// Rejects, at compile time, element types whose destructor an arena allocation would skip.
pub(crate) struct NoDrop<T>(PhantomData<T>);

impl<T> NoDrop<T> {
    pub(crate) const ASSERT: () = assert!(
        !mem::needs_drop::<T>(),
        "Frame::alloc* cannot hold a type that needs Drop (the arena never runs destructors): \
         use Frame::boxed, whose FrameBox runs Drop, or Frame::vec, whose FrameVec drops its \
         elements"
    );
}

impl<'f, 'env> Frame<'f, 'env> {
    /// A frame of `raw` whose memory is typed with `'f`.
    ///
    /// # Safety
    ///
    /// Nothing resets `raw`, or rewinds it to a checkpoint taken before this call, while
    /// `'f` lasts; and a rewind to a checkpoint taken after this call happens only while the
    /// frame cannot reach the arena (it is not used meanwhile) or the arena is
    /// [fenced](RawArena::fenced) (the frame's containers neither allocate nor give memory
    /// back then). So every block the frame hands out stays valid for all of `'f`.
    #[inline(always)]
    pub(crate) unsafe fn new(raw: &'f RawArena) -> Self {
        Frame {
            raw: NonNull::from(raw),
            link: None,
            _brand: PhantomData,
            _env: PhantomData,
        }
    }

    /// The scope this frame is, if it is one.
    #[inline]
    pub(crate) fn link(&self) -> Option<&'f ScopeLink<'f>> {
        self.link
    }

    /// Whether this frame must not allocate or give memory back now: it has no scope link
    /// and its arena is [fenced](RawArena::fenced) by a scope it cannot see.
    #[inline]
    pub(crate) fn fenced(&self) -> bool {
        self.link.is_none() && self.raw().fenced()
    }

    #[inline(always)]
    pub(crate) fn raw(&self) -> &'f RawArena {
        // SAFETY: `raw` was made from a `&'f RawArena` in `new`, so it is valid for shared
        // access for all of `'f`, and the frame only ever takes shared access.
        unsafe { self.raw.as_ref() }
    }

    /// Checks the canaries of every guarded allocation of this frame now (see
    /// [`crate::guard`]), and returns how many damaged ones it found that were not reported
    /// before. Each is handed to the arena's [`GuardHandler`](crate::guard::GuardHandler)
    /// once: the default handler panics with the first.
    ///
    /// Canaries are also checked when a scope ends and when the frame ends; this finds an
    /// overrun closer to the code that made it. Without guarded allocations this costs one
    /// load and compare.
    ///
    /// ```
    /// use framealloc::guard::GuardHandler;
    /// use framealloc::{ArenaConfig, FrameArena};
    ///
    /// let mut arena = FrameArena::with_config(
    ///     ArenaConfig::new().guards(true).guard_handler(GuardHandler::Collect),
    /// );
    /// arena.frame(|f| {
    ///     let xs = f.alloc_slice_fill_copy(8, 0u16);
    ///     xs[7] = 1;
    ///     assert_eq!(f.check_guards(), 0);
    /// });
    /// ```
    pub fn check_guards(&self) -> usize {
        self.raw().check_guards()
    }

    /// The tag the frame was opened with ([`FrameArena::frame_tagged`], `frame!(arena, tag = ..)`).
    pub fn tag(&self) -> Option<&'static str> {
        self.raw().tag()
    }

    /// The number of this frame: how many frames the arena completed before it.
    pub fn frame_number(&self) -> u64 {
        self.raw().frame_number()
    }

    /// The arena's statistics now, in the middle of this frame.
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|_| {});
    /// arena.frame_tagged("physics", |f| {
    ///     f.alloc_slice_fill_copy(100, 0u32);
    ///     assert_eq!((f.tag(), f.frame_number()), (Some("physics"), 1));
    ///     assert!(f.stats().bytes_used >= 400);
    /// });
    /// ```
    pub fn stats(&self) -> ArenaStats {
        self.raw().stats()
    }

    // ---- raw blocks -------------------------------------------------------------------------

    /// Allocates a raw block for `layout`: valid for `layout.size()` bytes, aligned, and
    /// uninitialized. Zero-sized layouts get a dangling aligned pointer.
    ///
    /// # Performance
    ///
    /// The fast path is align, compare, bump, store.
    ///
    /// ```
    /// use core::alloc::Layout;
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let block = f.alloc_layout(Layout::from_size_align(256, 64).unwrap());
    ///     assert_eq!(block.as_ptr() as usize % 64, 0);
    ///     // SAFETY: the block is valid for 256 bytes until the frame ends.
    ///     unsafe { block.as_ptr().write_bytes(0, 256) };
    ///     assert!(f.try_alloc_layout(Layout::from_size_align(usize::MAX / 2, 1).unwrap()).is_err());
    /// });
    /// ```
    #[inline(always)]
    #[track_caller]
    pub fn alloc_layout(&self, layout: Layout) -> NonNull<u8> {
        infallible(self.try_alloc_layout(layout))
    }

    /// Fallible twin of [`alloc_layout`](Self::alloc_layout).
    #[inline(always)]
    #[track_caller]
    pub fn try_alloc_layout(&self, layout: Layout) -> Result<NonNull<u8>, AllocError> {
        self.raw().try_alloc_layout(layout)
    }

    #[inline(always)]
    #[track_caller]
    fn try_alloc_array<T>(&self, len: usize) -> Result<NonNull<T>, AllocError> {
        let layout = Layout::array::<T>(len).map_err(|_| AllocError::LayoutOverflow)?;
        Ok(self.raw().try_alloc_layout(layout)?.cast())
    }

    // ---- single values ----------------------------------------------------------------------

    /// Moves `value` into the frame.
    ///
    /// `T` must not need `Drop` (the arena never runs destructors); for such types this is a
    /// compile-time error that points to [`boxed`](Self::boxed). `T` may be over-aligned.
    ///
    /// # Performance
    ///
    /// One bump and one write.
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// #[derive(Default)]
    /// struct Contact { a: u32, b: u32, depth: f32 }
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let c = f.alloc(Contact { a: 1, b: 2, depth: 0.5 });
    ///     let d = f.alloc_with(|| Contact { depth: c.depth * 2.0, ..Contact::default() });
    ///     let e: &mut Contact = f.alloc_default();
    ///     let later = f.alloc_uninit::<u64>().write(9);
    ///     c.a += d.b + e.a;
    ///     assert_eq!((c.a, d.depth, *later), (1, 1.0, 9));
    /// });
    /// ```
    #[inline(always)]
    #[track_caller]
    #[doc(alias = "frame_alloc")]
    pub fn alloc<T>(&self, value: T) -> &'f mut T {
        let () = NoDrop::<T>::ASSERT;
        // The slot first, then one move of `value` into it (through a closure it would be
        // copied once more on the way).
        infallible(self.try_alloc_uninit::<T>()).write(value)
    }

    /// Fallible twin of [`alloc`](Self::alloc).
    #[inline(always)]
    #[track_caller]
    pub fn try_alloc<T>(&self, value: T) -> Result<&'f mut T, AllocError> {
        let () = NoDrop::<T>::ASSERT;
        Ok(self.try_alloc_uninit::<T>()?.write(value))
    }

    /// Allocates space and then writes `make()` into it, which lets the compiler build a large
    /// value in place. `T` must not need `Drop`.
    ///
    /// ```
    /// use core::mem::MaybeUninit;
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let table = f.alloc_with(|| [1u64; 512]); // built in place, not on the stack
    ///     let counts: &mut [u32; 8] = f.alloc_default();
    ///     let slot: &mut MaybeUninit<f64> = f.alloc_uninit();
    ///     let x = slot.write(2.5);
    ///     counts[0] += 1;
    ///     assert_eq!((table[511], counts[0], *x), (1, 1, 2.5));
    ///     assert!(f.try_alloc_with(|| 0u8).is_ok());
    /// });
    /// ```
    #[inline(always)]
    #[track_caller]
    pub fn alloc_with<T>(&self, make: impl FnOnce() -> T) -> &'f mut T {
        let () = NoDrop::<T>::ASSERT;
        infallible(self.put_with(make))
    }

    /// Fallible twin of [`alloc_with`](Self::alloc_with); `make` is not called on failure.
    #[inline(always)]
    #[track_caller]
    pub fn try_alloc_with<T>(&self, make: impl FnOnce() -> T) -> Result<&'f mut T, AllocError> {
        let () = NoDrop::<T>::ASSERT;
        self.put_with(make)
    }

    /// The body of the single-value family. Its callers check `NoDrop` themselves, so that a
    /// violation is reported at the user's call.
    #[inline(always)]
    #[track_caller]
    fn put_with<T>(&self, make: impl FnOnce() -> T) -> Result<&'f mut T, AllocError> {
        Ok(self.try_alloc_uninit::<T>()?.write(make()))
    }

    /// Allocates `T::default()`. `T` must not need `Drop`.
    #[inline(always)]
    #[track_caller]
    pub fn alloc_default<T: Default>(&self) -> &'f mut T {
        let () = NoDrop::<T>::ASSERT;
        infallible(self.put_with(T::default))
    }

    /// Fallible twin of [`alloc_default`](Self::alloc_default).
    #[inline(always)]
    #[track_caller]
    pub fn try_alloc_default<T: Default>(&self) -> Result<&'f mut T, AllocError> {
        let () = NoDrop::<T>::ASSERT;
        self.put_with(T::default)
    }

    /// Allocates uninitialized space for one `T` (any `T`: nothing is dropped from a
    /// `MaybeUninit`).
    #[inline(always)]
    #[track_caller]
    pub fn alloc_uninit<T>(&self) -> &'f mut MaybeUninit<T> {
        infallible(self.try_alloc_uninit())
    }

    /// Fallible twin of [`alloc_uninit`](Self::alloc_uninit).
    #[inline(always)]
    #[track_caller]
    pub fn try_alloc_uninit<T>(&self) -> Result<&'f mut MaybeUninit<T>, AllocError> {
        let ptr = self
            .raw()
            .try_alloc_layout(Layout::new::<T>())?
            .cast::<MaybeUninit<T>>();
        // SAFETY: the block is valid, aligned and exclusively ours for `'f` (the arena is not
        // reset or rewound past it while `'f` lasts), and `MaybeUninit` needs no
        // initialization.
        Ok(unsafe { &mut *ptr.as_ptr() })
    }

    // ---- slices -----------------------------------------------------------------------------

    /// Allocates `n` uninitialized `T`s in one step: one bump, whatever `n` is.
    ///
    /// # Performance
    ///
    /// The same cost as one allocation; initializing the elements is the caller's loop.
    ///
    /// ```
    /// # let mut arena = framealloc::FrameArena::new();
    /// # arena.frame(|f| {
    /// let batch = f.alloc_batch::<u64>(1000);
    /// for (i, slot) in batch.iter_mut().enumerate() {
    ///     slot.write(i as u64);
    /// }
    /// # });
    /// ```
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let slots = f.alloc_batch::<[f32; 3]>(1000); // one bookkeeping step for 1000 slots
    ///     for (i, slot) in slots.iter_mut().enumerate() {
    ///         slot.write([i as f32, 0.0, 1.0]);
    ///     }
    ///     assert_eq!(slots.len(), 1000);
    /// });
    /// ```
    #[inline(always)]
    #[track_caller]
    #[doc(alias = "frame_alloc_batch")]
    pub fn alloc_batch<T>(&self, n: usize) -> &'f mut [MaybeUninit<T>] {
        infallible(self.try_alloc_batch(n))
    }

    /// Fallible twin of [`alloc_batch`](Self::alloc_batch).
    #[inline(always)]
    #[track_caller]
    pub fn try_alloc_batch<T>(&self, n: usize) -> Result<&'f mut [MaybeUninit<T>], AllocError> {
        let ptr = self.try_alloc_array::<MaybeUninit<T>>(n)?;
        // SAFETY: the block holds `n` elements (its layout is `Layout::array(n)`), is aligned,
        // exclusively ours for `'f`, and `MaybeUninit` needs no initialization.
        Ok(unsafe { core::slice::from_raw_parts_mut(ptr.as_ptr(), n) })
    }

    /// Copies `src` into the frame.
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let src = [3u32, 1, 2];
    ///     let copy = f.alloc_slice_copy(&src);
    ///     copy.sort_unstable();
    ///     let names = f.alloc_slice_clone(&["a", "b"]);
    ///     let zeros = f.alloc_slice_fill_copy(4, 0u8);
    ///     let squares = f.alloc_slice_fill_with(4, |i| i * i);
    ///     let defaults: &mut [f32] = f.alloc_slice_fill_default(2);
    ///     let evens = f.alloc_iter((0..10).filter(|x| x % 2 == 0).collect::<Vec<_>>());
    ///     let text = f.alloc_str("frame text");
    ///     assert_eq!((copy[0], names[1], zeros.len(), squares[3]), (1, "b", 4, 9));
    ///     assert_eq!((defaults[1], evens.len(), text.len()), (0.0, 5, 10));
    /// });
    /// ```
    #[inline]
    #[track_caller]
    pub fn alloc_slice_copy<T: Copy>(&self, src: &[T]) -> &'f mut [T] {
        infallible(self.try_alloc_slice_copy(src))
    }

    /// Fallible twin of [`alloc_slice_copy`](Self::alloc_slice_copy).
    #[inline]
    #[track_caller]
    pub fn try_alloc_slice_copy<T: Copy>(&self, src: &[T]) -> Result<&'f mut [T], AllocError> {
        let dst = self.try_alloc_batch::<T>(src.len())?;
        // SAFETY: `dst` is a fresh block of `src.len()` elements, so it cannot overlap `src`.
        unsafe {
            core::ptr::copy_nonoverlapping(src.as_ptr(), dst.as_mut_ptr().cast::<T>(), src.len())
        };
        // SAFETY: every element was just initialized by the copy.
        Ok(unsafe { assume_init_slice(dst) })
    }

    /// Clones `src` into the frame. `T` must not need `Drop`.
    #[inline]
    #[track_caller]
    pub fn alloc_slice_clone<T: Clone>(&self, src: &[T]) -> &'f mut [T] {
        let () = NoDrop::<T>::ASSERT;
        infallible(self.fill_with(src.len(), |i| src[i].clone()))
    }

    /// Fallible twin of [`alloc_slice_clone`](Self::alloc_slice_clone).
    #[inline]
    #[track_caller]
    pub fn try_alloc_slice_clone<T: Clone>(&self, src: &[T]) -> Result<&'f mut [T], AllocError> {
        let () = NoDrop::<T>::ASSERT;
        self.fill_with(src.len(), |i| src[i].clone())
    }

    /// Allocates `len` copies of `value`.
    #[inline]
    #[track_caller]
    #[doc(alias = "frame_slice")]
    pub fn alloc_slice_fill_copy<T: Copy>(&self, len: usize, value: T) -> &'f mut [T] {
        infallible(self.try_alloc_slice_fill_copy(len, value))
    }

    /// Fallible twin of [`alloc_slice_fill_copy`](Self::alloc_slice_fill_copy).
    #[inline]
    #[track_caller]
    pub fn try_alloc_slice_fill_copy<T: Copy>(
        &self,
        len: usize,
        value: T,
    ) -> Result<&'f mut [T], AllocError> {
        let dst = self.try_alloc_batch::<T>(len)?;
        // A zero-sized `Copy` value has nothing to write (and `len` may be `usize::MAX`).
        if mem::size_of::<T>() != 0 {
            for slot in dst.iter_mut() {
                slot.write(value);
            }
        }
        // SAFETY: the loop initialized every element.
        Ok(unsafe { assume_init_slice(dst) })
    }

    /// Allocates `len` elements, the `i`-th being `make(i)`. `T` must not need `Drop`.
    ///
    /// If `make` panics, the elements made so far are left in the frame (they need no drop).
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let squares = f.alloc_slice_fill_with(5, |i| i * i);
    ///     let zeros = f.alloc_slice_fill_copy(4, 0.0f32);
    ///     let defaults: &mut [u16] = f.alloc_slice_fill_default(3);
    ///     let words = f.alloc_slice_clone(&["a", "b"]);
    ///     assert_eq!((squares[4], zeros.len(), defaults, &words[..]), (16, 4, &mut [0u16; 3][..], &["a", "b"][..]));
    /// });
    /// ```
    #[inline]
    #[track_caller]
    pub fn alloc_slice_fill_with<T>(
        &self,
        len: usize,
        make: impl FnMut(usize) -> T,
    ) -> &'f mut [T] {
        let () = NoDrop::<T>::ASSERT;
        infallible(self.fill_with(len, make))
    }

    /// Fallible twin of [`alloc_slice_fill_with`](Self::alloc_slice_fill_with).
    #[inline]
    #[track_caller]
    pub fn try_alloc_slice_fill_with<T>(
        &self,
        len: usize,
        make: impl FnMut(usize) -> T,
    ) -> Result<&'f mut [T], AllocError> {
        let () = NoDrop::<T>::ASSERT;
        self.fill_with(len, make)
    }

    /// The body of the slice family; its callers check `NoDrop`.
    #[inline(always)]
    #[track_caller]
    fn fill_with<T>(
        &self,
        len: usize,
        make: impl FnMut(usize) -> T,
    ) -> Result<&'f mut [T], AllocError> {
        Ok(init_with(self.try_alloc_batch::<T>(len)?, make))
    }

    /// Allocates `len` default values. `T` must not need `Drop`.
    #[inline]
    #[track_caller]
    pub fn alloc_slice_fill_default<T: Default>(&self, len: usize) -> &'f mut [T] {
        let () = NoDrop::<T>::ASSERT;
        infallible(self.fill_with(len, |_| T::default()))
    }

    /// Fallible twin of [`alloc_slice_fill_default`](Self::alloc_slice_fill_default).
    #[inline]
    #[track_caller]
    pub fn try_alloc_slice_fill_default<T: Default>(
        &self,
        len: usize,
    ) -> Result<&'f mut [T], AllocError> {
        let () = NoDrop::<T>::ASSERT;
        self.fill_with(len, |_| T::default())
    }

    /// Collects any iterator into the frame. `T` must not need `Drop`.
    ///
    /// An iterator whose size hint is exact (every `ExactSizeIterator`, ranges, arrays,
    /// `map`s of them) is collected in one allocation of that length; one that yields fewer
    /// items than it promised gives a shorter slice, and items beyond it are not taken. Any
    /// other iterator (`filter`, `flat_map`, ...) is collected into a vector that grows as the
    /// frame's newest allocation, and the slice gives the unused room back.
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let evens = f.alloc_iter((0..10u32).map(|i| i * 2));
    ///     assert_eq!(evens.len(), 10);
    ///     let odd_squares = f.alloc_iter((0..10u32).filter(|i| i % 2 == 1).map(|i| i * i));
    ///     assert_eq!(odd_squares, [1, 9, 25, 49, 81]);
    ///     assert!(f.try_alloc_iter([1u8, 2, 3]).is_ok());
    /// });
    /// ```
    #[inline]
    #[track_caller]
    pub fn alloc_iter<T, I>(&self, iter: I) -> &'f mut [T]
    where
        I: IntoIterator<Item = T>,
    {
        let () = NoDrop::<T>::ASSERT;
        infallible(self.collect(iter.into_iter()))
    }

    /// Fallible twin of [`alloc_iter`](Self::alloc_iter).
    #[inline]
    #[track_caller]
    pub fn try_alloc_iter<T, I>(&self, iter: I) -> Result<&'f mut [T], AllocError>
    where
        I: IntoIterator<Item = T>,
    {
        let () = NoDrop::<T>::ASSERT;
        self.collect(iter.into_iter())
    }

    /// The body of `alloc_iter`; its callers check `NoDrop`.
    #[inline(always)]
    #[track_caller]
    fn collect<T>(&self, mut iter: impl Iterator<Item = T>) -> Result<&'f mut [T], AllocError> {
        match iter.size_hint() {
            (len, Some(upper)) if len == upper => {
                let dst = self.try_alloc_batch::<T>(len)?;
                let mut written = 0;
                for slot in dst.iter_mut() {
                    let Some(item) = iter.next() else { break };
                    slot.write(item);
                    written += 1;
                }
                // SAFETY: the first `written` elements were initialized by the loop.
                Ok(unsafe { assume_init_slice(&mut dst[..written]) })
            }
            (lower, _) => {
                let mut v = crate::vec::FrameVec::new_in(self);
                v.try_reserve(lower)?;
                for item in iter {
                    v.try_push(item).map_err(|(_, e)| e)?;
                }
                Ok(v.into_slice())
            }
        }
    }

    /// Copies a string into the frame.
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let name = f.alloc_str("enemy");
    ///     name.make_ascii_uppercase();
    ///     assert_eq!(name, "ENEMY");
    /// });
    /// ```
    #[inline]
    #[track_caller]
    pub fn alloc_str(&self, src: &str) -> &'f mut str {
        infallible(self.try_alloc_str(src))
    }

    /// Fallible twin of [`alloc_str`](Self::alloc_str).
    #[inline]
    #[track_caller]
    pub fn try_alloc_str(&self, src: &str) -> Result<&'f mut str, AllocError> {
        let bytes = self.try_alloc_slice_copy(src.as_bytes())?;
        // SAFETY: the bytes are a copy of a `str`, so they are valid UTF-8.
        Ok(unsafe { core::str::from_utf8_unchecked_mut(bytes) })
    }
}

/// Writes `make(i)` into every slot `i` of `dst`. If `make` panics, the elements written so far
/// stay in the frame (frame types need no drop).
#[inline(always)]
pub(crate) fn init_with<T>(
    dst: &mut [MaybeUninit<T>],
    mut make: impl FnMut(usize) -> T,
) -> &mut [T] {
    for (i, slot) in dst.iter_mut().enumerate() {
        slot.write(make(i));
    }
    // SAFETY: the loop initialized every element.
    unsafe { assume_init_slice(dst) }
}

/// # Safety
///
/// The elements of `slice` are initialized.
#[inline(always)]
unsafe fn assume_init_slice<T>(slice: &mut [MaybeUninit<T>]) -> &mut [T] {
    // SAFETY: `MaybeUninit<T>` has the layout of `T`, and the caller guarantees every element
    // is initialized.
    unsafe { &mut *(slice as *mut [MaybeUninit<T>] as *mut [T]) }
}

impl fmt::Debug for Frame<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Frame")
            .field("frame_number", &self.frame_number())
            .field("tag", &self.tag())
            .field("stats", &self.stats())
            .finish()
    }
}
