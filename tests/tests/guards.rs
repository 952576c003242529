//! Debug guards: seeded overruns and underruns of every size class and alignment, each caught
//! and reported with its site, tag, frame and offset; nested scopes; the three handlers;
//! on-demand checks; poison and fill; guarded types with arena guards off; struct-of-arrays
//! column canaries; and no false reports over a long randomized run.
//!
//! Arena-wide guards exist in builds with `debug_assertions` or the `guards` feature
//! (`guard::COMPILED_IN`); the tests of them check that, and the tests of `#[frame(guard)]`
//! types and of guards turned off run in every build.

use core::alloc::Layout;
use core::ptr::NonNull;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};

use allocator_api2::vec::Vec as ApiVec;
use framealloc::guard::{
    GuardCheck, GuardHandler, GuardKind, GuardReport, CANARY, CANARY_LEN, COMPILED_IN, FILL, POISON,
};
use framealloc::{soa, ArenaConfig, FrameArena, FrameLayout};
use proptest::prelude::*;

const SIZES: &[usize] = &[
    1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 255, 256, 511, 512, 1000,
    1024, 2048, 4095, 4096, 4097, 8192, 65536, 100_000,
];
const ALIGNS: &[usize] = &[1, 2, 4, 8, 16, 32, 64, 128, 4096];

/// Fewer combinations under Miri, which interprets every byte written.
fn sizes() -> &'static [usize] {
    if cfg!(miri) {
        &[1, 8, 17, 64, 4097]
    } else {
        SIZES
    }
}

fn aligns() -> &'static [usize] {
    if cfg!(miri) {
        &[1, 8, 64, 4096]
    } else {
        ALIGNS
    }
}

fn collecting(underruns: bool) -> FrameArena {
    let arena = FrameArena::with_config(
        ArenaConfig::new()
            .guards(true)
            .guard_underruns(underruns)
            .guard_handler(GuardHandler::Collect),
    );
    assert_eq!(arena.guards_enabled(), COMPILED_IN);
    arena
}

/// A value that is never the canary byte.
fn not_canary(i: usize) -> u8 {
    match (i % 251) as u8 {
        CANARY => 0,
        b => b,
    }
}

/// Writes `value` at `offset` bytes from `base`: how the tests seed their bugs.
///
/// # Safety
///
/// `base + offset` is a byte the arena reserved (a block's own byte or a canary) in a chunk it
/// still holds, and no live reference covers it.
unsafe fn poke(base: *mut u8, offset: isize, value: u8) {
    // SAFETY: the caller's contract.
    unsafe { base.wrapping_offset(offset).write(value) }
}

/// Copies `len` bytes from `p`.
///
/// # Safety
///
/// `p` is valid for reading `len` initialized bytes, and nothing writes them meanwhile.
unsafe fn peek(p: *const u8, len: usize) -> Vec<u8> {
    // SAFETY: the caller's contract.
    unsafe { core::slice::from_raw_parts(p, len) }.to_vec()
}

/// What a seeded violation should be reported as.
struct Seeded {
    kind: GuardKind,
    line: u32,
    size: usize,
    align: usize,
    offset: isize,
    found: u8,
}

fn assert_reports(
    reports: &[GuardReport],
    seeded: &[Seeded],
    tag: &str,
    frame: u64,
    at: GuardCheck,
) {
    assert_eq!(
        reports.len(),
        seeded.len(),
        "caught {} of {} seeded",
        reports.len(),
        seeded.len()
    );
    for (r, s) in reports.iter().zip(seeded) {
        let what = format!("{r}");
        assert_eq!(r.kind, s.kind, "{what}");
        assert_eq!(r.site.file(), file!(), "{what}");
        assert_eq!(r.site.line(), s.line, "{what}");
        assert_eq!(r.tag, Some(tag), "{what}");
        assert_eq!(r.frame, Some(frame), "{what}");
        assert_eq!((r.size, r.align), (s.size, s.align), "{what}");
        assert_eq!(r.offset, s.offset, "{what}");
        assert_eq!(r.found, s.found, "{what}");
        assert_eq!(r.checked_at, at, "{what}");
        assert_eq!(r.column, None);
    }
}

