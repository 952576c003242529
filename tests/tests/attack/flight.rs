//! Frames in flight: zero-sized and over-aligned values, panicking iterators and
//! destructors, forgotten pins, flights that never land, flights that outlive their ring on another
//! thread, a chunk source that cannot reserve, and a budget that refuses a publish.

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

use framealloc::flight::FrameRing;
use framealloc::{AllocError, ArenaConfig, FrameArena, VirtualSource};

use crate::{expect_panic, Ledger, PANIC_IDS};

thread_local! {
    static ZST_DROPS: Cell<usize> = const { Cell::new(0) };
}

/// A zero-sized value with a destructor.
struct Zst;
impl Drop for Zst {
    fn drop(&mut self) {
        ZST_DROPS.with(|c| c.set(c.get() + 1));
    }
}

#[test]
fn zero_sized_and_over_aligned_values() {
    #[derive(Clone, Copy)]
    #[repr(align(4096))]
    struct Page([u8; 16]);

    ZST_DROPS.with(|c| c.set(0));
    let mut ring = FrameRing::new(2);
    {
        let f = ring.begin_frame();
        let one = f.publish(Zst);
        let mut v = f.frame().vec();
        for _ in 0..5 {
            v.push(Zst);
        }
        let many = f.publish_vec(v);
        assert_eq!(many.len(), 5);
        let units = f.share_vec({
            let mut v = f.frame().vec();
            v.extend([(), (), ()]);
            v
        });
        assert_eq!(units.pin().unwrap().len(), 3);
        assert_eq!(f.share(()).get(), Some(()));
        let page = f.publish(Page([7; 16]));
        assert_eq!((&*page as *const Page as usize) % 4096, 0);
        assert_eq!(f.share(Page([9; 16])).get().map(|p| p.0[15]), Some(9));
        drop(one);
        assert_eq!(ZST_DROPS.with(Cell::get), 1);
        drop(many);
        assert_eq!(ZST_DROPS.with(Cell::get), 6);
    }
    for _ in 0..4 {
        ring.begin_frame();
    }
    assert_eq!(ZST_DROPS.with(Cell::get), 6, "recycling drops nothing more");
}

#[test]
fn a_panicking_iterator_or_destructor_drops_each_value_once() {
    let ledger = Ledger::new();
    let mut ring = FrameRing::new(1);
    let message = expect_panic(|| {
        let f = ring.begin_frame();
        let _never = f.publish_iter((0..10).map(|i| {
            assert!(i < 4, "iterator fails at 4");
            ledger.track(i)
        }));
    });
    assert!(message.contains("iterator fails at 4"), "{message}");
    assert_eq!(ledger.dropped(), [0, 1, 2, 3]);
    // A slice whose second element panics in its destructor: the others still drop, once,
    // and the flight lands.
    let list = {
        let f = ring.begin_frame();
        f.publish_iter([ledger.track(10), ledger.track(PANIC_IDS), ledger.track(11)])
    };
    let message = expect_panic(move || drop(list));
    assert!(message.contains("panics in drop"), "{message}");
    assert_eq!(ledger.dropped(), [0, 1, 2, 3, 10, 11, PANIC_IDS]);
    assert!(ring.try_begin_frame().is_ok(), "the flight landed");
}

#[test]
fn a_forgotten_pin_holds_its_frame_and_nothing_breaks() {
    let mut ring = FrameRing::new(1);
    let shared = ring.begin_frame().share(5u32);
    // A forgotten pin keeps its frame for good: the ring refuses to recycle it (and
    // `begin_frame` would wait), and the value stays readable.
    std::mem::forget(shared.pin().unwrap());
    for _ in 0..3 {
        let err = ring.try_begin_frame().unwrap_err();
        assert_eq!((err.frame, err.flights), (0, 1));
    }
    assert_eq!(shared.get(), Some(5));
}

/// Flights that never land. Held in a static rather than forgotten, so that the leak
/// checkers (Miri's, LeakSanitizer's) see their slot as reachable: for the ring it is the
/// same as `mem::forget`.
static FOREVER: std::sync::Mutex<Vec<framealloc::flight::Flight<String>>> =
    std::sync::Mutex::new(Vec::new());

#[test]
fn a_flight_that_never_lands_holds_its_frame_and_its_ring_drops_cleanly() {
    let mut ring = FrameRing::new(2);
    let (kept, forever) = {
        let f = ring.begin_frame();
        (f.publish(7u64), f.publish(String::from("never dropped")))
    };
    FOREVER.lock().unwrap().push(forever);
    drop(ring.begin_frame().publish(1u8)); // frame 1, on the other slot
                                           // Frame 0's slot is held by the flight that never lands, whatever else lands.
    drop(kept);
    for _ in 0..3 {
        let err = ring.try_begin_frame().unwrap_err();
        assert_eq!((err.frame, err.flights), (0, 1));
    }
    assert_eq!(ring.frame_number(), 2);
    // Dropping the ring frees the slot nobody holds and leaves the other to the flight: it
    // stays readable, never freed early.
    drop(ring);
    assert_eq!(*FOREVER.lock().unwrap()[0], "never dropped");
}

#[test]
fn flights_outlive_their_ring_on_another_thread() {
    let drops = std::sync::Arc::new(AtomicUsize::new(0));
    struct Counted(std::sync::Arc<AtomicUsize>, u64);
    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
    let mut ring = FrameRing::new(2);
    let (flight, shared) = {
        let f = ring.begin_frame();
        (f.publish(Counted(drops.clone(), 41)), f.share(42u64))
    };
    drop(ring); // the slots live on in the flight and the reference
    let reader = std::thread::spawn(move || {
        let seen = flight.1 + shared.get().unwrap();
        drop(flight);
        (seen, shared.get())
    });
    assert_eq!(reader.join().unwrap(), (83, Some(42)));
    assert_eq!(drops.load(Ordering::SeqCst), 1);
}

#[test]
fn a_budget_refuses_a_publish_and_an_unmappable_reservation_is_an_error() {
    let mut ring = FrameRing::with_config(1, || ArenaConfig::new().guards(false).budget(Some(64)));
    let message = expect_panic(|| {
        let f = ring.begin_frame();
        let _ = f.publish([0u8; 128]);
    });
    assert!(message.contains("budget"), "{message}");
    assert_eq!(*ring.begin_frame().publish(3u8), 3, "the ring goes on");

    // A reservation no machine can map: every allocation fails cleanly. (Where the source
    // falls back, as under Miri, the arena keeps the usual chunk sizes and allocates.)
    let source = VirtualSource::new(usize::MAX);
    let mapped = source.is_virtual();
    let mut arena = FrameArena::with_config(ArenaConfig::new().virtual_memory(source));
    arena.frame(|f| match f.try_alloc(1u64) {
        Err(AllocError::OutOfMemory { .. }) => assert!(mapped),
        Ok(x) => assert!(!mapped && *x == 1),
        Err(e) => panic!("{e}"),
    });
}
