//! Bevy integration (feature `bevy`): frame memory for every app update and every system run,
//! per-system memory figures, and [`FrameHandle`]s that cross systems.
//!
//! Built on framealloc's public API and `bevy_ecs` + `bevy_app` 0.20 (re-exported here as
//! [`ecs`] and [`app`]), with their default features off: no rendering, no windowing. Bevy's
//! derives (`#[derive(Component)]`, `Resource`, `Message`) name the `bevy_ecs` crate, so an app
//! that uses them depends on `bevy_ecs` 0.20 (or `bevy` 0.20) itself. The feature needs rustc
//! 1.95, Bevy's minimum; the rest of framealloc does not.
//!
//! # The pieces
//!
//! - [`FrameAllocPlugin`] owns a [`SmartAlloc`] (any configuration: budgets, tags, chunk
//!   source). On every app update it begins the allocator's frame before the app's first
//!   schedule runs ([`FrameBegin`], before `First`, and before `PreStartup` on the first
//!   update) and ends it after the last ([`FrameEnd`], after `Last`). The open frame is the
//!   resource [`UpdateFrame`]; the figures of the last ended update are in [`MemoryStats`].
//! - [`Scratch`], a system parameter:
//!   - [`Scratch::frame`] runs a closure with a frame of the system's own scratch arena, with
//!     the whole [`Frame`] API (scopes, vectors, strings, boxes); everything it allocated is
//!     released when the closure returns, so the memory lives within the system run;
//!   - [`Scratch::update`] is the allocator's frame, for data that must outlive the system run
//!     but not the app update: pass it to later systems as a [`FrameHandle`]
//!     ([`SmartFrame::handle`]) in a component, resource or event;
//!   - [`Scratch::tagged`] attributes update-frame allocations to the system's name.
//! - [`MemoryStats`], after every update: each system's scratch peak, high water and held
//!   bytes, its tagged update-frame bytes, and the allocator's [`FrameStats`].
//!
//! # Why frame memory cannot escape
//!
//! Bevy keeps only `'static` data in a `Local`, a resource, a component or an event. Scratch
//! memory is typed with the closure's own lifetime and update-frame memory with the borrow of
//! the [`UpdateFrame`] resource, so neither can be stored in any of them: the compiler rejects
//! it (the compile-fail cases in `ui-tests/cases/bevy` show the messages). What crosses
//! systems is a [`FrameHandle`], which has no lifetime and is checked on every access: in a
//! later update it is stale, and [`FrameHandle::try_get`] gives `None`, never reused memory.
//!
//! # Threads, and why scratch memory is per system
//!
//! Bevy runs systems on its task pool's threads. The update frame lives in the allocator's
//! per-thread arenas: each thread's arena is made on first use and reset when that thread
//! next uses the allocator after an update ended (the original framealloc's plugin never
//! reset worker arenas). Memory stays flat over updates: the tests check it over many
//! updates with the multi-threaded executor.
//!
//! Scratch memory is not a frame of the thread's arena but of an arena the system owns
//! (Bevy hands a system's state to one run at a time). A thread frame would fence the
//! thread's arena for the length of the closure, and a thread waiting inside it for a
//! parallel query runs other tasks meanwhile, other systems' included: their scratch frames
//! and update-frame allocations would meet the fence. Per-system arenas cost memory per
//! system (each keeps the chunks its largest run needed, shown as held bytes in
//! [`MemoryStats`]) and nothing else.
//!
//! # Example
//!
//! ```
//! use framealloc::bevy::app::App;
//! use framealloc::bevy::ecs::prelude::*;
//! use framealloc::bevy::{FrameAllocPlugin, MemoryStats, Scratch};
//! use framealloc::FrameHandle;
//!
//! #[derive(Resource, Default)]
//! struct Nearest(Option<FrameHandle<[u32; 16]>>);
//!
//! fn find(mut scratch: Scratch, mut nearest: ResMut<Nearest>) {
//!     // Scratch memory: released when the closure returns.
//!     let best = scratch.frame(|f| {
//!         let distances = f.alloc_slice_fill_with(1000, |i| (i as u32 * 7919) % 1000);
//!         distances.sort_unstable();
//!         let mut best = [0; 16];
//!         best.copy_from_slice(&distances[..16]);
//!         best
//!     });
//!     // Update memory: read by a later system in this update, through a handle.
//!     nearest.0 = Some(scratch.update().handle(best));
//! }
//!
//! fn read(scratch: Scratch, nearest: Res<Nearest>) {
//!     let best = nearest.0.as_ref().and_then(|h| h.try_get(scratch.update()));
//!     assert_eq!(best.map(|b| b[15]), Some(15));
//! }
//!
//! let mut app = App::new();
//! app.add_plugins(FrameAllocPlugin::new())
//!     .init_resource::<Nearest>()
//!     .add_systems(framealloc::bevy::app::Update, (find, read).chain());
//! app.update();
//! app.update();
//! let stats = app.world().resource::<MemoryStats>();
//! let find = stats.system("find").expect("a Scratch system has a row");
//! assert!(find.scratch_peak >= 4000);
//! println!("{stats}");
//! ```

