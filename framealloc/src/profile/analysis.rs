//! What a profile says: bytes per frame and tag, hot sites, pool blocks alive too long.

use std::collections::HashMap;
use std::string::String;
use std::vec::Vec;

use super::{EventKind, OwnedSite, Profile, Record};

/// One frame of a profile: estimated frame-memory bytes by tag, and the arenas' peak.
#[derive(Clone, Debug, PartialEq)]
pub struct FrameBytes {
    /// The frame number (modulo 2^32).
    pub frame: u32,
    /// Estimated bytes of frame memory requested in the frame (sampled records, weighted).
    pub bytes: u64,
    /// Estimated requests.
    pub requests: u64,
    /// `bytes` by tag, largest first; untagged bytes under `"(untagged)"`.
    pub by_tag: Vec<(String, u64)>,
    /// The sum of the arenas' peaks in the frame (exact; 0 if no arena ended the frame yet).
    pub peak: u64,
    /// Whether the frame's bytes exceed the spike factor times the median frame's.
    pub spike: bool,
}

/// A call site's estimated share.
#[derive(Clone, Debug, PartialEq)]
pub struct HotSite {
    /// Where the requests were made.
    pub site: OwnedSite,
    /// Estimated bytes requested (frame memory, pool and heap).
    pub bytes: u64,
    /// Estimated requests.
    pub requests: u64,
    /// Records behind the estimate.
    pub records: u64,
}

/// A pool block still alive at the profile's last frame, allocated `age` frames before it.
#[derive(Clone, Debug, PartialEq)]
pub struct Leak {
    /// Where it was allocated.
    pub site: OwnedSite,
    /// Its requested size.
    pub size: u64,
    /// Its address.
    pub address: u64,
    /// The frame it was allocated in.
    pub frame: u32,
    /// Frames from its allocation to the profile's last frame.
    pub age: u32,
    /// The thread that allocated it.
    pub thread: String,
}

const UNTAGGED: &str = "(untagged)";

/// Estimated bytes and requests of a record, or `None` if it is not a request.
fn estimate(r: &Record) -> Option<(f64, f64)> {
    match r.kind() {
        EventKind::FrameAlloc | EventKind::PoolAlloc | EventKind::Heap => {
            let w = r.weight();
            Some((r.size() as f64 * w, w))
        }
        _ => None,
    }
}

impl Profile {
    /// Every frame with frame memory recorded (a sampled allocation or an arena's frame
    /// end), in frame order, with its estimated bytes by tag, its
    /// peak, and whether it is a spike.
    pub fn frames(&self) -> Vec<FrameBytes> {
        #[derive(Default)]
        struct Acc {
            bytes: f64,
            requests: f64,
            by_tag: HashMap<u16, f64>,
            peak: u64,
        }
        let mut frames: HashMap<u32, Acc> = HashMap::new();
        // Only frame memory makes a frame's row: pool and heap events (a free on a thread
        // without an arena carries no frame at all) and rewinds do not.
        for r in &self.records {
            if !matches!(r.kind(), EventKind::FrameAlloc | EventKind::FrameEnd) {
                continue;
            }
            let acc = frames.entry(r.frame()).or_default();
            match r.kind() {
                EventKind::FrameAlloc => {
                    let (bytes, requests) = estimate(r).unwrap_or_default();
                    acc.bytes += bytes;
                    acc.requests += requests;
                    *acc.by_tag.entry(r.tag()).or_default() += bytes;
                }
                EventKind::FrameEnd => acc.peak += r.extra(),
                _ => {}
            }
        }
        let mut out: Vec<FrameBytes> = frames
            .into_iter()
            .map(|(frame, acc)| {
                let mut by_tag: Vec<(String, u64)> = acc
                    .by_tag
                    .into_iter()
                    .map(|(tag, bytes)| {
                        let name = match self.tag_name(tag) {
                            "" => UNTAGGED,
                            name => name,
                        };
                        (String::from(name), bytes.round() as u64)
                    })
                    .collect();
                by_tag.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                FrameBytes {
                    frame,
                    bytes: acc.bytes.round() as u64,
                    requests: acc.requests.round() as u64,
                    by_tag,
                    peak: acc.peak,
                    spike: false,
                }
            })
            .collect();
        out.sort_by_key(|f| f.frame);
        let mut sorted: Vec<u64> = out.iter().map(|f| f.bytes).collect();
        sorted.sort_unstable();
        if let Some(&median) = sorted.get(sorted.len() / 2) {
            let bar = median as f64 * self.spike_factor;
            for f in &mut out {
                f.spike = median > 0 && f.bytes as f64 > bar;
            }
        }
        out
    }

