//! Frames in flight: memory that lives for N frames, for data one frame makes and a later
//! frame (often on another thread) uses.
//!
//! A [`FrameRing`] holds N frame arenas. Frame `k` allocates from arena `k mod N`, which is
//! reset when frame `k + N` begins, so what frame `k` makes stays valid while frames
//! `k + 1 .. k + N - 1` run: a simulation thread builds frame `k`'s draw lists while the
//! render thread draws frame `k - 1`'s, with no copy.
//!
//! The compiler and the ring share the checking:
//!
//! - Memory used on the producing thread within its frame is borrowed from the
//!   [`FlightFrame`], as with any [`Frame`]: it cannot be used once the next frame begins
//!   (the next [`begin_frame`](FrameRing::begin_frame) needs the ring back).
//! - Memory that crosses to another thread or a later frame is *published*: a [`Flight`]
//!   owns a value in the frame's arena, like a `Box`, and is `Send` when the value is. The
//!   arena is not reset while a `Flight` of its frame exists: [`begin_frame`] for frame
//!   `k + N` waits until frame `k`'s flights are dropped (the way a renderer waits on a
//!   fence when the CPU is N frames ahead), and [`try_begin_frame`] reports it instead. A
//!   `Flight` therefore never dangles, and reading one costs nothing.
//! - A `Copy` value many places read (a camera, a draw list several workers walk) is
//!   *shared*: a [`FlightRef`] is the frames-in-flight [`FrameHandle`](crate::FrameHandle),
//!   cloned freely and checked on every read. [`FlightRef::pin`] fails once the ring has
//!   begun recycling the frame, and otherwise holds the frame until the pin is dropped.
//!
//! ```
//! use framealloc::flight::{Flight, FrameRing};
//! use std::sync::mpsc;
//! use std::thread;
//!
//! #[derive(Clone, Copy, Debug, PartialEq)]
//! struct Draw { mesh: u32, depth: f32 }
//!
//! let (to_render, from_sim) = mpsc::sync_channel::<Flight<[Draw]>>(1);
//! let render = thread::spawn(move || {
//!     let mut drawn = 0;
//!     for list in from_sim {
//!         drawn += list.len(); // frame N's list, read during frame N + 1
//!     } // dropping the list lets the ring recycle its frame
//!     drawn
//! });
//!
//! let mut ring = FrameRing::new(2);
//! for frame in 0..10u32 {
//!     let sim = ring.begin_frame(); // waits if frame - 2's lists are still being drawn
//!     let f = sim.frame();
//!     let mut draws = f.vec();
//!     for mesh in 0..100 {
//!         draws.push(Draw { mesh, depth: (mesh + frame) as f32 });
//!     }
//!     draws.sort_by(|a, b| a.depth.total_cmp(&b.depth));
//!     to_render.send(sim.publish_vec(draws)).unwrap(); // no copy: the list stays in the ring
//! }
//! drop(to_render);
//! assert_eq!(render.join().unwrap(), 1000);
//! ```
//!
//! [`begin_frame`]: FrameRing::begin_frame
//! [`try_begin_frame`]: FrameRing::try_begin_frame

use core::fmt;
use core::marker::PhantomData;
use core::ops::{Deref, DerefMut};
use core::ptr::{self, NonNull};
use std::boxed::Box;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, Thread};
use std::vec::Vec;

use crate::frame::raw_arena;
use crate::raw::RawArena;
use crate::stats::ArenaStats;
use crate::sync::lock;
use crate::{ArenaConfig, Frame, FrameVec};

/// One arena of the ring, and what keeps its frame's memory from being recycled: live
/// [`Flight`]s and [`Pinned`] reads.
///
/// A slot lives in an `Arc`. The ring holds one reference, each [`FlightRef`] one, and the
/// frame's flights hold one between them (made when the ring is, released by whichever of
/// the ring's drop and the last flight's landing comes second; see [`GONE`]), so that a
/// flight costs one atomic operation to drop, and its making a share of one (see
/// [`CREDITS`]).
struct Slot {
    arena: SlotArena,
    /// Live flights of the frame this arena holds (the bits below [`WAITING`]), and the
    /// [`WAITING`] and [`GONE`] flags. The ring raises the count (one thread at a time);
    /// flights lower it when they drop, from any thread.
    flights: AtomicUsize,
    /// The thread of a ring waiting for the flights to land: set by the ring before it sets
    /// [`WAITING`], read by the flight that lands last while it is set.
    waiter: Mutex<Option<Thread>>,
    /// The pins: the frame that may be pinned ([`tag`] of its number, or [`CLOSED`] while the
    /// ring recycles the arena and before its first frame) and the live pins, in one word, so
    /// that a pin's check of the frame and its count are one atomic step.
    pins: AtomicU64,
    /// Taken by the ring around its wait for pins, and by the pin that ends last to wake it,
    /// so that the wake-up cannot fall between the ring's check and its wait.
    waiting: Mutex<()>,
    /// Signalled when the last pin of a closed slot ends.
    landed: Condvar,
}

