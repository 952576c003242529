//! allocator-api2 collections in a frame: the arena sees blocks come back (`deallocate`) and
//! grow or shrink (`grow`, `shrink`) with pointers the collections derived themselves. Each
//! of those must leave the arena's cursor derived from the chunk, not from the caller's
//! pointer, or later allocations break Stacked Borrows.

use allocator_api2::boxed::Box as ApiBox;
use allocator_api2::vec::Vec as ApiVec;
use framealloc::{ArenaConfig, FrameArena};

use crate::scaled;

/// An arena without guards (blocks end exactly where the next begins, so "the newest
/// block" paths run; debug builds have guards on by default) and one with them.
fn arenas() -> [FrameArena; 2] {
    [
        FrameArena::with_config(ArenaConfig::new().guards(false)),
        FrameArena::with_config(ArenaConfig::new().guards(true)),
    ]
}

/// Hole 3a: dropping an allocator-api2 `Box` of the newest block gives the block back; the
/// cursor used to become the box's pointer, whose provenance covers only the box.
#[test]
fn allocation_after_the_newest_box_is_freed() {
    for mut arena in arenas() {
        arena.frame(|f| {
            let b = ApiBox::new_in(5u64, &f);
            assert_eq!(*b, 5);
            drop(b);
            let x = f.alloc(6u64);
            let ys = f.alloc_slice_fill_copy(8, 1u32);
            *x += 1;
            ys[7] = 9;
            assert_eq!((*x, ys.iter().sum::<u32>()), (7, 16));
        });
    }
}

/// Hole 3b: a vector whose buffer grows in place used to get its own pointer back as the
/// grown block; writes to the new part went through a pointer that does not cover it.
#[test]
fn push_after_growing_in_place() {
    for mut arena in arenas() {
        arena.frame(|f| {
            let mut v: ApiVec<u32, _> = ApiVec::with_capacity_in(1, &f);
            for i in 0..64 {
                v.push(i);
            }
            assert_eq!(v.iter().sum::<u32>(), 2016);
            let mut s = v.into_boxed_slice().into_vec();
            s.push(64);
            s.push(65);
            assert_eq!(s.len(), 66);
            assert_eq!(s[65], 65);
        });
    }
}

/// A vector that shrinks, grows and is freed as the newest block, with other allocations
/// in between, checked value by value.
#[test]
fn shrink_grow_and_free_interleaved() {
    for mut arena in arenas() {
        arena.frame(|f| {
            let mut kept = Vec::new();
            for round in 0..scaled(50, 6) as u32 {
                let mut v: ApiVec<u32, _> = ApiVec::new_in(&f);
                v.extend(0..round * 3);
                v.shrink_to_fit();
                v.truncate(round as usize);
                v.shrink_to_fit();
                v.extend_from_slice(&[round; 4]);
                assert!(v.iter().take(round as usize).copied().eq(0..round));
                assert!(v[round as usize..].iter().all(|&x| x == round));
                kept.push(f.alloc(round));
                drop(v);
                let after = f.alloc_slice_fill_copy(3, round);
                assert_eq!(after, [round; 3]);
            }
            for (i, k) in kept.iter().enumerate() {
                assert_eq!(**k, i as u32);
            }
        });
    }
}

/// A `hashbrown` map grows (moving its table) while boxes and vectors come and go.
#[test]
fn hash_map_in_a_frame() {
    for mut arena in arenas() {
        arena.frame(|f| {
            let mut map = hashbrown::HashMap::new_in(&f);
            let n = scaled(2000, 64) as u32;
            for i in 0..n {
                map.insert(i, i * 2);
                if i % 7 == 0 {
                    let b = ApiBox::new_in(i, &f);
                    assert_eq!(*b, i);
                }
            }
            map.retain(|k, _| k % 2 == 0);
            assert_eq!(map.len() as u32, n.div_ceil(2));
            assert!(map.iter().all(|(k, v)| *v == k * 2));
        });
    }
}

/// Growing a block that is not the newest moves it and keeps its contents; freeing a block
/// that is not the newest keeps everything after it intact.
#[test]
fn grow_and_free_blocks_that_are_not_the_newest() {
    for mut arena in arenas() {
        arena.frame(|f| {
            let mut a: ApiVec<u64, _> = ApiVec::with_capacity_in(2, &f);
            a.extend([1, 2]);
            let b = ApiBox::new_in([3u64; 4], &f);
            a.extend([4, 5, 6]); // moves: `b` is newer
            assert_eq!(a, [1, 2, 4, 5, 6]);
            let c = ApiBox::new_in(7u64, &f);
            drop(b); // not the newest: stays
            assert_eq!(*c, 7);
            drop(a);
            let d = f.alloc(8u64);
            assert_eq!((*c, *d), (7, 8));
        });
    }
}
