//! Scopes: an inner frame on a checkpoint of the outer one's arena, rewound when its closure
//! returns or unwinds.

use core::marker::PhantomData;
use core::mem::ManuallyDrop;
use core::ptr::NonNull;

use super::Frame;
use crate::raw::{Checkpoint, RawArena};

/// One open scope, living on the stack of [`Frame::scope`] for as long as the scope is open;
/// the chain of parents is the stack of open scopes.
pub(crate) struct ScopeLink<'a> {
    /// Unique within the arena: scopes are numbered as they open.
    pub(crate) serial: u64,
    /// 1 for a scope of the frame itself, 2 for a scope inside that, ...
    pub(crate) depth: usize,
    pub(crate) parent: Option<&'a ScopeLink<'a>>,
}

/// Runs `body` on a new frame of `raw` that is a scope below `parent` (`None`: a scope of
/// depth 1 with no parent, the form the facade's per-thread frames take), and rewinds the
/// arena to where it was when `body` returns or unwinds.
///
/// # Safety
///
/// While `body` runs, nothing but the frame given to `body` (and frames and scopes made
/// from it) allocates from `raw`, resets it or rewinds it to a checkpoint taken before this
/// call.
// Always inlined, as the closure is: a scope is a checkpoint and a rewind around the body,
// and out of line it would cost a call and five saved registers more than the two.
#[inline(always)]
pub(crate) unsafe fn run_scoped<'p, 'env, R>(
    raw: &RawArena,
    parent: Option<&'p ScopeLink<'p>>,
    body: impl for<'g> FnOnce(Frame<'g, 'env>) -> R,
) -> R {
    /// Rewinds the arena if `body` unwinds; on return the rewind is done inline and the
    /// guard forgotten. Its drop is one call with the checkpoint in registers, small enough
    /// to be inlined into the landing pad, so the checkpoint stays in registers across
    /// `body` instead of being kept in memory for an out-of-line drop.
    struct RewindOnUnwind<'a> {
        raw: &'a RawArena,
        checkpoint: Checkpoint,
    }
    impl Drop for RewindOnUnwind<'_> {
        #[inline(always)]
        fn drop(&mut self) {
            // SAFETY: as for the rewind on return below: `body` has unwound.
            unsafe { rewind_after_unwind(self.raw, self.checkpoint) }
        }
    }
    let link = ScopeLink {
        serial: raw.next_scope_serial(),
        depth: parent.map_or(1, |l| l.depth + 1),
        parent,
    };
    let guard = RewindOnUnwind {
        raw,
        checkpoint: raw.checkpoint(),
    };
    let result = body(Frame {
        raw: NonNull::from(raw),
        link: Some(&link),
        _brand: PhantomData,
        _env: PhantomData,
    });
    let guard = ManuallyDrop::new(guard);
    // SAFETY: the checkpoint was taken on this arena just before the inner frame was
    // created, and `run_scoped`'s caller guarantees that meanwhile only that frame
    // allocated from the arena and nothing reset it or rewound it past the checkpoint. So
    // every block after the checkpoint belongs to the inner frame, typed with its lifetime,
    // which `body`'s higher-ranked signature keeps from escaping `body`, which has returned.
    unsafe { raw.rewind(&guard.checkpoint) };
    result
}

/// The rewind of a scope whose closure unwound (see `run_scoped`): out of line and cold.
///
/// # Safety
///
/// As for [`RawArena::rewind`]: `checkpoint` was taken on `raw` when the scope opened, and
/// the scope's closure has unwound.
#[cold]
#[inline(never)]
unsafe fn rewind_after_unwind(raw: &RawArena, checkpoint: Checkpoint) {
    // SAFETY: the caller's guarantees, passed on.
    unsafe { raw.rewind(&checkpoint) }
}

impl<'f> Frame<'f, '_> {
    /// Opens a nested scope: `body` gets an inner frame, and everything it allocates is
    /// released when `body` returns (or unwinds), rewinding the arena to where it was. The
    /// inner frame's memory may point into this frame's (its `'env` is this frame's `'f`).
    ///
    /// The outer frame is borrowed mutably meanwhile, so it cannot allocate inside the scope
    /// (not directly, and not through a [`FrameVec`](crate::FrameVec) or allocator-api2 collection holding it),
    /// which is what makes the rewind safe. The value `body` returns cannot borrow the inner
    /// frame.
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|mut f| {
    ///     let kept = f.alloc(1u64);
    ///     let before = f.stats().bytes_used;
    ///     let n = f.scope(|g| g.alloc_slice_fill_copy(1000, 0u8).len());
    ///     assert_eq!(n, 1000);
    ///     assert_eq!(f.stats().bytes_used, before);
    ///     *kept += 1;
    /// });
    /// ```
    #[inline(always)]
    pub fn scope<R>(&mut self, body: impl for<'g> FnOnce(Frame<'g, 'f>) -> R) -> R {
        // SAFETY: the outer frame is mutably borrowed for the whole call and the arena is
        // borrowed by it, so nothing else allocates from the arena, resets it or rewinds it to
        // an older checkpoint while `body` runs: nested scopes only rewind to checkpoints
        // taken after this one.
        unsafe { run_scoped(self.raw(), self.link, body) }
    }
}
