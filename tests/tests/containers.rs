//! `FrameBox`, `FrameVec` and the allocator-api2 collections living in a frame.

use std::cell::Cell;
use std::fmt::Debug;
use std::rc::Rc;

use allocator_api2::vec::Vec as ApiVec;
use framealloc::{frame_box, ArenaConfig, FrameArena, FrameBox, FrameVec};

/// Counts its drops, to prove every value is dropped exactly once.
#[derive(Clone, Debug)]
struct Counted(Rc<Cell<usize>>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

#[test]
fn frame_box_runs_drop_once() {
    let drops = Rc::new(Cell::new(0));
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let a = f.boxed(Counted(drops.clone()));
        let b = FrameBox::new_in(Counted(drops.clone()), &f);
        let moved_out = FrameBox::into_inner(f.boxed(Counted(drops.clone())));
        assert_eq!(drops.get(), 0);
        drop(a);
        assert_eq!(drops.get(), 1);
        drop(moved_out);
        assert_eq!(drops.get(), 2);
        let _ = b;
    });
    assert_eq!(drops.get(), 3, "b dropped at the end of the frame");
}

/// Counts drops through a borrowed cell (no heap allocation, so leaking it leaks nothing).
struct DropFlag<'a>(&'a Cell<usize>);

impl Drop for DropFlag<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

#[test]
fn leaked_frame_box_never_runs_drop() {
    let drops = Cell::new(0);
    let mut arena = FrameArena::new();
    {
        let mut fg = arena.begin_frame();
        let f = fg.frame();
        let leaked: &mut DropFlag<'_> = FrameBox::leak(f.boxed(DropFlag(&drops)));
        assert_eq!(leaked.0.get(), 0);
    }
    assert_eq!(drops.get(), 0);
}

#[test]
fn frame_box_unsizes_to_trait_objects_and_slices() {
    trait Shape {
        fn area(&self) -> f32;
    }
    struct Sq(f32);
    impl Shape for Sq {
        fn area(&self) -> f32 {
            self.0 * self.0
        }
    }
    let drops = Rc::new(Cell::new(0));
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let shapes: Vec<FrameBox<'_, dyn Shape>> =
            vec![frame_box!(f, Sq(2.0)), frame_box!(&f, Sq(1.0))];
        assert_eq!(shapes.iter().map(|s| s.area()).sum::<f32>(), 5.0);
        let dbg: FrameBox<'_, dyn Debug> = frame_box!(f, Counted(drops.clone()));
        assert!(format!("{dbg:?}").starts_with("Counted"));
        let slice: FrameBox<'_, [u8]> = frame_box!(f, [1u8, 2, 3]);
        assert_eq!(&*slice, &[1, 2, 3]);
        // Zero-sized values take no frame memory.
        let before = f.stats().bytes_used;
        let z1: FrameBox<'_, dyn Debug> = frame_box!(f, ());
        let z2: FrameBox<'_, dyn Debug> = frame_box!(f, ((), ()));
        assert_eq!(format!("{z1:?} {z2:?}"), "() ((), ())");
        assert_eq!(f.stats().bytes_used, before);
    });
    assert_eq!(
        drops.get(),
        1,
        "the trait object ran the concrete type's Drop"
    );
}

#[test]
fn boxed_slices_drop_their_elements_and_survive_panics() {
    let drops = Rc::new(Cell::new(0));
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let b = f.boxed_slice_fill_with(4, |_| Counted(drops.clone()));
        assert_eq!(b.len(), 4);
        drop(b);
        assert_eq!(drops.get(), 4);
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            f.boxed_slice_fill_with(5, |i| {
                if i == 3 {
                    panic!("make")
                } else {
                    Counted(drops.clone())
                }
            })
        }));
        assert!(r.is_err());
        assert_eq!(
            drops.get(),
            7,
            "the three made before the panic were dropped"
        );
    });
}

