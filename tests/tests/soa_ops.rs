//! `SoaVec`'s editing operations (insert, remove, retain, stable sorts) against a `Vec` of the
//! same tuples, on the heap and in a frame, and their panic safety.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;

use allocator_api2::alloc::{Allocator, Global};
use framealloc::soa::SoaVec;
use framealloc::FrameArena;
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    Push(u8),
    Insert(usize, u8),
    Remove(usize),
    SwapRemove(usize),
    RetainOdd,
    SortByKey,
    SortByNameDesc,
    Truncate(usize),
    Drain(usize, usize, usize),
    SplitAppend(usize),
    Range(usize, usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        any::<u8>().prop_map(Op::Push),
        (0..40usize, any::<u8>()).prop_map(|(i, x)| Op::Insert(i, x)),
        (0..40usize).prop_map(Op::Remove),
        (0..40usize).prop_map(Op::SwapRemove),
        Just(Op::RetainOdd),
        Just(Op::SortByKey),
        Just(Op::SortByNameDesc),
        (0..40usize).prop_map(Op::Truncate),
        (0..40usize, 0..40usize, 0..40usize).prop_map(|(a, b, t)| Op::Drain(a, b, t)),
        (0..40usize).prop_map(Op::SplitAppend),
        (0..40usize, 0..40usize).prop_map(|(a, b)| Op::Range(a, b)),
    ]
}

type Row = (u32, String, [u64; 2]);

fn row(x: u8) -> Row {
    (u32::from(x % 16), format!("n{}", x % 7), [u64::from(x); 2])
}

fn contents<A: Allocator>(v: &SoaVec<Row, A>) -> Vec<Row> {
    (0..v.len())
        .map(|i| {
            let (a, b, c) = v.get(i).unwrap();
            (*a, b.clone(), *c)
        })
        .collect()
}

/// `a..b` clamped into `0..len` and put in order.
fn clamp(a: usize, b: usize, len: usize) -> (usize, usize) {
    let (a, b) = (a.min(len), b.min(len));
    (a.min(b), a.max(b))
}

