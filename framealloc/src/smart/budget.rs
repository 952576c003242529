//! Tags and budgets of a [`SmartAlloc`](crate::SmartAlloc): the table of tags, their totals,
//! and the per-frame budget counters that thread arenas lease from.
//!
//! Budgets cost the allocation fast path nothing: each thread arena's own budget is a lease,
//! the bytes it has reserved from the shared counters, folded into its bump limit like any
//! arena budget. Only when a lease runs out does the arena's cold path ask [`Book::grant`]
//! for more, reserving [`GRANT`] bytes (or exactly what is missing, if that is all that is
//! left) from the global counter and the counter of the innermost tag. So a hard limit is
//! checked on every allocation, and is exact up to the leases other threads hold and have not
//! used yet: at most [`GRANT`] bytes each.

use core::fmt;
use core::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::boxed::Box;
use std::collections::{HashMap, HashSet};
use std::string::String;
use std::sync::{Arc, Mutex, OnceLock};
use std::vec::Vec;

use super::report::TagStats;
use crate::error::{AllocError, BudgetSource};
use crate::raw::BudgetHook;
use crate::sync::lock;

/// Bytes a thread arena leases from the shared budget counters at a time.
pub const GRANT: usize = 4096;

/// Soft and hard limits on the frame bytes one tag may use per frame, over all threads.
///
/// ```
/// use framealloc::TagBudget;
///
/// let b = TagBudget::soft(48 << 10).and_hard(64 << 10);
/// assert_eq!((b.soft, b.hard), (Some(48 << 10), Some(64 << 10)));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct TagBudget {
    /// Crossing it calls the allocator's soft-limit callback, once per frame.
    pub soft: Option<usize>,
    /// Allocations past it fail with [`AllocError::BudgetExceeded`].
    pub hard: Option<usize>,
}

impl TagBudget {
    /// A soft limit only.
    ///
    /// ```
    /// use framealloc::{AllocConfig, SmartAlloc, TagBudget};
    ///
    /// let alloc = SmartAlloc::with_config(
    ///     AllocConfig::new()
    ///         .tag_budget("audio", TagBudget::hard(64 << 10))
    ///         .tag_budget("ai", TagBudget::soft(1 << 20).and_hard(4 << 20)),
    /// );
    /// let frame = alloc.begin_frame();
    /// alloc.with_tag("audio", || assert!(frame.try_frame_slice(128 << 10, 0u8).is_err()));
    /// ```
    pub const fn soft(bytes: usize) -> Self {
        TagBudget {
            soft: Some(bytes),
            hard: None,
        }
    }

    /// A hard limit only.
    pub const fn hard(bytes: usize) -> Self {
        TagBudget {
            soft: None,
            hard: Some(bytes),
        }
    }

    /// This budget with a hard limit too.
    pub const fn and_hard(mut self, bytes: usize) -> Self {
        self.hard = Some(bytes);
        self
    }

    /// This budget with a soft limit too.
    pub const fn and_soft(mut self, bytes: usize) -> Self {
        self.soft = Some(bytes);
        self
    }
}

/// What the soft-limit callback is told: a tag went past its soft limit in a frame.
///
/// ```
/// use framealloc::{AllocConfig, SmartAlloc, TagBudget};
/// use std::sync::{Arc, Mutex};
///
/// let passed = Arc::new(Mutex::new(Vec::new()));
/// let seen = passed.clone();
/// let alloc = SmartAlloc::with_config(
///     AllocConfig::new()
///         .tag_budget("particles", TagBudget::soft(16 << 10))
///         .on_soft_limit(move |e| seen.lock().unwrap().push((e.tag, e.limit, e.frame))),
/// );
/// let frame = alloc.begin_frame();
/// alloc.with_tag("particles", || frame.frame_slice(8192, 0u32).len());
/// drop(frame);
/// assert_eq!(passed.lock().unwrap()[0], ("particles", 16 << 10, 0));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SoftLimitEvent {
    /// The tag's path.
    pub tag: &'static str,
    /// Its soft limit.
    pub limit: usize,
    /// Bytes charged to the tag in this frame when it went past (leases included, so up to
    /// 4 KiB above the bytes actually allocated).
    pub used: usize,
    /// The frame.
    pub frame: u64,
}

