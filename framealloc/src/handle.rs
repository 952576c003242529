//! [`FrameHandle<T>`]: frame memory without a lifetime, checked on every access.

use core::fmt;
use core::marker::PhantomData;
use core::ptr::NonNull;

use crate::error::{infallible, AllocError};
use crate::frame::{Frame, NoDrop};

/// A value in frame memory, reachable without a lifetime parameter: for the places that
/// cannot carry one (an ECS resource, a handle stored in a component).
///
/// Made by [`Frame::handle`]. The handle remembers its arena, its frame's number and the
/// scope it was made in; every access goes through a [`Frame`] and checks them, so a stale
/// handle (a later frame, another arena, a scope that has ended) gives `None` from
/// [`try_get`](Self::try_get) and a clear panic from [`get`](Self::get), and never reads
/// memory that has been reused. The reference an access returns borrows the frame, so it
/// cannot outlive the frame either.
///
/// A handle is neither `Clone` nor `Copy` (so [`get_mut`](Self::get_mut) is the only path to
/// its value's `&mut`); it is `Send`/`Sync` when `T` is.
///
/// # Two kinds of handle
///
/// - [`Frame::handle`] makes a handle of one arena's frame (or scope): it is read through a
///   `Frame` of that same arena, so on the thread that owns the arena.
/// - [`SmartFrame::handle`](crate::SmartFrame::handle) makes a handle of a [`SmartAlloc`]'s
///   frame: it is read through that `SmartFrame`, from any thread, until the allocator's
///   frame ends (for example, data made by one ECS system and read by another in the same
///   update).
///
/// Both are checked the same way; reading one kind through the other kind of frame gives
/// `None`.
///
/// [`SmartAlloc`]: crate::SmartAlloc
///
/// # Performance
///
/// An access compares the arena identity and the frame number (two loads and two compares
/// beside the frame's own). A handle made inside a scope adds one pointer hop per scope level
/// between the frame it is read through and the scope that made it (none when it is read in
/// that same scope).
///
/// ```
/// use framealloc::{FrameArena, FrameHandle};
///
/// struct Resources { scratch: Option<FrameHandle<[u32; 64]>> }
///
/// let mut arena = FrameArena::new();
/// let mut res = Resources { scratch: None };
/// arena.frame(|f| {
///     res.scratch = Some(f.handle([0; 64]));
///     let scratch = res.scratch.as_mut().unwrap();
///     scratch.get_mut(&f)[3] = 7;
///     assert_eq!(scratch.get(&f)[3], 7);
/// });
/// arena.frame(|f| {
///     // Last frame's handle is stale now.
///     assert!(res.scratch.as_ref().unwrap().try_get(&f).is_none());
/// });
/// ```
pub struct FrameHandle<T> {
    ptr: NonNull<T>,
    /// Identity of the arena that made it.
    arena: u64,
    /// Number of the frame that made it.
    frame: u64,
    /// Depth of the scope that made it (0: the frame itself).
    depth: usize,
    /// Serial number of that scope (0 for the frame itself).
    scope: u64,
    _owns: PhantomData<T>,
}

// SAFETY: the handle is the only path to its value (it is not `Clone`), so sending it sends
// the value: sound when `T: Send`. Reaching the value needs a `Frame` of the handle's arena on
// the receiving thread (the arena moved there too), or the allocator's `SmartFrame`, whose
// memory stays put, in whichever thread's arena holds it, until that frame ends.
unsafe impl<T: Send> Send for FrameHandle<T> {}
// SAFETY: `&FrameHandle` only gives `&T` (through `get`), which may be shared across threads
// when `T: Sync`.
unsafe impl<T: Sync> Sync for FrameHandle<T> {}

/// What a [`FrameHandle`] is read through: a [`Frame`] (handles of an arena's frame) or a
/// [`SmartFrame`](crate::SmartFrame) (handles of an allocator's frame). Sealed.
pub trait HandleScope: sealed::Sealed {}

pub(crate) mod sealed {
    /// Where a handle was made, as `HandleScope` checks it.
    pub struct Origin {
        /// The arena's id, or a `SmartAlloc`'s id with [`SMART`] set.
        pub(crate) owner: u64,
        pub(crate) frame: u64,
        pub(crate) depth: usize,
        pub(crate) scope: u64,
    }

