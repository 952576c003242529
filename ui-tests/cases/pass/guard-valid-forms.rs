// The forms `#[frame(guard)]` and frame handles are meant to be used in.
use framealloc::guard::{GuardHandler, Guarded};
use framealloc::{ArenaConfig, FrameArena, FrameHandle, FrameLayout};

#[derive(FrameLayout, Clone, Copy)]
#[frame(guard)]
struct Packet {
    len: u32,
    bytes: [u8; 60],
}

// With other options, in one attribute or several.
#[derive(FrameLayout, Clone, Copy, Default)]
#[frame(max_size = 64, no_drop)]
#[frame(guard)]
#[repr(C, align(16))]
struct Lanes([f32; 4]);

// Generic types are guarded for every instantiation.
#[derive(FrameLayout, Clone, Copy)]
#[frame(guard, no_padding)]
struct Pair<T: Copy> {
    a: T,
    b: T,
}

fn is_guarded<T: Guarded>() {}

// A handle has no lifetime, so it can sit in a long-lived struct.
struct Resources {
    staging: Option<FrameHandle<[Lanes; 16]>>,
}

fn main() {
    is_guarded::<Packet>();
    is_guarded::<Pair<u64>>();
    let mut arena = FrameArena::with_config(
        ArenaConfig::new()
            .guards(false)
            .guard_underruns(true)
            .guard_handler(GuardHandler::Collect),
    );
    let mut res = Resources { staging: None };
    arena.frame(|mut f| {
        let p = f.alloc_guarded(Packet { len: 0, bytes: [0; 60] });
        p.len = 1;
        let lanes = f.alloc_slice_guarded(8, |_| Lanes::default());
        lanes[7].0[3] = 1.0;
        let pairs = f.alloc_batch_guarded::<Pair<u16>>(4);
        pairs[0].write(Pair { a: 1, b: 2 });
        let _ = f.try_alloc_guarded(Pair { a: 1u8, b: 2 });
        f.scope(|g| {
            let _ = g.try_alloc_slice_guarded(2, |_| Lanes::default());
            let _ = g.try_alloc_batch_guarded::<Packet>(2);
            assert_eq!(g.check_guards(), 0);
        });
        res.staging = Some(f.handle([Lanes::default(); 16]));
        let staging = res.staging.as_mut().unwrap();
        staging.get_mut(&f)[0].0[0] = 2.0;
        assert_eq!(staging.get(&f)[0].0[0], 2.0);
    });
    assert!(arena.take_guard_reports().is_empty());
}
