// The facade's intended uses compile.
use framealloc::{AllocConfig, SmartAlloc, TagBudget};

fn main() {
    let alloc = SmartAlloc::with_config(AllocConfig::new().tag_budget("a", TagBudget::hard(1 << 20)));
    let frame = alloc.begin_frame();
    let shared: Vec<&u64> = std::thread::scope(|s| {
        (0..2u64)
            .map(|i| {
                let frame = &frame;
                s.spawn(move || &*frame.frame_alloc(i))
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect()
    });
    let here = frame.for_current_thread();
    let mut v = here.frame_vec();
    v.extend(shared.iter().map(|x| **x));
    let b = frame.frame_box(String::from("dropped at frame end"));
    assert_eq!(v.len() + b.len(), 22);
    drop(v);
    drop(here);
    drop(b);
    frame.end();
    let boxed = alloc.pool_box(vec![1, 2, 3]);
    std::thread::scope(|s| {
        s.spawn(move || drop(boxed));
    });
    alloc.with_tag("a", || alloc.frame(|mut f| f.scope(|g| *g.alloc(1u8))));
}
