//! `FrameVec`'s `Vec` API: every editing method against `std::vec::Vec` as a model (a property
//! test over random operation sequences), and panic safety: a panicking predicate, `Clone` or
//! `Drop` in each method leaves every element dropped exactly once and the vector usable.

use std::cell::{Cell, RefCell};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::panic::{catch_unwind, AssertUnwindSafe};

use framealloc::{frame_vec, FrameArena, FrameVec};
use proptest::prelude::*;

thread_local! {
    /// Ids of the `Item`s alive on this thread.
    static ALIVE: RefCell<std::collections::BTreeSet<u64>> = const { RefCell::new(std::collections::BTreeSet::new()) };
    static NEXT: Cell<u64> = const { Cell::new(0) };
    /// The next `Item` clone or drop, counted down, that panics (0: none).
    static CLONE_BOMB: Cell<u32> = const { Cell::new(0) };
    static DROP_BOMB: Cell<u32> = const { Cell::new(0) };
}

/// A value whose every copy is tracked: it panics on a double drop, and the test checks that
/// none is left alive (none leaked) at the end.
#[derive(Debug)]
struct Item {
    value: u32,
    id: u64,
}

impl Item {
    fn new(value: u32) -> Self {
        let id = NEXT.with(|n| {
            n.set(n.get() + 1);
            n.get()
        });
        ALIVE.with(|a| assert!(a.borrow_mut().insert(id)));
        Item { value, id }
    }
}

fn countdown(bomb: &'static std::thread::LocalKey<Cell<u32>>) -> bool {
    bomb.with(|b| match b.get() {
        0 => false,
        1 => {
            b.set(0);
            true
        }
        n => {
            b.set(n - 1);
            false
        }
    })
}

impl Clone for Item {
    fn clone(&self) -> Self {
        if countdown(&CLONE_BOMB) {
            panic!("clone bomb");
        }
        Item::new(self.value)
    }
}

impl Drop for Item {
    fn drop(&mut self) {
        ALIVE.with(|a| {
            assert!(
                a.borrow_mut().remove(&self.id),
                "item {} dropped twice",
                self.id
            )
        });
        if countdown(&DROP_BOMB) && !std::thread::panicking() {
            panic!("drop bomb");
        }
    }
}

impl PartialEq for Item {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

fn alive() -> usize {
    ALIVE.with(|a| a.borrow().len())
}

fn values(xs: &[Item]) -> Vec<u32> {
    xs.iter().map(|x| x.value).collect()
}

#[derive(Clone, Debug)]
enum Op {
    Push(u32),
    Pop,
    Insert(usize, u32),
    Remove(usize),
    SwapRemove(usize),
    Truncate(usize),
    RetainEven,
    RetainMutBump,
    DedupByKey,
    Resize(usize, u32),
    ResizeWith(usize),
    ExtendFromWithin(usize, usize),
    SplitOffAppend(usize),
    Drain(usize, usize, usize),
    Between(usize),
    Clone,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        any::<u32>().prop_map(|x| Op::Push(x % 8)),
        Just(Op::Pop),
        (0..40usize, any::<u32>()).prop_map(|(i, x)| Op::Insert(i, x % 8)),
        (0..40usize).prop_map(Op::Remove),
        (0..40usize).prop_map(Op::SwapRemove),
        (0..40usize).prop_map(Op::Truncate),
        Just(Op::RetainEven),
        Just(Op::RetainMutBump),
        Just(Op::DedupByKey),
        (0..40usize, any::<u32>()).prop_map(|(n, x)| Op::Resize(n, x % 8)),
        (0..40usize).prop_map(Op::ResizeWith),
        (0..40usize, 0..40usize).prop_map(|(a, b)| Op::ExtendFromWithin(a, b)),
        (0..40usize).prop_map(Op::SplitOffAppend),
        (0..40usize, 0..40usize, 0..40usize).prop_map(|(a, b, t)| Op::Drain(a, b, t)),
        (0..64usize).prop_map(Op::Between),
        Just(Op::Clone),
    ]
}

