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
        assert!(table.contains("not counted"), "{table}");
        assert_eq!(alloc.stats().allocations, None);
    }
    assert_eq!(stats.bytes, 800, "{table}");

    // A frame that used only counted paths is counted again.
    let frame = alloc.begin_frame();
    frame.frame_alloc(1u64);
    assert_eq!(frame.end().allocations, Some(1));
}
