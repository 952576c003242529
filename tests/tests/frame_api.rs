//! The allocation family of `Frame`, scopes, the three ways to open a frame, and tags.

use core::alloc::Layout;
use core::mem::MaybeUninit;

use core::ptr::NonNull;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use framealloc::{frame, AllocError, ArenaConfig, ChunkSource, FrameArena, SystemSource};

#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Vec3 {
    x: f32,
    y: f32,
    z: f32,
}

#[repr(align(4096))]
#[derive(Clone, Copy, Default)]
struct Page([u8; 16]);

#[test]
fn single_value_family_writes_and_aligns() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let a = f.alloc(7u8);
        let b = f.alloc(0x1122_3344_5566_7788u64);
        let c = f.alloc_with(|| Vec3 {
            x: 1.0,
            y: 2.0,
            z: 3.0,
        });
        let d: &mut Vec3 = f.alloc_default();
        let e = f.alloc_uninit::<u32>();
        let e = e.write(9);
        let page = f.alloc(Page([3; 16]));
        assert_eq!(
            (*a, *b, c.z, *d, *e),
            (7, 0x1122_3344_5566_7788, 3.0, Vec3::default(), 9)
        );
        assert_eq!(b as *mut u64 as usize % 8, 0);
        assert_eq!(page as *mut Page as usize % 4096, 0);
        assert_eq!(page.0, [3; 16]);
        *a = 8;
        assert_eq!(*a, 8);
    });
}

#[test]
fn try_twins_succeed_like_their_panicking_forms() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        assert_eq!(*f.try_alloc(1u16).unwrap(), 1);
        assert_eq!(*f.try_alloc_with(|| 2u16).unwrap(), 2);
        assert_eq!(*f.try_alloc_default::<u16>().unwrap(), 0);
        f.try_alloc_uninit::<u16>().unwrap().write(3);
        assert_eq!(f.try_alloc_batch::<u16>(3).unwrap().len(), 3);
        assert_eq!(f.try_alloc_slice_copy(&[1, 2]).unwrap(), &[1, 2]);
        assert_eq!(f.try_alloc_slice_clone(&[3, 4]).unwrap(), &[3, 4]);
        assert_eq!(f.try_alloc_slice_fill_copy(2, 5).unwrap(), &[5, 5]);
        assert_eq!(
            f.try_alloc_slice_fill_with(3, |i| i * 2).unwrap(),
            &[0, 2, 4]
        );
        assert_eq!(f.try_alloc_slice_fill_default::<u8>(2).unwrap(), &[0, 0]);
        assert_eq!(f.try_alloc_iter([1, 2, 3]).unwrap(), &[1, 2, 3]);
        assert_eq!(f.try_alloc_str("hé").unwrap(), "hé");
        let raw = f
            .try_alloc_layout(Layout::from_size_align(24, 16).unwrap())
            .unwrap();
        assert_eq!(raw.as_ptr() as usize % 16, 0);
        assert_eq!(f.try_boxed(String::from("x")).unwrap().as_str(), "x");
    });
}

#[test]
fn slice_family() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let src = [Vec3 {
            x: 1.0,
            y: 0.0,
            z: 0.0,
        }; 5];
        let copied = f.alloc_slice_copy(&src);
        copied[0].x = 9.0;
        assert_eq!(src[0].x, 1.0);
        assert_eq!(f.alloc_slice_clone(&src[1..]), &src[1..]);
        assert_eq!(f.alloc_slice_fill_copy(4, 1.5f64), &[1.5; 4]);
        assert_eq!(
            f.alloc_slice_fill_with(5, |i| i as u8 * 3),
            &[0, 3, 6, 9, 12]
        );
        assert_eq!(f.alloc_slice_fill_default::<i64>(3), &[0; 3]);
        assert_eq!(f.alloc_iter((0..4).map(|i| i * i)), &[0, 1, 4, 9]);
        assert_eq!(f.alloc_str("frame"), "frame");
        let batch = f.alloc_batch::<u64>(1000);
        for (i, slot) in batch.iter_mut().enumerate() {
            slot.write(i as u64);
        }
        // SAFETY: every element was written just above.
        let batch = unsafe { &*(batch as *mut [MaybeUninit<u64>] as *const [u64]) };
        assert_eq!(batch.iter().sum::<u64>(), 999 * 1000 / 2);
        let empty: &mut [u32] = f.alloc_slice_copy(&[]);
        assert!(empty.is_empty());
        assert_eq!(f.alloc_str(""), "");
    });
}

/// An iterator whose `len()` lies: `alloc_iter` must stay in bounds either way.
struct Liar {
    claimed: usize,
    actual: usize,
}