#[test]
fn seeded_overruns_of_every_size_and_alignment_are_all_caught() {
    if !COMPILED_IN {
        return;
    }
    let mut arena = collecting(false);
    let mut caught = 0;
    let mut total_seeded = 0;
    for (frame, &size) in sizes().iter().enumerate() {
        let mut seeded = Vec::new();
        arena.frame_tagged("physics", |f| {
            for (i, &align) in aligns().iter().enumerate() {
                let layout = Layout::from_size_align(size, align).unwrap();
                let (p, line) = (f.alloc_layout(layout), line!());
                assert_eq!(p.as_ptr().addr() % align, 0);
                // A neighbour that is written in bounds only: never reported.
                let clean = f.alloc_slice_fill_copy(3, 0u8);
                clean.fill(CANARY);
                // Write every byte of the block, then one byte `past` bytes beyond its end.
                let past = (size + i) % CANARY_LEN;
                let found = not_canary(size + i);
                for i in 0..size {
                    // SAFETY: the block's own bytes, covered by no reference.
                    unsafe { poke(p.as_ptr(), i as isize, 0x11) };
                }
                // SAFETY: the bug: a byte of the block's canary, reserved in the same chunk.
                unsafe { poke(p.as_ptr(), (size + past) as isize, found) };
                seeded.push(Seeded {
                    kind: GuardKind::Overrun,
                    line,
                    size,
                    align,
                    offset: (size + past) as isize,
                    found,
                });
            }
        });
        let reports = arena.take_guard_reports();
        assert_reports(
            &reports,
            &seeded,
            "physics",
            frame as u64,
            GuardCheck::FrameEnd,
        );
        caught += reports.len();
        total_seeded += seeded.len();
    }
    assert_eq!(caught, total_seeded);
    assert_eq!(total_seeded, sizes().len() * aligns().len());
}

#[test]
fn seeded_underruns_are_caught_when_asked_for() {
    if !COMPILED_IN {
        return;
    }
    let mut arena = collecting(true);
    let mut seeded = Vec::new();
    arena.frame_tagged("audio", |f| {
        for (i, &size) in sizes().iter().enumerate() {
            for &align in aligns() {
                let layout = Layout::from_size_align(size, align).unwrap();
                let (p, line) = (f.alloc_layout(layout), line!());
                let before = 1 + (size + align) % CANARY_LEN;
                let found = not_canary(i);
                // SAFETY: the bug: the `CANARY_LEN` bytes before the block are its leading
                // canary, reserved by the arena in the same chunk.
                unsafe { poke(p.as_ptr(), -(before as isize), found) };
                seeded.push(Seeded {
                    kind: GuardKind::Underrun,
                    line,
                    size,
                    align,
                    offset: -(before as isize),
                    found,
                });
            }
        }
    });
    let reports = arena.take_guard_reports();
    assert_reports(&reports, &seeded, "audio", 0, GuardCheck::FrameEnd);
}

#[test]
#[cfg_attr(
    miri,
    ignore = "writes past a slice's borrow on purpose, which Miri rejects first"
)]
fn an_overrun_through_a_slice_pointer_names_the_allocating_line() {
    if !COMPILED_IN {
        return;
    }
    let mut arena = collecting(false);
    let mut line = 0;
    arena.frame(|f| {
        let xs;
        (xs, line) = (f.alloc_slice_fill_copy(10, 1u32), line!());
        // The classic off-by-one: `<=` instead of `<`.
        for i in 0..=xs.len() {
            // SAFETY: deliberately not sound: the last write goes past the slice's borrow,
            // into the canary the arena reserved after it (Miri is told to skip this test).
            unsafe { poke(xs.as_mut_ptr().cast(), 4 * i as isize, 7) };
        }
    });
    let reports = arena.take_guard_reports();
    assert_eq!(reports.len(), 1);
    let r = &reports[0];
    assert_eq!(
        (r.kind, r.site.line(), r.size, r.align, r.offset),
        (GuardKind::Overrun, line, 40, 4, 40)
    );
    assert_eq!(r.tag, None);
    let text = r.to_string();
    assert!(text.contains(&format!("{}:{line}:", file!())), "{text}");
    assert!(
        text.contains("byte 40, 0 bytes past the end, holds 0x07"),
        "{text}"
    );
}

