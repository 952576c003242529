//! `FrameString` against `String` (a property test over random edits, multi-byte characters
//! included), `frame_format!` against `format!`, and the refusals: non-boundary indices, a
//! budget that stops a format, a panicking `retain` predicate.

use std::collections::hash_map::DefaultHasher;
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::panic::{catch_unwind, AssertUnwindSafe};

use framealloc::{frame_format, AllocError, ArenaConfig, FrameArena, FrameString};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    Push(char),
    PushStr(String),
    Insert(usize, char),
    InsertStr(usize, String),
    Pop,
    Remove(usize),
    Truncate(usize),
    RetainNotVowel,
    Clear,
    Write(u32, String),
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![Just('a'), Just('é'), Just('€'), Just('🦀'), Just(' ')],
        0..6,
    )
    .prop_map(|cs| cs.into_iter().collect())
}

fn op() -> impl Strategy<Value = Op> {
    let c = prop_oneof![Just('x'), Just('ß'), Just('∑'), Just('😀')];
    prop_oneof![
        c.clone().prop_map(Op::Push),
        text().prop_map(Op::PushStr),
        (0..40usize, c).prop_map(|(i, c)| Op::Insert(i, c)),
        (0..40usize, text()).prop_map(|(i, s)| Op::InsertStr(i, s)),
        Just(Op::Pop),
        (0..40usize).prop_map(Op::Remove),
        (0..40usize).prop_map(Op::Truncate),
        Just(Op::RetainNotVowel),
        Just(Op::Clear),
        (any::<u32>(), text()).prop_map(|(n, s)| Op::Write(n, s)),
    ]
}

/// The character boundary at or before `i` (clamped to the length).
fn boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

proptest! {
    #![proptest_config(ProptestConfig { cases: if cfg!(miri) { 4 } else { 256 }, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_edit_matches_string(ops in prop::collection::vec(op(), 0..if cfg!(miri) { 12 } else { 48 })) {
        let mut arena = FrameArena::new();
        arena.frame(|f| {
            let mut s = f.string();
            let mut m = String::new();
            for op in &ops {
                match op {
                    Op::Push(c) => { s.push(*c); m.push(*c); }
                    Op::PushStr(t) => { s.push_str(t); m.push_str(t); }
                    Op::Insert(i, c) => {
                        let i = boundary(&m, *i);
                        s.insert(i, *c);
                        m.insert(i, *c);
                    }
                    Op::InsertStr(i, t) => {
                        let i = boundary(&m, *i);
                        s.insert_str(i, t);
                        m.insert_str(i, t);
                    }
                    Op::Pop => assert_eq!(s.pop(), m.pop()),
                    Op::Remove(i) if !m.is_empty() => {
                        let i = boundary(&m, *i).min(m.len() - 1);
                        let i = boundary(&m, i);
                        assert_eq!(s.remove(i), m.remove(i));
                    }
                    Op::Remove(_) => {}
                    Op::Truncate(n) => {
                        let n = boundary(&m, *n);
                        s.truncate(n);
                        m.truncate(n);
                    }
                    Op::RetainNotVowel => {
                        s.retain(|c| !"aeiouéß".contains(c));
                        m.retain(|c| !"aeiouéß".contains(c));
                    }
                    Op::Clear => { s.clear(); m.clear(); }
                    Op::Write(n, t) => {
                        write!(s, "{n:>5}|{t:?}").unwrap();
                        write!(m, "{n:>5}|{t:?}").unwrap();
                    }
                }
                assert_eq!(s, m, "after {op:?}");
                assert!(s.len() <= s.capacity());
            }
            let frozen = s.into_str();
            assert_eq!(frozen, m.as_str());
        });
    }
}

