//! The Bevy integration (`--features bevy`): every update is one allocator frame, every worker
//! thread's arena is reset, scratch systems make no system allocation after warm-up, the
//! per-system figures are exact, and handles go stale with their update.

#[path = "support/counting.rs"]
mod counting;

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use framealloc::bevy::app::{App, PostUpdate, TaskPoolOptions, TaskPoolPlugin, Update};
use framealloc::bevy::ecs::prelude::*;
use framealloc::bevy::ecs::schedule::{ScheduleLabel, SingleThreadedExecutor};
use framealloc::bevy::{FrameAllocPlugin, MemoryStats, Scratch, UpdateFrame};
use framealloc::{AllocConfig, ArenaConfig, FrameHandle, SmartAlloc};

/// Allocator settings whose byte counts are exact (debug builds put a canary after each block
/// by default).
fn exact() -> SmartAlloc {
    SmartAlloc::with_config(AllocConfig::new().guards(false).history_len(8))
}

/// One test at a time: the live-bytes figure is the whole process's.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// Bevy's task pools with four compute threads, whatever the machine has.
fn four_threads() -> TaskPoolPlugin {
    TaskPoolPlugin {
        task_pool_options: TaskPoolOptions::with_num_threads(4),
    }
}

/// A spatial grid rebuilt each update in scratch memory: 256 KiB of cells and a scope.
fn rebuild_grid(mut scratch: Scratch) {
    let n = scratch.frame(|mut f| {
        let cells = f.alloc_slice_fill_copy(64 * 1024, 0u32);
        for (i, c) in cells.iter_mut().enumerate() {
            *c = (i as u32).wrapping_mul(2_654_435_761) >> 20;
        }
        let busy = f.scope(|g| {
            let mut busy = g.vec_with_capacity::<u32>(1024);
            busy.extend(cells.iter().copied().filter(|c| c % 7 == 0).take(1024));
            busy.len()
        });
        cells.len() + busy
    });
    // 64 KiB of update memory, in the arena of the thread this run is on.
    let m = scratch.tagged(|update| update.frame_slice(16 * 1024, 1u32).len());
    std::hint::black_box(n + m);
}

#[derive(Component)]
struct Particle(u32);

/// Update memory from every thread a parallel query runs on.
fn fan_out(update: Res<UpdateFrame>, particles: Query<&Particle>) {
    particles.par_iter().for_each(|p| {
        let v = update.frame_slice(16, p.0);
        std::hint::black_box(v);
    });
}

/// Sorted draw lists in a growing scratch vector.
fn sort_draws(mut scratch: Scratch) {
    let first = scratch.frame(|f| {
        let mut draws = f.vec::<u64>();
        for i in 0..20_000u64 {
            draws.push(i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40);
        }
        draws.sort_unstable();
        draws[0]
    });
    std::hint::black_box(first);
}

#[test]
fn many_updates_with_the_multi_threaded_executor_keep_memory_flat() {
    let _serial = serial();
    let alloc = SmartAlloc::with_config(AllocConfig::new().history_len(8));
    let mut app = App::new();
    app.add_plugins((
        four_threads(),
        FrameAllocPlugin::with_allocator(alloc.clone()),
    ))
    // Independent systems: the executor runs them on several threads.
    .add_systems(Update, (rebuild_grid, sort_draws, fan_out))
    .add_systems(PostUpdate, (rebuild_grid, sort_draws, fan_out));
    app.world_mut()
        .spawn_batch((0..10_000u32).map(Particle))
        .for_each(drop);
    const WARM_UP: usize = 50;
    const UPDATES: usize = 400;
    let mut settled = 0;
    let mut highest = 0;
    let mut highest_peak = 0;
    let mut threads_seen = std::collections::BTreeSet::new();
    for update in 0..UPDATES {
        app.update();
        let stats = app.world().resource::<MemoryStats>();
        let frame = stats.frame().expect("an update ended");
        assert_eq!(frame.frame, update as u64);
        for t in &frame.threads {
            threads_seen.insert(t.thread.clone());
            highest_peak = highest_peak.max(t.peak_bytes);
            // Each thread's arena was reset: its memory in one update is at most this
            // update's (two grids' 64 KiB and every particle's 64 bytes), never what earlier
            // updates left.
            assert!(
                t.peak_bytes <= 2 * 65_552 + 2 * 10_000 * 80,
                "update {update}: thread {} held {} bytes",
                t.thread,
                t.peak_bytes
            );
        }
        if update == WARM_UP {
            settled = counting::live_bytes();
        } else if update > WARM_UP {
            highest = highest.max(counting::live_bytes());
        }
    }
    assert_eq!(alloc.frame_number(), UPDATES as u64);
    assert!(
        threads_seen.len() >= 2,
        "the systems ran on {threads_seen:?} only"
    );
    // Which thread runs which system is the executor's choice, so after warm-up a thread may
    // use the allocator for the first time, or run more systems in one update than it had
    // before: its arena then grows to what one update needs, which with chunk growth is at
    // most twice that update's bytes. That much growth per arena is allowed; without resets,
    // 350 updates of about 1.2 MiB each would add hundreds of MiB.
    let arenas = alloc.stats().threads;
    let per_arena = 2 * highest_peak;
    let allowed = (1 << 20) + arenas * per_arena;
    assert!(
        highest <= settled + allowed,
        "live memory grew from {settled} to {highest} bytes after warm-up, more than \
         {allowed} ({arenas} arenas of at most {per_arena} bytes each)"
    );
    println!(
        "{} threads used the allocator ({arenas} arenas); live bytes {settled} after warm-up, \
         at most {highest} after (allowed {allowed})",
        threads_seen.len()
    );
}

