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
//!   - [`Scratch::frame`] runs a closure as a frame of the thread the system runs on, with
//!     the whole [`Frame`] API (scopes, vectors, strings, boxes); everything it allocated is
//!     released when the closure returns, so the memory lives within the system run;
//!   - [`Scratch::update`] is the allocator's frame, for data that must outlive the system run
//!     but not the app update: pass it to later systems as a [`FrameHandle`]
//!     ([`SmartFrame::handle`]) in a component, resource or event;
//!   - both are tagged with the system's name, so [`MemoryStats`] (a [`FrameStats`]) has bytes
//!     per system per update, and its high water over updates.
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
//! # Threads
//!
//! Bevy runs systems on its task pool's threads. Each thread has its own arena in the
//! allocator, made on first use and reset when that thread next uses the allocator after an
//! update ended (the original framealloc's plugin never reset worker arenas). Memory stays
//! flat over updates: the plugin's own tests check it over many updates with the
//! multi-threaded executor.
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
//! let find = stats.system("find").expect("the system's tag");
//! assert!(find.bytes >= 4000);
//! println!("{stats}");
//! ```

use core::fmt;
use core::ops::Deref;
use std::boxed::Box;
use std::string::String;

pub use bevy_app as app;
pub use bevy_ecs as ecs;

use bevy_app::{App, First, Last, MainScheduleOrder, Plugin, PreStartup};
use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{ScheduleLabel, SingleThreadedExecutor};
use bevy_ecs::system::{SystemName, SystemParam};

use crate::{AllocConfig, Frame, FrameStats, SmartAlloc, SmartFrame, TagStats};

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
        FrameAllocPlugin { alloc }
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
        });
    }
}

/// The figures of the last app update, by system (a system's allocations through [`Scratch`]
/// carry its name as a tag). `Display` prints the per-system table.
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
/// // 2,048 bytes, and a canary's when debug guards are on (they are in debug builds).
/// assert!(stats.system("work").is_some_and(|s| s.bytes >= 2048));
/// assert_eq!(stats.frame().map(|f| f.frame), Some(0));
/// ```
#[derive(Resource, Default, Debug)]
pub struct MemoryStats {
    last: FrameStats,
    ended: bool,
}

impl MemoryStats {
    /// The allocator's statistics of the last ended update (`None` before the first ends).
    pub fn frame(&self) -> Option<&FrameStats> {
        self.ended.then_some(&self.last)
    }

    /// Each system's figures in the last update: the tags of the allocator's frame.
    pub fn systems(&self) -> impl Iterator<Item = &TagStats> {
        self.frame().into_iter().flat_map(|f| f.tags.iter())
    }

    /// The figures of the system whose name is `name` or ends with `::name` (so `"find"`
    /// finds `my_game::ai::find`).
    pub fn system(&self, name: &str) -> Option<&TagStats> {
        self.systems().find(|t| {
            t.tag == name
                || t.tag
                    .strip_suffix(name)
                    .is_some_and(|head| head.ends_with("::"))
        })
    }
}

impl fmt::Display for MemoryStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(frame) = self.frame() else {
            return f.write_str("no app update has ended yet");
        };
        let width = frame
            .tags
            .iter()
            .map(|t| short_name(t.tag).len())
            .max()
            .unwrap_or(0)
            .max("system".len());
        writeln!(
            f,
            "update {}: {} frame bytes, peak {} bytes, {} threads",
            frame.frame,
            frame.bytes,
            frame.peak_bytes,
            frame.threads.len()
        )?;
        writeln!(
            f,
            "{:<width$}  {:>12}  {:>12}  {:>11}",
            "system", "bytes", "high water", "allocations"
        )?;
        for t in &frame.tags {
            let allocations = match t.allocations {
                Some(n) => n.to_string(),
                None => "-".into(),
            };
            writeln!(
                f,
                "{:<width$}  {:>12}  {:>12}  {:>11}",
                short_name(t.tag),
                t.bytes,
                t.high_water,
                allocations
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

/// The system's name, once, as a `'static` tag.
#[derive(Default)]
pub struct SystemTag(Option<&'static str>);

/// A system's frame memory: scratch memory for the system run on the thread it runs on, and
/// the app update's frame, both tagged with the system's name. See the [module docs](self).
///
/// Needs the [`FrameAllocPlugin`]; without it the system fails validation with Bevy's
/// message `` Parameter `Scratch::frame_alloc_plugin` failed validation: Resource does not
/// exist ``.
#[derive(SystemParam)]
pub struct Scratch<'w, 's> {
    // Named for the message Bevy prints when the resource is missing.
    frame_alloc_plugin: Res<'w, FrameAllocator>,
    update: Res<'w, UpdateFrame>,
    name: SystemName,
    tag: Local<'s, SystemTag>,
}

impl Scratch<'_, '_> {
    /// The system's name as a tag: made `'static` once per system (a few bytes, kept for the
    /// life of the app), then read.
    fn tag(&mut self) -> &'static str {
        match self.tag.0 {
            Some(tag) => tag,
            None => {
                let tag: &'static str = Box::leak(String::from(self.name.as_str()).into());
                self.tag.0 = Some(tag);
                tag
            }
        }
    }

    /// Runs `body` with a frame of the calling thread's arena, tagged with the system's name:
    /// a full [`Frame`] (scopes, vectors, strings, boxes), whose memory is released when
    /// `body` returns, and whose allocations cannot leave `body`.
    ///
    /// # Panics
    ///
    /// Inside another `Scratch::frame` of the same thread (open a scope with `f.scope`
    /// instead). Allocating from [`update`](Self::update) inside `body` panics too: the
    /// thread's arena is fenced while its scratch frame is open. Allocate update memory before
    /// or after `body`.
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
    #[track_caller]
    pub fn frame<'env, R>(&mut self, body: impl for<'f> FnOnce(Frame<'f, 'env>) -> R) -> R {
        let tag = self.tag();
        let alloc = &**self.frame_alloc_plugin;
        alloc.with_tag(tag, || alloc.frame(body))
    }

    /// Runs `body` with the system's tag on the calling thread, so that what it allocates from
    /// the [`update`](Self::update) frame (and from pools) counts for the system.
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
    /// assert!(stats.system("spawn_paths").is_some_and(|s| s.bytes >= 256));
    /// ```
    pub fn tagged<R>(&mut self, body: impl FnOnce(&SmartFrame<'static>) -> R) -> R {
        let tag = self.tag();
        let update = &**self.update;
        self.frame_alloc_plugin.with_tag(tag, || body(update))
    }

    /// The app update's frame: allocations from it live until this system run ends (they
    /// borrow `self`), and values moved in with [`SmartFrame::handle`] are readable by later
    /// systems of the same update. Not tagged: see [`tagged`](Self::tagged).
    pub fn update(&self) -> &SmartFrame<'static> {
        &self.update
    }

    /// The plugin's allocator (pools, statistics, tags).
    pub fn allocator(&self) -> &SmartAlloc {
        &self.frame_alloc_plugin
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
