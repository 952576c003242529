// The intended uses of #[soa]: these must compile.
use framealloc::{soa, FrameArena};

#[soa]
#[derive(Clone, Debug, Default)]
pub struct Particle {
    pub pos: [f32; 3],
    pub vel: [f32; 3],
    mass: f32,
}

#[soa(column_align = 32, soa_name = "Bodies", crate = "framealloc")]
struct Body<T: Copy + Default>
where
    T: PartialEq,
{
    id: T,
    shape: [T; 4],
}

fn main() {
    let mut soa = ParticleSoa::with_capacity(8);
    soa.push(Particle::default());
    // Every column at once: write one, read another, in safe code.
    let s = soa.slices_mut();
    for (p, v) in s.pos.iter_mut().zip(s.vel.iter()) {
        p[0] += v[0] * *s.mass.first().unwrap_or(&1.0);
    }
    // Two shared views at once are fine.
    let (a, b) = (soa.get(0).unwrap(), soa.get(0).unwrap());
    assert_eq!(a.pos, b.pos);
    for m in soa.iter_mut() {
        *m.mass += 1.0;
    }
    let back: Particle = soa.get(0).unwrap().into();
    assert_eq!(back.mass, 1.0);

    let mut bodies: Bodies<u8> = Bodies::new();
    bodies.push(Body { id: 1, shape: [1, 2, 3, 4] });
    assert_eq!(bodies.shape_lanes(), &[1, 2, 3, 4]);

    // In a frame: freeze what you need, the container goes with the frame.
    let mut arena = FrameArena::new();
    arena.frame(|mut f| {
        let total = {
            let mut scratch = ParticleSoa::new_in(&f);
            scratch.extend((0..100).map(|i| Particle { mass: i as f32, ..Particle::default() }));
            scratch.mass().iter().sum::<f32>()
        };
        f.scope(|g| {
            let inner = ParticleSoa::<&framealloc::Frame>::with_capacity_in(10, &g);
            assert_eq!(inner.capacity(), 10);
        });
        assert_eq!(total, 4950.0);
    });
}
