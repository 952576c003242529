//! [`FrameArena`] and the [`FrameGuard`] form of a frame.

use core::fmt;

use super::config::ArenaConfig;
use super::Frame;
use crate::guard::GuardReport;
use crate::raw::{GuardSettings, RawArena};
use crate::stats::ArenaStats;

/// A chunked bump arena, reset once per frame.
///
/// All allocation goes through a [`Frame`], opened with [`frame`](Self::frame) (a closure),
/// [`begin_frame`](Self::begin_frame) (a guard) or the [`frame!`](crate::frame!) block. When
/// the frame ends the arena is reset: its chunks are kept for the next frames as its
/// [`Retention`](crate::Retention) says (by default, what recent frames needed), so after
/// warm-up a steady frame loop never calls the system allocator.
///
/// ```
/// use framealloc::FrameArena;
///
/// #[derive(Clone, Copy, Default)]
/// struct Particle { pos: [f32; 3], vel: [f32; 3] }
///
/// let mut arena = FrameArena::new();
/// for _ in 0..3 {
///     arena.frame(|f| {
///         let particles = f.alloc_slice_fill_default::<Particle>(1000);
///         for p in particles.iter_mut() {
///             p.pos[0] += p.vel[0];
///         }
///     });
/// }
/// assert_eq!(arena.stats().frame_number, 3);
/// ```
pub struct FrameArena {
    raw: RawArena,
}

impl FrameArena {
    /// An arena with the default [`ArenaConfig`]. Allocates nothing until first used.
    pub fn new() -> Self {
        Self::with_config(ArenaConfig::new())
    }

    /// An arena with the given configuration. Allocates nothing until first used.
    ///
    /// ```
    /// use framealloc::{ArenaConfig, FrameArena};
    ///
    /// let mut arena = FrameArena::with_config(ArenaConfig::new().first_chunk_size(1 << 20).budget(Some(4 << 20)));
    /// assert_eq!(arena.budget(), Some(4 << 20));
    /// arena.frame(|f| assert_eq!(f.alloc_slice_fill_copy(1000, 1u8).len(), 1000));
    /// ```
    pub fn with_config(config: ArenaConfig) -> Self {
        FrameArena {
            raw: raw_arena(config),
        }
    }

    /// The most bytes in use at once since the last call (or since the arena was made),
    /// alignment padding included, and starts a new period. Call it after each
    /// [`frame`](Self::frame) for per-frame peaks: memory a scope released counts at its peak.
    /// ([`ArenaStats::high_water_mark`](crate::ArenaStats::high_water_mark) is the same
    /// figure over the arena's whole life.)
    ///
    /// ```
    /// use framealloc::{ArenaConfig, FrameArena};
    ///
    /// // Without debug canaries, whose bytes would count too.
    /// let mut arena = FrameArena::with_config(ArenaConfig::new().guards(false));
    /// arena.frame(|mut f| {
    ///     f.alloc([0u8; 100]);
    ///     f.scope(|g| g.alloc([0u8; 400]).len()); // released at the scope's end
    /// });
    /// assert_eq!(arena.take_peak(), 500);
    /// arena.frame(|f| f.alloc([0u8; 48]).len());
    /// assert_eq!(arena.take_peak(), 48);
    /// assert_eq!(arena.take_peak(), 0); // nothing since
    /// assert_eq!(arena.stats().high_water_mark, 500);
    /// ```
    pub fn take_peak(&mut self) -> usize {
        self.raw.take_peak()
    }