use core::fmt;
use core::ops::Deref;
use core::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::boxed::Box;
use std::string::String;
use std::sync::{Arc, Mutex};
use std::vec::Vec;

pub use bevy_app as app;
pub use bevy_ecs as ecs;

use bevy_app::{App, First, Last, MainScheduleOrder, Plugin, PreStartup};
use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{ScheduleLabel, SingleThreadedExecutor};
use bevy_ecs::system::{SystemName, SystemParam};

use crate::sync::lock;
use crate::{
    AllocConfig, ArenaConfig, Frame, FrameArena, FrameStats, SmartAlloc, SmartFrame, TagStats,
};

#[cfg(doc)]
use crate::FrameHandle;

/// Adds frame memory to a Bevy app: see the [module docs](self).
///
/// ```
/// use framealloc::bevy::{app::App, FrameAllocPlugin};
/// use framealloc::{AllocConfig, SmartAlloc, TagBudget};
///
/// let alloc = SmartAlloc::with_config(
///     AllocConfig::new().frame_budget(Some(64 << 20)).tag_budget("ai", TagBudget::soft(1 << 20)),
/// );
/// let mut app = App::new();
/// app.add_plugins(FrameAllocPlugin::with_allocator(alloc.clone()));
/// app.update();
/// assert_eq!(alloc.frame_number(), 1); // one update, one frame
/// ```
#[derive(Clone)]
pub struct FrameAllocPlugin {
    alloc: SmartAlloc,
    scratch: fn() -> ArenaConfig,
}

impl FrameAllocPlugin {
    /// A plugin with a new allocator of the default configuration.
    pub fn new() -> Self {
        Self::with_allocator(SmartAlloc::new())
    }

    /// A plugin with a new allocator of `config` (budgets, tag budgets, chunk source...).
    pub fn with_config(config: AllocConfig) -> Self {
        Self::with_allocator(SmartAlloc::with_config(config))
    }

    /// A plugin over `alloc`: keep a clone to read its statistics outside the app. The
    /// plugin begins and ends the allocator's frames, so nothing else should.
    pub fn with_allocator(alloc: SmartAlloc) -> Self {
        FrameAllocPlugin {
            alloc,
            scratch: ArenaConfig::new,
        }
    }

    /// The configuration of each system's scratch arena (made on the system's first
    /// [`Scratch::frame`]); [`ArenaConfig::new`] by default.
    ///
    /// ```
    /// use framealloc::bevy::FrameAllocPlugin;
    /// use framealloc::ArenaConfig;
    ///
    /// let plugin = FrameAllocPlugin::new()
    ///     .scratch_config(|| ArenaConfig::new().first_chunk_size(1 << 20).budget(Some(8 << 20)));
    /// ```
    pub fn scratch_config(mut self, config: fn() -> ArenaConfig) -> Self {
        self.scratch = config;
        self
    }
}