#[test]
fn nested_scopes_report_at_the_end_of_the_scope_that_overran() {
    if !COMPILED_IN {
        return;
    }
    let mut arena = collecting(false);
    let layout = Layout::new::<[u8; 24]>();
    let (mut outer_line, mut inner_line, mut deep_line) = (0, 0, 0);
    arena.frame_tagged("ai", |mut f| {
        let outer;
        (outer, outer_line) = (f.alloc_layout(layout), line!());
        f.scope(|mut g| {
            let inner;
            (inner, inner_line) = (g.alloc_layout(layout), line!());
            g.scope(|h| {
                let deep;
                (deep, deep_line) = (h.alloc_layout(layout), line!());
                // SAFETY: the bug: a byte of the block's canary.
                unsafe { poke(deep.as_ptr(), 24, 1) };
            });
            // SAFETY: the bug: a byte of the block's canary.
            unsafe { poke(inner.as_ptr(), 30, 2) };
        });
        // SAFETY: the bug: a byte of the block's canary.
        unsafe { poke(outer.as_ptr(), 39, 3) };
    });
    let reports = arena.take_guard_reports();
    let got: Vec<_> = reports
        .iter()
        .map(|r| (r.site.line(), r.offset, r.found, r.checked_at))
        .collect();
    assert_eq!(
        got,
        [
            (deep_line, 24, 1, GuardCheck::ScopeEnd),
            (inner_line, 30, 2, GuardCheck::ScopeEnd),
            (outer_line, 39, 3, GuardCheck::FrameEnd),
        ]
    );
    assert!(reports.iter().all(|r| r.tag == Some("ai")));
}

#[test]
fn check_guards_finds_it_now_and_reports_it_once() {
    if !COMPILED_IN {
        return;
    }
    let mut arena = collecting(false);
    arena.frame(|f| {
        let p = f.alloc_layout(Layout::new::<u64>());
        assert_eq!(f.check_guards(), 0);
        // SAFETY: the bug: the first canary byte.
        unsafe { poke(p.as_ptr(), 8, 0) };
        assert_eq!(f.check_guards(), 1);
        assert_eq!(f.check_guards(), 0, "reported once");
    });
    let reports = arena.take_guard_reports();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].checked_at, GuardCheck::OnDemand);
}

#[test]
fn the_default_handler_panics_with_the_report_and_the_arena_stays_usable() {
    if !COMPILED_IN {
        return;
    }
    let mut arena = FrameArena::new();
    assert!(arena.guards_enabled());
    let result = catch_unwind(AssertUnwindSafe(|| {
        arena.frame(|f| {
            let p = f.alloc_layout(Layout::new::<[u16; 3]>());
            let q = f.alloc_layout(Layout::new::<[u16; 3]>());
            // SAFETY: the bug: a canary byte of each block.
            unsafe { poke(p.as_ptr(), 6, 9) };
            // SAFETY: as above.
            unsafe { poke(q.as_ptr(), 7, 9) };
        })
    }));
    let payload = result.expect_err("an overrun panics by default");
    let text = payload
        .downcast_ref::<String>()
        .expect("a formatted message");
    assert!(
        text.starts_with("frame memory overrun: the 6-byte allocation (align 2) made at "),
        "{text}"
    );
    assert!(text.contains("in frame 0"), "{text}");
    assert!(text.ends_with("(and 1 more guard violation)"), "{text}");
    // The arena was reset before the panic: the next frame starts clean.
    assert_eq!(arena.frame_number(), 1);
    arena.frame(|f| {
        f.alloc_slice_fill_copy(100, 0u8);
    });
    assert_eq!(arena.stats().bytes_used, 0);
}