/// The soft-limit callback.
pub(crate) type SoftLimitFn = Box<dyn Fn(&SoftLimitEvent) + Send + Sync>;

/// One tag of one allocator.
pub(crate) struct TagInfo {
    pub(crate) path: &'static str,
    /// The tag this one is nested in: its budget covers this tag's bytes too.
    parent: Option<Arc<TagInfo>>,
    budget: TagBudget,
    /// Frame bytes leased under this tag in the current frame.
    charged: AtomicUsize,
    /// The frame number + 1 of the last soft-limit call.
    fired: AtomicU64,
    /// Totals since the allocator was made, added when a `with_tag` returns.
    allocations: AtomicU64,
    bytes: AtomicU64,
    /// `with_tag` calls whose allocations could not all be counted (a lent `Frame` without
    /// the `count-allocations` feature); never goes down.
    uncounted: AtomicU64,
    /// What the totals were at the end of the last frame, and the high-water mark; only the
    /// thread ending a frame touches it.
    seen: Mutex<Seen>,
}

#[derive(Default)]
struct Seen {
    allocations: u64,
    bytes: u64,
    uncounted: u64,
    high_water: usize,
}

impl TagInfo {
    /// Adds the figures of one `with_tag` call.
    pub(crate) fn add(&self, allocations: u64, bytes: usize, uncounted: bool) {
        if uncounted {
            self.uncounted.fetch_add(1, Ordering::Relaxed);
        }
        if allocations > 0 {
            self.allocations.fetch_add(allocations, Ordering::Relaxed);
        }
        if bytes > 0 {
            self.bytes.fetch_add(bytes as u64, Ordering::Relaxed);
        }
    }

    /// Whether the tag has a limit to charge leases to.
    fn limited(&self) -> bool {
        self.budget.soft.is_some() || self.budget.hard.is_some()
    }
}

impl fmt::Debug for TagInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TagInfo")
            .field("path", &self.path)
            .field("budget", &self.budget)
            .finish_non_exhaustive()
    }
}

/// Tag paths live for the whole program: each distinct path is stored once per process.
fn intern(path: String) -> &'static str {
    static PATHS: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut paths = lock(PATHS.get_or_init(Default::default));
    if let Some(&p) = paths.get(path.as_str()) {
        return p;
    }
    let p: &'static str = Box::leak(path.into_boxed_str());
    paths.insert(p);
    p
}

/// The tags and budgets of one allocator.
pub(crate) struct Book {
    /// Tags by (parent path, name), and by path.
    tags: Mutex<Tags>,
    budgets: HashMap<String, TagBudget>,
    global: Option<usize>,
    global_charged: AtomicUsize,
    on_soft: Option<SoftLimitFn>,
    /// The frame now collecting (the allocator's frame number).
    frame: AtomicU64,
}

#[derive(Default)]
struct Tags {
    by_name: HashMap<(&'static str, &'static str), Arc<TagInfo>>,
    by_path: HashMap<&'static str, Arc<TagInfo>>,
    order: Vec<Arc<TagInfo>>,
}

impl Book {
    pub(crate) fn new(
        global: Option<usize>,
        budgets: HashMap<String, TagBudget>,
        on_soft: Option<SoftLimitFn>,
    ) -> Self {
        Book {
            tags: Mutex::default(),
            budgets,
            global,
            global_charged: AtomicUsize::new(0),
            on_soft,
            frame: AtomicU64::new(0),
        }
    }

    /// Whether any budget is set, so arenas need leases.
    pub(crate) fn has_budgets(&self) -> bool {
        self.global.is_some() || !self.budgets.is_empty()
    }