/// [`Slot::flights`]: the ring is waiting in `begin_frame` for the flights to land; the flight
/// that lands last clears it (its last touch of the slot) and wakes the ring.
const WAITING: usize = 1 << (usize::BITS - 2);
/// [`Slot::flights`]: the ring has been dropped; the flight that lands last releases the
/// flights' reference to the slot.
const GONE: usize = 1 << (usize::BITS - 1);
/// Bits of [`Slot::flights`] that count flights.
const FLIGHTS: usize = WAITING - 1;

/// Flights the ring counts in a slot at once, ahead of making them: it then makes that many
/// flights with no atomic operation, and gives back the ones it did not make before it waits
/// for the slot's flights or drops (so that the count is exact whenever it matters).
const CREDITS: usize = 64;

/// Bits of [`Slot::pins`] that count pins (the rest hold the frame's tag).
const PIN_BITS: u32 = 24;
const PIN_COUNT: u64 = (1 << PIN_BITS) - 1;
/// The tag of a slot whose frame may not be pinned.
const CLOSED: u64 = 0;

/// The tag of frame `number` in [`Slot::pins`]: its number plus one, in the upper 40 bits.
/// (Frame numbers wrap there after 2^40 frames, 580 years at 60 frames per second.)
fn tag(number: u64) -> u64 {
    (number.wrapping_add(1) << PIN_BITS) & !PIN_COUNT
}

/// The arena of a slot: used only by the ring that owns the slot.
struct SlotArena(RawArena);

// SAFETY: a slot is shared (through `Arc`) between its ring and the flights and references of
// its frame, but only the ring touches the arena, through `&mut FrameRing` (or the
// `FlightFrame` that borrows it): the others hold their references (`Arc`s, and the flights'
// shared one) only to keep the chunks alive and to count themselves in atomics. So the arena's `Cell`s are used from one thread at a time,
// and the last `Arc`'s drop, wherever it runs, has the arena to itself. `RawArena` is `Send`.
unsafe impl Sync for SlotArena {}

impl Slot {
    /// Counts `n` flights of this slot's frame ahead of their making (see [`CREDITS`]). The
    /// flights reach other threads only through something that synchronizes (a channel, a
    /// join), so no ordering is needed.
    fn take_off(&self, n: usize) {
        let before = self.flights.fetch_add(n, Ordering::Relaxed);
        if before & FLIGHTS >= FLIGHTS / 2 {
            // As `Arc` does: only flights leaked by the quintillion get here, and carrying
            // on would wrap the count into the flags.
            std::process::abort();
        }
    }

    /// Counts the end of the flight whose share of the flights' reference `slot` is: after its
    /// last use of the value (`Release`). Wakes the ring if it waits for this flight, and
    /// releases the flights' reference if the ring is gone and this flight was the last.
    ///
    /// # Safety
    ///
    /// `slot` is the pointer [`FrameRing`] made for its flights with `Arc::into_raw`, and the
    /// caller is a flight counted by [`take_off`](Self::take_off) that has not landed. The
    /// slot may be freed when this returns.
    unsafe fn land(slot: NonNull<Slot>) {
        // SAFETY: the flights' reference is alive while a flight is counted, as this one is.
        let flights = unsafe { &slot.as_ref().flights };
        let before = flights.fetch_sub(1, Ordering::Release);
        if before == WAITING | 1 {
            // The ring is blocked in `begin_frame` (it holds its own reference, so the slot
            // stays until it returns, which it does only after `WAITING` is cleared below).
            // Acquire the other flights' landings (an `Acquire` load of the value this
            // landing left, rather than a fence, which ThreadSanitizer does not see), so that
            // the `Release` below passes them on to the ring.
            flights.load(Ordering::Acquire);
            // SAFETY: as above.
            let waiter = lock(unsafe { &slot.as_ref().waiter }).clone();
            // The last touch of the slot: once the ring sees it, it may go on and drop.
            flights.store(0, Ordering::Release);
            if let Some(ring) = waiter {
                ring.unpark();
            }
        } else if before == GONE | 1 {
            // The other flights' landings happen before the slot's release (a load, as above).
            flights.load(Ordering::Acquire);
            // SAFETY: the ring is gone and this was the last flight: the flights' reference,
            // made by `Arc::into_raw`, is this flight's to release, and nothing else will.
            drop(unsafe { Arc::from_raw(slot.as_ptr().cast_const()) });
        }
    }