#[test]
fn a_violation_found_while_unwinding_does_not_abort() {
    if !COMPILED_IN {
        return;
    }
    let mut arena = FrameArena::new();
    let result = catch_unwind(AssertUnwindSafe(|| {
        arena.frame(|mut f| {
            f.scope(|g| {
                let p = g.alloc_layout(Layout::new::<u8>());
                // SAFETY: the bug: the first canary byte.
                unsafe { poke(p.as_ptr(), 1, 0) };
                panic!("the frame's own panic");
            })
        })
    }));
    let payload = result.expect_err("the body panicked");
    assert_eq!(
        payload.downcast_ref::<&str>(),
        Some(&"the frame's own panic")
    );
    arena.frame(|f| assert_eq!(f.check_guards(), 0));
}

#[test]
fn a_callback_handler_sees_every_report() {
    if !COMPILED_IN {
        return;
    }
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    let mut arena =
        FrameArena::with_config(ArenaConfig::new().guard_handler(GuardHandler::callback(
            move |r: &GuardReport| sink.lock().unwrap().push((r.size, r.offset)),
        )));
    for n in 1..=3usize {
        arena.frame(|f| {
            let p = f.alloc_layout(Layout::array::<u8>(n).unwrap());
            // SAFETY: the bug: the first canary byte.
            unsafe { poke(p.as_ptr(), n as isize, 0) };
        });
    }
    assert_eq!(*seen.lock().unwrap(), [(1, 1), (2, 2), (3, 3)]);
    assert!(arena.take_guard_reports().is_empty());
}

/// Reads `len` bytes at `p`, which the arena still holds (its chunks are kept).
fn bytes_at(p: NonNull<u8>, len: usize) -> Vec<u8> {
    // SAFETY: the arena keeps its chunks across frames and is alive; the bytes were written
    // by the arena (poison) and nothing else uses them.
    unsafe { peek(p.as_ptr(), len) }
}

#[test]
fn released_memory_is_poisoned_and_fresh_memory_filled() {
    if !COMPILED_IN {
        return;
    }
    let mut arena = collecting(false);
    let mut kept = NonNull::dangling();
    let mut scoped = NonNull::dangling();
    arena.frame(|mut f| {
        let fresh = f.alloc_uninit::<[u8; 32]>();
        // SAFETY: reading the fill bytes the arena wrote.
        assert_eq!(unsafe { peek(fresh.as_ptr().cast(), 32) }, [FILL; 32]);
        let batch = f.alloc_batch::<u32>(8);
        // SAFETY: as above.
        assert_eq!(unsafe { peek(batch.as_ptr().cast(), 32) }, [FILL; 32]);
        // Raw blocks (not references), so the pointers kept past the frame carry the
        // chunk's provenance rather than a borrow that ends with the frame.
        let block = Layout::array::<u8>(64).unwrap();
        kept = f.alloc_layout(block);
        // SAFETY: the block's own bytes.
        unsafe { kept.as_ptr().write_bytes(0x11, 64) };
        f.scope(|g| {
            scoped = g.alloc_layout(block);
            // SAFETY: as above.
            unsafe { scoped.as_ptr().write_bytes(0x22, 64) };
        });
        assert_eq!(
            bytes_at(scoped, 64 + CANARY_LEN),
            [POISON; 64 + CANARY_LEN],
            "after the scope"
        );
        assert_eq!(bytes_at(kept, 64), [0x11; 64], "outer memory is untouched");
    });
    assert_eq!(
        bytes_at(kept, 64 + CANARY_LEN),
        [POISON; 64 + CANARY_LEN],
        "after the frame"
    );
    assert!(arena.take_guard_reports().is_empty());
}