impl Default for FrameAllocPlugin {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for FrameAllocPlugin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FrameAllocPlugin")
            .field("frame_number", &self.alloc.frame_number())
            .finish_non_exhaustive()
    }
}

/// The schedule that begins the allocator's frame: before `First` on every update, and before
/// `PreStartup` on the first. It runs one exclusive system on the calling thread.
#[derive(ScheduleLabel, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FrameBegin;

/// The schedule that ends the allocator's frame, after `Last`, and records [`MemoryStats`].
#[derive(ScheduleLabel, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FrameEnd;

impl Plugin for FrameAllocPlugin {
    fn build(&self, app: &mut App) {
        app.insert_resource(FrameAllocator(self.alloc.clone()))
            .insert_resource(ScratchRegistry {
                rows: Mutex::new(Vec::new()),
                config: self.scratch,
            })
            .init_resource::<MemoryStats>();
        for label in [FrameBegin.intern(), FrameEnd.intern()] {
            let mut schedule = Schedule::new(label);
            schedule.set_executor(SingleThreadedExecutor::new());
            app.add_schedule(schedule);
        }
        app.add_systems(FrameBegin, begin_update)
            .add_systems(FrameEnd, end_update);
        let mut order = app.world_mut().resource_mut::<MainScheduleOrder>();
        order.insert_startup_before(PreStartup, FrameBegin);
        order.insert_before(First, FrameBegin);
        order.insert_after(Last, FrameEnd);
    }
}

/// The plugin's allocator, as a resource: a [`SmartAlloc`] by `Deref`.
#[derive(Resource, Clone)]
pub struct FrameAllocator(SmartAlloc);

impl Deref for FrameAllocator {
    type Target = SmartAlloc;

    fn deref(&self) -> &SmartAlloc {
        &self.0
    }
}

impl fmt::Debug for FrameAllocator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("FrameAllocator").finish_non_exhaustive()
    }
}

/// The allocator's frame of the running app update, as a resource: a [`SmartFrame`] by
/// `Deref`. It exists from [`FrameBegin`] to [`FrameEnd`], i.e. for every system of the
/// update.
///
/// Its allocations borrow the resource, so they cannot be kept past the system run; hand
/// data to later systems as a [`FrameHandle`] ([`SmartFrame::handle`]).
#[derive(Resource, Debug)]
pub struct UpdateFrame(SmartFrame<'static>);

impl Deref for UpdateFrame {
    type Target = SmartFrame<'static>;

    fn deref(&self) -> &SmartFrame<'static> {
        &self.0
    }
}

fn begin_update(world: &mut World) {
    if world.contains_resource::<UpdateFrame>() {
        // The startup schedules began it on the first update.
        return;
    }
    let frame = match world.resource::<FrameAllocator>().try_begin_frame_owned() {
        Some(frame) => frame,
        None => panic!(
            "FrameAllocPlugin: the allocator already has an open frame at the start of an app \
             update; the plugin begins and ends its allocator's frames, so do not call \
             begin_frame on it yourself"
        ),
    };
    world.insert_resource(UpdateFrame(frame));
}

fn end_update(world: &mut World) {
    if let Some(UpdateFrame(frame)) = world.remove_resource::<UpdateFrame>() {
        drop(frame);
        world.resource_scope(|world, mut stats: Mut<MemoryStats>| {
            // Into the same buffers every update: no allocation once they are large enough.
            let stats = &mut *stats;
            stats.ended = world
                .resource::<FrameAllocator>()
                .frame_stats_into(&mut stats.last);
            let frame = stats.ended.then_some(&stats.last);
            collect_rows(
                world.resource::<ScratchRegistry>(),
                frame,
                &mut stats.systems,
            );
        });
    }
}

