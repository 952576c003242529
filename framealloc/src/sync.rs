//! Locking helpers, and the synchronization primitives of the pools' shared free lists:
//! `std`'s, or loom's when the crate is built with `--cfg loom` to model-check the lists.

#[cfg(loom)]
pub(crate) use loom::sync::{
    atomic::{AtomicUsize, Ordering},
    Mutex as ModelMutex,
};
#[cfg(not(loom))]
pub(crate) use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Mutex as ModelMutex,
};

/// Locks `m`, ignoring poisoning: the data behind every lock of this crate is kept
/// consistent across panics (each update is a single push, pop or store).
pub(crate) fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// [`lock`] for the model-checked free lists.
pub(crate) fn lock_model<T>(m: &ModelMutex<T>) -> impl core::ops::DerefMut<Target = T> + '_ {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