fn run<A: Allocator + Clone>(v: &mut SoaVec<Row, A>, ops: &[Op]) {
    let mut m: Vec<Row> = Vec::new();
    for op in ops {
        let len = m.len();
        match *op {
            Op::Push(x) => {
                v.push(row(x));
                m.push(row(x));
            }
            Op::Insert(i, x) => {
                let i = i % (len + 1);
                v.insert(i, row(x));
                m.insert(i, row(x));
            }
            Op::Remove(i) if len > 0 => assert_eq!(v.remove(i % len), m.remove(i % len)),
            Op::SwapRemove(i) if len > 0 => {
                assert_eq!(v.swap_remove(i % len), m.swap_remove(i % len));
            }
            Op::Remove(_) | Op::SwapRemove(_) => {}
            Op::RetainOdd => {
                v.retain(|(a, _, _)| a % 2 == 1);
                m.retain(|(a, _, _)| a % 2 == 1);
            }
            Op::SortByKey => {
                v.sort_by_key(|(a, _, _)| *a);
                m.sort_by_key(|(a, _, _)| *a);
            }
            Op::SortByNameDesc => {
                v.sort_by(|(_, x, _), (_, y, _)| y.cmp(x));
                m.sort_by(|(_, x, _), (_, y, _)| y.cmp(x));
            }
            Op::Truncate(n) => {
                v.truncate(n);
                m.truncate(n);
            }
            Op::Drain(a, b, t) => {
                let (a, b) = clamp(a, b, len);
                let got: Vec<Row> = v.drain(a..b).take(t).collect();
                let want: Vec<Row> = m.drain(a..b).take(t).collect();
                assert_eq!(got, want);
            }
            Op::SplitAppend(at) => {
                let at = at.min(len);
                let mut tail = v.split_off(at);
                assert_eq!(contents(&tail), m[at..]);
                v.append(&mut tail);
                assert!(tail.is_empty());
            }
            Op::Range(a, b) => {
                let (a, b) = clamp(a, b, len);
                let (ids, names, _) = v.slices_range(a..b);
                assert!(ids.iter().eq(m[a..b].iter().map(|r| &r.0)));
                assert!(names.iter().eq(m[a..b].iter().map(|r| &r.1)));
            }
        }
        assert_eq!(contents(v), m, "after {op:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: if cfg!(miri) { 4 } else { 256 }, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn edits_match_a_vec_of_tuples(ops in prop::collection::vec(op(), 0..if cfg!(miri) { 16 } else { 64 })) {
        let mut heap = SoaVec::<Row>::new_in(64, Global);
        run(&mut heap, &ops);
        let mut arena = FrameArena::new();
        arena.frame(|f| {
            let mut framed = SoaVec::<Row, _>::new_in(64, &f);
            run(&mut framed, &ops);
        });
    }
}

/// Counts live values, so a panic that leaks or drops twice shows.
struct Live(Rc<Cell<isize>>, u32);

impl Live {
    fn new(c: &Rc<Cell<isize>>, x: u32) -> Self {
        c.set(c.get() + 1);
        Live(Rc::clone(c), x)
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.0.set(self.0.get() - 1);
        assert!(self.1 != 13 || std::thread::panicking(), "drop bomb");
    }
}

#[test]
fn retain_and_sorts_survive_panics() {
    let live = Rc::new(Cell::new(0));
    let mut v = SoaVec::<(u32, Live)>::new_in(64, Global);
    for x in 0..10 {
        v.push((x, Live::new(&live, x)));
    }
    // A predicate that panics halfway: the columns stay equal in length, nothing is lost.
    let r = catch_unwind(AssertUnwindSafe(|| {
        v.retain(|(x, _)| {
            assert!(*x != 6, "predicate bomb");
            x % 2 == 0
        })
    }));
    assert!(r.is_err());
    let kept: Vec<u32> = v.slices().0.to_vec();
    assert_eq!(kept, [0, 2, 4, 6, 7, 8, 9]);
    assert_eq!(live.get(), 7);
    // A comparison that panics: nothing has moved.
    let r = catch_unwind(AssertUnwindSafe(|| {
        v.sort_by(|(a, _), (b, _)| {
            assert!(*a + *b != 13, "compare bomb");
            b.cmp(a)
        })
    }));
    assert!(r.is_err());
    assert_eq!(v.slices().0, &kept[..]);
    v.sort_by_key(|(x, _)| core::cmp::Reverse(*x));
    assert_eq!(v.slices().0, &[9, 8, 7, 6, 4, 2, 0]);
    assert!(v
        .slices()
        .1
        .iter()
        .map(|l| l.1)
        .eq(v.slices().0.iter().copied()));
    // A destructor that panics while retain drops it: the rest still closes up.
    v.push((13, Live::new(&live, 13)));
    v.push((1, Live::new(&live, 1)));
    let r = catch_unwind(AssertUnwindSafe(|| v.retain(|(x, _)| *x != 13)));
    assert!(r.is_err());
    assert_eq!(v.slices().0, &[9, 8, 7, 6, 4, 2, 0, 1]);
    assert_eq!(live.get(), 8);
    drop(v);
    assert_eq!(live.get(), 0);
}

#[test]
fn out_of_range_indices_panic() {
    let mut v = SoaVec::<(u8,)>::new_in(64, Global);
    v.push((1,));
    assert!(catch_unwind(AssertUnwindSafe(|| v.insert(2, (0,)))).is_err());
    assert!(catch_unwind(AssertUnwindSafe(|| {
        v.remove(1);
    }))
    .is_err());
    v.insert(1, (2,));
    assert_eq!(v.remove(0), (1,));
    assert_eq!(v.len(), 1);
}

/// A struct with a column that needs `Drop`, for the generated container's operations.
#[framealloc::soa]
#[derive(Clone, Debug, PartialEq)]
struct Unit {
    id: u32,
    name: String,
    hp: f32,
}

/// A generic one: the operations' closures take references into columns of `T`.
#[framealloc::soa]
#[derive(Clone, Debug, PartialEq)]
struct Tagged<T: Clone> {
    tag: T,
    weight: u16,
}

fn unit(x: u8) -> Unit {
    Unit {
        id: u32::from(x % 9),
        name: format!("u{}", x % 5),
        hp: f32::from(x) * 0.5,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: if cfg!(miri) { 4 } else { 256 }, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn generated_container_edits_match_a_vec(ops in prop::collection::vec(op(), 0..if cfg!(miri) { 16 } else { 64 })) {
        let mut arena = FrameArena::new();
        arena.frame(|f| {
            let mut v = UnitSoa::new_in(&f);
            let mut m: Vec<Unit> = Vec::new();
            for op in &ops {
                let len = m.len();
                match *op {
                    Op::Push(x) => { v.push(unit(x)); m.push(unit(x)); }
                    Op::Insert(i, x) => {
                        let i = i % (len + 1);
                        v.insert(i, unit(x));
                        m.insert(i, unit(x));
                    }
                    Op::Remove(i) if len > 0 => assert_eq!(v.remove(i % len), m.remove(i % len)),
                    Op::SwapRemove(i) if len > 0 => assert_eq!(v.swap_remove(i % len), m.swap_remove(i % len)),
                    Op::Remove(_) | Op::SwapRemove(_) => {}
                    Op::RetainOdd => {
                        v.retain(|u| u.id % 2 == 1);
                        m.retain(|u| u.id % 2 == 1);
                    }
                    Op::SortByKey => {
                        v.sort_by_key(|u| *u.id);
                        m.sort_by_key(|u| u.id);
                    }
                    Op::SortByNameDesc => {
                        v.sort_by(|a, b| b.name.cmp(a.name));
                        m.sort_by(|a, b| b.name.cmp(&a.name));
                    }
                    Op::Truncate(n) => { v.truncate(n); m.truncate(n); }
                    Op::Drain(a, b, t) => {
                        let (a, b) = clamp(a, b, len);
                        let got: Vec<Unit> = v.drain(a..b).take(t).collect();
                        let want: Vec<Unit> = m.drain(a..b).take(t).collect();
                        assert_eq!(got, want);
                    }
                    Op::SplitAppend(at) => {
                        let at = at.min(len);
                        let mut tail = v.split_off(at);
                        assert_eq!(tail.len(), len - at);
                        v.append(&mut tail);
                    }
                    Op::Range(a, b) => {
                        let (a, b) = clamp(a, b, len);
                        let r = v.slices_range(a..b);
                        assert!(r.name.iter().eq(m[a..b].iter().map(|u| &u.name)));
                        let rm = v.slices_range_mut(a..b);
                        rm.hp.iter_mut().for_each(|h| *h += 1.0);
                        m[a..b].iter_mut().for_each(|u| u.hp += 1.0);
                    }
                }
                let now: Vec<Unit> = v.iter().map(Unit::from).collect();
                assert_eq!(now, m, "after {op:?}");
            }
        });
    }
}

#[test]
fn generated_operations_on_a_generic_struct() {
    let mut v = TaggedSoa::<&str>::new();
    for (i, tag) in ["c", "a", "b", "a"].into_iter().enumerate() {
        v.push(Tagged {
            tag,
            weight: i as u16,
        });
    }
    v.sort_by(|x, y| x.tag.cmp(y.tag));
    assert_eq!(v.tag(), &["a", "a", "b", "c"]);
    assert_eq!(v.weight(), &[1, 3, 2, 0], "a stable sort");
    v.retain(|t| *t.weight != 3);
    v.insert(
        0,
        Tagged {
            tag: "z",
            weight: 9,
        },
    );
    assert_eq!(
        v.remove(1),
        Tagged {
            tag: "a",
            weight: 1
        }
    );
    assert_eq!(v.tag(), &["z", "b", "c"]);
    // A predicate that panics removes nothing.
    let r = catch_unwind(AssertUnwindSafe(|| {
        v.retain(|t| *t.tag != "b" || panic!("bomb"))
    }));
    assert!(r.is_err());
    assert_eq!(v.len(), 3);
}

/// A field type that is neither `Debug`, `PartialEq` nor `Clone`: the container still works,
/// it just lacks those impls.
struct Opaque(#[allow(dead_code)] u8);

#[framealloc::soa]
struct WithOpaque {
    id: u32,
    handle: Opaque,
}

#[test]
fn containers_are_debug_eq_and_clone_when_their_fields_are() {
    let mut heap = UnitSoa::new();
    heap.extend([unit(1), unit(2)]);
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let mut framed = UnitSoa::new_in(&f);
        framed.extend([unit(1), unit(2)]);
        assert_eq!(framed, heap, "equal across allocators");
        let copy = framed.clone();
        assert_eq!(copy, framed);
        framed.pop();
        assert_ne!(framed, copy);
        let text = format!("{copy:?}");
        assert_eq!(
            text,
            r#"[UnitRef { id: 1, name: "u1", hp: 0.5 }, UnitRef { id: 2, name: "u2", hp: 1.0 }]"#
        );
    });
    let mut opaque = WithOpaqueSoa::new();
    opaque.push(WithOpaque {
        id: 7,
        handle: Opaque(1),
    });
    assert_eq!(opaque.id(), &[7]);
}

/// 32 fields: the most columns a container takes.
#[framealloc::soa]
#[derive(Clone, Debug, PartialEq, Default)]
struct Wide32 {
    c00: u8,
    c01: u16,
    c02: u32,
    c03: u64,
    c04: u8,
    c05: u16,
    c06: u32,
    c07: u64,
    c08: u8,
    c09: u16,
    c10: u32,
    c11: u64,
    c12: u8,
    c13: u16,
    c14: u32,
    c15: u64,
    c16: u8,
    c17: u16,
    c18: u32,
    c19: u64,
    c20: u8,
    c21: u16,
    c22: u32,
    c23: u64,
    c24: u8,
    c25: u16,
    c26: u32,
    c27: u64,
    c28: u8,
    c29: u16,
    c30: u32,
    c31: String,
}

#[test]
fn thirty_two_columns() {
    let mut v = Wide32Soa::new();
    for i in 0..10u8 {
        v.push(Wide32 {
            c00: i,
            c31: i.to_string(),
            ..Wide32::default()
        });
    }
    v.sort_by_key(|w| core::cmp::Reverse(*w.c00));
    assert_eq!(v.c00()[0], 9);
    assert_eq!(v.c31()[0], "9");
    assert!(v
        .column_ptrs()
        .iter()
        .all(|p| (*p as usize).is_multiple_of(64)));
    let back = v.remove(0);
    assert_eq!(back.c31, "9");
}

#[test]
fn for_loops_over_containers() {
    let mut v = UnitSoa::new();
    v.extend([unit(1), unit(2), unit(3)]);
    let mut ids = Vec::new();
    for u in &v {
        ids.push(*u.id);
    }
    assert_eq!(ids, [1, 2, 3]);
    for u in &mut v {
        *u.hp += 1.0;
        u.name.push('!');
    }
    assert_eq!(v.hp(), &[1.5, 2.0, 2.5]);
    assert_eq!(v.name()[2], "u3!");
    assert_eq!((&v).into_iter().len(), 3);
    let mut g = TaggedSoa::<u8>::new();
    g.push(Tagged { tag: 4, weight: 1 });
    let tags: Vec<u8> = (&g).into_iter().map(|t| *t.tag).collect();
    assert_eq!(tags, [4]);
    let empty = UnitSoa::new();
    assert!((&empty).into_iter().next().is_none());
}

#[test]
fn a_drain_whose_element_drop_panics_still_closes_the_gap() {
    let live = Rc::new(Cell::new(0));
    let mut v = SoaVec::<(u32, Live)>::new_in(64, Global);
    for x in [1, 2, 13, 4, 5, 6] {
        v.push((x, Live::new(&live, x)));
    }
    let r = catch_unwind(AssertUnwindSafe(|| {
        let mut d = v.drain(1..4);
        assert_eq!(d.next().map(|(x, _)| x), Some(2));
        drop(d); // drops 13 (which panics) and 4, then moves 5 and 6 down
    }));
    assert!(r.is_err());
    assert_eq!(v.slices().0, &[1, 5, 6]);
    assert_eq!(live.get(), 3);
    drop(v);
    assert_eq!(live.get(), 0);
}

/// Generic code over any generated container, through `SoaContainer`.
fn rotate_left<S: framealloc::soa::SoaContainer>(s: &mut S) {
    if !s.is_empty() {
        let first = s.remove(0);
        s.push(first);
    }
}

#[test]
fn generic_code_over_containers() {
    let mut units = UnitSoa::new();
    units.extend([unit(1), unit(2), unit(3)]);
    rotate_left(&mut units);
    assert_eq!(units.id(), &[2, 3, 1]);
    let mut tagged = TaggedSoa::<&str>::new();
    tagged.push(Tagged {
        tag: "a",
        weight: 1,
    });
    tagged.push(Tagged {
        tag: "b",
        weight: 2,
    });
    rotate_left(&mut tagged);
    assert_eq!(tagged.tag(), &["b", "a"]);
    use framealloc::soa::SoaContainer;
    assert_eq!(*SoaContainer::get(&tagged, 1).unwrap().weight, 1);
    SoaContainer::clear(&mut tagged);
    assert!(SoaContainer::is_empty(&tagged));
}
