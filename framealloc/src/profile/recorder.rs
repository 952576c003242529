//! An arena's side of the profiler: its buffer of records, its caches of interned names, its
//! sampling interval and random phase. Only the arena's owner thread uses it; it takes the
//! profiler's lock to intern a name it has not seen, and to hand its buffer over.

use core::cell::{Cell, RefCell};
use core::panic::Location;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;
use std::vec::Vec;

use super::{EventKind, EventSink, Profiler, Record, Shared, WEIGHT_ONE};

/// The sink's pool of `SmartAlloc` pool blocks.
pub(crate) const POOLS: &str = "framealloc pools";
/// The sink's pool of `SmartAlloc` heap allocations.
pub(crate) const HEAP: &str = "framealloc heap";

pub(crate) struct Recorder {
    shared: Arc<Shared>,
    /// Where events go live, if anywhere, with this arena's pool name, whether its frame
    /// ends are frame marks (a `FrameArena`'s; a `SmartAlloc` marks its own frames), and the
    /// frame's estimated bytes by tag (for the plots).
    sink: Option<Arc<dyn EventSink>>,
    pool: std::string::String,
    marks_frames: bool,
    tag_bytes: RefCell<Vec<(Option<&'static str>, f64)>>,
    thread: u8,
    /// The current sampling interval in bytes (adaptive between `base` and `MAX_INTERVAL`).
    interval: Cell<usize>,
    base: usize,
    /// The per-frame allowance of sampled records, if any, and what is left of its current
    /// half before the interval doubles.
    allowance: Option<usize>,
    allowance_left: Cell<usize>,
    sampled_this_frame: Cell<usize>,
    /// Estimated bytes of the frame's sampled requests (for the next frame's interval).
    estimated_this_frame: Cell<f64>,
    rng: Cell<u64>,
    frame: Cell<u32>,
    last: Cell<Instant>,
    local: RefCell<Local>,
}

/// Sites an arena remembers without asking the profiler. Past this many, new sites are
/// looked up under the profiler's lock each time rather than the map growing on the
/// allocation path.
const LOCAL_NAMES: usize = 1024;

/// Slots of the direct-mapped cache of site ids in front of the map.
const SITE_SLOTS: usize = 256;

struct Local {
    buffer: Vec<Record>,
    /// `Location` address → site id, direct-mapped: most lookups end here.
    recent_sites: [(usize, u32); SITE_SLOTS],
    /// `Location` address → site id, every site this arena has seen.
    sites: HashMap<usize, u32>,
    /// Tag string address and length → tag id.
    tags: HashMap<(usize, usize), u16>,
}

/// An arena's sampling of what it hands out.
pub(crate) struct SampleSite {
    pub(crate) kind: EventKind,
    pub(crate) size: usize,
    pub(crate) align: usize,
    pub(crate) extra: u64,
    pub(crate) site: Option<&'static Location<'static>>,
    pub(crate) tag: Option<&'static str>,
    /// The block's address, for the sink (0 where there is none).
    pub(crate) address: usize,
}

impl Recorder {
    /// A recorder for a new arena on the calling thread, registered with `profiler` under the
    /// thread's name.
    pub(crate) fn new(profiler: &Profiler, budget: Option<usize>, marks_frames: bool) -> Recorder {
        let shared = Arc::clone(&profiler.shared);
        let config = &shared.config;
        let thread = {
            let mut data = shared.lock();
            // Threads of one name (a worker made again each frame) share an index.
            let name = std::thread::current()
                .name()
                .map_or_else(|| format!("thread {}", data.threads.len()), Into::into);
            let id = match data.threads.iter().position(|t| *t == name) {
                Some(i) => u8::try_from(i).unwrap_or(u8::MAX),
                None => {
                    let id = u8::try_from(data.threads.len()).unwrap_or(u8::MAX);
                    if id != u8::MAX {
                        data.threads.push(name);
                    } else if data.threads.len() == usize::from(u8::MAX) {
                        data.threads.push("other threads".into());
                    }
                    id
                }
            };
            if let Some(b) = budget {
                data.budget = Some(data.budget.unwrap_or(0).max(b as u64));
            }
            id
        };
        let thread_name = shared.lock().threads.get(usize::from(thread)).cloned();
        let allowance = config.max_records_per_frame;
        // Each arena its own random phases: a seed from the configuration (or random), mixed
        // with its thread index.
        let base_seed = config.seed.unwrap_or_else(|| {
            use std::hash::{BuildHasher, Hasher};
            // The standard library's per-process random keys.
            std::collections::hash_map::RandomState::new()
                .build_hasher()
                .finish()
        });
        let seed = base_seed ^ (u64::from(thread) + 1).wrapping_mul(0xD1B5_4A32_D192_ED03);
        Recorder {
            sink: config.sink.as_ref().map(|s| Arc::clone(&s.0)),
            pool: format!(
                "framealloc frame memory: {}",
                thread_name.as_deref().unwrap_or("other threads")
            ),
            marks_frames,
            tag_bytes: RefCell::new(Vec::with_capacity(16)),
            thread,
            interval: Cell::new(config.interval),
            base: config.interval,
            allowance,
            allowance_left: Cell::new(allowance.map_or(usize::MAX, |a| a / 2)),
            sampled_this_frame: Cell::new(0),
            estimated_this_frame: Cell::new(0.0),
            rng: Cell::new(seed | 1),
            frame: Cell::new(0),
            last: Cell::new(shared.start),
            local: RefCell::new(Local {
                buffer: Vec::with_capacity(config.buffer_records),
                recent_sites: [(0, 0); SITE_SLOTS],
                sites: HashMap::with_capacity(LOCAL_NAMES),
                tags: HashMap::with_capacity(64),
            }),
            shared,
        }
    }