impl Iterator for Liar {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        (self.actual > 0).then(|| {
            self.actual -= 1;
            self.actual as u32
        })
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.claimed, Some(self.claimed))
    }
}
impl ExactSizeIterator for Liar {}

#[test]
fn alloc_iter_tolerates_lying_iterators() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        assert_eq!(
            f.alloc_iter(Liar {
                claimed: 5,
                actual: 2
            }),
            &[1, 0]
        );
        assert_eq!(
            f.alloc_iter(Liar {
                claimed: 2,
                actual: 5
            }),
            &[4, 3]
        );
    });
}

#[test]
fn zero_sized_types_are_fine() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let unit: &mut () = f.alloc(());
        *unit = ();
        let many = f.alloc_slice_fill_copy(usize::MAX, ());
        assert_eq!(many.len(), usize::MAX);
        let zl = f.alloc_layout(Layout::from_size_align(0, 1 << 12).unwrap());
        assert_eq!(zl.as_ptr() as usize % (1 << 12), 0);
        assert_eq!(f.stats().bytes_used, 0);
    });
}

#[test]
fn scopes_rewind_exactly_and_nest() {
    // Guards on take the rewind's checked path; off, its fast path, which restores only the
    // cursor unless the scope switched chunks.
    for guards in [false, true] {
        let mut arena = FrameArena::with_config(ArenaConfig::new().guards(guards));
        arena.frame(|mut f| {
            let outer = f.alloc_slice_fill_copy(10, 1u32);
            let before = f.stats().bytes_used;
            let got = f.scope(|mut g| {
                g.alloc_slice_fill_copy(100, 2u32);
                let mid = g.stats().bytes_used;
                let next_byte = g.scope(|p| p.alloc(0u8) as *mut u8 as usize);
                g.scope(|h| {
                    h.alloc_batch::<u8>(200_000); // spills into a second chunk
                    assert!(h.stats().chunks >= 2);
                });
                assert_eq!(g.stats().bytes_used, mid);
                // Back in the first chunk, exactly where the scope began.
                assert_eq!(g.alloc(5u8) as *mut u8 as usize, next_byte);
                7
            });
            assert_eq!(got, 7);
            assert_eq!(f.stats().bytes_used, before);
            assert_eq!(outer, &[1; 10]);
            // Memory rewound by a scope is reused by the next allocation.
            let again = f.scope(|g| g.alloc(0u64) as *mut u64 as usize);
            let next = f.alloc(0u64) as *mut u64 as usize;
            assert_eq!(again, next);
            assert!(f.stats().high_water_mark >= before + 200_000);
        });
    }
}

#[test]
fn scope_rewinds_when_its_body_panics() {
    let mut arena = FrameArena::new();
    arena.frame(|mut f| {
        let before = f.stats().bytes_used;
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            f.scope(|g| {
                g.alloc_slice_fill_copy(64, 0u8);
                panic!("inside scope");
            })
        }));
        assert!(caught.is_err());
        assert_eq!(f.stats().bytes_used, before);
    });
}

#[test]
fn frame_resets_when_its_body_panics() {
    let mut arena = FrameArena::new();
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        arena.frame(|f| {
            f.alloc_slice_fill_copy(64, 0u8);
            panic!("inside frame");
        })
    }));
    assert!(caught.is_err());
    assert_eq!(arena.stats().bytes_used, 0);
    assert_eq!(arena.frame(|f| *f.alloc(3u8)), 3);
}

#[test]
fn three_ways_to_open_a_frame() {
    let mut arena = FrameArena::with_config(ArenaConfig::new().guards(false));
    assert_eq!(arena.frame(|f| f.frame_number()), 0);
    {
        let mut fg = arena.begin_frame();
        let f = fg.frame();
        assert_eq!(f.frame_number(), 1);
        f.alloc_slice_fill_copy(10, 0u8);
        assert_eq!(fg.stats().bytes_used, 10);
    }
    assert_eq!(arena.stats().bytes_used, 0);
    let n = frame!(arena => f {
        assert_eq!(f.tag(), None);
        f.scope(|g| g.frame_number())
    });
    assert_eq!(n, 2);
    let tag = frame!(arena, tag = "physics" => f { f.tag() });
    assert_eq!(tag, Some("physics"));
    assert_eq!(arena.frame_tagged("ai", |f| f.tag()), Some("ai"));
    assert_eq!(
        arena.frame(|f| f.tag()),
        None,
        "the tag ends with its frame"
    );
    let mut fg = arena.begin_frame_tagged("render");
    assert_eq!(fg.frame().tag(), Some("render"));
    drop(fg);
    assert_eq!(arena.frame_number(), 7);
}

