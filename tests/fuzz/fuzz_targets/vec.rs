//! `FrameVec` operations checked against `Vec`: two vectors (plain values and `String`s, whose
//! drops a ledger counts) take turns growing, shrinking and freezing while other allocations
//! land between their buffers, so both the in-place and the moving growth paths run.
#![no_main]

use std::cell::Cell;

use framealloc::{ArenaConfig, FrameArena};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    first_chunk: u16,
    frames: Vec<Vec<Op>>,
}

#[derive(Arbitrary, Debug)]
enum Op {
    Push(u16),
    PushString(u8),
    PushWithin(u16),
    Pop,
    PopString,
    Truncate(u8),
    TruncateStrings(u8),
    Clear,
    Reserve(u8),
    ExtendFromSlice(Vec<u16>),
    Extend(u8),
    Between(u8),
    Freeze,
    FreezeStrings,
}

thread_local! {
    static LIVE_STRINGS: Cell<isize> = const { Cell::new(0) };
}

/// A `String` that counts how many of it are alive.
struct Counted(String);

impl Counted {
    fn new(s: String) -> Self {
        LIVE_STRINGS.with(|c| c.set(c.get() + 1));
        Counted(s)
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        LIVE_STRINGS.with(|c| c.set(c.get() - 1));
    }
}

fuzz_target!(|input: Input| {
    let mut arena =
        FrameArena::with_config(ArenaConfig::new().first_chunk_size(input.first_chunk as usize));
    for ops in input.frames.iter().take(8) {
        arena.frame(|f| {
            let mut v = f.vec::<u16>();
            let mut model: Vec<u16> = Vec::new();
            let mut s = f.vec::<Counted>();
            let mut smodel: Vec<String> = Vec::new();
            for op in ops {
                match op {
                    Op::Push(x) => {
                        v.push(*x);
                        model.push(*x);
                    }
                    Op::PushString(n) => {
                        let text = "x".repeat(*n as usize % 40);
                        s.push(Counted::new(text.clone()));
                        smodel.push(text);
                    }
                    Op::PushWithin(x) => {
                        let room = v.len() < v.capacity();
                        assert_eq!(v.push_within_capacity(*x).is_ok(), room);
                        if room {
                            model.push(*x);
                        }
                    }
                    Op::Pop => assert_eq!(v.pop(), model.pop()),
                    Op::PopString => {
                        assert_eq!(s.pop().map(|c| c.0.clone()), smodel.pop());
                    }
                    Op::Truncate(n) => {
                        v.truncate(*n as usize);
                        model.truncate(*n as usize);
                    }
                    Op::TruncateStrings(n) => {
                        s.truncate(*n as usize);
                        smodel.truncate(*n as usize);
                    }
                    Op::Clear => {
                        v.clear();
                        model.clear();
                    }
                    Op::Reserve(n) => {
                        v.reserve(*n as usize);
                        assert!(v.capacity() >= v.len() + *n as usize);
                    }
                    Op::ExtendFromSlice(xs) => {
                        v.extend_from_slice(xs);
                        model.extend_from_slice(xs);
                    }
                    Op::Extend(n) => {
                        v.extend(0..u16::from(*n));
                        model.extend(0..u16::from(*n));
                    }
                    Op::Between(n) => {
                        // Another block after the buffers: the next growth cannot be in place.
                        let block = f.alloc_slice_fill_copy(*n as usize, 0xA5u8);
                        assert!(block.iter().all(|b| *b == 0xA5));
                    }
                    Op::Freeze => {
                        let frozen = core::mem::replace(&mut v, f.vec()).into_slice();
                        assert_eq!(&frozen[..], &model[..]);
                        model.clear();
                    }
                    Op::FreezeStrings => {
                        let frozen = core::mem::replace(&mut s, f.vec()).into_boxed_slice();
                        assert!(frozen.iter().map(|c| &c.0).eq(smodel.iter()));
                        drop(frozen);
                        smodel.clear();
                    }
                }
                assert_eq!(&v[..], &model[..], "after {op:?}");
                assert!(v.len() <= v.capacity());
                assert!(s.iter().map(|c| &c.0).eq(smodel.iter()), "after {op:?}");
                assert_eq!(
                    LIVE_STRINGS.with(Cell::get),
                    smodel.len() as isize,
                    "each string dropped exactly once"
                );
            }
        });
        assert_eq!(
            LIVE_STRINGS.with(Cell::get),
            0,
            "the frame's vectors dropped everything"
        );
    }
});
