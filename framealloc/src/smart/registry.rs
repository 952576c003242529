//! How a thread finds its state of an allocator: a thread-local list of (allocator, state)
//! entries with a one-entry cache in front, and what happens to the states when the thread
//! exits and its thread-locals are destroyed.

use core::cell::{Cell, RefCell};
use core::ptr;
use core::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use std::vec::Vec;

use super::thread::ThreadState;
use super::Shared;
use crate::sync::lock;

/// The thread's states, one per allocator it has used.
struct Entries(RefCell<Vec<Entry>>);

struct Entry {
    id: u64,
    shared: Weak<Shared>,
    state: Arc<ThreadState>,
}

/// The thread is exiting: its thread-locals are being destroyed.
///
/// Thread-locals are destroyed in an order std does not promise (in practice, the reverse
/// of their first use), so another thread-local may be destroyed after this one and still
/// hold a `ThreadHandle` or `LocalFrame` that borrows a state (from a `'static` allocator),
/// and use it in its destructor. Such a state is not let go here: it stays registered with
/// its allocator (whose list of thread states holds it) and is marked `exit_pending`, and the
/// last handle or local frame to be dropped finishes the exit ([`ThreadState::borrow_ended`]).
/// A state nothing borrows is let go now, or at the end of the open frame.
impl Drop for Entries {
    fn drop(&mut self) {
        LAST.set((0, ptr::null()));
        for entry in self.0.get_mut().drain(..) {
            let Some(shared) = entry.shared.upgrade() else {
                continue;
            };
            if entry.state.borrowed() {
                entry.state.defer_exit();
            } else {
                drop(shared.thread_exit(&entry.state));
            }
        }
    }
}

std::thread_local! {
    /// The state last looked up: (allocator id, state). Valid while `ENTRIES` holds it.
    static LAST: Cell<(u64, *const ThreadState)> = const { Cell::new((0, ptr::null())) };
    static ENTRIES: Entries = const { Entries(RefCell::new(Vec::new())) };
}

/// The calling thread's state for `shared` (whose id is `want`), made on first use; `None`
/// while the thread is exiting (its thread-locals are being destroyed).
///
/// # Performance
///
/// One thread-local load and compare when the thread used the same allocator last.
#[inline(always)]
pub(crate) fn current_by_id(want: u64, shared: &Arc<Shared>) -> Option<&ThreadState> {
    debug_assert_eq!(want, shared.id);
    let (id, state) = LAST.get();
    if id == want {
        // SAFETY: `LAST` names a state only while `ENTRIES` holds an `Arc` of it (it is
        // cleared before entries are dropped), and ids are never reused, so a live allocator's
        // id names its live state. The returned borrow ends with this call's caller (a
        // method of the allocator, which runs while the thread runs) unless the caller is a
        // `ThreadHandle` or `LocalFrame`, which count themselves in the state: then the state
        // outlives the registry's destruction too (`Entries`' `Drop` leaves it registered
        // until the last of them is dropped), and the allocator, which they borrow, keeps it
        // in its list of thread states until then.
        return Some(unsafe { &*state });
    }
    current_slow(shared)
}

#[cold]
#[inline(never)]
fn current_slow(shared: &Arc<Shared>) -> Option<&ThreadState> {
    let found = ENTRIES
        .try_with(|entries| {
            let mut entries = entries.0.try_borrow_mut().ok()?;
            entries.retain(|e| e.shared.strong_count() > 0);
            entries
                .iter()
                .find(|e| e.id == shared.id)
                .map(|e| Arc::as_ptr(&e.state))
        })
        .ok()?;
    let state = match found {
        Some(state) => state,
        None => {
            // Made outside the borrow: making an arena calls the user's chunk-source factory.
            let state = Arc::new(ThreadState::new(shared));
            lock(&shared.threads).push(Arc::clone(&state));
            let ptr = Arc::as_ptr(&state);
            let pushed = ENTRIES.try_with(|entries| match entries.0.try_borrow_mut() {
                Ok(mut e) => {
                    e.push(Entry {
                        id: shared.id,
                        shared: Arc::downgrade(shared),
                        state: Arc::clone(&state),
                    });
                    true
                }
                Err(_) => false,
            });
            if pushed != Ok(true) {
                // The thread is exiting: the registry lets the state go at the next frame end.
                state.exited.store(true, Ordering::Release);
                return None;
            }
            ptr
        }
    };
    LAST.set((shared.id, state));
    // SAFETY: `ENTRIES` holds an `Arc` of the state (found or just pushed), as for `current`.
    Some(unsafe { &*state })
}
