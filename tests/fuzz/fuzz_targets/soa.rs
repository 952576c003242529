//! `#[soa]` container operations checked against `Vec<T>`, for a container on the heap and one
//! in a frame, with a column that needs `Drop` and an over-aligned one.
#![no_main]

use framealloc::{soa, FrameArena};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

#[derive(Clone, Copy, Debug, PartialEq)]
#[repr(align(32))]
struct Wide([u64; 4]);

#[soa]
#[derive(Clone, Debug, PartialEq)]
struct Item {
    id: u32,
    name: String,
    wide: Wide,
    flag: bool,
}

#[derive(Arbitrary, Debug)]
enum Op {
    Push(u32, u8, bool),
    Pop,
    SwapRemove(u16),
    Truncate(u8),
    Clear,
    Reserve(u8),
    Get(u16),
    SetId(u16, u32),
}

fn item(id: u32, n: u8, flag: bool) -> Item {
    Item {
        id,
        name: "n".repeat(n as usize % 24),
        wide: Wide([u64::from(id); 4]),
        flag,
    }
}

macro_rules! apply {
    ($soa:expr, $model:expr, $ops:expr) => {
        for op in $ops {
            match *op {
                Op::Push(id, n, flag) => {
                    $soa.push(item(id, n, flag));
                    $model.push(item(id, n, flag));
                }
                Op::Pop => assert_eq!($soa.pop(), $model.pop()),
                Op::SwapRemove(i) => {
                    if !$model.is_empty() {
                        let i = i as usize % $model.len();
                        assert_eq!($soa.swap_remove(i), $model.swap_remove(i));
                    }
                }
                Op::Truncate(n) => {
                    $soa.truncate(n as usize);
                    $model.truncate(n as usize);
                }
                Op::Clear => {
                    $soa.clear();
                    $model.clear();
                }
                Op::Reserve(n) => {
                    $soa.reserve(n as usize);
                    assert!($soa.capacity() >= $soa.len() + n as usize);
                }
                Op::Get(i) => {
                    let got = $soa.get(i as usize).map(Item::from);
                    assert_eq!(got.as_ref(), $model.get(i as usize));
                }
                Op::SetId(i, id) => {
                    if let Some(m) = $soa.get_mut(i as usize) {
                        *m.id = id;
                        $model[i as usize].id = id;
                    }
                }
            }
            assert_eq!($soa.len(), $model.len());
            let now: Vec<Item> = $soa.iter().map(Item::from).collect();
            assert_eq!(now, $model, "after {op:?}");
            assert_eq!(
                $soa.wide().as_ptr() as usize % 32,
                0,
                "an over-aligned column"
            );
            assert!($soa.check_guards().is_ok());
        }
    };
}

fuzz_target!(|ops: Vec<Op>| {
    let mut heap = ItemSoa::new();
    let mut model: Vec<Item> = Vec::new();
    apply!(heap, model, &ops);
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let mut framed = ItemSoa::new_in(&f);
        let mut model: Vec<Item> = Vec::new();
        apply!(framed, model, &ops);
    });
});
