//! framealloc beside the crates a user would otherwise pick, on identical work.
//!
//! Every workload lives here once, as a [`Group`] of [`Case`]s: one group per operation, one
//! case per allocator. Two front ends run them:
//!
//! - the criterion benches in `benches/` (`cargo bench -p framealloc-benches`), full length,
//!   with criterion's statistics and HTML plots under `target/criterion/report/index.html`;
//! - the `report` binary (`cargo run --release -p framealloc-benches --bin report`), which runs
//!   a short version of every group in one process, interleaving the cases of each group round
//!   by round, and prints one markdown table (see [`report`]).
//!
//! Every frame-style case resets between frames: one iteration is one whole frame (allocate,
//! then reset or free), so no case ever times a full or growing arena, and allocators that free
//! one block at a time pay for their frees.
#![allow(clippy::new_without_default)]

use std::time::{Duration, Instant};

mod cases;
pub mod hand;
pub mod report;
pub mod resident;

/// Who a case measures: framealloc, or one of the peers a user would pick instead. The order
/// is the order of the report's columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Peer {
    /// `bumpalo`.
    Bumpalo,
    /// `bump-scope`.
    BumpScope,
    /// `blink-alloc`.
    Blink,
    /// `mimalloc`, through its `GlobalAlloc` (or an allocator-api2 adapter for vectors).
    Mimalloc,
    /// The system allocator (`std::alloc::System`, `std::vec::Vec`).
    System,
    /// `soa_derive`, the common struct-of-arrays derive.
    SoaDerive,
    /// Hand-written code: a pointer bump, a free list or scalar struct-of-arrays columns, the
    /// practical limit.
    Hand,
}

impl Peer {
    /// Every peer, in column order.
    pub const ALL: [Peer; 7] = [
        Peer::Bumpalo,
        Peer::BumpScope,
        Peer::Blink,
        Peer::Mimalloc,
        Peer::System,
        Peer::SoaDerive,
        Peer::Hand,
    ];

    /// The peer's name, as in its crate (criterion case names use it too).
    pub fn name(self) -> &'static str {
        match self {
            Peer::Bumpalo => "bumpalo",
            Peer::BumpScope => "bump-scope",
            Peer::Blink => "blink-alloc",
            Peer::Mimalloc => "mimalloc",
            Peer::System => "system",
            Peer::SoaDerive => "soa_derive",
            Peer::Hand => "hand-written",
        }
    }
}

/// The subject of a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// framealloc, through the route named here (`"FrameArena"`, `"push_within_capacity"`..).
    Framealloc(&'static str),
    /// A peer.
    Peer(Peer),
}

/// A timed loop: runs `iters` iterations (frames) and returns the time they took. The same
/// shape as criterion's `iter_custom`, so threaded cases can time themselves.
pub type Timed = Box<dyn FnMut(u64) -> Duration>;

/// One allocator on one group's workload. It owns its state (arenas, pools, threads).
pub struct Case {
    /// Whose code runs.
    pub subject: Subject,
    /// What the peer's code does, where the group leaves room for doubt (`"push"`, `"Blink"`).
    pub detail: &'static str,
    run: Timed,
}

impl Case {
    fn new(subject: Subject, detail: &'static str, run: Timed) -> Self {
        Case {
            subject,
            detail,
            run,
        }
    }

    /// A framealloc case.
    fn ours(route: &'static str, run: Timed) -> Self {
        Case::new(Subject::Framealloc(route), "", run)
    }

    /// A peer's case.
    fn peer(peer: Peer, detail: &'static str, run: Timed) -> Self {
        Case::new(Subject::Peer(peer), detail, run)
    }

