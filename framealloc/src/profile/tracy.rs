//! The profiler's events in Tracy (<https://github.com/wolfpld/tracy>), through
//! `tracy-client` (the `tracy` feature; its default features off, listening on localhost
//! only).
//!
//! ```no_run
//! use std::sync::Arc;
//!
//! use framealloc::profile::tracy::TracySink;
//! use framealloc::profile::{ProfileConfig, Profiler};
//! use framealloc::{AllocConfig, SmartAlloc};
//!
//! let profiler = Profiler::new(ProfileConfig::new().sink(Arc::new(TracySink::start())));
//! let alloc = SmartAlloc::with_config(AllocConfig::new().profiler(&profiler));
//! // Each `SmartFrame::end` is a frame mark; each thread's frame memory is a named memory
//! // pool, discarded when its frame ends; pool blocks are the pool "framealloc pools".
//! ```

use std::collections::HashMap;
use std::ffi::CString;
use std::sync::Mutex;

use super::EventSink;

/// Sends the profiler's events to a Tracy client started on this process.
///
/// Frame memory is one named memory pool per arena (sampled allocations, one discard per
/// frame end), `SmartAlloc` pool blocks and heap allocations are the pools
/// `"framealloc pools"` and `"framealloc heap"`, frame ends are frame marks, and each
/// thread's bytes per tag are plots.
pub struct TracySink {
    client: tracy_client::Client,
    /// Tracy names a memory pool by the address of its name: one C string per name, kept
    /// for the life of the process.
    pools: Mutex<HashMap<String, &'static std::ffi::CStr>>,
    plots: Mutex<HashMap<String, tracy_client::PlotName>>,
}

impl TracySink {
    /// Starts the Tracy client (if it is not running) and makes a sink for it.
    pub fn start() -> Self {
        TracySink {
            client: tracy_client::Client::start(),
            pools: Mutex::new(HashMap::new()),
            plots: Mutex::new(HashMap::new()),
        }
    }

    fn pool_name(&self, pool: &str) -> &'static std::ffi::CStr {
        let mut pools = self.pools.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(name) = pools.get(pool) {
            return name;
        }
        // An interior NUL cannot come from framealloc's names; a user's tag could have one.
        let name = CString::new(pool.replace('\0', " ")).expect("NULs were replaced");
        let name: &'static std::ffi::CStr = Box::leak(name.into_boxed_c_str());
        pools.insert(pool.to_owned(), name);
        name
    }
}

impl EventSink for TracySink {
    fn frame_mark(&self) {
        self.client.frame_mark();
    }

    fn alloc(&self, pool: &str, address: usize, size: usize) {
        let name = self.pool_name(pool);
        // SAFETY: the client is running (`self.client`), and `name` is a NUL-terminated
        // string that lives for the rest of the process, as Tracy requires of a pool's
        // name. The address is only an identifier to Tracy; it is never dereferenced.
        unsafe {
            tracy_client::sys::___tracy_emit_memory_alloc_named(
                core::ptr::without_provenance(address),
                size,
                name.as_ptr(),
            )
        };
    }

    fn free(&self, pool: &str, address: usize) {
        let name = self.pool_name(pool);
        // SAFETY: as in `alloc`.
        unsafe {
            tracy_client::sys::___tracy_emit_memory_free_named(
                core::ptr::without_provenance(address),
                name.as_ptr(),
            )
        };
    }

    fn discard(&self, pool: &str) {
        let name = self.pool_name(pool);
        // SAFETY: as in `alloc`: a running client and a pool name that lives forever.
        unsafe { tracy_client::sys::___tracy_emit_memory_discard(name.as_ptr()) };
    }

    fn plot(&self, name: &str, value: f64) {
        let plot = {
            let mut plots = self.plots.lock().unwrap_or_else(|e| e.into_inner());
            *plots
                .entry(name.to_owned())
                .or_insert_with(|| tracy_client::PlotName::new_leak(name.to_owned()))
        };
        self.client.plot(plot, value);
    }
}

impl core::fmt::Debug for TracySink {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TracySink").finish_non_exhaustive()
    }
}