    /// About what the caches of names take: the direct-mapped slots and the two maps (with
    /// hashbrown's control byte per bucket, buckets a power of two at least 8/7 of the
    /// capacity).
    pub(crate) fn cache_bytes() -> usize {
        fn map_bytes(capacity: usize, entry: usize) -> usize {
            (capacity * 8 / 7).next_power_of_two() * (entry + 1)
        }
        SITE_SLOTS * core::mem::size_of::<(usize, u32)>()
            + map_bytes(LOCAL_NAMES, core::mem::size_of::<(usize, u32)>())
            + map_bytes(64, core::mem::size_of::<((usize, usize), u16)>())
    }

    /// The current sampling interval in bytes.
    pub(crate) fn interval(&self) -> usize {
        self.interval.get()
    }

    /// A random distance to the first sample point of a chunk or frame: uniform in
    /// `0..interval`, so that every request's chance of being sampled is its footprint over
    /// the interval whatever came before (and 1 from the interval up).
    pub(crate) fn gap(&self) -> usize {
        // xorshift64*
        let mut x = self.rng.get();
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng.set(x);
        let r = x.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (r % self.interval.get() as u64) as usize
    }

    /// The weight of a sampled request whose footprint (with alignment padding) was
    /// `footprint` bytes: the inverse of its chance, `footprint / interval`, or 1.
    pub(crate) fn weight(&self, footprint: usize) -> u64 {
        let interval = self.interval.get() as u128;
        let footprint = footprint.max(1) as u128;
        if footprint >= interval {
            WEIGHT_ONE
        } else {
            ((interval << 16) / footprint) as u64
        }
    }

    /// Records a sampled frame allocation, then applies the per-frame allowance.
    pub(crate) fn sampled(&self, event: SampleSite) {
        let estimate = event.size as f64 * event.extra as f64 / WEIGHT_ONE as f64;
        self.estimated_this_frame
            .set(self.estimated_this_frame.get() + estimate);
        if let Some(sink) = &self.sink {
            sink.alloc(&self.pool, event.address, event.size);
            let mut tags = self.tag_bytes.borrow_mut();
            match tags.iter_mut().find(|(t, _)| *t == event.tag) {
                Some((_, bytes)) => *bytes += estimate,
                None => tags.push((event.tag, estimate)),
            }
        }
        self.record(event);
        self.sampled_this_frame
            .set(self.sampled_this_frame.get().saturating_add(1));
        if let Some(allowance) = self.allowance {
            let left = self.allowance_left.get().saturating_sub(1);
            if left == 0 {
                // Half of what was left is used: double the interval for the rest of the
                // frame (records taken so far keep their weights).
                // With one record left, only requests of the largest interval are sampled
                // for the rest of the frame.
                let remaining = allowance.saturating_sub(self.sampled_this_frame.get() + 1);
                let max = super::ProfileConfig::MAX_INTERVAL;
                self.interval.set(if remaining / 2 == 0 {
                    max
                } else {
                    (self.interval.get() * 2).min(max)
                });
                self.allowance_left.set((remaining / 2).max(1));
            } else {
                self.allowance_left.set(left);
            }
        }
    }