    /// Waits until every flight of the slot's frame has landed. Only the ring calls it, so no
    /// flight is made meanwhile.
    fn wait_for_flights(&self) {
        if self.flights.load(Ordering::Acquire) == 0 {
            return;
        }
        *lock(&self.waiter) = Some(thread::current());
        // `AcqRel`: if the count is already zero, the flights' last uses happen before what
        // the ring does next; else the flight that lands last reads the waiter set above.
        if self.flights.fetch_or(WAITING, Ordering::AcqRel) & FLIGHTS == 0 {
            self.flights.store(0, Ordering::Relaxed);
            return;
        }
        // The last flight clears `WAITING` (`Release`, after the others' landings) and
        // unparks this thread; any other unpark is spurious and goes round again.
        while self.flights.load(Ordering::Acquire) & WAITING != 0 {
            thread::park();
        }
    }

    /// Pins frame `number` if the slot still holds it (one compare-and-swap of the word that
    /// the ring closes): `Acquire`, so that the ring's writes of the frame are seen.
    fn pin(&self, number: u64) -> bool {
        let want = tag(number);
        let mut word = self.pins.load(Ordering::Acquire);
        loop {
            if word & !PIN_COUNT != want {
                return false;
            }
            assert!(
                word & PIN_COUNT < PIN_COUNT,
                "FlightRef::pin: more than {PIN_COUNT} pins of one frame at once"
            );
            match self.pins.compare_exchange_weak(
                word,
                word + 1,
                Ordering::Acquire,
                Ordering::Acquire,
            ) {
                Ok(_) => return true,
                Err(now) => word = now,
            }
        }
    }

    /// Ends a pin (after its last read: `Release`), waking the ring if it waits for it.
    fn unpin(&self) {
        let before = self.pins.fetch_sub(1, Ordering::Release);
        debug_assert!(before & PIN_COUNT > 0, "an unpin without its pin");
        if before & PIN_COUNT == 1 && before & !PIN_COUNT == CLOSED {
            self.wake();
        }
    }

    fn wake(&self) {
        let _waiting = lock(&self.waiting);
        self.landed.notify_all();
    }

    /// Flights and pins alive (for [`StillInFlight`]).
    fn in_use(&self) -> usize {
        let flights = self.flights.load(Ordering::Acquire) & FLIGHTS;
        let pins = self.pins.load(Ordering::Acquire) & PIN_COUNT;
        flights + pins as usize
    }

    /// Pins alive. When it reads zero after [`close`](Self::close), their last reads happen
    /// before whatever the ring does next (`Acquire`, paired with the `Release` of `unpin`).
    fn pinned(&self) -> u64 {
        self.pins.load(Ordering::Acquire) & PIN_COUNT
    }

    /// Stops new pins of the slot's frame; pins already made stay counted.
    fn close(&self) {
        self.pins.fetch_and(PIN_COUNT, Ordering::Acquire);
    }

    /// Closes the slot only if nothing uses it (no flight, no pin): `false` leaves it open.
    fn try_close(&self) -> bool {
        if self.flights.load(Ordering::Acquire) != 0 {
            return false;
        }
        let word = self.pins.load(Ordering::Acquire);
        word & PIN_COUNT == 0
            && self
                .pins
                .compare_exchange(word, CLOSED, Ordering::Acquire, Ordering::Acquire)
                .is_ok()
    }

    /// Opens the slot for pins of frame `number`; the slot is closed and unpinned.
    fn open_for(&self, number: u64) {
        self.pins.store(tag(number), Ordering::Release);
    }