#[test]
fn frame_vec_basics() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let mut v: FrameVec<'_, '_, u32> = f.vec();
        assert!(v.is_empty() && v.capacity() == 0);
        for i in 0..1000 {
            v.push(i);
        }
        assert_eq!(v.len(), 1000);
        assert_eq!(v.iter().copied().sum::<u32>(), 999 * 1000 / 2);
        assert_eq!(v.pop(), Some(999));
        v.truncate(10);
        assert_eq!(&*v, &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9][..]);
        v[0] = 42;
        v.extend([1, 2]);
        v.extend(&[3, 4]);
        v.extend_from_slice(&[5, 6]);
        assert_eq!(v.len(), 16);
        assert_eq!(v.as_slice()[10..], [1, 2, 3, 4, 5, 6]);
        v.clear();
        assert_eq!(v.pop(), None);
        assert!(v.try_push(3).is_ok());
        assert_eq!(format!("{v:?}"), "[3]");
        assert!(v == [3][..]);
        for x in &mut v {
            *x += 1;
        }
        assert_eq!((&v).into_iter().next(), Some(&4));
    });
}

#[test]
fn frame_vec_grows_in_place_when_newest() {
    let mut arena = FrameArena::with_config(ArenaConfig::new().guards(false));
    arena.frame(|f| {
        let mut v = f.vec_with_capacity::<u64>(4);
        let start = v.as_ptr();
        for i in 0..1000 {
            v.push(i);
        }
        assert_eq!(
            v.as_ptr(),
            start,
            "nothing else allocated: the buffer grew in place"
        );
        let used = f.stats().bytes_used;
        assert_eq!(used, v.capacity() * 8);

        let mut w = f.vec_with_capacity::<u64>(4);
        w.push(1);
        let _blocker = f.alloc(0u8);
        let before = w.as_ptr();
        w.extend(0..10);
        assert_ne!(w.as_ptr(), before, "not the newest: it had to move");
        assert_eq!(w[0], 1);
    });
}

#[test]
fn frame_vec_fixed_capacity_path() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let mut v = f.vec_with_capacity::<f32>(3);
        assert_eq!(v.capacity(), 3);
        assert!(v.push_within_capacity(1.0).is_ok());
        assert!(v.push_within_capacity(2.0).is_ok());
        assert!(v.push_within_capacity(3.0).is_ok());
        assert_eq!(v.push_within_capacity(4.0), Err(4.0));
        assert_eq!(v.len(), 3);
    });
}

#[test]
fn frame_vec_drops_every_element_once() {
    let drops = Rc::new(Cell::new(0));
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let mut v = f.vec();
        for _ in 0..10 {
            v.push(Counted(drops.clone()));
        }
        drop(v.pop());
        assert_eq!(drops.get(), 1);
        v.truncate(5);
        assert_eq!(drops.get(), 5);
        let boxed = v.into_boxed_slice();
        assert_eq!(drops.get(), 5);
        drop(boxed);
        assert_eq!(drops.get(), 10);
        let mut w = f.vec();
        w.extend_from_slice(&[Counted(drops.clone()), Counted(drops.clone())]);
        assert_eq!(drops.get(), 12, "the two temporaries");
        drop(w);
        assert_eq!(drops.get(), 14);
    });
}

/// Panics on the third clone.
struct Bomb(Rc<Cell<usize>>, Rc<Cell<usize>>);

impl Clone for Bomb {
    fn clone(&self) -> Self {
        let n = self.1.get() + 1;
        self.1.set(n);
        assert!(n != 3, "clone bomb");
        Bomb(self.0.clone(), self.1.clone())
    }
}

impl Drop for Bomb {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

#[test]
fn extend_from_slice_is_panic_safe() {
    let drops = Rc::new(Cell::new(0));
    let clones = Rc::new(Cell::new(0));
    let src: Vec<Bomb> = (0..5)
        .map(|_| Bomb(drops.clone(), clones.clone()))
        .collect();
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let mut v = f.vec();
        let r =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| v.extend_from_slice(&src)));
        assert!(r.is_err());
        assert_eq!(v.len(), 2, "the two clones made before the panic are kept");
        drop(v);
        assert_eq!(drops.get(), 2);
    });
    drop(src);
    assert_eq!(drops.get(), 7);
}

