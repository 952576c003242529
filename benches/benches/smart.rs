//! `SmartAlloc`: pool pairs on one thread, and frame allocation and pool pairs from 1, 2, 4 and 8 threads, beside mimalloc, the system allocator, bumpalo, blink-alloc and hand-written code. `cargo bench -p framealloc-benches --bench smart`
//!
//! The workloads live in the `framealloc-benches` library (`src/cases/`), shared with the
//! `report` binary. Criterion's HTML report lands in `target/criterion/report/index.html`.

use criterion::{criterion_group, criterion_main, Criterion};

fn benches(c: &mut Criterion) {
    framealloc_benches::criterion_groups(c, &|name| {
        name.starts_with("pool") || name.starts_with("threads")
    });
}

criterion_group!(all, benches);
criterion_main!(all);
