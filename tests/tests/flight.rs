//! Frames in flight: a simulation thread publishes draw lists in frame N that a render thread
//! reads during frame N + 1, without copies and, after warm-up, without system allocations on
//! either thread; values live exactly as long as their flights; the ring waits for (or
//! reports) flights of the frame it is about to recycle.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

use framealloc::flight::{Flight, FrameRing, StillInFlight};
use framealloc::{ArenaConfig, FrameArena};

#[path = "support/counting.rs"]
mod counting;
use counting::allocations;

#[derive(Clone, Copy, Debug, PartialEq)]
struct Draw {
    mesh: u32,
    frame: u64,
    depth: f32,
}

const FRAMES: u64 = if cfg!(miri) { 12 } else { 2000 };
const DRAWS: u32 = if cfg!(miri) { 20 } else { 1000 };
const WARM_UP: u64 = 8;

/// A one-place mailbox (`std::sync::mpsc` allocates the first time each side blocks, which
/// may be long after warm-up; this allocates nothing after `new`).
struct Mailbox<T> {
    state: Mutex<(Option<T>, bool)>,
    changed: Condvar,
}

impl<T> Mailbox<T> {
    fn new() -> Arc<Self> {
        Arc::new(Mailbox {
            state: Mutex::new((None, false)),
            changed: Condvar::new(),
        })
    }

    fn send(&self, item: T) {
        let mut state = self.state.lock().unwrap();
        while state.0.is_some() {
            state = self.changed.wait(state).unwrap();
        }
        state.0 = Some(item);
        self.changed.notify_all();
    }

    fn recv(&self) -> Option<T> {
        let mut state = self.state.lock().unwrap();
        loop {
            if let Some(item) = state.0.take() {
                self.changed.notify_all();
                return Some(item);
            }
            if state.1 {
                return None;
            }
            state = self.changed.wait(state).unwrap();
        }
    }

    fn close(&self) {
        self.state.lock().unwrap().1 = true;
        self.changed.notify_all();
    }
}

#[test]
fn simulation_and_render_threads_share_frames_without_copies_or_allocations() {
    let to_render = Mailbox::<Flight<[Draw]>>::new();
    let from_sim = Arc::clone(&to_render);
    let render = thread::spawn(move || {
        let mut expected = 0;
        let mut after_warm_up = 0;
        let mut checksum = 0u64;
        while let Some(list) = from_sim.recv() {
            let frame = list.frame_number();
            assert_eq!(frame, expected, "lists arrive in order");
            expected += 1;
            if frame == WARM_UP {
                after_warm_up = allocations();
            }
            // Read the whole list while the simulation builds the next frame.
            assert_eq!(list.len(), DRAWS as usize);
            assert!(list.iter().all(|d| d.frame == frame));
            assert!(list.windows(2).all(|w| w[0].depth <= w[1].depth));
            checksum += list.iter().map(|d| u64::from(d.mesh)).sum::<u64>();
        }
        (allocations() - after_warm_up, checksum)
    });

    let mut ring = FrameRing::with_config(2, || ArenaConfig::new().guards(false));
    let mut sim_after_warm_up = 0;
    let mut first_address = None;
    for frame in 0..FRAMES {
        if frame == WARM_UP {
            sim_after_warm_up = allocations();
        }
        let sim = ring.begin_frame();
        let f = sim.frame();
        // Scratch memory of this frame only, then the list the renderer gets.
        let scratch = f.alloc_slice_fill_with(DRAWS as usize, |i| (i as u32 * 7919) % DRAWS);
        let mut draws = f.vec_with_capacity(DRAWS as usize);
        for &mesh in scratch.iter() {
            draws.push(Draw {
                mesh,
                frame,
                depth: ((mesh as u64 * 31 + frame) % 977) as f32,
            });
        }
        draws.sort_unstable_by(|a, b| a.depth.total_cmp(&b.depth));
        let address = draws.as_ptr() as usize;
        let list = sim.publish_vec(draws);
        assert_eq!(
            list.as_ptr() as usize,
            address,
            "published where it was built"
        );
        if frame % 2 == 0 {
            // The same slot every other frame: its memory is reused, not reallocated.
            first_address.get_or_insert(address);
        }
        to_render.send(list);
    }
    let sim_allocations = allocations() - sim_after_warm_up;
    to_render.close();
    let (render_allocations, checksum) = render.join().unwrap();
    assert_eq!(
        checksum,
        FRAMES * u64::from(DRAWS) * u64::from(DRAWS - 1) / 2
    );
    assert_eq!(sim_allocations, 0, "simulation allocations after warm-up");
    assert_eq!(render_allocations, 0, "render allocations after warm-up");
    println!("{FRAMES} frames of {DRAWS} draws: 0 allocations after warm-up on either thread");
}