#[test]
fn guards_off_means_no_canaries_and_exact_bytes() {
    let mut arena = FrameArena::with_config(ArenaConfig::new().guards(false));
    assert!(!arena.guards_enabled());
    arena.frame(|f| {
        f.alloc_slice_fill_copy(10, 0u8);
        assert_eq!(f.stats().bytes_used, 10);
        assert_eq!(f.check_guards(), 0);
    });
    let mut guarded = FrameArena::with_config(ArenaConfig::new().guards(true));
    assert_eq!(guarded.guards_enabled(), COMPILED_IN);
    guarded.frame(|f| {
        f.alloc_slice_fill_copy(10, 0u8);
        let expected = if COMPILED_IN { 10 + CANARY_LEN } else { 10 };
        assert_eq!(
            f.stats().bytes_used,
            expected,
            "canaries take room in the chunk"
        );
    });
}

#[derive(FrameLayout, Clone, Copy, Debug, PartialEq)]
#[frame(guard)]
#[repr(C, align(16))]
struct Packet {
    len: u32,
    bytes: [u8; 44],
}

#[test]
fn guarded_types_are_guarded_with_arena_guards_off_in_every_build() {
    let mut arena = FrameArena::with_config(
        ArenaConfig::new()
            .guards(false)
            .guard_handler(GuardHandler::Collect),
    );
    let mut lines = Vec::new();
    arena.frame_tagged("net", |f| {
        const EMPTY: Packet = Packet {
            len: 0,
            bytes: [0; 44],
        };
        lines.push(line!() + 1);
        let one = f.alloc_guarded(Packet { len: 1, ..EMPTY });
        assert_eq!(one.len, 1);
        lines.push(line!() + 1);
        let many = f.alloc_slice_guarded(4, |i| Packet {
            len: i as u32,
            ..EMPTY
        });
        assert_eq!(many[3].len, 3);
        lines.push(line!() + 1);
        let batch = f.alloc_batch_guarded::<Packet>(2);
        // SAFETY: reading the fill bytes the arena wrote.
        assert_eq!(unsafe { peek(batch.as_ptr().cast(), 96) }, [FILL; 96]);
        let plain = f.alloc(Packet {
            len: 9,
            bytes: [0; 44],
        });
        assert_eq!(plain.len, 9);
        if cfg!(miri) {
            // These pointers come from references, whose borrow ends at the block's end:
            // Miri would stop at the write itself.
            return;
        }
        // SAFETY: not sound, on purpose (the bug): each write is past a reference's borrow,
        // into the canary the arena reserved after the block.
        unsafe { poke((one as *mut Packet).cast(), 48, 0) };
        // SAFETY: as above.
        unsafe { poke(many.as_mut_ptr().cast(), 4 * 48 + 5, 0) };
        // SAFETY: as above.
        unsafe { poke(batch.as_mut_ptr().cast(), 2 * 48 + 15, 0) };
        assert_eq!(f.check_guards(), 3);
    });
    let reports = arena.take_guard_reports();
    if cfg!(miri) {
        assert!(reports.is_empty());
        return;
    }
    let got: Vec<_> = reports
        .iter()
        .map(|r| (r.site.line(), r.size, r.align, r.offset))
        .collect();
    assert_eq!(
        got,
        [
            (lines[0], 48, 16, 48),
            (lines[1], 192, 16, 197),
            (lines[2], 96, 16, 111)
        ]
    );
    assert!(reports
        .iter()
        .all(|r| r.tag == Some("net") && r.checked_at == GuardCheck::OnDemand));
}

#[soa]
#[derive(Clone, Copy, Debug, PartialEq)]
struct Body {
    pos: [f32; 3],
    vel: [f32; 3],
    mass: f32,
}

fn body(i: usize) -> Body {
    Body {
        pos: [i as f32; 3],
        vel: [1.0; 3],
        mass: 1.0,
    }
}

