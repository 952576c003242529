//! What [`SmartAlloc`](crate::SmartAlloc) reports: [`FrameStats`] per frame, [`AllocStats`]
//! overall, and their summary tables.

use core::fmt;
use std::string::String;
use std::vec::Vec;

/// Figures of one tag in one frame (in [`FrameStats::tags`]) or over all frames so far (in
/// [`AllocStats::tags`]).
///
/// A tag's figures are added when its [`with_tag`](crate::SmartAlloc::with_tag) call returns,
/// so work inside a tag that is still open when the frame ends counts in the frame in which it
/// closes.
///
/// ```
/// use framealloc::{AllocConfig, SmartAlloc, TagBudget};
///
/// let alloc = SmartAlloc::with_config(
///     AllocConfig::new().tag_budget("ai", TagBudget::soft(1 << 20)),
/// );
/// let frame = alloc.begin_frame();
/// alloc.with_tag("ai", || {
///     let _path = frame.frame_slice(100, 0u32);
///     let _node = alloc.pool_box([0u64; 4]);
/// });
/// let stats = frame.end(); // FrameStats
/// assert_eq!(stats.frame, 0);
/// assert!(stats.bytes >= 400);
/// assert_eq!(stats.pool_allocations, 1);
/// let ai = stats.tags.iter().find(|t| t.tag == "ai").unwrap(); // TagStats
/// assert_eq!(ai.soft_limit, Some(1 << 20));
/// assert!(stats.threads.iter().any(|t| t.bytes >= 400)); // ThreadStats
/// let totals = alloc.stats(); // AllocStats
/// assert_eq!((totals.frames, totals.frame_open), (1, false));
/// println!("{stats}\n{totals}");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct TagStats {
    /// The tag's path: `"render/shadows"` for `"shadows"` inside `"render"`.
    pub tag: &'static str,
    /// Allocations attributed to the tag (its innermost-tag allocations only, not those of
    /// tags nested in it): frame, pool and heap allocations through the facade, facade
    /// vectors' buffers, and frame allocations through a lent `Frame` (a
    /// [`LocalFrame`](crate::LocalFrame), a [`SmartAlloc::frame`](crate::SmartAlloc::frame)
    /// body) when the `count-allocations` feature is on. `None` ("not counted") when a lent
    /// `Frame` was used under the tag without that feature, so the count would be short.
    pub allocations: Option<u64>,
    /// Frame bytes (with padding) and pool and heap bytes allocated under the tag.
    pub bytes: usize,
    /// The largest `bytes` of any one frame so far.
    pub high_water: usize,
    /// The tag's soft limit on frame bytes per frame, if any.
    pub soft_limit: Option<usize>,
    /// The tag's hard limit on frame bytes per frame, if any.
    pub hard_limit: Option<usize>,
}

/// Figures of one thread in one frame.
///
/// ```
/// use framealloc::{AllocConfig, SmartAlloc, TagBudget};
///
/// let alloc = SmartAlloc::with_config(
///     AllocConfig::new().tag_budget("ai", TagBudget::soft(1 << 20)),
/// );
/// let frame = alloc.begin_frame();
/// alloc.with_tag("ai", || {
///     let _path = frame.frame_slice(100, 0u32);
///     let _node = alloc.pool_box([0u64; 4]);
/// });
/// let stats = frame.end(); // FrameStats
/// assert_eq!(stats.frame, 0);
/// assert!(stats.bytes >= 400);
/// assert_eq!(stats.pool_allocations, 1);
/// let ai = stats.tags.iter().find(|t| t.tag == "ai").unwrap(); // TagStats
/// assert_eq!(ai.soft_limit, Some(1 << 20));
/// assert!(stats.threads.iter().any(|t| t.bytes >= 400)); // ThreadStats
/// let totals = alloc.stats(); // AllocStats
/// assert_eq!((totals.frames, totals.frame_open), (1, false));
/// println!("{stats}\n{totals}");
/// ```
#[derive(Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ThreadStats {
    /// The thread's name, or its id when it has none.
    pub thread: String,
    /// Frame allocations (see [`FrameStats::allocations`]); `None` when not counted.
    pub allocations: Option<u64>,
    /// Frame bytes the thread's arena handed out in the frame (see [`FrameStats::bytes`]).
    pub bytes: usize,
    /// The most frame bytes the thread's arena held at once in the frame.
    pub peak_bytes: usize,
    /// Pool allocations by the thread.
    pub pool_allocations: u64,
    /// Pool blocks the thread freed (from any thread's allocations).
    pub pool_frees: u64,
    /// Allocations served by the heap (`heap_box`, pool requests above 4 KiB).
    pub heap_allocations: u64,
}

