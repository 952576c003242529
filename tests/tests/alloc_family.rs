//! The allocation family's newer members: `alloc_iter` for any iterator, initialisers that
//! fail with the closure's error, and boxed slices of `Drop` types from clones, fills and
//! iterators.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;

use framealloc::{AllocError, ArenaConfig, FrameArena};

fn exact() -> FrameArena {
    FrameArena::with_config(ArenaConfig::new().guards(false))
}

#[test]
fn alloc_iter_takes_any_iterator_and_keeps_only_what_it_used() {
    let mut arena = exact();
    arena.frame(|f| {
        let before = f.stats().bytes_used;
        let primes = f.alloc_iter((2..60u32).filter(|n| (2..*n).all(|d| n % d != 0)));
        assert_eq!(primes.len(), 17);
        assert_eq!(primes[16], 59);
        assert_eq!(
            f.stats().bytes_used - before,
            17 * 4,
            "the growing vector gave its spare room back"
        );
        let nested = f.alloc_iter((0..4u8).flat_map(|i| 0..i));
        assert_eq!(nested, [0, 0, 1, 0, 1, 2]);
        let empty = f.alloc_iter(core::iter::empty::<u64>().filter(|_| true));
        assert!(empty.is_empty());
        // An iterator that allocates from the same frame while it is being collected: the
        // vector is not the newest block any more, so it moves, and nothing overlaps.
        let side = std::cell::RefCell::new(Vec::new());
        let xs = f.alloc_iter((0..100u64).filter(|i| {
            side.borrow_mut().push(f.alloc(*i));
            i % 3 == 0
        }));
        assert!(xs.iter().copied().eq((0..100).filter(|i| i % 3 == 0)));
        assert!(side.borrow().iter().map(|r| **r).eq(0..100));
    });
}

#[test]
fn alloc_iter_of_an_unsized_hint_fails_with_the_budget_error() {
    let mut arena = FrameArena::with_config(ArenaConfig::new().budget(Some(256)).guards(false));
    arena.frame(|f| {
        let err = f.try_alloc_iter((0..1000u64).filter(|_| true)).unwrap_err();
        assert!(matches!(err, AllocError::BudgetExceeded { .. }), "{err:?}");
        assert!(f.try_alloc_iter((0..10u64).filter(|_| true)).is_ok());
    });
}

#[test]
fn failing_initialisers_return_the_error_and_give_the_memory_back() {
    let mut arena = exact();
    arena.frame(|f| {
        let before = f.stats().bytes_used;
        let e = f.alloc_try_with(|| Err::<u64, _>("no")).unwrap_err();
        assert_eq!(e, "no");
        assert_eq!(f.stats().bytes_used, before, "the unused slot went back");
        let e = f
            .alloc_slice_try_fill_with(10, |i| if i < 7 { Ok(i as u32) } else { Err(i) })
            .unwrap_err();
        assert_eq!(e, 7);
        assert_eq!(f.stats().bytes_used, before, "the unused block went back");
        let ok = f
            .alloc_slice_try_fill_with(3, |i| Ok::<_, ()>(i * 2))
            .unwrap();
        assert_eq!(ok, [0, 2, 4]);
        // A closure that allocates before failing: the slot is not the newest block, so it
        // stays (frame memory until the frame ends), and what the closure made stays valid.
        let mut inner = None;
        let e = f.alloc_try_with(|| {
            inner = Some(f.alloc(5u8));
            Err::<u64, _>(1)
        });
        assert_eq!((e.unwrap_err(), *inner.unwrap()), (1, 5));
        // Zero-sized values take nothing either way.
        assert!(f.alloc_try_with(|| Err::<(), _>(())).is_err());
        assert!(f.alloc_slice_try_fill_with(4, |_| Ok::<(), ()>(())).is_ok());
    });
}

/// Counts live values; a clone can be set to panic.
#[derive(Debug)]
struct Counted {
    live: Rc<Cell<isize>>,
    clones_left: Rc<Cell<usize>>,
}

impl Counted {
    fn new(live: &Rc<Cell<isize>>, clones_left: &Rc<Cell<usize>>) -> Self {
        live.set(live.get() + 1);
        Counted {
            live: Rc::clone(live),
            clones_left: Rc::clone(clones_left),
        }
    }
}

impl Clone for Counted {
    fn clone(&self) -> Self {
        let left = self.clones_left.get();
        assert!(left > 0, "clone bomb");
        self.clones_left.set(left - 1);
        Counted::new(&self.live, &self.clones_left)
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.live.set(self.live.get() - 1);
    }
}

#[test]
fn boxed_slices_of_drop_types_from_clones_fills_and_iterators() {
    let live = Rc::new(Cell::new(0));
    let clones = Rc::new(Cell::new(usize::MAX));
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let src: Vec<Counted> = (0..4).map(|_| Counted::new(&live, &clones)).collect();
        let a = f.boxed_slice_clone(&src);
        let b = f.boxed_slice_fill(5, Counted::new(&live, &clones));
        let c = f.boxed_slice_from_iter(
            (0..6)
                .filter(|i| i % 2 == 0)
                .map(|_| Counted::new(&live, &clones)),
        );
        assert_eq!((a.len(), b.len(), c.len()), (4, 5, 3));
        assert_eq!(live.get(), 4 + 4 + 5 + 3);
        drop((a, b, c));
        assert_eq!(live.get(), 4);
        // A clone that panics halfway: the clones made so far are dropped, once.
        clones.set(2);
        let r = catch_unwind(AssertUnwindSafe(|| f.boxed_slice_clone(&src)));
        assert!(r.is_err());
        assert_eq!(live.get(), 4);
        clones.set(1);
        let r = catch_unwind(AssertUnwindSafe(|| {
            f.boxed_slice_fill(4, Counted::new(&live, &clones))
        }));
        assert!(r.is_err());
        assert_eq!(live.get(), 4, "the value to fill with is dropped too");
        drop(src);
        assert_eq!(live.get(), 0);
    });
}