    /// Waits until every flight and pin has ended; the slot is closed.
    fn wait_unused(&self) {
        self.wait_for_flights();
        if self.pinned() == 0 {
            return;
        }
        let mut waiting = lock(&self.waiting);
        // Checked under the lock: the pin that ends last takes it to wake us, so it cannot do
        // so between this check and the wait.
        while self.pinned() > 0 {
            waiting = self
                .landed
                .wait(waiting)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }
}

/// N frame arenas used in turn, so that what frame `k` allocates stays valid until frame
/// `k + N` begins (see the [module documentation](self)).
///
/// ```
/// use framealloc::flight::FrameRing;
///
/// let mut ring = FrameRing::new(3);
/// let mut kept = Vec::new();
/// for frame in 0..6u64 {
///     let f = ring.begin_frame();
///     assert_eq!(f.number(), frame);
///     kept.push(f.publish(frame * 10));
///     if kept.len() == 3 {
///         assert_eq!(*kept.remove(0), (frame - 2) * 10); // still valid two frames later
///     }
/// }
/// assert_eq!(ring.frames_in_flight(), 3);
/// ```
pub struct FrameRing {
    slots: Box<[Arc<Slot>]>,
    /// Each slot's reference for its flights (see [`Slot`]), from `Arc::into_raw`.
    for_flights: Box<[FlightsRef]>,
    /// Flights counted in the latest frame's slot but not made yet (see [`CREDITS`]). Only the
    /// ring's thread touches it (through the ring or its frame), with plain loads and stores.
    credits: AtomicUsize,
    /// Frames begun so far.
    begun: u64,
}

/// The reference to a [`Slot`] that its frame's flights share, as `Arc::into_raw` made it.
#[derive(Clone, Copy)]
struct FlightsRef(NonNull<Slot>);

// SAFETY: the pointer stands for an `Arc<Slot>` reference, which may be sent and shared
// (`Slot` is `Send + Sync`); it is released exactly once, by the ring's drop or the last
// flight's landing (see `GONE`).
unsafe impl Send for FlightsRef {}
// SAFETY: as for `Send`.
unsafe impl Sync for FlightsRef {}

impl FrameRing {
    /// The most frames in flight a ring holds: 64.
    pub const MAX_FRAMES_IN_FLIGHT: usize = 64;

    /// A ring of `frames_in_flight` arenas (clamped to `1..=64`) with the default
    /// [`ArenaConfig`]. Allocates nothing until first used.
    pub fn new(frames_in_flight: usize) -> Self {
        Self::with_config(frames_in_flight, ArenaConfig::new)
    }

    /// A ring of `frames_in_flight` arenas (clamped to `1..=64`), each configured by
    /// `config`.
    ///
    /// ```
    /// use framealloc::flight::FrameRing;
    /// use framealloc::ArenaConfig;
    ///
    /// let mut ring = FrameRing::with_config(2, || ArenaConfig::new().first_chunk_size(1 << 20));
    /// let f = ring.begin_frame();
    /// assert_eq!(*f.publish(7u8), 7);
    /// ```
    pub fn with_config(frames_in_flight: usize, mut config: impl FnMut() -> ArenaConfig) -> Self {
        let n = frames_in_flight.clamp(1, Self::MAX_FRAMES_IN_FLIGHT);
        let slots: Vec<Arc<Slot>> = (0..n)
            .map(|_| {
                Arc::new(Slot {
                    arena: SlotArena(raw_arena(config())),
                    flights: AtomicUsize::new(0),
                    waiter: Mutex::new(None),
                    pins: AtomicU64::new(CLOSED),
                    waiting: Mutex::new(()),
                    landed: Condvar::new(),
                })
            })
            .collect();
        let for_flights = slots
            .iter()
            .map(|slot| {
                let raw = Arc::into_raw(Arc::clone(slot)).cast_mut();
                // SAFETY: `Arc::into_raw` never returns null.
                FlightsRef(unsafe { NonNull::new_unchecked(raw) })
            })
            .collect();
        FrameRing {
            slots: slots.into_boxed_slice(),
            for_flights,
            credits: AtomicUsize::new(0),
            begun: 0,
        }
    }

    /// How many frames' memory is alive at once.
    pub fn frames_in_flight(&self) -> usize {
        self.slots.len()
    }

    /// How many frames have begun (the next frame's number).
    pub fn frame_number(&self) -> u64 {
        self.begun
    }

    /// Begins the next frame, `k`, recycling the memory of frame `k - N`. If flights (or pins)
    /// of that frame are still alive (a consumer is N frames behind), waits until they are
    /// dropped; from the call on, [`FlightRef::pin`] fails for that frame.
    ///
    /// A [`Flight`] that is never dropped (leaked with `mem::forget`, or kept forever) makes
    /// this wait forever; [`try_begin_frame`](Self::try_begin_frame) does not wait.
    pub fn begin_frame(&mut self) -> FlightFrame<'_> {
        self.return_credits();
        let slot = &self.slots[self.slot_index()];
        slot.close();
        slot.wait_unused();
        self.open()
    }

