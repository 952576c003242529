//! Retention policies: what an arena keeps after a spike, and that steady loops keep
//! everything they use (checked through a source that counts its calls).

use core::alloc::Layout;
use core::ptr::NonNull;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use framealloc::{ArenaConfig, ChunkSource, FrameArena, Retention, SystemSource, VirtualSource};

/// Counts the source's calls, forwarding to the system allocator.
#[derive(Clone, Default)]
struct Counting {
    allocs: Arc<AtomicUsize>,
    frees: Arc<AtomicUsize>,
}

// SAFETY: every call is forwarded to `SystemSource`, which upholds the contract.
unsafe impl ChunkSource for Counting {
    fn allocate(&self, layout: Layout) -> Option<NonNull<u8>> {
        self.allocs.fetch_add(1, Ordering::Relaxed);
        SystemSource.allocate(layout)
    }
    unsafe fn deallocate(&self, ptr: NonNull<u8>, layout: Layout) {
        self.frees.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded from the caller.
        unsafe { SystemSource.deallocate(ptr, layout) }
    }
}

fn arena(retention: Retention, source: Counting) -> FrameArena {
    FrameArena::with_config(
        ArenaConfig::new()
            .guards(false)
            .retention(retention)
            .source(source),
    )
}

/// A frame that allocates `bytes` in 16 KiB pieces.
fn frame_of(arena: &mut FrameArena, bytes: usize) {
    arena.frame(|f| {
        let mut left = bytes;
        while left > 0 {
            let n = left.min(16 << 10);
            f.alloc_batch::<u8>(n);
            left -= n;
        }
    });
}

const STEADY: usize = if cfg!(miri) { 100 << 10 } else { 2 << 20 };
const SPIKE: usize = if cfg!(miri) { 2 << 20 } else { 64 << 20 };
const WINDOW: u32 = if cfg!(miri) { 4 } else { 30 };

#[test]
fn adaptive_gives_a_spike_back_after_its_window() {
    let source = Counting::default();
    let mut arena = arena(Retention::adaptive(WINDOW, 25), source.clone());
    for _ in 0..5 {
        frame_of(&mut arena, STEADY);
    }
    let steady = arena.stats().capacity;
    frame_of(&mut arena, SPIKE);
    assert!(arena.stats().capacity >= SPIKE);
    for i in 1..WINDOW {
        frame_of(&mut arena, STEADY);
        assert!(
            arena.stats().capacity >= SPIKE,
            "kept while the spike is in the window (frame {i})"
        );
    }
    frame_of(&mut arena, STEADY);
    let after = arena.stats().capacity;
    assert!(
        after <= steady + steady / 4,
        "after the window: {after} bytes held, steady {steady}"
    );
    // And from then on, the steady loop calls the source no more.
    let calls = source.allocs.load(Ordering::Relaxed);
    for _ in 0..3 * WINDOW {
        frame_of(&mut arena, STEADY);
    }
    assert_eq!(source.allocs.load(Ordering::Relaxed), calls);
    assert_eq!(arena.stats().capacity, after);
}

#[test]
fn adaptive_keeps_what_a_varying_loop_reaches_within_its_window() {
    // Frames alternate between small and large every few frames, within the window: the
    // large frames' chunks are never given back, so the source is called during warm-up only.
    let source = Counting::default();
    let mut arena = arena(Retention::adaptive(WINDOW, 0), source.clone());
    let frames = if cfg!(miri) { 40 } else { 600 };
    let mut after_warm_up = 0;
    for i in 0..frames {
        if i == 8 {
            after_warm_up = source.allocs.load(Ordering::Relaxed);
        }
        let bytes = if i % (WINDOW as usize / 2) == 0 {
            STEADY * 3
        } else {
            STEADY / 3
        };
        frame_of(&mut arena, bytes);
    }
    assert_eq!(source.allocs.load(Ordering::Relaxed), after_warm_up);
    assert_eq!(source.frees.load(Ordering::Relaxed), 0);
}