    /// Set in [`Origin::owner`] for handles of a `SmartAlloc`'s frame, whose ids count from 1
    /// like arena ids: the two kinds never compare equal.
    pub(crate) const SMART: u64 = 1 << 63;

    pub trait Sealed {
        /// Whether a value made at `origin` can be read through `self`.
        fn admits(&self, origin: &Origin) -> bool;
        /// (owner, frame) of `self`, for the stale-handle message.
        fn whereabouts(&self) -> (u64, u64);
    }
}

use sealed::{Origin, Sealed};

impl Sealed for Frame<'_, '_> {
    #[inline]
    fn admits(&self, origin: &Origin) -> bool {
        let raw = self.raw();
        if raw.id() != origin.owner || raw.frame_number() != origin.frame {
            return false;
        }
        if origin.depth == 0 {
            return true;
        }
        let mut link = self.link();
        while let Some(scope) = link {
            if scope.depth == origin.depth {
                return scope.serial == origin.scope;
            }
            if scope.depth < origin.depth {
                break;
            }
            link = scope.parent;
        }
        false
    }

    fn whereabouts(&self) -> (u64, u64) {
        (self.raw().id(), self.raw().frame_number())
    }
}

impl HandleScope for Frame<'_, '_> {}

impl<T> FrameHandle<T> {
    /// A handle to `ptr`, a value allocated from the allocator's frame (see
    /// [`SmartFrame::handle`](crate::SmartFrame::handle)).
    pub(crate) fn of_smart_frame(ptr: NonNull<T>, alloc_id: u64, frame: u64) -> Self {
        FrameHandle {
            ptr,
            arena: alloc_id | sealed::SMART,
            frame,
            depth: 0,
            scope: 0,
            _owns: PhantomData,
        }
    }

    fn origin(&self) -> Origin {
        Origin {
            owner: self.arena,
            frame: self.frame,
            depth: self.depth,
            scope: self.scope,
        }
    }

    /// A handle to `ptr`, a value just allocated from `frame`.
    pub(crate) fn new(ptr: NonNull<T>, frame: &Frame<'_, '_>) -> Self {
        let raw = frame.raw();
        let (depth, scope) = frame.link().map_or((0, 0), |l| (l.depth, l.serial));
        FrameHandle {
            ptr,
            arena: raw.id(),
            frame: raw.frame_number(),
            depth,
            scope,
            _owns: PhantomData,
        }
    }

    /// Whether the value can be read through `frame`: for a handle of an arena's frame, the
    /// same arena, the same frame, and the scope that made it still open (`frame` is that
    /// scope or one nested in it); for a handle of a `SmartAlloc`'s frame, that allocator's
    /// frame, still open.
    #[inline]
    pub fn is_valid<F: HandleScope + ?Sized>(&self, frame: &F) -> bool {
        frame.admits(&self.origin())
    }

    /// The value, or `None` if the handle is stale for `frame` (see [`is_valid`](Self::is_valid)).
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// let mut kept = None;
    /// arena.frame(|f| {
    ///     let mut h = f.handle(5u32);
    ///     *h.get_mut(&f) += 1;
    ///     assert_eq!((h.try_get(&f), h.is_valid(&f)), (Some(&6), true));
    ///     kept = Some(h);
    /// });
    /// let stale = kept.unwrap();
    /// arena.frame(|f| {
    ///     assert!(stale.try_get(&f).is_none()); // the frame it was made in has ended
    ///     assert!(!stale.is_valid(&f));
    /// });
    /// ```
    #[inline]
    pub fn try_get<'a, F: HandleScope + ?Sized>(&'a self, frame: &'a F) -> Option<&'a T> {
        if !self.is_valid(frame) {
            return None;
        }
        // SAFETY: `is_valid` says the block was allocated from this arena in this frame, in a
        // scope that is still open: nothing has rewound or reset the memory since, so it still
        // holds the value `Frame::handle` wrote. Only this handle points at it, and `&self`
        // keeps `get_mut` away. The reference borrows `frame`, which cannot outlive its frame
        // or scope, so it is not used after the memory is released.
        Some(unsafe { self.ptr.as_ref() })
    }

