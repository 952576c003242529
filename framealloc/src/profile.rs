//! A sampling allocation profiler: which call sites allocate how much frame memory, per frame
//! and per tag, which pool blocks stay alive too long, and pictures of it (an HTML report, a
//! Chrome trace) — behind the `profiler` feature.
//!
//! Attach one [`Profiler`] to any number of arenas ([`ArenaConfig::profiler`] for a
//! [`FrameArena`], [`AllocConfig::profiler`] for every thread of a [`SmartAlloc`]); each arena
//! records into its own buffer, without a lock, and hands its records over when its frame ends.
//! Then [`Profiler::snapshot`] gives the recorded [`Profile`]: its hot sites, its leak report,
//! its bytes per frame, its binary export and its pictures.
//!
//! ```
//! use framealloc::profile::{ProfileConfig, Profiler};
//! use framealloc::{ArenaConfig, FrameArena};
//!
//! let profiler = Profiler::new(ProfileConfig::new().sample_interval(256));
//! let mut arena = FrameArena::with_config(ArenaConfig::new().profiler(&profiler));
//! for _ in 0..10 {
//!     arena.frame(|f| {
//!         for i in 0..1000u64 {
//!             f.alloc(i); // 8 bytes: recorded about once in 32
//!         }
//!         f.alloc_slice_fill_copy(4096, 0u8); // 4 KiB, above the interval: always recorded
//!     });
//! }
//! let profile = profiler.snapshot();
//! let hot = profile.hot_sites_by_bytes(2);
//! // The estimates weight each record by its sampling rate: the 80,000 bytes of `u64`s come
//! // out near their true figure, and the 10 × 4 KiB exactly.
//! assert!((hot[0].bytes as i64 - 80_000).abs() < 16_000);
//! assert_eq!(hot[1].bytes, 40_960);
//! assert!(profile.to_html().contains("<svg"));
//! ```
//!
//! # Sampling
//!
//! Sampling is by bytes, as in tcmalloc and heap profilers: one sample per
//! [`sample_interval`](ProfileConfig::sample_interval) bytes of frame memory on average (8 KiB
//! by default). A request at least as large as the interval is always recorded; a smaller one
//! with probability `size / interval` (so `u64`s are recorded one in 1,024 by default, and an
//! interval of 8,000 bytes records them one in 1,000). Each record carries its weight, the
//! inverse of its probability, so every estimate (bytes and requests, per site, per tag, per
//! frame) is unbiased; the sample points are a lattice with a random phase per frame and chunk.
//!
//! Sampling costs the allocation fast path nothing: the arena's fast-path end is set at the
//! next sample point, so only the request that crosses it takes the cold path, which records
//! it. [`exhaustive`](ProfileConfig::exhaustive) records every request.
//!
//! [`max_records_per_frame`](ProfileConfig::max_records_per_frame) makes the interval adaptive:
//! each arena starts a frame at the interval that would have given half the allowance in the
//! frame before (never below the configured one), and doubles it within the frame each time
//! the frame has used half of what is left of the allowance (to the largest interval when one
//! record is left), so sampled records stay under it.
//!
//! # What is recorded
//!
//! One [`Record`] of 32 bytes per event ([`EventKind`]): sampled frame allocations (a vector
//! growing in place counts its growth), every pool allocation and free and every heap
//! allocation of a [`SmartAlloc`], every scope rewind that gave memory back, and every frame
//! end. Records carry the call site (`#[track_caller]`, interned), the tag, the thread, the
//! frame, and the time since the thread's previous record.
//!
//! An arena hands its records over at the end of each of its frames (and when its buffer is
//! full, or it is dropped). With a [`SmartAlloc`], the thread calling
//! [`SmartFrame::end`](crate::SmartFrame::end) ends its arena's frame there; another thread's
//! arena ends the frame when that thread next uses the allocator, or hands its records over
//! when the thread exits (as its thread-locals are destroyed: join the thread, rather than
//! only leave a `std::thread::scope`, before taking a snapshot that must include it).
//! Otherwise a snapshot taken right after `end` may lack a worker's last frame.
//!
//! # The binary format, version 1
//!
//! All integers little-endian.
//!
//! | bytes | field |
//! | --- | --- |
//! | 8 | magic, [`MAGIC`] (`FAPROF` and two zero bytes) |
//! | 4 | format version, [`FORMAT_VERSION`] |
//! | 4 | record size, 32 |
//! | 8 | sampling interval in bytes |
//! | 8 | budget in bytes, `u64::MAX` for none |
//! | 8 | spike factor, an `f64`'s bits |
//! | 4 × 4 | counts of sites, tags, threads; then 0 |
//! | 8 | count of records |
//! | … | each site: line (4), column (4), file name length (4), the UTF-8 file name |
//! | … | each tag, then each thread: name length (4), the UTF-8 name |
//! | 0–7 | zeros, to a multiple of 8 bytes from the start |
//! | 32 × n | the records (see [`Record`]) |
//!
//! [`ProfileView::parse`] checks all of it and then reads records in place, without copying.
//!
//! [`Profile::to_chrome_trace`] writes the Chrome trace-event JSON that Perfetto
//! (<https://ui.perfetto.dev>) and `chrome://tracing` open; [`Profile::to_html`] the HTML report.
//!
//! [`ArenaConfig::profiler`]: crate::ArenaConfig::profiler
//! [`AllocConfig::profiler`]: crate::AllocConfig::profiler
//! [`FrameArena`]: crate::FrameArena
//! [`SmartAlloc`]: crate::SmartAlloc