/// The figures of the last app update: each [`Scratch`] system's scratch memory, and the
/// allocator's [`FrameStats`] of the update (whose tags are the systems' update-frame memory,
/// from [`Scratch::tagged`]). `Display` prints the per-system table.
///
/// ```
/// use framealloc::bevy::{app::{App, Update}, FrameAllocPlugin, MemoryStats, Scratch};
///
/// fn work(mut scratch: Scratch) {
///     scratch.frame(|f| f.alloc_slice_fill_copy(256, 0u64).len());
/// }
/// let mut app = App::new();
/// app.add_plugins(FrameAllocPlugin::new()).add_systems(Update, work);
/// app.update();
/// let stats = app.world().resource::<MemoryStats>();
/// let work = stats.system("work").unwrap();
/// // 2,048 bytes, and a canary's when debug guards are on (they are in debug builds).
/// assert!(work.scratch_peak >= 2048);
/// assert_eq!((work.runs, stats.frame().map(|f| f.frame)), (1, Some(0)));
/// println!("{stats}");
/// ```
#[derive(Resource, Default, Debug)]
pub struct MemoryStats {
    last: FrameStats,
    ended: bool,
    systems: Vec<SystemMemory>,
}

/// One system's memory in one app update (see [`MemoryStats::system`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SystemMemory {
    /// The system's name (`crate::module::system`).
    pub system: &'static str,
    /// [`Scratch::frame`] calls in the update (a system in a fixed-step schedule may run
    /// several times per update, or not at all).
    pub runs: u64,
    /// The most scratch bytes in use at once in any of those calls (alignment padding and
    /// debug canaries included; memory a scope released counts at its peak).
    pub scratch_peak: usize,
    /// The largest `scratch_peak` of any update so far.
    pub scratch_high_water: usize,
    /// Bytes of chunks the system's scratch arena holds for its next run.
    pub scratch_capacity: usize,
    /// Update-frame bytes allocated under the system's tag ([`Scratch::tagged`]) in the update.
    pub update_bytes: usize,
}

impl MemoryStats {
    /// The allocator's statistics of the last ended update (`None` before the first ends).
    pub fn frame(&self) -> Option<&FrameStats> {
        self.ended.then_some(&self.last)
    }

    /// Every [`Scratch`] system's figures in the last update, in the order they first ran.
    pub fn systems(&self) -> &[SystemMemory] {
        &self.systems
    }

    /// The figures of the system whose name is `name` or ends with `::name` (so `"find"`
    /// finds `my_game::ai::find`).
    pub fn system(&self, name: &str) -> Option<&SystemMemory> {
        self.systems.iter().find(|s| name_matches(s.system, name))
    }

    /// The update-frame figures of a system's tag (see [`Scratch::tagged`]).
    pub fn system_tag(&self, name: &str) -> Option<&TagStats> {
        self.frame()?
            .tags
            .iter()
            .find(|t| name_matches(t.tag, name))
    }
}

fn name_matches(full: &str, name: &str) -> bool {
    full == name
        || full
            .strip_suffix(name)
            .is_some_and(|head| head.ends_with("::"))
}

impl fmt::Display for MemoryStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(frame) = self.frame() else {
            return f.write_str("no app update has ended yet");
        };
        let width = self
            .systems
            .iter()
            .map(|s| short_name(s.system).len())
            .max()
            .unwrap_or(0)
            .max("system".len());
        writeln!(
            f,
            "update {}: update frame {} bytes (peak {}) on {} threads",
            frame.frame,
            frame.bytes,
            frame.peak_bytes,
            frame.threads.len()
        )?;
        writeln!(
            f,
            "{:<width$}  {:>4}  {:>12}  {:>12}  {:>12}  {:>12}",
            "system", "runs", "scratch peak", "high water", "held", "update bytes"
        )?;
        for s in &self.systems {
            writeln!(
                f,
                "{:<width$}  {:>4}  {:>12}  {:>12}  {:>12}  {:>12}",
                short_name(s.system),
                s.runs,
                s.scratch_peak,
                s.scratch_high_water,
                s.scratch_capacity,
                s.update_bytes
            )?;
        }
        Ok(())
    }
}