/// Applies `op` to the vector and the model alike (an out-of-range index is brought in
/// range, so every op does something).
fn apply(
    f: &framealloc::Frame<'_, '_>,
    v: &mut FrameVec<'_, '_, Item>,
    m: &mut Vec<Item>,
    op: &Op,
) {
    let len = m.len();
    match *op {
        Op::Push(x) => {
            v.push(Item::new(x));
            m.push(Item::new(x));
        }
        Op::Pop => assert_eq!(v.pop().map(|i| i.value), m.pop().map(|i| i.value)),
        Op::Insert(i, x) => {
            let i = i % (len + 1);
            v.insert(i, Item::new(x));
            m.insert(i, Item::new(x));
        }
        Op::Remove(i) if len > 0 => {
            assert_eq!(v.remove(i % len).value, m.remove(i % len).value);
        }
        Op::SwapRemove(i) if len > 0 => {
            assert_eq!(v.swap_remove(i % len).value, m.swap_remove(i % len).value);
        }
        Op::Remove(_) | Op::SwapRemove(_) => {}
        Op::Truncate(n) => {
            v.truncate(n);
            m.truncate(n);
        }
        Op::RetainEven => {
            v.retain(|x| x.value % 2 == 0);
            m.retain(|x| x.value % 2 == 0);
        }
        Op::RetainMutBump => {
            let bump = |x: &mut Item| {
                x.value += 1;
                !x.value.is_multiple_of(3)
            };
            v.retain_mut(bump);
            m.retain_mut(bump);
        }
        Op::DedupByKey => {
            v.dedup_by_key(|x| x.value / 2);
            m.dedup_by_key(|x| x.value / 2);
        }
        Op::Resize(n, x) => {
            v.resize(n, Item::new(x));
            m.resize(n, Item::new(x));
        }
        Op::ResizeWith(n) => {
            v.resize_with(n, || Item::new(7));
            m.resize_with(n, || Item::new(7));
        }
        Op::ExtendFromWithin(a, b) => {
            let (a, b) = (a.min(len), b.min(len));
            let (a, b) = (a.min(b), a.max(b));
            v.extend_from_within(a..b);
            m.extend_from_within(a..b);
        }
        Op::SplitOffAppend(at) => {
            let at = at.min(len);
            let mut tail = v.split_off(at);
            let mut mtail = m.split_off(at);
            assert_eq!(values(&tail), values(&mtail));
            assert_eq!(values(v), values(m));
            v.append(&mut tail);
            m.append(&mut mtail);
            assert!(tail.is_empty());
        }
        Op::Drain(a, b, take) => {
            let (a, b) = (a.min(len), b.min(len));
            let (a, b) = (a.min(b), a.max(b));
            let got: Vec<u32> = v.drain(a..b).take(take).map(|i| i.value).collect();
            let want: Vec<u32> = m.drain(a..b).take(take).map(|i| i.value).collect();
            assert_eq!(got, want);
        }
        Op::Between(n) => {
            // A block after the buffer: the next growth must move it.
            f.alloc_slice_fill_copy(n, 0u8);
        }
        Op::Clone => {
            let c = v.clone();
            assert_eq!(values(&c), values(v));
            assert!(c.capacity() >= c.len());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: if cfg!(miri) { 4 } else { 256 }, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_edit_matches_vec(ops in prop::collection::vec(op(), 0..if cfg!(miri) { 16 } else { 64 })) {
        let mut arena = FrameArena::new();
        arena.frame(|f| {
            let mut v = f.vec::<Item>();
            let mut m = Vec::new();
            for op in &ops {
                apply(&f, &mut v, &mut m, op);
                assert_eq!(values(&v), values(&m), "after {op:?}");
                assert!(v.len() <= v.capacity());
            }
            // By value, partly consumed, then dropped.
            let mut it = v.into_iter();
            let first = it.next().map(|i| i.value);
            assert_eq!(first, m.first().map(|i| i.value));
            assert_eq!(it.len(), m.len().saturating_sub(1));
            drop(it);
        });
        assert_eq!(alive(), 0, "every item dropped exactly once");
    }
}

/// Runs `body`, which must panic once (a bomb went off), and checks that nothing leaked and
/// nothing was dropped twice (a double drop would have failed inside).
fn survives(body: impl FnOnce()) {
    let result = catch_unwind(AssertUnwindSafe(body));
    assert!(result.is_err(), "the bomb was expected to go off");
    CLONE_BOMB.with(|b| b.set(0));
    DROP_BOMB.with(|b| b.set(0));
    assert_eq!(alive(), 0, "a panic leaked or double-dropped an item");
}

fn filled<'b, 'f>(f: &'b framealloc::Frame<'f, '_>, n: u32) -> FrameVec<'b, 'f, Item> {
    FrameVec::from_iter_in((0..n).map(Item::new), f)
}

#[test]
fn panics_in_closures_clones_and_drops_leave_every_item_dropped_once() {
    let mut arena = FrameArena::new();
    // retain: the predicate panics halfway; a destructor of a removed item panics.
    arena.frame(|f| {
        survives(|| {
            let mut v = filled(&f, 10);
            let mut calls = 0;
            v.retain(|x| {
                calls += 1;
                assert!(calls < 6, "predicate bomb");
                x.value % 2 == 0
            });
        });
        survives(|| {
            let mut v = filled(&f, 10);
            DROP_BOMB.with(|b| b.set(2));
            v.retain(|x| x.value % 2 == 0);
        });
        // The vector stays usable after a caught panic, and keeps what it should.
        let mut v = filled(&f, 6);
        let r = catch_unwind(AssertUnwindSafe(|| {
            v.retain(|x| {
                assert!(x.value != 3, "predicate bomb");
                x.value != 1
            })
        }));
        assert!(r.is_err());
        assert_eq!(values(&v), [0, 2, 3, 4, 5]);
        v.push(Item::new(9));
        drop(v);
    });
    // dedup_by: the comparison panics; a destructor of a duplicate panics.
    arena.frame(|f| {
        survives(|| {
            let mut v = FrameVec::from_iter_in([1, 1, 2, 2, 3].map(Item::new), &f);
            let mut calls = 0;
            v.dedup_by(|a, b| {
                calls += 1;
                assert!(calls < 3, "comparison bomb");
                a == b
            });
        });
        survives(|| {
            let mut v = FrameVec::from_iter_in([1, 1, 1, 2, 2].map(Item::new), &f);
            DROP_BOMB.with(|b| b.set(1));
            v.dedup();
        });
    });
    // drain: a drained item's destructor panics while the rest is dropped; the tail must
    // still move down.
    arena.frame(|f| {
        let mut v = filled(&f, 10);
        let r = catch_unwind(AssertUnwindSafe(|| {
            DROP_BOMB.with(|b| b.set(2));
            drop(v.drain(2..6));
        }));
        assert!(r.is_err());
        DROP_BOMB.with(|b| b.set(0));
        assert_eq!(values(&v), [0, 1, 6, 7, 8, 9]);
        drop(v);
        assert_eq!(alive(), 0);
        // A forgotten drain leaks the range and the tail, and exposes nothing.
        let mut v = filled(&f, 5);
        core::mem::forget(v.drain(1..3));
        assert_eq!(values(&v), [0]);
        drop(v);
        ALIVE.with(|a| a.borrow_mut().clear());
    });
    // Clone in clone, resize and extend_from_within; Drop in into_iter's drop.
    arena.frame(|f| {
        survives(|| {
            let v = filled(&f, 8);
            CLONE_BOMB.with(|b| b.set(5));
            let _copy = v.clone();
        });
        survives(|| {
            let mut v = filled(&f, 2);
            CLONE_BOMB.with(|b| b.set(3));
            v.resize(8, Item::new(1));
        });
        survives(|| {
            let mut v = filled(&f, 6);
            CLONE_BOMB.with(|b| b.set(4));
            v.extend_from_within(..);
        });
        survives(|| {
            let mut v = filled(&f, 3);
            v.resize_with(8, || {
                Item::new(if alive() > 6 { panic!("maker bomb") } else { 1 })
            });
        });
        survives(|| {
            let v = filled(&f, 6);
            let mut it = v.into_iter();
            it.next();
            DROP_BOMB.with(|b| b.set(2));
            drop(it);
        });
    });
}

#[test]
fn out_of_range_indices_panic_with_what_went_wrong() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let mut v = frame_vec![in &f; 1, 2, 3];
        let msg = |r: std::thread::Result<()>| {
            let e = r.unwrap_err();
            e.downcast_ref::<String>().cloned().unwrap_or_default()
        };
        let m = msg(catch_unwind(AssertUnwindSafe(|| v.insert(4, 0))));
        assert!(
            m.contains("insertion index (is 4) should be <= len (is 3)"),
            "{m}"
        );
        let m = msg(catch_unwind(AssertUnwindSafe(|| {
            v.remove(3);
        })));
        assert!(
            m.contains("removal index (is 3) should be < len (is 3)"),
            "{m}"
        );
        let m = msg(catch_unwind(AssertUnwindSafe(|| {
            v.drain(2..5);
        })));
        assert!(m.contains("range end 5 is out of bounds"), "{m}");
        #[allow(clippy::reversed_empty_ranges)]
        let m = msg(catch_unwind(AssertUnwindSafe(|| {
            v.extend_from_within(3..1)
        })));
        assert!(m.contains("range starts at 3 but ends at 1"), "{m}");
        assert_eq!(v, [1, 2, 3]);
    });
}