mod analysis;
mod export;
mod html;
pub(crate) mod recorder;
#[cfg(feature = "tracy")]
pub mod tracy;

use core::fmt;
use core::panic::Location;
use std::collections::HashMap;
use std::string::String;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;
use std::vec::Vec;

pub use analysis::{FrameBytes, HotSite, Leak};
pub use export::{ParseError, ProfileView, FORMAT_VERSION, MAGIC};

use crate::FrameLayout;

/// Where a profiler sends events live, as they happen (besides recording them): Tracy (the
/// `tracy` feature, `profile::tracy::TracySink`) or anything else that implements it.
///
/// Frame memory is reported as one memory pool per arena: sampled allocations into it, and
/// one [`discard`](Self::discard) when its frame ends (the arena releases everything at
/// once) instead of a free per block. Pool blocks and heap allocations of a `SmartAlloc`
/// are allocations and frees in the pools `"framealloc pools"` and `"framealloc heap"`.
///
/// Calls come from the thread whose arena recorded the event, never under a lock of the
/// profiler.
pub trait EventSink: Send + Sync {
    /// A frame ended: the `SmartAlloc`'s frame, or a `FrameArena`'s reset.
    fn frame_mark(&self);
    /// `size` bytes at `address` were handed out from `pool` (for frame memory, a sampled
    /// request: about one in `weight` such requests is reported).
    fn alloc(&self, pool: &str, address: usize, size: usize);
    /// The block at `address` went back to `pool`.
    fn free(&self, pool: &str, address: usize);
    /// Every block of `pool` was released at once (an arena's frame ended).
    fn discard(&self, pool: &str);
    /// A value to plot: `name` is `framealloc <thread>: <tag>`, the value the estimated bytes
    /// of frame memory the tag took on that thread in the frame that ended.
    fn plot(&self, name: &str, value: f64);
}

/// A shared [`EventSink`] in a configuration.
#[derive(Clone)]
pub(crate) struct SinkRef(pub(crate) Arc<dyn EventSink>);

impl fmt::Debug for SinkRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EventSink")
    }
}

/// How a [`Profiler`] samples and buffers.
#[derive(Clone, Debug)]
pub struct ProfileConfig {
    pub(crate) sink: Option<SinkRef>,
    pub(crate) interval: usize,
    pub(crate) max_records_per_frame: Option<usize>,
    pub(crate) buffer_records: usize,
    pub(crate) spike_factor: f64,
    pub(crate) seed: Option<u64>,
}

impl ProfileConfig {
    /// The default sampling interval: one sample per 8 KiB of frame memory.
    pub const DEFAULT_INTERVAL: usize = 8 << 10;
    /// The default buffer of each arena: 4,096 records (128 KiB).
    pub const DEFAULT_BUFFER_RECORDS: usize = 4096;
    /// The largest sampling interval, to which an adaptive interval is capped: 1 GiB.
    pub const MAX_INTERVAL: usize = 1 << 30;

    /// Sampling every 8 KiB on average, no allowance per frame, 4,096 records per buffer.
    pub fn new() -> Self {
        ProfileConfig {
            sink: None,
            interval: Self::DEFAULT_INTERVAL,
            max_records_per_frame: None,
            buffer_records: Self::DEFAULT_BUFFER_RECORDS,
            spike_factor: 2.0,
            seed: None,
        }
    }

