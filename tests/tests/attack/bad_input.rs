//! Bad input: lengths, sizes and alignments at and past the limits, and configurations
//! that make no sense. Each gets an error or a clear panic, never undefined behaviour or an
//! internal panic message.

use std::alloc::Layout;

use framealloc::{AllocConfig, AllocError, ArenaConfig, FrameArena, SmartAlloc, TagBudget};

use crate::expect_panic;

/// The configuration panic: chunk sizes of `usize::MAX` are clamped at construction, and
/// the first allocation fails cleanly instead of panicking inside the chunk list.
#[test]
fn chunk_sizes_of_usize_max_are_clamped() {
    let config = ArenaConfig::new()
        .first_chunk_size(usize::MAX)
        .max_chunk_size(usize::MAX);
    let text = format!("{config:?}");
    assert!(
        text.contains(&ArenaConfig::LARGEST_CHUNK.to_string()),
        "{text}"
    );
    let mut arena = FrameArena::with_config(config);
    // Asking the system for a chunk of 2^62 bytes fails: an error, not a panic. (Miri stops
    // at such a request instead of failing it.)
    if !cfg!(miri) {
        arena.frame(|f| {
            assert!(matches!(
                f.try_alloc(1u8),
                Err(AllocError::OutOfMemory { .. })
            ));
        });
    }
    let largest = ArenaConfig::LARGEST_CHUNK;
    for (first, max, want_first, want_max) in [
        (0, 0, 16, 16),
        (1, usize::MAX, 16, largest),
        (usize::MAX, 0, largest, largest),
        (17, 16, 32, 32),
    ] {
        let config = ArenaConfig::new()
            .first_chunk_size(first)
            .max_chunk_size(max);
        let text = format!("{config:?}");
        let want = format!("first_chunk: {want_first}, max_chunk: {want_max}");
        assert!(text.contains(&want), "{text} should hold {want}");
        if first == usize::MAX {
            continue; // a 2^62-byte first chunk: refused above (Miri stops at the request)
        }
        let mut arena = FrameArena::with_config(config);
        arena.frame(|f| assert!(f.try_alloc_slice_fill_copy(100, 0u8).is_ok()));
    }
}

/// The same for a `SmartAlloc`: it used to panic on first use.
#[test]
fn smart_alloc_with_absurd_chunk_sizes() {
    let alloc = SmartAlloc::with_config(
        AllocConfig::new()
            .first_chunk_size(usize::MAX)
            .max_chunk_size(usize::MAX),
    );
    let frame = alloc.begin_frame();
    if !cfg!(miri) {
        assert!(matches!(
            frame.try_frame_alloc(1u64),
            Err(AllocError::OutOfMemory { .. })
        ));
    }
    drop(frame);
    let alloc = SmartAlloc::with_config(AllocConfig::new().first_chunk_size(0).max_chunk_size(0));
    assert_eq!(alloc.frame(|f| *f.alloc(5u8)), 5);
}

/// Lengths whose byte size overflows are refused before anything is allocated.
#[test]
fn overflowing_lengths() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        assert!(matches!(
            f.try_alloc_batch::<u64>(usize::MAX),
            Err(AllocError::LayoutOverflow)
        ));
        assert!(matches!(
            f.try_alloc_batch::<u64>(usize::MAX / 8 + 1),
            Err(AllocError::LayoutOverflow)
        ));
        if !cfg!(miri) {
            // Chunk requests the system refuses (Miri stops at them instead).
            assert!(f
                .try_alloc_slice_fill_copy(isize::MAX as usize, 0u8)
                .is_err());
            let huge = Layout::from_size_align(isize::MAX as usize - 64, 64).unwrap();
            assert!(f.try_alloc_layout(huge).is_err());
        }
        let mut v = f.vec::<u32>();
        assert!(v.try_reserve(usize::MAX).is_err());
        assert!(v.try_reserve(usize::MAX / 4).is_err());
        v.push(1);
        assert!(v.try_reserve(usize::MAX - 1).is_err());
        assert_eq!(v, [1][..]);
        let message = expect_panic(|| f.vec::<u8>().reserve(usize::MAX));
        assert!(!message.is_empty());
        // The arena is intact after every refusal.
        assert_eq!(*f.alloc(9u64), 9);
    });
}