/// `crate::module::system` without the crate path, for the table.
fn short_name(tag: &str) -> &str {
    let last = tag.rfind("::").map_or(0, |i| i + 2);
    match tag[..last.saturating_sub(2)].rfind("::") {
        Some(i) => &tag[i + 2..],
        None => tag,
    }
}

/// What a system's [`Scratch`] publishes after each call, for the end of the update to read.
#[derive(Default)]
struct SystemRow {
    system: &'static str,
    runs: AtomicU64,
    peak: AtomicUsize,
    high_water: AtomicUsize,
    capacity: AtomicUsize,
}

/// The plugin's registry of [`Scratch`] systems and their scratch arenas' settings.
#[derive(Resource)]
pub struct ScratchRegistry {
    rows: Mutex<Vec<Arc<SystemRow>>>,
    config: fn() -> ArenaConfig,
}

impl fmt::Debug for ScratchRegistry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScratchRegistry").finish_non_exhaustive()
    }
}

/// A system's scratch arena and its row in the registry: [`Scratch`]'s state, kept across the
/// system's runs. Both are made on the first call, from the plugin's settings (the registry
/// may not exist yet when a system is initialized).
#[derive(Default)]
pub struct ScratchState {
    arena: Option<FrameArena>,
    row: Option<Arc<SystemRow>>,
}

/// A system's frame memory: a scratch arena of its own for the system run, and the app
/// update's frame. See the [module docs](self).
///
/// Needs the [`FrameAllocPlugin`]; without it the system fails validation with Bevy's
/// message `` Parameter `Scratch::frame_alloc_plugin` failed validation: Resource does not
/// exist ``.
#[derive(SystemParam)]
pub struct Scratch<'w, 's> {
    // Named for the message Bevy prints when the resource is missing.
    frame_alloc_plugin: Res<'w, ScratchRegistry>,
    alloc: Res<'w, FrameAllocator>,
    update: Res<'w, UpdateFrame>,
    name: SystemName,
    state: Local<'s, ScratchState>,
}

impl Scratch<'_, '_> {
    /// The system's row and arena, made on the first call.
    fn parts(&mut self) -> (&mut FrameArena, &SystemRow) {
        let state = &mut *self.state;
        let row = state.row.get_or_insert_with(|| {
            // Once per system: its name made `'static` (a few bytes, kept for the life of
            // the app) and its row registered.
            let system: &'static str = Box::leak(String::from(self.name.as_str()).into());
            let row = Arc::new(SystemRow {
                system,
                ..SystemRow::default()
            });
            lock(&self.frame_alloc_plugin.rows).push(Arc::clone(&row));
            row
        });
        let arena = state
            .arena
            .get_or_insert_with(|| FrameArena::with_config((self.frame_alloc_plugin.config)()));
        (arena, row)
    }