#[test]
fn frame_vec_of_zero_sized_values() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let mut v = f.vec();
        for _ in 0..100 {
            v.push(());
        }
        assert_eq!(v.len(), 100);
        assert_eq!(v.capacity(), usize::MAX);
        assert_eq!(f.stats().bytes_used, 0);
        assert_eq!(v.into_slice().len(), 100);
    });
}

#[test]
fn frozen_vec_outlives_the_borrow_and_frees_the_frame() {
    let mut arena = FrameArena::new();
    arena.frame(|mut f| {
        let mut v = f.vec();
        v.extend(0..100u16);
        let frozen = v.into_slice();
        let used = f.stats().bytes_used;
        f.scope(|g| {
            g.alloc_slice_copy(frozen);
        });
        assert_eq!(f.stats().bytes_used, used);
        assert_eq!(frozen[99], 99);
    });
}

#[test]
fn dropping_the_newest_vec_gives_its_memory_back() {
    let mut arena = FrameArena::with_config(ArenaConfig::new().guards(false));
    arena.frame(|f| {
        let before = f.stats().bytes_used;
        let mut v = f.vec_with_capacity::<u64>(100);
        v.push(1);
        drop(v);
        assert_eq!(f.stats().bytes_used, before);
        assert!(f.stats().high_water_mark >= before + 800);
    });
}

#[test]
fn allocator_api2_vec_lives_in_a_frame() {
    let mut arena = FrameArena::with_config(ArenaConfig::new().guards(false));
    arena.frame(|f| {
        const N: u32 = if cfg!(miri) { 1_000 } else { 10_000 };
        let mut v = ApiVec::new_in(&f);
        for i in 0..N {
            v.push(i);
        }
        assert_eq!(
            v.iter().map(|&x| x as u64).sum::<u64>(),
            (N as u64 - 1) * N as u64 / 2
        );
        v.truncate(10);
        v.shrink_to_fit();
        assert_eq!(v.capacity(), 10);
        // The vector grew in place as the newest block, so shrinking gave the rest back.
        let s = f.stats();
        assert_eq!(s.bytes_used, 40);
        assert!(s.high_water_mark >= N as usize * 4, "{s:?}");
        let boxed = v.into_boxed_slice();
        assert_eq!(boxed.len(), 10);
        let mut strings = ApiVec::new_in(&f);
        strings.push(String::from("dropped by the vec"));
        strings.resize(100, String::from("x"));
    });
}

#[test]
fn hashbrown_map_lives_in_a_frame() {
    let mut arena = FrameArena::new();
    for round in 0..3u64 {
        arena.frame(|f| {
            let mut map = hashbrown::HashMap::new_in(&f);
            const N: u64 = if cfg!(miri) { 500 } else { 5_000 };
            for i in 0..N {
                map.insert(i, i * round);
            }
            map.remove(&3);
            assert_eq!(map.len(), N as usize - 1);
            assert_eq!(map.get(&10), Some(&(10 * round)));
            assert!(f.stats().bytes_used > N as usize * 16);
        });
    }
    assert_eq!(arena.stats().bytes_used, 0);
}

#[test]
fn remaining_container_api() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let mut v = FrameVec::<u64>::try_with_capacity_in(3, &f).unwrap();
        assert_eq!(v.capacity(), 3);
        v.reserve(10);
        assert!(v.capacity() >= 10);
        assert!(v.try_reserve(5).is_ok());
        assert_eq!(
            v.try_reserve(usize::MAX).unwrap_err(),
            framealloc::AllocError::LayoutOverflow
        );
        assert_eq!(
            FrameVec::<u64>::try_with_capacity_in(usize::MAX / 4, &f).unwrap_err(),
            framealloc::AllocError::LayoutOverflow
        );
        v.as_mut_slice().fill(7);
        assert_eq!(v.as_slice(), &[] as &[u64]);
        let mut a = f.boxed(5u32);
        let b = f.boxed(5u32);
        assert_eq!(a, b);
        *a.as_mut() += 1;
        assert_eq!(*a.as_ref(), 6);
        let s = f.try_boxed_slice_fill_with(3, |i| i.to_string()).unwrap();
        assert_eq!(&*s, &["0", "1", "2"]);
        assert!(f
            .try_boxed_slice_fill_with::<u64>(usize::MAX, |_| 0)
            .is_err());
    });
}