    /// The tag `name` inside `parent` (its path is `parent/name`), made on first use.
    pub(crate) fn tag(&self, parent: Option<&TagInfo>, name: &'static str) -> Arc<TagInfo> {
        let parent_path = parent.map_or("", |p| p.path);
        let mut tags = lock(&self.tags);
        if let Some(tag) = tags.by_name.get(&(parent_path, name)) {
            return Arc::clone(tag);
        }
        let path = match parent {
            None => intern(name.into()),
            Some(p) => intern(format!("{}/{name}", p.path)),
        };
        let tag = Arc::new(TagInfo {
            path,
            parent: parent.and_then(|p| tags.by_path.get(p.path).cloned()),
            budget: self.budgets.get(path).copied().unwrap_or_default(),
            charged: AtomicUsize::new(0),
            fired: AtomicU64::new(0),
            allocations: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            uncounted: AtomicU64::new(0),
            seen: Mutex::default(),
        });
        tags.by_name.insert((parent_path, name), Arc::clone(&tag));
        tags.by_path.insert(path, Arc::clone(&tag));
        tags.order.push(Arc::clone(&tag));
        tag
    }

    fn by_path(&self, path: &'static str) -> Option<Arc<TagInfo>> {
        lock(&self.tags).by_path.get(path).cloned()
    }

    /// Reserves `amount` bytes from the global counter, `tag`'s and those of every tag it is
    /// nested in that has a budget: all of them or none.
    ///
    /// A budget on a tag covers the tags nested in it: bytes are attributed to the innermost
    /// tag (in the statistics), and charged to its budget and to each enclosing tag's. So
    /// `physics` with a hard limit bounds `physics` and `physics/broadphase` together, and a
    /// limit on `physics/broadphase` bounds it alone within that.
    fn reserve(
        &self,
        tag: Option<&TagInfo>,
        amount: usize,
        requested: usize,
    ) -> Result<(), AllocError> {
        if let Some(limit) = self.global {
            charge(&self.global_charged, amount, limit).map_err(|used| {
                AllocError::BudgetExceeded {
                    tag: None,
                    limit,
                    requested,
                    used,
                    set_by: BudgetSource::AllocFrame,
                }
            })?;
        }
        let mut at = tag;
        while let Some(info) = at {
            if info.limited() {
                let limit = info.budget.hard.unwrap_or(usize::MAX);
                if let Err(used) = charge(&info.charged, amount, limit) {
                    // Undo the charges made on the way up, and the global one.
                    let mut undo = tag;
                    while let Some(done) = undo.filter(|d| !core::ptr::eq(*d, info)) {
                        if done.limited() {
                            refund(&done.charged, amount);
                        }
                        undo = done.parent.as_deref();
                    }
                    if self.global.is_some() {
                        refund(&self.global_charged, amount);
                    }
                    return Err(AllocError::BudgetExceeded {
                        tag: Some(info.path),
                        limit,
                        requested,
                        used,
                        set_by: BudgetSource::Tag,
                    });
                }
            }
            at = info.parent.as_deref();
        }
        // Soft limits only once every charge held.
        let mut at = tag;
        while let Some(info) = at {
            self.check_soft(info, info.charged.load(Ordering::Relaxed));
            at = info.parent.as_deref();
        }
        Ok(())
    }

    fn check_soft(&self, tag: &TagInfo, used: usize) {
        let Some(limit) = tag.budget.soft else {
            return;
        };
        if used <= limit {
            return;
        }
        let frame = self.frame.load(Ordering::Relaxed);
        let mark = frame + 1;
        let last = tag.fired.load(Ordering::Relaxed);
        if last != mark
            && tag
                .fired
                .compare_exchange(last, mark, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            if let Some(callback) = &self.on_soft {
                callback(&SoftLimitEvent {
                    tag: tag.path,
                    limit,
                    used,
                    frame,
                });
            }
        }
    }

