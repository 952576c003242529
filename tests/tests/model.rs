//! Property test of the arena against a simple model: random sequences of allocations of
//! random size and alignment, nested scopes, resets and budgets. Every allocation must be
//! aligned, disjoint from every live allocation, and keep its contents until its scope ends;
//! usage after a scope equals usage before it; the high-water mark is the most ever used,
//! across scopes, chunks and frames; a budget error is only reported when the
//! allocation really would not fit.

use core::alloc::Layout;

use framealloc::{AllocError, ArenaConfig, Frame, FrameArena};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    Alloc { size: usize, align_log2: u32 },
    Enter,
    Exit,
    EndFrame,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0usize..200, 0u32..7).prop_map(|(size, align_log2)| Op::Alloc { size, align_log2 }),
        1 => (200usize..5000, 0u32..13).prop_map(|(size, align_log2)| Op::Alloc { size, align_log2 }),
        2 => Just(Op::Enter),
        2 => Just(Op::Exit),
        1 => Just(Op::EndFrame),
    ]
}

struct Live {
    addr: usize,
    size: usize,
    fill: u8,
    ptr: *const u8,
}

fn check_intact(live: &[Live]) {
    for l in live {
        // SAFETY: the block is live (its scope has not ended) and was filled by us.
        let bytes = unsafe { core::slice::from_raw_parts(l.ptr, l.size) };
        assert!(
            bytes.iter().all(|&b| b == l.fill),
            "contents of a live block changed"
        );
    }
}

/// Runs ops on `f` until an `Exit` (returned to the caller's scope) or `EndFrame`/the end.
/// Returns true when the frame should end.
fn run(
    f: &mut Frame,
    ops: &mut std::slice::Iter<'_, Op>,
    live: &mut Vec<Live>,
    budget: Option<usize>,
    depth: usize,
    peak: &mut usize,
) -> bool {
    while let Some(op) = ops.next() {
        match *op {
            Op::Alloc { size, align_log2 } => {
                let layout = Layout::from_size_align(size, 1 << align_log2).unwrap();
                let used = f.stats().bytes_used;
                match f.try_alloc_layout(layout) {
                    Ok(p) => {
                        let addr = p.as_ptr() as usize;
                        assert_eq!(addr % layout.align(), 0, "misaligned");
                        for l in live.iter() {
                            let disjoint = addr + size <= l.addr || l.addr + l.size <= addr;
                            assert!(
                                size == 0 || l.size == 0 || disjoint,
                                "overlaps a live block"
                            );
                        }
                        let fill = (live.len() as u8).wrapping_mul(31).wrapping_add(7);
                        // SAFETY: the block is valid for `size` bytes.
                        unsafe { core::ptr::write_bytes(p.as_ptr(), fill, size) };
                        live.push(Live {
                            addr,
                            size,
                            fill,
                            ptr: p.as_ptr(),
                        });
                        let s = f.stats();
                        assert!(s.bytes_used >= used + size);
                        assert!(s.bytes_used + s.wasted <= s.capacity);
                        if let Some(b) = budget {
                            assert!(s.bytes_used <= b);
                        }
                        // Usage only rises at an allocation, so the most seen right after
                        // one is the high-water mark, exactly.
                        *peak = (*peak).max(s.bytes_used);
                        assert_eq!(s.high_water_mark, *peak, "high-water mark");
                    }
                    Err(AllocError::BudgetExceeded {
                        limit,
                        requested,
                        used: reported,
                        ..
                    }) => {
                        let b = budget.expect("budget error without a budget");
                        assert_eq!((limit, requested, reported), (b, size, used));
                        assert!(
                            limit - used < size + layout.align(),
                            "refused an allocation that fits"
                        );
                    }
                    Err(e) => panic!("unexpected error {e}"),
                }
            }
            Op::Enter => {
                let before = f.stats().bytes_used;
                let mark = live.len();
                let end = f.scope(|mut g| run(&mut g, ops, live, budget, depth + 1, peak));
                assert_eq!(
                    f.stats().high_water_mark,
                    *peak,
                    "high-water mark after a scope"
                );
                check_intact(live);
                live.truncate(mark);
                assert_eq!(
                    f.stats().bytes_used,
                    before,
                    "usage after a scope differs from before"
                );
                check_intact(live);
                if end {
                    return true;
                }
            }
            Op::Exit if depth > 0 => return false,
            Op::Exit => {}
            Op::EndFrame => return true,
        }
    }
    check_intact(live);
    true
}

fn cases() -> u32 {
    if cfg!(miri) {
        8
    } else {
        10_000
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arena_matches_model(
        ops in proptest::collection::vec(op(), 0..if cfg!(miri) { 24 } else { 80 }),
        first_chunk in prop_oneof![Just(64usize), Just(256), Just(4096), Just(65536)],
        budget in prop_oneof![3 => Just(None), 1 => (0usize..20_000).prop_map(Some)],
    ) {
        let cfg = ArenaConfig::new().guards(false).first_chunk_size(first_chunk).max_chunk_size(first_chunk * 4).budget(budget);
        let mut arena = FrameArena::with_config(cfg);
        let mut ops = ops.iter();
        let mut frames = 0;
        let mut peak = 0;
        while ops.len() > 0 {
            let mut live = Vec::new();
            arena.frame(|mut f| run(&mut f, &mut ops, &mut live, budget, 0, &mut peak));
            frames += 1;
            let s = arena.stats();
            prop_assert_eq!(s.high_water_mark, peak);
            prop_assert_eq!(s.bytes_used, 0);
            prop_assert_eq!(s.wasted, 0);
            prop_assert_eq!(s.frame_number, frames);
        }
    }
}