    /// [`begin_frame`](Self::begin_frame) without waiting: fails if flights of the frame
    /// whose memory is next are still alive, and says how many.
    ///
    /// ```
    /// use framealloc::flight::FrameRing;
    ///
    /// let mut ring = FrameRing::new(1);
    /// let kept = ring.begin_frame().publish(1u32);
    /// let err = ring.try_begin_frame().err().unwrap();
    /// assert_eq!((err.frame, err.flights), (0, 1));
    /// assert!(err.to_string().contains("frame 0"));
    /// drop(kept);
    /// assert_eq!(ring.try_begin_frame().unwrap().number(), 1);
    /// ```
    pub fn try_begin_frame(&mut self) -> Result<FlightFrame<'_>, StillInFlight> {
        self.return_credits();
        let n = self.slots.len() as u64;
        let slot = &self.slots[self.slot_index()];
        if !slot.try_close() {
            return Err(StillInFlight {
                frame: self.begun - n,
                flights: slot.in_use().max(1),
            });
        }
        Ok(self.open())
    }

    /// Uncounts the flights the latest frame counted ahead but did not make.
    fn return_credits(&mut self) {
        let credits = *self.credits.get_mut();
        if credits > 0 {
            *self.credits.get_mut() = 0;
            let latest = ((self.begun - 1) % self.slots.len() as u64) as usize;
            // Neither flag is set (the ring is neither waiting nor gone), so this cannot be
            // a landing the flights would have to act on; `Release` as a landing's.
            self.slots[latest]
                .flights
                .fetch_sub(credits, Ordering::Release);
        }
    }

    fn slot_index(&self) -> usize {
        (self.begun % self.slots.len() as u64) as usize
    }

    /// Resets the next slot's arena (its flights are all down) and opens its frame.
    fn open(&mut self) -> FlightFrame<'_> {
        let index = self.slot_index();
        let number = self.begun;
        self.begun += 1;
        let slot = &self.slots[index];
        let for_flights = self.for_flights[index];
        if number >= self.slots.len() as u64 {
            // SAFETY: nothing refers to the memory of the frame this slot held: references
            // the frame handed out borrowed the ring, which `&mut self` has back, and its
            // flights and pins are all gone: `wait_unused` or `try_close` saw both counts at
            // zero after the slot was closed (no pin can succeed on a closed slot, and only
            // this ring, which is here, makes flights). Their last uses happen before this
            // reset: the landings' and unpins' `Release` is acquired by the ring's read of the
            // count at zero, or, when the ring waited, by the last flight's `Acquire` load,
            // whose `Release` clearing of `WAITING` the ring's read acquires.
            unsafe { slot.arena.0.reset() };
        }
        slot.open_for(number);
        // SAFETY: the arena is reset only by `open`, which needs the ring mutably borrowed,
        // so not while `'_` (the ring's borrow the frame holds) lasts; and the frame is only
        // ever lent out shared (`FlightFrame::frame`), so no scope of it rewinds anything.
        let frame = unsafe { Frame::new(&slot.arena.0) };
        FlightFrame {
            frame,
            slot,
            for_flights,
            credits: &self.credits,
            number,
        }
    }

    /// The statistics of the arena that holds frame `number`'s memory, if that frame's
    /// memory is still in the ring (begun, and not yet recycled).
    pub fn stats(&self, number: u64) -> Option<ArenaStats> {
        let n = self.slots.len() as u64;
        if number >= self.begun || number + n < self.begun {
            return None;
        }
        Some(self.slots[(number % n) as usize].arena.0.stats())
    }
}

impl Drop for FrameRing {
    fn drop(&mut self) {
        self.return_credits();
        for (slot, flights) in self.slots.iter().zip(self.for_flights.iter()) {
            // `AcqRel`: if no flight is left, their last uses happen before the slot's
            // release here; else the last one to land sees the flag and releases it.
            if slot.flights.fetch_or(GONE, Ordering::AcqRel) & FLIGHTS == 0 {
                // SAFETY: the flights' reference, made by `Arc::into_raw` in `with_config`;
                // no flight is left to release it, and none can be made now.
                drop(unsafe { Arc::from_raw(flights.0.as_ptr().cast_const()) });
            }
        }
    }
}

impl fmt::Debug for FrameRing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FrameRing")
            .field("frames_in_flight", &self.slots.len())
            .field("begun", &self.begun)
            .finish_non_exhaustive()
    }
}

/// [`FrameRing::try_begin_frame`]'s error: the frame whose memory would be recycled still
/// has live [`Flight`]s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StillInFlight {
    /// The frame whose memory is next.
    pub frame: u64,
    /// Its flights and pins still alive.
    pub flights: usize,
}

