//! `#[soa]`: every generated method, Drop exactly once, panic safety, column alignment,
//! generics, storage on the heap and in a frame, and a property test against `Vec<T>`.

use std::cell::Cell;
use std::marker::PhantomData;
use std::rc::Rc;

use framealloc::{soa, FrameArena};
use proptest::prelude::*;

#[soa]
#[derive(Clone, Debug, PartialEq, Default)]
struct Particle {
    pos: [f32; 3],
    vel: [f32; 3],
    mass: f32,
    id: u32,
}

fn particle(i: u32) -> Particle {
    let f = i as f32;
    Particle {
        pos: [f, f + 1.0, f + 2.0],
        vel: [1.0, 2.0, 3.0],
        mass: 0.5 * f,
        id: i,
    }
}

fn contents(soa: &ParticleSoa) -> Vec<Particle> {
    soa.iter().map(Particle::from).collect()
}

#[test]
fn push_get_pop_and_views() {
    let mut soa = ParticleSoa::new();
    assert!(soa.is_empty() && soa.capacity() == 0);
    for i in 0..10 {
        soa.push(particle(i));
    }
    assert_eq!(soa.len(), 10);
    assert!(soa.capacity() >= 10);
    let r = soa.get(3).unwrap();
    assert_eq!((*r.id, r.pos[1], *r.mass), (3, 4.0, 1.5));
    assert!(soa.get(10).is_none());
    *soa.get_mut(3).unwrap().mass = 9.0;
    assert_eq!(soa.mass()[3], 9.0);
    assert_eq!(soa.pop(), Some(particle(9)));
    assert_eq!(soa.len(), 9);
    assert_eq!(soa.swap_remove(0), particle(0));
    assert_eq!(soa.id(), &[8, 1, 2, 3, 4, 5, 6, 7]);
    soa.truncate(4);
    assert_eq!(soa.id(), &[8, 1, 2, 3]);
    let s = soa.slices();
    assert_eq!(
        (s.pos.len(), s.vel.len(), s.mass.len(), s.id.len()),
        (4, 4, 4, 4)
    );
    soa.id_mut()[0] = 80;
    assert_eq!(Particle::from(soa.get(0).unwrap()).id, 80);
    soa.clear();
    assert!(soa.is_empty() && soa.pop().is_none());
}

#[test]
fn slices_mut_borrows_every_column_at_once() {
    let mut soa: ParticleSoa = (0..100).map(particle).collect();
    let s = soa.slices_mut();
    for (p, v) in s.pos.iter_mut().zip(s.vel.iter()) {
        for k in 0..3 {
            p[k] += v[k] * 0.5;
        }
    }
    assert_eq!(soa.pos()[10], [10.5, 12.0, 13.5]);
}

#[test]
fn lanes_are_flat_components() {
    let mut soa: ParticleSoa = (0..4).map(particle).collect();
    assert_eq!(soa.pos_lanes().len(), 12);
    assert_eq!(&soa.pos_lanes()[3..6], &[1.0, 2.0, 3.0]);
    {
        let s = soa.slices_mut();
        let (pos, vel) = (s.pos.as_flattened_mut(), s.vel.as_flattened());
        for (p, v) in pos.iter_mut().zip(vel) {
            *p += v;
        }
    }
    soa.vel_lanes_mut().fill(0.0);
    assert_eq!(soa.pos()[0], [1.0, 3.0, 5.0]);
    assert_eq!(soa.vel()[3], [0.0; 3]);
}

#[test]
fn iterators_match_columns() {
    let mut soa: ParticleSoa = (0..50).map(particle).collect();
    assert_eq!(soa.iter().len(), 50);
    assert_eq!(soa.iter().next_back().map(|r| *r.id), Some(49));
    for m in soa.iter_mut() {
        *m.mass += 1.0;
        m.pos[0] = *m.id as f32;
    }
    assert!(soa
        .iter()
        .all(|r| *r.mass == 0.5 * *r.id as f32 + 1.0 && r.pos[0] == *r.id as f32));
    let collected: Vec<u32> = soa.iter().map(|r| *r.id).collect();
    assert_eq!(collected, (0..50).collect::<Vec<_>>());
}

#[test]
fn columns_start_on_cache_lines_in_one_allocation() {
    let soa: ParticleSoa = (0..1000).map(particle).collect();
    let ptrs = soa.column_ptrs();
    for (k, p) in ptrs.iter().take(4).enumerate() {
        assert!((*p as usize).is_multiple_of(64), "column {k}");
    }
    // One block: the columns follow each other, each capacity-sized and rounded to 64 bytes.
    let cap = soa.capacity();
    let round = |n: usize| n.next_multiple_of(64);
    assert_eq!(ptrs[1] as usize - ptrs[0] as usize, round(cap * 12));
    assert_eq!(ptrs[2] as usize - ptrs[1] as usize, round(cap * 12));
    assert_eq!(ptrs[3] as usize - ptrs[2] as usize, round(cap * 4));
}