#[test]
fn comparisons_hashing_and_writing() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let a = frame_vec![in &f; 1, 2, 3];
        let b = FrameVec::from_iter_in(1..=3, &f);
        assert_eq!(a, b);
        assert_eq!(a, [1, 2, 3]);
        assert_eq!(a, &[1, 2, 3]);
        assert_eq!(a, &[1, 2, 3][..]);
        assert_eq!(a, vec![1, 2, 3]);
        assert_eq!(vec![1, 2, 3], a);
        assert_eq!([1, 2, 3], a);
        assert_eq!(&[1, 2, 3][..], a);
        assert!(frame_vec![in &f; 1, 2] < a && a < frame_vec![in &f; 1, 3]);
        assert_eq!(a.cmp(&b), std::cmp::Ordering::Equal);
        let hash = |x: &dyn Fn(&mut DefaultHasher)| {
            let mut h = DefaultHasher::new();
            x(&mut h);
            h.finish()
        };
        assert_eq!(hash(&|h| a.hash(h)), hash(&|h| vec![1, 2, 3].hash(h)));
        let zeros = frame_vec![in &f; 0u16; 5];
        assert_eq!(zeros, [0; 5]);
        let empty: FrameVec<'_, '_, u8> = frame_vec![in &f];
        assert!(empty.is_empty());
        use std::io::Write;
        let mut out = f.vec();
        writeln!(out, "frame {}", 3).unwrap();
        out.write_all(b"done").unwrap();
        assert_eq!(out, b"frame 3\ndone");
        assert_eq!(format!("{a:?}"), "[1, 2, 3]");
        let drained = format!("{:?}", frame_vec![in &f; 4, 5].into_iter());
        assert_eq!(drained, "IntoIter([4, 5])");
    });
}