    /// One sample per `bytes` of frame memory on average: requests of at least `bytes` are
    /// always recorded, smaller ones with probability `size / bytes`. Clamped to
    /// `1..=MAX_INTERVAL`; 1 records everything.
    pub fn sample_interval(mut self, bytes: usize) -> Self {
        self.interval = bytes.clamp(1, Self::MAX_INTERVAL);
        self
    }

    /// Records every frame allocation (an interval of one byte).
    pub fn exhaustive(self) -> Self {
        self.sample_interval(1)
    }

    /// Adapts each arena's interval so that it records fewer than `records` sampled frame
    /// allocations per frame (see the [module documentation](self)). `None` (the default)
    /// keeps the interval fixed.
    pub fn max_records_per_frame(mut self, records: Option<usize>) -> Self {
        self.max_records_per_frame = records.map(|r| r.max(2));
        self
    }

    /// Records each arena buffers before handing them over (at least 16). The buffer is
    /// allocated when the arena is made; a full buffer is handed over early, under the
    /// profiler's lock.
    pub fn buffer_records(mut self, records: usize) -> Self {
        self.buffer_records = records.max(16);
        self
    }

    /// A frame whose estimated bytes exceed `factor` times the median frame's is a spike in
    /// reports (default 2).
    pub fn spike_factor(mut self, factor: f64) -> Self {
        self.spike_factor = if factor.is_finite() && factor > 1.0 {
            factor
        } else {
            2.0
        };
        self
    }

    /// Sends events live to `sink` as well as recording them (see [`EventSink`]).
    pub fn sink(mut self, sink: Arc<dyn EventSink>) -> Self {
        self.sink = Some(SinkRef(sink));
        self
    }

    /// Seeds the sample points' random phases, so that a deterministic program samples the
    /// same requests on every run (each arena mixes in its thread index). By default the
    /// seed is random.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// About how many bytes each arena's recorder holds under this configuration: its buffer
    /// of records and its caches of interned names (allocated when the arena is made).
    pub fn recorder_bytes(&self) -> usize {
        self.buffer_records * Record::SIZE + recorder::Recorder::cache_bytes()
    }

    /// The sampling interval in bytes.
    pub fn interval(&self) -> usize {
        self.interval
    }
}

impl Default for ProfileConfig {
    fn default() -> Self {
        Self::new()
    }
}

/// What a [`Record`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum EventKind {
    /// A sampled frame allocation (or in-place growth of a vector): `size` is the request,
    /// [`weight`](Record::weight) how many requests like it the record stands for.
    FrameAlloc = 0,
    /// A pool block handed out: `size` is the request, [`address`](Record::address) the block.
    PoolAlloc = 1,
    /// A pool block given back: `size` is the request, [`address`](Record::address) the
    /// block. The site is unknown (0).
    PoolFree = 2,
    /// A heap allocation of a [`SmartAlloc`](crate::SmartAlloc) (requests above the pools'
    /// largest class, and `heap_box`).
    Heap = 3,
    /// A scope or `frame` body gave memory back: `size` is the bytes given back.
    Rewind = 4,
    /// An arena's frame ended: `size` is the bytes in use at its end, `extra` its peak.
    FrameEnd = 5,
}

impl EventKind {
    const ALL: [EventKind; 6] = [
        EventKind::FrameAlloc,
        EventKind::PoolAlloc,
        EventKind::PoolFree,
        EventKind::Heap,
        EventKind::Rewind,
        EventKind::FrameEnd,
    ];

    /// The kind with this number, if there is one.
    pub fn from_u8(n: u8) -> Option<Self> {
        Self::ALL.get(usize::from(n)).copied()
    }

    /// A short name, as the exports write it.
    pub fn name(self) -> &'static str {
        match self {
            EventKind::FrameAlloc => "frame alloc",
            EventKind::PoolAlloc => "pool alloc",
            EventKind::PoolFree => "pool free",
            EventKind::Heap => "heap alloc",
            EventKind::Rewind => "rewind",
            EventKind::FrameEnd => "frame end",
        }
    }
}