#[soa(
    column_align = 128,
    soa_name = "Columns",
    ref_name = "Row",
    mut_name = "RowMut",
    slices_name = "All",
    slices_mut_name = "AllMut"
)]
struct Renamed {
    a: u8,
    b: u64,
}

#[test]
fn options_rename_and_realign() {
    let mut c = Columns::with_capacity(3);
    c.push(Renamed { a: 1, b: 2 });
    let row: Row<'_> = c.get(0).unwrap();
    assert_eq!((*row.a, *row.b), (1, 2));
    let m: RowMut<'_> = c.get_mut(0).unwrap();
    *m.b = 5;
    let all: All<'_> = c.slices();
    assert_eq!(all.b, &[5]);
    let all: AllMut<'_> = c.slices_mut();
    all.a[0] = 7;
    assert!(c
        .column_ptrs()
        .iter()
        .take(2)
        .all(|p| (*p as usize).is_multiple_of(128)));
}

/// Counts drops through a shared cell.
#[derive(Clone, Debug)]
struct Counted(Rc<Cell<usize>>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

#[soa]
struct Entity {
    id: u32,
    name: String,
    token: Counted,
}

#[test]
fn every_value_is_dropped_exactly_once() {
    let drops = Rc::new(Cell::new(0));
    let mut soa = EntitySoa::new();
    for i in 0..20 {
        soa.push(Entity {
            id: i,
            name: format!("e{i}"),
            token: Counted(drops.clone()),
        });
    }
    drop(soa.pop());
    assert_eq!(drops.get(), 1);
    drop(soa.swap_remove(0));
    assert_eq!(drops.get(), 2);
    soa.truncate(10); // 18 left after pop and swap_remove: 8 dropped
    assert_eq!(drops.get(), 10);
    assert_eq!(
        soa.name()[0],
        "e18",
        "swap_remove moved the last element into slot 0"
    );
    soa.reserve(1000); // moves the columns; nothing is dropped or duplicated
    assert_eq!(drops.get(), 10);
    soa.clear();
    assert_eq!(drops.get(), 20);
    for i in 0..5 {
        soa.push(Entity {
            id: i,
            name: String::new(),
            token: Counted(drops.clone()),
        });
    }
    drop(soa);
    assert_eq!(drops.get(), 25);
}

/// Panics on the n-th clone.
#[derive(Debug)]
struct Bomb {
    clones: Rc<Cell<usize>>,
    drops: Rc<Cell<usize>>,
    at: usize,
}

impl Clone for Bomb {
    fn clone(&self) -> Self {
        let n = self.clones.get() + 1;
        self.clones.set(n);
        assert!(n != self.at, "clone bomb");
        Bomb {
            clones: self.clones.clone(),
            drops: self.drops.clone(),
            at: self.at,
        }
    }
}

impl Drop for Bomb {
    fn drop(&mut self) {
        self.drops.set(self.drops.get() + 1);
    }
}

#[soa]
#[derive(Clone, Debug)]
struct Armed {
    id: u32,
    bomb: Bomb,
}

#[test]
fn a_panic_in_the_middle_of_extend_leaves_the_container_consistent() {
    let clones = Rc::new(Cell::new(0));
    let drops = Rc::new(Cell::new(0));
    let src: Vec<Armed> = (0..6)
        .map(|id| Armed {
            id,
            bomb: Bomb {
                clones: clones.clone(),
                drops: drops.clone(),
                at: 4,
            },
        })
        .collect();
    let mut soa = ArmedSoa::new();
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        soa.extend(src.iter().cloned())
    }));
    assert!(r.is_err());
    // Three whole elements went in; the fourth never existed as a whole value.
    assert_eq!(soa.len(), 3);
    let s = soa.slices();
    assert_eq!((s.id.len(), s.bomb.len()), (3, 3));
    assert_eq!(s.id, &[0, 1, 2]);
    drop(soa);
    assert_eq!(drops.get(), 3);
    drop(src);
    assert_eq!(drops.get(), 9);
}

fn explode(n: u32) -> u32 {
    assert!(n > 100, "while building");
    n
}

#[test]
fn a_panic_while_building_the_pushed_value_touches_nothing() {
    let mut soa: ParticleSoa = (0..3).map(particle).collect();
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        soa.push(Particle {
            id: explode(3),
            ..Particle::default()
        });
    }));
    assert!(r.is_err());
    assert_eq!(contents(&soa), (0..3).map(particle).collect::<Vec<_>>());
}