/// `clone_from` reuses the thread name's buffer.
impl Clone for ThreadStats {
    fn clone(&self) -> Self {
        let mut copy = ThreadStats::default();
        copy.clone_from(self);
        copy
    }

    fn clone_from(&mut self, source: &Self) {
        let ThreadStats {
            thread,
            allocations,
            bytes,
            peak_bytes,
            pool_allocations,
            pool_frees,
            heap_allocations,
        } = source;
        self.thread.clone_from(thread);
        self.allocations = *allocations;
        self.bytes = *bytes;
        self.peak_bytes = *peak_bytes;
        self.pool_allocations = *pool_allocations;
        self.pool_frees = *pool_frees;
        self.heap_allocations = *heap_allocations;
    }
}

/// Figures of one frame of a [`SmartAlloc`](crate::SmartAlloc), over all threads.
///
/// Frame `n` covers everything from the end of frame `n - 1` to its own end, including work
/// done by [`SmartAlloc::frame`](crate::SmartAlloc::frame) between frames.
///
/// The figures of a frame, its tags and threads, and the allocator's totals:
///
/// ```
/// use framealloc::{AllocConfig, SmartAlloc, TagBudget};
///
/// let alloc = SmartAlloc::with_config(
///     AllocConfig::new().tag_budget("ai", TagBudget::soft(1 << 20)),
/// );
/// let frame = alloc.begin_frame();
/// alloc.with_tag("ai", || {
///     let _path = frame.frame_slice(100, 0u32);
///     let _node = alloc.pool_box([0u64; 4]);
/// });
/// let stats = frame.end(); // FrameStats
/// assert_eq!(stats.frame, 0);
/// assert!(stats.bytes >= 400);
/// assert_eq!(stats.pool_allocations, 1);
/// let ai = stats.tags.iter().find(|t| t.tag == "ai").unwrap(); // TagStats
/// assert_eq!(ai.soft_limit, Some(1 << 20));
/// assert!(stats.threads.iter().any(|t| t.bytes >= 400)); // ThreadStats
/// let totals = alloc.stats(); // AllocStats
/// assert_eq!((totals.frames, totals.frame_open), (1, false));
/// println!("{stats}\n{totals}");
/// ```
#[derive(Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FrameStats {
    /// The frame's number (the first frame is 0).
    pub frame: u64,
    /// Frame allocations: every call of the facade's `frame_*` methods and every buffer a
    /// facade vector took (its first and each growth), plus, with the `count-allocations`
    /// feature, every allocation through a `Frame` the facade lent (a
    /// [`LocalFrame`](crate::LocalFrame), a [`SmartAlloc::frame`](crate::SmartAlloc::frame)
    /// body). `None` ("not counted") when such a `Frame` was used without that feature: the
    /// count would be short, and a short count is never shown as if it were the whole.
    pub allocations: Option<u64>,
    /// Frame bytes handed out in the frame (with alignment padding and, when guards are on,
    /// canaries), over all threads: what the arenas held at the end of the frame, plus
    /// everything given back within it (scopes and [`frame`](crate::SmartAlloc::frame)
    /// bodies rewinding, vectors and boxes handing their memory back).
    pub bytes: usize,
    /// The sum over threads of the most frame bytes each held at once in the frame,
    /// including memory given back before the frame ended.
    pub peak_bytes: usize,
    /// Pool allocations.
    pub pool_allocations: u64,
    /// Pool frees.
    pub pool_frees: u64,
    /// Allocations served by the heap.
    pub heap_allocations: u64,
    /// Per tag, the tags that saw work in this frame, by path.
    pub tags: Vec<TagStats>,
    /// Per thread, the threads that saw work in this frame.
    pub threads: Vec<ThreadStats>,
}