/// What the systems below saw of the global allocator, inside their bodies.
static FRAMEALLOC_CALLS: AtomicU64 = AtomicU64::new(0);
static BASELINE_CALLS: AtomicU64 = AtomicU64::new(0);
static COUNTING: AtomicUsize = AtomicUsize::new(0);

/// A handle made by one system and read by a later one in the same update.
#[derive(Resource, Default)]
struct Shared(Option<FrameHandle<[u32; 32]>>);

fn scratch_work(mut scratch: Scratch, mut shared: ResMut<Shared>) {
    let before = counting::allocations();
    let sum = scratch.frame(|mut f| {
        let xs = f.alloc_slice_fill_with(10_000, |i| i as u32);
        let in_scope = f.scope(|g| {
            let mut evens = g.vec::<u32>();
            evens.extend(xs.iter().copied().filter(|x| x % 2 == 0));
            g.alloc_slice_copy(&evens).len()
        });
        let mut name = f.string();
        name.push_str("grid");
        in_scope + name.len()
    });
    let handle = scratch.tagged(|update| update.handle([sum as u32; 32]));
    shared.0 = Some(handle);
    if COUNTING.load(Ordering::Relaxed) == 1 {
        FRAMEALLOC_CALLS.fetch_add(counting::allocations() - before, Ordering::Relaxed);
    }
}

fn read_shared(scratch: Scratch, shared: Res<Shared>) {
    let before = counting::allocations();
    let value = shared.0.as_ref().and_then(|h| h.try_get(scratch.update()));
    assert_eq!(value.map(|v| v[0]), Some(5004));
    if COUNTING.load(Ordering::Relaxed) == 1 {
        FRAMEALLOC_CALLS.fetch_add(counting::allocations() - before, Ordering::Relaxed);
    }
}

fn vec_work() {
    let before = counting::allocations();
    let xs: Vec<u32> = (0..10_000).collect();
    let evens: Vec<u32> = xs.iter().copied().filter(|x| x % 2 == 0).collect();
    let name = String::from("grid");
    let copy = evens.clone();
    std::hint::black_box((copy.len(), name.len()));
    if COUNTING.load(Ordering::Relaxed) == 1 {
        BASELINE_CALLS.fetch_add(counting::allocations() - before, Ordering::Relaxed);
    }
}

/// The counted part: the systems' bodies, on whichever threads they run.
#[test]
fn scratch_systems_make_no_system_allocations_after_warm_up() {
    let _serial = serial();
    let mut app = App::new();
    app.add_plugins((four_threads(), FrameAllocPlugin::new()))
        .init_resource::<Shared>()
        .add_systems(Update, (scratch_work, vec_work))
        .add_systems(PostUpdate, read_shared);
    for _ in 0..20 {
        app.update();
    }
    COUNTING.store(1, Ordering::Relaxed);
    for _ in 0..100 {
        app.update();
    }
    COUNTING.store(2, Ordering::Relaxed);
    let framealloc = FRAMEALLOC_CALLS.load(Ordering::Relaxed);
    let baseline = BASELINE_CALLS.load(Ordering::Relaxed);
    println!(
        "over 100 updates: framealloc systems {framealloc} allocations, Vec::new system {baseline}"
    );
    assert_eq!(framealloc, 0);
    assert!(baseline >= 400, "{baseline}");
}