#[test]
fn memory_lives_until_frame_k_plus_n_begins() {
    let mut ring = FrameRing::with_config(3, || ArenaConfig::new().guards(false));
    let first = ring.begin_frame().publish([7u8; 64]);
    let address = first.as_ptr() as usize;
    assert!(ring.stats(0).is_some());
    // Frames 1 and 2 use other arenas; frame 0's value is intact.
    for _ in 0..2 {
        let f = ring.begin_frame();
        f.frame().alloc_slice_fill_copy(64, 1u8);
        let _ = f.publish([1u8; 64]);
    }
    assert_eq!(*first, [7u8; 64]);
    assert_eq!(
        ring.try_begin_frame().unwrap_err(),
        StillInFlight {
            frame: 0,
            flights: 1,
        }
    );
    drop(first);
    // Frame 3 recycles frame 0's arena: the same address comes back.
    let f = ring.begin_frame();
    assert_eq!(f.number(), 3);
    let again = f.publish([9u8; 64]);
    assert_eq!(again.as_ptr() as usize, address);
    assert!(ring.stats(0).is_none(), "frame 0's memory is gone");
    assert!(ring.stats(3).is_some());
}

#[test]
fn begin_frame_waits_for_the_consumer() {
    let mut ring = FrameRing::new(1);
    let value = ring.begin_frame().publish(String::from("held"));
    let released = Arc::new(AtomicUsize::new(0));
    let seen = released.clone();
    let consumer = thread::spawn(move || {
        thread::sleep(Duration::from_millis(if cfg!(miri) { 1 } else { 50 }));
        assert_eq!(&*value, "held");
        seen.store(1, Ordering::SeqCst);
        drop(value);
    });
    let f = ring.begin_frame(); // waits for the consumer's drop
    assert_eq!(released.load(Ordering::SeqCst), 1);
    assert_eq!(f.number(), 1);
    consumer.join().unwrap();
}

/// Counts drops.
struct Counted(Arc<AtomicUsize>);
impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn values_are_dropped_exactly_once_with_their_flight() {
    let drops = Arc::new(AtomicUsize::new(0));
    let mut ring = FrameRing::new(2);
    {
        let f = ring.begin_frame();
        let one = f.publish(Counted(drops.clone()));
        let many = f.publish_iter((0..5).map(|_| Counted(drops.clone())));
        let mut v = f.frame().vec();
        v.push(Counted(drops.clone()));
        v.push(Counted(drops.clone()));
        let vec = f.publish_vec(v);
        assert_eq!(drops.load(Ordering::SeqCst), 0);
        drop(one);
        assert_eq!(drops.load(Ordering::SeqCst), 1);
        thread::spawn(move || drop(many)).join().unwrap();
        assert_eq!(drops.load(Ordering::SeqCst), 6);
        drop(vec);
        assert_eq!(drops.load(Ordering::SeqCst), 8);
    }
    // Recycling the frames drops nothing more.
    for _ in 0..4 {
        ring.begin_frame();
    }
    assert_eq!(drops.load(Ordering::SeqCst), 8);
}

#[test]
fn a_panicking_destructor_still_lands_its_flight() {
    struct Bomb;
    impl Drop for Bomb {
        fn drop(&mut self) {
            panic!("boom");
        }
    }
    let mut ring = FrameRing::new(1);
    let bomb = ring.begin_frame().publish(Bomb);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(bomb)));
    assert!(result.is_err());
    assert!(ring.try_begin_frame().is_ok(), "the flight landed");
}