/// An `ExactSizeIterator` that lies about its length in either direction.
#[test]
fn lying_exact_size_iterators() {
    struct Liar {
        claims: usize,
        has: usize,
    }
    impl Iterator for Liar {
        type Item = u32;
        fn next(&mut self) -> Option<u32> {
            self.has = self.has.checked_sub(1)?;
            Some(self.has as u32)
        }
        fn size_hint(&self) -> (usize, Option<usize>) {
            (self.claims, Some(self.claims))
        }
    }
    impl ExactSizeIterator for Liar {}
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let short = f.alloc_iter(Liar { claims: 10, has: 3 });
        assert_eq!(short, [2, 1, 0]);
        let long = f.alloc_iter(Liar { claims: 2, has: 50 });
        assert_eq!(long, [49, 48]);
        assert!(f
            .try_alloc_iter(Liar {
                claims: usize::MAX,
                has: 1
            })
            .is_err());
        let mut v = f.vec();
        v.extend(Liar {
            claims: 1000,
            has: 5,
        });
        v.extend(Liar { claims: 0, has: 40 });
        assert_eq!(v.len(), 45);
    });
}

/// Budgets of zero and of `usize::MAX`, and a budget lowered below what is in use.
#[test]
fn extreme_budgets() {
    let mut zero = FrameArena::with_config(ArenaConfig::new().budget(Some(0)));
    zero.frame(|f| {
        assert!(matches!(
            f.try_alloc(1u8),
            Err(AllocError::BudgetExceeded { .. })
        ));
        assert_eq!(f.alloc(()), &());
    });
    let mut max = FrameArena::with_config(ArenaConfig::new().budget(Some(usize::MAX)));
    max.frame(|f| assert_eq!(*f.alloc(1u8), 1));
    let mut arena = FrameArena::with_config(ArenaConfig::new().guards(false));
    arena.frame(|f| {
        f.alloc([0u8; 1000]);
    });
    arena.set_budget(Some(10));
    arena.frame(|f| {
        let message = expect_panic(|| {
            f.alloc([0u8; 64]);
        });
        assert!(message.contains("budget"), "{message}");
        assert_eq!(*f.alloc(3u8), 3);
    });
}

/// Tag budgets that contradict themselves or name odd paths.
#[test]
fn odd_tag_budgets() {
    let alloc = SmartAlloc::with_config(
        AllocConfig::new()
            .tag_budget("", TagBudget::hard(0))
            .tag_budget("a//b", TagBudget::soft(usize::MAX).and_hard(0))
            .tag_budget("soft-above-hard", TagBudget::soft(1 << 20).and_hard(64))
            .frame_budget(Some(usize::MAX))
            .history_len(usize::MAX)
            .pool_retain_bytes(usize::MAX),
    );
    alloc.with_tag("soft-above-hard", || {
        let frame = alloc.begin_frame();
        assert!(frame.try_frame_alloc([0u8; 128]).is_err());
        assert!(frame.try_frame_alloc(1u8).is_ok());
    });
    alloc.with_tag("", || {
        let frame = alloc.begin_frame();
        assert!(frame.try_frame_alloc(1u8).is_err());
    });
    assert_eq!(alloc.history().len(), 2);
}

