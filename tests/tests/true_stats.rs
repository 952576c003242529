//! The facade's statistics tell the truth: memory given back within a frame still counts in
//! its bytes and peak (per thread and per tag), and a count that was not kept says so instead
//! of showing 0. Each test here failed before the statistics were made true.

use framealloc::{AllocConfig, SmartAlloc};

/// Exact byte counts need the arenas' debug guards off (canaries take room).
fn exact() -> AllocConfig {
    AllocConfig::new().guards(false)
}

const MIRI: bool = cfg!(miri);

/// Workers use a facade vector as scratch and drop it inside the frame: the frame, and each
/// worker's row, show the scratch in bytes and peak (they showed 0 and 0).
#[test]
fn scratch_given_back_inside_the_frame_counts() {
    let alloc = SmartAlloc::with_config(exact());
    let scratch = if MIRI { 2_000 } else { 160_000 };
    for _ in 0..if MIRI { 2 } else { 20 } {
        let frame = alloc.begin_frame();
        std::thread::scope(|s| {
            for w in 0..2 {
                let frame = &frame;
                std::thread::Builder::new()
                    .name(format!("scratch-worker-{w}"))
                    .spawn_scoped(s, move || {
                        let mut v = frame.frame_vec::<u8>();
                        v.extend(std::iter::repeat_n(7u8, scratch));
                        assert_eq!(v.len(), scratch);
                        drop(v);
                    })
                    .unwrap();
            }
        });
        let stats = frame.end();
        assert!(stats.bytes >= 2 * scratch, "{stats}");
        assert!(stats.peak_bytes >= 2 * scratch, "{stats}");
        let workers: Vec<_> = stats
            .threads
            .iter()
            .filter(|t| t.thread.starts_with("scratch-worker"))
            .collect();
        assert_eq!(workers.len(), 2, "{stats}");
        for t in workers {
            assert!(t.bytes >= scratch && t.peak_bytes >= scratch, "{stats}");
            // Every buffer the vector took (its first and each growth) is an allocation.
            assert!(t.allocations.is_some_and(|n| n >= 1), "{stats}");
        }
    }
}

/// Exact figures on one thread: a vector given back, then a slice in the same memory.
#[test]
fn bytes_count_what_was_handed_out_and_peak_what_was_held() {
    let alloc = SmartAlloc::with_config(exact());
    let frame = alloc.begin_frame();
    let mut v = frame.frame_vec_with_capacity::<u8>(1000);
    v.extend(std::iter::repeat_n(1u8, 1000));
    drop(v);
    frame.frame_slice(10, 0u8);
    let stats = frame.end();
    assert_eq!((stats.bytes, stats.peak_bytes), (1010, 1000), "{stats}");
    assert_eq!(stats.allocations, Some(2), "{stats}");

    // The next frame starts from nothing: no figure carries over.
    let frame = alloc.begin_frame();
    frame.frame_slice(4, 0u8);
    let stats = frame.end();
    assert_eq!((stats.bytes, stats.peak_bytes), (4, 4), "{stats}");
}

/// Scopes inside a `frame` body inside a tag: the tag and the frame get the scope's bytes.
#[test]
fn scopes_count_in_their_tag() {
    let alloc = SmartAlloc::with_config(exact());
    let frame = alloc.begin_frame();
    alloc.with_tag("pathing", || {
        alloc.frame(|mut f| {
            f.scope(|g| {
                g.alloc_slice_fill_copy(500, 0u8);
            });
            f.scope(|g| {
                g.alloc_slice_fill_copy(300, 0u8);
            });
        });
    });
    let stats = frame.end();
    let tag = stats.tags.iter().find(|t| t.tag == "pathing").unwrap();
    assert_eq!(tag.bytes, 800, "{stats}");
    assert_eq!((stats.bytes, stats.peak_bytes), (800, 500), "{stats}");
}