/// The whole update, parameters and plugin included: on one thread (single-threaded
/// executor), an app whose systems use `Scratch` makes exactly as many system allocations per
/// update as the same app whose systems do nothing, which makes as many as the app without
/// the plugin (Bevy's own); the `Vec::new` twin makes more.
#[test]
fn a_whole_update_with_scratch_systems_allocates_no_more_than_an_idle_one() {
    let _serial = serial();
    fn idle(_scratch: Scratch, _shared: ResMut<Shared>) {}
    fn idle_read(_scratch: Scratch, _shared: Res<Shared>) {}
    fn bare(_shared: ResMut<Shared>) {}
    fn bare_read(_shared: Res<Shared>) {}
    fn per_update(systems: u8) -> u64 {
        let mut app = App::new();
        if systems != 3 {
            app.add_plugins(FrameAllocPlugin::with_allocator(exact()));
        }
        app.init_resource::<Shared>();
        for label in [Update.intern(), PostUpdate.intern()] {
            app.edit_schedule(label, |s| {
                s.set_executor(SingleThreadedExecutor::new());
            });
        }
        match systems {
            0 => app
                .add_systems(Update, idle)
                .add_systems(PostUpdate, idle_read),
            1 => app
                .add_systems(Update, scratch_work)
                .add_systems(PostUpdate, read_shared),
            2 => app
                .add_systems(Update, (idle, vec_work))
                .add_systems(PostUpdate, idle_read),
            _ => app
                .add_systems(Update, bare)
                .add_systems(PostUpdate, bare_read),
        };
        // Warm-up: the scratch arenas, and the allocator's 8 history records.
        for _ in 0..30 {
            app.update();
        }
        let before = counting::allocations();
        for _ in 0..50 {
            app.update();
        }
        (counting::allocations() - before) / 50
    }
    let idle = per_update(0);
    let scratch = per_update(1);
    let vecs = per_update(2);
    let no_plugin = per_update(3);
    println!(
        "system allocations per update: no plugin {no_plugin}, idle {idle}, scratch {scratch}, Vec::new {vecs}"
    );
    assert_eq!(idle, no_plugin);
    assert_eq!(scratch, idle);
    assert!(vecs >= idle + 4, "{vecs} vs {idle}");
}

/// Per-system figures against a workload whose bytes are known.
#[test]
fn per_system_figures_match_a_counted_workload() {
    let _serial = serial();
    fn physics(mut scratch: Scratch) {
        scratch.frame(|mut f| {
            f.alloc_slice_fill_copy(1000, 0u64); // 8,000 bytes
            f.scope(|g| g.alloc([0u32; 100]).len()); // 400 bytes, released
            f.alloc([0u32; 25]); // 100 bytes
        });
        scratch.tagged(|update| update.frame_slice(100, 0u32).len()); // 400 bytes
    }
    fn ai(mut scratch: Scratch, mut runs: Local<usize>) {
        *runs += 1;
        // More each update: 64, 128, 192 ... bytes.
        scratch.frame(|f| f.alloc_slice_fill_copy(16 * *runs, 0u32).len());
    }
    let mut app = App::new();
    app.add_plugins(
        FrameAllocPlugin::with_allocator(exact())
            .scratch_config(|| ArenaConfig::new().guards(false)),
    )
    .add_systems(Update, (physics, ai));
    for update in 1..=5usize {
        app.update();
        let stats = app.world().resource::<MemoryStats>();
        let physics = *stats.system("physics").expect("physics has a row");
        assert_eq!(physics.runs, 1);
        assert_eq!(physics.scratch_peak, 8400); // 8,000 + the scope's 400
        assert_eq!(physics.scratch_high_water, 8400);
        assert_eq!(physics.update_bytes, 400);
        assert_eq!(physics.scratch_capacity, ArenaConfig::DEFAULT_FIRST_CHUNK);
        assert_eq!(stats.system_tag("physics").map(|t| t.bytes), Some(400));
        let ai = *stats.system("ai").expect("ai has a row");
        assert_eq!(ai.scratch_peak, 64 * update);
        assert_eq!(ai.scratch_high_water, 64 * update);
        assert_eq!(ai.update_bytes, 0);
        let frame = stats.frame().unwrap();
        assert_eq!(frame.bytes, 400);
        let table = stats.to_string();
        assert!(
            table.contains("physics") && table.contains("8400"),
            "{table}"
        );
    }
    assert!(app
        .world()
        .resource::<MemoryStats>()
        .system("render")
        .is_none());
    assert!(app
        .world()
        .resource::<MemoryStats>()
        .system("hysics")
        .is_none());
}

