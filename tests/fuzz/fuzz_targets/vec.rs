//! `FrameVec` operations checked against `Vec`, and `FrameString` against `String`: two vectors
//! (plain values and `String`s, whose drops a ledger counts) and a string take turns growing,
//! editing, shrinking and freezing while other allocations land between their buffers, so
//! both the in-place and the moving growth paths run.
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
    Insert(u8, u16),
    Remove(u8),
    SwapRemove(u8),
    RetainOdd,
    DedupStrings,
    Drain(u8, u8, u8),
    SplitAppend(u8),
    ExtendFromWithin(u8, u8),
    Resize(u8, u16),
    IntoIterTake(u8),
    Text(TextOp),
}

#[derive(Arbitrary, Debug)]
enum TextOp {
    Push(char),
    PushStr(String),
    Insert(u8, char),
    Remove(u8),
    Truncate(u8),
    RetainAscii,
    Format(u32, String),
    Pop,
}

/// The character boundary at or before `i`.
fn boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
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
            let mut text = f.string();
            let mut tmodel = String::new();
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
                    Op::Insert(i, x) => {
                        let i = usize::from(*i) % (model.len() + 1);
                        v.insert(i, *x);
                        model.insert(i, *x);
                    }
                    Op::Remove(i) if !model.is_empty() => {
                        let i = usize::from(*i) % model.len();
                        assert_eq!(v.remove(i), model.remove(i));
                    }
                    Op::SwapRemove(i) if !model.is_empty() => {
                        let i = usize::from(*i) % model.len();
                        assert_eq!(v.swap_remove(i), model.swap_remove(i));
                    }
                    Op::Remove(_) | Op::SwapRemove(_) => {}
                    Op::RetainOdd => {
                        v.retain(|x| x % 2 == 1);
                        model.retain(|x| x % 2 == 1);
                    }
                    Op::DedupStrings => {
                        s.dedup_by(|a, b| a.0.len() == b.0.len());
                        smodel.dedup_by(|a, b| a.len() == b.len());
                    }
                    Op::Drain(a, b, take) => {
                        let len = model.len();
                        let (a, b) = (usize::from(*a).min(len), usize::from(*b).min(len));
                        let (a, b) = (a.min(b), a.max(b));
                        let got: Vec<u16> = v.drain(a..b).take(usize::from(*take)).collect();
                        let want: Vec<u16> = model.drain(a..b).take(usize::from(*take)).collect();
                        assert_eq!(got, want);
                    }
                    Op::SplitAppend(at) => {
                        let at = usize::from(*at).min(smodel.len());
                        let mut tail = s.split_off(at);
                        assert!(tail.iter().map(|c| &c.0).eq(smodel[at..].iter()));
                        s.append(&mut tail);
                    }
                    Op::ExtendFromWithin(a, b) => {
                        let len = model.len();
                        let (a, b) = (usize::from(*a).min(len), usize::from(*b).min(len));
                        let (a, b) = (a.min(b), a.max(b));
                        v.extend_from_within(a..b);
                        model.extend_from_within(a..b);
                    }
                    Op::Resize(n, x) => {
                        v.resize(usize::from(*n), *x);
                        model.resize(usize::from(*n), *x);
                    }
                    Op::IntoIterTake(n) => {
                        let taken: Vec<String> = core::mem::replace(&mut s, f.vec())
                            .into_iter()
                            .take(usize::from(*n))
                            .map(|c| c.0.clone())
                            .collect();
                        let n = usize::from(*n).min(smodel.len());
                        assert_eq!(taken, smodel[..n]);
                        smodel.clear();
                    }
                    Op::Text(t) => {
                        match t {
                            TextOp::Push(c) => {
                                text.push(*c);
                                tmodel.push(*c);
                            }
                            TextOp::PushStr(x) => {
                                text.push_str(x);
                                tmodel.push_str(x);
                            }
                            TextOp::Insert(i, c) => {
                                let i = boundary(&tmodel, usize::from(*i));
                                text.insert(i, *c);
                                tmodel.insert(i, *c);
                            }
                            TextOp::Remove(i) if !tmodel.is_empty() => {
                                let i = boundary(&tmodel, usize::from(*i).min(tmodel.len() - 1));
                                assert_eq!(text.remove(i), tmodel.remove(i));
                            }
                            TextOp::Remove(_) => {}
                            TextOp::Truncate(n) => {
                                let n = boundary(&tmodel, usize::from(*n));
                                text.truncate(n);
                                tmodel.truncate(n);
                            }
                            TextOp::RetainAscii => {
                                text.retain(|c| c.is_ascii());
                                tmodel.retain(|c| c.is_ascii());
                            }
                            TextOp::Format(n, x) => {
                                let made = framealloc::frame_format!(in &f, "{n:>4}|{x:?}");
                                assert_eq!(made, format!("{n:>4}|{x:?}"));
                                text.push_str(&made);
                                tmodel.push_str(&made);
                            }
                            TextOp::Pop => assert_eq!(text.pop(), tmodel.pop()),
                        }
                        assert_eq!(text, tmodel, "after {t:?}");
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
