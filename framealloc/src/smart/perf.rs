//! Per-frame performance figures of a [`SmartAlloc`](crate::SmartAlloc): frame time,
//! allocations, bytes and peak of the last frames, summarized as means and percentiles.

use core::fmt;
use core::time::Duration;
use std::collections::VecDeque;
use std::time::Instant;
use std::vec::Vec;

use super::report::FrameStats;

/// One ended frame, as performance tracking keeps it.
#[derive(Clone, Copy)]
struct Sample {
    time: Duration,
    allocations: Option<u64>,
    bytes: usize,
    peak_bytes: usize,
}

/// The tracking state: off, or on with the open frame's start and the last frames.
pub(crate) struct PerfLog {
    enabled: bool,
    /// When the open frame began (tracking on).
    started: Option<Instant>,
    samples: VecDeque<Sample>,
    /// How many frames `samples` keeps (the allocator's history length).
    keep: usize,
}

impl PerfLog {
    pub(crate) fn new(keep: usize) -> Self {
        PerfLog {
            enabled: false,
            started: None,
            samples: VecDeque::new(),
            keep: keep.max(1),
        }
    }

    /// Turns tracking on (from an empty record) or off.
    pub(crate) fn enable(&mut self, on: bool) {
        self.enabled = on;
        self.started = None;
        self.samples.clear();
        if on {
            // All the room it will need, now: a steady frame loop records without allocating.
            self.samples.reserve(self.keep);
        }
    }

    pub(crate) fn enabled(&self) -> bool {
        self.enabled
    }

    /// A frame began now.
    pub(crate) fn frame_began(&mut self) {
        if self.enabled {
            self.started = Some(Instant::now());
        }
    }

    /// A frame ended with `stats`.
    pub(crate) fn frame_ended(&mut self, stats: &FrameStats) {
        if !self.enabled {
            return;
        }
        // A frame that began before tracking was turned on has no start: not recorded.
        let Some(started) = self.started.take() else {
            return;
        };
        if self.samples.len() >= self.keep {
            self.samples.pop_front();
        }
        self.samples.push_back(Sample {
            time: started.elapsed(),
            allocations: stats.allocations,
            bytes: stats.bytes,
            peak_bytes: stats.peak_bytes,
        });
    }

    /// The summary of the frames kept, if tracking is on and a frame was recorded.
    pub(crate) fn stats(&self) -> Option<PerformanceStats> {
        if !self.enabled || self.samples.is_empty() {
            return None;
        }
        let counted: Vec<u64> = self.samples.iter().filter_map(|s| s.allocations).collect();
        Some(PerformanceStats {
            frames: self.samples.len(),
            frame_time: Summary::of(self.samples.iter().map(|s| s.time).collect(), |d, n| {
                d / u32::try_from(n).unwrap_or(u32::MAX)
            })?,
            bytes: Summary::of(self.samples.iter().map(|s| s.bytes).collect(), |t, n| t / n)?,
            peak_bytes: Summary::of(
                self.samples.iter().map(|s| s.peak_bytes).collect(),
                |t, n| t / n,
            )?,
            uncounted_frames: self.samples.len() - counted.len(),
            allocations: Summary::of(counted, |t, n| t / n as u64),
        })
    }
}

/// Mean, median, 95th and 99th percentile (nearest rank) and maximum of a figure over the
/// frames kept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Summary<T> {
    /// The mean (rounded down for integers).
    pub mean: T,
    /// The median.
    pub median: T,
    /// The 95th percentile: 95% of the frames are at or below it.
    pub p95: T,
    /// The 99th percentile.
    pub p99: T,
    /// The largest.
    pub max: T,
}

impl<T: Copy + Ord + core::iter::Sum<T>> Summary<T> {
    /// The summary of `values` (`None` when there are none); `mean` divides a sum by a count.
    fn of(mut values: Vec<T>, mean: impl Fn(T, usize) -> T) -> Option<Self> {
        if values.is_empty() {
            return None;
        }
        values.sort_unstable();
        let n = values.len();
        // Nearest rank: the smallest value with at least `p`% of the values at or below it.
        let rank = |p: usize| values[(n * p).div_ceil(100).clamp(1, n) - 1];
        Some(Summary {
            mean: mean(values.iter().copied().sum(), n),
            median: rank(50),
            p95: rank(95),
            p99: rank(99),
            max: values[n - 1],
        })
    }
}

/// The last frames of a [`SmartAlloc`](crate::SmartAlloc) with performance tracking on: see
/// [`SmartAlloc::enable_performance_tracking`](crate::SmartAlloc::enable_performance_tracking).
///
/// ```
/// use framealloc::SmartAlloc;
///
/// let alloc = SmartAlloc::new();
/// alloc.enable_performance_tracking(true);
/// for n in 1..=10 {
///     let frame = alloc.begin_frame();
///     frame.frame_slice(n * 100, 0u8);
/// }
/// let perf = alloc.performance_stats().unwrap();
/// assert_eq!(perf.frames, 10);
/// assert!(perf.bytes.max >= 1000 && perf.bytes.median >= 500);
/// assert_eq!(perf.allocations.unwrap().max, 1);
/// println!("{perf}");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PerformanceStats {
    /// Frames summarized: the last ended ones, at most [`AllocConfig::history_len`](crate::AllocConfig::history_len).
    pub frames: usize,
    /// From `begin_frame` to the frame's end.
    pub frame_time: Summary<Duration>,
    /// Allocations per frame, over the frames whose allocations were counted (see
    /// [`FrameStats::allocations`]); `None` if none was.
    pub allocations: Option<Summary<u64>>,
    /// Frames whose allocations were not counted, left out of `allocations`.
    pub uncounted_frames: usize,
    /// Frame bytes per frame (see [`FrameStats::bytes`]).
    pub bytes: Summary<usize>,
    /// Peak bytes per frame (see [`FrameStats::peak_bytes`]).
    pub peak_bytes: Summary<usize>,
}

impl fmt::Display for PerformanceStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "last {} frames: mean / median / p95 / p99 / max",
            self.frames
        )?;
        let t = &self.frame_time;
        writeln!(
            f,
            "  frame time   {:?} / {:?} / {:?} / {:?} / {:?}",
            t.mean, t.median, t.p95, t.p99, t.max
        )?;
        match &self.allocations {
            Some(a) => write!(
                f,
                "  allocations  {} / {} / {} / {} / {}",
                a.mean, a.median, a.p95, a.p99, a.max
            )?,
            None => write!(f, "  allocations  not counted")?,
        }
        if self.allocations.is_some() && self.uncounted_frames > 0 {
            write!(f, " ({} frames not counted)", self.uncounted_frames)?;
        }
        writeln!(f)?;
        for (name, s) in [("bytes", &self.bytes), ("peak bytes", &self.peak_bytes)] {
            writeln!(
                f,
                "  {name:<12} {} / {} / {} / {} / {}",
                s.mean, s.median, s.p95, s.p99, s.max
            )?;
        }
        Ok(())
    }
}