#[test]
#[allow(clippy::useless_format)] // format! is the model, also where it is only a copy
fn frame_format_writes_what_format_writes() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let name = "crab";
        let cases = [
            (frame_format!(in &f, "plain"), format!("plain")),
            (
                frame_format!(in &f, "{name} {}", 3),
                format!("{name} {}", 3),
            ),
            (
                frame_format!(in &f, "{:>8.3}|{:#x}|{:?}", 1.5f32, 255, "q\""),
                format!("{:>8.3}|{:#x}|{:?}", 1.5f32, 255, "q\""),
            ),
            (
                frame_format!(in &f, "{}", "🦀".repeat(100)),
                format!("{}", "🦀".repeat(100)),
            ),
            (frame_format!(in &f, ""), String::new()),
        ];
        for (got, want) in &cases {
            assert_eq!(got, want);
        }
        let by_method = f.format(format_args!("{}+{}", 1, 2));
        assert_eq!(by_method, "1+2");
        let mut grown = frame_format!(in &f, "a");
        grown.push_str(&"b".repeat(1000));
        assert_eq!(grown.len(), 1001);
    });
}

#[test]
fn a_budget_stops_a_format_with_the_error() {
    let mut arena = FrameArena::with_config(ArenaConfig::new().budget(Some(64)).guards(false));
    arena.frame(|f| {
        let err = f
            .try_format(format_args!("{}", "x".repeat(200)))
            .unwrap_err();
        assert!(
            matches!(err, AllocError::BudgetExceeded { limit: 64, .. }),
            "{err:?}"
        );
        let small = f.try_format(format_args!("{}", 42)).unwrap();
        assert_eq!(small, "42");
        let mut s = f.string();
        assert!(s.try_push_str(&"y".repeat(100)).is_err());
        assert!(s.is_empty(), "a failed push changes nothing");
    });
}

#[test]
fn indices_off_a_character_boundary_panic_with_what_went_wrong() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let mut s = FrameString::from_str_in("a€b", &f);
        for (i, what) in [(2, "insertion index"), (6, "insertion index")] {
            let r = catch_unwind(AssertUnwindSafe(|| s.insert(i, 'x')));
            let msg = r.unwrap_err().downcast::<String>().unwrap();
            assert!(
                msg.contains(what) && msg.contains("not a character boundary"),
                "{msg}"
            );
        }
        assert!(catch_unwind(AssertUnwindSafe(|| s.truncate(2))).is_err());
        assert!(catch_unwind(AssertUnwindSafe(|| {
            s.remove(5);
        }))
        .is_err());
        assert_eq!(s, "a€b");
    });
}

#[test]
fn a_panicking_retain_predicate_leaves_valid_text() {
    let mut arena = FrameArena::new();
    arena.frame(|f| {
        let mut s = FrameString::from_str_in("aébc€d", &f);
        let mut seen = 0;
        let r = catch_unwind(AssertUnwindSafe(|| {
            s.retain(|c| {
                seen += 1;
                assert!(seen < 4, "predicate bomb");
                c != 'é'
            })
        }));
        assert!(r.is_err());
        // 'a' kept, 'é' dropped, 'b' kept; the predicate panicked on 'c', which stays.
        assert_eq!(s, "abc€d");
        assert!(std::str::from_utf8(s.as_bytes()).is_ok());
    });
}

#[test]
fn strings_compare_hash_and_freeze_like_strings() {
    let mut arena = FrameArena::with_config(ArenaConfig::new().guards(false));
    arena.frame(|f| {
        let s = frame_format!(in &f, "{}{}", "ab", "c");
        assert_eq!(s, "abc");
        assert_eq!("abc", s);
        assert_eq!(s, String::from("abc"));
        assert_eq!(String::from("abc"), s);
        assert!(s < frame_format!(in &f, "abd"));
        let hash = |x: &dyn Fn(&mut DefaultHasher)| {
            let mut h = DefaultHasher::new();
            x(&mut h);
            h.finish()
        };
        assert_eq!(hash(&|h| s.hash(h)), hash(&|h| "abc".hash(h)));
        assert_eq!(format!("{s} {s:?} {:>5}", s), "abc \"abc\"   abc");
        let mut t = s.clone();
        t.extend(['d', 'é']);
        t.extend(["!", "?"]);
        assert_eq!(t, "abcdé!?");
        assert_eq!(t.into_bytes().len(), 8);
        // Freezing gives spare capacity back when the string is the newest block.
        let before = f.stats().bytes_used;
        let mut u = FrameString::with_capacity_in(100, &f);
        u.push_str("tiny");
        let frozen = u.into_str();
        assert_eq!((frozen.len(), f.stats().bytes_used - before), (4, 4));
    });
}