impl fmt::Display for StillInFlight {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "frame {} still has {} flight(s) alive, so its memory cannot be recycled yet: drop \
             them (or call begin_frame, which waits for them)",
            self.frame, self.flights
        )
    }
}

impl std::error::Error for StillInFlight {}

/// One frame of a [`FrameRing`]: allocate through [`frame`](Self::frame) for memory used
/// during the frame on this thread, and [`publish`](Self::publish) what must outlive it.
pub struct FlightFrame<'r> {
    frame: Frame<'r, 'r>,
    slot: &'r Arc<Slot>,
    for_flights: FlightsRef,
    credits: &'r AtomicUsize,
    number: u64,
}

impl<'r> FlightFrame<'r> {
    /// The frame to allocate from. What it hands out borrows the ring, so it cannot be used
    /// once the next frame begins; vectors made here can be published whole with
    /// [`publish_vec`](Self::publish_vec).
    pub fn frame(&self) -> &Frame<'r, 'r> {
        &self.frame
    }

    /// This frame's number (0 for the ring's first).
    pub fn number(&self) -> u64 {
        self.number
    }

    /// Moves `value` into the frame's memory and returns the [`Flight`] that owns it. It
    /// stays valid, on any thread it is sent to, until it is dropped; the frame's memory is
    /// not recycled before that.
    ///
    /// # Panics
    ///
    /// When the arena cannot hold it (out of memory, or over its budget).
    #[track_caller]
    pub fn publish<T>(&self, value: T) -> Flight<T> {
        self.lift(self.place(value))
    }

    /// Publishes the items of `iter`, in order, as one slice.
    ///
    /// ```
    /// use framealloc::flight::FrameRing;
    ///
    /// let mut ring = FrameRing::new(2);
    /// let squares = ring.begin_frame().publish_iter((1..=4).map(|i| i * i));
    /// assert_eq!(&*squares, &[1, 4, 9, 16]);
    /// ```
    #[track_caller]
    pub fn publish_iter<T>(&self, iter: impl IntoIterator<Item = T>) -> Flight<[T]> {
        let mut v = self.frame.vec();
        v.extend(iter);
        self.publish_vec(v)
    }

    /// Publishes a vector made from this frame's [`frame`](Self::frame), without copying its
    /// elements: the [`Flight`] owns them where they are.
    ///
    /// # Panics
    ///
    /// When `vec` belongs to another frame's arena.
    #[track_caller]
    pub fn publish_vec<T>(&self, vec: FrameVec<'_, 'r, T>) -> Flight<[T]> {
        self.lift(self.take_vec(vec, "publish_vec"))
    }

    /// Moves `value` into a fresh block of this frame's arena, valid until the arena is
    /// reset; the caller makes the flight or reference that owns or refers to it.
    #[track_caller]
    fn place<T>(&self, value: T) -> NonNull<T> {
        let layout = core::alloc::Layout::new::<T>();
        let place = crate::error::infallible(self.frame.raw().try_alloc_layout(layout));
        let place = place.cast::<T>();
        // SAFETY: a fresh block for a `T`, which nothing else uses.
        unsafe { place.as_ptr().write(value) };
        place
    }

    /// Takes a vector of this frame's arena apart, keeping its elements where they are, for
    /// `method` to own or share; refuses (panics) a vector of another arena, which is dropped
    /// in its own frame first.
    #[track_caller]
    fn take_vec<T>(&self, vec: FrameVec<'_, 'r, T>, method: &str) -> NonNull<[T]> {
        let (ptr, len, cap, frame) = vec.into_raw_parts();
        if !ptr::eq(frame.raw(), self.frame.raw()) {
            // SAFETY: the parts were just taken from a vector of `frame`; rebuilding it
            // hands its elements and buffer back to it unchanged.
            drop(unsafe { FrameVec::from_raw_parts(ptr, len, cap, frame) });
            panic!(
                "FlightFrame::{method}: the vector was made from another arena's frame; make \
                 it with this FlightFrame's frame()"
            );
        }
        NonNull::slice_from_raw_parts(ptr, len)
    }

