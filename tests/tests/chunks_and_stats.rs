//! The chunk growth policy, retention, chunk sources and statistics.

use core::alloc::Layout;

use framealloc::{ArenaConfig, FrameArena, PageSource};

#[test]
fn chunks_double_from_64k_to_1m_then_stay() {
    let mut arena = FrameArena::with_config(ArenaConfig::new().guards(false));
    arena.frame(|f| {
        let mut capacities = Vec::new();
        for _ in 0..7 {
            // Fill the current chunk exactly, then one byte more moves to the next.
            let s = f.stats();
            let room = s.capacity - s.bytes_used - s.wasted;
            f.alloc_batch::<u8>(room);
            f.alloc(0u8);
            capacities.push(f.stats().capacity);
        }
        // The first iteration makes the first chunk; each later one adds the next size.
        let k = 1024;
        assert_eq!(
            capacities,
            [
                64 * k,
                192 * k,
                448 * k,
                960 * k,
                1984 * k,
                3008 * k,
                4032 * k
            ]
        );
    });
    assert_eq!(arena.stats().chunks, 7);
}

#[test]
fn an_oversized_allocation_gets_a_chunk_of_its_own() {
    let mut arena = FrameArena::with_config(ArenaConfig::new().guards(false));
    arena.frame(|f| {
        f.alloc(0u8);
        let big = f.alloc_batch::<u8>(3 << 20);
        assert_eq!(big.len(), 3 << 20);
        let s = f.stats();
        assert_eq!(s.chunks, 2);
        assert_eq!(s.capacity, (64 << 10) + (3 << 20));
    });
}

#[test]
fn chunks_are_reused_across_frames() {
    let mut arena = FrameArena::with_config(ArenaConfig::new().guards(false));
    let sizes = [10usize, 70_000, 200_000, 5 << 20, 300];
    arena.frame(|f| {
        for &n in &sizes {
            f.alloc_batch::<u8>(n);
        }
    });
    let after_first = arena.stats();
    for _ in 0..20 {
        arena.frame(|f| {
            for &n in sizes.iter().rev() {
                f.alloc_batch::<u8>(n);
            }
        });
    }
    let s = arena.stats();
    assert_eq!(
        (s.chunks, s.capacity),
        (after_first.chunks, after_first.capacity)
    );
    assert_eq!(s.high_water_mark, sizes.iter().sum::<usize>());
}

#[test]
fn retention_limit_gives_chunks_back_at_reset() {
    let mut arena = FrameArena::with_config(
        ArenaConfig::new()
            .guards(false)
            .retain_bytes(Some(200 << 10)),
    );
    arena.frame(|f| {
        f.alloc_batch::<u8>(4 << 20);
        f.alloc_batch::<u8>(100_000);
        assert!(f.stats().capacity > 4 << 20);
    });
    let s = arena.stats();
    assert!(s.capacity <= 200 << 10, "{s:?}");
    assert!(s.chunks <= 1);
    arena.frame(|f| assert_eq!(f.alloc_slice_fill_copy(10, 3u8), &[3; 10]));
}

#[test]
fn stats_are_exact_after_rewind_and_reset() {
    let mut arena = FrameArena::with_config(
        ArenaConfig::new()
            .guards(false)
            .first_chunk_size(1024)
            .max_chunk_size(1024),
    );
    arena.frame(|mut f| {
        f.alloc([0u8; 1000]);
        let s0 = f.stats();
        assert_eq!(
            (s0.bytes_used, s0.wasted, s0.chunks, s0.capacity),
            (1000, 0, 1, 1024)
        );
        f.scope(|g| {
            g.alloc([0u8; 100]); // does not fit the 24 bytes left: next chunk
            let s = g.stats();
            assert_eq!((s.bytes_used, s.wasted, s.chunks), (1100, 24, 2));
        });
        let s1 = f.stats();
        assert_eq!(
            (s1.bytes_used, s1.wasted, s1.high_water_mark),
            (1000, 0, 1100)
        );
        f.alloc(0u32); // padding-free: 1000 is 4-aligned
        assert_eq!(f.stats().bytes_used, 1004);
        f.alloc(0u64); // 4 bytes of padding
        assert_eq!(f.stats().bytes_used, 1016);
    });
    let s = arena.stats();
    assert_eq!(
        (
            s.bytes_used,
            s.wasted,
            s.high_water_mark,
            s.frame_number,
            s.chunks
        ),
        (0, 0, 1100, 1, 2)
    );
}

#[test]
fn allocation_counter_follows_the_feature() {
    let mut arena = FrameArena::with_config(ArenaConfig::new().guards(false));
    arena.frame(|f| {
        f.alloc(1u8);
        f.alloc_batch::<u32>(100);
        let n = f.stats().allocations;
        if cfg!(feature = "count-allocations") {
            assert_eq!(n, Some(2));
        } else {
            assert_eq!(n, None);
        }
    });
}

#[test]
fn page_source_gives_page_aligned_chunks() {
    let mut arena = FrameArena::with_config(
        ArenaConfig::new()
            .guards(false)
            .source(PageSource)
            .first_chunk_size(5000),
    );
    arena.frame(|f| {
        let first = f.alloc_layout(Layout::from_size_align(1, 1).unwrap());
        assert_eq!(first.as_ptr() as usize % PageSource::PAGE_SIZE, 0);
        f.alloc_batch::<u8>(20_000);
        f.alloc_slice_fill_copy(10, 1u8);
    });
    assert!(arena.stats().chunks >= 2);
}

#[test]
fn config_clamps_nonsense_sizes() {
    let mut arena = FrameArena::with_config(
        ArenaConfig::new()
            .guards(false)
            .first_chunk_size(0)
            .max_chunk_size(0),
    );
    arena.frame(|f| {
        let xs = f.alloc_slice_fill_copy(100, 7u32);
        assert_eq!(xs.iter().sum::<u32>(), 700);
        assert!(f.stats().chunks >= 1);
    });
    assert!(format!("{:?}", ArenaConfig::default()).contains("first_chunk: 65536"));
}