#[test]
fn reset_by_hand_releases_memory() {
    let mut arena = FrameArena::with_config(ArenaConfig::new().guards(false));
    {
        let mut fg = arena.begin_frame();
        fg.frame().alloc_slice_fill_copy(1000, 0u8);
    }
    arena.reset();
    let s = arena.stats();
    assert_eq!(
        (s.bytes_used, s.high_water_mark, s.frame_number),
        (0, 1000, 2)
    );
}

#[test]
fn budget_errors_say_what_and_how_much() {
    let mut arena = FrameArena::with_config(ArenaConfig::new().guards(false).budget(Some(1000)));
    arena.frame_tagged("particles", |f| {
        f.alloc_slice_fill_copy(600, 0u8);
        let err = f.try_alloc_slice_fill_copy(500, 0u8).unwrap_err();
        assert_eq!(
            err,
            AllocError::BudgetExceeded {
                tag: Some("particles"),
                limit: 1000,
                requested: 500,
                used: 600,
                set_by: framealloc::BudgetSource::Arena,
            }
        );
        let msg = err.to_string();
        assert!(
            msg.contains("particles") && msg.contains("500") && msg.contains("1000"),
            "{msg}"
        );
        // What still fits, fits.
        f.alloc_slice_fill_copy(400, 0u8);
        assert!(f.try_alloc(0u8).is_err());
        assert_eq!(f.stats().bytes_used, 1000);
    });
    // The budget is per frame.
    arena.frame(|f| assert_eq!(f.alloc_slice_fill_copy(1000, 1u8).len(), 1000));
}

#[test]
fn budget_spanning_chunks_is_exact() {
    let cfg = ArenaConfig::new()
        .guards(false)
        .first_chunk_size(256)
        .max_chunk_size(256)
        .budget(Some(1000));
    let mut arena = FrameArena::with_config(cfg);
    arena.frame(|f| {
        let mut got = 0;
        while f.try_alloc([0u8; 100]).is_ok() {
            got += 100;
        }
        // 2 x 100 fit per 256-byte chunk; the budget counts used bytes, not chunk ends.
        assert_eq!(got, 1000);
        let s = f.stats();
        assert_eq!(s.bytes_used, 1000);
        assert!(s.wasted > 0);
    });
}

#[test]
fn set_budget_between_frames() {
    let mut arena = FrameArena::with_config(ArenaConfig::new().guards(false));
    arena.frame(|f| {
        f.alloc(0u64);
    });
    arena.set_budget(Some(16));
    assert_eq!(arena.budget(), Some(16));
    arena.frame(|f| {
        f.alloc([0u8; 16]);
        assert!(matches!(
            f.try_alloc(0u8),
            Err(AllocError::BudgetExceeded { .. })
        ));
    });
    arena.set_budget(None);
    arena.frame(|f| {
        f.alloc([0u8; 4096]);
    });
    assert_eq!(arena.stats().budget, None);
}

#[test]
#[should_panic(expected = "frame budget exceeded: 8 bytes requested with 0 of 4 bytes in use")]
fn infallible_calls_panic_with_the_error_message() {
    let mut arena = FrameArena::with_config(ArenaConfig::new().budget(Some(4)));
    arena.frame(|f| {
        f.alloc(0u64);
    });
}

#[test]
fn bad_sizes_are_errors_not_undefined_behaviour() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        assert_eq!(
            f.try_alloc_batch::<u64>(usize::MAX).unwrap_err(),
            AllocError::LayoutOverflow
        );
        assert_eq!(
            f.try_alloc_batch::<u64>(usize::MAX / 8 + 1).unwrap_err(),
            AllocError::LayoutOverflow
        );
        assert_eq!(
            f.try_alloc_slice_fill_copy(usize::MAX / 2, 0u16)
                .unwrap_err(),
            AllocError::LayoutOverflow
        );
        assert_eq!(
            f.try_alloc_slice_fill_default::<u32>(usize::MAX)
                .unwrap_err(),
            AllocError::LayoutOverflow
        );
        // Representable as a layout, but the system cannot supply it. (Miri stops the
        // program on such a request instead of failing it; `a_refusing_chunk_source_is_an_error`
        // covers a failing source under Miri.)
        if !cfg!(miri) {
            let huge = Layout::from_size_align(isize::MAX as usize - 4096, 8).unwrap();
            assert!(matches!(
                f.try_alloc_layout(huge),
                Err(AllocError::OutOfMemory { .. })
            ));
        }
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            f.alloc_batch::<u64>(usize::MAX)
        }));
        assert!(r.is_err());
        // The arena is still usable.
        assert_eq!(*f.alloc(5u8), 5);
    });
}