    /// Moves a `Copy` value into the frame's memory and returns a [`FlightRef`] to it: a
    /// checked reference that any number of threads may hold and clone, and that reads the
    /// value only while its frame's memory is still in the ring.
    ///
    /// ```
    /// use framealloc::flight::FrameRing;
    ///
    /// let mut ring = FrameRing::new(2);
    /// let camera = ring.begin_frame().share([0.5f32, 2.0, -1.0]);
    /// assert_eq!(camera.get(), Some([0.5, 2.0, -1.0])); // frame 0's memory is in the ring
    /// ring.begin_frame();
    /// assert!(camera.get().is_some()); // and still during frame 1
    /// ring.begin_frame(); // frame 2 recycles frame 0's memory
    /// assert_eq!(camera.get(), None);
    /// ```
    ///
    /// # Panics
    ///
    /// When the arena cannot hold it (out of memory, or over its budget).
    #[track_caller]
    pub fn share<T: Copy>(&self, value: T) -> FlightRef<T> {
        self.share_at(self.place(value))
    }

    /// [`share`](Self::share) for a vector made from this frame's [`frame`](Self::frame),
    /// without copying its elements.
    ///
    /// # Panics
    ///
    /// When `vec` belongs to another frame's arena.
    #[track_caller]
    pub fn share_vec<T: Copy>(&self, vec: FrameVec<'_, 'r, T>) -> FlightRef<[T]> {
        self.share_at(self.take_vec(vec, "share_vec"))
    }

    /// A checked reference to the value at `ptr`, in this frame's arena, which nothing drops.
    fn share_at<T: ?Sized>(&self, ptr: NonNull<T>) -> FlightRef<T> {
        FlightRef {
            ptr,
            slot: Arc::clone(self.slot),
            frame: self.number,
        }
    }

    /// A flight owning the value at `ptr`, in this frame's arena.
    fn lift<T: ?Sized>(&self, ptr: NonNull<T>) -> Flight<T> {
        // Only this thread touches the credits (the frame is neither `Send` nor `Sync`, and
        // the ring is borrowed by it), so a load and a store do; the atomic type keeps the
        // ring `Sync`.
        let credits = self.credits.load(Ordering::Relaxed);
        if credits == 0 {
            self.slot.take_off(CREDITS);
            self.credits.store(CREDITS - 1, Ordering::Relaxed);
        } else {
            self.credits.store(credits - 1, Ordering::Relaxed);
        }
        Flight {
            ptr,
            slot: self.for_flights.0,
            frame: self.number,
            _owns: PhantomData,
        }
    }

    /// The arena's statistics now.
    pub fn stats(&self) -> ArenaStats {
        self.frame.stats()
    }
}

impl fmt::Debug for FlightFrame<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FlightFrame")
            .field("number", &self.number)
            .field("stats", &self.stats())
            .finish()
    }
}

/// A value in a [`FrameRing`] frame's memory, owned like a `Box`: readable (and writable) on
/// any thread it is sent to, dropped (its destructor run) when it is, and keeping its frame's
/// memory from being recycled until then. See the [module documentation](self).
pub struct Flight<T: ?Sized> {
    ptr: NonNull<T>,
    /// The flights' shared reference to the slot (see [`Slot`]): valid while this flight is
    /// counted in it.
    slot: NonNull<Slot>,
    frame: u64,
    _owns: PhantomData<T>,
}

// SAFETY: a flight owns its value as a `Box` does (moving the flight moves the value's
// ownership), so it may go to another thread when `T: Send`; the slot it refers to is
// `Send + Sync` (its arena is touched only by the ring; see `SlotArena`), and landing works
// from any thread.
unsafe impl<T: ?Sized + Send> Send for Flight<T> {}
// SAFETY: `&Flight<T>` gives only `&T`, so sharing it is sharing `&T`: sound when `T: Sync`.
unsafe impl<T: ?Sized + Sync> Sync for Flight<T> {}

impl<T: ?Sized> Flight<T> {
    /// The number of the frame whose memory holds the value.
    pub fn frame_number(&self) -> u64 {
        self.frame
    }
}

impl<T: ?Sized> Deref for Flight<T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the value was written in `publish`/`publish_vec` and is owned by this
        // flight; its memory is not recycled while the flight lives (the ring waits for it).
        unsafe { self.ptr.as_ref() }
    }
}