/// One recorded event, 32 bytes (checked at compile time by `#[derive(FrameLayout)]`).
///
/// The binary export stores records as 32 little-endian bytes in field order: `size` (8),
/// `extra` (8), `site` (4), `frame` (4), `delta_ns` (4), `tag` (2), `thread` (1), and the
/// kind (low 3 bits) with the alignment's log2 (high 5 bits) in the last byte.
#[derive(Clone, Copy, PartialEq, Eq, Hash, FrameLayout)]
#[frame(max_size = 32, no_padding, crate = "crate")]
#[repr(C)]
pub struct Record {
    size: u64,
    /// The weight ×65,536 (`FrameAlloc`), the block's address (pool and heap events), the
    /// peak (`FrameEnd`).
    extra: u64,
    site: u32,
    frame: u32,
    delta_ns: u32,
    tag: u16,
    thread: u8,
    kind_align: u8,
}

/// Fixed-point unit of a weight: `extra` holds weight × 65,536.
pub(crate) const WEIGHT_ONE: u64 = 1 << 16;

impl Record {
    /// The size of a record in memory and in the binary export.
    pub const SIZE: usize = 32;

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        kind: EventKind,
        size: u64,
        align: usize,
        extra: u64,
        site: u32,
        tag: u16,
        thread: u8,
        frame: u32,
        delta_ns: u32,
    ) -> Self {
        let align_log2 = (align.max(1).trailing_zeros()).min(31) as u8;
        Record {
            size,
            extra,
            site,
            frame,
            delta_ns,
            tag,
            thread,
            kind_align: (kind as u8) | (align_log2 << 3),
        }
    }

    /// What the record is about (a record read from bytes with an unknown kind reads as
    /// [`EventKind::FrameEnd`]; [`ProfileView::parse`] refuses such records).
    pub fn kind(&self) -> EventKind {
        EventKind::from_u8(self.kind_align & 7).unwrap_or(EventKind::FrameEnd)
    }

    /// The request's size in bytes (see [`EventKind`] for the other kinds).
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The request's alignment (1 for events without one).
    pub fn align(&self) -> u64 {
        1u64 << (self.kind_align >> 3)
    }

    /// How many requests this record stands for: the inverse of its sampling probability
    /// (1 for everything but sampled frame allocations).
    pub fn weight(&self) -> f64 {
        match self.kind() {
            EventKind::FrameAlloc => self.extra as f64 / WEIGHT_ONE as f64,
            _ => 1.0,
        }
    }

    /// The block's address, for pool and heap events.
    pub fn address(&self) -> Option<u64> {
        matches!(
            self.kind(),
            EventKind::PoolAlloc | EventKind::PoolFree | EventKind::Heap
        )
        .then_some(self.extra)
    }

    /// The frame's peak bytes, for a frame end.
    pub fn peak(&self) -> Option<u64> {
        (self.kind() == EventKind::FrameEnd).then_some(self.extra)
    }

    /// The raw `extra` field (see the type's documentation).
    pub fn extra(&self) -> u64 {
        self.extra
    }

    /// The call site's index in the profile's [`sites`](Profile::sites) (0: unknown).
    pub fn site(&self) -> u32 {
        self.site
    }

    /// The tag's index in the profile's [`tags`](Profile::tags) (0: no tag).
    pub fn tag(&self) -> u16 {
        self.tag
    }

    /// The recording thread's index in the profile's [`threads`](Profile::threads).
    pub fn thread(&self) -> u8 {
        self.thread
    }

    /// The frame number (of the arena, or of the `SmartAlloc`), modulo 2^32.
    pub fn frame(&self) -> u32 {
        self.frame
    }

    /// Nanoseconds since the thread's previous record (since the profiler was made, for its
    /// first), saturating at about 4.3 seconds.
    pub fn delta_ns(&self) -> u32 {
        self.delta_ns
    }

    /// The record's 32 bytes, as the binary export stores them.
    pub fn to_bytes(&self) -> [u8; 32] {
        let mut b = [0u8; 32];
        b[0..8].copy_from_slice(&self.size.to_le_bytes());
        b[8..16].copy_from_slice(&self.extra.to_le_bytes());
        b[16..20].copy_from_slice(&self.site.to_le_bytes());
        b[20..24].copy_from_slice(&self.frame.to_le_bytes());
        b[24..28].copy_from_slice(&self.delta_ns.to_le_bytes());
        b[28..30].copy_from_slice(&self.tag.to_le_bytes());
        b[30] = self.thread;
        b[31] = self.kind_align;
        b
    }

    /// A record from its 32 bytes.
    pub fn from_bytes(b: &[u8; 32]) -> Self {
        let u64_at = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"));
        let u32_at = |i: usize| u32::from_le_bytes(b[i..i + 4].try_into().expect("4 bytes"));
        Record {
            size: u64_at(0),
            extra: u64_at(8),
            site: u32_at(16),
            frame: u32_at(20),
            delta_ns: u32_at(24),
            tag: u16::from_le_bytes([b[28], b[29]]),
            thread: b[30],
            kind_align: b[31],
        }
    }
}