/// Writes `value` `past` bytes after the end of column `k` (of `elem` bytes per element).
fn overrun_column(soa: &BodySoa, k: usize, elem: usize, past: usize, value: u8) {
    let end = soa.column_ptrs()[k].wrapping_add(soa.capacity() * elem + past);
    // SAFETY: the byte lies in the canary after column `k`, inside the storage's one block;
    // the pointer carries the block's provenance, not a reference's.
    unsafe { poke(end.cast_mut(), 0, value) };
}

#[test]
fn soa_column_canaries_catch_a_write_past_a_column() {
    if !COMPILED_IN {
        let soa: BodySoa = (0..10).map(body).collect();
        assert!(soa.check_guards().is_ok());
        return;
    }
    let mut soa = BodySoa::new();
    let line = line!() + 1;
    soa.reserve(10);
    soa.extend((0..10).map(body));
    assert!(soa.check_guards().is_ok());
    overrun_column(&soa, 1, 12, 3, 0x42);
    let r = soa.check_guards().expect_err("the vel column was overrun");
    assert_eq!(
        (r.kind, r.column, r.column_name),
        (GuardKind::Overrun, Some(1), Some("vel"))
    );
    let cap = soa.capacity();
    assert_eq!(
        (r.size, r.offset, r.found),
        (cap * 12, (cap * 12 + 3) as isize, 0x42)
    );
    assert_eq!((r.site.file(), r.site.line()), (file!(), line));
    assert_eq!(
        (r.frame, r.tag, r.checked_at),
        (None, None, GuardCheck::OnDemand)
    );
    let text = r.to_string();
    assert!(text.contains("column 1 (`vel`,"), "{text}");

    // Dropping it panics with the report; growing it too.
    let dropped = catch_unwind(AssertUnwindSafe(|| drop(soa))).expect_err("drop checks");
    let text = dropped.downcast_ref::<String>().unwrap();
    assert!(
        text.contains("column 1 (`vel`") && text.contains("when the storage was released"),
        "{text}"
    );

    let mut soa: BodySoa = (0..4).map(body).collect();
    overrun_column(&soa, 2, 4, 0, 0);
    let grown = catch_unwind(AssertUnwindSafe(|| soa.reserve(1000))).expect_err("growth checks");
    assert!(grown
        .downcast_ref::<String>()
        .unwrap()
        .contains("column 2 (`mass`"));
    // Repair the canary so the container can be dropped quietly.
    overrun_column(&soa, 2, 4, 0, CANARY);
    assert!(soa.check_guards().is_ok());
}

#[test]
fn soa_in_a_guarded_frame_reports_nothing_when_used_correctly() {
    let mut arena = collecting(false);
    arena.frame(|f| {
        let mut soa = BodySoa::new_in(&f);
        for i in 0..300 {
            soa.push(body(i));
        }
        for (p, v) in soa.slices_mut().pos.iter_mut().zip([[1.0f32; 3]; 300]) {
            *p = v;
        }
        assert!(soa.check_guards().is_ok());
        assert_eq!(f.check_guards(), 0);
    });
    assert!(arena.take_guard_reports().is_empty());
}

/// One step of the randomized run.
#[derive(Clone, Debug)]
enum Op {
    Alloc {
        size: usize,
        align_log: u32,
        byte: u8,
    },
    Vec {
        pushes: usize,
    },
    ApiVec {
        pushes: usize,
    },
    Guarded {
        n: usize,
    },
    Scope(Vec<Op>),
    Check,
}

fn op() -> impl Strategy<Value = Op> {
    let leaf = prop_oneof![
        6 => (0usize..300, 0u32..8, any::<u8>()).prop_map(|(size, align_log, byte)| Op::Alloc { size, align_log, byte }),
        2 => (0usize..100).prop_map(|pushes| Op::Vec { pushes }),
        1 => (0usize..50).prop_map(|pushes| Op::ApiVec { pushes }),
        1 => (0usize..5).prop_map(|n| Op::Guarded { n }),
        1 => Just(Op::Check),
    ];
    leaf.prop_recursive(3, 40, 8, |inner| {
        prop::collection::vec(inner, 0..8).prop_map(Op::Scope)
    })
}