    /// Runs one frame: `body` gets the frame, and the arena is reset when it returns (or
    /// unwinds). Returns what `body` returns, which cannot borrow the frame.
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// for frame in 0..3 {
    ///     let total = arena.frame_tagged("physics", |f| {
    ///         assert_eq!(f.tag(), Some("physics"));
    ///         f.alloc_slice_fill_copy(1000, 1u32).iter().sum::<u32>()
    ///     });
    ///     assert_eq!(total, 1000);
    ///     assert_eq!(arena.frame_number(), frame + 1);
    /// }
    /// let stats = arena.stats(); // between frames: nothing in use, the chunk kept
    /// assert_eq!((stats.bytes_used, stats.chunks), (0, 1));
    /// assert!(stats.high_water_mark >= 4000);
    /// ```
    pub fn frame<'env, R>(&mut self, body: impl for<'f> FnOnce(Frame<'f, 'env>) -> R) -> R {
        self.run(None, body)
    }

    /// [`frame`](Self::frame) with a tag, shown by [`Frame::tag`] and in budget errors.
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// let n = arena.frame_tagged("ai", |f| {
    ///     assert_eq!(f.tag(), Some("ai"));
    ///     f.alloc_slice_fill_copy(10, 0u8).len()
    /// });
    /// let mut guard = arena.begin_frame_tagged("render");
    /// assert_eq!((n, guard.frame().tag()), (10, Some("render")));
    /// ```
    pub fn frame_tagged<'env, R>(
        &mut self,
        tag: &'static str,
        body: impl for<'f> FnOnce(Frame<'f, 'env>) -> R,
    ) -> R {
        self.run(Some(tag), body)
    }

    fn run<'env, R>(
        &mut self,
        tag: Option<&'static str>,
        body: impl for<'f> FnOnce(Frame<'f, 'env>) -> R,
    ) -> R {
        struct ResetOnExit<'a>(&'a RawArena);
        impl Drop for ResetOnExit<'_> {
            fn drop(&mut self) {
                // SAFETY: this runs after `body` has returned or unwound. Every block of the
                // frame is typed with the frame's lifetime, which `body`'s higher-ranked
                // signature keeps from escaping into its return value or captures, so no
                // reference to one is used after this point.
                unsafe { self.0.reset() }
            }
        }
        self.raw.set_tag(tag);
        let _reset = ResetOnExit(&self.raw);
        // SAFETY: the arena is borrowed mutably for the whole call, so only this frame can
        // reach it until `_reset` resets it, after `body` (whose higher-ranked signature keeps
        // `'f` from escaping) has returned or unwound.
        body(unsafe { Frame::new(&self.raw) })
    }

    /// Opens a frame that ends when the returned guard is dropped, for loops where a closure
    /// is awkward. Allocate through [`FrameGuard::frame`]; the allocations borrow the guard,
    /// so the guard cannot be dropped (and the arena reset) while any of them is in use.
    ///
    /// ```
    /// # let mut arena = framealloc::FrameArena::new();
    /// for _ in 0..2 {
    ///     let mut fg = arena.begin_frame();
    ///     let f = fg.frame();
    ///     let xs = f.alloc_slice_fill_copy(16, 1u32);
    ///     assert_eq!(xs.iter().sum::<u32>(), 16);
    /// } // reset here
    /// ```
    pub fn begin_frame(&mut self) -> FrameGuard<'_> {
        self.raw.set_tag(None);
        FrameGuard { arena: self }
    }

    /// [`begin_frame`](Self::begin_frame) with a tag.
    pub fn begin_frame_tagged(&mut self, tag: &'static str) -> FrameGuard<'_> {
        self.raw.set_tag(Some(tag));
        FrameGuard { arena: self }
    }

    /// Releases everything and starts the next frame. Frames reset on their own; this is for
    /// code that holds the arena between frames and wants its memory back (retention applies).
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// let mut guard = arena.begin_frame();
    /// guard.frame().alloc_slice_fill_copy(100, 0u64);
    /// drop(guard); // resets; `arena.reset()` does the same between frames
    /// arena.reset();
    /// assert_eq!(arena.stats().bytes_used, 0);
    /// assert_eq!(arena.frame_number(), 2);
    /// ```
    pub fn reset(&mut self) {
        // SAFETY: `&mut self` proves no frame is open: every frame, and through its lifetime
        // every allocation, borrows the arena.
        unsafe { self.raw.reset() }
    }

    /// The arena's statistics. Between frames `bytes_used` is zero and the high-water mark
    /// holds the largest frame so far.
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// arena.frame(|f| {
    ///     f.alloc([0u8; 1000]);
    /// });
    /// let stats = arena.stats();
    /// assert!(stats.high_water_mark >= 1000 && stats.chunks >= 1);
    /// assert_eq!((stats.bytes_used, arena.frame_number()), (0, 1));
    /// println!("guards: {}", arena.guards_enabled());
    /// ```
    pub fn stats(&self) -> ArenaStats {
        self.raw.stats()
    }

    /// The byte budget per frame, if any.
    pub fn budget(&self) -> Option<usize> {
        self.raw.budget()
    }

    /// Sets or clears the byte budget per frame.
    ///
    /// ```
    /// use framealloc::{AllocError, ArenaConfig, FrameArena};
    ///
    /// let mut arena = FrameArena::with_config(ArenaConfig::new().guards(false).budget(Some(1024)));
    /// arena.frame(|f| {
    ///     assert!(f.try_alloc([0u8; 1000]).is_ok());
    ///     match f.try_alloc([0u8; 100]) {
    ///         Err(AllocError::BudgetExceeded { limit, requested, used, .. }) => {
    ///             assert_eq!((limit, requested, used), (1024, 100, 1000));
    ///         }
    ///         other => panic!("{other:?}"),
    ///     }
    /// });
    /// arena.set_budget(None);
    /// assert_eq!(arena.budget(), None);
    /// ```
    pub fn set_budget(&mut self, bytes: Option<usize>) {
        self.raw.set_budget(bytes);
    }

    /// How many frames the arena has completed.
    pub fn frame_number(&self) -> u64 {
        self.raw.frame_number()
    }

    /// Whether arena-wide debug guards are on: requested by
    /// [`ArenaConfig::guards`] (the default) and compiled in
    /// ([`guard::COMPILED_IN`](crate::guard::COMPILED_IN)).
    pub fn guards_enabled(&self) -> bool {
        self.raw.guards_on()
    }

    /// Takes the reports a [`GuardHandler::Collect`](crate::guard::GuardHandler::Collect)
    /// handler kept, oldest first; empty with the other handlers.
    ///
    /// ```
    /// use framealloc::guard::GuardHandler;
    /// use framealloc::{ArenaConfig, FrameArena};
    ///
    /// let mut arena =
    ///     FrameArena::with_config(ArenaConfig::new().guard_handler(GuardHandler::Collect));
    /// arena.frame(|f| {
    ///     f.alloc_slice_fill_copy(4, 0u32);
    /// });
    /// assert!(arena.take_guard_reports().is_empty());
    /// ```
    pub fn take_guard_reports(&mut self) -> Vec<GuardReport> {
        self.raw.take_guard_reports()
    }
}