    /// Gives back `amount` leased bytes that were not used, to the global counter and `tag`'s.
    pub(crate) fn refund(&self, tag: Option<&TagInfo>, amount: usize) {
        if amount == 0 {
            return;
        }
        if self.global.is_some() {
            refund(&self.global_charged, amount);
        }
        let mut at = tag;
        while let Some(info) = at {
            if info.limited() {
                refund(&info.charged, amount);
            }
            at = info.parent.as_deref();
        }
    }

    /// Ends frame `frame`: the figures of every tag that saw work in it, and budget counters
    /// back to zero for frame `frame + 1`.
    pub(crate) fn end_frame(&self, frame: u64, out: &mut Vec<TagStats>) {
        out.clear();
        for tag in &lock(&self.tags).order {
            let allocations = tag.allocations.load(Ordering::Relaxed);
            let bytes = tag.bytes.load(Ordering::Relaxed);
            let uncounted = tag.uncounted.load(Ordering::Relaxed);
            let mut seen = lock(&tag.seen);
            let (da, db) = (allocations - seen.allocations, bytes - seen.bytes);
            let counted = uncounted == seen.uncounted;
            seen.allocations = allocations;
            seen.bytes = bytes;
            seen.uncounted = uncounted;
            let db = usize::try_from(db).unwrap_or(usize::MAX);
            seen.high_water = seen.high_water.max(db);
            if da > 0 || db > 0 || !counted {
                out.push(TagStats {
                    tag: tag.path,
                    allocations: counted.then_some(da),
                    bytes: db,
                    high_water: seen.high_water,
                    soft_limit: tag.budget.soft,
                    hard_limit: tag.budget.hard,
                });
            }
            tag.charged.store(0, Ordering::Relaxed);
        }
        self.global_charged.store(0, Ordering::Relaxed);
        self.frame.store(frame + 1, Ordering::Relaxed);
    }

    /// Totals of every tag so far.
    pub(crate) fn totals(&self) -> Vec<TagStats> {
        let tags: Vec<Arc<TagInfo>> = lock(&self.tags).order.clone();
        tags.iter()
            .map(|tag| TagStats {
                tag: tag.path,
                allocations: (tag.uncounted.load(Ordering::Relaxed) == 0)
                    .then(|| tag.allocations.load(Ordering::Relaxed)),
                bytes: usize::try_from(tag.bytes.load(Ordering::Relaxed)).unwrap_or(usize::MAX),
                high_water: lock(&tag.seen).high_water,
                soft_limit: tag.budget.soft,
                hard_limit: tag.budget.hard,
            })
            .collect()
    }
}

/// Adds `amount` to `counter` if the sum stays within `limit`; returns the old value, or the
/// value that was too high.
fn charge(counter: &AtomicUsize, amount: usize, limit: usize) -> Result<usize, usize> {
    counter.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |c| {
        c.checked_add(amount).filter(|&n| n <= limit)
    })
}

fn refund(counter: &AtomicUsize, amount: usize) {
    let _ = counter.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |c| {
        Some(c.saturating_sub(amount))
    });
}

/// A thread arena's way to the book: its budget hook.
pub(crate) struct BookHook(pub(crate) Arc<Book>);

impl BudgetHook for BookHook {
    fn grant(
        &self,
        budget: usize,
        requested: usize,
        needed: usize,
        tag: Option<&'static str>,
    ) -> Result<usize, AllocError> {
        let want = needed.saturating_sub(budget).max(1);
        let tag = tag.and_then(|path| self.0.by_path(path));
        let tag = tag.as_deref();
        match self.0.reserve(tag, want.max(GRANT), requested) {
            Ok(()) => Ok(budget.saturating_add(want.max(GRANT))),
            Err(_) if want < GRANT => {
                self.0.reserve(tag, want, requested)?;
                Ok(budget.saturating_add(want))
            }
            Err(e) => Err(e),
        }
    }
}