/// `clone_from` reuses the target's buffers (its tag and thread lists, each thread's name), so
/// copying a frame's figures into the same `FrameStats` every frame allocates nothing once the
/// buffers are large enough ([`SmartAlloc::frame_stats_into`](crate::SmartAlloc::frame_stats_into)).
impl Clone for FrameStats {
    fn clone(&self) -> Self {
        let mut copy = FrameStats::default();
        copy.clone_from(self);
        copy
    }

    fn clone_from(&mut self, source: &Self) {
        let FrameStats {
            frame,
            allocations,
            bytes,
            peak_bytes,
            pool_allocations,
            pool_frees,
            heap_allocations,
            tags,
            threads,
        } = source;
        self.frame = *frame;
        self.allocations = *allocations;
        self.bytes = *bytes;
        self.peak_bytes = *peak_bytes;
        self.pool_allocations = *pool_allocations;
        self.pool_frees = *pool_frees;
        self.heap_allocations = *heap_allocations;
        self.tags.clone_from(tags);
        self.threads.clone_from(threads);
    }
}

/// An allocator's state and totals; see [`SmartAlloc::stats`](crate::SmartAlloc::stats).
///
/// ```
/// use framealloc::{AllocConfig, SmartAlloc, TagBudget};
///
/// let alloc = SmartAlloc::with_config(
///     AllocConfig::new().tag_budget("ai", TagBudget::soft(1 << 20)),
/// );
/// let frame = alloc.begin_frame();
/// alloc.with_tag("ai", || {
///     let _path = frame.frame_slice(100, 0u32);
///     let _node = alloc.pool_box([0u64; 4]);
/// });
/// let stats = frame.end(); // FrameStats
/// assert_eq!(stats.frame, 0);
/// assert!(stats.bytes >= 400);
/// assert_eq!(stats.pool_allocations, 1);
/// let ai = stats.tags.iter().find(|t| t.tag == "ai").unwrap(); // TagStats
/// assert_eq!(ai.soft_limit, Some(1 << 20));
/// assert!(stats.threads.iter().any(|t| t.bytes >= 400)); // ThreadStats
/// let totals = alloc.stats(); // AllocStats
/// assert_eq!((totals.frames, totals.frame_open), (1, false));
/// println!("{stats}\n{totals}");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AllocStats {
    /// Frames ended so far; the next (or open) frame has this number.
    pub frames: u64,
    /// Whether a frame is open now.
    pub frame_open: bool,
    /// Threads holding an arena of this allocator.
    pub threads: usize,
    /// Frame allocations over all ended frames; `None` when any of them was not counted
    /// (see [`FrameStats::allocations`]).
    pub allocations: Option<u64>,
    /// Frame bytes over all ended frames.
    pub bytes: u64,
    /// The largest `peak_bytes` of any ended frame.
    pub peak_bytes: usize,
    /// Pool allocations over all ended frames.
    pub pool_allocations: u64,
    /// Pool frees over all ended frames.
    pub pool_frees: u64,
    /// Heap allocations over all ended frames.
    pub heap_allocations: u64,
    /// Pool blocks handed out and not yet freed, now (over all threads, ever).
    pub pool_blocks_in_use: u64,
    /// Pool blocks obtained from the system and not given back: in use, or cached for reuse.
    pub pool_blocks_held: usize,
    /// Bytes of free pool blocks in the shared lists (bounded by the pool retention).
    pub pool_bytes_retained: usize,
    /// Per tag, totals over all ended frames, with each tag's high-water mark.
    pub tags: Vec<TagStats>,
    /// Where arena chunks come from (for example whether a NUMA source is bound or fell back).
    pub chunk_source: String,
}

fn fmt_bytes(n: usize) -> String {
    const KIB: usize = 1024;
    if n >= 10 * KIB * KIB {
        format!("{:.1} MiB", n as f64 / (KIB * KIB) as f64)
    } else if n >= 10 * KIB {
        format!("{:.1} KiB", n as f64 / KIB as f64)
    } else {
        format!("{n} B")
    }
}

/// A count, or "not counted".
fn fmt_count(n: Option<u64>) -> String {
    n.map_or_else(|| "not counted".into(), |n| n.to_string())
}