#[test]
fn keep_all_and_fixed_limit_behave_as_before() {
    let source = Counting::default();
    let mut keep = arena(Retention::KeepAll, source.clone());
    frame_of(&mut keep, SPIKE);
    for _ in 0..3 * WINDOW {
        frame_of(&mut keep, STEADY);
    }
    assert!(keep.stats().capacity >= SPIKE);
    assert_eq!(source.frees.load(Ordering::Relaxed), 0);

    let mut limited = arena(Retention::UpTo(STEADY), Counting::default());
    frame_of(&mut limited, SPIKE);
    assert!(limited.stats().capacity <= STEADY);
    // `retain_bytes` is the same policy.
    let by_bytes = ArenaConfig::new().retain_bytes(Some(STEADY));
    assert!(format!("{by_bytes:?}").contains(&format!("UpTo({STEADY})")));
}

#[test]
fn a_spike_chunk_inserted_before_the_usual_ones_is_the_one_given_back() {
    // One large allocation first in the frame: its chunk takes index 0, before the chunks
    // the usual frames fill. The policy gives it back, not them.
    let source = Counting::default();
    let mut arena = arena(Retention::adaptive(2, 10), source.clone());
    frame_of(&mut arena, STEADY);
    let steady = arena.stats().capacity;
    arena.frame(|f| {
        f.alloc_batch::<u8>(SPIKE);
    });
    for _ in 0..3 {
        frame_of(&mut arena, STEADY);
    }
    assert_eq!(arena.stats().capacity, steady);
    let calls = source.allocs.load(Ordering::Relaxed);
    for _ in 0..10 {
        frame_of(&mut arena, STEADY);
    }
    assert_eq!(source.allocs.load(Ordering::Relaxed), calls);
}

#[test]
fn memory_stays_valid_and_zeroed_pages_are_rewritten_after_discards() {
    // With virtual memory (or its fallback), a spike, then frames that write and read back
    // the pages that were discarded.
    let mut arena = FrameArena::with_config(
        ArenaConfig::new()
            .guards(false)
            .virtual_memory(VirtualSource::new(256 << 20))
            .retention(Retention::adaptive(2, 0)),
    );
    // Under Miri every byte written and read is slow to interpret: smaller frames.
    let (spike, steady) = if cfg!(miri) {
        (64 << 10, 8 << 10)
    } else {
        (SPIKE, STEADY)
    };
    for round in 0..6u8 {
        let bytes = if round == 1 { spike } else { steady };
        arena.frame(|f| {
            // Words, not bytes: the same pages, an eighth of the steps under Miri.
            let word = u64::from(round) * 0x0101_0101_0101_0101;
            let xs = f.alloc_slice_fill_copy(bytes / 8, word);
            assert!(xs.iter().all(|&x| x == word));
        });
    }
    if VirtualSource::new(1).is_virtual() {
        assert_eq!(arena.stats().chunks, 1, "one contiguous chunk");
    }
}

#[test]
fn the_default_is_adaptive_and_steady_loops_never_call_the_source_again() {
    assert_eq!(Retention::default(), Retention::DEFAULT);
    let source = Counting::default();
    let mut arena =
        FrameArena::with_config(ArenaConfig::new().guards(false).source(source.clone()));
    frame_of(&mut arena, STEADY);
    let calls = source.allocs.load(Ordering::Relaxed);
    for _ in 0..if cfg!(miri) { 20 } else { 1000 } {
        frame_of(&mut arena, STEADY);
    }
    assert_eq!(source.allocs.load(Ordering::Relaxed), calls);
}

/// A `SmartAlloc` frame that allocates `bytes` in 16 KiB pieces on this thread.
fn smart_frame_of(alloc: &framealloc::SmartAlloc, bytes: usize) {
    let f = alloc.begin_frame();
    let mut left = bytes;
    while left > 0 {
        let n = left.min(16 << 10);
        f.frame_alloc_batch::<u8>(n);
        left -= n;
    }
    f.end();
}

#[test]
fn smart_alloc_thread_arenas_follow_their_retention() {
    use framealloc::{AllocConfig, SmartAlloc};
    let alloc = SmartAlloc::with_config(
        AllocConfig::new()
            .guards(false)
            .retention(Retention::adaptive(WINDOW, 25)),
    );
    let frame = |bytes: usize| smart_frame_of(&alloc, bytes);
    // The thread arena's chunk bytes, read through a frame of it that allocates nothing.
    let held = || alloc.frame(|f| f.stats().capacity);
    frame(STEADY);
    let steady = held();
    frame(SPIKE);
    assert!(held() >= SPIKE);
    for _ in 0..=WINDOW {
        frame(STEADY);
    }
    assert!(held() <= steady + steady / 4, "{} > {steady}", held());
}