    fn sites_where(&self, keep: impl Fn(&Record) -> bool) -> Vec<HotSite> {
        let mut acc: HashMap<u32, (f64, f64, u64)> = HashMap::new();
        for r in self.records.iter().filter(|r| keep(r)) {
            if let Some((bytes, requests)) = estimate(r) {
                let e = acc.entry(r.site()).or_default();
                e.0 += bytes;
                e.1 += requests;
                e.2 += 1;
            }
        }
        acc.into_iter()
            .map(|(site, (bytes, requests, records))| HotSite {
                site: self.site(site).to_owned_site(),
                bytes: bytes.round() as u64,
                requests: requests.round() as u64,
                records,
            })
            .collect()
    }

    fn top(mut sites: Vec<HotSite>, n: usize, by_bytes: bool) -> Vec<HotSite> {
        sites.sort_by(|a, b| {
            let (x, y) = if by_bytes {
                (a.bytes, b.bytes)
            } else {
                (a.requests, b.requests)
            };
            y.cmp(&x)
                .then_with(|| a.site.as_site().cmp(&b.site.as_site()))
        });
        sites.truncate(n);
        sites
    }

    /// The `n` call sites with the most estimated bytes over the whole profile (frame
    /// memory, pools and heap), most first.
    pub fn hot_sites_by_bytes(&self, n: usize) -> Vec<HotSite> {
        Self::top(self.sites_where(|_| true), n, true)
    }

    /// The `n` call sites with the most estimated requests over the whole profile.
    pub fn hot_sites_by_count(&self, n: usize) -> Vec<HotSite> {
        Self::top(self.sites_where(|_| true), n, false)
    }

    /// The `n` call sites with the most estimated bytes in frame `frame`.
    pub fn hot_sites_in_frame(&self, frame: u32, n: usize) -> Vec<HotSite> {
        Self::top(self.sites_where(|r| r.frame() == frame), n, true)
    }

    /// The `n` call sites with the most estimated requests in frame `frame`.
    pub fn hot_sites_in_frame_by_count(&self, frame: u32, n: usize) -> Vec<HotSite> {
        Self::top(self.sites_where(|r| r.frame() == frame), n, false)
    }

    /// Pool blocks allocated and not freed, at least `min_age` frames old at the profile's
    /// last frame, oldest first (the original framealloc's `find_leaks`).
    ///
    /// Allocations and frees are matched by address: for each address, as many of its latest
    /// allocations are alive as it had allocations more than frees.
    pub fn leaks(&self, min_age: u32) -> Vec<Leak> {
        let last = self.records.iter().map(Record::frame).max().unwrap_or(0);
        let mut by_address: HashMap<u64, (Vec<&Record>, u64)> = HashMap::new();
        for r in &self.records {
            match r.kind() {
                EventKind::PoolAlloc => by_address.entry(r.extra()).or_default().0.push(r),
                EventKind::PoolFree => by_address.entry(r.extra()).or_default().1 += 1,
                _ => {}
            }
        }
        let mut leaks = Vec::new();
        for (address, (mut allocs, frees)) in by_address {
            let alive = (allocs.len() as u64).saturating_sub(frees) as usize;
            allocs.sort_by_key(|r| r.frame());
            for r in &allocs[allocs.len() - alive..] {
                let age = last.wrapping_sub(r.frame());
                if age >= min_age {
                    leaks.push(Leak {
                        site: self.site(r.site()).to_owned_site(),
                        size: r.size(),
                        address,
                        frame: r.frame(),
                        age,
                        thread: self.thread_name(r.thread()).into(),
                    });
                }
            }
        }
        leaks.sort_by(|a, b| {
            b.age
                .cmp(&a.age)
                .then_with(|| a.site.as_site().cmp(&b.site.as_site()))
                .then_with(|| a.address.cmp(&b.address))
        });
        leaks
    }
}