#[soa]
#[derive(Clone, Debug, PartialEq)]
struct Pair<T: Copy, U>
where
    U: Clone + PartialEq,
{
    key: T,
    value: U,
    lanes: [T; 2],
}

#[test]
fn generic_and_where_clause_structs() {
    let mut soa: PairSoa<u16, String> = PairSoa::new();
    soa.push(Pair {
        key: 1,
        value: "a".into(),
        lanes: [1, 2],
    });
    soa.push(Pair {
        key: 2,
        value: "b".into(),
        lanes: [3, 4],
    });
    assert_eq!(soa.key(), &[1, 2]);
    assert_eq!(soa.lanes_lanes(), &[1, 2, 3, 4]);
    assert_eq!(
        Pair::from(soa.get(1).unwrap()),
        Pair {
            key: 2,
            value: "b".into(),
            lanes: [3, 4]
        }
    );
    assert_eq!(soa.swap_remove(0).value, "a");
}

#[soa]
struct Tagged<'a> {
    name: &'a str,
    marker: PhantomData<u8>,
}

#[soa]
struct OnlyZeroSized {
    a: (),
    b: PhantomData<String>,
}

#[test]
fn lifetimes_and_zero_sized_columns() {
    let owned = String::from("borrowed");
    let mut soa = TaggedSoa::new();
    soa.push(Tagged {
        name: &owned,
        marker: PhantomData,
    });
    assert_eq!(soa.name(), &["borrowed"]);
    let mut zs = OnlyZeroSizedSoa::new();
    for _ in 0..1000 {
        zs.push(OnlyZeroSized {
            a: (),
            b: PhantomData,
        });
    }
    assert_eq!((zs.len(), zs.capacity()), (1000, usize::MAX));
    assert!(zs.pop().is_some());
}

#[test]
fn storage_in_a_frame() {
    let mut arena = FrameArena::new();
    for round in 0..3 {
        arena.frame(|f| {
            let mut soa = ParticleSoa::with_capacity_in(100, &f);
            soa.extend((0..1000).map(particle));
            assert_eq!(soa.len(), 1000);
            assert!(soa
                .column_ptrs()
                .iter()
                .take(4)
                .all(|p| (*p as usize).is_multiple_of(64)));
            let s = soa.slices_mut();
            for (p, v) in s
                .pos
                .as_flattened_mut()
                .iter_mut()
                .zip(s.vel.as_flattened())
            {
                *p += v * round as f32;
            }
            assert_eq!(
                soa.pos()[0],
                [
                    round as f32,
                    1.0 + 2.0 * round as f32,
                    2.0 + 3.0 * round as f32
                ]
            );
            assert!(f.stats().bytes_used >= 1000 * 32);
        });
    }
    assert_eq!(arena.stats().bytes_used, 0);
}

#[derive(Clone, Debug)]
enum Op {
    Push(u32),
    Pop,
    SwapRemove(usize),
    Truncate(usize),
    Extend(Vec<u32>),
    Clear,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => any::<u32>().prop_map(Op::Push),
        2 => Just(Op::Pop),
        2 => any::<usize>().prop_map(Op::SwapRemove),
        1 => (0usize..40).prop_map(Op::Truncate),
        2 => proptest::collection::vec(any::<u32>(), 0..20).prop_map(Op::Extend),
        1 => Just(Op::Clear),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: if cfg!(miri) { 8 } else { 2_000 }, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn soa_matches_a_vec_model(ops in proptest::collection::vec(op(), 0..if cfg!(miri) { 20 } else { 100 })) {
        let mut model: Vec<Particle> = Vec::new();
        let mut soa = ParticleSoa::new();
        for op in ops {
            match op {
                Op::Push(i) => {
                    model.push(particle(i));
                    soa.push(particle(i));
                }
                Op::Pop => prop_assert_eq!(soa.pop(), model.pop()),
                Op::SwapRemove(i) => {
                    if !model.is_empty() {
                        let i = i % model.len();
                        prop_assert_eq!(soa.swap_remove(i), model.swap_remove(i));
                    }
                }
                Op::Truncate(n) => {
                    model.truncate(n);
                    soa.truncate(n);
                }
                Op::Extend(ids) => {
                    model.extend(ids.iter().map(|&i| particle(i)));
                    soa.extend(ids.iter().map(|&i| particle(i)));
                }
                Op::Clear => {
                    model.clear();
                    soa.clear();
                }
            }
            prop_assert_eq!(soa.len(), model.len());
            prop_assert!(soa.capacity() >= soa.len());
            prop_assert_eq!(contents(&soa), model.clone());
        }
    }
}
