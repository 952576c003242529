//! Debug guards at work: a buffer overrun on purpose, caught and reported with the line that
//! allocated the buffer; then a stale `FrameHandle` refused.
//!
//! Run it with `cargo run --example guards`. In a release build the arena-wide guards are
//! compiled out unless framealloc's `guards` feature is on; the `#[frame(guard)]` type below
//! is guarded in every build.

use framealloc::guard::{GuardHandler, COMPILED_IN};
use framealloc::{ArenaConfig, FrameArena, FrameHandle, FrameLayout};

/// A staging buffer handed to "SIMD" code: guarded in every build.
#[derive(FrameLayout, Clone, Copy)]
#[frame(guard)]
#[repr(C, align(16))]
struct Lane([f32; 4]);

/// Sets `len` lanes of four `f32`s to `value`, with the classic off-by-one of a hand-unrolled
/// loop: `..=` where `..` was meant, so it writes one `f32` too many.
fn fill_lanes(lanes: *mut f32, len: usize, value: f32) {
    for i in 0..=len * 4 {
        let p = lanes.wrapping_add(i);
        // SAFETY: not sound, on purpose: this is the bug the example shows. The first
        // `len * 4` writes are in the buffer; the last goes one `f32` past it, into the
        // canary the arena reserved there (or, with guards off, into free memory of the same
        // chunk). No Rust value lives in those bytes, which is why the program goes on, but
        // the write is still outside what `lanes` may reach.
        unsafe { p.write(value) };
    }
}

fn main() {
    // Collect the reports instead of panicking (the default), to print them.
    let mut arena = FrameArena::with_config(
        ArenaConfig::new()
            .guard_underruns(true)
            .guard_handler(GuardHandler::Collect),
    );
    println!(
        "arena-wide guards: {}",
        if arena.guards_enabled() {
            "on"
        } else if COMPILED_IN {
            "off"
        } else {
            "compiled out (release build without the `guards` feature)"
        }
    );

    arena.frame_tagged("physics", |f| {
        // Untyped frame memory is guarded when the arena-wide guards are on.
        let positions = f.alloc_layout(core::alloc::Layout::array::<f32>(64).unwrap());
        fill_lanes(positions.as_ptr().cast(), 16, 0.5);

        // A `#[frame(guard)]` type is guarded always.
        let lanes = f.alloc_batch_guarded::<Lane>(8);
        fill_lanes(lanes.as_mut_ptr().cast(), 8, 0.5);

        // Checked now, not only at the end of the frame.
        let found = f.check_guards();
        println!("check_guards() in the frame found {found} damaged canaries");
    });

    for report in arena.take_guard_reports() {
        println!("\n{report}");
    }

    // A handle stored where no lifetime can go, used a frame too late.
    let mut stored: Option<FrameHandle<Lane>> = None;
    arena.frame(|f| {
        stored = Some(f.handle(Lane([1.0; 4])));
        println!(
            "\nhandle in its own frame: {:?}",
            stored.as_ref().unwrap().get(&f).0
        );
    });
    arena.frame(|f| {
        let stale = stored.as_ref().unwrap();
        println!(
            "handle one frame later: try_get gives {:?}",
            stale.try_get(&f).map(|l| l.0)
        );
    });
}