#[test]
fn publishing_another_arenas_vector_is_refused() {
    let drops = Arc::new(AtomicUsize::new(0));
    let mut ring = FrameRing::new(2);
    let mut other = FrameArena::new();
    let mut guard = other.begin_frame();
    let g = guard.frame();
    let f = ring.begin_frame();
    // The brand lifetimes cannot tell the two frames apart here (both are plain borrows);
    // the check at run time does.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut v = g.vec();
        v.push(Counted(drops.clone()));
        f.publish_vec(v)
    }));
    let Err(payload) = result else {
        panic!("a foreign vector was published");
    };
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap();
    assert!(message.contains("another arena"), "{message}");
    assert_eq!(
        drops.load(Ordering::SeqCst),
        1,
        "the vector was dropped, once"
    );
}

#[test]
fn frames_in_flight_is_clamped_and_reported() {
    assert_eq!(FrameRing::new(0).frames_in_flight(), 1);
    assert_eq!(
        FrameRing::new(1000).frames_in_flight(),
        FrameRing::MAX_FRAMES_IN_FLIGHT
    );
    let mut ring = FrameRing::new(2);
    let text = {
        let f = ring.begin_frame();
        let published = f.publish(1u8);
        format!("{f:?} {published:?}")
    };
    assert!(
        text.contains("number: 0") && text.contains("value: 1"),
        "{text}"
    );
    let e = StillInFlight {
        frame: 4,
        flights: 2,
    };
    assert!(e.to_string().contains("frame 4 still has 2 flight(s)"));
}

#[test]
fn shared_refs_read_while_their_frame_is_in_the_ring_and_none_after() {
    let mut ring = FrameRing::with_config(2, || ArenaConfig::new().guards(false));
    let (position, list) = {
        let f = ring.begin_frame();
        let mut v = f.frame().vec();
        v.extend(0..10u32);
        (f.share([1.0f32, 2.0]), f.share_vec(v))
    };
    let copy = list.clone();
    assert_eq!(position.get(), Some([1.0, 2.0]));
    assert_eq!(&*list.pin().unwrap(), &(0..10).collect::<Vec<_>>()[..]);
    assert_eq!(list.frame_number(), 0);
    ring.begin_frame();
    assert!(copy.is_live() && position.get().is_some());
    {
        // A pin holds the frame: the ring can neither recycle it nor, with try_begin_frame,
        // close it.
        let pinned = copy.pin().unwrap();
        assert_eq!(
            ring.try_begin_frame().unwrap_err(),
            StillInFlight {
                frame: 0,
                flights: 1
            }
        );
        assert_eq!(pinned[9], 9);
        assert!(
            list.pin().is_some(),
            "a failed try_begin_frame reopens the frame"
        );
    }
    ring.begin_frame();
    assert!(!copy.is_live());
    assert!(list.pin().is_none() && position.get().is_none());
    assert!(format!("{copy:?}").contains("live: false"));
}

#[test]
fn begin_frame_waits_for_a_pin_on_another_thread() {
    let mut ring = FrameRing::new(1);
    let value = ring.begin_frame().share(41u64);
    let (pinned_tx, pinned_rx) = std::sync::mpsc::channel::<()>();
    let reader = {
        let value = value.clone();
        thread::spawn(move || {
            let pinned = value.pin().unwrap();
            pinned_tx.send(()).unwrap();
            thread::sleep(Duration::from_millis(if cfg!(miri) { 1 } else { 30 }));
            *pinned + 1
        })
    };
    pinned_rx.recv().unwrap();
    let f = ring.begin_frame(); // waits for the reader's pin
    assert_eq!(f.number(), 1);
    assert_eq!(reader.join().unwrap(), 42);
    assert_eq!(value.get(), None);
}