#[test]
fn huge_alignments_up_to_the_language_maximum() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let small = f.alloc(7u8);
        for shift in [12u32, 16, 20, 29] {
            let align = 1usize << shift;
            let p = f.alloc_layout(Layout::from_size_align(8, align).unwrap());
            assert_eq!(p.as_ptr() as usize % align, 0, "align 2^{shift}");
        }
        // The huge-alignment allocations (dedicated chunks) left the earlier one intact.
        assert_eq!(*small, 7);
    });
    // Next frame: the dedicated chunks are reused.
    let chunks = arena.stats().chunks;
    arena.frame(|f| {
        let p = f.alloc_layout(Layout::from_size_align(8, 1 << 29).unwrap());
        assert_eq!(p.as_ptr() as usize % (1 << 29), 0);
    });
    assert_eq!(arena.stats().chunks, chunks);
}

#[test]
fn frame_debug_output_names_the_frame() {
    let mut arena = FrameArena::new();
    arena.frame_tagged("ui", |f| {
        let s = format!("{f:?}");
        assert!(s.contains("frame_number: 0") && s.contains("\"ui\""), "{s}");
    });
    assert!(format!("{arena:?}").starts_with("FrameArena"));
}

/// A chunk source that refuses chunks above a size and counts what it hands out.
struct Refusing {
    max: usize,
    live: Arc<AtomicUsize>,
}

// SAFETY: forwards to `SystemSource` (which upholds the contract) or refuses.
unsafe impl ChunkSource for Refusing {
    fn allocate(&self, layout: Layout) -> Option<NonNull<u8>> {
        if layout.size() > self.max {
            return None;
        }
        let p = SystemSource.allocate(layout)?;
        self.live.fetch_add(1, Ordering::Relaxed);
        Some(p)
    }

    unsafe fn deallocate(&self, ptr: NonNull<u8>, layout: Layout) {
        self.live.fetch_sub(1, Ordering::Relaxed);
        // SAFETY: forwarded from the caller; the block came from `SystemSource` with `layout`.
        unsafe { SystemSource.deallocate(ptr, layout) }
    }
}

#[test]
fn a_refusing_chunk_source_is_an_error() {
    let live = Arc::new(AtomicUsize::new(0));
    let source = Refusing {
        max: 128 << 10,
        live: live.clone(),
    };
    let mut arena = FrameArena::with_config(ArenaConfig::new().guards(false).source(source));
    arena.frame(|f| {
        let kept = f.alloc_slice_fill_copy(1000, 7u16);
        let err = f.try_alloc_batch::<u8>(1 << 20).unwrap_err();
        assert_eq!(err, AllocError::OutOfMemory { requested: 1 << 20 });
        assert_eq!(kept, &[7; 1000]);
        assert_eq!(
            f.alloc_batch::<u8>(100 << 10).len(),
            100 << 10,
            "a chunk it accepts"
        );
        assert_eq!(live.load(Ordering::Relaxed), 2);
    });
    drop(arena);
    assert_eq!(
        live.load(Ordering::Relaxed),
        0,
        "every chunk went back to its source"
    );
}

#[test]
fn frame_memory_may_point_at_what_outlives_it() {
    let meshes = [10u32, 20, 30];
    let mut arena = FrameArena::new();
    arena.frame(|mut f| {
        let draw = f.alloc_iter(meshes.iter());
        let outer = f.alloc_slice_fill_copy(4, 1u8);
        let counted = f.scope(|g| {
            let refs = g.alloc_iter(outer.iter().rev());
            let nested = g.alloc(&refs[..]);
            nested.len()
        });
        assert_eq!((draw.len(), *draw[2], counted), (3, 30, 4));
    });
}

#[test]
fn errors_and_defaults() {
    let overflow = AllocError::LayoutOverflow.to_string();
    assert!(overflow.contains("exceeds isize::MAX"), "{overflow}");
    let api: allocator_api2::alloc::AllocError = AllocError::LayoutOverflow.into();
    assert_eq!(api, allocator_api2::alloc::AllocError);
    let budget = AllocError::BudgetExceeded {
        tag: None,
        limit: 1,
        requested: 2,
        used: 0,
        set_by: framealloc::BudgetSource::Arena,
    }
    .to_string();
    assert!(
        !budget.contains("tagged") && budget.contains("raise ArenaConfig::budget"),
        "{budget}"
    );
    let mut arena = FrameArena::default();
    assert_eq!(arena.frame(|f| *f.alloc(1u8)), 1);
    let cfg = ArenaConfig::default();
    let mut arena = FrameArena::with_config(cfg);
    assert_eq!(
        arena.stats().chunks,
        0,
        "nothing is allocated before first use"
    );
    arena.frame(|f| f.alloc(0u8).to_owned());
    assert_eq!(arena.stats().capacity, ArenaConfig::DEFAULT_FIRST_CHUNK);
}