    /// Appends one record, handing the buffer over first if it is full.
    #[inline(never)]
    pub(crate) fn record(&self, event: SampleSite) {
        if let Some(sink) = &self.sink {
            match event.kind {
                EventKind::PoolAlloc => sink.alloc(POOLS, event.address, event.size),
                EventKind::PoolFree => sink.free(POOLS, event.address),
                EventKind::Heap => sink.alloc(HEAP, event.address, event.size),
                _ => {}
            }
        }
        let now = Instant::now();
        let delta = now.saturating_duration_since(self.last.get()).as_nanos();
        self.last.set(now);
        let mut local = self.local.borrow_mut();
        let site = match event.site {
            None => 0,
            Some(l) => {
                let key = core::ptr::from_ref(l).addr();
                // `Location`s are at least 4-byte aligned and 24 bytes apart.
                let slot = (key >> 3) % SITE_SLOTS;
                match local.recent_sites[slot] {
                    (k, id) if k == key => id,
                    _ => {
                        let id = match local.sites.get(&key) {
                            Some(&id) => id,
                            None => {
                                let id = self.shared.lock().intern_site(l);
                                if local.sites.len() < local.sites.capacity() {
                                    local.sites.insert(key, id);
                                }
                                id
                            }
                        };
                        local.recent_sites[slot] = (key, id);
                        id
                    }
                }
            }
        };
        let tag = match event.tag {
            None => 0,
            Some(t) => {
                let key = (t.as_ptr().addr(), t.len());
                match local.tags.get(&key) {
                    Some(&id) => id,
                    None => {
                        let id = self.shared.lock().intern_tag(t);
                        if local.tags.len() < local.tags.capacity() {
                            local.tags.insert(key, id);
                        }
                        id
                    }
                }
            }
        };
        if local.buffer.len() == local.buffer.capacity() {
            Self::hand_over(&self.shared, &mut local.buffer);
        }
        local.buffer.push(Record::new(
            event.kind,
            event.size as u64,
            event.align,
            event.extra,
            site,
            tag,
            self.thread,
            self.frame.get(),
            u32::try_from(delta).unwrap_or(u32::MAX),
        ));
    }

    /// The arena's frame ended with `used` bytes in use and a peak of `peak`: records it,
    /// relaxes an adaptive interval after a quiet frame, hands the buffer over and moves on
    /// to the next frame.
    pub(crate) fn frame_ended(&self, used: usize, peak: usize, tag: Option<&'static str>) {
        // A frame in which the arena held nothing is not one of its frames (an idle worker,
        // an allocator being dropped).
        if used > 0 || peak > 0 {
            self.record(SampleSite {
                kind: EventKind::FrameEnd,
                size: used,
                align: 1,
                extra: peak as u64,
                site: None,
                tag,
                address: 0,
            });
        }
        if let Some(sink) = &self.sink {
            sink.discard(&self.pool);
            let thread = self.pool.trim_start_matches("framealloc frame memory: ");
            for (tag, bytes) in self.tag_bytes.borrow_mut().iter_mut() {
                let name = format!("framealloc {thread}: {}", tag.unwrap_or("(untagged)"));
                sink.plot(&name, *bytes);
                *bytes = 0.0;
            }
            if self.marks_frames {
                sink.frame_mark();
            }
        }
        if let Some(allowance) = self.allowance {
            // The next frame starts where this one's volume would have given half the
            // allowance; the doubling within the frame still guards it.
            let target = (allowance / 2).max(1) as f64;
            // The volume: what the samples estimate, or the frame's peak if more (an
            // interval that ran to its largest estimates little).
            let volume = self.estimated_this_frame.get().max(peak as f64);
            let next = (volume / target) as usize;
            self.interval
                .set(next.clamp(self.base, super::ProfileConfig::MAX_INTERVAL));
            self.allowance_left.set(allowance / 2);
        }
        self.sampled_this_frame.set(0);
        self.estimated_this_frame.set(0.0);
        self.flush();
        self.frame.set(self.frame.get().wrapping_add(1));
    }

    /// Sets the frame number the next records carry (a `SmartAlloc` thread's arena follows
    /// the allocator's frames).
    pub(crate) fn set_frame(&self, frame: u64) {
        self.frame.set(frame as u32);
    }

    /// Hands the buffered records over to the profiler.
    pub(crate) fn flush(&self) {
        let mut local = self.local.borrow_mut();
        if !local.buffer.is_empty() {
            Self::hand_over(&self.shared, &mut local.buffer);
        }
    }

    #[cold]
    fn hand_over(shared: &Shared, buffer: &mut Vec<Record>) {
        shared.lock().records.extend_from_slice(buffer);
        buffer.clear();
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.flush();
    }
}