impl fmt::Debug for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Record")
            .field("kind", &self.kind())
            .field("size", &self.size)
            .field("align", &self.align())
            .field("extra", &self.extra)
            .field("site", &self.site)
            .field("tag", &self.tag)
            .field("thread", &self.thread)
            .field("frame", &self.frame)
            .field("delta_ns", &self.delta_ns)
            .finish()
    }
}

/// A call site: where in the source an allocation was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Site<'a> {
    /// The source file, as the compiler names it.
    pub file: &'a str,
    /// The line, from 1 (0 for the unknown site).
    pub line: u32,
    /// The column, from 1 (0 for the unknown site).
    pub column: u32,
}

impl Site<'_> {
    /// The site of events without one (pool frees, frame ends).
    pub const UNKNOWN: Site<'static> = Site {
        file: "<unknown>",
        line: 0,
        column: 0,
    };
}

impl fmt::Display for Site<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

impl From<&'static Location<'static>> for Site<'static> {
    fn from(l: &'static Location<'static>) -> Self {
        Site {
            file: l.file(),
            line: l.line(),
            column: l.column(),
        }
    }
}

/// Collects the records of every arena it is attached to. Cloning it shares it.
///
/// See the [module documentation](self).
#[derive(Clone)]
pub struct Profiler {
    pub(crate) shared: Arc<Shared>,
}

pub(crate) struct Shared {
    pub(crate) config: ProfileConfig,
    pub(crate) start: Instant,
    pub(crate) data: Mutex<Collected>,
}

/// What the arenas handed over, and the interned names.
pub(crate) struct Collected {
    pub(crate) records: Vec<Record>,
    pub(crate) sites: Vec<Site<'static>>,
    pub(crate) site_ids: HashMap<Site<'static>, u32>,
    pub(crate) tags: Vec<&'static str>,
    pub(crate) tag_ids: HashMap<&'static str, u16>,
    pub(crate) threads: Vec<String>,
    pub(crate) budget: Option<u64>,
}

impl Profiler {
    /// A profiler recording as `config` says; attach it with [`ArenaConfig::profiler`] or
    /// [`AllocConfig::profiler`].
    ///
    /// [`ArenaConfig::profiler`]: crate::ArenaConfig::profiler
    /// [`AllocConfig::profiler`]: crate::AllocConfig::profiler
    pub fn new(config: ProfileConfig) -> Self {
        Profiler {
            shared: Arc::new(Shared {
                config,
                start: Instant::now(),
                data: Mutex::new(Collected {
                    records: Vec::new(),
                    sites: vec![Site::UNKNOWN],
                    site_ids: HashMap::new(),
                    tags: vec![""],
                    tag_ids: HashMap::new(),
                    threads: Vec::new(),
                    budget: None,
                }),
            }),
        }
    }

    /// The configuration it was made with.
    pub fn config(&self) -> &ProfileConfig {
        &self.shared.config
    }

    /// Records handed over so far.
    pub fn record_count(&self) -> usize {
        self.shared.lock().records.len()
    }

    /// A copy of everything handed over so far (records still in arenas' buffers are not in
    /// it: see the [module documentation](self)).
    pub fn snapshot(&self) -> Profile {
        let data = self.shared.lock();
        Profile {
            records: data.records.clone(),
            sites: data.sites.iter().map(|s| s.to_owned_site()).collect(),
            tags: data.tags.iter().map(|t| String::from(*t)).collect(),
            threads: data.threads.clone(),
            interval: self.shared.config.interval as u64,
            budget: data.budget,
            spike_factor: self.shared.config.spike_factor,
        }
    }

    /// Drops every record handed over so far (names stay interned).
    pub fn clear(&self) {
        self.shared.lock().records.clear();
    }

    /// A `SmartAlloc` frame ended: a frame mark for the sink, if there is one.
    pub(crate) fn frame_mark(&self) {
        if let Some(sink) = &self.shared.config.sink {
            sink.0.frame_mark();
        }
    }