#[test]
fn smart_alloc_thread_arenas_take_one_virtual_memory_chunk_per_frame() {
    use framealloc::{AllocConfig, SmartAlloc};
    let source = VirtualSource::new(256 << 20);
    let alloc = SmartAlloc::with_config(
        AllocConfig::new()
            .guards(false)
            .virtual_memory(source.clone())
            .retention(Retention::adaptive(2, 0)),
    );
    let described = alloc.stats().chunk_source;
    assert!(described.contains("virtual memory"), "{described}");
    // Under Miri the source falls back to plain chunks: a smaller frame, the same loop.
    let bytes = if cfg!(miri) { 256 << 10 } else { SPIKE };
    for _ in 0..4 {
        smart_frame_of(&alloc, bytes);
    }
    let (chunks, capacity) = alloc.frame(|f| (f.stats().chunks, f.stats().capacity));
    assert!(capacity >= bytes, "{capacity} < {bytes}");
    if source.is_virtual() {
        assert_eq!(chunks, 1, "a {bytes}-byte frame in one reserved chunk");
    } else {
        assert!(chunks > 1, "{described}");
    }
}

/// The virtual-memory source on its own: a chunk is usable to its last byte, huge pages are
/// only advice, and the page past the end is a guard page (checked in a child process,
/// which the overrun must kill).
#[test]
#[cfg_attr(miri, ignore = "Miri cannot map memory or run a child process")]
fn virtual_chunks_are_usable_to_the_end_and_guarded_past_it() {
    let layout = Layout::from_size_align(1 << 20, 16).unwrap();
    for huge in [false, true] {
        let source = VirtualSource::new(1 << 20).huge_pages(huge);
        if !source.is_virtual() {
            return;
        }
        let block = source.allocate(layout).unwrap();
        let read = |at: usize| {
            assert!(at < layout.size());
            // SAFETY: `at` is inside the chunk, which is ours until given back below.
            unsafe { block.as_ptr().wrapping_add(at).read() }
        };
        // SAFETY: the chunk is `layout.size()` bytes, ours until given back.
        unsafe { core::ptr::write_bytes(block.as_ptr(), 7, layout.size()) };
        assert_eq!(read(layout.size() - 1), 7);
        // SAFETY: the block came from this source with this layout and is not given back yet,
        // and 4096 is within it. Its bytes past the offset are read afterwards: they are `u8`s
        // (any value is valid), and what they read as is what the test checks (zero, as
        // `VirtualSource` documents).
        unsafe { source.discard(block, layout, 4096) };
        assert_eq!(read(4095), 7, "kept below the offset");
        assert_eq!(read(8192), 0, "discarded pages read as zero");
        // SAFETY: from `allocate(layout)` above, given back once.
        unsafe { source.deallocate(block, layout) };
    }
    if std::env::var_os("FRAMEALLOC_OVERRUN_CHILD").is_some() {
        let source = VirtualSource::new(1 << 20);
        let block = source.allocate(layout).unwrap();
        eprintln!("overrun: writing past the chunk");
        // SAFETY: not sound, on purpose, in a child process: the write is past the chunk,
        // into its inaccessible guard page, so the kernel stops the process before it lands.
        unsafe { block.as_ptr().wrapping_add(layout.size()).write_volatile(1) };
        std::process::exit(0); // not reached when the guard page works
    }
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "virtual_chunks_are_usable_to_the_end_and_guarded_past_it",
            "--test-threads=1",
            "--nocapture",
        ])
        .env("FRAMEALLOC_OVERRUN_CHILD", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&child.stderr);
    assert!(
        stderr.contains("overrun: writing past the chunk"),
        "the child reached the write: {stderr}"
    );
    // Killed by the fault; under AddressSanitizer, its handler reports the fault and exits.
    use std::os::unix::process::ExitStatusExt;
    const SIGSEGV: i32 = 11;
    assert!(
        child.status.signal() == Some(SIGSEGV)
            || (!child.status.success() && stderr.contains("SEGV")),
        "the overrun did not fault: {:?}, {stderr}",
        child.status
    );
}
