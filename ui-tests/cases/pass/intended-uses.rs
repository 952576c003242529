// The intended uses of every API the compile-fail cases restrict: these must compile.
use allocator_api2::vec::Vec as ApiVec;
use framealloc::{frame, frame_box, Frame, FrameArena, FrameBox};
use std::fmt::Debug;

#[derive(Clone, Copy, Default, Debug)]
#[repr(C, align(64))]
struct Particle {
    pos: [f32; 3],
    vel: [f32; 3],
}

fn update(f: &Frame, n: usize) -> usize {
    let ps = f.alloc_slice_fill_default::<Particle>(n);
    ps.iter_mut().for_each(|p| p.pos[0] += p.vel[0]);
    ps.len()
}

fn main() {
    let mut arena = FrameArena::new();

    // Closure form: values that do not borrow the frame leave it.
    let n = arena.frame(|mut f| {
        let a = f.alloc(1u32);
        let b = f.alloc(2u32);
        *a += *b; // many live allocations at once
        let inner = f.scope(|g| g.alloc_slice_fill_copy(8, 1u8).len());
        let names = f.boxed(String::from("needs drop")); // Drop types go in boxes
        let shown: FrameBox<'_, dyn Debug> = frame_box!(f, std::vec![1, 2]);
        let _ = format!("{names} {shown:?}");
        *a as usize + inner + update(&f, 4)
    });
    assert_eq!(n, 3 + 8 + 4);

    // A vector frozen into a slice gives the frame back for scopes.
    arena.frame(|mut f| {
        let mut v = f.vec();
        v.extend_from_slice(&[1u32, 2, 3]);
        let frozen = v.into_slice();
        f.scope(|g| {
            let copy = g.alloc_slice_copy(frozen);
            copy[0] = frozen[2];
        });
        frozen[0] += 1;

        let mut strings = f.vec();
        strings.push(String::from("x"));
        let boxed = strings.into_boxed_slice(); // Drop types freeze into a FrameBox
        assert_eq!(boxed.len(), 1);

        let mut api = ApiVec::new_in(&f);
        api.push(1u64);
        drop(api); // the borrow ends, so the scope below is allowed
        f.scope(|_g| {});
    });

    // Frame memory may point at what outlives the frame, and a scope into its outer frame.
    let meshes = std::vec![1u32, 2, 3];
    arena.frame(|mut f| {
        let draw = f.alloc_iter(meshes.iter());
        f.scope(|g| {
            let picked = g.alloc_slice_copy(&draw[1..]);
            assert_eq!(picked.len(), 2);
        });
    });

    // `'env` is covariant: a frame may be treated as pointing into less.
    fn narrow<'f, 'env>(f: Frame<'f, 'env>) -> Frame<'f, 'f> {
        f
    }
    arena.frame(|f| {
        let f = narrow(f);
        f.alloc(1u8);
    });

    // Guard form.
    for _ in 0..2 {
        let mut fg = arena.begin_frame();
        let f = fg.frame();
        let x = f.alloc(5u64);
        *x += 1;
    }

    // Scoped threads may share what the frame holds (not the frame itself).
    arena.frame(|f| {
        let data: &[u32] = f.alloc_slice_fill_copy(64, 1);
        let sum = std::thread::scope(|s| s.spawn(|| data.iter().sum::<u32>()).join().unwrap());
        assert_eq!(sum, 64);
    });

    // The macro, with and without a tag, on an owned arena and on `&mut FrameArena`.
    let arena_ref = &mut arena;
    let len = frame!(arena_ref, tag = "physics" => f { f.alloc_str("tagged").len() });
    let zero = frame!(arena => f {
        f.scope(|g| g.alloc(0u8).to_owned())
    });
    assert_eq!((len, zero), (6, 0));
}