/// A hand-written `FrameLayout` may claim anything; the report renders it (bounded) without
/// dividing by zero, overflowing or printing 2^64 lines.
#[test]
fn absurd_hand_written_layouts() {
    use framealloc::layout::{report, FieldInfo, FrameLayout, LayoutInfo};

    struct Liar;
    impl FrameLayout for Liar {
        const LAYOUT: LayoutInfo = LayoutInfo {
            name: "Liar",
            size: usize::MAX,
            align: 0,
            fields: &[
                FieldInfo {
                    name: "everything",
                    type_name: "u8",
                    offset: usize::MAX - 1,
                    size: usize::MAX,
                    align: 3,
                },
                FieldInfo {
                    name: "nothing",
                    type_name: "()",
                    offset: 0,
                    size: 0,
                    align: 1,
                },
            ],
            cache_line: 0,
        };
    }
    let text = report::<Liar>().to_string();
    assert!(text.starts_with("Liar: "), "{text}");
    assert!(text.contains("more cache lines"), "{text}");
    assert!(text.lines().count() < 10_000);
    assert_eq!(Liar::LAYOUT.cache_lines(), usize::MAX);
    assert_eq!(Liar::LAYOUT.padding_bytes(), 0);
}

/// Retention of zero bytes gives every chunk back at each reset; the next frame starts from
/// nothing again, frame after frame, with values intact.
#[test]
fn retaining_nothing() {
    let mut arena = FrameArena::with_config(
        ArenaConfig::new()
            .first_chunk_size(16)
            .retain_bytes(Some(0)),
    );
    for round in 0..crate::scaled(20, 4) as u32 {
        arena.frame(|f| {
            let xs = f.alloc_slice_fill_copy(100, round);
            let mut v = f.vec();
            v.extend(0..50u32);
            assert!(xs.iter().all(|&x| x == round));
            assert_eq!(v.iter().sum::<u32>(), 1225);
        });
        assert_eq!(arena.stats().chunks, 0);
    }
}

/// A chunk source that hands out the top of a 64-bit address space (no operating system
/// gives a user process one; a buggy or hostile source might). The bump's typed path skips
/// its carry check because no cursor can be that high, so such a block must be given back
/// unused: the allocation fails with an error, nothing is written, the arena recovers.
#[cfg(target_pointer_width = "64")]
#[test]
fn chunks_at_the_top_of_the_address_space_are_refused() {
    use std::ptr::NonNull;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Arc;

    use framealloc::{ChunkSource, SystemSource};

    struct Top {
        first: AtomicBool,
        given_back: Arc<AtomicUsize>,
    }
    // SAFETY: a deliberate breach, which the test proves harmless: the first block is an
    // address with no memory behind it, 4 KiB below the top of the address space, which the
    // arena must give back without touching. Every other call is `SystemSource`'s.
    unsafe impl ChunkSource for Top {
        fn allocate(&self, layout: Layout) -> Option<NonNull<u8>> {
            if self.first.swap(false, Ordering::Relaxed) {
                let addr = (usize::MAX - layout.size()) & !(layout.align() - 1);
                return NonNull::new(std::ptr::without_provenance_mut(addr));
            }
            SystemSource.allocate(layout)
        }
        unsafe fn deallocate(&self, ptr: NonNull<u8>, layout: Layout) {
            if ptr.as_ptr().addr() > isize::MAX as usize {
                self.given_back.fetch_add(1, Ordering::Relaxed);
                return;
            }
            // SAFETY: every other block came from `SystemSource` with this layout.
            unsafe { SystemSource.deallocate(ptr, layout) }
        }
    }

    let given_back = Arc::new(AtomicUsize::new(0));
    let mut arena = FrameArena::with_config(ArenaConfig::new().source(Top {
        first: AtomicBool::new(true),
        given_back: given_back.clone(),
    }));
    arena.frame(|f| {
        assert!(matches!(
            f.try_alloc(7u64),
            Err(AllocError::OutOfMemory { .. })
        ));
        assert_eq!(given_back.load(Ordering::Relaxed), 1);
        // The next request gets a real chunk.
        assert_eq!(*f.alloc(8u64), 8);
    });
    assert_eq!(arena.stats().chunks, 1);
}