/// Allocations through `for_current_thread()` are not counted without the
/// `count-allocations` feature: the figure says so, it does not print 0.
#[test]
fn a_count_that_was_not_kept_says_so() {
    let alloc = SmartAlloc::with_config(exact());
    let frame = alloc.begin_frame();
    {
        let here = frame.for_current_thread();
        for i in 0..100u64 {
            here.alloc(i);
        }
    }
    let stats = frame.end();
    let table = stats.to_string();
    if cfg!(feature = "count-allocations") {
        assert_eq!(stats.allocations, Some(100), "{table}");
    } else {
        assert_eq!(stats.allocations, None, "{table}");
        assert!(table.contains("allocations not counted"), "{table}");
        assert_eq!(alloc.stats().allocations, None);
    }
    assert_eq!(stats.bytes, 800, "{table}");

    // A frame that used only counted paths is counted again.
    let frame = alloc.begin_frame();
    frame.frame_alloc(1u64);
    assert_eq!(frame.end().allocations, Some(1));
}

/// A vector inside a lent frame (a `LocalFrame`, a `SmartAlloc::frame` body) counts each of
/// its buffers once: with `count-allocations`, a buffer that took a fresh block was counted
/// both as an arena allocation and as a vector buffer.
#[test]
fn lent_frame_vectors_count_each_buffer_once() {
    let alloc = SmartAlloc::with_config(exact());
    let counted = cfg!(feature = "count-allocations");

    // Grows from nothing, noting each buffer (each capacity change is one buffer, fresh or
    // grown in place), plus one allocation that is not a buffer.
    fn fill(frame: &framealloc::Frame<'_, '_>) -> u64 {
        let mut buffers = 0;
        let mut v = frame.vec::<u64>();
        for i in 0..100 {
            let cap = v.capacity();
            v.push(i);
            buffers += u64::from(v.capacity() != cap);
        }
        // Something after the vector, so that its next growth must move.
        frame.alloc(1u8);
        for i in 0..100 {
            let cap = v.capacity();
            v.push(i);
            buffers += u64::from(v.capacity() != cap);
        }
        buffers + 1
    }

    let frame = alloc.begin_frame();
    let expected = fill(&frame.for_current_thread());
    let stats = frame.end();
    assert_eq!(stats.allocations, counted.then_some(expected), "{stats}");

    let frame = alloc.begin_frame();
    let expected = alloc.frame(|f| fill(&f));
    let stats = frame.end();
    assert_eq!(stats.allocations, counted.then_some(expected), "{stats}");
}

mod budgets {
    use framealloc::{
        AllocConfig, AllocError, ArenaConfig, BudgetSource, FrameArena, FrameLayout, SmartAlloc,
        TagBudget,
    };

    /// Allocations of 16 bytes that exactly fill the budget (fewer under Miri).
    const N: u32 = if cfg!(miri) { 256 } else { 4096 };
    const BUDGET: usize = N as usize * 16;

    /// Budgets count bytes: the test below allocates them 1,000 at a time, as one array each,
    /// which Miri copies in one step rather than byte by byte.
    const K: [u8; 1000] = [0; 1000];

    /// A hard budget on a tag covers the tags nested in it (100 KB under
    /// `physics/broadphase` used to succeed under a 64 KiB budget on `physics`).
    #[test]
    fn a_tag_budget_covers_its_nested_tags() {
        let alloc = SmartAlloc::with_config(
            AllocConfig::new()
                .guards(false)
                .tag_budget("physics", TagBudget::hard(64 << 10)),
        );
        let frame = alloc.begin_frame();
        alloc.with_tag("physics", || {
            frame.frame_slice(10, K);
            alloc.with_tag("broadphase", || {
                let err = frame.try_frame_slice(100, K).unwrap_err();
                assert!(
                    matches!(
                        err,
                        AllocError::BudgetExceeded {
                            tag: Some("physics"),
                            limit: 65_536,
                            requested: 100_000,
                            set_by: BudgetSource::Tag,
                            ..
                        }
                    ),
                    "{err:?}"
                );
                // What is left of the enclosing budget is still there for the nested tag.
                frame.frame_slice(40, K);
            });
            // And the nested tag's bytes count against it afterwards.
            assert!(frame.try_frame_slice(30, K).is_err());
        });
        // A budget on the nested tag bounds it alone, within the enclosing one.
        let alloc = SmartAlloc::with_config(
            AllocConfig::new()
                .guards(false)
                .tag_budget("physics", TagBudget::hard(64 << 10))
                .tag_budget("physics/broadphase", TagBudget::hard(8 << 10)),
        );
        let frame = alloc.begin_frame();
        alloc.with_tag("physics", || {
            alloc.with_tag("broadphase", || {
                let err = frame.try_frame_slice(10, K).unwrap_err();
                assert!(
                    matches!(
                        err,
                        AllocError::BudgetExceeded {
                            tag: Some("physics/broadphase"),
                            ..
                        }
                    ),
                    "{err:?}"
                );
            });
            // The failed nested charge took nothing from the enclosing budget.
            frame.frame_slice(60, K);
        });
    }

