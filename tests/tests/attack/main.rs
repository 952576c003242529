//! The adversarial suite: the public API attacked the way a hostile or careless user would,
//! one module per attack class. Every test here either proves that an attack is refused
//! (a clean error or panic) or that it leaves memory and values intact: no double drop, no
//! leak, no use of freed or rewound memory. Run natively and under Miri with both Stacked
//! and Tree Borrows (see `.ci/run`), where a hole shows as undefined behaviour or a leak.
//!
//! Compile-time attacks (escapes, unsound coercions) are trybuild cases in `ui-tests`.

mod api2;
mod bad_input;
mod flight;
mod forget;
mod handles;
mod macros;
mod panics;
mod reentrancy;
mod threads;
mod zst_align;

use std::cell::RefCell;
use std::rc::Rc;

/// Records which values were dropped and refuses a second drop of the same value, so a
/// double drop fails the test natively too (not only under Miri).
#[derive(Clone, Default)]
pub struct Ledger(Rc<RefCell<Vec<u32>>>);

impl Ledger {
    pub fn new() -> Self {
        Self::default()
    }

    /// A value that reports its drop to this ledger.
    pub fn track(&self, id: u32) -> Tracked {
        Tracked {
            id,
            ledger: self.clone(),
        }
    }

    /// The ids dropped so far, sorted.
    pub fn dropped(&self) -> Vec<u32> {
        let mut ids = self.0.borrow().clone();
        ids.sort_unstable();
        ids
    }

    pub fn count(&self) -> usize {
        self.0.borrow().len()
    }
}

/// A value whose drop the ledger records; `Tracked::panicking` values panic when dropped.
pub struct Tracked {
    pub id: u32,
    ledger: Ledger,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        let mut dropped = self.ledger.0.borrow_mut();
        assert!(
            !dropped.contains(&self.id),
            "value {} dropped twice",
            self.id
        );
        dropped.push(self.id);
        let panics = self.id >= PANIC_IDS;
        drop(dropped);
        if panics {
            panic!("value {} panics in drop", self.id);
        }
    }
}

/// Ids from here on panic in `Drop` (after being recorded).
pub const PANIC_IDS: u32 = 1_000_000;

/// Runs `f`, expecting it to panic; returns the panic message.
pub fn expect_panic(f: impl FnOnce()) -> String {
    let payload = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .expect_err("the attack was expected to panic");
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        String::from("<non-string panic>")
    }
}

/// Iterations for loops that Miri would make slow.
pub const fn scaled(native: usize, miri: usize) -> usize {
    if cfg!(miri) {
        miri
    } else {
        native
    }
}