    /// A pool block freed on a thread that has no arena of the allocator: recorded straight
    /// into the collection.
    pub(crate) fn record_foreign_free(&self, layout: core::alloc::Layout, address: usize) {
        let record = Record::new(
            EventKind::PoolFree,
            layout.size() as u64,
            layout.align(),
            address as u64,
            0,
            0,
            u8::MAX,
            0,
            0,
        );
        self.shared.lock().records.push(record);
        if let Some(sink) = &self.shared.config.sink {
            sink.0.free(recorder::POOLS, address);
        }
    }
}

impl fmt::Debug for Profiler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profiler")
            .field("config", &self.shared.config)
            .field("records", &self.record_count())
            .finish()
    }
}

impl Shared {
    /// The collected data; a panic elsewhere while it was held cannot leave it inconsistent
    /// (every update is a push or an insert), so a poisoned lock is taken over.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Collected> {
        self.data.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Collected {
    pub(crate) fn intern_site(&mut self, site: &'static Location<'static>) -> u32 {
        let site = Site::from(site);
        if let Some(&id) = self.site_ids.get(&site) {
            return id;
        }
        let id = u32::try_from(self.sites.len()).unwrap_or(u32::MAX);
        if id != u32::MAX {
            self.sites.push(site);
            self.site_ids.insert(site, id);
        }
        id
    }

    pub(crate) fn intern_tag(&mut self, tag: &'static str) -> u16 {
        if let Some(&id) = self.tag_ids.get(tag) {
            return id;
        }
        let id = u16::try_from(self.tags.len()).unwrap_or(u16::MAX);
        if id != u16::MAX {
            self.tags.push(tag);
            self.tag_ids.insert(tag, id);
        }
        id
    }
}

/// A call site with its own strings (in a [`Profile`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OwnedSite {
    /// The source file.
    pub file: String,
    /// The line (0 for the unknown site).
    pub line: u32,
    /// The column (0 for the unknown site).
    pub column: u32,
}

impl OwnedSite {
    /// The site, borrowing its file name.
    pub fn as_site(&self) -> Site<'_> {
        Site {
            file: &self.file,
            line: self.line,
            column: self.column,
        }
    }
}

impl Site<'_> {
    /// The site with its own copy of the file name.
    pub fn to_owned_site(&self) -> OwnedSite {
        OwnedSite {
            file: self.file.into(),
            line: self.line,
            column: self.column,
        }
    }
}

/// The records of a profiler, with the names they refer to: what [`Profiler::snapshot`]
/// returns and [`ProfileView::to_profile`] reads back.
#[derive(Clone, Debug)]
pub struct Profile {
    pub(crate) records: Vec<Record>,
    pub(crate) sites: Vec<OwnedSite>,
    pub(crate) tags: Vec<String>,
    pub(crate) threads: Vec<String>,
    pub(crate) interval: u64,
    pub(crate) budget: Option<u64>,
    pub(crate) spike_factor: f64,
}

impl Profile {
    /// The records, in the order the arenas handed them over (each thread's in its order).
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// The call sites, indexed by [`Record::site`]; index 0 is [`Site::UNKNOWN`].
    pub fn sites(&self) -> &[OwnedSite] {
        &self.sites
    }

    /// The tags, indexed by [`Record::tag`]; index 0 is the empty name (no tag).
    pub fn tags(&self) -> &[String] {
        &self.tags
    }

    /// The threads, indexed by [`Record::thread`].
    pub fn threads(&self) -> &[String] {
        &self.threads
    }

    /// The sampling interval the profiler was configured with, in bytes.
    pub fn interval(&self) -> u64 {
        self.interval
    }

    /// The frame budget of the profiled arenas, if one was configured (the largest, if they
    /// differ); the reports draw it.
    pub fn budget(&self) -> Option<u64> {
        self.budget
    }

    pub(crate) fn site(&self, id: u32) -> Site<'_> {
        self.sites
            .get(id as usize)
            .map_or(Site::UNKNOWN, OwnedSite::as_site)
    }

    pub(crate) fn tag_name(&self, id: u16) -> &str {
        self.tags.get(usize::from(id)).map_or("?", String::as_str)
    }

    pub(crate) fn thread_name(&self, id: u8) -> &str {
        self.threads
            .get(usize::from(id))
            .map_or("?", String::as_str)
    }
}