/// The raw arena `config` describes.
pub(crate) fn raw_arena(config: ArenaConfig) -> RawArena {
    #[cfg(feature = "profiler")]
    let profiler = config.profiler;
    #[allow(unused_mut)]
    let mut raw = RawArena::new(
        config.source,
        config.settings.first_chunk,
        config.settings.max_chunk,
        config.settings.retention,
        config.settings.every_frame,
        config.settings.budget,
        GuardSettings {
            enabled: config.settings.guards,
            underruns: config.settings.guard_underruns,
            handler: config.guard_handler,
        },
    );
    #[cfg(feature = "profiler")]
    if let Some(profiler) = profiler {
        let budget = config.profile_budget.or(config.settings.budget);
        raw.set_recorder(crate::profile::recorder::Recorder::new(
            &profiler,
            budget,
            config.profile_marks_frames,
        ));
    }
    raw
}

impl Default for FrameArena {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for FrameArena {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FrameArena")
            .field("stats", &self.stats())
            .finish()
    }
}

/// A frame that ends (and resets its arena) when dropped; see [`FrameArena::begin_frame`].
///
/// ```
/// use framealloc::FrameArena;
///
/// let mut arena = FrameArena::new();
/// for frame in 0..3u64 {
///     let mut guard = arena.begin_frame(); // the frame ends when the guard is dropped
///     let f = guard.frame();
///     let xs = f.alloc_slice_fill_copy(4, frame);
///     assert_eq!(xs, [frame; 4]);
///     assert_eq!(f.frame_number(), frame);
/// }
/// assert_eq!(arena.frame_number(), 3);
/// ```
#[must_use = "the frame ends as soon as the guard is dropped"]
pub struct FrameGuard<'a> {
    arena: &'a mut FrameArena,
}

impl FrameGuard<'_> {
    /// The frame to allocate from. Its allocations borrow this guard, so the guard outlives
    /// them; take it once and keep it for the frame (a second call must wait until the first
    /// frame's allocations are no longer used, so that scopes stay sound).
    ///
    /// ```
    /// use framealloc::FrameArena;
    ///
    /// let mut arena = FrameArena::new();
    /// let mut guard = arena.begin_frame();
    /// let f = guard.frame();
    /// let xs = f.alloc_slice_fill_copy(16, 1u32);
    /// assert_eq!(xs.iter().sum::<u32>(), 16);
    /// assert!(guard.stats().bytes_used >= 64);
    /// ```
    pub fn frame(&mut self) -> Frame<'_, '_> {
        // SAFETY: the frame borrows the guard, and the arena is reset only when the guard is
        // dropped (it holds the arena's only borrow), which cannot happen while `'_` lasts.
        unsafe { Frame::new(&self.arena.raw) }
    }

    /// The arena's statistics now.
    pub fn stats(&self) -> ArenaStats {
        self.arena.stats()
    }
}

impl Drop for FrameGuard<'_> {
    fn drop(&mut self) {
        self.arena.reset();
    }
}

impl fmt::Debug for FrameGuard<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FrameGuard")
            .field("stats", &self.stats())
            .finish()
    }
}