    /// The criterion case name, letters, digits and `_` only: `framealloc_<route>` or the
    /// peer's name (`framealloc_SmartFrame_frame_alloc`, `bump_scope`).
    pub fn name(&self) -> String {
        let raw = match self.subject {
            Subject::Framealloc(route) => format!("framealloc_{route}"),
            Subject::Peer(p) => p.name().to_owned(),
        };
        let mut name = String::with_capacity(raw.len());
        for c in raw.chars() {
            if c.is_ascii_alphanumeric() {
                name.push(c);
            } else if !name.is_empty() && !name.ends_with('_') {
                name.push('_');
            }
        }
        name.trim_end_matches('_').to_owned()
    }

    /// Runs `iters` iterations and returns their time.
    pub fn run(&mut self, iters: u64) -> Duration {
        (self.run)(iters)
    }
}

/// One operation, with framealloc and its peers doing identical work.
pub struct Group {
    /// The criterion group name (`alloc_u64`).
    pub name: String,
    /// What one operation is, for the report (`"alloc u64"`).
    pub title: String,
    /// Operations per iteration: times are reported per operation.
    pub ops: u64,
    /// The cases, framealloc's first.
    pub cases: Vec<Case>,
}

/// Lines a group adds under the report's table (figures that are not ns/op).
static NOTES: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// Adds a line under the report's table.
#[cfg_attr(not(feature = "profiler"), allow(dead_code))]
pub(crate) fn note(line: String) {
    NOTES.lock().unwrap_or_else(|e| e.into_inner()).push(line);
}

/// Takes the lines groups added under the report's table.
pub fn take_notes() -> Vec<String> {
    std::mem::take(&mut *NOTES.lock().unwrap_or_else(|e| e.into_inner()))
}

/// Times `iters` calls of `frame`.
fn timed(mut frame: impl FnMut() + 'static) -> Timed {
    Box::new(move |iters| {
        let start = Instant::now();
        for _ in 0..iters {
            frame();
        }
        start.elapsed()
    })
}

/// Every group whose name `select` accepts, built (and its state allocated) only if selected.
pub fn groups(select: &dyn Fn(&str) -> bool) -> Vec<Group> {
    cases::all()
        .into_iter()
        .filter(|(name, _)| select(name))
        .map(|(_, build)| build())
        .collect()
}

/// Registers the selected groups with criterion, each case as one benchmark of its group.
pub fn criterion_groups(c: &mut criterion::Criterion, select: &dyn Fn(&str) -> bool) {
    for mut group in groups(select) {
        let mut g = c.benchmark_group(&group.name);
        g.throughput(criterion::Throughput::Elements(group.ops));
        g.warm_up_time(Duration::from_millis(500));
        g.measurement_time(Duration::from_secs(2));
        g.sample_size(30);
        for case in &mut group.cases {
            g.bench_function(case.name(), |b| b.iter_custom(|iters| case.run(iters)));
        }
        g.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_names_are_path_and_filter_friendly() {
        let case = |s| Case::new(s, "", timed(|| ()));
        assert_eq!(
            case(Subject::Framealloc("#[soa] lanes")).name(),
            "framealloc_soa_lanes"
        );
        assert_eq!(
            case(Subject::Framealloc("SmartFrame::frame_alloc")).name(),
            "framealloc_SmartFrame_frame_alloc"
        );
        assert_eq!(case(Subject::Peer(Peer::BumpScope)).name(), "bump_scope");
        assert_eq!(case(Subject::Peer(Peer::Hand)).name(), "hand_written");
    }

    #[test]
    fn every_group_has_framealloc_first_and_each_peer_once() {
        for (name, _) in cases::all() {
            let group = groups(&|n| n == name).pop().expect("a group per name");
            assert!(
                matches!(group.cases[0].subject, Subject::Framealloc(_)),
                "{name}"
            );
            let peers: Vec<_> = group
                .cases
                .iter()
                .filter_map(|c| match c.subject {
                    Subject::Peer(p) => Some(p),
                    Subject::Framealloc(_) => None,
                })
                .collect();
            let mut unique = peers.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(peers.len(), unique.len(), "{name}: a peer twice");
            assert!(!peers.is_empty(), "{name}: no peer");
        }
    }
}