/// "N allocations", or "allocations not counted".
fn fmt_allocations(n: Option<u64>) -> String {
    n.map_or_else(
        || "allocations not counted".into(),
        |n| format!("{n} allocations"),
    )
}

fn fmt_limit(limit: Option<usize>) -> String {
    limit.map_or_else(|| "-".into(), fmt_bytes)
}

/// A table with a left column of labels and right-aligned figures.
fn table(f: &mut fmt::Formatter<'_>, head: &[&str], rows: &[Vec<String>]) -> fmt::Result {
    let widths: Vec<usize> = (0..head.len())
        .map(|c| {
            rows.iter()
                .map(|r| r[c].chars().count())
                .chain([head[c].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |f: &mut fmt::Formatter<'_>, cells: &[String]| -> fmt::Result {
        for (c, cell) in cells.iter().enumerate() {
            if c == 0 {
                write!(f, "  {cell:<w$}", w = widths[c])?;
            } else {
                write!(f, "  {cell:>w$}", w = widths[c])?;
            }
        }
        writeln!(f)
    };
    line(f, &head.iter().map(|h| h.to_string()).collect::<Vec<_>>())?;
    for row in rows {
        line(f, row)?;
    }
    Ok(())
}

/// A summary table: totals, then one row per tag and one per thread.
///
/// ```text
/// frame 12: 1843 allocations, 96.0 KiB, peak 96.0 KiB; pool 64 allocs / 64 frees; heap 0
///   tag             allocs     bytes  high-water  soft      hard
///   physics            640  40.0 KiB    40.0 KiB  48.0 KiB  64.0 KiB
///   ...
/// ```
impl fmt::Display for FrameStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "frame {}: {}, {}, peak {}; pool {} allocs / {} frees; heap {}",
            self.frame,
            fmt_allocations(self.allocations),
            fmt_bytes(self.bytes),
            fmt_bytes(self.peak_bytes),
            self.pool_allocations,
            self.pool_frees,
            self.heap_allocations
        )?;
        if !self.tags.is_empty() {
            tag_table(f, &self.tags)?;
        }
        if !self.threads.is_empty() {
            let rows: Vec<Vec<String>> = self
                .threads
                .iter()
                .map(|t| {
                    vec![
                        t.thread.clone(),
                        fmt_count(t.allocations),
                        fmt_bytes(t.bytes),
                        fmt_bytes(t.peak_bytes),
                        t.pool_allocations.to_string(),
                        t.pool_frees.to_string(),
                    ]
                })
                .collect();
            table(
                f,
                &[
                    "thread",
                    "allocs",
                    "bytes",
                    "peak",
                    "pool allocs",
                    "pool frees",
                ],
                &rows,
            )?;
        }
        Ok(())
    }
}

fn tag_table(f: &mut fmt::Formatter<'_>, tags: &[TagStats]) -> fmt::Result {
    let rows: Vec<Vec<String>> = tags
        .iter()
        .map(|t| {
            vec![
                t.tag.to_string(),
                fmt_count(t.allocations),
                fmt_bytes(t.bytes),
                fmt_bytes(t.high_water),
                fmt_limit(t.soft_limit),
                fmt_limit(t.hard_limit),
            ]
        })
        .collect();
    table(
        f,
        &["tag", "allocs", "bytes", "high-water", "soft", "hard"],
        &rows,
    )
}

impl fmt::Display for AllocStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} frames{}, {} threads: {}, {} frame bytes, largest peak {}",
            self.frames,
            if self.frame_open { " (one open)" } else { "" },
            self.threads,
            fmt_allocations(self.allocations),
            fmt_bytes(usize::try_from(self.bytes).unwrap_or(usize::MAX)),
            fmt_bytes(self.peak_bytes),
        )?;
        writeln!(
            f,
            "pool: {} allocs, {} frees, {} blocks in use, {} held, {} retained; heap: {} allocs",
            self.pool_allocations,
            self.pool_frees,
            self.pool_blocks_in_use,
            self.pool_blocks_held,
            fmt_bytes(self.pool_bytes_retained),
            self.heap_allocations
        )?;
        writeln!(f, "chunks from: {}", self.chunk_source)?;
        if !self.tags.is_empty() {
            tag_table(f, &self.tags)?;
        }
        Ok(())
    }
}