    /// The value, mutably, or `None` if the handle is stale for `frame`.
    #[inline]
    pub fn try_get_mut<'a, F: HandleScope + ?Sized>(
        &'a mut self,
        frame: &'a F,
    ) -> Option<&'a mut T> {
        if !self.is_valid(frame) {
            return None;
        }
        // SAFETY: as in `try_get`; `&mut self` makes this the only reference to the value.
        Some(unsafe { self.ptr.as_mut() })
    }

    /// The value.
    ///
    /// # Panics
    ///
    /// If the handle is stale for `frame`, with a message saying where it was made.
    #[inline]
    #[track_caller]
    pub fn get<'a, F: HandleScope + ?Sized>(&'a self, frame: &'a F) -> &'a T {
        match self.try_get(frame) {
            Some(value) => value,
            None => self.stale(frame),
        }
    }

    /// The value, mutably.
    ///
    /// # Panics
    ///
    /// If the handle is stale for `frame`, with a message saying where it was made.
    #[inline]
    #[track_caller]
    pub fn get_mut<'a, F: HandleScope + ?Sized>(&'a mut self, frame: &'a F) -> &'a mut T {
        if !self.is_valid(frame) {
            self.stale(frame)
        }
        // SAFETY: as in `try_get_mut`.
        unsafe { self.ptr.as_mut() }
    }

    #[cold]
    #[inline(never)]
    #[track_caller]
    fn stale<F: HandleScope + ?Sized>(&self, frame: &F) -> ! {
        let (now_arena, now) = frame.whereabouts();
        let made = match self.depth {
            0 => String::new(),
            depth => format!(", scope depth {depth}"),
        };
        let reason = if now_arena & sealed::SMART != self.arena & sealed::SMART {
            if self.arena & sealed::SMART != 0 {
                "it is a handle of a SmartAlloc's frame, read through a SmartFrame"
            } else {
                "it is a handle of an arena's frame, read through a Frame of that arena"
            }
        } else if now_arena != self.arena {
            "it belongs to another arena"
        } else if now != self.frame {
            "its frame has ended"
        } else {
            "the scope that made it has ended"
        };
        panic!(
            "stale FrameHandle<{ty}>: {reason} (made in frame {frame} of {kind} #{arena}{made}, \
             used in frame {now} of {now_kind} #{now_arena}); a frame handle is valid only in \
             the frame and scope that made it, so make a new one each frame",
            ty = core::any::type_name::<T>(),
            kind = owner_kind(self.arena),
            now_kind = owner_kind(now_arena),
            frame = self.frame,
            arena = self.arena & !sealed::SMART,
            now_arena = now_arena & !sealed::SMART,
        )
    }
}

fn owner_kind(owner: u64) -> &'static str {
    if owner & sealed::SMART != 0 {
        "allocator"
    } else {
        "arena"
    }
}

impl<'f> Frame<'f, '_> {
    /// Moves `value` into the frame and returns a [`FrameHandle`] to it: a handle without a
    /// lifetime, for places that cannot carry one (an ECS resource, a component), checked on
    /// every access. `T` must not need `Drop`.
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     let mut h = f.handle([1.0f32; 4]);
    ///     h.get_mut(&f)[0] = 2.0;
    ///     assert_eq!(h.get(&f)[0], 2.0);
    /// });
    /// ```
    #[inline]
    #[track_caller]
    pub fn handle<T: 'f>(&self, value: T) -> FrameHandle<T> {
        let () = NoDrop::<T>::ASSERT;
        infallible(self.try_handle(value))
    }

    /// Fallible twin of [`handle`](Self::handle).
    #[inline]
    #[track_caller]
    pub fn try_handle<T: 'f>(&self, value: T) -> Result<FrameHandle<T>, AllocError> {
        let () = NoDrop::<T>::ASSERT;
        let slot = self.try_alloc_uninit::<T>()?;
        Ok(FrameHandle::new(NonNull::from(slot.write(value)), self))
    }
}

impl<T> fmt::Debug for FrameHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FrameHandle")
            .field("arena", &self.arena)
            .field("frame", &self.frame)
            .field("scope_depth", &self.depth)
            .finish_non_exhaustive()
    }
}