/// Handles in components and messages: valid for the update that made them, stale after.
#[test]
fn handles_cross_systems_within_an_update_and_go_stale_after() {
    let _serial = serial();
    #[derive(Component)]
    struct Path(FrameHandle<[u16; 8]>);
    #[derive(Message)]
    struct Found(FrameHandle<u64>);
    #[derive(Resource, Default)]
    struct Seen {
        fresh: usize,
        stale: usize,
        messages: u64,
    }
    fn plan(mut scratch: Scratch, mut commands: Commands, mut out: MessageWriter<Found>) {
        let update = scratch.update().frame_number();
        commands.spawn(Path(scratch.update().handle([update as u16; 8])));
        let found = scratch.tagged(|frame| frame.handle(update));
        out.write(Found(found));
    }
    fn follow(
        scratch: Scratch,
        mut paths: Query<&mut Path>,
        mut found: MessageReader<Found>,
        mut seen: ResMut<Seen>,
    ) {
        let now = scratch.update().frame_number();
        for mut path in &mut paths {
            match path.0.try_get_mut(scratch.update()) {
                Some(p) => {
                    assert_eq!(p[0] as u64, now);
                    p[1] += 1;
                    seen.fresh += 1;
                }
                None => seen.stale += 1,
            }
        }
        for Found(h) in found.read() {
            seen.messages += h.try_get(scratch.update()).copied().unwrap_or(u64::MAX);
        }
    }
    let mut app = App::new();
    app.add_plugins((four_threads(), FrameAllocPlugin::new()))
        .add_message::<Found>()
        .init_resource::<Seen>()
        .add_systems(Update, plan)
        .add_systems(PostUpdate, follow);
    for _ in 0..4 {
        app.update();
    }
    // Each update: its own path is fresh; every earlier update's path is stale.
    let seen = app.world().resource::<Seen>();
    assert_eq!(seen.fresh, 4);
    assert_eq!(seen.stale, 3 + 2 + 1);
    assert_eq!(seen.messages, 1 + 2 + 3); // updates 0 to 3 sent their numbers
                                          // Outside an update there is no frame; a handle kept in the world is stale in the next.
    assert!(!app.world().contains_resource::<UpdateFrame>());
}

/// Update memory made inside a scratch frame (through a separate `Res<UpdateFrame>`:
/// `Scratch::frame` borrows the parameter) outlives the scratch frame and reaches a later
/// system.
#[test]
fn update_memory_made_inside_a_scratch_frame_outlives_it() {
    let _serial = serial();
    fn produce(mut scratch: Scratch, update: Res<UpdateFrame>, mut shared: ResMut<Shared>) {
        let handle = scratch.frame(|f| {
            let xs = f.alloc_slice_fill_with(32, |i| i as u32);
            update.handle(<[u32; 32]>::try_from(&*xs).unwrap())
        });
        shared.0 = Some(handle);
    }
    fn consume(update: Res<UpdateFrame>, shared: Res<Shared>) {
        let xs = shared
            .0
            .as_ref()
            .and_then(|h| h.try_get(&**update))
            .unwrap();
        assert_eq!(xs.iter().sum::<u32>(), 496);
    }
    let mut app = App::new();
    app.add_plugins((four_threads(), FrameAllocPlugin::new()))
        .init_resource::<Shared>()
        .add_systems(Update, produce)
        .add_systems(PostUpdate, consume);
    for _ in 0..3 {
        app.update();
    }
}

/// A system waiting inside its scratch frame for a parallel query lets the thread run other
/// tasks, other systems' included: their scratch frames and update allocations work.
#[test]
fn parallel_queries_inside_scratch_frames_while_other_systems_run() {
    let _serial = serial();
    fn spread(mut scratch: Scratch, particles: Query<&Particle>, update: Res<UpdateFrame>) {
        let total = scratch.frame(|f| {
            let local = f.alloc_slice_fill_copy(1024, 1u64);
            let sum = std::sync::atomic::AtomicU64::new(0);
            particles.par_iter().for_each(|p| {
                // On whichever thread runs this batch: update memory.
                let cell = update.frame_alloc(u64::from(p.0));
                sum.fetch_add(*cell, Ordering::Relaxed);
            });
            sum.load(Ordering::Relaxed) + local.iter().sum::<u64>()
        });
        assert_eq!(total, (0..20_000u64).sum::<u64>() + 1024);
    }
    let mut app = App::new();
    app.add_plugins((four_threads(), FrameAllocPlugin::new()))
        .add_systems(Update, (spread, rebuild_grid, sort_draws))
        .add_systems(PostUpdate, (spread, rebuild_grid, sort_draws));
    app.world_mut()
        .spawn_batch((0..20_000u32).map(Particle))
        .for_each(drop);
    for _ in 0..60 {
        app.update();
    }
}

/// Without the plugin, a `Scratch` system fails validation naming the missing resource.
#[test]
fn scratch_without_the_plugin_names_what_is_missing() {
    let _serial = serial();
    fn lonely(mut scratch: Scratch) {
        scratch.frame(|f| f.alloc(1u8).to_owned());
    }
    let mut app = App::new();
    app.add_systems(Update, lonely);
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| app.update()));
    let message = caught.unwrap_err();
    let message = message
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| message.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    assert!(message.contains("Scratch::frame_alloc_plugin"), "{message}");
}