#[test]
fn into_slice_gives_spare_capacity_back() {
    let mut arena = FrameArena::with_config(framealloc::ArenaConfig::new().guards(false));
    arena.frame(|f| {
        let before = f.stats().bytes_used;
        let mut v = f.vec_with_capacity::<u64>(100);
        v.extend([1, 2, 3]);
        let s = v.into_slice();
        assert_eq!(s, [1, 2, 3]);
        assert_eq!(
            f.stats().bytes_used - before,
            3 * 8,
            "the 97 spare slots went back"
        );
        // Not the newest block: the spare capacity stays (frame memory until the frame ends).
        let mut w = f.vec_with_capacity::<u64>(10);
        w.push(1);
        f.alloc(0u8);
        assert_eq!(w.into_slice(), [1]);
    });
}

#[test]
fn spare_capacity_and_set_len() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let mut v = f.vec_with_capacity::<String>(3);
        let spare = v.spare_capacity_mut();
        assert_eq!(spare.len(), 3);
        spare[0].write(String::from("a"));
        spare[1].write(String::from("b"));
        // SAFETY: the first two slots were written.
        unsafe { v.set_len(2) };
        assert_eq!(v, ["a", "b"]);
        let zst = frame_vec![in &f; (); 4];
        assert_eq!(zst.len(), 4);
        assert!(zst.into_iter().eq([(); 4]));
    });
}