#[test]
fn readers_racing_the_ring_never_see_a_recycled_frame() {
    // Readers pin refs of recent frames while the producer begins frames as fast as it can:
    // every successful pin must read its own frame's pattern, never a later frame's.
    const LEN: usize = if cfg!(miri) { 8 } else { 256 };
    let frames: u64 = if cfg!(miri) { 30 } else { 3000 };
    let mut ring = FrameRing::with_config(2, || ArenaConfig::new().guards(false));
    // The refs of the last three frames: with two in flight, the oldest is always recycled
    // or being recycled, the newest never.
    type Recent = std::collections::VecDeque<framealloc::flight::FlightRef<[u64]>>;
    let latest: Arc<Mutex<Recent>> = Arc::new(Mutex::new(Recent::new()));
    let done = Arc::new(AtomicUsize::new(0));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let latest = Arc::clone(&latest);
            let done = Arc::clone(&done);
            thread::spawn(move || {
                let (mut read, mut missed) = (0u64, 0u64);
                while done.load(Ordering::SeqCst) == 0 {
                    let pick = (read + missed) as usize;
                    let r = {
                        let recent = latest.lock().unwrap();
                        if recent.is_empty() {
                            drop(recent);
                            thread::yield_now();
                            continue;
                        }
                        recent[pick % recent.len()].clone()
                    };
                    match r.pin() {
                        Some(values) => {
                            let frame = r.frame_number();
                            assert!(values.iter().all(|&v| v == frame), "frame {frame}");
                            read += 1;
                        }
                        None => missed += 1,
                    };
                }
                (read, missed)
            })
        })
        .collect();
    for frame in 0..frames {
        let f = ring.begin_frame();
        let mut v = f.frame().vec_with_capacity(LEN);
        v.extend(std::iter::repeat_n(frame, LEN));
        let shared = f.share_vec(v);
        let mut recent = latest.lock().unwrap();
        if recent.len() == 3 {
            recent.pop_front();
        }
        recent.push_back(shared);
    }
    done.store(1, Ordering::SeqCst);
    for r in readers {
        let (read, missed) = r.join().unwrap();
        println!("reader: {read} pins read, {missed} found their frame recycled");
    }
}

/// Flights dropped on several threads at once, while the ring waits for them and, in the last
/// round, after the ring itself is gone: every value is intact until its drop, the ring never
/// recycles a frame early, and the memory goes with whichever ends last (Miri checks that).
#[test]
fn flights_landing_on_many_threads_race_the_ring_and_its_drop() {
    const THREADS: usize = 3;
    const ROUNDS: u64 = if cfg!(miri) { 3 } else { 200 };
    const PER_THREAD: u64 = if cfg!(miri) { 4 } else { 50 };
    let mut ring = FrameRing::new(1);
    for round in 0..=ROUNDS {
        let f = ring.begin_frame(); // waits for the last round's flights
        assert_eq!(f.number(), round);
        let batches: Vec<Vec<Flight<[u64; 4]>>> = (0..THREADS as u64)
            .map(|t| {
                (0..PER_THREAD)
                    .map(|i| f.publish([round, t, i, round ^ t ^ i]))
                    .collect()
            })
            .collect();
        let workers: Vec<_> = batches
            .into_iter()
            .enumerate()
            .map(|(t, batch)| {
                thread::spawn(move || {
                    for (i, flight) in batch.into_iter().enumerate() {
                        let (t, i) = (t as u64, i as u64);
                        assert_eq!(*flight, [round, t, i, round ^ t ^ i]);
                        drop(flight);
                    }
                })
            })
            .collect();
        if round == ROUNDS {
            drop(ring); // the workers' last flights release the slot
            for w in workers {
                w.join().unwrap();
            }
            break;
        }
        // Not joined: the next begin_frame is what waits for them.
        drop(workers);
    }
}

/// The ring counts flights ahead in batches; what it reports and waits for is still exact,
/// across batch boundaries and frames that publish nothing.
#[test]
fn flight_counts_are_exact_across_batches() {
    let mut ring = FrameRing::new(1);
    for made in [0usize, 1, 63, 64, 65, 130] {
        let mut flights: Vec<Flight<u32>> = {
            let f = ring.begin_frame();
            (0..made as u32).map(|i| f.publish(i)).collect()
        };
        for still in (1..=made).rev() {
            let err = ring.try_begin_frame().unwrap_err();
            assert_eq!(err.flights, still, "{made} made");
            flights.pop();
        }
        assert!(flights.is_empty());
    }
    assert_eq!(ring.frame_number(), 6);
    let f = ring.try_begin_frame().unwrap();
    assert_eq!(f.number(), 6);
}