fn run(f: &framealloc::Frame<'_, '_>, op: &Op) {
    match op {
        Op::Alloc {
            size,
            align_log,
            byte,
        } => {
            let layout = Layout::from_size_align(*size, 1 << align_log).unwrap();
            let p = f.alloc_layout(layout);
            for i in 0..*size {
                // SAFETY: exactly the block's own bytes, any value (the canary byte too).
                unsafe { poke(p.as_ptr(), i as isize, *byte) };
            }
        }
        Op::Vec { pushes } => {
            let mut v = f.vec::<u16>();
            v.extend((0..*pushes).map(|i| i as u16));
            assert_eq!(v.len(), *pushes);
        }
        Op::ApiVec { pushes } => {
            let mut v = ApiVec::new_in(f);
            for i in 0..*pushes {
                v.push(i as u64);
            }
            v.shrink_to_fit();
        }
        Op::Guarded { n } => {
            f.alloc_slice_guarded(*n, |i| Packet {
                len: i as u32,
                bytes: [CANARY; 44],
            });
        }
        Op::Check => assert_eq!(f.check_guards(), 0),
        Op::Scope(_) => unreachable!("scopes are run by `run_all`"),
    }
}

/// Runs `ops`, each scope as a nested scope of `f`.
fn run_all(f: &mut framealloc::Frame<'_, '_>, ops: &[Op]) {
    for op in ops {
        match op {
            Op::Scope(inner) => f.scope(|mut g| run_all(&mut g, inner)),
            other => run(f, other),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: if cfg!(miri) { 4 } else { 256 },
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_false_reports_over_a_randomized_run(
        ops in prop::collection::vec(op(), 1..if cfg!(miri) { 12 } else { 60 }),
        underruns in any::<bool>(),
    ) {
        let mut arena = collecting(underruns);
        let mut chunks = ops.chunks(8);
        for frame in 0.. {
            let Some(batch) = chunks.next() else { break };
            arena.frame(|mut f| {
                run_all(&mut f, batch);
                prop_assert_eq!(f.check_guards(), 0);
                Ok(())
            })?;
            prop_assert!(arena.take_guard_reports().is_empty(), "frame {}", frame);
        }
    }
}

/// `SmartAlloc` thread arenas take the guard settings of `AllocConfig`: underrun canaries and
/// a violation callback shared by every thread.
#[test]
fn smart_alloc_arenas_report_to_the_configured_callback() {
    use framealloc::{AllocConfig, SmartAlloc};

    let reports = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&reports);
    let alloc = SmartAlloc::with_config(
        AllocConfig::new()
            .guards(true)
            .guard_underruns(true)
            .on_guard_violation(move |r| sink.lock().unwrap().push((r.kind, r.size, r.offset))),
    );
    let frame = alloc.begin_frame();
    std::thread::scope(|s| {
        for t in 0..2usize {
            let frame = &frame;
            s.spawn(move || {
                let here = frame.for_current_thread();
                let p = here.alloc_layout(Layout::from_size_align(16, 8).unwrap());
                if COMPILED_IN {
                    // SAFETY: the bug: the byte just past (thread 0) or just before (thread
                    // 1) the block is one of its canaries, reserved in the same chunk.
                    unsafe { poke(p.as_ptr(), if t == 0 { 16 } else { -1 }, 0x2a) };
                }
                assert_eq!(here.check_guards(), usize::from(COMPILED_IN));
            });
        }
    });
    frame.end();
    let mut seen = reports.lock().unwrap().clone();
    seen.sort_by_key(|&(_, _, offset)| offset);
    let expected = if COMPILED_IN {
        vec![(GuardKind::Underrun, 16, -1), (GuardKind::Overrun, 16, 16)]
    } else {
        Vec::new()
    };
    assert_eq!(seen, expected);
}