impl<T: ?Sized> DerefMut for Flight<T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`, and `&mut self` is the only way to the value.
        unsafe { self.ptr.as_mut() }
    }
}

impl<T: ?Sized> Drop for Flight<T> {
    fn drop(&mut self) {
        /// Lands the flight even if the value's destructor panics, so the ring never waits
        /// for a flight that is gone.
        struct Land(NonNull<Slot>);
        impl Drop for Land {
            fn drop(&mut self) {
                // SAFETY: the flights' reference of a flight that is counted and lands only
                // here, once.
                unsafe { Slot::land(self.0) };
            }
        }
        let _land = Land(self.slot);
        // SAFETY: the flight owns the value, which is dropped once, here; its memory stays
        // valid until the flight has landed (just after).
        unsafe { ptr::drop_in_place(self.ptr.as_ptr()) };
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for Flight<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Flight")
            .field("frame", &self.frame)
            .field("value", &&**self)
            .finish()
    }
}

/// A checked, shareable reference to a `Copy` value in a [`FrameRing`] frame's memory (made
/// by [`FlightFrame::share`]): the [`FrameHandle`](crate::FrameHandle) of frames in flight.
///
/// Clone it into as many places and threads as you like; it keeps nothing alive by itself.
/// Reading goes through [`pin`](Self::pin) (or [`get`](Self::get) for a copy), which fails
/// once the ring has begun recycling the frame, and otherwise holds the frame's memory until
/// the [`Pinned`] guard is dropped, like a [`Flight`].
pub struct FlightRef<T: ?Sized> {
    ptr: NonNull<T>,
    slot: Arc<Slot>,
    frame: u64,
}

// SAFETY: a `FlightRef` gives out `&T` (through `Pinned`) and copies of `T` on the thread it is
// on, so sending or sharing it is sending `&T` and `T`: sound when `T: Send + Sync`. The slot
// is `Send + Sync` (see `SlotArena`).
unsafe impl<T: ?Sized + Send + Sync> Send for FlightRef<T> {}
// SAFETY: as for `Send`.
unsafe impl<T: ?Sized + Send + Sync> Sync for FlightRef<T> {}

impl<T: ?Sized> Clone for FlightRef<T> {
    fn clone(&self) -> Self {
        FlightRef {
            ptr: self.ptr,
            slot: Arc::clone(&self.slot),
            frame: self.frame,
        }
    }
}

impl<T: ?Sized> FlightRef<T> {
    /// The number of the frame whose memory holds the value.
    pub fn frame_number(&self) -> u64 {
        self.frame
    }

    /// The value, held in the ring until the returned guard is dropped; `None` once the ring
    /// has begun recycling its frame (a [`FrameRing::begin_frame`] `N` frames later, or a
    /// [`try_begin_frame`](FrameRing::try_begin_frame) that succeeds there: one that fails,
    /// because flights or pins of the frame are alive, leaves it readable).
    ///
    /// ```
    /// use framealloc::flight::FrameRing;
    ///
    /// let mut ring = FrameRing::new(1);
    /// let list = ring.begin_frame().share(7u64);
    /// {
    ///     let pinned = list.pin().unwrap();
    ///     assert_eq!(*pinned, 7);
    ///     assert!(ring.try_begin_frame().is_err(), "pinned: not recycled");
    /// }
    /// ring.begin_frame();
    /// assert!(list.pin().is_none());
    /// ```
    pub fn pin(&self) -> Option<Pinned<'_, T>> {
        // The check and the count are one compare-and-swap of the word the ring closes:
        // either the ring closed it first (and this pin fails), or the ring sees this pin
        // and waits for it.
        // (A guard is made only for a pin that counted itself: its drop uncounts it.)
        if self.slot.pin(self.frame) {
            Some(Pinned { of: self })
        } else {
            None
        }
    }

    /// Whether the value can still be read (it may stop being readable at any time after).
    pub fn is_live(&self) -> bool {
        self.slot.pins.load(Ordering::Acquire) & !PIN_COUNT == tag(self.frame)
    }
}

impl<T: Copy> FlightRef<T> {
    /// A copy of the value, or `None` once the ring has begun recycling its frame.
    pub fn get(&self) -> Option<T> {
        self.pin().map(|p| *p)
    }
}

impl<T: ?Sized> fmt::Debug for FlightRef<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FlightRef")
            .field("frame", &self.frame)
            .field("live", &self.is_live())
            .finish()
    }
}

/// A [`FlightRef`]'s value, readable while this guard lives (see [`FlightRef::pin`]). A pin
/// that is never dropped (`mem::forget`) holds its frame for good: the ring then waits at that
/// frame's slot.
pub struct Pinned<'a, T: ?Sized> {
    of: &'a FlightRef<T>,
}

impl<T: ?Sized> Deref for Pinned<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the value was written by `share`/`share_vec` and is never dropped (it is
        // `Copy`, or a slice of `Copy`); this guard counts as a pin of its frame, which the
        // ring therefore does not recycle until it is dropped (`pin` saw the frame still
        // there after counting itself).
        unsafe { self.of.ptr.as_ref() }
    }
}

impl<T: ?Sized> Drop for Pinned<'_, T> {
    fn drop(&mut self) {
        self.of.slot.unpin();
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for Pinned<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}
