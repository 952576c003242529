//! The one error type of the allocation API.

use core::fmt;

/// Why an allocation failed.
///
/// Every fallible method (`try_alloc`, `try_alloc_slice_copy`, ...) returns this; the
/// panicking twins (`alloc`, ...) panic with its [`Display`](fmt::Display) text.
///
/// ```
/// use framealloc::{AllocError, ArenaConfig, FrameArena};
///
/// // Guards off: in debug builds canaries would count against the budget too.
/// let mut arena = FrameArena::with_config(ArenaConfig::new().budget(Some(64)).guards(false));
/// arena.frame(|f| {
///     f.alloc_slice_fill_copy(48, 0u8);
///     let err = f.try_alloc_slice_fill_copy(32, 0u8).unwrap_err();
///     assert!(matches!(err, AllocError::BudgetExceeded { limit: 64, requested: 32, used: 48, .. }));
/// });
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AllocError {
    /// The chunk source (the system allocator by default) could not supply a chunk.
    OutOfMemory {
        /// Bytes asked of the chunk source.
        requested: usize,
    },
    /// The allocation would take the frame past a byte budget: `set_by` says which one.
    /// Budgets count the bytes allocated (with alignment padding), never debug canaries.
    BudgetExceeded {
        /// For a tag budget, the tag whose budget it is (which may enclose the tag the
        /// allocation was made under); otherwise the frame's tag, if it has one.
        tag: Option<&'static str>,
        /// The budget, in bytes per frame.
        limit: usize,
        /// Bytes the failed allocation asked for.
        requested: usize,
        /// Bytes already counted against the budget in this frame (for a `SmartAlloc`
        /// budget, over all threads, including bytes threads have reserved and not yet
        /// used: at most 4 KiB each).
        used: usize,
        /// Which configured budget it is, so the message can say where to raise it.
        set_by: BudgetSource,
    },
    /// The requested size does not fit in memory at all: `len * size_of::<T>()` overflowed,
    /// or the size rounded up to the alignment exceeds `isize::MAX`.
    LayoutOverflow,
}

impl fmt::Display for AllocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            AllocError::OutOfMemory { requested } => write!(
                f,
                "frame arena out of memory: the chunk source could not supply {requested} bytes"
            ),
            AllocError::BudgetExceeded {
                tag,
                limit,
                requested,
                used,
                set_by,
            } => match (set_by, tag) {
                (BudgetSource::Tag, Some(tag)) => write!(
                    f,
                    "hard budget of tag `{tag}` exceeded: {requested} bytes requested with \
                     {used} of {limit} bytes in use under `{tag}` and the tags nested in it \
                     this frame; raise the hard limit in \
                     AllocConfig::tag_budget(\"{tag}\", TagBudget::hard(..)) or allocate less \
                     under the tag"
                ),
                (BudgetSource::AllocFrame, _) => write!(
                    f,
                    "SmartAlloc frame budget exceeded: {requested} bytes requested with \
                     {used} of {limit} bytes in use over all threads this frame; raise \
                     AllocConfig::frame_budget or allocate less per frame"
                ),
                _ => {
                    write!(f, "frame budget exceeded")?;
                    if let Some(tag) = tag {
                        write!(f, " in frame tagged `{tag}`")?;
                    }
                    write!(
                        f,
                        ": {requested} bytes requested with {used} of {limit} bytes in use; \
                         raise ArenaConfig::budget or allocate less per frame"
                    )
                }
            },
            AllocError::LayoutOverflow => write!(
                f,
                "allocation size overflow: the requested size (length times element size, \
                 rounded to the alignment) exceeds isize::MAX bytes"
            ),
        }
    }
}

impl std::error::Error for AllocError {}

/// Which configured budget an [`AllocError::BudgetExceeded`] is about.
///
/// ```
/// use framealloc::{AllocConfig, AllocError, BudgetSource, SmartAlloc, TagBudget};
///
/// let alloc = SmartAlloc::with_config(
///     AllocConfig::new().guards(false).tag_budget("physics", TagBudget::hard(1024)),
/// );
/// let frame = alloc.begin_frame();
/// alloc.with_tag("physics", || {
///     alloc.with_tag("broadphase", || {
///         // The budget on `physics` covers the tags nested in it.
///         let err = frame.try_frame_slice(4096, 0u8).unwrap_err();
///         assert!(matches!(
///             err,
///             AllocError::BudgetExceeded { tag: Some("physics"), set_by: BudgetSource::Tag, .. }
///         ));
///         assert!(err.to_string().contains("AllocConfig::tag_budget(\"physics\""));
///     });
/// });
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BudgetSource {
    /// [`ArenaConfig::budget`](crate::ArenaConfig::budget): a `FrameArena`'s bytes per frame.
    Arena,
    /// [`AllocConfig::frame_budget`](crate::AllocConfig::frame_budget): a `SmartAlloc`'s
    /// bytes per frame over all threads.
    AllocFrame,
    /// The hard limit of [`AllocConfig::tag_budget`](crate::AllocConfig::tag_budget) for the
    /// error's tag, which covers the tags nested in it.
    Tag,
}

impl From<AllocError> for allocator_api2::alloc::AllocError {
    fn from(_: AllocError) -> Self {
        allocator_api2::alloc::AllocError
    }
}

/// Panics with the message of `err`. Kept out of line so that the callers' fast paths stay small.
#[cold]
#[inline(never)]
#[track_caller]
pub(crate) fn alloc_failed(err: AllocError) -> ! {
    panic!("{err}")
}

/// The value of a fallible allocation, or a panic with its error at the caller's line: how
/// every panicking twin of a `try_` method is written.
#[inline(always)]
#[track_caller]
pub(crate) fn infallible<T>(result: Result<T, AllocError>) -> T {
    match result {
        Ok(value) => value,
        Err(e) => alloc_failed(e),
    }
}