    /// Runs `body` with a frame of the system's own scratch arena: a full [`Frame`] (scopes,
    /// vectors, strings, boxes, handles), whose memory is released when `body` returns and
    /// whose allocations cannot leave `body`. The arena keeps its chunks for the next run,
    /// so after warm-up a run makes no system allocation.
    ///
    /// Each system has its own arena, used by one run at a time (Bevy gives a system's state
    /// to one run), so scratch frames never interfere: not when Bevy runs another system on
    /// this thread while `body` waits for a parallel query, and not with the
    /// [`update`](Self::update) frame, which can be allocated from inside `body`.
    ///
    /// ```
    /// use framealloc::bevy::{app::{App, Update}, FrameAllocPlugin, Scratch};
    ///
    /// fn sort_draws(mut scratch: Scratch) {
    ///     let drawn = scratch.frame(|mut f| {
    ///         let order = f.alloc_slice_fill_with(100, |i| 99 - i as u32);
    ///         order.sort_unstable();
    ///         // A scope: its memory is released at its end, the frame's stays.
    ///         f.scope(|g| {
    ///             let mut visible = g.vec::<u32>();
    ///             visible.extend(order.iter().filter(|&&i| i % 2 == 0));
    ///             visible.len()
    ///         })
    ///     });
    ///     assert_eq!(drawn, 50);
    /// }
    /// let mut app = App::new();
    /// app.add_plugins(FrameAllocPlugin::new()).add_systems(Update, sort_draws);
    /// app.update();
    /// ```
    pub fn frame<'env, R>(&mut self, body: impl for<'f> FnOnce(Frame<'f, 'env>) -> R) -> R {
        let (arena, row) = self.parts();
        let r = arena.frame(body);
        let peak = arena.take_peak();
        row.runs.fetch_add(1, Ordering::Relaxed);
        row.peak.fetch_max(peak, Ordering::Relaxed);
        row.high_water.fetch_max(peak, Ordering::Relaxed);
        row.capacity
            .store(arena.stats().capacity, Ordering::Relaxed);
        r
    }

    /// Runs `body` with the system's name as the calling thread's tag in the allocator, so
    /// that what it allocates from the [`update`](Self::update) frame (and from pools) is
    /// counted for the system ([`SystemMemory::update_bytes`], [`MemoryStats::system_tag`]).
    ///
    /// ```
    /// use framealloc::bevy::{app::{App, Update}, FrameAllocPlugin, MemoryStats, Scratch};
    ///
    /// fn spawn_paths(mut scratch: Scratch) {
    ///     let n = scratch.tagged(|update| update.frame_slice(64, 0u32).len());
    ///     assert_eq!(n, 64);
    /// }
    /// let mut app = App::new();
    /// app.add_plugins(FrameAllocPlugin::new()).add_systems(Update, spawn_paths);
    /// app.update();
    /// let stats = app.world().resource::<MemoryStats>();
    /// assert!(stats.system("spawn_paths").is_some_and(|s| s.update_bytes >= 256));
    /// ```
    pub fn tagged<R>(&mut self, body: impl FnOnce(&SmartFrame<'static>) -> R) -> R {
        let (_, row) = self.parts();
        let tag = row.system;
        let update = &**self.update;
        self.alloc.with_tag(tag, || body(update))
    }

    /// The app update's frame: allocations from it live until this system run ends (they
    /// borrow `self`), and values moved in with [`SmartFrame::handle`] are readable by later
    /// systems of the same update. Not tagged: see [`tagged`](Self::tagged).
    pub fn update(&self) -> &SmartFrame<'static> {
        &self.update
    }

    /// The plugin's allocator (pools, statistics, tags).
    pub fn allocator(&self) -> &SmartAlloc {
        &self.alloc
    }

    /// The running system's name.
    pub fn system_name(&self) -> &str {
        self.name.as_str()
    }
}

impl fmt::Debug for Scratch<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scratch")
            .field("system", &self.name.as_str())
            .field("update", &self.update.frame_number())
            .finish()
    }
}

/// Copies each system's row into `out` (reusing its buffer) and clears the per-update figures.
fn collect_rows(
    registry: &ScratchRegistry,
    frame: Option<&FrameStats>,
    out: &mut Vec<SystemMemory>,
) {
    let rows = lock(&registry.rows);
    out.resize(rows.len(), SystemMemory::default());
    for (row, slot) in rows.iter().zip(out.iter_mut()) {
        *slot = SystemMemory {
            system: row.system,
            runs: row.runs.swap(0, Ordering::Relaxed),
            scratch_peak: row.peak.swap(0, Ordering::Relaxed),
            scratch_high_water: row.high_water.load(Ordering::Relaxed),
            scratch_capacity: row.capacity.load(Ordering::Relaxed),
            update_bytes: frame
                .and_then(|f| f.tags.iter().find(|t| t.tag == row.system))
                .map_or(0, |t| t.bytes),
        };
    }
}