    /// Budgets count what was asked for, not canaries: the same 4096 allocations of 16 bytes
    /// fit a 64 KiB budget with guards on and off (with guards on, half of them used to).
    #[test]
    fn canaries_do_not_count_against_budgets() {
        for guards in [false, true] {
            let alloc = SmartAlloc::with_config(
                AllocConfig::new()
                    .guards(guards)
                    .tag_budget("audio", TagBudget::hard(BUDGET)),
            );
            let frame = alloc.begin_frame();
            alloc.with_tag("audio", || {
                for i in 0..N {
                    let ok = frame.try_frame_alloc([i; 4]).is_ok();
                    assert!(ok, "allocation {i} refused, guards {guards}");
                }
                assert!(frame.try_frame_alloc([0u32; 4]).is_err(), "guards {guards}");
            });

            let mut arena =
                FrameArena::with_config(ArenaConfig::new().guards(guards).budget(Some(BUDGET)));
            arena.frame(|f| {
                for i in 0..N {
                    assert!(
                        f.try_alloc([i; 4]).is_ok(),
                        "allocation {i}, guards {guards}"
                    );
                }
                let err = f.try_alloc([0u32; 4]).unwrap_err();
                assert!(
                    matches!(err, AllocError::BudgetExceeded { used: BUDGET, .. }),
                    "{err:?}"
                );
            });
        }
    }

    /// The same in every build, through a type that always carries canaries.
    #[derive(FrameLayout, Clone, Copy)]
    #[frame(guard)]
    struct Guarded16([u32; 4]);

    #[test]
    fn canaries_of_guarded_types_do_not_count_either() {
        let mut arena =
            FrameArena::with_config(ArenaConfig::new().guards(false).budget(Some(BUDGET)));
        for _ in 0..3 {
            arena.frame(|mut f| {
                for i in 0..N {
                    assert!(
                        f.try_alloc_guarded(Guarded16([i; 4])).is_ok(),
                        "allocation {i}"
                    );
                }
                assert!(f.try_alloc_guarded(Guarded16([0; 4])).is_err());
                assert!(f.try_alloc(0u8).is_err());
                // A scope's guarded blocks give their room back when it ends.
                f.scope(|_| {});
            });
        }
        arena.frame(|mut f| {
            f.scope(|g| {
                for i in 0..N {
                    g.alloc_guarded(Guarded16([i; 4]));
                }
            });
            // The whole budget is free again for plain allocations.
            f.alloc_slice_fill_copy(BUDGET, 0u8);
        });
    }

    /// Each budget error names the configuration the user wrote.
    #[test]
    fn budget_errors_name_the_configuration() {
        let alloc = SmartAlloc::with_config(
            AllocConfig::new()
                .guards(false)
                .frame_budget(Some(1 << 20))
                .tag_budget("ui", TagBudget::hard(1000)),
        );
        let frame = alloc.begin_frame();
        let tag = alloc
            .with_tag("ui", || frame.try_frame_slice(2000, 0u8).map(|_| ()))
            .unwrap_err()
            .to_string();
        assert!(tag.contains("AllocConfig::tag_budget(\"ui\""), "{tag}");
        assert!(!tag.contains("ArenaConfig"), "{tag}");
        let global = frame
            .try_frame_slice(2 << 20, 0u8)
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(global.contains("AllocConfig::frame_budget"), "{global}");
        assert!(!global.contains("ArenaConfig"), "{global}");

        let mut arena = FrameArena::with_config(ArenaConfig::new().guards(false).budget(Some(100)));
        let arena_err = arena
            .frame(|f| f.try_alloc_slice_fill_copy(200, 0u8).map(|_| ()))
            .unwrap_err()
            .to_string();
        assert!(arena_err.contains("ArenaConfig::budget"), "{arena_err}");
    }
}
